#pragma once

#include <QString>

namespace tributary {

// Where Tributary keeps its configuration, state, history and logs: --home DIR, else
// TRIBUTARY_HOME, else the platform's application data folder.
class AppPaths
{
public:
    explicit AppPaths(const QString &home = {});

    QString home() const { return m_home; }
    QString configFile() const;
    QString historyFile(const QString &source) const;
    QString logFile(const QString &source, const QString &runId) const;
    QString logsDir(const QString &source) const;
    QString lockFile(const QString &source) const;
    QString defaultWarehouseUrl() const; // sqlite:<home>/warehouse.sqlite

private:
    QString m_home;
};

} // namespace tributary
