#include "AppPaths.h"

#include <QDir>
#include <QStandardPaths>

namespace tributary {

AppPaths::AppPaths(const QString &home)
{
    QString dir = home;
    if (dir.isEmpty())
        dir = qEnvironmentVariable("TRIBUTARY_HOME");
    if (dir.isEmpty()) {
        dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
        dir += QStringLiteral("/tributary");
    }
    m_home = QDir(dir).absolutePath();
}

QString AppPaths::configFile() const
{
    return m_home + QStringLiteral("/config.json");
}

QString AppPaths::historyFile(const QString &source) const
{
    return m_home + QStringLiteral("/history/") + source + QStringLiteral(".jsonl");
}

QString AppPaths::logsDir(const QString &source) const
{
    return m_home + QStringLiteral("/logs/") + source;
}

QString AppPaths::logFile(const QString &source, const QString &runId) const
{
    return logsDir(source) + QLatin1Char('/') + runId + QStringLiteral(".log");
}

QString AppPaths::lockFile(const QString &source) const
{
    return m_home + QStringLiteral("/locks/") + source + QStringLiteral(".lock");
}

QString AppPaths::defaultWarehouseUrl() const
{
    return QStringLiteral("sqlite:") + m_home + QStringLiteral("/warehouse.sqlite");
}

} // namespace tributary
