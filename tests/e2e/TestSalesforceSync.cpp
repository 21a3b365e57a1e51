// End to end through the real CLI binary against the strict fake Salesforce on loopback, with the
// real SQLite warehouse. The source signs in with a session token (access_token + instance_url),
// the headless mode; --base-url points both at the fake.
#include "e2e/CliProcess.h"
#include "e2e/WarehouseReader.h"
#include "fakes/FakeSalesforceServer.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace tributary::test;
using namespace Qt::StringLiterals;

namespace {

using Endpoint = FakeSalesforceServer::Endpoint;

// Every collection the connector lists, with its object, plus the fake's custom object.
const QList<QPair<QString, QString>> &collections()
{
    static const QList<QPair<QString, QString>> list {
            {u"accounts"_s, u"Account"_s},
            {u"contacts"_s, u"Contact"_s},
            {u"leads"_s, u"Lead"_s},
            {u"opportunities"_s, u"Opportunity"_s},
            {u"opportunity_line_items"_s, u"OpportunityLineItem"_s},
            {u"cases"_s, u"Case"_s},
            {u"case_comments"_s, u"CaseComment"_s},
            {u"campaigns"_s, u"Campaign"_s},
            {u"campaign_members"_s, u"CampaignMember"_s},
            {u"tasks"_s, u"Task"_s},
            {u"events"_s, u"Event"_s},
            {u"users"_s, u"User"_s},
            {u"products"_s, u"Product2"_s},
            {u"price_books"_s, u"Pricebook2"_s},
            {u"price_book_entries"_s, u"PricebookEntry"_s},
            {u"contracts"_s, u"Contract"_s},
            {u"notes"_s, u"Note"_s},
            {u"invoice__c"_s, u"Invoice__c"_s},
    };
    return list;
}

QString allCollections()
{
    QStringList names;
    for (const auto &[name, object] : collections())
        names.append(name);
    return names.join(QLatin1Char(','));
}

int pagesOf(int records)
{
    return records == 0 ? 1 : (records + 1999) / 2000;
}

QString table(const QString &collection)
{
    return u"salesforce_"_s + collection;
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

int num(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toInt();
}

QString breakdown(const QJsonObject &run)
{
    QStringList parts;
    for (const auto &c : run.value(u"collections"_s).toArray())
        parts.append(u"%1 %2"_s.arg(str(c.toObject(), "name")).arg(num(c.toObject(), "api_calls")));
    return parts.join(u", "_s);
}

} // namespace

class TestSalesforceSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void fullThenIncrementalSync();
    void recordsSharingAStampAreNeitherLostNorDuplicated();
    void deletionsArriveThroughQueryAll();
    void hiddenObjectFailsOnlyItsCollection();
    void hiddenFieldIsDroppedAfterADescribe();
    void rejectedSessionAbortsAtOnce();
    void reserveStopsTheRunCleanly();
    void reserveStopsBetweenPagesAndTheNextRunResumes();
    void requestLimitExceededStopsCleanly();
    void signedInSourceRefreshesOnce();
    void addWithoutCollectionsOffersCustomObjects();

private:
    void addSource(const QString &collections, const QStringList &extra = {});
    CliProcess::Outcome sync(const QStringList &extra = {});
    // The not-reached collections of a run stopped by the quota: skipped, with its error and no API call.
    void verifyNotReached(const QJsonObject &summary, const QStringList &names);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeSalesforceServer> m_fake;
    std::unique_ptr<CliProcess> m_cli;
};

void TestSalesforceSync::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_fake = std::make_unique<FakeSalesforceServer>();
    QVERIFY(m_fake->listen());
    m_fake->setSessionTimeout(0);
    m_cli = std::make_unique<CliProcess>(m_dir->path());
    m_cli->setEnv(u"SF_TOKEN"_s, m_fake->issueTokens().accessToken);
}

void TestSalesforceSync::cleanup()
{
    m_cli.reset();
    m_fake.reset();
    m_dir.reset();
}

void TestSalesforceSync::addSource(const QString &collections, const QStringList &extra)
{
    QStringList args {u"source"_s,
                      u"add"_s,
                      u"salesforce"_s,
                      u"--name"_s,
                      u"org"_s,
                      u"--base-url"_s,
                      m_fake->baseUrl().toString(),
                      u"--set"_s,
                      u"access_token=env:SF_TOKEN"_s,
                      u"--set"_s,
                      u"instance_url="_s + m_fake->baseUrl().toString(),
                      u"--collections"_s,
                      collections};
    for (const QString &setting : extra)
        args << u"--set"_s << setting;
    const auto added = m_cli->run(args);
    QVERIFY2(added.exitCode == 0, added.err.constData());
}

CliProcess::Outcome TestSalesforceSync::sync(const QStringList &extra)
{
    return m_cli->run(QStringList {u"sync"_s, u"org"_s, u"--json"_s} + extra);
}

void TestSalesforceSync::verifyNotReached(const QJsonObject &summary, const QStringList &names)
{
    for (const QString &name : names) {
        const QJsonObject c = collectionOf(summary, name);
        const QString status = str(c, "status");
        QCOMPARE(status, u"skipped"_s);
        QCOMPARE(num(c, "api_calls"), 0);
        QCOMPARE(num(c, "records"), 0);
        QCOMPARE(str(c.value(u"error"_s).toObject(), "kind"), u"rate_limit"_s);
        QVERIFY(str(c.value(u"error"_s).toObject(), "hint").contains(QLatin1String("resumes")));
    }
}

void TestSalesforceSync::fullThenIncrementalSync()
{
    m_fake->populate({{u"Account"_s, 4500}}); // three pages at 2,000
    addSource(allCollections());
    m_fake->clearRequests();

    // First sync: one describe per object, then one query call per page of 2,000.
    const auto first = sync();
    QVERIFY2(first.exitCode == 0, first.out.constData());
    const QJsonObject summary = first.json();
    QCOMPARE(str(summary, "status"), u"succeeded"_s);
    QCOMPARE(num(summary, "api_calls"), m_fake->requestCount());
    WarehouseReader wh(m_cli->warehousePath());
    int expectedCalls = 0;
    int records = 0;
    for (const auto &[name, object] : collections()) {
        const QJsonObject c = collectionOf(summary, name);
        const int count = m_fake->count(object, true);
        QVERIFY2(count > 0, qPrintable(object));
        QCOMPARE(str(c, "status"), u"succeeded"_s);
        QCOMPARE(str(c, "table"), table(name));
        QCOMPARE(num(c, "inserted"), count);
        QCOMPARE(num(c, "updated"), 0);
        QCOMPARE(num(c, "api_calls"), 1 + pagesOf(count));
        QCOMPARE(wh.ids(table(name)), m_fake->ids(object, true));
        expectedCalls += 1 + pagesOf(count);
        records += count;
    }
    QCOMPARE(num(summary, "api_calls"), expectedCalls);
    QCOMPARE(m_fake->requestCount(Endpoint::Describe), int(collections().size()));
    QCOMPARE(m_fake->requestCount(Endpoint::QueryAll), int(collections().size()));
    QCOMPARE(m_fake->requestCount(Endpoint::QueryMore), 2);
    QCOMPARE(m_fake->requestCount(Endpoint::Query), 0);
    QCOMPARE(m_fake->requestCount(Endpoint::DescribeGlobal), 0);
    qInfo("first sync: %d API calls for %d records (%s)", num(summary, "api_calls"), records,
          qPrintable(breakdown(summary)));

    // The SOQL selects every field the user can see, in change order.
    for (const auto &r : m_fake->requestLog()) {
        if (r.endpoint != Endpoint::QueryAll || !r.soql.contains(QLatin1String(" FROM Account ")))
            continue;
        QVERIFY2(r.soql.startsWith(QLatin1String("SELECT Id,")), qPrintable(r.soql));
        QVERIFY2(r.soql.endsWith(QLatin1String(" ORDER BY SystemModstamp ASC")), qPrintable(r.soql));
        const QString fields = r.soql.section(u" FROM "_s, 0, 0).mid(7);
        for (const QString &field : m_fake->fieldNames(u"Account"_s))
            QVERIFY2(fields.split(QLatin1Char(',')).contains(field), qPrintable(field));
    }
    // Record shape: no attributes, the compound address flattened, datetimes typed, the quota seen.
    QCOMPARE(wh.count(u"SELECT COUNT(*) FROM salesforce_accounts WHERE billing_address_city IS NOT NULL"_s),
             wh.count(u"SELECT COUNT(*) FROM salesforce_accounts WHERE billing_city IS NOT NULL"_s));
    QVERIFY(!wh.exec(u"SELECT attributes_type FROM salesforce_accounts"_s));
    const QString stamp = wh.value(u"SELECT system_modstamp FROM salesforce_accounts LIMIT 1"_s).toString();
    QVERIFY2(QRegularExpression(u"^\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d"_s).match(stamp).hasMatch(),
             qPrintable(stamp));
    const QJsonObject accounts = collectionOf(summary, u"accounts"_s);
    QCOMPARE(accounts.value(u"quota_limit"_s).toInteger(), qint64(m_fake->dailyApiLimit()));
    QVERIFY(accounts.value(u"quota_remaining"_s).toInteger() > 0);

    // Changes upstream, a minute later.
    m_fake->advance(60);
    const QStringList updated = m_fake->updateRecords(u"Account"_s, 3, {{u"Name"_s, u"Renamed"_s}});
    QCOMPARE(updated.size(), 3);
    const QStringList inserted = m_fake->insertRecords(u"Account"_s, 2);
    const QStringList deleted {m_fake->ids(u"Account"_s).at(10)};
    QVERIFY(m_fake->deleteRecord(u"Account"_s, deleted.first()));
    QVERIFY(!m_fake->insertRecord(u"Invoice__c"_s).isEmpty());
    QCOMPARE(m_fake->updateRecords(u"Contact"_s, 1).size(), 1);
    QCOMPARE(m_fake->deleteRecords(u"Case"_s, 1).size(), 1);
    m_fake->advance(5);
    m_fake->clearRequests();

    // Second sync: one call per collection (the describes are cached for a day), only the changes.
    const auto second = sync();
    QVERIFY2(second.exitCode == 0, second.out.constData());
    const QJsonObject incremental = second.json();
    QCOMPARE(num(incremental, "api_calls"), int(collections().size()));
    QCOMPARE(m_fake->requestCount(), int(collections().size()));
    QCOMPARE(m_fake->requestCount(Endpoint::Describe), 0);
    for (const auto &[name, object] : collections())
        QCOMPARE(num(collectionOf(incremental, name), "api_calls"), 1);
    QCOMPARE(num(collectionOf(incremental, u"accounts"_s), "inserted"), 2);
    QCOMPARE(num(collectionOf(incremental, u"accounts"_s), "updated"), 4);
    QCOMPARE(num(collectionOf(incremental, u"invoice__c"_s), "inserted"), 1);
    QCOMPARE(num(collectionOf(incremental, u"contacts"_s), "updated"), 1);
    QCOMPARE(num(collectionOf(incremental, u"cases"_s), "updated"), 1);
    QCOMPARE(num(collectionOf(incremental, u"leads"_s), "records"), 0);
    QCOMPARE(wh.ids(table(u"accounts"_s)), m_fake->ids(u"Account"_s, true));
    for (const QString &id : updated)
        QCOMPARE(wh.value(u"SELECT name FROM salesforce_accounts WHERE id = '%1'"_s.arg(id)).toString(), u"Renamed"_s);
    QCOMPARE(wh.ids(table(u"accounts"_s), u"is_deleted = 1"_s), deleted);
    QCOMPARE(wh.count(u"SELECT COUNT(*) FROM salesforce_cases WHERE is_deleted = 1"_s), 1);
    for (const QString &id : inserted)
        QVERIFY(wh.ids(table(u"accounts"_s)).contains(id));
    qInfo(
            "sync after changes: %d API calls for %d records (%s)", num(incremental, "api_calls"),
            [&] {
                int n = 0;
                for (const auto &c : incremental.value(u"collections"_s).toArray())
                    n += num(c.toObject(), "records");
                return n;
            }(),
            qPrintable(breakdown(incremental)));

    // Nothing new: one call per collection, nothing written.
    m_fake->advance(30);
    m_fake->clearRequests();
    const auto third = sync();
    QVERIFY2(third.exitCode == 0, third.out.constData());
    const QJsonObject quiet = third.json();
    QCOMPARE(num(quiet, "api_calls"), int(collections().size()));
    for (const auto &[name, object] : collections()) {
        QCOMPARE(num(collectionOf(quiet, name), "records"), 0);
        QCOMPARE(num(collectionOf(quiet, name), "api_calls"), 1);
    }
    qInfo("sync with nothing new: %d API calls (%s)", num(quiet, "api_calls"), qPrintable(breakdown(quiet)));
}

void TestSalesforceSync::recordsSharingAStampAreNeitherLostNorDuplicated()
{
    m_fake->populate({{u"Account"_s, 2600}});
    // The newest 2,100 accounts share one SystemModstamp: the instant straddles the two pages.
    const QDateTime shared = m_fake->now().addSecs(-30);
    const QStringList ids = m_fake->ids(u"Account"_s);
    QVERIFY(m_fake->setSystemModstamp(u"Account"_s, ids.mid(500), shared));
    addSource(u"accounts"_s);

    const auto first = sync();
    QVERIFY2(first.exitCode == 0, first.out.constData());
    QCOMPARE(num(collectionOf(first.json(), u"accounts"_s), "inserted"), 2600);
    QCOMPARE(num(collectionOf(first.json(), u"accounts"_s), "api_calls"), 3);

    // A record written on that same instant after the sync, one changed later.
    const QString late = m_fake->insertRecord(u"Account"_s);
    QVERIFY(!late.isEmpty());
    QVERIFY(m_fake->setSystemModstamp(u"Account"_s, {late}, shared));
    m_fake->advance(10);
    QVERIFY(m_fake->updateRecord(u"Account"_s, ids.at(700), {{u"Name"_s, u"Changed"_s}}));
    m_fake->clearRequests();

    const auto second = sync();
    QVERIFY2(second.exitCode == 0, second.out.constData());
    const QJsonObject c = collectionOf(second.json(), u"accounts"_s);
    QCOMPARE(num(c, "inserted"), 1); // the late one, not the 2,100 read before
    QCOMPARE(num(c, "updated"), 1);  // the changed one
    const QString soql = m_fake->requestLog().constFirst().soql;
    QVERIFY2(soql.contains(u"WHERE SystemModstamp >= %1"_s.arg(shared.toString(u"yyyy-MM-dd'T'HH:mm:ss'Z'"_s))),
             qPrintable(soql));

    WarehouseReader wh(m_cli->warehousePath());
    QCOMPARE(wh.ids(table(u"accounts"_s)), m_fake->ids(u"Account"_s));
    QCOMPARE(wh.value(u"SELECT name FROM salesforce_accounts WHERE id = '%1'"_s.arg(ids.at(700))).toString(),
             u"Changed"_s);

    // And again: the boundary is now the changed record alone; nothing is read twice.
    m_fake->advance(10);
    const auto third = sync();
    QVERIFY2(third.exitCode == 0, third.out.constData());
    QCOMPARE(num(collectionOf(third.json(), u"accounts"_s), "records"), 0);
    QCOMPARE(num(collectionOf(third.json(), u"accounts"_s), "api_calls"), 1);
}

void TestSalesforceSync::deletionsArriveThroughQueryAll()
{
    m_fake->populate({{u"Account"_s, 30}, {u"Task"_s, 12}});
    const QStringList gone = m_fake->deleteRecords(u"Account"_s, 3); // before the first sync
    addSource(u"accounts,tasks"_s);
    const auto first = sync();
    QVERIFY2(first.exitCode == 0, first.out.constData());
    WarehouseReader wh(m_cli->warehousePath());
    QCOMPARE(wh.ids(table(u"accounts"_s)).size(), 30);
    QCOMPARE(wh.ids(table(u"accounts"_s), u"is_deleted = 1"_s), gone);
    // A deleted row keeps its last values.
    QCOMPARE(wh.count(u"SELECT COUNT(*) FROM salesforce_accounts WHERE is_deleted = 1 AND name IS NOT NULL"_s), 3);

    m_fake->advance(60);
    const QStringList tasks = m_fake->deleteRecords(u"Task"_s, 2);
    m_fake->advance(5);
    const auto second = sync();
    QVERIFY2(second.exitCode == 0, second.out.constData());
    QCOMPARE(num(collectionOf(second.json(), u"tasks"_s), "updated"), 2);
    QCOMPARE(num(collectionOf(second.json(), u"accounts"_s), "records"), 0);
    QCOMPARE(wh.ids(table(u"tasks"_s), u"is_deleted = 1"_s), tasks);
    QCOMPARE(wh.ids(table(u"tasks"_s)).size(), 12);
}

void TestSalesforceSync::hiddenObjectFailsOnlyItsCollection()
{
    m_fake->populate();
    m_fake->hideObject(u"Contact"_s);
    addSource(u"accounts,contacts,leads"_s);
    const auto first = sync();
    QCOMPARE(first.exitCode, 3);
    QJsonObject summary = first.json();
    QCOMPARE(str(summary, "status"), u"partial"_s);
    QJsonObject contacts = collectionOf(summary, u"contacts"_s);
    QCOMPARE(str(contacts, "status"), u"failed"_s);
    QJsonObject error = contacts.value(u"error"_s).toObject();
    QCOMPARE(str(error, "kind"), u"permission"_s);
    QVERIFY2(str(error, "message").contains(QLatin1String("contacts")), qPrintable(str(error, "message")));
    QVERIFY2(str(error, "hint").contains(QLatin1String("read access")), qPrintable(str(error, "hint")));
    QCOMPARE(num(contacts, "api_calls"), 1);
    QCOMPARE(str(collectionOf(summary, u"accounts"_s), "status"), u"succeeded"_s);
    QCOMPARE(str(collectionOf(summary, u"leads"_s), "status"), u"succeeded"_s);

    // Hidden after the describe was cached: the query says INVALID_TYPE.
    m_fake->hideObject(u"Contact"_s, false);
    QCOMPARE(sync().exitCode, 0);
    m_fake->hideObject(u"Lead"_s);
    const auto third = sync();
    QCOMPARE(third.exitCode, 3);
    summary = third.json();
    const QJsonObject leads = collectionOf(summary, u"leads"_s);
    QCOMPARE(str(leads, "status"), u"failed"_s);
    error = leads.value(u"error"_s).toObject();
    QCOMPARE(str(error, "kind"), u"permission"_s);
    QVERIFY2(str(error, "message").contains(QLatin1String("INVALID_TYPE")), qPrintable(str(error, "message")));
    QCOMPARE(num(leads, "api_calls"), 1);
    QCOMPARE(str(collectionOf(summary, u"accounts"_s), "status"), u"succeeded"_s);
    QCOMPARE(str(collectionOf(summary, u"contacts"_s), "status"), u"succeeded"_s);
}

void TestSalesforceSync::hiddenFieldIsDroppedAfterADescribe()
{
    m_fake->populate({{u"Account"_s, 40}});
    addSource(u"accounts"_s);
    QCOMPARE(sync().exitCode, 0);

    // Field-level security hides a field the cached describe lists: INVALID_FIELD, a fresh
    // describe, the query again without it.
    m_fake->hideField(u"Account"_s, u"AnnualRevenue"_s);
    m_fake->advance(60);
    QVERIFY(m_fake->updateRecord(u"Account"_s, m_fake->ids(u"Account"_s).first()));
    m_fake->clearRequests();
    const auto run = sync();
    QVERIFY2(run.exitCode == 0, run.out.constData());
    const QJsonObject c = collectionOf(run.json(), u"accounts"_s);
    QCOMPARE(num(c, "api_calls"), 3);
    QCOMPARE(num(c, "updated"), 1);
    const auto log = m_fake->requestLog();
    QCOMPARE(log.size(), 3);
    QCOMPARE(log.at(0).status, 400);
    QCOMPARE(log.at(1).endpoint, Endpoint::Describe);
    QVERIFY(log.at(0).soql.contains(QLatin1String("AnnualRevenue")));
    QVERIFY(!log.at(2).soql.contains(QLatin1String("AnnualRevenue")));
    QCOMPARE(log.at(2).status, 200);
}

void TestSalesforceSync::rejectedSessionAbortsAtOnce()
{
    m_fake->populate();
    m_cli->setEnv(u"SF_TOKEN"_s, u"00Dbogus!notatoken"_s);
    addSource(u"accounts,contacts,leads"_s);
    m_fake->clearRequests();
    const auto run = sync();
    QCOMPARE(run.exitCode, 4);
    QCOMPARE(m_fake->requestCount(), 1);
    const QJsonObject summary = run.json();
    QCOMPARE(str(summary, "status"), u"aborted"_s);
    const QJsonObject error = summary.value(u"error"_s).toObject();
    QCOMPARE(str(error, "kind"), u"auth"_s);
    QVERIFY2(str(error, "message").contains(QLatin1String("INVALID_SESSION_ID")), qPrintable(str(error, "message")));
    QVERIFY2(str(error, "hint").contains(QLatin1String("Reconnect")), qPrintable(str(error, "hint")));
    QCOMPARE(str(collectionOf(summary, u"contacts"_s), "status"), u"skipped"_s);
    QCOMPARE(str(collectionOf(summary, u"leads"_s), "status"), u"skipped"_s);

    // A session that expired between two runs: the same, on the first call.
    m_cli->setEnv(u"SF_TOKEN"_s, m_fake->issueTokens().accessToken);
    QCOMPARE(sync().exitCode, 0);
    m_fake->expireAccessTokens();
    m_fake->clearRequests();
    const auto expired = sync();
    QCOMPARE(expired.exitCode, 4);
    QCOMPARE(m_fake->requestCount(), 1);
}

void TestSalesforceSync::reserveStopsTheRunCleanly()
{
    m_fake->populate();
    m_fake->setDailyApiLimit(1000);
    m_fake->setApiUsage(895); // the default reserve keeps the last 100
    addSource(u"accounts,contacts,leads,cases"_s);
    m_fake->clearRequests();

    const auto run = sync();
    QCOMPARE(run.exitCode, 3);
    const QJsonObject summary = run.json();
    QCOMPARE(str(summary, "status"), u"partial"_s);
    QCOMPARE(str(collectionOf(summary, u"accounts"_s), "status"), u"succeeded"_s);
    QCOMPARE(str(collectionOf(summary, u"contacts"_s), "status"), u"succeeded"_s);
    const QJsonObject leads = collectionOf(summary, u"leads"_s);
    QCOMPARE(str(leads, "status"), u"failed"_s);
    const QJsonObject error = leads.value(u"error"_s).toObject();
    QCOMPARE(str(error, "kind"), u"rate_limit"_s);
    QVERIFY2(str(error, "message").contains(QLatin1String("900 of 1000")), qPrintable(str(error, "message")));
    QVERIFY2(str(error, "hint").contains(QLatin1String("resumes")), qPrintable(str(error, "hint")));
    verifyNotReached(summary, {u"cases"_s});
    QCOMPARE(m_fake->apiUsage(), 900); // never into the reserve
    QCOMPARE(num(summary, "api_calls"), 5);

    // A day later the window has room again: the run resumes, nothing is read twice.
    m_fake->advance(24 * 3600 + 60);
    m_fake->setApiUsage(0);
    m_fake->clearRequests();
    const auto next = sync();
    QVERIFY2(next.exitCode == 0, next.out.constData());
    const QJsonObject resumed = next.json();
    QCOMPARE(num(collectionOf(resumed, u"accounts"_s), "records"), 0);
    QCOMPARE(num(collectionOf(resumed, u"leads"_s), "inserted"), m_fake->count(u"Lead"_s));
    QCOMPARE(num(collectionOf(resumed, u"cases"_s), "inserted"), m_fake->count(u"Case"_s));
}

void TestSalesforceSync::reserveStopsBetweenPagesAndTheNextRunResumes()
{
    m_fake->populate({{u"Account"_s, 4500}});
    m_fake->setDailyApiLimit(100);
    m_fake->setApiUsage(88); // a describe and one page, then the reserve (10) is reached
    addSource(u"accounts,contacts"_s);
    const auto run = sync();
    QCOMPARE(run.exitCode, 3);
    const QJsonObject summary = run.json();
    const QJsonObject accounts = collectionOf(summary, u"accounts"_s);
    QCOMPARE(str(accounts, "status"), u"failed"_s);
    QCOMPARE(str(accounts.value(u"error"_s).toObject(), "kind"), u"rate_limit"_s);
    QCOMPARE(num(accounts, "inserted"), 2000); // the committed page stays
    QCOMPARE(num(accounts, "api_calls"), 2);
    verifyNotReached(summary, {u"contacts"_s});
    WarehouseReader wh(m_cli->warehousePath());
    QCOMPARE(wh.ids(table(u"accounts"_s)).size(), 2000);

    m_fake->advance(24 * 3600 + 60);
    m_fake->setApiUsage(0);
    const auto next = sync();
    QVERIFY2(next.exitCode == 0, next.out.constData());
    const QJsonObject resumed = collectionOf(next.json(), u"accounts"_s);
    QCOMPARE(num(resumed, "inserted"), 2500);
    QCOMPARE(num(resumed, "updated"), 0);
    QCOMPARE(wh.ids(table(u"accounts"_s)), m_fake->ids(u"Account"_s));
}

void TestSalesforceSync::requestLimitExceededStopsCleanly()
{
    m_fake->populate({{u"Account"_s, 4500}});
    addSource(u"accounts,contacts,leads"_s, {u"api_reserve_percent=0"_s});

    // The org is out of calls before the run: the first call is refused.
    m_fake->setApiUsage(m_fake->dailyApiLimit());
    m_fake->clearRequests();
    const auto refused = sync();
    QCOMPARE(refused.exitCode, 3);
    QJsonObject summary = refused.json();
    QCOMPARE(str(summary, "status"), u"partial"_s);
    QJsonObject accounts = collectionOf(summary, u"accounts"_s);
    QCOMPARE(str(accounts, "status"), u"failed"_s);
    QJsonObject error = accounts.value(u"error"_s).toObject();
    QCOMPARE(str(error, "kind"), u"rate_limit"_s);
    QVERIFY2(str(error, "message").contains(QLatin1String("REQUEST_LIMIT_EXCEEDED")),
             qPrintable(str(error, "message")));
    verifyNotReached(summary, {u"contacts"_s, u"leads"_s});
    QCOMPARE(m_fake->requestCount(), 1);

    // Another tool spends the rest of the allocation while the run reads the second page.
    m_fake->setApiUsage(0);
    int served = 0;
    connect(m_fake.get(), &FakeSalesforceServer::requestServed, this, [&](const QByteArray &, const QString &, int) {
        if (++served == 3)
            m_fake->setApiUsage(m_fake->dailyApiLimit());
    });
    const auto run = sync();
    QCOMPARE(run.exitCode, 3);
    summary = run.json();
    accounts = collectionOf(summary, u"accounts"_s);
    QCOMPARE(str(accounts, "status"), u"failed"_s);
    QCOMPARE(str(accounts.value(u"error"_s).toObject(), "kind"), u"rate_limit"_s);
    QCOMPARE(num(accounts, "inserted"), 4000); // two committed pages
    verifyNotReached(summary, {u"contacts"_s, u"leads"_s});
    disconnect(m_fake.get(), &FakeSalesforceServer::requestServed, this, nullptr);

    m_fake->setApiUsage(0);
    const auto next = sync();
    QVERIFY2(next.exitCode == 0, next.out.constData());
    QCOMPARE(num(collectionOf(next.json(), u"accounts"_s), "inserted"), 500);
    QCOMPARE(num(collectionOf(next.json(), u"accounts"_s), "updated"), 0);
    WarehouseReader wh(m_cli->warehousePath());
    QCOMPARE(wh.ids(table(u"accounts"_s)), m_fake->ids(u"Account"_s));
}

void TestSalesforceSync::signedInSourceRefreshesOnce()
{
    // Signed in with the browser: a refresh token and the connected app; the session token the
    // source holds has expired. The run refreshes once at the login URL (--base-url) and goes on.
    m_fake->populate();
    const auto tokens = m_fake->issueTokens();
    m_cli->setEnv(u"SF_REFRESH"_s, tokens.refreshToken);
    m_cli->setEnv(u"SF_SECRET"_s, m_fake->clientSecret());
    addSource(u"accounts,contacts"_s,
              {u"client_id="_s + m_fake->clientId(), u"client_secret=env:SF_SECRET"_s,
               u"refresh_token=env:SF_REFRESH"_s});
    m_fake->expireAccessTokens();
    m_fake->clearRequests();
    const auto run = sync();
    QVERIFY2(run.exitCode == 0, run.out.constData());
    QCOMPARE(m_fake->requestCount(FakeSalesforceServer::Endpoint::Token), 1);
    QCOMPARE(str(collectionOf(run.json(), u"accounts"_s), "status"), u"succeeded"_s);
    QCOMPARE(num(collectionOf(run.json(), u"accounts"_s), "records"), m_fake->count(u"Account"_s, false));

    // The user revoked the app: one refused call, one refused refresh, and the run stops there.
    m_fake->revokeRefreshToken(tokens.refreshToken);
    m_fake->expireAccessTokens();
    m_fake->clearRequests();
    const auto revoked = sync();
    QCOMPARE(revoked.exitCode, 4);
    QCOMPARE(m_fake->requestCount(FakeSalesforceServer::Endpoint::Token), 1);
    QCOMPARE(m_fake->requestCount(), 2); // the refused call and the refused refresh, nothing after
    const QJsonObject error = revoked.json().value(u"error"_s).toObject();
    QCOMPARE(str(error, "kind"), u"auth"_s);
    QVERIFY2(str(error, "hint").contains(QLatin1String("Reconnect")), qPrintable(str(error, "hint")));
    const auto sources = m_cli->run({u"sources"_s});
    QVERIFY2(sources.out.contains("needs sign-in"), sources.out.constData());
}

void TestSalesforceSync::addWithoutCollectionsOffersCustomObjects()
{
    // No --collections: "all" is every standard object the org lists as queryable plus its custom
    // objects, found with one describeGlobal call when the source is added.
    m_fake->clearRequests();
    const auto added = m_cli->run({u"source"_s, u"add"_s, u"salesforce"_s, u"--name"_s, u"org"_s, u"--base-url"_s,
                                   m_fake->baseUrl().toString(), u"--set"_s, u"access_token=env:SF_TOKEN"_s, u"--set"_s,
                                   u"instance_url="_s + m_fake->baseUrl().toString()});
    QVERIFY2(added.exitCode == 0, added.err.constData());
    QCOMPARE(m_fake->requestCount(FakeSalesforceServer::Endpoint::DescribeGlobal), 1);
    QVERIFY2(added.out.contains("18 collections"), added.out.constData());
    const auto sources = m_cli->run({u"sources"_s, u"--json"_s});
    QVERIFY2(sources.out.contains("invoice__c"), sources.out.constData());
    // The plain-text summary keeps its columns apart, even for the longest names.
    const auto synced = m_cli->run({u"sync"_s, u"org"_s});
    QCOMPARE(synced.exitCode, 0);
    QVERIFY2(synced.out.contains("opportunity_line_items succeeded"), synced.out.constData());

    // Unreachable upstream: the standard list, and a note saying why.
    const auto offline = m_cli->run({u"source"_s, u"add"_s, u"salesforce"_s, u"--name"_s, u"offline"_s, u"--schema"_s,
                                     u"sf_offline"_s, u"--base-url"_s, u"http://127.0.0.1:9"_s, u"--set"_s,
                                     u"access_token=env:SF_TOKEN"_s});
    QVERIFY2(offline.exitCode == 0, offline.err.constData());
    QVERIFY2(offline.out.contains("17 collections"), offline.out.constData());
    QVERIFY2(offline.err.contains("only its standard collections"), offline.err.constData());
}

QTEST_GUILESS_MAIN(TestSalesforceSync)
#include "TestSalesforceSync.moc"
