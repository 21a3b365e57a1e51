#include "TokenBucket.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>

namespace tributary {

namespace {

qint64 monotonicMs()
{
    static const QElapsedTimer timer = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return timer.elapsed();
}

} // namespace

TokenBucket::TokenBucket(double ratePerSecond, int capacity, Clock clock)
    : m_rate(std::isfinite(ratePerSecond) && ratePerSecond > 0 ? ratePerSecond : 0)
    , m_capacity(std::max(1, capacity))
    , m_tokens(m_capacity)
    , m_last(0)
    , m_clock(clock ? std::move(clock) : Clock(&monotonicMs))
{
    m_last = m_clock();
}

qint64 TokenBucket::reserve()
{
    if (m_rate <= 0)
        return 0;
    refill();
    m_tokens -= 1;
    if (m_tokens >= 0)
        return 0;
    // The reserved token is due when the balance climbs back to zero. The small slack keeps
    // floating-point noise from adding a millisecond.
    const double waitMs = -m_tokens * 1000.0 / m_rate;
    return std::max<qint64>(1, static_cast<qint64>(std::ceil(waitMs - 1e-6)));
}

void TokenBucket::refill()
{
    const qint64 now = m_clock();
    const qint64 elapsed = now - m_last;
    if (elapsed <= 0) {
        m_last = std::min(m_last, now); // a clock set back (only a test's can be) counts from here
        return;
    }
    m_tokens = std::min(m_capacity, m_tokens + static_cast<double>(elapsed) * m_rate / 1000.0);
    m_last = now;
}

} // namespace tributary
