#pragma once

#include <QByteArray>
#include <QDateTime>

#include <optional>

namespace tributary {

// Exponential backoff with jitter: attempt n (1-based) waits a random time in
// [d/2, d] where d = min(maxDelayMs, baseDelayMs * 2^(n-1)).
struct RetryPolicy
{
    int maxAttempts = 5;
    int baseDelayMs = 500;
    int maxDelayMs = 30000;
    int maxRetryAfterMs = 600000; // a longer Retry-After is capped here

    qint64 backoffMs(int attempt) const; // uses QRandomGenerator::global()
    bool shouldRetryStatus(int status) const { return status == 429 || (status >= 500 && status <= 599); }

    // Retry-After in either form: delta-seconds ("120") or an HTTP date
    // ("Wed, 21 Oct 2015 07:28:00 GMT"), relative to now. nullopt when absent or unreadable.
    static std::optional<qint64> parseRetryAfterMs(const QByteArray &value, const QDateTime &now);
};

} // namespace tributary
