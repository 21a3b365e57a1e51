#include "sync/RetentionCheck.h"

#include "sync/ConnectorManifest.h"
#include "sync/ConnectorRegistry.h"

#include <QTest>

using namespace tributary;

namespace {

const QDateTime kNow(QDate(2026, 6, 30), QTime(12, 0), Qt::UTC);

ConnectorManifest feedManifest()
{
    ConnectorManifest m;
    m.slug = QStringLiteral("stripe");
    m.name = QStringLiteral("Stripe");
    m.eventFeed.path = QStringLiteral("/v1/events");
    m.eventFeed.windowDays = 30;
    ConnectorManifest::Collection customers;
    customers.name = QStringLiteral("customers");
    customers.path = QStringLiteral("/v1/customers");
    customers.incremental = QStringLiteral("event_feed");
    ConnectorManifest::Collection charges = customers;
    charges.name = QStringLiteral("charges");
    charges.path = QStringLiteral("/v1/charges");
    ConnectorManifest::Collection events;
    events.name = QStringLiteral("events");
    events.path = QStringLiteral("/v1/events"); // the feed itself: events older than the window are gone
    events.incremental = QStringLiteral("time_filter");
    ConnectorManifest::Collection balance;
    balance.name = QStringLiteral("balance_transactions");
    balance.path = QStringLiteral("/v1/balance_transactions");
    balance.incremental = QStringLiteral("time_filter");
    m.collections = {customers, charges, events, balance};
    return m;
}

RunSummary run(double daysAgo, const QMap<QString, CollectionSummary::Status> &collections)
{
    RunSummary r;
    r.startedAt = kNow.addSecs(qint64(-daysAgo * 86400));
    r.finishedAt = r.startedAt.addSecs(60);
    r.status = RunSummary::Status::Succeeded;
    for (auto it = collections.cbegin(); it != collections.cend(); ++it) {
        CollectionSummary c;
        c.name = it.key();
        c.status = it.value();
        if (c.status != CollectionSummary::Status::Succeeded)
            r.status = RunSummary::Status::Partial;
        r.collections.append(c);
    }
    return r;
}

constexpr auto Ok = CollectionSummary::Status::Succeeded;
constexpr auto Failed = CollectionSummary::Status::Failed;

} // namespace

class TestRetentionCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rule_data()
    {
        QTest::addColumn<double>("daysAgo"); // negative: never synced
        QTest::addColumn<bool>("warns");
        QTest::addColumn<bool>("lapsed");
        QTest::addColumn<int>("daysLeft");
        QTest::newRow("never") << -1.0 << false << false << 0;
        QTest::newRow("yesterday") << 1.0 << false << false << 0;
        QTest::newRow("25 days: not yet") << 25.0 << false << false << 0;
        QTest::newRow("25.5 days") << 25.5 << true << false << 5;
        QTest::newRow("26 days") << 26.0 << true << false << 4;
        QTest::newRow("29.5 days") << 29.5 << true << false << 1;
        QTest::newRow("30 days: lapsed") << 30.0 << true << true << 0;
        QTest::newRow("45 days") << 45.0 << true << true << 0;
    }

    void rule()
    {
        QFETCH(double, daysAgo);
        QFETCH(bool, warns);
        QFETCH(bool, lapsed);
        QFETCH(int, daysLeft);
        const QDateTime last = daysAgo < 0 ? QDateTime() : kNow.addSecs(qint64(-daysAgo * 86400));
        const auto w = RetentionCheck::check(QStringLiteral("Stripe"), 30, last, kNow);
        QCOMPARE(w.has_value(), warns);
        if (!w)
            return;
        QCOMPARE(w->lapsed, lapsed);
        QCOMPARE(w->daysLeft, daysLeft);
        QCOMPARE(w->windowDays, 30);
        QVERIFY(w->message.contains(QStringLiteral("30-day")) || w->message.contains(QStringLiteral("30 days")));
        QVERIFY(w->message.contains(QStringLiteral("Stripe")));
    }

    void noWindowNoWarning() { QVERIFY(!RetentionCheck::check(QStringLiteral("X"), 0, kNow.addDays(-400), kNow)); }

    void theOldestFeedCollectionCounts()
    {
        const ConnectorManifest m = feedManifest();
        // customers last succeeded 27 days ago; charges succeeded yesterday; a later run failed customers.
        const QList<RunSummary> history {
                run(27, {{QStringLiteral("customers"), Ok}, {QStringLiteral("charges"), Ok}}),
                run(1, {{QStringLiteral("customers"), Failed}, {QStringLiteral("charges"), Ok}})};
        const auto w = RetentionCheck::check(m, {}, history, kNow);
        QVERIFY(w);
        QCOMPARE(w->daysSince, 27);
        QCOMPARE(w->daysLeft, 3);
        QVERIFY2(w->message.contains(QStringLiteral("within 3 days")), qPrintable(w->message));
        // Syncing only charges: fine.
        QVERIFY(!RetentionCheck::check(m, {QStringLiteral("charges")}, history, kNow));
    }

    void theFeedItselfCounts()
    {
        const ConnectorManifest m = feedManifest();
        const QList<RunSummary> history {run(28, {{QStringLiteral("events"), Ok}})};
        QVERIFY(RetentionCheck::check(m, {QStringLiteral("events")}, history, kNow));
    }

    void collectionsWithoutAWindowNeverWarn()
    {
        const ConnectorManifest m = feedManifest();
        const QList<RunSummary> history {run(90, {{QStringLiteral("balance_transactions"), Ok}})};
        QVERIFY(!RetentionCheck::check(m, {QStringLiteral("balance_transactions")}, history, kNow));
    }

    void neverSyncedNeverWarns()
    {
        const ConnectorManifest m = feedManifest();
        QVERIFY(!RetentionCheck::check(m, {}, {}, kNow));
        const QList<RunSummary> failedOnly {run(40, {{QStringLiteral("customers"), Failed}})};
        QVERIFY(!RetentionCheck::check(m, {}, failedOnly, kNow));
    }

    void stripesManifestSaysThirtyDays()
    {
        const ConnectorManifest *stripe = ConnectorRegistry::instance().find(QStringLiteral("stripe"));
        QVERIFY(stripe);
        QCOMPARE(stripe->eventFeed.windowDays, 30);
        const QList<RunSummary> history {run(26, {{QStringLiteral("customers"), Ok}})};
        const auto w = RetentionCheck::check(*stripe, {QStringLiteral("customers")}, history, kNow);
        QVERIFY(w);
        QCOMPARE(w->daysLeft, 4);
    }
};

QTEST_GUILESS_MAIN(TestRetentionCheck)
#include "TestRetentionCheck.moc"
