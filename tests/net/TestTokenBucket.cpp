#include "net/TokenBucket.h"

#include <QTest>

using tributary::TokenBucket;

class TestTokenBucket final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void burstThenPacing();
    void reservationsQueueUp();
    void longIdleRefillsOnlyToCapacity();
    void fractionalRate();
    void zeroRateIsUnlimited();
    void defaultClockRuns();
};

namespace {

struct FakeClock
{
    qint64 now = 1000;
    TokenBucket::Clock clock()
    {
        return [this] { return now; };
    }
};

} // namespace

void TestTokenBucket::burstThenPacing()
{
    FakeClock clock;
    TokenBucket bucket(10, 3, clock.clock());
    QCOMPARE(bucket.rate(), 10.0);
    QCOMPARE(bucket.reserve(), 0LL);
    QCOMPARE(bucket.reserve(), 0LL);
    QCOMPARE(bucket.reserve(), 0LL);
    QCOMPARE(bucket.reserve(), 100LL); // the burst is spent: one token every 100 ms
    clock.now += 100;                  // the caller waited as told
    QCOMPARE(bucket.reserve(), 100LL);
    clock.now += 50;
    QCOMPARE(bucket.reserve(), 150LL); // half a token back, one owed, one more needed
}

void TestTokenBucket::reservationsQueueUp()
{
    FakeClock clock;
    TokenBucket bucket(4, 1, clock.clock());
    QCOMPARE(bucket.reserve(), 0LL);
    QCOMPARE(bucket.reserve(), 250LL);
    QCOMPARE(bucket.reserve(), 500LL);
    QCOMPARE(bucket.reserve(), 750LL);
    clock.now += 750; // every reservation is due now
    QCOMPARE(bucket.reserve(), 250LL);
}

void TestTokenBucket::longIdleRefillsOnlyToCapacity()
{
    FakeClock clock;
    TokenBucket bucket(5, 2, clock.clock());
    QCOMPARE(bucket.reserve(), 0LL);
    QCOMPARE(bucket.reserve(), 0LL);
    clock.now += 3600 * 1000; // an hour idle: still only two tokens
    QCOMPARE(bucket.reserve(), 0LL);
    QCOMPARE(bucket.reserve(), 0LL);
    QCOMPARE(bucket.reserve(), 200LL);
}

void TestTokenBucket::fractionalRate()
{
    FakeClock clock;
    TokenBucket bucket(10.0 / 60.0, 1, clock.clock()); // Zendesk incremental exports: 10 a minute
    QCOMPARE(bucket.reserve(), 0LL);
    QCOMPARE(bucket.reserve(), 6000LL);
    clock.now += 6000;
    QCOMPARE(bucket.reserve(), 6000LL);
}

void TestTokenBucket::zeroRateIsUnlimited()
{
    FakeClock clock;
    TokenBucket bucket(0, 1, clock.clock());
    for (int i = 0; i < 1000; ++i)
        QCOMPARE(bucket.reserve(), 0LL);
    TokenBucket negative(-3, 1, clock.clock());
    QCOMPARE(negative.rate(), 0.0);
    QCOMPARE(negative.reserve(), 0LL);
    QCOMPARE(negative.reserve(), 0LL);
    TokenBucket byDefault;
    QCOMPARE(byDefault.reserve(), 0LL);
    QCOMPARE(byDefault.reserve(), 0LL);
}

void TestTokenBucket::defaultClockRuns()
{
    TokenBucket bucket(1000, 1); // the real monotonic clock
    QCOMPARE(bucket.reserve(), 0LL);
    const qint64 wait = bucket.reserve();
    QVERIFY(wait >= 0);
    QVERIFY(wait <= 1);
}

QTEST_GUILESS_MAIN(TestTokenBucket)
#include "TestTokenBucket.moc"
