#pragma once

#include "core/ScheduleSpec.h"

#include <QDateTime>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QTimeZone>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace tributary {

// The in-app scheduler: starts each source's runs when its ScheduleSpec says, while the app runs.
// - Runs of one source never overlap: a source that is running or queued is not queued again; a
//   run that outlasts its interval is followed by one run when it ends, not by one per missed slot.
// - At most maxConcurrent() runs at once across sources; the rest wait in a FIFO queue (queue()).
// - Catch-up: due times come from the last run's start, so after sleep or a closed app each source
//   that missed its time runs once.
// - It never trusts one long timer: it wakes at least every kMaxWaitMs, and compares how far the
//   wall clock moved with how far the monotonic clock moved (which stands still while the machine
//   sleeps) to notice sleep and clock changes (clockJumped()).
// It starts nothing itself: the launcher callback starts a run (the app plugs RunSession in) and
// the app reports its end with runEnded().
class Scheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Scheduler)

public:
    // The clocks, injectable for tests.
    class Clock
    {
    public:
        virtual ~Clock() = default;
        virtual QDateTime now() const = 0;      // the wall clock (UTC)
        virtual qint64 monotonicMs() const = 0; // does not advance while the machine sleeps
        virtual QTimeZone timeZone() const = 0; // where At schedules are read
    };

    enum class Trigger { OnTime, CatchUp, Manual };
    Q_ENUM(Trigger)
    enum class StartResult { Started, AlreadyRunning, Failed };
    enum class Outcome { Succeeded, Partial, Failed };
    Q_ENUM(Outcome)

    // Starts a run of `source`. Started: report its end later with runEnded(). AlreadyRunning:
    // another process (the CLI, an OS timer) runs it; that run stands for this slot. Failed: it
    // could not start (*error says why); reported through runFinished() at once. Must not call
    // runEnded() itself.
    using Launcher = std::function<StartResult(const QString &source, Trigger trigger, QString *error)>;

    static constexpr int kDefaultMaxConcurrent = 2;
    static constexpr qint64 kMaxWaitMs = 30 * 1000;       // the longest the scheduler sleeps between checks
    static constexpr qint64 kJumpToleranceMs = 10 * 1000; // wall vs monotonic drift taken as a jump
    static constexpr qint64 kLateMs = 60 * 1000;          // a run started later than this is a catch-up

    explicit Scheduler(std::shared_ptr<Clock> clock = {}, QObject *parent = nullptr);
    ~Scheduler() override;

    static std::shared_ptr<Clock> systemClock();

    void setLauncher(Launcher launcher);
    void setMaxConcurrent(int runs); // at least 1
    int maxConcurrent() const { return m_maxConcurrent; }

    // Adds or updates a source: its schedule and the start of its last run (invalid: never ran).
    void setSource(const QString &name, const ScheduleSpec &spec, const QDateTime &lastRun = {});
    void removeSource(const QString &name);
    QStringList sources() const { return m_sources.keys(); }

    void start(); // checks now, then keeps checking
    void stop();
    bool isActive() const { return m_active; }

    // "Sync now": queues a run through the same queue and limits. False when unknown, running or
    // queued already.
    bool requestRun(const QString &name);
    // The app reports the end of a run the launcher started.
    void runEnded(const QString &name, Outcome outcome, const QString &message = {});

    QStringList queue() const { return m_queue; } // waiting, first to start first
    QStringList running() const;
    bool isRunning(const QString &name) const;
    std::optional<QDateTime> nextRun(const QString &name) const; // never before now; none when manual

    // Looks at the clocks and starts what is due. The timer calls it; so may a wake-up hook.
    void check();

Q_SIGNALS:
    void runDue(const QString &source, tributary::Scheduler::Trigger trigger); // entered the queue
    void runStarted(const QString &source, tributary::Scheduler::Trigger trigger);
    void queueChanged(const QStringList &queued, const QStringList &running);
    // The end of a run the scheduler started (or could not start). Succeeded is for quiet updates;
    // Partial and Failed are worth a notification.
    void runFinished(const QString &source, tributary::Scheduler::Outcome outcome, const QString &message,
                     tributary::Scheduler::Trigger trigger);
    // The wall clock moved skewMs more (or less, when negative) than the monotonic clock since the
    // last check: the machine slept or the clock was changed.
    void clockJumped(qint64 skewMs);
    void nextRunsChanged();

private:
    struct Entry
    {
        ScheduleSpec spec;
        QDateTime lastRun;     // start of the last run
        QDateTime lastAttempt; // a start that did not happen here (failed, or run elsewhere)
        bool running = false;
        bool queued = false;
        Trigger trigger = Trigger::OnTime;
    };

    std::optional<QDateTime> dueAt(const Entry &entry, const QDateTime &now) const;
    void enqueue(const QString &name, Trigger trigger);
    void dispatch();
    void launch(const QString &name);
    void arm();
    void emitQueue();

    std::shared_ptr<Clock> m_clock;
    Launcher m_launcher;
    QMap<QString, Entry> m_sources;
    QStringList m_queue;
    QTimer m_timer;
    int m_maxConcurrent = kDefaultMaxConcurrent;
    bool m_active = false;
    bool m_checking = false;
    bool m_checkAgain = false;
    QDateTime m_lastWall;
    qint64 m_lastMonotonic = 0;
};

} // namespace tributary
