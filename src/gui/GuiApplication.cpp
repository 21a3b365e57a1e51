#include "GuiApplication.h"

#include "app/CredentialStore.h"
#include "app/SourceService.h"
#include "gui/MainWindow.h"

#include <QApplication>
#include <QMessageBox>

namespace tributary {

int runGui(int &argc, char **argv, const QString &home)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tributary"));
    QApplication::setApplicationDisplayName(QStringLiteral("Tributary"));
    QApplication::setApplicationVersion(QStringLiteral(TRIBUTARY_VERSION));
    QApplication::setOrganizationName(QStringLiteral("Tributary"));
    SessionCredentialStore credentials;
    SourceService service {AppPaths(home), credentials};
    if (auto loaded = service.load(); !loaded) {
        QMessageBox::critical(nullptr, QStringLiteral("Tributary"),
                              loaded.error().message + QStringLiteral("\n\n") + loaded.error().hint);
        return 2;
    }
    MainWindow window(service);
    window.show();
    return QApplication::exec();
}

} // namespace tributary
