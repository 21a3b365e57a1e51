#include "warehouse/PostgresWarehouse.h"
#include "warehouse/SqliteWarehouse.h"
#include "warehouse/Warehouse.h"

#include <QDir>
#include <QTest>

using namespace tributary;
using namespace Qt::StringLiterals;

// Warehouse::create: which URL gives which warehouse, and what a wrong one says.
class TestWarehouse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sqliteUrls_data();
    void sqliteUrls();
    void postgresUrls_data();
    void postgresUrls();
    void rejectedUrls_data();
    void rejectedUrls();
};

void TestWarehouse::sqliteUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("path");

    const QString current = QDir::currentPath();
    QTest::newRow("absolute") << u"sqlite:/data/tributary.db"_s << u"/data/tributary.db"_s;
    QTest::newRow("relative") << u"sqlite:warehouse.db"_s << current + u"/warehouse.db"_s;
    QTest::newRow("relative folder") << u"sqlite:./out/../out/w.db"_s << current + u"/out/w.db"_s;
    QTest::newRow("triple slash") << u"sqlite:///data/w.db"_s << u"/data/w.db"_s;
    QTest::newRow("home") << u"sqlite:~/w.db"_s << QDir::homePath() + u"/w.db"_s;
    QTest::newRow("upper-case scheme, spaces") << u"  SQLITE:/data/w.db "_s << u"/data/w.db"_s;
    QTest::newRow("space in path") << u"sqlite:/data/my files/w.db"_s << u"/data/my files/w.db"_s;
}

void TestWarehouse::sqliteUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, path);
    Result<std::unique_ptr<Warehouse>> warehouse = Warehouse::create(url);
    QVERIFY2(warehouse.ok(), qPrintable(warehouse.ok() ? QString() : warehouse.error().message));
    auto *sqlite = dynamic_cast<SqliteWarehouse *>(warehouse->get());
    QVERIFY(sqlite);
    QCOMPARE(sqlite->path(), path);
    QCOMPARE((*warehouse)->url(), u"sqlite:"_s + path);
    QCOMPARE((*warehouse)->tableName(u"stripe"_s, u"customers"_s), u"stripe_customers"_s);
}

void TestWarehouse::postgresUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("shown");

    QTest::newRow("postgresql") << u"postgresql://me@localhost:5432/warehouse"_s
                                << u"postgresql://me@localhost:5432/warehouse"_s;
    QTest::newRow("postgres") << u"postgres://me@localhost/warehouse"_s << u"postgres://me@localhost/warehouse"_s;
    QTest::newRow("sslmode") << u" postgresql://me@db.example.com:6543/w?sslmode=require "_s
                             << u"postgresql://me@db.example.com:6543/w?sslmode=require"_s;
    QTest::newRow("password hidden") << u"postgresql://me:hunter2@localhost/w"_s << u"postgresql://me@localhost/w"_s;
}

void TestWarehouse::postgresUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, shown);
    // Created without connecting: `warehouse set` checks the URL only.
    Result<std::unique_ptr<Warehouse>> warehouse = Warehouse::create(url, u"secret"_s);
    QVERIFY2(warehouse.ok(), qPrintable(warehouse.ok() ? QString() : warehouse.error().message));
    QVERIFY(dynamic_cast<PostgresWarehouse *>(warehouse->get()));
    QCOMPARE((*warehouse)->url(), shown);
    QCOMPARE((*warehouse)->tableName(u"stripe"_s, u"customers"_s), u"stripe.customers"_s);
    QCOMPARE((*warehouse)->sqlTableName(u"stripe"_s, u"customers"_s), uR"("stripe"."customers")"_s);
}

void TestWarehouse::rejectedUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("message");

    QTest::newRow("postgresql port") << u"postgresql://me:hunter2@localhost:http/w"_s
                                     << u"The warehouse URL postgresql://me@localhost:http/w cannot be read: invalid "
                                        "port number: \"http\""_s;
    QTest::newRow("postgresql option") << u"postgresql://me@localhost/w?color=blue"_s
                                       << u"The warehouse URL postgresql://me@localhost/w?color=blue cannot be read: "
                                          "invalid URI query parameter: \"color\""_s;
    QTest::newRow("empty sqlite path") << u"sqlite:"_s << u"The warehouse URL sqlite: names no file."_s;
    QTest::newRow("empty") << QString() << u"The warehouse URL  is not one Tributary can use."_s;
    QTest::newRow("bare path") << u"/data/w.db"_s << u"The warehouse URL /data/w.db is not one Tributary can use."_s;
    QTest::newRow("password hidden") << u"mysql://me:hunter2@host/db"_s
                                     << u"The warehouse URL mysql://me@host/db is not one Tributary can use."_s;
}

void TestWarehouse::rejectedUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, message);
    const Result<std::unique_ptr<Warehouse>> warehouse = Warehouse::create(url, u"secret"_s);
    QVERIFY(!warehouse.ok());
    QCOMPARE(warehouse.error().kind, Error::Kind::Config);
    QCOMPARE(warehouse.error().message, message);
    QVERIFY(!warehouse.error().hint.isEmpty());
    QVERIFY(!warehouse.error().message.contains(u"hunter2"_s));
    QVERIFY(!warehouse.error().hint.contains(u"secret"_s));
    if (!url.startsWith(u"postgres"_s))
        QVERIFY(warehouse.error().hint.contains(u"sqlite:PATH"_s));
    QVERIFY(warehouse.error().hint.contains(u"postgresql://USER@HOST:PORT/DB"_s));
}

QTEST_GUILESS_MAIN(TestWarehouse)
#include "TestWarehouse.moc"
