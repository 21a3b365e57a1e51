#pragma once

#include <QtGlobal>

#include <functional>

namespace tributary {

// A token bucket: 'rate' tokens per second up to 'capacity'. The clock is injectable for tests
// (milliseconds, monotonic). A rate of 0 means unlimited.
class TokenBucket
{
public:
    using Clock = std::function<qint64()>;

    explicit TokenBucket(double ratePerSecond = 0, int capacity = 1, Clock clock = {});

    // Takes one token: returns 0 when one was available, otherwise the milliseconds until the
    // reserved token is due (the token is reserved: the caller must wait that long, then send).
    qint64 reserve();
    double rate() const { return m_rate; }

private:
    void refill();

    double m_rate;
    double m_capacity;
    double m_tokens;
    qint64 m_last;
    Clock m_clock;
};

} // namespace tributary
