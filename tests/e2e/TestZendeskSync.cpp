// End to end through the real CLI binary against the strict fake Zendesk on loopback, with the
// real SQLite warehouse.
#include "e2e/CliProcess.h"
#include "e2e/WarehouseReader.h"
#include "fakes/FakeZendeskServer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace tributary::test;

namespace {

const QString kEmail = QStringLiteral("admin@example.com");
const QString kToken = QStringLiteral("adminToken123");
const QString kAgentEmail = QStringLiteral("agent@example.com");
const QString kAgentToken = QStringLiteral("agentToken456");
// Tests shorten the incremental exports' minute (the CLI's pacer and the fake alike).
constexpr int kWindowMs = 1500;

QStringList upstreamIds(const FakeZendeskServer &fake, const QString &resource)
{
    QList<qint64> numbers;
    for (const QJsonObject &o : fake.objects(resource))
        numbers.append(o.value(QStringLiteral("id")).toInteger());
    std::sort(numbers.begin(), numbers.end());
    QStringList ids;
    for (qint64 n : std::as_const(numbers))
        ids.append(QString::number(n));
    return ids;
}

QStringList sortedNumerically(QStringList ids)
{
    std::sort(ids.begin(), ids.end(),
              [](const QString &a, const QString &b) { return a.toLongLong() < b.toLongLong(); });
    return ids;
}

int listPages(int count)
{
    return count == 0 ? 1 : (count + 99) / 100;
}

} // namespace

class TestZendeskSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void fullThenIncrementalSync();
    void badCredentialsAbortAtOnce();
    void agentTokenFailsOnlyAdminCollections();
    void oauthTokenWithoutReadScopeNamesTheScope();
    void exportsArePacedUnderTheLimit();
    void retryAfterIsHonoured();

private:
    void addSource(const QString &email, const QString &token, const QString &collections = {},
                   const QStringList &extra = {});
    CliProcess::Outcome sync(const QStringList &extra = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeZendeskServer> m_fake;
    std::unique_ptr<CliProcess> m_cli;
};

void TestZendeskSync::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_fake = std::make_unique<FakeZendeskServer>();
    QVERIFY(m_fake->listen());
    m_fake->addUser(kEmail, kToken, QStringLiteral("admin"));
    m_fake->addUser(kAgentEmail, kAgentToken, QStringLiteral("agent"));
    m_fake->setIncrementalLimit(10, kWindowMs);
    m_cli = std::make_unique<CliProcess>(m_dir->path());
    m_cli->setEnv(QStringLiteral("TRIBUTARY_RATE_WINDOW_MS"), QString::number(kWindowMs));
}

void TestZendeskSync::cleanup()
{
    m_cli.reset();
    m_fake.reset();
    m_dir.reset();
}

void TestZendeskSync::addSource(const QString &email, const QString &token, const QString &collections,
                                const QStringList &extra)
{
    m_cli->setEnv(QStringLiteral("ZENDESK_TOKEN"), token);
    QStringList args {QStringLiteral("source"),
                      QStringLiteral("add"),
                      QStringLiteral("zendesk"),
                      QStringLiteral("--name"),
                      QStringLiteral("desk"),
                      QStringLiteral("--base-url"),
                      m_fake->baseUrl().toString(),
                      QStringLiteral("--set"),
                      QStringLiteral("subdomain=acme"),
                      QStringLiteral("--set"),
                      QStringLiteral("email=") + email,
                      QStringLiteral("--set"),
                      QStringLiteral("api_token=env:ZENDESK_TOKEN")};
    if (!collections.isEmpty())
        args << QStringLiteral("--collections") << collections;
    const auto added = m_cli->run(args + extra);
    QVERIFY2(added.exitCode == 0, added.err.constData());
}

CliProcess::Outcome TestZendeskSync::sync(const QStringList &extra)
{
    return m_cli->run(QStringList {QStringLiteral("sync"), QStringLiteral("desk"), QStringLiteral("--json")} + extra);
}

void TestZendeskSync::fullThenIncrementalSync()
{
    m_fake->populate(1100, 240, 40, 130, 7);
    m_fake->injectEmptyPage(QStringLiteral("users")); // an empty page that is not the end
    addSource(kEmail, kToken);
    m_fake->clearRequests();

    const auto first = sync();
    QVERIFY2(first.exitCode == 0, first.out.constData());
    const QJsonObject summary = first.json();
    QCOMPARE(summary.value(QStringLiteral("collections")).toArray().size(), 11);
    QCOMPARE(summary.value(QStringLiteral("api_calls")).toInt(), m_fake->requestCount());
    QCOMPARE(m_fake->rateLimitedCount(), 0);

    WarehouseReader wh(m_cli->warehousePath());
    for (const QString &resource : FakeZendeskServer::resources()) {
        const QString table = QStringLiteral("zendesk_") + resource;
        QCOMPARE(sortedNumerically(wh.ids(table)), upstreamIds(*m_fake, resource));
        const QJsonObject c = collectionOf(summary, resource);
        QCOMPARE(c.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(c.value(QStringLiteral("inserted")).toInt(), m_fake->count(resource));
    }
    // API calls: one per page at the largest page size.
    const auto calls = [&](const QString &name) {
        return collectionOf(summary, name).value(QStringLiteral("api_calls")).toInt();
    };
    QCOMPARE(calls(QStringLiteral("tickets")), 2); // 1100 at 1000 a page
    QCOMPARE(calls(QStringLiteral("users")), 2);   // the empty page, then the users
    QCOMPARE(calls(QStringLiteral("organizations")), 1);
    const int events = m_fake->count(QStringLiteral("ticket_events"));
    QVERIFY(events > 1100);
    QVERIFY(calls(QStringLiteral("ticket_events")) >= (events + 999) / 1000);
    QVERIFY(calls(QStringLiteral("ticket_events")) <= (events + 999) / 1000 + 1);
    for (const QString &resource : {QStringLiteral("groups"), QStringLiteral("ticket_metrics"),
                                    QStringLiteral("satisfaction_ratings"), QStringLiteral("ticket_fields")})
        QCOMPARE(calls(resource), listPages(m_fake->count(resource)));
    for (const FakeRequest &r : m_fake->requests()) {
        const QUrlQuery q(r.url);
        if (r.path().contains(QLatin1String("/incremental/")))
            QCOMPARE(q.queryItemValue(QStringLiteral("per_page")), QStringLiteral("1000"));
        else if (!q.hasQueryItem(QStringLiteral("page%5Bafter%5D")) && !q.hasQueryItem(QStringLiteral("page[after]")))
            QVERIFY2(r.url.toString().contains(QLatin1String("page%5Bsize%5D=100"))
                             || r.url.toString().contains(QLatin1String("page[size]=100")),
                     qPrintable(r.url.toString()));
    }
    QCOMPARE(wh.value(QStringLiteral("SELECT COUNT(*) FROM zendesk_tickets WHERE is_deleted = 1")).toInt(), 0);
    QVERIFY(wh.value(QStringLiteral("SELECT COUNT(*) FROM zendesk_tickets WHERE via_channel = 'email'")).toInt() > 0);
    const auto breakdown = [](const QJsonObject &run) {
        QStringList parts;
        for (const auto &c : run.value(QStringLiteral("collections")).toArray())
            parts.append(QStringLiteral("%1 %2")
                                 .arg(c.toObject().value(QStringLiteral("name")).toString())
                                 .arg(c.toObject().value(QStringLiteral("api_calls")).toInt()));
        return parts.join(QStringLiteral(", "));
    };
    qInfo("first sync: %d API calls (%s)", summary.value(QStringLiteral("api_calls")).toInt(),
          qPrintable(breakdown(summary)));

    // Changes upstream: a new ticket, one updated, one deleted; a user and an organization deleted.
    const QJsonObject created
            = m_fake->create(QStringLiteral("tickets"), {{QStringLiteral("subject"), QStringLiteral("New one")}});
    QVERIFY(m_fake->update(QStringLiteral("tickets"), 5, {{QStringLiteral("status"), QStringLiteral("solved")}}));
    QVERIFY(m_fake->remove(QStringLiteral("tickets"), 9));
    const qint64 userId = m_fake->objects(QStringLiteral("users")).at(20).value(QStringLiteral("id")).toInteger();
    QVERIFY(m_fake->remove(QStringLiteral("users"), userId));
    const qint64 orgId = m_fake->objects(QStringLiteral("organizations")).at(3).value(QStringLiteral("id")).toInteger();
    QVERIFY(m_fake->remove(QStringLiteral("organizations"), orgId));
    const qint64 groupId = m_fake->objects(QStringLiteral("groups")).at(2).value(QStringLiteral("id")).toInteger();
    QVERIFY(m_fake->remove(QStringLiteral("groups"), groupId));
    m_fake->advance(120); // past Zendesk's most recent minute
    m_fake->clearRequests();
    m_fake->resetLimiters();

    const auto second = sync();
    QVERIFY2(second.exitCode == 0, second.out.constData());
    const QJsonObject incremental = second.json();
    // The exports cost one call each; the small lists are read again.
    int listCalls = 0;
    for (const QString &resource : FakeZendeskServer::resources()) {
        const int n = collectionOf(incremental, resource).value(QStringLiteral("api_calls")).toInt();
        if (resource == QLatin1String("tickets") || resource == QLatin1String("users")
            || resource == QLatin1String("organizations") || resource == QLatin1String("ticket_events"))
            QCOMPARE(n, 1);
        else
            listCalls += n;
    }
    QCOMPARE(incremental.value(QStringLiteral("api_calls")).toInt(), 4 + listCalls);
    QCOMPARE(m_fake->requestCount(), 4 + listCalls);
    const QJsonObject tickets = collectionOf(incremental, QStringLiteral("tickets"));
    QCOMPARE(tickets.value(QStringLiteral("inserted")).toInt(), 1);
    QCOMPARE(tickets.value(QStringLiteral("updated")).toInt(), 2);
    QCOMPARE(wh.value(QStringLiteral("SELECT subject FROM zendesk_tickets WHERE id = %1")
                              .arg(created.value(QStringLiteral("id")).toInteger()))
                     .toString(),
             QStringLiteral("New one"));
    QCOMPARE(wh.value(QStringLiteral("SELECT status FROM zendesk_tickets WHERE id = 5")).toString(),
             QStringLiteral("solved"));
    QCOMPARE(wh.value(QStringLiteral("SELECT is_deleted FROM zendesk_tickets WHERE id = 9")).toInt(), 1);
    QCOMPARE(wh.value(QStringLiteral("SELECT is_deleted FROM zendesk_users WHERE id = %1").arg(userId)).toInt(), 1);
    QCOMPARE(wh.value(QStringLiteral("SELECT is_deleted FROM zendesk_organizations WHERE id = %1").arg(orgId)).toInt(),
             1);
    QCOMPARE(wh.value(QStringLiteral("SELECT is_deleted FROM zendesk_groups WHERE id = %1").arg(groupId)).toInt(), 1);
    QCOMPARE(collectionOf(incremental, QStringLiteral("organizations")).value(QStringLiteral("updated")).toInt(), 1);
    // Three new ticket events (create, change, delete), none repeated from the boundary second.
    QCOMPARE(collectionOf(incremental, QStringLiteral("ticket_events")).value(QStringLiteral("inserted")).toInt(), 3);
    QCOMPARE(sortedNumerically(wh.ids(QStringLiteral("zendesk_ticket_events"))),
             upstreamIds(*m_fake, QStringLiteral("ticket_events")));

    // Nothing new: one call per export, nothing written by them.
    m_fake->advance(120);
    m_fake->clearRequests();
    m_fake->resetLimiters();
    const auto third = sync();
    QCOMPARE(third.exitCode, 0);
    for (const QString &resource : {QStringLiteral("tickets"), QStringLiteral("users"), QStringLiteral("organizations"),
                                    QStringLiteral("ticket_events")}) {
        const QJsonObject c = collectionOf(third.json(), resource);
        QCOMPARE(c.value(QStringLiteral("api_calls")).toInt(), 1);
        QCOMPARE(c.value(QStringLiteral("records")).toInt(), 0);
    }
    qInfo("no-change sync: %d API calls (%s)", third.json().value(QStringLiteral("api_calls")).toInt(),
          qPrintable(breakdown(third.json())));
}

void TestZendeskSync::badCredentialsAbortAtOnce()
{
    m_fake->populate(20, 10, 3, 2, 1);
    addSource(kEmail, QStringLiteral("wrongToken"));
    m_fake->clearRequests();
    const auto run = sync();
    QCOMPARE(run.exitCode, 4);
    QCOMPARE(m_fake->requestCount(), 1);
    const QJsonObject summary = run.json();
    QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("aborted"));
    const QJsonObject error = summary.value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("kind")).toString(), QStringLiteral("auth"));
    QVERIFY2(error.value(QStringLiteral("message")).toString().contains(QStringLiteral("Couldn't authenticate you")),
             qPrintable(error.value(QStringLiteral("message")).toString()));
    QVERIFY(error.value(QStringLiteral("hint")).toString().contains(QStringLiteral("API token")));
    const QJsonArray collections = summary.value(QStringLiteral("collections")).toArray();
    for (qsizetype i = 1; i < collections.size(); ++i)
        QCOMPARE(collections.at(i).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("skipped"));
}

void TestZendeskSync::agentTokenFailsOnlyAdminCollections()
{
    m_fake->populate(30, 20, 4, 5, 2);
    addSource(kAgentEmail, kAgentToken, QStringLiteral("tickets,groups,satisfaction_ratings,ticket_fields"));
    const auto run = sync();
    QCOMPARE(run.exitCode, 3);
    const QJsonObject summary = run.json();
    QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("partial"));
    for (const QString &name : {QStringLiteral("tickets"), QStringLiteral("satisfaction_ratings")}) {
        const QJsonObject c = collectionOf(summary, name);
        QCOMPARE(c.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        const QJsonObject error = c.value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("kind")).toString(), QStringLiteral("permission"));
        QVERIFY2(error.value(QStringLiteral("hint")).toString().contains(QStringLiteral("an admin must connect")),
                 qPrintable(error.value(QStringLiteral("hint")).toString()));
        QVERIFY(error.value(QStringLiteral("message")).toString().contains(QStringLiteral("You do not have access")));
    }
    for (const QString &name : {QStringLiteral("groups"), QStringLiteral("ticket_fields")})
        QCOMPARE(collectionOf(summary, name).value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    WarehouseReader wh(m_cli->warehousePath());
    QCOMPARE(sortedNumerically(wh.ids(QStringLiteral("zendesk_groups"))),
             upstreamIds(*m_fake, QStringLiteral("groups")));
}

void TestZendeskSync::oauthTokenWithoutReadScopeNamesTheScope()
{
    m_fake->populate(10, 10, 2, 2, 3);
    m_fake->addOAuthToken(QStringLiteral("oauthGood"));
    m_fake->addOAuthToken(QStringLiteral("oauthNoRead"), QStringLiteral("admin"), {QStringLiteral("write")});
    m_cli->setEnv(QStringLiteral("ZENDESK_ACCESS"), QStringLiteral("oauthGood"));
    const auto added
            = m_cli->run({QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("zendesk"),
                          QStringLiteral("--name"), QStringLiteral("desk"), QStringLiteral("--base-url"),
                          m_fake->baseUrl().toString(), QStringLiteral("--set"), QStringLiteral("subdomain=acme"),
                          QStringLiteral("--set"), QStringLiteral("access_token=env:ZENDESK_ACCESS"),
                          QStringLiteral("--collections"), QStringLiteral("tickets,groups")});
    QVERIFY2(added.exitCode == 0, added.err.constData());
    const auto good = sync();
    QVERIFY2(good.exitCode == 0, good.out.constData());
    for (const FakeRequest &r : m_fake->requests())
        QCOMPARE(r.header("authorization"), QByteArrayLiteral("Bearer oauthGood"));

    m_cli->setEnv(QStringLiteral("ZENDESK_ACCESS"), QStringLiteral("oauthNoRead"));
    const auto run = sync({QStringLiteral("--full-refresh")});
    QCOMPARE(run.exitCode, 3);
    const QJsonObject error
            = collectionOf(run.json(), QStringLiteral("groups")).value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("kind")).toString(), QStringLiteral("permission"));
    QVERIFY2(error.value(QStringLiteral("hint")).toString().contains(QStringLiteral("'read' scope")),
             qPrintable(error.value(QStringLiteral("hint")).toString()));

    m_cli->setEnv(QStringLiteral("ZENDESK_ACCESS"), QStringLiteral("oauthExpired"));
    const auto expired = sync();
    QCOMPARE(expired.exitCode, 4);
    QVERIFY(expired.json()
                    .value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("expired")));
}

void TestZendeskSync::exportsArePacedUnderTheLimit()
{
    // Three exports per window upstream, and the source set to match (as the add-on setting would).
    m_fake->setIncrementalLimit(3, kWindowMs);
    m_fake->populate(2100, 30, 5, 2, 4); // tickets 3 pages, events 4 or 5 pages
    addSource(kEmail, kToken, QStringLiteral("tickets,users,organizations,ticket_events"),
              {QStringLiteral("--set"), QStringLiteral("export_requests_per_minute=3")});
    m_fake->clearRequests();
    QElapsedTimer timer;
    timer.start();
    const auto run = sync();
    QVERIFY2(run.exitCode == 0, run.out.constData());
    const int calls = m_fake->requestCount();
    QVERIFY(calls >= 9);
    QCOMPARE(m_fake->rateLimitedCount(), 0);
    QCOMPARE(run.json().value(QStringLiteral("api_calls")).toInt(), calls);
    // Three a window: the last call waited at least (calls - 1) / 3 windows.
    QVERIFY2(timer.elapsed() >= qint64((calls - 1) / 3) * kWindowMs, qPrintable(QString::number(timer.elapsed())));
    WarehouseReader wh(m_cli->warehousePath());
    QCOMPARE(sortedNumerically(wh.ids(QStringLiteral("zendesk_ticket_events"))),
             upstreamIds(*m_fake, QStringLiteral("ticket_events")));
    QCOMPARE(sortedNumerically(wh.ids(QStringLiteral("zendesk_tickets"))),
             upstreamIds(*m_fake, QStringLiteral("tickets")));
}

void TestZendeskSync::retryAfterIsHonoured()
{
    // The upstream allows fewer exports than the source expects: it answers 429 + Retry-After.
    m_fake->setIncrementalLimit(2, kWindowMs);
    m_fake->populate(2100, 30, 5, 2, 5);
    addSource(kEmail, kToken, QStringLiteral("tickets,users,organizations"));
    m_fake->clearRequests();
    const auto run = sync();
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QVERIFY(m_fake->rateLimitedCount() > 0);
    QCOMPARE(run.json().value(QStringLiteral("api_calls")).toInt(), m_fake->requestCount());
    WarehouseReader wh(m_cli->warehousePath());
    QCOMPARE(sortedNumerically(wh.ids(QStringLiteral("zendesk_tickets"))),
             upstreamIds(*m_fake, QStringLiteral("tickets")));
    QCOMPARE(sortedNumerically(wh.ids(QStringLiteral("zendesk_users"))), upstreamIds(*m_fake, QStringLiteral("users")));
}

QTEST_GUILESS_MAIN(TestZendeskSync)
#include "TestZendeskSync.moc"
