// End to end through the real CLI binary against the strict fake Stripe on loopback, with the
// real SQLite warehouse.
#include "e2e/CliProcess.h"
#include "e2e/WarehouseReader.h"
#include "fakes/FakeStripeServer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <csignal>

using namespace tributary::test;

namespace {

const QString kKey = QStringLiteral("sk_test_e2eKey123");

QStringList upstreamIds(const FakeStripeServer &fake, const QString &resource)
{
    QStringList ids;
    const qint64 horizon = fake.now() - 30 * 86400;
    for (const QJsonObject &o : fake.objects(resource)) {
        if (resource == QLatin1String("events") && o.value(QStringLiteral("created")).toInteger() < horizon)
            continue;
        ids.append(o.value(QStringLiteral("id")).toString());
    }
    ids.sort();
    return ids;
}

int pagesFor(int count)
{
    return count == 0 ? 1 : (count + 99) / 100;
}

} // namespace

class TestStripeSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void fullThenIncrementalSync();
    void badKeyAbortsAtOnce();
    void restrictedKeyFailsOnlyThatCollection();
    void rateLimitAndServerErrorsStillGetEverything();
    void hangingCollectionStallsAndOthersSucceed();
    void malformedPageFailsTheCollectionAndKeepsCommittedPages();
    void killedProcessResumesWithoutGapOrDuplicate();
    void overlappingRunIsRefused();
    void lapsedEventWindowFallsBackToFullRead();
    void upstreamClockBehindOursMissesNothing();
    void usageErrors();

private:
    void addSource(const QString &key = kKey, const QString &collections = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeStripeServer> m_fake;
    std::unique_ptr<CliProcess> m_cli;
};

void TestStripeSync::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_fake = std::make_unique<FakeStripeServer>();
    QVERIFY(m_fake->listen());
    m_fake->addKey(kKey);
    m_cli = std::make_unique<CliProcess>(m_dir->path());
    m_cli->setEnv(QStringLiteral("STRIPE_KEY"), kKey);
}

void TestStripeSync::cleanup()
{
    m_cli.reset();
    m_fake.reset();
    m_dir.reset();
}

void TestStripeSync::addSource(const QString &key, const QString &collections)
{
    m_cli->setEnv(QStringLiteral("STRIPE_KEY"), key);
    QStringList args {QStringLiteral("source"),     QStringLiteral("add"),   QStringLiteral("stripe"),
                      QStringLiteral("--name"),     QStringLiteral("shop"),  QStringLiteral("--base-url"),
                      m_fake->baseUrl().toString(), QStringLiteral("--set"), QStringLiteral("api_key=env:STRIPE_KEY")};
    if (!collections.isEmpty())
        args << QStringLiteral("--collections") << collections;
    const auto added = m_cli->run(args);
    QVERIFY2(added.exitCode == 0, added.err.constData());
}

void TestStripeSync::fullThenIncrementalSync()
{
    m_fake->populate(150, 7);
    addSource();
    m_fake->clearRequests();

    const auto first = m_cli->run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--json")});
    QVERIFY2(first.exitCode == 0, first.err.constData());
    const QJsonObject summary = first.json();
    QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(summary.value(QStringLiteral("collections")).toArray().size(), 13);
    QCOMPARE(summary.value(QStringLiteral("api_calls")).toInt(), m_fake->requestCount());

    WarehouseReader wh(m_cli->warehousePath());
    int expectedCalls = 0;
    for (const QString &resource : FakeStripeServer::resources()) {
        const QStringList upstream = upstreamIds(*m_fake, resource);
        QCOMPARE(wh.ids(QStringLiteral("stripe_") + resource), upstream);
        const QJsonObject c = collectionOf(summary, resource);
        QCOMPARE(c.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(c.value(QStringLiteral("table")).toString(), QStringLiteral("stripe_") + resource);
        QCOMPARE(c.value(QStringLiteral("records")).toInt(), upstream.size());
        QCOMPARE(c.value(QStringLiteral("inserted")).toInt(), upstream.size());
        QCOMPARE(c.value(QStringLiteral("api_calls")).toInt(), pagesFor(int(upstream.size())));
        expectedCalls += pagesFor(int(upstream.size()));
    }
    QCOMPARE(summary.value(QStringLiteral("api_calls")).toInt(), expectedCalls);
    // Every list request asked for the largest page.
    for (const auto &request : m_fake->requests())
        QCOMPARE(request.query().queryItemValue(QStringLiteral("limit")), QStringLiteral("100"));
    // Typed columns: integer money, nested objects flattened, received_at, is_deleted.
    QCOMPARE(wh.value(QStringLiteral("SELECT typeof(amount) FROM stripe_charges LIMIT 1")).toString(),
             QStringLiteral("integer"));
    QVERIFY(wh.value(QStringLiteral("SELECT COUNT(*) FROM stripe_customers WHERE received_at IS NULL")).toInt() == 0);
    QCOMPARE(wh.value(QStringLiteral("SELECT COUNT(*) FROM stripe_customers WHERE is_deleted = 1")).toInt(), 0);
    // Subscriptions in every status, canceled included.
    QVERIFY(wh.value(QStringLiteral("SELECT COUNT(*) FROM stripe_subscriptions WHERE status = 'canceled'")).toInt()
            > 0);

    // Changes upstream: one new customer, one updated, one deleted; a subscription canceled.
    const QJsonObject created = m_fake->createObject(QStringLiteral("customers"),
                                                     {{QStringLiteral("email"), QStringLiteral("new@example.com")}});
    const QString updatedId = m_fake->objects(QStringLiteral("customers")).at(5).value(QStringLiteral("id")).toString();
    QVERIFY(m_fake->updateObject(QStringLiteral("customers"), updatedId,
                                 {{QStringLiteral("email"), QStringLiteral("changed@example.com")}}));
    const QString deletedId = m_fake->objects(QStringLiteral("customers")).at(9).value(QStringLiteral("id")).toString();
    QVERIFY(m_fake->deleteObject(QStringLiteral("customers"), deletedId));
    QString subscriptionId;
    for (const auto &s : m_fake->objects(QStringLiteral("subscriptions"))) {
        if (s.value(QStringLiteral("status")).toString() == QLatin1String("active")) {
            subscriptionId = s.value(QStringLiteral("id")).toString();
            break;
        }
    }
    QVERIFY(!subscriptionId.isEmpty());
    QVERIFY(m_fake->deleteObject(QStringLiteral("subscriptions"), subscriptionId));
    m_fake->advance(5);
    m_fake->clearRequests();

    const auto second = m_cli->run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--json")});
    QVERIFY2(second.exitCode == 0, second.err.constData());
    const QJsonObject incremental = second.json();
    // One call per collection: changes come from the Events API, not the list endpoints.
    QCOMPARE(incremental.value(QStringLiteral("api_calls")).toInt(), 13);
    QCOMPARE(m_fake->requestCount(), 13);
    QCOMPARE(m_fake->requestCount(QStringLiteral("/v1/customers")), 0);
    const QString createdId = created.value(QStringLiteral("id")).toString();
    QCOMPARE(wh.value(QStringLiteral("SELECT email FROM stripe_customers WHERE id = '%1'").arg(createdId)).toString(),
             QStringLiteral("new@example.com"));
    QCOMPARE(wh.value(QStringLiteral("SELECT email FROM stripe_customers WHERE id = '%1'").arg(updatedId)).toString(),
             QStringLiteral("changed@example.com"));
    QCOMPARE(wh.value(QStringLiteral("SELECT is_deleted FROM stripe_customers WHERE id = '%1'").arg(deletedId)).toInt(),
             1);
    QCOMPARE(wh.value(QStringLiteral("SELECT is_deleted FROM stripe_subscriptions WHERE id = '%1'").arg(subscriptionId))
                     .toInt(),
             0);
    QCOMPARE(wh.value(QStringLiteral("SELECT status FROM stripe_subscriptions WHERE id = '%1'").arg(subscriptionId))
                     .toString(),
             QStringLiteral("canceled"));
    const QJsonObject customers = collectionOf(incremental, QStringLiteral("customers"));
    QCOMPARE(customers.value(QStringLiteral("inserted")).toInt(), 1);
    QCOMPARE(customers.value(QStringLiteral("updated")).toInt(), 2);
    // The new events landed in the events table too, without duplicates.
    QCOMPARE(wh.ids(QStringLiteral("stripe_events")), upstreamIds(*m_fake, QStringLiteral("events")));

    // Nothing new: still one call per collection, nothing written.
    m_fake->advance(5);
    m_fake->clearRequests();
    const auto third = m_cli->run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--json")});
    QCOMPARE(third.exitCode, 0);
    QCOMPARE(third.json().value(QStringLiteral("api_calls")).toInt(), 13);
    QCOMPARE(third.json().value(QStringLiteral("records")).toInt(), 0);

    const auto history = m_cli->run({QStringLiteral("history"), QStringLiteral("shop"), QStringLiteral("--json")});
    QCOMPARE(history.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(history.out).array().size(), 3);
}

void TestStripeSync::badKeyAbortsAtOnce()
{
    m_fake->populate(20, 1);
    addSource(QStringLiteral("sk_test_wrongKey999"));
    m_fake->clearRequests();
    const auto run = m_cli->run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 4);
    QCOMPARE(m_fake->requestCount(), 1);
    const QJsonObject summary = run.json();
    QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("aborted"));
    QCOMPARE(summary.value(QStringLiteral("error")).toObject().value(QStringLiteral("kind")).toString(),
             QStringLiteral("auth"));
    QVERIFY(!summary.value(QStringLiteral("error")).toObject().value(QStringLiteral("hint")).toString().isEmpty());
    const QJsonArray collections = summary.value(QStringLiteral("collections")).toArray();
    QCOMPARE(collections.at(0).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    for (qsizetype i = 1; i < collections.size(); ++i)
        QCOMPARE(collections.at(i).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("skipped"));
}

void TestStripeSync::restrictedKeyFailsOnlyThatCollection()
{
    m_fake->populate(30, 2);
    const QString restricted = QStringLiteral("rk_test_limited42");
    QStringList allowed = FakeStripeServer::resources();
    allowed.removeAll(QStringLiteral("charges"));
    m_fake->addRestrictedKey(restricted, allowed);
    addSource(restricted);
    const auto run = m_cli->run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 3);
    const QJsonObject summary = run.json();
    QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("partial"));
    const QJsonObject charges = collectionOf(summary, QStringLiteral("charges"));
    QCOMPARE(charges.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    const QJsonObject error = charges.value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("kind")).toString(), QStringLiteral("permission"));
    QVERIFY2(error.value(QStringLiteral("hint")).toString().contains(QStringLiteral("rak_charge_read")),
             qPrintable(error.value(QStringLiteral("hint")).toString()));
    for (const QString &resource : allowed)
        QCOMPARE(collectionOf(summary, resource).value(QStringLiteral("status")).toString(),
                 QStringLiteral("succeeded"));
}

void TestStripeSync::rateLimitAndServerErrorsStillGetEverything()
{
    m_fake->populate(120, 3);
    m_fake->setRateLimit(8);
    m_fake->setRetryAfter(1);
    m_fake->failRandomly(0.15, 11);
    addSource(kKey, QStringLiteral("customers,charges,invoices,events"));
    m_fake->clearRequests();
    const auto run = m_cli->run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, run.out.constData());
    WarehouseReader wh(m_cli->warehousePath());
    for (const QString &resource :
         {QStringLiteral("customers"), QStringLiteral("charges"), QStringLiteral("invoices"), QStringLiteral("events")})
        QCOMPARE(wh.ids(QStringLiteral("stripe_") + resource), upstreamIds(*m_fake, resource));
    // Retries are counted as calls.
    QCOMPARE(run.json().value(QStringLiteral("api_calls")).toInt(), m_fake->requestCount());
}

void TestStripeSync::hangingCollectionStallsAndOthersSucceed()
{
    m_fake->populate(10, 4);
    m_fake->setHanging(QStringLiteral("charges"));
    addSource(kKey, QStringLiteral("customers,charges,products"));
    const auto run = m_cli->run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--stall-timeout"),
                                 QStringLiteral("2"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 3);
    const QJsonObject summary = run.json();
    const QJsonObject charges = collectionOf(summary, QStringLiteral("charges"));
    QCOMPARE(charges.value(QStringLiteral("status")).toString(), QStringLiteral("stalled"));
    QCOMPARE(charges.value(QStringLiteral("error")).toObject().value(QStringLiteral("kind")).toString(),
             QStringLiteral("stalled"));
    QVERIFY(charges.value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("2 s")));
    QCOMPARE(collectionOf(summary, QStringLiteral("customers")).value(QStringLiteral("status")).toString(),
             QStringLiteral("succeeded"));
    QCOMPARE(collectionOf(summary, QStringLiteral("products")).value(QStringLiteral("status")).toString(),
             QStringLiteral("succeeded"));
}

void TestStripeSync::malformedPageFailsTheCollectionAndKeepsCommittedPages()
{
    m_fake->populate(250, 5);
    addSource(kKey, QStringLiteral("customers"));
    // The first page arrives, the second is cut short.
    int served = 0;
    connect(m_fake.get(), &FakeStripeServer::requestServed, this, [&](const QByteArray &, const QString &path, int) {
        if (path == QLatin1String("/v1/customers") && ++served == 1)
            m_fake->setMalformedNext(QStringLiteral("customers"));
    });
    const auto run = m_cli->run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 3);
    const QJsonObject customers = collectionOf(run.json(), QStringLiteral("customers"));
    QCOMPARE(customers.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    QCOMPARE(customers.value(QStringLiteral("error")).toObject().value(QStringLiteral("kind")).toString(),
             QStringLiteral("parse"));
    QCOMPARE(customers.value(QStringLiteral("records")).toInt(), 100);
    {
        WarehouseReader wh(m_cli->warehousePath());
        QCOMPARE(wh.ids(QStringLiteral("stripe_customers")).size(), 100);
    }
    disconnect(m_fake.get(), &FakeStripeServer::requestServed, this, nullptr);
    const auto again = m_cli->run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--json")});
    QCOMPARE(again.exitCode, 0);
    WarehouseReader wh(m_cli->warehousePath());
    QCOMPARE(wh.ids(QStringLiteral("stripe_customers")), upstreamIds(*m_fake, QStringLiteral("customers")));
    // The second run resumed after the committed page: 2 more pages, not 3.
    QCOMPARE(collectionOf(again.json(), QStringLiteral("customers")).value(QStringLiteral("api_calls")).toInt(), 2);
}

void TestStripeSync::killedProcessResumesWithoutGapOrDuplicate()
{
    m_fake->populate(QHash<QString, int> {{QStringLiteral("customers"), 1200}}, 6);
    m_fake->setSlow(QStringLiteral("customers"), 150);
    addSource(kKey, QStringLiteral("customers"));
    std::unique_ptr<QProcess> process(m_cli->start({QStringLiteral("sync"), QStringLiteral("shop")}));
    QVERIFY(process->waitForStarted());
    // Let a few pages commit (a slow upstream's pages are written within 250 ms of coming),
    // then kill it hard.
    QTRY_VERIFY_WITH_TIMEOUT(m_fake->requestCount(QStringLiteral("/v1/customers")) >= 6, 30000);
    ::kill(pid_t(process->processId()), SIGKILL);
    QVERIFY(process->waitForFinished());
    QCOMPARE(process->exitStatus(), QProcess::CrashExit);
    int committed = 0;
    {
        WarehouseReader wh(m_cli->warehousePath());
        committed = int(wh.ids(QStringLiteral("stripe_customers")).size());
    }
    QVERIFY2(committed >= 200 && committed < 1200, qPrintable(QString::number(committed)));
    QCOMPARE(committed % 100, 0); // whole pages only

    m_fake->setSlow(QStringLiteral("customers"), 0);
    m_fake->clearRequests();
    const auto again = m_cli->run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--json")});
    QVERIFY2(again.exitCode == 0, again.err.constData());
    WarehouseReader wh(m_cli->warehousePath());
    QCOMPARE(wh.ids(QStringLiteral("stripe_customers")), upstreamIds(*m_fake, QStringLiteral("customers")));
    QCOMPARE(wh.value(QStringLiteral("SELECT COUNT(*) FROM stripe_customers")).toInt(), 1200);
    // It resumed from the last committed page: (1200 - committed) / 100 more pages.
    QCOMPARE(m_fake->requestCount(QStringLiteral("/v1/customers")), (1200 - committed) / 100);
}

void TestStripeSync::overlappingRunIsRefused()
{
    m_fake->populate(QHash<QString, int> {{QStringLiteral("customers"), 400}}, 8);
    m_fake->setSlow(QStringLiteral("customers"), 300);
    addSource(kKey, QStringLiteral("customers"));
    std::unique_ptr<QProcess> first(m_cli->start({QStringLiteral("sync"), QStringLiteral("shop")}));
    QTRY_VERIFY_WITH_TIMEOUT(m_fake->requestCount(QStringLiteral("/v1/customers")) >= 1, 30000);
    const auto second = m_cli->run({QStringLiteral("sync"), QStringLiteral("shop")});
    QCOMPARE(second.exitCode, 6);
    QVERIFY(second.err.contains("already syncing"));
    m_fake->setSlow(QStringLiteral("customers"), 0);
    QTRY_VERIFY_WITH_TIMEOUT(first->state() == QProcess::NotRunning, 60000);
    QCOMPARE(first->exitCode(), 0);
}

void TestStripeSync::lapsedEventWindowFallsBackToFullRead()
{
    m_fake->populate(QHash<QString, int> {{QStringLiteral("customers"), 50}}, 9);
    addSource(kKey, QStringLiteral("customers"));
    QCOMPARE(m_cli->run({QStringLiteral("sync"), QStringLiteral("shop")}).exitCode, 0);
    {
        // The last sync was 31 days ago.
        WarehouseReader wh(m_cli->warehousePath());
        const qint64 old = QDateTime::currentSecsSinceEpoch() - 31 * 86400;
        QVERIFY(wh.exec(QStringLiteral("UPDATE _tributary_state SET state = '{\"mode\":\"events\",\"since\":%1}' WHERE "
                                       "collection = 'customers'")
                                .arg(old)));
    }
    m_fake->clearRequests();
    const auto run = m_cli->run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject customers = collectionOf(run.json(), QStringLiteral("customers"));
    QVERIFY(customers.value(QStringLiteral("notice")).toString().contains(QStringLiteral("30-day")));
    QCOMPARE(m_fake->requestCount(QStringLiteral("/v1/customers")), 1);
    QCOMPARE(m_fake->requestCount(QStringLiteral("/v1/events")), 0);
    QCOMPARE(customers.value(QStringLiteral("updated")).toInt(), 50);
}

void TestStripeSync::upstreamClockBehindOursMissesNothing()
{
    // Stripe's clock two hours behind the laptop's: cursors follow Stripe's clock (Date header and
    // event times), so a change made after the first sync is not lost in the gap.
    m_fake->setNow(QDateTime::currentSecsSinceEpoch() - 7200);
    m_fake->populate(QHash<QString, int> {{QStringLiteral("customers"), 20}}, 12);
    addSource(kKey, QStringLiteral("customers,events"));
    QCOMPARE(m_cli->run({QStringLiteral("sync"), QStringLiteral("shop")}).exitCode, 0);
    m_fake->advance(30);
    const QJsonObject created = m_fake->createObject(QStringLiteral("customers"));
    m_fake->advance(30);
    const auto run = m_cli->run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(collectionOf(run.json(), QStringLiteral("customers")).value(QStringLiteral("inserted")).toInt(), 1);
    WarehouseReader wh(m_cli->warehousePath());
    QCOMPARE(wh.ids(QStringLiteral("stripe_customers")), upstreamIds(*m_fake, QStringLiteral("customers")));
    QVERIFY(wh.ids(QStringLiteral("stripe_customers")).contains(created.value(QStringLiteral("id")).toString()));
    QCOMPARE(wh.ids(QStringLiteral("stripe_events")), upstreamIds(*m_fake, QStringLiteral("events")));
}

void TestStripeSync::usageErrors()
{
    addSource(kKey, QStringLiteral("customers"));
    QCOMPARE(m_cli->run({QStringLiteral("sync")}).exitCode, 2);
    QCOMPARE(m_cli->run({QStringLiteral("sync"), QStringLiteral("nope")}).exitCode, 2);
    QCOMPARE(m_cli->run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--collections"),
                         QStringLiteral("nothing")})
                     .exitCode,
             2);
    QCOMPARE(m_cli->run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--stall-timeout"),
                         QStringLiteral("x")})
                     .exitCode,
             2);
    QCOMPARE(m_cli->run({QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("nosuch"),
                         QStringLiteral("--name"), QStringLiteral("x")})
                     .exitCode,
             2);
    // A literal secret goes to the OS keychain (scripts/test.sh runs one), never to a file; with no
    // keychain it is refused with a plain message.
    const auto literal
            = m_cli->run({QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("stripe"),
                          QStringLiteral("--name"), QStringLiteral("other"), QStringLiteral("--schema"),
                          QStringLiteral("other"), QStringLiteral("--set"), QStringLiteral("api_key=") + kKey});
    QVERIFY2(literal.exitCode == 0 || (literal.exitCode == 2 && literal.err.contains("keychain")),
             literal.err.constData());
    QFile config(m_cli->home() + QStringLiteral("/config.json"));
    QVERIFY(config.open(QIODevice::ReadOnly));
    QVERIFY(!config.readAll().contains(kKey.toUtf8()));
    // An env reference that is not set.
    m_cli->setEnv(QStringLiteral("STRIPE_KEY"), QString());
    CliProcess bare(m_cli->home());
    const auto unset = bare.run({QStringLiteral("sync"), QStringLiteral("shop")});
    QCOMPARE(unset.exitCode, 2);
    QVERIFY(unset.err.contains("STRIPE_KEY"));
}

QTEST_GUILESS_MAIN(TestStripeSync)
#include "TestStripeSync.moc"
