#include "CliProcess.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

namespace tributary::test {

CliProcess::CliProcess(QString home) : m_home(std::move(home)), m_env(QProcessEnvironment::systemEnvironment())
{
    m_env.insert(QStringLiteral("TRIBUTARY_RETRY_BASE_MS"), QStringLiteral("50"));
}

QProcess *CliProcess::start(const QStringList &arguments)
{
    auto *process = new QProcess;
    process->setProcessEnvironment(m_env);
    process->start(qEnvironmentVariable("TRIBUTARY_CLI"), QStringList {QStringLiteral("--home"), m_home} + arguments);
    return process;
}

CliProcess::Outcome CliProcess::run(const QStringList &arguments, int timeoutMs)
{
    std::unique_ptr<QProcess> process(start(arguments));
    // The fake upstream lives in this thread: keep its event loop turning while the CLI runs.
    QEventLoop loop;
    QObject::connect(process.get(), &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(process.get(), &QProcess::errorOccurred, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (process->state() != QProcess::NotRunning)
        loop.exec();
    Outcome outcome;
    if (process->state() != QProcess::NotRunning) {
        process->kill();
        process->waitForFinished();
        outcome.err = "timed out\n";
    } else {
        outcome.exitCode = process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -1;
    }
    outcome.out = process->readAllStandardOutput();
    outcome.err += process->readAllStandardError();
    return outcome;
}

} // namespace tributary::test
