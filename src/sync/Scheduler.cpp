#include "Scheduler.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

#include <algorithm>
#include <cstdlib>

Q_LOGGING_CATEGORY(lcScheduler, "tributary.sync.scheduler")

namespace tributary {

namespace {

class SystemClock final : public Scheduler::Clock
{
public:
    SystemClock() { m_elapsed.start(); }
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
    qint64 monotonicMs() const override { return m_elapsed.elapsed(); }
    QTimeZone timeZone() const override { return QTimeZone::systemTimeZone(); }

private:
    QElapsedTimer m_elapsed; // CLOCK_MONOTONIC on Linux: stands still in suspend
};

} // namespace

Scheduler::Scheduler(std::shared_ptr<Clock> clock, QObject *parent)
    : QObject(parent), m_clock(clock ? std::move(clock) : systemClock())
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Scheduler::check);
}

Scheduler::~Scheduler() = default;

std::shared_ptr<Scheduler::Clock> Scheduler::systemClock()
{
    return std::make_shared<SystemClock>();
}

void Scheduler::setLauncher(Launcher launcher)
{
    m_launcher = std::move(launcher);
}

void Scheduler::setMaxConcurrent(int runs)
{
    m_maxConcurrent = std::max(1, runs);
    if (m_active)
        check();
}

void Scheduler::setSource(const QString &name, const ScheduleSpec &spec, const QDateTime &lastRun)
{
    Entry &entry = m_sources[name];
    entry.spec = spec;
    if (lastRun.isValid() && (!entry.lastRun.isValid() || lastRun > entry.lastRun))
        entry.lastRun = lastRun;
    if (spec.kind == ScheduleSpec::Kind::Manual && entry.queued && entry.trigger != Trigger::Manual) {
        entry.queued = false;
        m_queue.removeAll(name);
        emitQueue();
    }
    Q_EMIT nextRunsChanged();
    if (m_active)
        check();
}

void Scheduler::removeSource(const QString &name)
{
    const bool wasQueued = m_queue.removeAll(name) > 0;
    m_sources.remove(name);
    if (wasQueued)
        emitQueue();
    Q_EMIT nextRunsChanged();
}

void Scheduler::start()
{
    m_active = true;
    check();
}

void Scheduler::stop()
{
    m_active = false;
    m_timer.stop();
}

bool Scheduler::requestRun(const QString &name)
{
    auto it = m_sources.find(name);
    if (it == m_sources.end() || it->running || it->queued)
        return false;
    enqueue(name, Trigger::Manual);
    dispatch();
    return true;
}

void Scheduler::runEnded(const QString &name, Outcome outcome, const QString &message)
{
    auto it = m_sources.find(name);
    if (it == m_sources.end() || !it->running)
        return;
    it->running = false;
    const Trigger trigger = it->trigger;
    qCInfo(lcScheduler) << "run ended" << name << outcome;
    emitQueue();
    Q_EMIT runFinished(name, outcome, message, trigger);
    check();
}

QStringList Scheduler::running() const
{
    QStringList names;
    for (auto it = m_sources.cbegin(); it != m_sources.cend(); ++it) {
        if (it->running)
            names.append(it.key());
    }
    return names;
}

bool Scheduler::isRunning(const QString &name) const
{
    const auto it = m_sources.constFind(name);
    return it != m_sources.cend() && it->running;
}

std::optional<QDateTime> Scheduler::nextRun(const QString &name) const
{
    const auto it = m_sources.constFind(name);
    if (it == m_sources.cend())
        return std::nullopt;
    const QDateTime now = m_clock->now();
    if (it->running || it->queued)
        return now;
    const auto due = dueAt(*it, now);
    if (!due)
        return std::nullopt;
    return *due > now ? *due : now;
}

std::optional<QDateTime> Scheduler::dueAt(const Entry &entry, const QDateTime &now) const
{
    QDateTime reference = entry.lastRun;
    if (entry.lastAttempt.isValid() && (!reference.isValid() || entry.lastAttempt > reference))
        reference = entry.lastAttempt;
    // A clock set back must not push the next run out by the time it went back.
    if (reference.isValid() && reference > now)
        reference = now;
    return entry.spec.dueAt(reference, now, m_clock->timeZone());
}

void Scheduler::check()
{
    if (m_checking) { // runEnded() from a signal handler during a check
        m_checkAgain = true;
        return;
    }
    m_checking = true;
    do {
        m_checkAgain = false;
        const QDateTime now = m_clock->now();
        const qint64 monotonic = m_clock->monotonicMs();
        if (m_lastWall.isValid()) {
            const qint64 skew = m_lastWall.msecsTo(now) - (monotonic - m_lastMonotonic);
            if (std::abs(skew) > kJumpToleranceMs) {
                qCInfo(lcScheduler) << "wall clock moved" << skew << "ms apart from the monotonic clock:"
                                    << (skew > 0 ? "sleep or clock set forward" : "clock set back");
                Q_EMIT clockJumped(skew);
            }
        }
        m_lastWall = now;
        m_lastMonotonic = monotonic;
        // A clock set back: runs "in the future" count as having started now, so the next one is an
        // interval from now rather than the time the clock went back plus an interval.
        for (Entry &entry : m_sources) {
            if (entry.lastRun.isValid() && entry.lastRun > now)
                entry.lastRun = now;
            if (entry.lastAttempt.isValid() && entry.lastAttempt > now)
                entry.lastAttempt = now;
        }

        // Everything due, earliest first, joins the queue once.
        QList<std::pair<QDateTime, QString>> due;
        for (auto it = m_sources.cbegin(); it != m_sources.cend(); ++it) {
            if (it->running || it->queued)
                continue;
            if (const auto at = dueAt(*it, now); at && *at <= now)
                due.append({*at, it.key()});
        }
        std::sort(due.begin(), due.end());
        for (const auto &[at, name] : std::as_const(due))
            enqueue(name, at.msecsTo(now) > kLateMs ? Trigger::CatchUp : Trigger::OnTime);
        dispatch();
    } while (m_checkAgain);
    m_checking = false;
    arm();
}

void Scheduler::enqueue(const QString &name, Trigger trigger)
{
    Entry &entry = m_sources[name];
    entry.queued = true;
    entry.trigger = trigger;
    m_queue.append(name);
    qCInfo(lcScheduler) << "due" << name << trigger;
    Q_EMIT runDue(name, trigger);
    emitQueue();
}

void Scheduler::dispatch()
{
    while (!m_queue.isEmpty() && running().size() < m_maxConcurrent)
        launch(m_queue.takeFirst());
}

void Scheduler::launch(const QString &name)
{
    auto it = m_sources.find(name);
    if (it == m_sources.end())
        return;
    it->queued = false;
    const Trigger trigger = it->trigger;
    const QDateTime now = m_clock->now();
    QString error;
    const StartResult result = m_launcher ? m_launcher(name, trigger, &error) : StartResult::Failed;
    if (!m_launcher)
        error = QStringLiteral("Nothing can start runs yet.");
    it = m_sources.find(name); // the launcher may have changed the sources
    if (it == m_sources.end())
        return;
    switch (result) {
    case StartResult::Started:
        it->running = true;
        it->lastRun = now;
        qCInfo(lcScheduler) << "started" << name << trigger;
        emitQueue();
        Q_EMIT runStarted(name, trigger);
        break;
    case StartResult::AlreadyRunning:
        it->lastAttempt = now;
        qCInfo(lcScheduler) << name << "is running elsewhere: that run stands for this one";
        emitQueue();
        break;
    case StartResult::Failed:
        it->lastAttempt = now;
        qCWarning(lcScheduler) << "could not start" << name << error;
        emitQueue();
        Q_EMIT runFinished(name, Outcome::Failed, error, trigger);
        break;
    }
    Q_EMIT nextRunsChanged();
}

void Scheduler::arm()
{
    if (!m_active)
        return;
    const QDateTime now = m_clock->now();
    qint64 wait = kMaxWaitMs;
    for (auto it = m_sources.cbegin(); it != m_sources.cend(); ++it) {
        if (it->running || it->queued)
            continue;
        if (const auto at = dueAt(*it, now))
            wait = std::min(wait, std::max<qint64>(0, now.msecsTo(*at)));
    }
    m_timer.start(std::chrono::milliseconds(std::max<qint64>(wait, 1)));
}

void Scheduler::emitQueue()
{
    Q_EMIT queueChanged(m_queue, running());
}

} // namespace tributary
