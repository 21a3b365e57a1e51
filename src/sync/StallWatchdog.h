#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace tributary {

// Fires stalled() when kick() has not been called for the timeout. Lives in the thread it watches:
// a thread blocked in a call cannot be helped by it, but our worker never blocks (all I/O is
// asynchronous), so a hang is always a silent upstream.
class StallWatchdog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StallWatchdog)

public:
    explicit StallWatchdog(qint64 timeoutMs, QObject *parent = nullptr);

    void start();
    void stop();
    void kick(); // progress: the idle time starts again
    // A known wait (Retry-After, pacing) of this length is not a stall: it extends the current allowance.
    void allow(qint64 ms) { m_allowanceMs = ms; }
    qint64 timeoutMs() const { return m_timeoutMs; }
    qint64 idleMs() const { return m_sinceProgress.elapsed(); }

Q_SIGNALS:
    void stalled(qint64 idleMs);

private:
    void check();

    qint64 m_timeoutMs;
    qint64 m_allowanceMs = 0;
    QElapsedTimer m_sinceProgress;
    QTimer m_timer;
};

} // namespace tributary
