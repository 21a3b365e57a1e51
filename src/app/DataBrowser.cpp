#include "DataBrowser.h"

namespace tributary {

class DataBrowser::Worker final : public QObject
{
public:
    Worker(QString url, QString password) : m_url(std::move(url)), m_password(std::move(password)) { }
    ~Worker() override
    {
        if (m_warehouse)
            m_warehouse->close();
    }

    Warehouse *warehouse(DataBrowser *owner)
    {
        if (m_warehouse)
            return m_warehouse.get();
        auto created = Warehouse::create(m_url, m_password);
        if (!created) {
            Q_EMIT owner->failed(created.error().message, created.error().hint);
            return nullptr;
        }
        if (auto opened = created.value()->open(); !opened) {
            Q_EMIT owner->failed(opened.error().message, opened.error().hint);
            return nullptr;
        }
        m_warehouse = std::move(created).value();
        return m_warehouse.get();
    }

private:
    QString m_url;
    QString m_password;
    std::unique_ptr<Warehouse> m_warehouse;
};

DataBrowser::DataBrowser(QString warehouseUrl, QString password, QObject *parent)
    : QObject(parent), m_worker(new Worker(std::move(warehouseUrl), std::move(password)))
{
    qRegisterMetaType<tributary::QueryResult>();
    qRegisterMetaType<QList<tributary::TableInfo>>();
    m_thread.setObjectName(QStringLiteral("data-browser"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

DataBrowser::~DataBrowser()
{
    m_thread.quit();
    m_thread.wait();
}

void DataBrowser::listTables(const QString &schema)
{
    QMetaObject::invokeMethod(m_worker, [this, schema] {
        if (Warehouse *w = m_worker->warehouse(this)) {
            auto tables = w->tables(schema);
            if (tables)
                Q_EMIT tablesListed(tables.value());
            else
                Q_EMIT failed(tables.error().message, tables.error().hint);
        }
    });
}

void DataBrowser::preview(const QString &schema, const QString &collection, int offset, int limit)
{
    QMetaObject::invokeMethod(m_worker, [this, schema, collection, offset, limit] {
        if (Warehouse *w = m_worker->warehouse(this)) {
            // The name is quoted; the page is bounded: a preview never loads a whole table.
            const QString sql = QStringLiteral("SELECT * FROM %1 LIMIT %2 OFFSET %3")
                                        .arg(w->sqlTableName(schema, collection))
                                        .arg(limit + 1)
                                        .arg(offset);
            auto result = w->query(sql, limit);
            if (result)
                Q_EMIT rowsReady(result.value(), offset);
            else
                Q_EMIT failed(result.error().message, result.error().hint);
        }
    });
}

void DataBrowser::runQuery(const QString &sql, int maxRows)
{
    QMetaObject::invokeMethod(m_worker, [this, sql, maxRows] {
        if (Warehouse *w = m_worker->warehouse(this)) {
            auto result = w->query(sql, maxRows);
            if (result)
                Q_EMIT queryFinished(result.value());
            else
                Q_EMIT failed(result.error().message, result.error().hint);
        }
    });
}

} // namespace tributary
