// End to end through the real CLI binary with the offline Sample Store: no network, no key.
#include "e2e/CliProcess.h"
#include "e2e/WarehouseReader.h"

#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace tributary::test;

namespace {

const QStringList kCollections {QStringLiteral("customers"), QStringLiteral("orders"), QStringLiteral("order_items"),
                                QStringLiteral("tickets"), QStringLiteral("page_views")};

} // namespace

class TestSampleSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstSyncThenChanges();
    void sameSeedSameShop();
    void catalogListsIt();
};

void TestSampleSync::firstSyncThenChanges()
{
    QTemporaryDir dir;
    CliProcess cli(dir.path());
    const auto added = cli.run({QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("sample"),
                                QStringLiteral("--name"), QStringLiteral("shop")});
    QVERIFY2(added.exitCode == 0, added.err.constData());

    const auto first = cli.run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--json")});
    QVERIFY2(first.exitCode == 0, first.out.constData());
    const QJsonObject summary = first.json();
    QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(summary.value(QStringLiteral("api_calls")).toInt(), 0);
    QVERIFY(summary.value(QStringLiteral("records")).toInt() >= 2000);
    {
        WarehouseReader wh(cli.warehousePath());
        for (const QString &name : kCollections) {
            const QJsonObject c = collectionOf(summary, name);
            QCOMPARE(c.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
            // The store says how many records come: what the window's progress bar counts to.
            QVERIFY(c.value(QStringLiteral("received")).toInt() > 0);
            QCOMPARE(c.value(QStringLiteral("expected_records")).toInt(), c.value(QStringLiteral("received")).toInt());
            QCOMPARE(c.value(QStringLiteral("table")).toString(), QStringLiteral("sample_") + name);
            QCOMPARE(wh.count(QStringLiteral("SELECT COUNT(*) FROM sample_%1").arg(name)),
                     qint64(c.value(QStringLiteral("inserted")).toInt()));
        }
        QCOMPARE(wh.count(QStringLiteral("SELECT COUNT(*) FROM sample_customers")), 400);
        QVERIFY(wh.count(QStringLiteral("SELECT COUNT(*) FROM sample_order_items"))
                > wh.count(QStringLiteral("SELECT COUNT(*) FROM sample_orders")));
        QCOMPARE(wh.count(QStringLiteral("SELECT COUNT(*) FROM sample_customers WHERE is_deleted = 1")), 0);
        // Nested objects flattened, typed columns.
        QCOMPARE(wh.count(QStringLiteral("SELECT COUNT(*) FROM sample_customers WHERE address_city IS NULL")), 0);
        QCOMPARE(wh.count(QStringLiteral("SELECT COUNT(*) FROM sample_orders WHERE typeof(total) <> 'real' AND "
                                         "typeof(total) <> 'integer'")),
                 0);
        // Orders point at customers that exist.
        QCOMPARE(wh.count(QStringLiteral("SELECT COUNT(*) FROM sample_orders o LEFT JOIN sample_customers c ON "
                                         "c.id = o.customer_id WHERE c.id IS NULL")),
                 0);
    }

    // The shop moves on between syncs: new customers and orders, updates, deletions, page views.
    const auto second = cli.run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--json")});
    QVERIFY2(second.exitCode == 0, second.out.constData());
    const QJsonObject changes = second.json();
    const QJsonObject customers = collectionOf(changes, QStringLiteral("customers"));
    QVERIFY(customers.value(QStringLiteral("inserted")).toInt() >= 4);
    QVERIFY(customers.value(QStringLiteral("updated")).toInt() >= 1);
    QVERIFY(collectionOf(changes, QStringLiteral("orders")).value(QStringLiteral("inserted")).toInt() >= 10);
    QVERIFY(collectionOf(changes, QStringLiteral("page_views")).value(QStringLiteral("inserted")).toInt() >= 80);
    // Only what changed is read: far fewer rows than the first time.
    QVERIFY(changes.value(QStringLiteral("records")).toInt() < summary.value(QStringLiteral("records")).toInt() / 4);
    {
        WarehouseReader wh(cli.warehousePath());
        QVERIFY(wh.count(QStringLiteral("SELECT COUNT(*) FROM sample_customers WHERE is_deleted = 1")) >= 1);
        QCOMPARE(wh.count(QStringLiteral("SELECT COUNT(*) FROM sample_customers")),
                 400 + customers.value(QStringLiteral("inserted")).toInt());
    }
    // And again.
    const auto third = cli.run({QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--json")});
    QCOMPARE(third.exitCode, 0);
    QVERIFY(collectionOf(third.json(), QStringLiteral("orders")).value(QStringLiteral("records")).toInt() > 0);
}

void TestSampleSync::sameSeedSameShop()
{
    QTemporaryDir a;
    QTemporaryDir b;
    for (const QTemporaryDir *dir : {&a, &b}) {
        CliProcess cli(dir->path());
        QCOMPARE(cli.run({QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("sample"),
                          QStringLiteral("--name"), QStringLiteral("shop"), QStringLiteral("--set"),
                          QStringLiteral("seed=42")})
                         .exitCode,
                 0);
        QCOMPARE(cli.run({QStringLiteral("sync"), QStringLiteral("shop")}).exitCode, 0);
    }
    WarehouseReader first(a.path() + QStringLiteral("/warehouse.sqlite"));
    WarehouseReader second(b.path() + QStringLiteral("/warehouse.sqlite"));
    for (const QString &name : {QStringLiteral("orders"), QStringLiteral("order_items"), QStringLiteral("tickets")})
        QCOMPARE(first.dump(QStringLiteral("sample_") + name), second.dump(QStringLiteral("sample_") + name));
}

void TestSampleSync::catalogListsIt()
{
    QTemporaryDir dir;
    CliProcess cli(dir.path());
    const auto catalog = cli.run({QStringLiteral("catalog"), QStringLiteral("--json")});
    QCOMPARE(catalog.exitCode, 0);
    QVERIFY(catalog.out.contains("\"sample\""));
    QVERIFY(catalog.out.contains("page_views"));
    QVERIFY(catalog.out.contains("\"zendesk\""));
}

QTEST_GUILESS_MAIN(TestSampleSync)
#include "TestSampleSync.moc"
