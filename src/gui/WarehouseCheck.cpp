#include "WarehouseCheck.h"

#include "warehouse/Warehouse.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>

namespace tributary {

void checkWarehouseInBackground(QObject *context, const QString &url, const QString &password,
                                std::function<void(const Result<QString> &)> done)
{
    QPointer<QObject> guard(context);
    QThread *worker = QThread::create([guard, url, password, done = std::move(done)] {
        const auto result = Warehouse::testConnection(url, password);
        QMetaObject::invokeMethod(
                guard ? guard.data() : qApp,
                [guard, done, result] {
                    if (guard)
                        done(result);
                },
                Qt::QueuedConnection);
    });
    QObject::connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

QString warehouseCheckText(const Result<QString> &result)
{
    return result ? QCoreApplication::translate("tributary::WarehouseCheck", "Connected: %1.").arg(result.value())
                  : result.error().message + QLatin1Char('\n') + result.error().hint;
}

} // namespace tributary
