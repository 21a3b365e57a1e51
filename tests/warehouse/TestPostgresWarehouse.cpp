// Runs against a real PostgreSQL server: TRIBUTARY_TEST_PG_URL, a superuser's URL with its password
// (scripts/pg-test-server.sh starts a private one; scripts/test.sh does so around ctest). Each run
// creates its own database and drops it afterwards. Without the variable the suite is skipped,
// except under CI=true, where that is a failure.
#include "PgTestServer.h"
#include "warehouse/PostgresWarehouse.h"

#include "core/Identifier.h"
#include "warehouse/PostgresConnection.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTest>
#include <QThread>
#include <QUrl>
#include <QUuid>

#include <atomic>
#include <memory>

using namespace tributary;
using namespace Qt::StringLiterals;

namespace {

const QDateTime kFirstSync(QDate(2026, 1, 2), QTime(3, 4, 5, 678), Qt::UTC);
const QDateTime kSecondSync(QDate(2026, 1, 3), QTime(6, 7, 8, 9), Qt::UTC);

FlatField field(const QString &column, ColumnType type, const QVariant &value)
{
    return FlatField {column, type, value};
}

FlatField integer(const QString &column, qint64 value)
{
    return field(column, ColumnType::Integer, value);
}

FlatField text(const QString &column, const QString &value)
{
    return field(column, ColumnType::Text, value);
}

FlatRecord record(const QString &id, const QList<FlatField> &fields)
{
    FlatRecord r;
    r.id = id;
    r.fields = fields;
    return r;
}

WriteRequest request(const QString &schema, const QString &collection, const QList<FlatRecord> &rows,
                     CollectionKind kind = CollectionKind::Object, const QString &cursor = u"1"_s)
{
    WriteRequest r;
    r.source = schema + u"-source"_s;
    r.schema = schema;
    r.collection = collection;
    r.kind = kind;
    r.rows = rows;
    r.receivedAt = kFirstSync;
    r.state = QJsonObject {{u"cursor"_s, cursor}};
    return r;
}

// The URL with another database and without its password.
QString withDatabase(const QUrl &url, const QString &database, const QString &user = {})
{
    QUrl copy = url;
    copy.setPassword({});
    copy.setPath(u"/"_s + database);
    if (!user.isEmpty())
        copy.setUserName(user);
    return copy.toString();
}

} // namespace

class TestPostgresWarehouse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void createAndUrl();
    void storesEveryType();
    void upsertSetsOnlyCarriedColumns();
    void duplicateIdsInOneBatch();
    void versionColumn();
    void eventsAreDeduplicated();
    void deletedFlagsAndSystemNames();
    void schemaEvolutionAndWidening();
    void hostileIdentifiers();
    void longNamesAreShortened();
    void nulCharacters();
    void emptyBatchStillWritesState();
    void stateReadAndClear();
    void tablesCountsAndTypes();
    void readOnlyQueries();
    void terminatedBackendLeavesNothingBehind();
    void serverErrorRollsBackSchemaChanges();
    void concurrentSources();
    void sentWritesFinishWhileTheCallerGoesOn();
    void sentWriteThatFailsLeavesNothing();
    void versionedWritesAreSentToo();
    void manyRowsInOneBatch();
    void preparedWritesFollowTheSchema();
    void testConnection_data();
    void testConnection();

private:
    std::unique_ptr<PostgresWarehouse> openWarehouse(const QString &database = {});
    WriteStats write(PostgresWarehouse &warehouse, const WriteRequest &request);
    // finishWrite()'s stats ({-1, -1, -1} when it failed).
    WriteStats finish(PostgresWarehouse &warehouse);
    // Writes "<schema>.charges" with one row (cursor page-1); the next page: 100 new rows.
    QList<FlatRecord> startSentWriteTable(const QString &schema);
    // Runs one statement on the admin connection to the test database; the rows as text.
    QList<QStringList> rows(const QString &sql);
    QString scalar(const QString &sql);

    QUrl m_server; // the superuser's URL, with password
    QString m_password;
    QString m_database; // this run's database
    QString m_url;      // m_database's URL without password
    std::unique_ptr<PostgresConnection> m_admin;
    std::unique_ptr<PostgresWarehouse> m_warehouse;
};

#define QCOMPARE_STATS(stats, i, u, s) \
    do { \
        const WriteStats _st = (stats); \
        QCOMPARE(_st.inserted, i); \
        QCOMPARE(_st.updated, u); \
        QCOMPARE(_st.skipped, s); \
    } while (false)

void TestPostgresWarehouse::initTestCase()
{
    QLoggingCategory::setFilterRules(u"tributary.*.debug=false\ntributary.*.info=false"_s);
    TRIBUTARY_TEST_PG_URL_OR_SKIP(url);
    m_server = QUrl(url);
    QVERIFY(m_server.isValid());
    m_password = m_server.password();
    m_database = u"tributary_test_"_s + QUuid::createUuid().toString(QUuid::Id128).left(12);

    PostgresConnection server;
    QVERIFY2(server.connect(url, {}), qPrintable(server.failure().message));
    QVERIFY2(server.exec(u"CREATE DATABASE "_s + Identifier::quote(m_database)), qPrintable(server.failure().message));
    m_url = withDatabase(m_server, m_database);
    m_admin = std::make_unique<PostgresConnection>();
    QVERIFY2(m_admin->connect(m_url, m_password), qPrintable(m_admin->failure().message));
}

void TestPostgresWarehouse::cleanupTestCase()
{
    m_warehouse.reset();
    m_admin.reset();
    if (m_database.isEmpty())
        return;
    PostgresConnection server;
    if (server.connect(m_server.toString(), {})) {
        for (const QString &db : QStringList {m_database, m_database + u"_c"_s})
            (void)server.exec(u"DROP DATABASE IF EXISTS "_s + Identifier::quote(db) + u" WITH (FORCE)"_s);
        (void)server.exec(u"DROP ROLE IF EXISTS "_s + Identifier::quote(m_database + u"_limited"_s));
    }
}

void TestPostgresWarehouse::init()
{
    m_warehouse = openWarehouse();
    QVERIFY(m_warehouse);
}

void TestPostgresWarehouse::cleanup()
{
    m_warehouse.reset();
}

std::unique_ptr<PostgresWarehouse> TestPostgresWarehouse::openWarehouse(const QString &database)
{
    auto warehouse = std::make_unique<PostgresWarehouse>(database.isEmpty() ? m_url : withDatabase(m_server, database),
                                                         m_password);
    const Result<void> opened = warehouse->open();
    if (!opened) {
        qWarning() << opened.error().message;
        return nullptr;
    }
    return warehouse;
}

WriteStats TestPostgresWarehouse::write(PostgresWarehouse &warehouse, const WriteRequest &request)
{
    const Result<WriteStats> result = warehouse.write(request);
    if (!result) {
        qWarning() << "write failed:" << result.error().message;
        return WriteStats {-1, -1, -1};
    }
    return *result;
}

WriteStats TestPostgresWarehouse::finish(PostgresWarehouse &warehouse)
{
    const Result<WriteStats> result = warehouse.finishWrite();
    if (!result) {
        qWarning() << "write failed:" << result.error().message;
        return WriteStats {-1, -1, -1};
    }
    return *result;
}

QList<FlatRecord> TestPostgresWarehouse::startSentWriteTable(const QString &schema)
{
    const WriteStats first = write(*m_warehouse,
                                   request(schema, u"charges"_s, {record(u"c0"_s, {integer(u"amount"_s, 0)})},
                                           CollectionKind::Object, u"page-1"_s));
    if (first.inserted != 1)
        qWarning() << "the first write of" << schema << "failed";
    QList<FlatRecord> page;
    for (int i = 1; i <= 100; ++i)
        page.append(record(u"c%1"_s.arg(i), {integer(u"amount"_s, i)}));
    return page;
}

QList<QStringList> TestPostgresWarehouse::rows(const QString &sql)
{
    PostgresConnection::Rows result;
    if (!m_admin->exec(sql, &result)) {
        qWarning() << "query failed:" << sql << m_admin->failure().message;
        return {};
    }
    QList<QStringList> out;
    for (int r = 0; r < result.rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < result.columnCount(); ++c)
            row.append(result.isNull(r, c) ? u"<null>"_s : result.text(r, c));
        out.append(row);
    }
    return out;
}

QString TestPostgresWarehouse::scalar(const QString &sql)
{
    const QList<QStringList> result = rows(sql);
    return result.isEmpty() || result.first().isEmpty() ? u"<none>"_s : result.first().first();
}

void TestPostgresWarehouse::createAndUrl()
{
    QUrl withPassword = m_server;
    withPassword.setPath(u"/"_s + m_database);
    Result<std::unique_ptr<Warehouse>> created = Warehouse::create(withPassword.toString());
    QVERIFY(created);
    QVERIFY(!(*created)->url().contains(m_password));
    QVERIFY((*created)->url().startsWith(u"postgresql://"_s));
    QVERIFY((*created)->open()); // the password in the URL is used
    QCOMPARE((*created)->tableName(u"stripe"_s, u"customers"_s), u"stripe.customers"_s);
    QCOMPARE((*created)->sqlTableName(u"stripe"_s, u"customers"_s), uR"("stripe"."customers")"_s);

    Result<std::unique_ptr<Warehouse>> bad = Warehouse::create(u"postgresql://me@localhost:notaport/db"_s);
    QVERIFY(!bad);
    QCOMPARE(bad.error().kind, Error::Kind::Config);
    bad = Warehouse::create(u"postgresql://me@localhost/db?nosuchoption=1"_s);
    QVERIFY(!bad);
    QCOMPARE(bad.error().kind, Error::Kind::Config);
    QVERIFY(Warehouse::create(u"postgresql://me@localhost:5432/db?sslmode=require"_s));
}

void TestPostgresWarehouse::storesEveryType()
{
    const WriteRequest r
            = request(u"types"_s, u"customers"_s,
                      {record(u"cus_1"_s,
                              {integer(u"n"_s, 9007199254740993LL), field(u"flag"_s, ColumnType::Boolean, true),
                               field(u"off"_s, ColumnType::Boolean, false), field(u"amount"_s, ColumnType::Real, 0.1),
                               field(u"created"_s, ColumnType::Timestamp,
                                     QDateTime(QDate(2025, 5, 6), QTime(7, 8, 9, 10), Qt::UTC)),
                               field(u"tags"_s, ColumnType::Json, u"[1,{\"a\":\"b\"}]"_s),
                               text(u"name"_s, u"Zoë \\ \t\n😀"_s), field(u"empty"_s, ColumnType::Null, QVariant())})});
    QCOMPARE_STATS(write(*m_warehouse, r), 1, 0, 0);
    const QList<QStringList> types
            = rows(u"SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                   "'\"types\".\"customers\"'::regclass AND attnum > 0 ORDER BY attnum"_s);
    const QList<QStringList> expectedTypes {
            {u"id"_s, u"text"_s},
            {u"received_at"_s, u"timestamp with time zone"_s},
            {u"is_deleted"_s, u"boolean"_s},
            {u"n"_s, u"bigint"_s},
            {u"flag"_s, u"boolean"_s},
            {u"off"_s, u"boolean"_s},
            {u"amount"_s, u"double precision"_s},
            {u"created"_s, u"timestamp with time zone"_s},
            {u"tags"_s, u"jsonb"_s},
            {u"name"_s, u"text"_s},
            {u"empty"_s, u"text"_s},
    };
    QCOMPARE(types, expectedTypes);
    const QList<QStringList> values
            = rows(u"SELECT id, received_at, is_deleted, n, flag, off, amount, created, tags #>> '{1,a}', name, "
                   "empty FROM types.customers"_s);
    const QList<QStringList> expected {{u"cus_1"_s, u"2026-01-02 03:04:05.678+00"_s, u"f"_s, u"9007199254740993"_s,
                                        u"t"_s, u"f"_s, u"0.1"_s, u"2025-05-06 07:08:09.01+00"_s, u"b"_s,
                                        u"Zoë \\ \t\n😀"_s, u"<null>"_s}};
    QCOMPARE(values, expected);
    QCOMPARE(scalar(u"SELECT state->>'cursor' FROM _tributary.state WHERE source = 'types-source'"_s), u"1"_s);
    QCOMPARE(scalar(u"SELECT type FROM _tributary.columns WHERE table_schema = 'types' AND column_name = 'empty'"_s),
             u"null"_s);

    // The null-only column takes the type of the first value it sees.
    QCOMPARE_STATS(
            write(*m_warehouse, request(u"types"_s, u"customers"_s, {record(u"cus_2"_s, {integer(u"empty"_s, 7)})})), 1,
            0, 0);
    QCOMPARE(scalar(u"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                    "'types.customers'::regclass AND attname = 'empty'"_s),
             u"bigint"_s);
    QCOMPARE(scalar(u"SELECT empty FROM types.customers WHERE id = 'cus_2'"_s), u"7"_s);
}

void TestPostgresWarehouse::upsertSetsOnlyCarriedColumns()
{
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"upsert"_s, u"customers"_s,
                                 {record(u"a"_s, {integer(u"n"_s, 1), text(u"name"_s, u"Ann"_s)}),
                                  record(u"b"_s, {integer(u"n"_s, 2), text(u"name"_s, u"Bob"_s)})})),
                   2, 0, 0);
    WriteRequest second = request(u"upsert"_s, u"customers"_s,
                                  {record(u"a"_s, {integer(u"n"_s, 10)}),
                                   record(u"b"_s, {integer(u"n"_s, 20), field(u"name"_s, ColumnType::Null, {})}),
                                   record(u"c"_s, {text(u"name"_s, u"Cid"_s)})},
                                  CollectionKind::Object, u"2"_s);
    second.receivedAt = kSecondSync;
    QCOMPARE_STATS(write(*m_warehouse, second), 1, 2, 0);
    const QList<QStringList> expected {{u"a"_s, u"10"_s, u"Ann"_s, u"2026-01-03 06:07:08.009+00"_s},
                                       {u"b"_s, u"20"_s, u"<null>"_s, u"2026-01-03 06:07:08.009+00"_s},
                                       {u"c"_s, u"<null>"_s, u"Cid"_s, u"2026-01-03 06:07:08.009+00"_s}};
    QCOMPARE(rows(u"SELECT id, n, name, received_at FROM upsert.customers ORDER BY id"_s), expected);
    // The same again: the staging table of that column set is reused.
    QCOMPARE_STATS(write(*m_warehouse, second), 0, 3, 0);
    QCOMPARE(rows(u"SELECT id, n, name, received_at FROM upsert.customers ORDER BY id"_s), expected);
}

void TestPostgresWarehouse::duplicateIdsInOneBatch()
{
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"dups"_s, u"customers"_s,
                                 {record(u"a"_s, {integer(u"n"_s, 1)}), record(u"b"_s, {integer(u"n"_s, 2)}),
                                  record(u"a"_s, {integer(u"n"_s, 3)})})),
                   2, 0, 1);
    QCOMPARE(rows(u"SELECT id, n FROM dups.customers ORDER BY id"_s),
             (QList<QStringList> {{u"a"_s, u"3"_s}, {u"b"_s, u"2"_s}}));
}

void TestPostgresWarehouse::versionColumn()
{
    const auto versioned = [](const QString &id, qint64 version, const QString &name, bool current) {
        WriteRequest r = request(u"versions"_s, u"subscriptions"_s,
                                 {record(id, {integer(u"updated"_s, version), text(u"status"_s, name)})});
        r.versionColumn = u"updated"_s;
        r.replaceOnEqualVersion = current;
        return r;
    };
    QCOMPARE_STATS(write(*m_warehouse, versioned(u"s1"_s, 5, u"active"_s, false)), 1, 0, 0);
    QCOMPARE_STATS(write(*m_warehouse, versioned(u"s1"_s, 4, u"older"_s, false)), 0, 0, 1);
    QCOMPARE_STATS(write(*m_warehouse, versioned(u"s1"_s, 5, u"repeated"_s, false)), 0, 0, 1);
    QCOMPARE(scalar(u"SELECT status FROM versions.subscriptions"_s), u"active"_s);
    QCOMPARE_STATS(write(*m_warehouse, versioned(u"s1"_s, 5, u"current"_s, true)), 0, 1, 0);
    QCOMPARE(scalar(u"SELECT status FROM versions.subscriptions"_s), u"current"_s);
    QCOMPARE_STATS(write(*m_warehouse, versioned(u"s1"_s, 6, u"newer"_s, false)), 0, 1, 0);
    QCOMPARE(scalar(u"SELECT status || ':' || updated FROM versions.subscriptions"_s), u"newer:6"_s);

    // Within a batch too, and mixed with new ids; timestamps compare chronologically.
    WriteRequest batch
            = request(u"versions"_s, u"events_feed"_s,
                      {record(u"x"_s, {field(u"at"_s, ColumnType::Timestamp, kSecondSync), text(u"v"_s, u"new"_s)}),
                       record(u"x"_s, {field(u"at"_s, ColumnType::Timestamp, kFirstSync), text(u"v"_s, u"old"_s)})});
    batch.versionColumn = u"at"_s;
    QCOMPARE_STATS(write(*m_warehouse, batch), 1, 0, 1);
    QCOMPARE(scalar(u"SELECT v FROM versions.events_feed"_s), u"new"_s);
    batch.rows = {record(u"x"_s, {field(u"at"_s, ColumnType::Timestamp, kFirstSync), text(u"v"_s, u"old"_s)}),
                  record(u"y"_s, {field(u"at"_s, ColumnType::Timestamp, kFirstSync), text(u"v"_s, u"y"_s)})};
    QCOMPARE_STATS(write(*m_warehouse, batch), 1, 0, 1);
    QCOMPARE(scalar(u"SELECT string_agg(v, ',' ORDER BY id) FROM versions.events_feed"_s), u"new,y"_s);
}

void TestPostgresWarehouse::eventsAreDeduplicated()
{
    QCOMPARE_STATS(
            write(*m_warehouse,
                  request(u"ev"_s, u"events"_s,
                          {record(u"e1"_s, {text(u"type"_s, u"first"_s)}), record(u"e2"_s, {text(u"type"_s, u"b"_s)}),
                           record(u"e1"_s, {text(u"type"_s, u"second"_s)})},
                          CollectionKind::Event)),
            2, 0, 1);
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"ev"_s, u"events"_s,
                                 {record(u"e2"_s, {text(u"type"_s, u"again"_s)}),
                                  record(u"e3"_s,
                                         {text(u"type"_s, u"c"_s), field(u"is_deleted"_s, ColumnType::Boolean, true)})},
                                 CollectionKind::Event)),
                   1, 0, 1);
    QCOMPARE(rows(u"SELECT id, type, is_deleted FROM ev.events ORDER BY id"_s),
             (QList<QStringList> {
                     {u"e1"_s, u"first"_s, u"<null>"_s}, {u"e2"_s, u"b"_s, u"<null>"_s}, {u"e3"_s, u"c"_s, u"t"_s}}));
}

void TestPostgresWarehouse::deletedFlagsAndSystemNames()
{
    WriteRequest r = request(u"del"_s, u"tickets"_s,
                             {record(u"t1"_s, {text(u"received_at"_s, u"upstream"_s), integer(u"id"_s, 99)}),
                              record(u"t2"_s, {field(u"is_deleted"_s, ColumnType::Boolean, true)}),
                              record(u"t3"_s, {text(u"status"_s, u"open"_s)})});
    r.deleted = {false, false, true};
    QCOMPARE_STATS(write(*m_warehouse, r), 3, 0, 0);
    QCOMPARE(rows(u"SELECT id, is_deleted, _received_at FROM del.tickets ORDER BY id"_s),
             (QList<QStringList> {{u"t1"_s, u"f"_s, u"upstream"_s},
                                  {u"t2"_s, u"t"_s, u"<null>"_s},
                                  {u"t3"_s, u"t"_s, u"<null>"_s}}));
}

void TestPostgresWarehouse::schemaEvolutionAndWidening()
{
    const QDateTime when(QDate(2025, 1, 2), QTime(3, 4, 5, 6), Qt::UTC);
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"evo"_s, u"charges"_s,
                                 {record(u"c1"_s,
                                         {integer(u"amount"_s, 1000), integer(u"big"_s, 9007199254740993LL),
                                          field(u"paid"_s, ColumnType::Boolean, true),
                                          field(u"at"_s, ColumnType::Timestamp, when),
                                          field(u"list"_s, ColumnType::Json, u"[1,2]"_s)})})),
                   1, 0, 0);
    // A new column, and amount widens to double precision.
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"evo"_s, u"charges"_s,
                                 {record(u"c2"_s,
                                         {field(u"amount"_s, ColumnType::Real, 2.5), text(u"currency"_s, u"usd"_s)})})),
                   1, 0, 0);
    QCOMPARE(scalar(u"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                    "'evo.charges'::regclass AND attname = 'amount'"_s),
             u"double precision"_s);
    QCOMPARE(rows(u"SELECT id, amount, currency FROM evo.charges ORDER BY id"_s),
             (QList<QStringList> {{u"c1"_s, u"1000"_s, u"<null>"_s}, {u"c2"_s, u"2.5"_s, u"usd"_s}}));
    // Everything widens to text, keeping each value as the warehouse writes that type as text.
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"evo"_s, u"charges"_s,
                                 {record(u"c3"_s,
                                         {text(u"amount"_s, u"n/a"_s), text(u"big"_s, u"x"_s), text(u"paid"_s, u"x"_s),
                                          text(u"at"_s, u"x"_s), text(u"list"_s, u"x"_s)})})),
                   1, 0, 0);
    QCOMPARE(rows(u"SELECT id, amount, big, paid, at, list FROM evo.charges ORDER BY id"_s),
             (QList<QStringList> {
                     {u"c1"_s, u"1000"_s, u"9007199254740993"_s, u"true"_s, u"2025-01-02T03:04:05.006Z"_s, u"[1, 2]"_s},
                     {u"c2"_s, u"2.5"_s, u"<null>"_s, u"<null>"_s, u"<null>"_s, u"<null>"_s},
                     {u"c3"_s, u"n/a"_s, u"x"_s, u"x"_s, u"x"_s, u"x"_s}}));
    QCOMPARE(scalar(u"SELECT string_agg(format_type(atttypid, atttypmod), ',' ORDER BY attnum) FROM pg_attribute "
                    "WHERE attrelid = 'evo.charges'::regclass AND attnum > 3"_s),
             u"text,text,text,text,text,text"_s);
    // A narrower value later goes into the wide column as text.
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"evo"_s, u"charges"_s,
                                 {record(u"c4"_s,
                                         {integer(u"amount"_s, 5), field(u"paid"_s, ColumnType::Boolean, false),
                                          field(u"at"_s, ColumnType::Timestamp, when)})})),
                   1, 0, 0);
    QCOMPARE(rows(u"SELECT amount, paid, at FROM evo.charges WHERE id = 'c4'"_s),
             (QList<QStringList> {{u"5"_s, u"false"_s, u"2025-01-02T03:04:05.006Z"_s}}));
    // A new instance reads the same logical types back.
    auto other = openWarehouse();
    QVERIFY(other);
    const Result<QList<TableInfo>> tables = other->tables(u"evo"_s);
    QVERIFY(tables);
    QCOMPARE(tables->size(), 1);
    QCOMPARE(tables->first().schema.type(u"amount"_s), ColumnType::Text);
    QCOMPARE(tables->first().schema.type(u"currency"_s), ColumnType::Text);
    QCOMPARE(tables->first().schema.type(u"received_at"_s), ColumnType::Timestamp);
}

void TestPostgresWarehouse::hostileIdentifiers()
{
    const QString schema = u"we\"ird'; DROP SCHEMA evo CASCADE; --"_s;
    const QString collection = u"Coll \"x\"; DELETE FROM _tributary.state"_s;
    const QString column = u"a\"b'); DROP TABLE x; --"_s;
    QCOMPARE_STATS(write(*m_warehouse,
                         request(schema, collection,
                                 {record(u"id'\"1"_s, {text(column, u"v'\"\\"_s), integer(u"Naïve Col"_s, 1)})})),
                   1, 0, 0);
    QCOMPARE(m_warehouse->tableName(schema, collection), schema + u'.' + collection);
    const QString table = m_warehouse->sqlTableName(schema, collection);
    QCOMPARE(table, Identifier::quote(schema) + u'.' + Identifier::quote(collection));
    QCOMPARE(rows(u"SELECT id, "_s + Identifier::quote(column) + u", \"Naïve Col\" FROM "_s + table),
             (QList<QStringList> {{u"id'\"1"_s, u"v'\"\\"_s, u"1"_s}}));
    QVERIFY(m_warehouse->readState(schema + u"-source"_s, collection));
    QCOMPARE(m_warehouse->readState(schema + u"-source"_s, collection)->value(u"cursor"_s).toString(), u"1"_s);
    const Result<QList<TableInfo>> tables = m_warehouse->tables(schema);
    QVERIFY(tables);
    QCOMPARE(tables->size(), 1);
    QCOMPARE(tables->first().collection, collection);
    QCOMPARE(tables->first().rowCount, 1);

    // Reserved schemas are refused before anything runs.
    Result<WriteStats> reserved = m_warehouse->write(request(u"pg_catalog"_s, u"x"_s, {record(u"1"_s, {})}));
    QVERIFY(!reserved);
    QCOMPARE(reserved.error().kind, Error::Kind::Config);
    reserved = m_warehouse->write(request(u"_tributary"_s, u"state"_s, {record(u"1"_s, {})}));
    QVERIFY(!reserved);
    QCOMPARE(reserved.error().kind, Error::Kind::Config);
}

void TestPostgresWarehouse::longNamesAreShortened()
{
    const QString schema = u"s"_s + QString(70, u'x');
    const QString collection = u"collection_"_s + QString(60, u'é'); // 131 bytes
    const QString longColumn = QString(80, u'c');
    const QString otherLong = QString(79, u'c') + u'd'; // same first 54 bytes, another hash
    WriteRequest r = request(schema, collection,
                             {record(u"1"_s, {integer(longColumn, 1), integer(otherLong, 2), integer(u"v"_s, 1)})});
    r.versionColumn = longColumn;
    QCOMPARE_STATS(write(*m_warehouse, r), 1, 0, 0);
    const QString shortSchema = Identifier::shorten(schema, 63);
    const QString shortTable = Identifier::shorten(collection, 63);
    QVERIFY(shortSchema.toUtf8().size() <= 63);
    QVERIFY(shortTable.toUtf8().size() <= 63);
    QCOMPARE(m_warehouse->tableName(schema, collection), shortSchema + u'.' + shortTable);
    const QString table = m_warehouse->sqlTableName(schema, collection);
    QCOMPARE(rows(u"SELECT "_s + Identifier::quote(Identifier::shorten(longColumn, 63)) + u", "_s
                  + Identifier::quote(Identifier::shorten(otherLong, 63)) + u" FROM "_s + table),
             (QList<QStringList> {{u"1"_s, u"2"_s}}));
    // The same names again map to the same columns; the version column works through its short name.
    r.rows = {record(u"1"_s, {integer(longColumn, 0), integer(otherLong, 3)})};
    QCOMPARE_STATS(write(*m_warehouse, r), 0, 0, 1);
    r.rows = {record(u"1"_s, {integer(longColumn, 5), integer(otherLong, 3)})};
    QCOMPARE_STATS(write(*m_warehouse, r), 0, 1, 0);
    QCOMPARE(scalar(u"SELECT count(*) FROM pg_attribute WHERE attrelid = '"_s + QString(table).replace(u"'"_s, u"''"_s)
                    + u"'::regclass AND attnum > 0"_s),
             u"6"_s);
    const Result<QList<TableInfo>> tables = m_warehouse->tables(schema);
    QVERIFY(tables);
    QCOMPARE(tables->size(), 1);
    QCOMPARE(tables->first().collection, collection);
}

void TestPostgresWarehouse::nulCharacters()
{
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"nul"_s, u"notes"_s,
                                 {record(u"n1"_s,
                                         {text(u"body"_s, u"a"_s + QChar(0) + u"b"_s),
                                          field(u"list"_s, ColumnType::Json, u"[\"x\\u0000y\",\"\\\\u0000\"]"_s)})})),
                   1, 0, 0);
    QCOMPARE(rows(u"SELECT body, list->>0, list->>1 FROM nul.notes"_s),
             (QList<QStringList> {{u"a\uFFFDb"_s, u"x\uFFFDy"_s, u"\\u0000"_s}}));
}

void TestPostgresWarehouse::emptyBatchStillWritesState()
{
    QCOMPARE_STATS(write(*m_warehouse, request(u"empty"_s, u"refunds"_s, {}, CollectionKind::Object, u"end"_s)), 0, 0,
                   0);
    QCOMPARE(m_warehouse->readState(u"empty-source"_s, u"refunds"_s)->value(u"cursor"_s).toString(), u"end"_s);
    QCOMPARE(scalar(u"SELECT count(*) FROM empty.refunds"_s), u"0"_s);
}

void TestPostgresWarehouse::stateReadAndClear()
{
    Result<QJsonObject> none = m_warehouse->readState(u"nobody"_s, u"customers"_s);
    QVERIFY(none);
    QVERIFY(none->isEmpty());
    QVERIFY(m_warehouse->write(request(u"st"_s, u"a"_s, {record(u"1"_s, {})}, CollectionKind::Object, u"A"_s)));
    QVERIFY(m_warehouse->write(request(u"st"_s, u"b"_s, {record(u"1"_s, {})}, CollectionKind::Object, u"B"_s)));
    QVERIFY(m_warehouse->write(request(u"st"_s, u"a"_s, {}, CollectionKind::Object, u"A2"_s)));
    QCOMPARE(m_warehouse->readState(u"st-source"_s, u"a"_s)->value(u"cursor"_s).toString(), u"A2"_s);
    QVERIFY(m_warehouse->clearState(u"st-source"_s, u"a"_s));
    QVERIFY(m_warehouse->readState(u"st-source"_s, u"a"_s)->isEmpty());
    QCOMPARE(m_warehouse->readState(u"st-source"_s, u"b"_s)->value(u"cursor"_s).toString(), u"B"_s);
    QVERIFY(m_warehouse->clearState(u"st-source"_s));
    QVERIFY(m_warehouse->readState(u"st-source"_s, u"b"_s)->isEmpty());
}

void TestPostgresWarehouse::tablesCountsAndTypes()
{
    QVERIFY(m_warehouse->write(request(u"tab"_s, u"customers"_s,
                                       {record(u"1"_s, {integer(u"n"_s, 1)}), record(u"2"_s, {integer(u"n"_s, 2)})})));
    QVERIFY(m_warehouse->write(
            request(u"tab"_s, u"events"_s, {record(u"e"_s, {text(u"t"_s, u"x"_s)})}, CollectionKind::Event)));
    QVERIFY(m_warehouse->write(request(u"tab2"_s, u"customers"_s, {record(u"1"_s, {})})));
    const Result<QList<TableInfo>> tables = m_warehouse->tables(u"tab"_s);
    QVERIFY(tables);
    QCOMPARE(tables->size(), 2);
    QCOMPARE(tables->at(0).collection, u"customers"_s);
    QCOMPARE(tables->at(0).table, u"tab.customers"_s);
    QCOMPARE(tables->at(0).rowCount, 2);
    QCOMPARE(tables->at(0).schema.type(u"n"_s), ColumnType::Integer);
    QCOMPARE(tables->at(0).schema.type(u"is_deleted"_s), ColumnType::Boolean);
    QCOMPARE(tables->at(1).collection, u"events"_s);
    QCOMPARE(tables->at(1).rowCount, 1);
    QVERIFY(!tables->at(1).schema.contains(u"is_deleted"_s));
    QVERIFY(m_warehouse->tables(u"nothing"_s)->isEmpty());
}

void TestPostgresWarehouse::readOnlyQueries()
{
    QVERIFY(m_warehouse->write(request(
            u"q"_s, u"customers"_s,
            {record(u"1"_s,
                    {integer(u"n"_s, 1), field(u"r"_s, ColumnType::Real, 1.5), field(u"b"_s, ColumnType::Boolean, true),
                     field(u"at"_s, ColumnType::Timestamp, kFirstSync)}),
             record(u"2"_s, {integer(u"n"_s, 2)}), record(u"3"_s, {integer(u"n"_s, 3)})})));
    Result<QueryResult> result = m_warehouse->query(u"SELECT id, n, r, b, at FROM q.customers ORDER BY id;"_s, 2);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(result->columns, (QStringList {u"id"_s, u"n"_s, u"r"_s, u"b"_s, u"at"_s}));
    QCOMPARE(result->rows.size(), 2);
    QVERIFY(result->truncated);
    QCOMPARE(result->rows.at(0).at(1), QVariant(qint64(1)));
    QCOMPARE(result->rows.at(0).at(2), QVariant(1.5));
    QCOMPARE(result->rows.at(0).at(3), QVariant(true));
    QCOMPARE(result->rows.at(0).at(4).toDateTime(), kFirstSync);
    QVERIFY(result->rows.at(1).at(2).isNull());
    result = m_warehouse->query(u"WITH x AS (SELECT count(*) AS c FROM q.customers) SELECT c FROM x"_s, 10);
    QVERIFY(result);
    QVERIFY(!result->truncated);
    QCOMPARE(result->rows.first().first(), QVariant(qint64(3)));

    for (const QString &refused : {u"DELETE FROM q.customers"_s, u"SELECT 1; DELETE FROM q.customers"_s}) {
        result = m_warehouse->query(refused, 10);
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::Config);
    }
    // Starts like a read but writes: the read-only transaction refuses it.
    result = m_warehouse->query(u"WITH d AS (DELETE FROM q.customers RETURNING id) SELECT * FROM d"_s, 10);
    QVERIFY(!result);
    QCOMPARE(result.error().kind, Error::Kind::Warehouse);
    result = m_warehouse->query(u"SELECT nosuchcolumn FROM q.customers"_s, 10);
    QVERIFY(!result);
    QCOMPARE(scalar(u"SELECT count(*) FROM q.customers"_s), u"3"_s);
    // The connection is still good for writes.
    QVERIFY(m_warehouse->write(request(u"q"_s, u"customers"_s, {record(u"4"_s, {})})));
}

void TestPostgresWarehouse::terminatedBackendLeavesNothingBehind()
{
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"kill"_s, u"charges"_s, {record(u"c1"_s, {integer(u"amount"_s, 1)})},
                                 CollectionKind::Object, u"page-1"_s)),
                   1, 0, 0);
    const int pid = m_warehouse->backendPid();
    QVERIFY(pid > 0);
    bool terminated = false;
    m_warehouse->setBeforeCommitHook([&] {
        // The rows and the cursor are in the transaction; the server side ends before COMMIT.
        terminated = scalar(u"SELECT pg_terminate_backend(%1)"_s.arg(pid)) == u"t"_s;
    });
    QList<FlatRecord> page;
    for (int i = 2; i <= 200; ++i)
        page.append(record(u"c%1"_s.arg(i), {integer(u"amount"_s, i), text(u"new_column"_s, u"x"_s)}));
    const Result<WriteStats> failed
            = m_warehouse->write(request(u"kill"_s, u"charges"_s, page, CollectionKind::Object, u"page-2"_s));
    QVERIFY(terminated);
    QVERIFY(!failed);
    QCOMPARE(failed.error().kind, Error::Kind::Warehouse);
    QVERIFY(failed.error().retryable);
    QCOMPARE(scalar(u"SELECT count(*) FROM kill.charges"_s), u"1"_s);
    QCOMPARE(scalar(u"SELECT count(*) FROM pg_attribute WHERE attrelid = 'kill.charges'::regclass "
                    "AND attname = 'new_column'"_s),
             u"0"_s);
    QCOMPARE(scalar(u"SELECT state->>'cursor' FROM _tributary.state WHERE source = 'kill-source'"_s), u"page-1"_s);

    // The next run resumes from the last committed page; the instance itself reconnects too.
    auto next = openWarehouse();
    QVERIFY(next);
    QCOMPARE(next->readState(u"kill-source"_s, u"charges"_s)->value(u"cursor"_s).toString(), u"page-1"_s);
    m_warehouse->setBeforeCommitHook({});
    QCOMPARE_STATS(write(*m_warehouse, request(u"kill"_s, u"charges"_s, page, CollectionKind::Object, u"page-2"_s)),
                   199, 0, 0);
    QCOMPARE(scalar(u"SELECT count(*) FROM kill.charges"_s), u"200"_s);
}

void TestPostgresWarehouse::serverErrorRollsBackSchemaChanges()
{
    QVERIFY(m_warehouse->write(request(u"fail"_s, u"charges"_s, {record(u"c1"_s, {integer(u"amount"_s, 1)})},
                                       CollectionKind::Object, u"page-1"_s)));
    // A statement fails late in the transaction (after the new column and the rows): saving the cursor.
    QVERIFY(m_admin->exec(
            u"ALTER TABLE _tributary.state ADD CONSTRAINT no_page_2 CHECK (source <> 'fail-source' OR state->>'cursor' <> 'page-2')"_s));
    const Result<WriteStats> failed = m_warehouse->write(
            request(u"fail"_s, u"charges"_s, {record(u"c2"_s, {integer(u"amount"_s, 2), text(u"extra"_s, u"x"_s)})},
                    CollectionKind::Object, u"page-2"_s));
    QVERIFY(m_admin->exec(u"ALTER TABLE _tributary.state DROP CONSTRAINT no_page_2"_s));
    QVERIFY(!failed);
    QCOMPARE(failed.error().kind, Error::Kind::Warehouse);
    QVERIFY(failed.error().message.contains(u"no_page_2"_s));
    QCOMPARE(scalar(u"SELECT count(*) FROM fail.charges"_s), u"1"_s);
    QCOMPARE(scalar(u"SELECT count(*) FROM pg_attribute WHERE attrelid = 'fail.charges'::regclass "
                    "AND attname = 'extra'"_s),
             u"0"_s);
    // The same instance goes on (its cached schema and staging tables were dropped with the rollback).
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"fail"_s, u"charges"_s,
                                 {record(u"c2"_s, {integer(u"amount"_s, 2), text(u"extra"_s, u"x"_s)})},
                                 CollectionKind::Object, u"page-2"_s)),
                   1, 0, 0);
}

// Holds a SHARE lock on a table from its own connection and thread for holdMs: inserts into it
// wait on the server meanwhile.
class TableLock
{
public:
    TableLock(const QString &url, const QString &password, const QString &table, int holdMs)
    {
        m_thread.reset(QThread::create([=, this] {
            PostgresConnection c;
            if (!c.connect(url, password) || !c.exec(u"BEGIN"_s)
                || !c.exec(u"LOCK TABLE "_s + table + u" IN SHARE MODE"_s)) {
                m_state = -1;
                return;
            }
            m_state = 1;
            (void)c.exec(u"SELECT pg_sleep(%1)"_s.arg(double(holdMs) / 1000.0));
            (void)c.exec(u"COMMIT"_s);
        }));
        m_thread->start();
    }
    ~TableLock() { m_thread->wait(); }
    // Waits until the lock is held; false when it could not be taken.
    bool waitHeld()
    {
        QElapsedTimer timer;
        timer.start();
        while (m_state == 0 && timer.elapsed() < 10000)
            QThread::msleep(5);
        return m_state == 1;
    }

private:
    std::unique_ptr<QThread> m_thread;
    std::atomic<int> m_state {0};
};

void TestPostgresWarehouse::sentWritesFinishWhileTheCallerGoesOn()
{
    QList<FlatRecord> page = startSentWriteTable(u"async"_s);

    // The table is locked for 1.5 s: beginWrite() returns at once all the same (the server waits,
    // not the caller), nothing is visible until the write commits, and finishWrite() waits.
    TableLock lock(m_url, m_password, u"async.charges"_s, 1500);
    QVERIFY(lock.waitHeld());
    QElapsedTimer timer;
    timer.start();
    m_warehouse->beginWrite(request(u"async"_s, u"charges"_s, page, CollectionKind::Object, u"page-2"_s));
    const qint64 begun = timer.elapsed();
    QVERIFY2(begun < 1000, qPrintable(QString::number(begun)));
    QCOMPARE(scalar(u"SELECT state->>'cursor' FROM _tributary.state WHERE source = 'async-source'"_s), u"page-1"_s);
    QCOMPARE(scalar(u"SELECT count(*) FROM async.charges"_s), u"1"_s);
    const Result<WriteStats> finished = m_warehouse->finishWrite();
    QVERIFY2(finished, finished ? "" : qPrintable(finished.error().message));
    QCOMPARE(finished->inserted, 100);
    QVERIFY2(timer.elapsed() >= 1000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(scalar(u"SELECT count(*) FROM async.charges"_s), u"101"_s);
    QCOMPARE(scalar(u"SELECT state->>'cursor' FROM _tributary.state WHERE source = 'async-source'"_s), u"page-2"_s);

    // Another call before finishWrite() waits for the sent write; its result still comes from
    // finishWrite().
    for (FlatRecord &row : page)
        row.fields.first().value = qint64(7);
    m_warehouse->beginWrite(request(u"async"_s, u"charges"_s, page, CollectionKind::Object, u"page-3"_s));
    QCOMPARE(m_warehouse->readState(u"async-source"_s, u"charges"_s)->value(u"cursor"_s).toString(), u"page-3"_s);
    QCOMPARE_STATS(finish(*m_warehouse), 0, 100, 0);
    QVERIFY(!m_warehouse->finishWrite()); // once per beginWrite()
    // A second beginWrite() without finishWrite(): the first write still ends, the second is
    // refused, and finishWrite() says so.
    m_warehouse->beginWrite(request(u"async"_s, u"charges"_s, page, CollectionKind::Object, u"page-3b"_s));
    m_warehouse->beginWrite(request(u"async"_s, u"charges"_s, page, CollectionKind::Object, u"page-3c"_s));
    const Result<WriteStats> misused = m_warehouse->finishWrite();
    QVERIFY(!misused);
    QCOMPARE(misused.error().kind, Error::Kind::Internal);
    QCOMPARE(scalar(u"SELECT state->>'cursor' FROM _tributary.state WHERE source = 'async-source'"_s), u"page-3b"_s);
    // A write that needs a schema change is done at once, and reported the same way.
    m_warehouse->beginWrite(request(u"async"_s, u"charges"_s, {record(u"c1"_s, {text(u"note"_s, u"x"_s)})},
                                    CollectionKind::Object, u"page-4"_s));
    QCOMPARE_STATS(finish(*m_warehouse), 0, 1, 0);
    QCOMPARE(scalar(u"SELECT note FROM async.charges WHERE id = 'c1'"_s), u"x"_s);
}

void TestPostgresWarehouse::sentWriteThatFailsLeavesNothing()
{
    const QList<FlatRecord> page = startSentWriteTable(u"lost"_s);
    // The server process ends while the sent write waits for the lock.
    TableLock lock(m_url, m_password, u"lost.charges"_s, 1000);
    QVERIFY(lock.waitHeld());
    const int pid = m_warehouse->backendPid();
    m_warehouse->beginWrite(request(u"lost"_s, u"charges"_s, page, CollectionKind::Object, u"page-2"_s));
    QCOMPARE(scalar(u"SELECT pg_terminate_backend(%1)"_s.arg(pid)), u"t"_s);
    const Result<WriteStats> failed = m_warehouse->finishWrite();
    QVERIFY(!failed);
    QCOMPARE(failed.error().kind, Error::Kind::Warehouse);
    QVERIFY(failed.error().retryable);
    QCOMPARE(scalar(u"SELECT count(*) FROM lost.charges"_s), u"1"_s);
    QCOMPARE(scalar(u"SELECT state->>'cursor' FROM _tributary.state WHERE source = 'lost-source'"_s), u"page-1"_s);
    // The instance reconnects for the next write.
    QCOMPARE_STATS(write(*m_warehouse, request(u"lost"_s, u"charges"_s, page, CollectionKind::Object, u"page-2"_s)),
                   100, 0, 0);
}

void TestPostgresWarehouse::versionedWritesAreSentToo()
{
    // A number version column: the server compares the versions in the INSERT's ON CONFLICT
    // condition, so the write needs no read first and is sent like any other.
    const auto versioned = [](const QList<FlatRecord> &rows, bool current, const QString &cursor) {
        WriteRequest r = request(u"sentv"_s, u"subscriptions"_s, rows, CollectionKind::Object, cursor);
        r.versionColumn = u"updated"_s;
        r.replaceOnEqualVersion = current;
        return r;
    };
    const auto sub = [](const QString &id, const QVariant &version, const QString &status) {
        return record(id,
                      {field(u"updated"_s, version.isNull() ? ColumnType::Null : ColumnType::Integer, version),
                       text(u"status"_s, status)});
    };
    QCOMPARE_STATS(write(*m_warehouse,
                         versioned({sub(u"a"_s, 5, u"a5"_s), sub(u"b"_s, 5, u"b5"_s), sub(u"c"_s, 5, u"c5"_s),
                                    sub(u"d"_s, QVariant(), u"d-"_s)},
                                   false, u"1"_s)),
                   4, 0, 0);
    TableLock lock(m_url, m_password, u"sentv.subscriptions"_s, 1500);
    QVERIFY(lock.waitHeld());
    QElapsedTimer timer;
    timer.start();
    // a: older (skipped); b: equal, change event (skipped); c: newer; d: stored null; e: new.
    m_warehouse->beginWrite(versioned({sub(u"a"_s, 4, u"a4"_s), sub(u"b"_s, 5, u"b5-again"_s), sub(u"c"_s, 6, u"c6"_s),
                                       sub(u"d"_s, 1, u"d1"_s), sub(u"e"_s, 1, u"e1"_s)},
                                      false, u"2"_s));
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE_STATS(finish(*m_warehouse), 1, 2, 2);
    QCOMPARE(scalar(u"SELECT string_agg(status, ',' ORDER BY id) FROM sentv.subscriptions"_s), u"a5,b5,c6,d1,e1"_s);
    // A current-state read replaces on equal versions; a null version in the batch always writes.
    QCOMPARE_STATS(write(*m_warehouse,
                         versioned({sub(u"b"_s, 5, u"b5-read"_s), sub(u"c"_s, QVariant(), u"c-"_s)}, true, u"3"_s)),
                   0, 2, 0);
    QCOMPARE(scalar(u"SELECT string_agg(status, ',' ORDER BY id) FROM sentv.subscriptions"_s),
             u"a5,b5-read,c-,d1,e1"_s);
}

void TestPostgresWarehouse::concurrentSources()
{
    // A fresh database, so both also race to create Tributary's own tables.
    const QString database = m_database + u"_c"_s;
    QVERIFY(m_admin->exec(u"CREATE DATABASE "_s + Identifier::quote(database)));
    std::atomic<int> failures {0};
    std::atomic<int> written {0};
    const auto source = [&](const QString &schema) {
        return QThread::create([&, schema] {
            PostgresWarehouse warehouse(withDatabase(m_server, database), m_password);
            if (!warehouse.open()) {
                ++failures;
                return;
            }
            for (int page = 0; page < 30; ++page) {
                QList<FlatRecord> rows;
                for (int i = 0; i < 100; ++i) {
                    const int n = page * 100 + i;
                    rows.append(record(u"%1"_s.arg(n),
                                       {integer(u"amount"_s, n), text(u"page_%1"_s.arg(page % 3), schema)}));
                }
                WriteRequest r = request(schema, u"charges"_s, rows, CollectionKind::Object, QString::number(page));
                const Result<WriteStats> result = warehouse.write(r);
                if (!result || result->inserted != 100) {
                    qWarning() << (result ? u"wrong stats"_s : result.error().message);
                    ++failures;
                    return;
                }
                written += result->inserted;
            }
        });
    };
    std::unique_ptr<QThread> a(source(u"alpha"_s));
    std::unique_ptr<QThread> b(source(u"beta"_s));
    a->start();
    b->start();
    QVERIFY(a->wait(60000));
    QVERIFY(b->wait(60000));
    QCOMPARE(failures.load(), 0);
    QCOMPARE(written.load(), 6000);
    auto check = openWarehouse(database);
    QVERIFY(check);
    for (const QString &schema : {u"alpha"_s, u"beta"_s}) {
        const Result<QueryResult> count
                = check->query(u"SELECT count(*), count(DISTINCT page_0) FROM "_s + schema + u".charges"_s, 1);
        QVERIFY(count);
        QCOMPARE(count->rows.first().at(0), QVariant(qint64(3000)));
        QCOMPARE(check->readState(schema + u"-source"_s, u"charges"_s)->value(u"cursor"_s).toString(), u"29"_s);
    }
}

void TestPostgresWarehouse::preparedWritesFollowTheSchema()
{
    // The INSERT of a staging table and column set is prepared once; batches of a known table
    // that needs no change go as one query. Widening, a failure and odd cursor text must all
    // still come out right through those cached statements.
    const auto page = [](const QString &id, const FlatField &amount, const QString &cursor) {
        return request(u"prep"_s, u"charges"_s, {record(id, {amount, text(u"note"_s, u"n"_s)})}, CollectionKind::Object,
                       cursor);
    };
    const auto prepared = [this] {
        const Result<QueryResult> r = m_warehouse->query(u"SELECT count(*) FROM pg_prepared_statements"_s, 1);
        return r ? r->rows.value(0).value(0).toInt() : -1;
    };
    for (int i = 0; i < 3; ++i)
        QCOMPARE_STATS(write(*m_warehouse, page(u"c%1"_s.arg(i), integer(u"amount"_s, i), u"p%1"_s.arg(i))), 1, 0, 0);
    QCOMPARE(prepared(), 1);
    QCOMPARE(m_warehouse->readState(u"prep-source"_s, u"charges"_s).value(), (QJsonObject {{u"cursor"_s, u"p2"_s}}));
    // Widening to double precision: a new staging table and statement; values kept.
    QCOMPARE_STATS(write(*m_warehouse, page(u"c3"_s, field(u"amount"_s, ColumnType::Real, 2.5), u"p3"_s)), 1, 0, 0);
    QCOMPARE_STATS(write(*m_warehouse, page(u"c1"_s, integer(u"amount"_s, 7), u"p4"_s)), 0, 1, 0);
    QCOMPARE(rows(u"SELECT id, amount FROM prep.charges ORDER BY id"_s),
             (QList<QStringList> {{u"c0"_s, u"0"_s}, {u"c1"_s, u"7"_s}, {u"c2"_s, u"2"_s}, {u"c3"_s, u"2.5"_s}}));
    // Widening to text, then integers again into the text column.
    QCOMPARE_STATS(write(*m_warehouse, page(u"c4"_s, text(u"amount"_s, u"n/a"_s), u"p5"_s)), 1, 0, 0);
    QCOMPARE_STATS(write(*m_warehouse, page(u"c5"_s, integer(u"amount"_s, 5), u"p6"_s)), 1, 0, 0);
    QCOMPARE(scalar(u"SELECT string_agg(id || '=' || amount, ',' ORDER BY id) FROM prep.charges"_s),
             u"c0=0,c1=7,c2=2,c3=2.5,c4=n/a,c5=5"_s);
    // A failure in the one-query path rolls back rows and cursor; the instance goes on.
    QVERIFY(m_admin->exec(u"ALTER TABLE prep.charges ADD CONSTRAINT no_bad CHECK (amount <> 'bad')"_s));
    const Result<WriteStats> failed = m_warehouse->write(page(u"c6"_s, text(u"amount"_s, u"bad"_s), u"p7"_s));
    QVERIFY(!failed);
    QVERIFY(failed.error().message.contains(u"no_bad"_s));
    QCOMPARE(scalar(u"SELECT count(*) FROM prep.charges WHERE id = 'c6'"_s), u"0"_s);
    QCOMPARE(m_warehouse->readState(u"prep-source"_s, u"charges"_s).value(), (QJsonObject {{u"cursor"_s, u"p6"_s}}));
    QCOMPARE(prepared(), 0);
    QCOMPARE_STATS(write(*m_warehouse, page(u"c6"_s, text(u"amount"_s, u"ok"_s), u"p7"_s)), 1, 0, 0);
    // Cursor text that needs escaping in the one-query path.
    const QString odd = u"it's a \\ \"quoted\" cursor; COMMIT; --"_s;
    QCOMPARE_STATS(write(*m_warehouse, page(u"c7"_s, text(u"amount"_s, u"x"_s), odd)), 1, 0, 0);
    QCOMPARE(m_warehouse->readState(u"prep-source"_s, u"charges"_s).value(), (QJsonObject {{u"cursor"_s, odd}}));
    QCOMPARE(prepared(), 1);
    QCOMPARE(scalar(u"SELECT count(*) FROM prep.charges"_s), u"8"_s);
}

void TestPostgresWarehouse::manyRowsInOneBatch()
{
    QList<FlatRecord> rows;
    for (int i = 0; i < 20000; ++i) {
        rows.append(record(u"r%1"_s.arg(i),
                           {integer(u"n"_s, i), text(u"name"_s, u"name %1"_s.arg(i)),
                            field(u"at"_s, ColumnType::Timestamp, kFirstSync.addSecs(i))}));
    }
    QCOMPARE_STATS(write(*m_warehouse, request(u"many"_s, u"rows"_s, rows)), 20000, 0, 0);
    QCOMPARE_STATS(write(*m_warehouse, request(u"many"_s, u"rows"_s, rows)), 0, 20000, 0);
    QCOMPARE(scalar(u"SELECT sum(n) FROM many.rows"_s), QString::number(qint64(19999) * 20000 / 2));
}

void TestPostgresWarehouse::testConnection_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("problem");
    QTest::addColumn<int>("kind");

    QUrl unreachable = m_server;
    unreachable.setPassword({});
    unreachable.setPort(1); // nothing listens there
    const QString limited = m_database + u"_limited"_s;
    QTest::newRow("success") << m_url << m_password << int(ConnectionProblem::None) << -1;
    QTest::newRow("invalid url") << u"postgresql://me@localhost:notaport/db"_s << QString()
                                 << int(ConnectionProblem::InvalidUrl) << int(Error::Kind::Config);
    QTest::newRow("unreachable") << unreachable.toString() << m_password << int(ConnectionProblem::Unreachable)
                                 << int(Error::Kind::Warehouse);
    QTest::newRow("wrong password") << m_url << u"wrong"_s << int(ConnectionProblem::AuthenticationFailed)
                                    << int(Error::Kind::Auth);
    QTest::newRow("no password") << m_url << QString() << int(ConnectionProblem::AuthenticationFailed)
                                 << int(Error::Kind::Auth);
    QTest::newRow("unknown user") << withDatabase(m_server, m_database, u"nosuchuser"_s) << m_password
                                  << int(ConnectionProblem::AuthenticationFailed) << int(Error::Kind::Auth);
    QTest::newRow("database missing") << withDatabase(m_server, u"no_such_database_here"_s) << m_password
                                      << int(ConnectionProblem::DatabaseMissing) << int(Error::Kind::Config);
    QTest::newRow("no right to create a schema")
            << withDatabase(m_server, m_database, limited) << u"limited-pw"_s
            << int(ConnectionProblem::NoRightToCreateSchema) << int(Error::Kind::Permission);
}

void TestPostgresWarehouse::testConnection()
{
    QFETCH(QString, url);
    QFETCH(QString, password);
    QFETCH(int, problem);
    QFETCH(int, kind);
    const QString limited = m_database + u"_limited"_s;
    if (scalar(u"SELECT count(*) FROM pg_roles WHERE rolname = '%1'"_s.arg(limited)) == u"0"_s) {
        QVERIFY(m_admin->exec(u"CREATE ROLE "_s + Identifier::quote(limited)
                              + u" LOGIN PASSWORD 'limited-pw' NOSUPERUSER NOCREATEDB"_s));
    }
    ConnectionProblem found = ConnectionProblem::Other;
    const Result<QString> result = Warehouse::testConnection(url, password, &found);
    QCOMPARE(int(found), problem);
    if (problem == int(ConnectionProblem::None)) {
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QVERIFY2(result->startsWith(u"PostgreSQL 1"_s), qPrintable(*result));
        return;
    }
    QVERIFY(!result);
    QCOMPARE(int(result.error().kind), kind);
    QVERIFY(!result.error().message.isEmpty());
    QVERIFY(!result.error().hint.isEmpty());
    QVERIFY(!result.error().message.contains(m_password));
}

QTEST_GUILESS_MAIN(TestPostgresWarehouse)
#include "TestPostgresWarehouse.moc"
