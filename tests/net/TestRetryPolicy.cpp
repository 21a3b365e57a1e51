#include "net/RetryPolicy.h"

#include <QSet>
#include <QTest>

#include <optional>

using tributary::RetryPolicy;

class TestRetryPolicy final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseRetryAfter_data();
    void parseRetryAfter();
    void parseRetryAfterIgnoresLocale();
    void backoffBounds_data();
    void backoffBounds();
    void backoffVaries();
    void backoffDegenerate();
    void retryableStatuses_data();
    void retryableStatuses();
};

namespace {

// Wed, 21 Oct 2015 07:28:00 GMT
const QDateTime Now(QDate(2015, 10, 21), QTime(7, 28, 0), Qt::UTC);

} // namespace

void TestRetryPolicy::parseRetryAfter_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("ms");

    QTest::newRow("seconds") << QByteArray("120") << true << qint64(120000);
    QTest::newRow("zero") << QByteArray("0") << true << qint64(0);
    QTest::newRow("one") << QByteArray("1") << true << qint64(1000);
    QTest::newRow("spaces") << QByteArray(" 3 ") << true << qint64(3000);
    QTest::newRow("tab and newline") << QByteArray("\t93\r\n") << true << qint64(93000);
    QTest::newRow("leading zeros") << QByteArray("007") << true << qint64(7000);
    QTest::newRow("huge seconds are capped, not garbage")
            << QByteArray("99999999999999999999999") << true << qint64(1'000'000'000) * 1000;

    QTest::newRow("IMF-fixdate in the future") << QByteArray("Wed, 21 Oct 2015 07:28:30 GMT") << true << qint64(30000);
    QTest::newRow("IMF-fixdate tomorrow") << QByteArray("Thu, 22 Oct 2015 07:28:00 GMT") << true << qint64(86400000);
    QTest::newRow("IMF-fixdate now") << QByteArray("Wed, 21 Oct 2015 07:28:00 GMT") << true << qint64(0);
    QTest::newRow("IMF-fixdate in the past") << QByteArray("Wed, 21 Oct 2015 07:27:00 GMT") << true << qint64(0);
    QTest::newRow("IMF-fixdate long ago") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << true << qint64(0);
    QTest::newRow("IMF-fixdate with spaces") << QByteArray("  Wed, 21 Oct 2015 07:29:00 GMT ") << true << qint64(60000);
    QTest::newRow("IMF-fixdate across a month") << QByteArray("Sun, 01 Nov 2015 00:00:00 GMT") << true
                                                << qint64((10 * 86400 + 16 * 3600 + 32 * 60) * 1000LL);
    QTest::newRow("RFC 850") << QByteArray("Wednesday, 21-Oct-15 07:28:10 GMT") << true << qint64(10000);
    QTest::newRow("RFC 850 in the past") << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << true << qint64(0);
    QTest::newRow("asctime") << QByteArray("Wed Oct 21 07:28:05 2015") << true << qint64(5000);
    QTest::newRow("asctime padded day") << QByteArray("Sun Nov  1 00:00:00 2015") << true
                                        << qint64((10 * 86400 + 16 * 3600 + 32 * 60) * 1000LL);

    QTest::newRow("empty") << QByteArray() << false << qint64(0);
    QTest::newRow("blank") << QByteArray("   ") << false << qint64(0);
    QTest::newRow("negative") << QByteArray("-5") << false << qint64(0);
    QTest::newRow("plus sign") << QByteArray("+5") << false << qint64(0);
    QTest::newRow("fraction") << QByteArray("1.5") << false << qint64(0);
    QTest::newRow("unit") << QByteArray("5s") << false << qint64(0);
    QTest::newRow("garbage") << QByteArray("soon") << false << qint64(0);
    QTest::newRow("date without zone") << QByteArray("Wed, 21 Oct 2015 07:28:30") << false << qint64(0);
    QTest::newRow("date with other zone") << QByteArray("Wed, 21 Oct 2015 07:28:30 PST") << false << qint64(0);
    QTest::newRow("bad month") << QByteArray("Wed, 21 Foo 2015 07:28:30 GMT") << false << qint64(0);
    QTest::newRow("bad day") << QByteArray("Wed, 32 Oct 2015 07:28:30 GMT") << false << qint64(0);
    QTest::newRow("bad time") << QByteArray("Wed, 21 Oct 2015 25:28:30 GMT") << false << qint64(0);
    QTest::newRow("ISO date") << QByteArray("2015-10-21T07:28:30Z") << false << qint64(0);
}

void TestRetryPolicy::parseRetryAfter()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    QFETCH(qint64, ms);

    const std::optional<qint64> parsed = RetryPolicy::parseRetryAfterMs(value, Now);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, ms);
}

void TestRetryPolicy::parseRetryAfterIgnoresLocale()
{
    const QLocale saved;
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    const std::optional<qint64> parsed = RetryPolicy::parseRetryAfterMs("Wed, 21 Oct 2015 07:28:30 GMT", Now);
    QLocale::setDefault(saved);
    QVERIFY(parsed.has_value());
    QCOMPARE(*parsed, qint64(30000));
}

void TestRetryPolicy::backoffBounds_data()
{
    QTest::addColumn<int>("attempt");
    QTest::addColumn<qint64>("ceiling"); // d = min(max, base * 2^(attempt-1))

    QTest::newRow("1") << 1 << qint64(500);
    QTest::newRow("2") << 2 << qint64(1000);
    QTest::newRow("3") << 3 << qint64(2000);
    QTest::newRow("4") << 4 << qint64(4000);
    QTest::newRow("6") << 6 << qint64(16000);
    QTest::newRow("7 reaches the cap") << 7 << qint64(30000);
    QTest::newRow("10 stays at the cap") << 10 << qint64(30000);
    QTest::newRow("1000 does not overflow") << 1000 << qint64(30000);
    QTest::newRow("0 counts as the first") << 0 << qint64(500);
}

void TestRetryPolicy::backoffBounds()
{
    QFETCH(int, attempt);
    QFETCH(qint64, ceiling);

    const RetryPolicy policy; // 500 ms base, 30 s cap
    qint64 lowest = ceiling;
    qint64 highest = 0;
    for (int i = 0; i < 2000; ++i) {
        const qint64 delay = policy.backoffMs(attempt);
        QVERIFY2(delay >= ceiling / 2 && delay <= ceiling, qPrintable(QString::number(delay)));
        lowest = std::min(lowest, delay);
        highest = std::max(highest, delay);
    }
    // The jitter covers the range (2000 draws: these fail with negligible probability).
    QVERIFY(lowest < ceiling / 2 + ceiling / 10);
    QVERIFY(highest > ceiling - ceiling / 10);
}

void TestRetryPolicy::backoffVaries()
{
    RetryPolicy policy;
    policy.baseDelayMs = 20;
    policy.maxDelayMs = 100;
    QSet<qint64> seen;
    for (int i = 0; i < 200; ++i) {
        const qint64 delay = policy.backoffMs(1);
        QVERIFY(delay >= 10 && delay <= 20);
        seen.insert(delay);
    }
    QVERIFY(seen.size() > 3);
    for (int i = 0; i < 200; ++i) {
        const qint64 delay = policy.backoffMs(5); // 320 capped to 100
        QVERIFY(delay >= 50 && delay <= 100);
    }
}

void TestRetryPolicy::backoffDegenerate()
{
    RetryPolicy policy;
    policy.baseDelayMs = 0;
    QCOMPARE(policy.backoffMs(3), qint64(0));
    policy.baseDelayMs = 1;
    policy.maxDelayMs = 1;
    for (int i = 0; i < 20; ++i) {
        const qint64 delay = policy.backoffMs(4);
        QVERIFY(delay == 0 || delay == 1);
    }
    policy.baseDelayMs = 500;
    policy.maxDelayMs = 0;
    QCOMPARE(policy.backoffMs(2), qint64(0));
}

void TestRetryPolicy::retryableStatuses_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("retry");
    QTest::newRow("200") << 200 << false;
    QTest::newRow("400") << 400 << false;
    QTest::newRow("401") << 401 << false;
    QTest::newRow("403") << 403 << false;
    QTest::newRow("404") << 404 << false;
    QTest::newRow("409") << 409 << false;
    QTest::newRow("429") << 429 << true;
    QTest::newRow("500") << 500 << true;
    QTest::newRow("503") << 503 << true;
    QTest::newRow("599") << 599 << true;
}

void TestRetryPolicy::retryableStatuses()
{
    QFETCH(int, status);
    QFETCH(bool, retry);
    QCOMPARE(RetryPolicy().shouldRetryStatus(status), retry);
}

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "TestRetryPolicy.moc"
