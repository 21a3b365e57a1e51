#include "RunCoordinator.h"

#include "app/RunSession.h"

namespace tributary {

RunCoordinator::RunCoordinator(SourceService &service, std::shared_ptr<Scheduler::Clock> clock, QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_scheduler(new Scheduler(clock ? std::move(clock) : Scheduler::systemClock(), this))
{
    m_scheduler->setLauncher([this](const QString &source, Scheduler::Trigger trigger, QString *error) {
        return launch(source, trigger, error);
    });
    connect(m_scheduler, &Scheduler::queueChanged, this, &RunCoordinator::queueChanged);
    connect(m_scheduler, &Scheduler::runFinished, this,
            [this](const QString &source, Scheduler::Outcome outcome, const QString &message,
                   Scheduler::Trigger trigger) {
                if (outcome == Scheduler::Outcome::Succeeded || trigger == Scheduler::Trigger::Manual)
                    return; // a success is quiet; a run the user started shows its outcome in the window
                Q_EMIT notify(source,
                              outcome == Scheduler::Outcome::Partial ? tr("%1: some collections failed").arg(source)
                                                                     : tr("%1: the scheduled sync failed").arg(source),
                              message);
            });
    reloadSources();
}

RunCoordinator::~RunCoordinator()
{
    m_scheduler->stop();
    for (RunSession *session : std::as_const(m_sessions))
        session->cancel();
    qDeleteAll(m_sessions); // each joins its worker thread
    m_sessions.clear();
}

void RunCoordinator::reloadSources()
{
    QSet<QString> configured;
    for (const SourceConfig &s : m_service.config().sources()) {
        configured.insert(s.name);
        const auto last = m_service.history(s.name).last();
        m_scheduler->setSource(s.name, ScheduleSpec::fromJson(s.schedule), last ? last->startedAt : QDateTime());
    }
    for (const QString &name : m_scheduler->sources()) {
        if (!configured.contains(name))
            m_scheduler->removeSource(name);
    }
}

bool RunCoordinator::syncNow(const QString &source, const QStringList &collections)
{
    if (isRunning(source) || isQueued(source))
        return false;
    SourceService::RunOptions options;
    options.collections = collections;
    m_pendingOptions.insert(source, options);
    if (!m_scheduler->requestRun(source)) {
        m_pendingOptions.remove(source);
        return false;
    }
    return true;
}

Scheduler::StartResult RunCoordinator::launch(const QString &source, Scheduler::Trigger, QString *error)
{
    const SourceService::RunOptions options = m_pendingOptions.take(source);
    auto *session = new RunSession(m_service, this);
    RunSession::StartError reason = RunSession::StartError::None;
    connect(session, &RunSession::runStarted, this, &RunCoordinator::runStarted);
    connect(session, &RunSession::collectionUpdated, this,
            [this, source](const CollectionSummary &c, int calls) { Q_EMIT collectionUpdated(source, c, calls); });
    connect(session, &RunSession::waiting, this,
            [this, source](const QString &collection, qint64 ms, const QString &why) {
                Q_EMIT waiting(source, collection, ms, why);
            });
    connect(session, &RunSession::finished, this, [this, source, session](const RunSummary &summary) {
        m_sessions.remove(source);
        session->deleteLater();
        const Scheduler::Outcome outcome = summary.status == RunSummary::Status::Succeeded
                ? Scheduler::Outcome::Succeeded
                : (summary.status == RunSummary::Status::Partial ? Scheduler::Outcome::Partial
                                                                 : Scheduler::Outcome::Failed);
        QString message = summary.error ? summary.error->message : QString();
        if (message.isEmpty()) {
            for (const auto &c : summary.collections) {
                if (c.error && c.status != CollectionSummary::Status::Succeeded) {
                    message = c.name + QStringLiteral(": ") + c.error->message;
                    break;
                }
            }
        }
        Q_EMIT finished(summary);
        m_scheduler->runEnded(source, outcome, message);
    });
    if (auto started = session->start(source, options, &reason); !started) {
        delete session;
        if (reason == RunSession::StartError::AlreadySyncing)
            return Scheduler::StartResult::AlreadyRunning;
        if (error)
            *error = started.error().message;
        Q_EMIT startFailed(source, started.error().message + QLatin1Char('\n') + started.error().hint);
        return Scheduler::StartResult::Failed;
    }
    m_sessions.insert(source, session);
    return Scheduler::StartResult::Started;
}

void RunCoordinator::cancel(const QString &source)
{
    if (RunSession *session = m_sessions.value(source))
        session->cancel();
}

bool RunCoordinator::isRunning(const QString &source) const
{
    return m_sessions.contains(source);
}

bool RunCoordinator::isQueued(const QString &source) const
{
    return m_scheduler->queue().contains(source);
}

bool RunCoordinator::isBusy() const
{
    return !m_sessions.isEmpty();
}

QStringList RunCoordinator::running() const
{
    return m_sessions.keys();
}

void RunCoordinator::checkRetention()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const SourceConfig &s : m_service.config().sources()) {
        const auto warning = m_service.retentionWarning(s.name, now);
        if (!warning || m_retentionNotified.value(s.name) == now.date())
            continue;
        m_retentionNotified.insert(s.name, now.date());
        Q_EMIT notify(s.name, tr("%1: sync soon").arg(s.name), warning->message);
    }
}

} // namespace tributary
