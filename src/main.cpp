#include "app/AppPaths.h"
#include "app/Cli.h"
#include "app/KeychainCredentialStore.h"

#ifdef TRIBUTARY_WITH_GUI
#include "gui/GuiApplication.h"
#endif

#include <QCoreApplication>
#include <QLoggingCategory>

int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 1; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    const QString home = tributary::Cli::takeHomeOption(&arguments);
    // Our debug categories are quiet unless asked for (QT_LOGGING_RULES or TRIBUTARY_DEBUG=1).
    if (!qEnvironmentVariableIsSet("QT_LOGGING_RULES") && !qEnvironmentVariableIsSet("TRIBUTARY_DEBUG"))
        QLoggingCategory::setFilterRules(QStringLiteral("tributary.*.debug=false\ntributary.*.info=false"));
#ifdef TRIBUTARY_WITH_GUI
    if (arguments.isEmpty())
        return tributary::runGui(argc, argv, home);
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tributary"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TRIBUTARY_VERSION));
    // Secrets live in the OS keychain, scoped to this home. Headless, there is no session to keep
    // them in: when the keychain is unavailable, storing or reading a secret fails with a plain
    // "No keychain available" error whose hint is env:VAR; never a plain-text fallback.
    const bool defaultHome = home.isEmpty() && !qEnvironmentVariableIsSet("TRIBUTARY_HOME");
    tributary::KeychainCredentialStore credentials(
            tributary::KeychainCredentialStore::serviceFor(tributary::AppPaths(home).home(), defaultHome));
    tributary::Cli cli(arguments, home, credentials);
    return cli.exec();
}
