#pragma once

#include <QtGlobal>

#include <deque>
#include <functional>

namespace tributary {

// A sliding-window limiter: at most `requests` sends within any `windowMs` (plus a small margin
// for the network's jitter). Paces a group of endpoints up front, so that an upstream limit such
// as Zendesk's 10 incremental exports a minute is never tripped. The clock is injectable for tests
// (milliseconds, monotonic).
class RateWindow
{
public:
    using Clock = std::function<qint64()>;

    RateWindow(int requests, qint64 windowMs, Clock clock = {});

    // Reserves the next send: 0 when it may go now, otherwise the milliseconds to wait first.
    qint64 reserve();
    int requests() const { return m_requests; }
    qint64 windowMs() const { return m_windowMs; }

private:
    int m_requests;
    qint64 m_windowMs;
    qint64 m_marginMs;
    std::deque<qint64> m_sends; // reserved send times, oldest first
    Clock m_clock;
};

} // namespace tributary
