#include "StallWatchdog.h"

namespace tributary {

StallWatchdog::StallWatchdog(qint64 timeoutMs, QObject *parent) : QObject(parent), m_timeoutMs(timeoutMs), m_timer(this)
{
    m_timer.setInterval(int(qBound(qint64(50), timeoutMs / 10, qint64(1000))));
    connect(&m_timer, &QTimer::timeout, this, &StallWatchdog::check);
}

void StallWatchdog::start()
{
    m_sinceProgress.start();
    m_allowanceMs = 0;
    if (m_timeoutMs > 0)
        m_timer.start();
}

void StallWatchdog::stop()
{
    m_timer.stop();
}

void StallWatchdog::kick()
{
    m_sinceProgress.restart();
    m_allowanceMs = 0;
}

void StallWatchdog::check()
{
    const qint64 idle = m_sinceProgress.elapsed();
    if (idle >= m_timeoutMs + m_allowanceMs) {
        m_timer.stop();
        Q_EMIT stalled(idle);
    }
}

} // namespace tributary
