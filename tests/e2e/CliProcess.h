#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

namespace tributary::test {

// Runs the real `tributary` binary (TRIBUTARY_CLI) with a private --home, while the test's event
// loop keeps serving the fake upstream in-process.
class CliProcess
{
public:
    struct Outcome
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
        QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    };

    explicit CliProcess(QString home);

    void setEnv(const QString &name, const QString &value) { m_env.insert(name, value); }
    // Runs to the end (spinning the event loop), at most timeoutMs.
    Outcome run(const QStringList &arguments, int timeoutMs = 120000);
    // Starts without waiting; the caller owns the process.
    QProcess *start(const QStringList &arguments);

    QString home() const { return m_home; }
    QString warehousePath() const { return m_home + QStringLiteral("/warehouse.sqlite"); }

private:
    QString m_home;
    QProcessEnvironment m_env;
};

} // namespace tributary::test
