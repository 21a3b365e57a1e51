// The engine on hostile input: a scripted upstream (real HTTP on loopback) serves crafted pages
// of a Stripe-shaped list; the real job writes into a real SQLite file.
#include "fakes/FakeHttpServer.h"
#include "sync/PendingWrite.h"
#include "sync/SyncRunner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUuid>

using namespace tributary;
using namespace tributary::test;

namespace {

QByteArray listPage(const QJsonArray &records, bool hasMore)
{
    return QJsonDocument(QJsonObject {{QStringLiteral("object"), QStringLiteral("list")},
                                      {QStringLiteral("url"), QStringLiteral("/v1/customers")},
                                      {QStringLiteral("has_more"), hasMore},
                                      {QStringLiteral("data"), records}})
            .toJson(QJsonDocument::Compact);
}

QJsonObject customer(int n, const QJsonValue &balance = 0)
{
    return {{QStringLiteral("id"), QStringLiteral("cus_%1").arg(n, 4, 10, QLatin1Char('0'))},
            {QStringLiteral("object"), QStringLiteral("customer")},
            {QStringLiteral("created"), 1700000000 - n},
            {QStringLiteral("balance"), balance},
            {QStringLiteral("address"), QJsonObject {{QStringLiteral("city"), QStringLiteral("Zürich")}}}};
}

} // namespace

class TestSyncJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void recordWithoutIdFailsTheCollectionAfterCommittedPages();
    void hugeStringAndTypeChangesAreStoredSafely();
    void invalidUtf8IsAClearParseError();
    void accessDeniedStopsBeforeTheNextCollection();
    void permissionErrorFailsOnlyItsCollection();
    void hangingUpstreamStallsAndTheWatchdogNamesIt();
    void fastPagesShareOneWrite();
    void pagesHeldWhileTheUpstreamHangsAreWritten();

private:
    RunSummary run(const QStringList &collections, int stallSeconds = 30);
    QVariant scalar(const QString &sql);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeHttpServer> m_server;
    // path -> the pages it serves in order (a page is status + body)
    QHash<QString, QList<QPair<int, QByteArray>>> m_pages;
    QList<FakeResponder> m_held;
};

void TestSyncJob::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<FakeHttpServer>();
    m_pages.clear();
    m_held.clear();
    QVERIFY(m_server->listen());
    m_server->setHandler([this](const FakeRequest &request, FakeResponder responder) {
        auto &queue = m_pages[request.path()];
        if (queue.isEmpty()) {
            m_held.append(responder); // nothing scripted: hang
            return;
        }
        const auto page = queue.takeFirst();
        responder.respond(page.first, page.second);
    });
}

RunSummary TestSyncJob::run(const QStringList &collections, int stallSeconds)
{
    SyncPlan plan;
    plan.runId = QStringLiteral("test");
    plan.source.name = QStringLiteral("shop");
    plan.source.connector = QStringLiteral("stripe");
    plan.source.schema = QStringLiteral("stripe");
    plan.source.baseUrl = m_server->baseUrl();
    plan.settings.insert(QStringLiteral("api_key"), QStringLiteral("sk_test_x"));
    plan.collections = collections;
    plan.stallTimeoutSeconds = stallSeconds;
    plan.warehouseUrl = QStringLiteral("sqlite:") + m_dir->filePath(QStringLiteral("w.sqlite"));
    plan.logPath = m_dir->filePath(QStringLiteral("run.log"));
    plan.http.retry.baseDelayMs = 10;
    SyncRunner runner;
    QSignalSpy finished(&runner, &SyncRunner::finished);
    runner.start(plan);
    if (!finished.wait(60000))
        return {};
    return finished.first().first().value<RunSummary>();
}

QVariant TestSyncJob::scalar(const QString &sql)
{
    const QString name = QUuid::createUuid().toString();
    QVariant value;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_dir->filePath(QStringLiteral("w.sqlite")));
        db.open();
        QSqlQuery q(db);
        if (q.exec(sql) && q.next())
            value = q.value(0);
    }
    QSqlDatabase::removeDatabase(name);
    return value;
}

void TestSyncJob::recordWithoutIdFailsTheCollectionAfterCommittedPages()
{
    QJsonArray first;
    for (int i = 0; i < 100; ++i)
        first.append(customer(i));
    QJsonObject noId = customer(100);
    noId.remove(QStringLiteral("id"));
    m_pages[QStringLiteral("/v1/customers")]
            = {{200, listPage(first, true)}, {200, listPage({customer(101), noId}, false)}};
    const RunSummary summary = run({QStringLiteral("customers")});
    QCOMPARE(summary.status, RunSummary::Status::Partial);
    const CollectionSummary &c = summary.collections.first();
    QCOMPARE(c.status, CollectionSummary::Status::Failed);
    QVERIFY(c.error);
    QCOMPARE(c.error->kind, Error::Kind::Parse);
    QVERIFY2(c.error->message.contains(QStringLiteral("page 2, record 2")), qPrintable(c.error->message));
    QCOMPARE(c.records, 100);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM stripe_customers")).toInt(), 100);
    QCOMPARE(scalar(QStringLiteral("SELECT address_city FROM stripe_customers WHERE id = 'cus_0001'")).toString(),
             QStringLiteral("Zürich"));
}

void TestSyncJob::hugeStringAndTypeChangesAreStoredSafely()
{
    const QString huge(1024 * 1024, QLatin1Char('x'));
    QJsonObject big = customer(1);
    big.insert(QStringLiteral("description"), huge);
    big.insert(QStringLiteral("\"; DROP TABLE stripe_customers; --"), QStringLiteral("evil"));
    // balance is an integer on page 1, a real then text on page 2: the column widens.
    m_pages[QStringLiteral("/v1/customers")]
            = {{200, listPage({big, customer(2, 5)}, true)},
               {200, listPage({customer(3, 2.5), customer(4, QStringLiteral("n/a"))}, false)}};
    const RunSummary summary = run({QStringLiteral("customers")});
    QCOMPARE(summary.status, RunSummary::Status::Succeeded);
    QCOMPARE(summary.collections.first().records, 4);
    QCOMPARE(scalar(QStringLiteral("SELECT length(description) FROM stripe_customers WHERE id = 'cus_0001'")).toInt(),
             huge.size());
    QCOMPARE(
            scalar(QStringLiteral(
                           "SELECT \"___drop_table_stripe_customers____\" FROM stripe_customers WHERE id = 'cus_0001'"))
                    .toString(),
            QStringLiteral("evil"));
    QCOMPARE(scalar(QStringLiteral("SELECT balance FROM stripe_customers WHERE id = 'cus_0002'")).toInt(), 5);
    QCOMPARE(scalar(QStringLiteral("SELECT balance FROM stripe_customers WHERE id = 'cus_0003'")).toDouble(), 2.5);
    QCOMPARE(scalar(QStringLiteral("SELECT balance FROM stripe_customers WHERE id = 'cus_0004'")).toString(),
             QStringLiteral("n/a"));
    QCOMPARE(scalar(QStringLiteral("SELECT type FROM _tributary_columns WHERE column_name = 'balance'")).toString(),
             QStringLiteral("text"));
}

void TestSyncJob::invalidUtf8IsAClearParseError()
{
    QByteArray body = listPage({customer(1)}, false);
    body.replace("Z\xc3\xbcrich", "Z\xff\xferich");
    m_pages[QStringLiteral("/v1/customers")] = {{200, body}};
    const RunSummary summary = run({QStringLiteral("customers")});
    const CollectionSummary &c = summary.collections.first();
    // Either stored safely (with replacement characters) or a clear parse error: never a crash.
    if (c.status == CollectionSummary::Status::Failed) {
        QCOMPARE(c.error->kind, Error::Kind::Parse);
        QVERIFY(!c.error->hint.isEmpty());
    } else {
        QCOMPARE(c.status, CollectionSummary::Status::Succeeded);
        QVERIFY(scalar(QStringLiteral("SELECT address_city FROM stripe_customers"))
                        .toString()
                        .startsWith(QLatin1Char('Z')));
    }
}

void TestSyncJob::accessDeniedStopsBeforeTheNextCollection()
{
    m_pages[QStringLiteral("/v1/customers")] = {{200, listPage({customer(1)}, false)}};
    m_pages[QStringLiteral("/v1/charges")] = {{401,
                                               "{\"error\":{\"message\":\"Invalid API Key provided: "
                                               "sk_test_****x\",\"type\":\"invalid_request_error\"}}"}};
    m_pages[QStringLiteral("/v1/products")] = {{200, listPage({}, false)}};
    const RunSummary summary
            = run({QStringLiteral("customers"), QStringLiteral("charges"), QStringLiteral("products")});
    QCOMPARE(summary.status, RunSummary::Status::Aborted);
    QCOMPARE(summary.exitCode(), 4);
    QCOMPARE(summary.collections.at(0).status, CollectionSummary::Status::Succeeded);
    QCOMPARE(summary.collections.at(1).status, CollectionSummary::Status::Failed);
    QCOMPARE(summary.collections.at(2).status, CollectionSummary::Status::Skipped);
    QCOMPARE(m_server->requestCount(), 2); // products was never asked
    QVERIFY(summary.error->message.contains(QStringLiteral("denied")));
}

void TestSyncJob::permissionErrorFailsOnlyItsCollection()
{
    m_pages[QStringLiteral("/v1/customers")]
            = {{403,
                "{\"error\":{\"message\":\"The provided key 'rk_test_***1' does not have the required permissions for "
                "this endpoint on account 'acct_1'. Having the 'rak_customer_read' permission would allow this request "
                "to continue.\",\"type\":\"invalid_request_error\"}}"}};
    m_pages[QStringLiteral("/v1/products")] = {{200, listPage({}, false)}};
    const RunSummary summary = run({QStringLiteral("customers"), QStringLiteral("products")});
    QCOMPARE(summary.status, RunSummary::Status::Partial);
    QCOMPARE(summary.exitCode(), 3);
    QCOMPARE(summary.collections.at(0).error->kind, Error::Kind::Permission);
    QVERIFY(summary.collections.at(0).error->hint.contains(QStringLiteral("'rak_customer_read'")));
    QCOMPARE(summary.collections.at(1).status, CollectionSummary::Status::Succeeded);
}

void TestSyncJob::hangingUpstreamStallsAndTheWatchdogNamesIt()
{
    m_pages[QStringLiteral("/v1/products")] = {{200, listPage({}, false)}};
    QElapsedTimer timer;
    timer.start();
    const RunSummary summary = run({QStringLiteral("customers"), QStringLiteral("products")}, 1);
    QVERIFY(timer.elapsed() < 20000);
    QCOMPARE(summary.collections.at(0).status, CollectionSummary::Status::Stalled);
    QCOMPARE(summary.collections.at(0).error->kind, Error::Kind::Stalled);
    QVERIFY(summary.collections.at(0).error->message.contains(QStringLiteral("1 s without progress")));
    QCOMPARE(summary.collections.at(1).status, CollectionSummary::Status::Succeeded);
}

void TestSyncJob::fastPagesShareOneWrite()
{
    // Two and a half writes' worth of pages of 100 served at once: written recordLimit() records
    // at a time, the last write when the last page comes; every record once.
    const int pages = PendingWrite::kDefaultRecordLimit * 5 / 2 / 100;
    auto &queue = m_pages[QStringLiteral("/v1/customers")];
    for (int page = 0; page < pages; ++page) {
        QJsonArray records;
        for (int i = 0; i < 100; ++i)
            records.append(customer(page * 100 + i));
        queue.append({200, listPage(records, page < pages - 1)});
    }
    const RunSummary summary = run({QStringLiteral("customers")});
    QCOMPARE(summary.status, RunSummary::Status::Succeeded);
    const CollectionSummary &c = summary.collections.first();
    QCOMPARE(c.pages, pages);
    QCOMPARE(c.records, pages * 100);
    QCOMPARE(c.inserted, pages * 100);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(DISTINCT id) FROM stripe_customers")).toInt(), pages * 100);
    QFile log(m_dir->filePath(QStringLiteral("run.log")));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(log.readAll());
    // Pages arrive faster than 250 ms apart here, so only the record limit splits the writes
    // (a loaded machine may add a write in between: the count of writes is at least 3).
    QVERIFY2(text.count(QStringLiteral("[customers] page")) >= 3, qPrintable(text));
    QVERIFY2(text.count(QStringLiteral("[customers] page")) < pages, qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("[customers] pages 1-")), qPrintable(text));
    // Every page is in exactly one write, in order: the writes' page ranges join up to the last.
    int next = 1;
    static const QRegularExpression range(QStringLiteral("\\[customers\\] pages? (\\d+)(?:-(\\d+))?: "));
    for (auto it = range.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        QCOMPARE(m.captured(1).toInt(), next);
        next = (m.captured(2).isEmpty() ? m.captured(1) : m.captured(2)).toInt() + 1;
    }
    QCOMPARE(next, pages + 1);
}

void TestSyncJob::pagesHeldWhileTheUpstreamHangsAreWritten()
{
    // Three pages, then the upstream hangs: the held pages are written within the age limit
    // (250 ms), long before the watchdog stops the collection; the cursor is the third page's.
    auto &queue = m_pages[QStringLiteral("/v1/customers")];
    for (int page = 0; page < 3; ++page)
        queue.append({200, listPage({customer(page * 2), customer(page * 2 + 1)}, true)});
    int rowsWhileHanging = -1;
    QString cursorWhileHanging;
    QTimer::singleShot(1500, this, [&] {
        rowsWhileHanging = scalar(QStringLiteral("SELECT COUNT(*) FROM stripe_customers")).toInt();
        cursorWhileHanging = scalar(QStringLiteral("SELECT state FROM _tributary_state")).toString();
    });
    const RunSummary summary = run({QStringLiteral("customers")}, 4);
    QCOMPARE(rowsWhileHanging, 6);
    QVERIFY2(cursorWhileHanging.contains(QStringLiteral("cus_0005")), qPrintable(cursorWhileHanging));
    const CollectionSummary &c = summary.collections.first();
    QCOMPARE(c.status, CollectionSummary::Status::Stalled);
    QCOMPARE(c.records, 6);
    QCOMPARE(c.pages, 3);
}

QTEST_GUILESS_MAIN(TestSyncJob)
#include "TestSyncJob.moc"
