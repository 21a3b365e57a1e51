#include "RateWindow.h"

#include <QElapsedTimer>

#include <algorithm>
#include <memory>

namespace tributary {

RateWindow::RateWindow(int requests, qint64 windowMs, Clock clock)
    : m_requests(std::max(1, requests))
    , m_windowMs(std::max<qint64>(1, windowMs))
    , m_marginMs(std::max<qint64>(50, m_windowMs / 30))
    , m_clock(std::move(clock))
{
    if (!m_clock) {
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        m_clock = [timer] { return timer->elapsed(); };
    }
}

qint64 RateWindow::reserve()
{
    const qint64 now = m_clock();
    // Sends older than a window no longer count.
    while (!m_sends.empty() && m_sends.front() + m_windowMs + m_marginMs <= now)
        m_sends.pop_front();
    qint64 at = now;
    if (!m_sends.empty())
        at = std::max(at, m_sends.back());
    if (qsizetype(m_sends.size()) >= m_requests) {
        // The send `requests` back must have left the window first.
        at = std::max(at, m_sends[m_sends.size() - std::size_t(m_requests)] + m_windowMs + m_marginMs);
    }
    m_sends.push_back(at);
    while (qsizetype(m_sends.size()) > m_requests)
        m_sends.pop_front();
    return at - now;
}

} // namespace tributary
