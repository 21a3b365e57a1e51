#include "GuiApplication.h"

#include "app/CredentialStore.h"
#include "app/KeychainCredentialStore.h"
#include "app/SourceService.h"
#include "gui/MainWindow.h"

#include <QApplication>
#include <QMessageBox>
#include <QTimer>

namespace tributary {

int runGui(int &argc, char **argv, const QString &home)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tributary"));
    QApplication::setApplicationDisplayName(QStringLiteral("Tributary"));
    QApplication::setApplicationVersion(QStringLiteral(TRIBUTARY_VERSION));
    QApplication::setOrganizationName(QStringLiteral("Tributary"));
    // Secrets in the OS keychain; without one, in memory for this session only (never a file).
    const bool defaultHome = home.isEmpty() && !qEnvironmentVariableIsSet("TRIBUTARY_HOME");
    KeychainCredentialStore keychain(KeychainCredentialStore::serviceFor(AppPaths(home).home(), defaultHome));
    SessionCredentialStore sessionOnly;
    const Result<void> keychainAvailable = keychain.checkAvailable();
    CredentialStore &credentials = keychainAvailable ? static_cast<CredentialStore &>(keychain) : sessionOnly;
    SourceService service {AppPaths(home), credentials};
    service.setKeepSecretsForSession(!keychainAvailable);
    if (auto loaded = service.load(); !loaded) {
        QMessageBox::critical(nullptr, QStringLiteral("Tributary"),
                              loaded.error().message + QStringLiteral("\n\n") + loaded.error().hint);
        return 2;
    }
    MainWindow window(service);
    window.show();
    // A first start: the catalog opens by itself, the Sample Store first (no key, no network).
    if (service.config().sources().isEmpty())
        QTimer::singleShot(0, &window, &MainWindow::showCatalog);
    if (!keychainAvailable) {
        auto *notice = new QMessageBox(
                QMessageBox::Warning, QStringLiteral("Tributary"),
                QStringLiteral("No keychain available.\n\nKeys and tokens you enter are kept in memory only, until "
                               "Tributary quits; they are never written to disk. Sources whose secrets were saved "
                               "in the keychain cannot sync until it is back."),
                QMessageBox::Ok, &window);
        notice->setObjectName(QStringLiteral("noKeychainMessageBox"));
        notice->setInformativeText(keychainAvailable.error().message + QLatin1Char(' ')
                                   + keychainAvailable.error().hint);
        notice->setAttribute(Qt::WA_DeleteOnClose);
        notice->setModal(false);
        notice->show();
    }
    return QApplication::exec();
}

} // namespace tributary
