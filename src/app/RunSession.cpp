#include "RunSession.h"

namespace tributary {

RunSession::RunSession(SourceService &service, QObject *parent) : QObject(parent), m_service(service) { }

RunSession::~RunSession()
{
    m_runner.reset(); // cancels and joins a run still going
}

Result<void> RunSession::start(const QString &source, const SourceService::RunOptions &options, StartError *reason)
{
    if (reason)
        *reason = StartError::Config;
    if (isRunning())
        return Error::make(Error::Kind::Config, QStringLiteral("A run is going already."),
                           QStringLiteral("Wait for it to end."));
    auto plan = m_service.prepareRun(source, options);
    if (!plan)
        return plan.error();
    auto lock = std::make_unique<RunLock>(m_service.paths().lockFile(source));
    if (!lock->tryLock()) {
        if (reason)
            *reason = StartError::AlreadySyncing;
        const QString holder = lock->holder();
        return Error::make(Error::Kind::Config,
                           QStringLiteral("'%1' is already syncing%2.")
                                   .arg(source, holder.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(holder)),
                           QStringLiteral("Runs of one source never overlap: wait for that run to finish."));
    }
    if (reason)
        *reason = StartError::None;
    m_lock = std::move(lock);
    m_source = source;
    m_logPath = plan->logPath;
    m_collectionCount = int(plan->collections.size());
    m_runner = std::make_unique<SyncRunner>();
    connect(m_runner.get(), &SyncRunner::runStarted, this, &RunSession::runStarted);
    connect(m_runner.get(), &SyncRunner::collectionUpdated, this, &RunSession::collectionUpdated);
    connect(m_runner.get(), &SyncRunner::waiting, this, &RunSession::waiting);
    connect(m_runner.get(), &SyncRunner::finished, this, [this](const RunSummary &summary) {
        (void)m_service.history(m_source).append(summary);
        m_lock->unlock();
        m_lock.reset();
        Q_EMIT finished(summary);
    });
    m_runner->start(std::move(plan).value());
    return {};
}

void RunSession::cancel()
{
    if (m_runner)
        m_runner->cancel();
}

} // namespace tributary
