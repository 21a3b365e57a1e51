#include "app/Cli.h"
#include "app/CredentialStore.h"

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
    tributary::SessionCredentialStore credentials;
    tributary::Cli cli(arguments, home, credentials);
    return cli.exec();
}
