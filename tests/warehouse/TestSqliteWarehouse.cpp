#include "warehouse/SqliteWarehouse.h"

#include "core/Identifier.h"

#include <QFile>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace tributary;
using namespace Qt::StringLiterals;

namespace tributary {
char *toString(ColumnType type)
{
    return qstrdup(qPrintable(columnTypeName(type)));
}
} // namespace tributary

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

WriteRequest request(const QString &collection, const QList<FlatRecord> &rows,
                     CollectionKind kind = CollectionKind::Object, const QDateTime &receivedAt = kFirstSync)
{
    WriteRequest r;
    r.source = u"my-source"_s;
    r.schema = u"s"_s;
    r.collection = collection;
    r.kind = kind;
    r.rows = rows;
    r.receivedAt = receivedAt;
    r.state = QJsonObject {{u"cursor"_s, QString(collection + u"-1"_s)}};
    return r;
}

QString describe(const TableSchema &schema)
{
    QStringList parts;
    for (const TableSchema::Column &c : schema.columns())
        parts << c.name + u':' + columnTypeName(c.type);
    return parts.join(u',');
}

// A second, independent connection to the file: what a user's SQL tool would see.
class Reader
{
public:
    explicit Reader(const QString &path) : m_name(u"reader-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~Reader()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    Q_DISABLE_COPY_MOVE(Reader)

    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

    // Every row of the query, or one row holding the error text.
    QList<QVariantList> rows(const QString &sql) const
    {
        QSqlQuery query(db());
        QList<QVariantList> result;
        if (!query.exec(sql))
            return {{QString(u"ERROR: "_s + query.lastError().text())}};
        while (query.next()) {
            QVariantList row;
            for (int i = 0; i < query.record().count(); ++i)
                row.append(query.value(i));
            result.append(row);
        }
        return result;
    }
    QVariant value(const QString &sql) const
    {
        const QList<QVariantList> all = rows(sql);
        return all.isEmpty() || all.first().isEmpty() ? QVariant() : all.first().first();
    }
    bool exec(const QString &sql) const
    {
        QSqlQuery query(db());
        const bool ok = query.exec(sql);
        if (!ok)
            qWarning() << sql << query.lastError().text();
        return ok;
    }

private:
    QString m_name;
};

} // namespace

class TestSqliteWarehouse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void openCreatesFolderAndUsesWal();
    void openRejectsANonDatabaseFile();
    void createsTableOnFirstWrite();
    void storedValues();
    void upsertReplacesValues();
    void upsertKeepsColumnsTheRecordDoesNotCarry();
    void duplicateIdsInOneBatch();
    void eventsAreDeduplicatedAcrossBatches();
    void deletedFlags();
    void upstreamSystemColumnNames();
    void versionColumn_data();
    void versionColumn();
    void versionColumnWithinBatch();
    void equalVersionReplacesWhenCurrentState();
    void readOnlyQueries();
    void schemaEvolution();
    void wideningKeepsEveryValue();
    void wideningRebuildKeepsIndexesAndViews();
    void hostileIdentifiers();
    void failedBatchLeavesNothingBehind();
    void emptyBatchStillWritesState();
    void stateReadAndClear();
    void tablesCountsAndTypes();
    void reopenSeesSameSchemaAndState();
    void anotherInstanceChangesTheSchema();
    void largeTextValue();
    void manyRowsInOneBatch();
    void errors();

private:
    std::unique_ptr<SqliteWarehouse> openWarehouse();
    WriteStats write(SqliteWarehouse &warehouse, const WriteRequest &request);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<SqliteWarehouse> m_warehouse;
};

void TestSqliteWarehouse::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"warehouse.db"_s);
    m_warehouse = openWarehouse();
    QVERIFY(m_warehouse);
}

void TestSqliteWarehouse::cleanup()
{
    m_warehouse.reset();
    m_dir.reset();
}

std::unique_ptr<SqliteWarehouse> TestSqliteWarehouse::openWarehouse()
{
    auto warehouse = std::make_unique<SqliteWarehouse>(m_path);
    const Result<void> opened = warehouse->open();
    if (!opened) {
        qWarning() << opened.error().message;
        return nullptr;
    }
    return warehouse;
}

WriteStats TestSqliteWarehouse::write(SqliteWarehouse &warehouse, const WriteRequest &request)
{
    const Result<WriteStats> result = warehouse.write(request);
    if (!result) {
        qWarning() << "write failed:" << result.error().message;
        return WriteStats {-1, -1, -1};
    }
    return *result;
}

#define QCOMPARE_STATS(stats, i, u, s) \
    do { \
        const WriteStats _st = (stats); \
        QCOMPARE(_st.inserted, i); \
        QCOMPARE(_st.updated, u); \
        QCOMPARE(_st.skipped, s); \
    } while (false)

void TestSqliteWarehouse::openCreatesFolderAndUsesWal()
{
    const QString nested = m_dir->filePath(u"a/b/c/nested.db"_s);
    SqliteWarehouse warehouse(nested);
    QVERIFY(warehouse.open().ok());
    QVERIFY(warehouse.isOpen());
    QVERIFY(warehouse.open().ok()); // opening twice is harmless
    QCOMPARE(warehouse.url(), u"sqlite:"_s + nested);
    QVERIFY(QFileInfo::exists(nested));
    Reader reader(nested);
    QCOMPARE(reader.value(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
    QCOMPARE(reader.rows(u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s),
             (QList<QVariantList> {{u"_tributary_columns"_s}, {u"_tributary_state"_s}}));
    warehouse.close();
    QVERIFY(!warehouse.isOpen());
    warehouse.close(); // closing twice too
}

void TestSqliteWarehouse::openRejectsANonDatabaseFile()
{
    const QString path = m_dir->filePath(u"not-a-database.db"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();
    SqliteWarehouse warehouse(path);
    const Result<void> opened = warehouse.open();
    QVERIFY(!opened);
    QCOMPARE(opened.error().kind, Error::Kind::Warehouse);
    QVERIFY2(opened.error().message.startsWith(u"The warehouse file "_s + path + u" could not be opened: "_s),
             qPrintable(opened.error().message));
    QVERIFY(opened.error().hint.contains(u"sqlite:PATH"_s));
    QVERIFY(!warehouse.isOpen());
}

void TestSqliteWarehouse::createsTableOnFirstWrite()
{
    WriteRequest r = request(
            u"customers"_s,
            {record(u"cus_1"_s,
                    {integer(u"n"_s, 1), field(u"flag"_s, ColumnType::Boolean, true),
                     field(u"amount"_s, ColumnType::Real, 2.5), field(u"created"_s, ColumnType::Timestamp, kFirstSync),
                     field(u"tags"_s, ColumnType::Json, u"[\"a\"]"_s), text(u"name"_s, u"Ann"_s),
                     field(u"nothing"_s, ColumnType::Null, QVariant())}),
             record(u"cus_2"_s, {integer(u"n"_s, 2), text(u"name"_s, u"Bob"_s)})});
    QCOMPARE_STATS(write(*m_warehouse, r), 2, 0, 0);

    const QString expectedSchema = u"id:text,received_at:timestamp,is_deleted:boolean,n:integer,flag:boolean,"
                                   "amount:real,created:timestamp,tags:json,name:text,nothing:null"_s;
    const Result<QList<TableInfo>> tables = m_warehouse->tables(u"s"_s);
    QVERIFY(tables.ok());
    QCOMPARE(tables->size(), 1);
    QCOMPARE(tables->first().table, u"s_customers"_s);
    QCOMPARE(tables->first().collection, u"customers"_s);
    QCOMPARE(tables->first().rowCount, 2);
    QCOMPARE(describe(tables->first().schema), expectedSchema);

    Reader reader(m_path);
    QCOMPARE(reader.rows(u"SELECT column_name, type, position FROM _tributary_columns "
                         "WHERE table_name = 's_customers' ORDER BY position LIMIT 4"_s),
             (QList<QVariantList> {{u"id"_s, u"text"_s, 0},
                                   {u"received_at"_s, u"timestamp"_s, 1},
                                   {u"is_deleted"_s, u"boolean"_s, 2},
                                   {u"n"_s, u"integer"_s, 3}}));
    QCOMPARE(reader.rows(u"SELECT name, type, pk FROM pragma_table_info('s_customers')"_s),
             (QList<QVariantList> {{u"id"_s, u"TEXT"_s, 1},
                                   {u"received_at"_s, u"TEXT"_s, 0},
                                   {u"is_deleted"_s, u"INTEGER"_s, 0},
                                   {u"n"_s, u"INTEGER"_s, 0},
                                   {u"flag"_s, u"INTEGER"_s, 0},
                                   {u"amount"_s, u"REAL"_s, 0},
                                   {u"created"_s, u"TEXT"_s, 0},
                                   {u"tags"_s, u"TEXT"_s, 0},
                                   {u"name"_s, u"TEXT"_s, 0},
                                   {u"nothing"_s, u""_s, 0}}));
    QCOMPARE(reader.value(u"SELECT state FROM _tributary_state WHERE source = 'my-source' "
                          "AND collection = 'customers'"_s),
             QVariant(u"{\"cursor\":\"customers-1\"}"_s));
}

void TestSqliteWarehouse::storedValues()
{
    WriteRequest r
            = request(u"customers"_s,
                      {record(u"cus_1"_s,
                              {integer(u"n"_s, 9007199254740993LL), field(u"flag"_s, ColumnType::Boolean, true),
                               field(u"off"_s, ColumnType::Boolean, false), field(u"amount"_s, ColumnType::Real, 0.1),
                               field(u"created"_s, ColumnType::Timestamp,
                                     QDateTime(QDate(2025, 5, 6), QTime(7, 8, 9, 10), Qt::UTC)),
                               field(u"tags"_s, ColumnType::Json, u"[1,2]"_s), text(u"name"_s, u"Zoë"_s),
                               field(u"empty"_s, ColumnType::Text, QVariant())})});
    QCOMPARE_STATS(write(*m_warehouse, r), 1, 0, 0);
    Reader reader(m_path);
    const QList<QVariantList> rows
            = reader.rows(u"SELECT id, received_at, is_deleted, n, flag, off, amount, created, tags, name, empty, "
                          "typeof(n), typeof(amount), typeof(empty) FROM s_customers"_s);
    QCOMPARE(rows.size(), 1);
    const QVariantList expected {u"cus_1"_s, u"2026-01-02T03:04:05.678Z"_s,
                                 0,          9007199254740993LL,
                                 1,          0,
                                 0.1,        u"2025-05-06T07:08:09.010Z"_s,
                                 u"[1,2]"_s, u"Zoë"_s,
                                 QVariant(), u"integer"_s,
                                 u"real"_s,  u"null"_s};
    QCOMPARE(rows.first().size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QVERIFY2(rows.first().at(i) == expected.at(i) || (rows.first().at(i).isNull() && expected.at(i).isNull()),
                 qPrintable(u"column %1: %2"_s.arg(i).arg(rows.first().at(i).toString())));
    }
}

void TestSqliteWarehouse::upsertReplacesValues()
{
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"customers"_s,
                                 {record(u"a"_s, {text(u"name"_s, u"Ann"_s), integer(u"n"_s, 1)}),
                                  record(u"b"_s, {text(u"name"_s, u"Bob"_s), integer(u"n"_s, 2)})})),
                   2, 0, 0);
    WriteRequest second = request(u"customers"_s,
                                  {record(u"a"_s, {text(u"name"_s, u"Anna"_s), integer(u"n"_s, 10)}),
                                   record(u"c"_s, {text(u"name"_s, u"Cid"_s), integer(u"n"_s, 3)})},
                                  CollectionKind::Object, kSecondSync);
    QCOMPARE_STATS(write(*m_warehouse, second), 1, 1, 0);

    Reader reader(m_path);
    QCOMPARE(reader.rows(u"SELECT id, name, n, received_at FROM s_customers ORDER BY id"_s),
             (QList<QVariantList> {{u"a"_s, u"Anna"_s, 10, u"2026-01-03T06:07:08.009Z"_s},
                                   {u"b"_s, u"Bob"_s, 2, u"2026-01-02T03:04:05.678Z"_s},
                                   {u"c"_s, u"Cid"_s, 3, u"2026-01-03T06:07:08.009Z"_s}}));
}

void TestSqliteWarehouse::upsertKeepsColumnsTheRecordDoesNotCarry()
{
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"customers"_s, {record(u"a"_s, {text(u"name"_s, u"Ann"_s), integer(u"n"_s, 1)})})),
                   1, 0, 0);
    // A deleted record often comes back with its id alone: the data stays, flagged.
    WriteRequest deleted = request(u"customers"_s, {record(u"a"_s, {field(u"n"_s, ColumnType::Null, QVariant())})},
                                   CollectionKind::Object, kSecondSync);
    deleted.deleted = {true};
    QCOMPARE_STATS(write(*m_warehouse, deleted), 0, 1, 0);
    Reader reader(m_path);
    const QList<QVariantList> rows = reader.rows(u"SELECT name, n IS NULL, is_deleted FROM s_customers"_s);
    QCOMPARE(rows, (QList<QVariantList> {{u"Ann"_s, 1, 1}}));
}

void TestSqliteWarehouse::duplicateIdsInOneBatch()
{
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"customers"_s,
                                 {record(u"a"_s, {integer(u"n"_s, 1)}), record(u"b"_s, {integer(u"n"_s, 2)}),
                                  record(u"a"_s, {integer(u"n"_s, 3)})})),
                   2, 0, 1);
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"customers"_s,
                                 {record(u"b"_s, {integer(u"n"_s, 20)}), record(u"b"_s, {integer(u"n"_s, 21)}),
                                  record(u"c"_s, {integer(u"n"_s, 30)}), record(u"c"_s, {integer(u"n"_s, 31)})})),
                   1, 1, 2);
    Reader reader(m_path);
    QCOMPARE(reader.rows(u"SELECT id, n FROM s_customers ORDER BY id"_s),
             (QList<QVariantList> {{u"a"_s, 3}, {u"b"_s, 21}, {u"c"_s, 31}}));
}

void TestSqliteWarehouse::eventsAreDeduplicatedAcrossBatches()
{
    QCOMPARE_STATS(
            write(*m_warehouse,
                  request(u"events"_s,
                          {record(u"e1"_s, {text(u"type"_s, u"a"_s)}), record(u"e2"_s, {text(u"type"_s, u"b"_s)})},
                          CollectionKind::Event)),
            2, 0, 0);
    QCOMPARE_STATS(
            write(*m_warehouse,
                  request(u"events"_s,
                          {record(u"e2"_s, {text(u"type"_s, u"changed"_s)}), record(u"e3"_s, {text(u"type"_s, u"c"_s)}),
                           record(u"e3"_s, {text(u"type"_s, u"again"_s)})},
                          CollectionKind::Event, kSecondSync)),
            1, 0, 2);
    Reader reader(m_path);
    // Events are appended: the first occurrence stays, with the time it arrived.
    QCOMPARE(reader.rows(u"SELECT id, type, received_at FROM s_events ORDER BY id"_s),
             (QList<QVariantList> {{u"e1"_s, u"a"_s, u"2026-01-02T03:04:05.678Z"_s},
                                   {u"e2"_s, u"b"_s, u"2026-01-02T03:04:05.678Z"_s},
                                   {u"e3"_s, u"c"_s, u"2026-01-03T06:07:08.009Z"_s}}));
    QCOMPARE(reader.rows(u"SELECT name FROM pragma_table_info('s_events')"_s),
             (QList<QVariantList> {{u"id"_s}, {u"received_at"_s}, {u"type"_s}}));
}

void TestSqliteWarehouse::deletedFlags()
{
    WriteRequest first = request(u"tickets"_s,
                                 {record(u"1"_s, {text(u"status"_s, u"open"_s)}),
                                  record(u"2"_s, {text(u"status"_s, u"deleted"_s)}),
                                  record(u"3"_s, {text(u"status"_s, u"open"_s)})});
    first.deleted = {false, true, false};
    QCOMPARE_STATS(write(*m_warehouse, first), 3, 0, 0);
    Reader reader(m_path);
    QCOMPARE(reader.rows(u"SELECT id, is_deleted FROM s_tickets ORDER BY id"_s),
             (QList<QVariantList> {{u"1"_s, 0}, {u"2"_s, 1}, {u"3"_s, 0}}));

    // No flags: none deleted (a record that comes back is no longer deleted).
    QCOMPARE_STATS(write(*m_warehouse, request(u"tickets"_s, {record(u"2"_s, {text(u"status"_s, u"open"_s)})})), 0, 1,
                   0);
    WriteRequest third = request(u"tickets"_s, {record(u"3"_s, {text(u"status"_s, u"closed"_s)})});
    third.deleted = {true};
    QCOMPARE_STATS(write(*m_warehouse, third), 0, 1, 0);
    QCOMPARE(reader.rows(u"SELECT id, is_deleted FROM s_tickets ORDER BY id"_s),
             (QList<QVariantList> {{u"1"_s, 0}, {u"2"_s, 0}, {u"3"_s, 1}}));
}

void TestSqliteWarehouse::upstreamSystemColumnNames()
{
    // Salesforce: IsDeleted is the is_deleted column; an upstream received_at keeps its value
    // as _received_at; an upstream id is the record id.
    WriteRequest objects = request(u"accounts"_s,
                                   {record(u"001"_s,
                                           {text(u"id"_s, u"001"_s), field(u"is_deleted"_s, ColumnType::Boolean, true),
                                            text(u"received_at"_s, u"upstream"_s), text(u"name"_s, u"Acme"_s)}),
                                    record(u"002"_s,
                                           {text(u"id"_s, u"002"_s), field(u"is_deleted"_s, ColumnType::Boolean, false),
                                            text(u"received_at"_s, u"later"_s), text(u"name"_s, u"Beta"_s)})});
    QCOMPARE_STATS(write(*m_warehouse, objects), 2, 0, 0);
    Reader reader(m_path);
    QCOMPARE(reader.rows(u"SELECT id, is_deleted, received_at, _received_at, name FROM s_accounts ORDER BY id"_s),
             (QList<QVariantList> {{u"001"_s, 1, u"2026-01-02T03:04:05.678Z"_s, u"upstream"_s, u"Acme"_s},
                                   {u"002"_s, 0, u"2026-01-02T03:04:05.678Z"_s, u"later"_s, u"Beta"_s}}));
    const Result<QList<TableInfo>> tables = m_warehouse->tables(u"s"_s);
    QVERIFY(tables.ok());
    QCOMPARE(describe(tables->first().schema),
             u"id:text,received_at:timestamp,is_deleted:boolean,_received_at:text,name:text"_s);

    // In events is_deleted is an ordinary column.
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"log"_s, {record(u"e1"_s, {field(u"is_deleted"_s, ColumnType::Boolean, true)})},
                                 CollectionKind::Event)),
                   1, 0, 0);
    QCOMPARE(reader.rows(u"SELECT id, is_deleted FROM s_log"_s), (QList<QVariantList> {{u"e1"_s, 1}}));
}

void TestSqliteWarehouse::versionColumn_data()
{
    QTest::addColumn<QVariant>("stored");
    QTest::addColumn<QVariant>("incoming");
    QTest::addColumn<ColumnType>("type");
    QTest::addColumn<bool>("applied");

    const auto at = [](int day) { return QVariant(QDateTime(QDate(2026, 1, day), QTime(12, 0), Qt::UTC)); };
    QTest::newRow("older integer") << QVariant(qint64(5)) << QVariant(qint64(4)) << ColumnType::Integer << false;
    QTest::newRow("newer integer") << QVariant(qint64(5)) << QVariant(qint64(6)) << ColumnType::Integer << true;
    QTest::newRow("equal integer (a repeat)")
            << QVariant(qint64(5)) << QVariant(qint64(5)) << ColumnType::Integer << false;
    QTest::newRow("9 before 10") << QVariant(qint64(10)) << QVariant(qint64(9)) << ColumnType::Integer << false;
    QTest::newRow("older real") << QVariant(2.5) << QVariant(2.25) << ColumnType::Real << false;
    QTest::newRow("older timestamp") << at(5) << at(4) << ColumnType::Timestamp << false;
    QTest::newRow("newer timestamp") << at(5) << at(6) << ColumnType::Timestamp << true;
    QTest::newRow("equal timestamp (a repeat)") << at(5) << at(5) << ColumnType::Timestamp << false;
    QTest::newRow("older text") << QVariant(u"b"_s) << QVariant(u"a"_s) << ColumnType::Text << false;
    QTest::newRow("incoming null") << QVariant(qint64(5)) << QVariant() << ColumnType::Integer << true;
    QTest::newRow("stored null") << QVariant() << QVariant(qint64(1)) << ColumnType::Integer << true;
}

void TestSqliteWarehouse::versionColumn()
{
    QFETCH(QVariant, stored);
    QFETCH(QVariant, incoming);
    QFETCH(ColumnType, type);
    QFETCH(bool, applied);

    WriteRequest first
            = request(u"subscriptions"_s,
                      {record(u"sub_1"_s, {field(u"updated"_s, type, stored), text(u"status"_s, u"first"_s)})});
    first.versionColumn = u"updated"_s;
    QCOMPARE_STATS(write(*m_warehouse, first), 1, 0, 0);

    WriteRequest second
            = request(u"subscriptions"_s,
                      {record(u"sub_1"_s, {field(u"updated"_s, type, incoming), text(u"status"_s, u"second"_s)}),
                       record(u"sub_2"_s, {field(u"updated"_s, type, incoming)})},
                      CollectionKind::Object, kSecondSync);
    second.versionColumn = u"updated"_s;
    const WriteStats stats = write(*m_warehouse, second);
    QCOMPARE(stats.inserted, 1);
    QCOMPARE(stats.updated, applied ? 1 : 0);
    QCOMPARE(stats.skipped, applied ? 0 : 1);
    Reader reader(m_path);
    QCOMPARE(reader.value(u"SELECT status FROM s_subscriptions WHERE id = 'sub_1'"_s).toString(),
             applied ? u"second"_s : u"first"_s);
    // The new cursor is saved whether or not the row was applied.
    QCOMPARE(m_warehouse->readState(u"my-source"_s, u"subscriptions"_s)->value(u"cursor"_s).toString(),
             u"subscriptions-1"_s);
}

void TestSqliteWarehouse::equalVersionReplacesWhenCurrentState()
{
    WriteRequest first
            = request(u"subscriptions"_s, {record(u"sub_1"_s, {integer(u"v"_s, 5), text(u"status"_s, u"first"_s)})});
    first.versionColumn = u"v"_s;
    QCOMPARE_STATS(write(*m_warehouse, first), 1, 0, 0);
    // A fresh read of the current state with the same version replaces; a repeated event would not.
    WriteRequest reread
            = request(u"subscriptions"_s, {record(u"sub_1"_s, {integer(u"v"_s, 5), text(u"status"_s, u"reread"_s)})},
                      CollectionKind::Object, kSecondSync);
    reread.versionColumn = u"v"_s;
    reread.replaceOnEqualVersion = true;
    QCOMPARE_STATS(write(*m_warehouse, reread), 0, 1, 0);
    Reader reader(m_path);
    QCOMPARE(reader.value(u"SELECT status FROM s_subscriptions WHERE id = 'sub_1'"_s).toString(), u"reread"_s);
}

void TestSqliteWarehouse::readOnlyQueries()
{
    QList<FlatRecord> rows;
    for (int i = 0; i < 30; ++i)
        rows.append(record(QStringLiteral("c%1").arg(i, 2, 10, QLatin1Char('0')), {integer(u"n"_s, i)}));
    QCOMPARE_STATS(write(*m_warehouse, request(u"customers"_s, rows)), 30, 0, 0);
    const auto result = m_warehouse->query(u"SELECT id, n FROM s_customers ORDER BY n"_s, 10);
    QVERIFY(result);
    QCOMPARE(result->columns, (QStringList {u"id"_s, u"n"_s}));
    QCOMPARE(result->rows.size(), 10);
    QVERIFY(result->truncated);
    QCOMPARE(result->rows.at(3).at(1).toInt(), 3);
    const auto all = m_warehouse->query(u"  with t as (select count(*) as c from s_customers) select c from t;"_s, 10);
    QVERIFY(all);
    QCOMPARE(all->rows.first().first().toInt(), 30);
    QVERIFY(!all->truncated);
    // Nothing that writes gets through, not even behind a SELECT.
    for (const QString &bad : {u"DELETE FROM s_customers"_s, u"SELECT 1; DROP TABLE s_customers"_s,
                               u"WITH x AS (SELECT 1) DELETE FROM s_customers"_s}) {
        const auto refused = m_warehouse->query(bad, 10);
        QVERIFY2(!refused, qPrintable(bad));
    }
    QCOMPARE(m_warehouse->query(u"SELECT COUNT(*) FROM s_customers"_s, 1)->rows.first().first().toInt(), 30);
    // A bad query is a clear error, and writing works afterwards.
    const auto broken = m_warehouse->query(u"SELECT nope FROM s_customers"_s, 1);
    QVERIFY(!broken);
    QCOMPARE(broken.error().kind, Error::Kind::Warehouse);
    QCOMPARE_STATS(write(*m_warehouse, request(u"customers"_s, {record(u"c99"_s, {integer(u"n"_s, 99)})})), 1, 0, 0);
}

void TestSqliteWarehouse::versionColumnWithinBatch()
{
    WriteRequest r = request(u"subscriptions"_s,
                             {record(u"sub_1"_s, {integer(u"v"_s, 3), text(u"status"_s, u"newest"_s)}),
                              record(u"sub_1"_s, {integer(u"v"_s, 2), text(u"status"_s, u"older"_s)}),
                              record(u"sub_2"_s, {integer(u"v"_s, 1), text(u"status"_s, u"first"_s)}),
                              record(u"sub_2"_s, {integer(u"v"_s, 1), text(u"status"_s, u"same version"_s)})});
    r.versionColumn = u"v"_s;
    QCOMPARE_STATS(write(*m_warehouse, r), 2, 0, 2);
    // Change events (replaceOnEqualVersion false): of two equal versions the first stays, as it
    // would when each row came in its own write; a current-state read: the later replaces.
    r.collection = u"plans"_s;
    r.replaceOnEqualVersion = true;
    QCOMPARE_STATS(write(*m_warehouse, r), 2, 0, 2);
    Reader reader(m_path);
    QCOMPARE(reader.rows(u"SELECT id, v, status FROM s_subscriptions ORDER BY id"_s),
             (QList<QVariantList> {{u"sub_1"_s, 3, u"newest"_s}, {u"sub_2"_s, 1, u"first"_s}}));
    QCOMPARE(reader.rows(u"SELECT id, v, status FROM s_plans ORDER BY id"_s),
             (QList<QVariantList> {{u"sub_1"_s, 3, u"newest"_s}, {u"sub_2"_s, 1, u"same version"_s}}));
}

void TestSqliteWarehouse::schemaEvolution()
{
    QCOMPARE_STATS(write(*m_warehouse, request(u"customers"_s, {record(u"a"_s, {integer(u"n"_s, 1)})})), 1, 0, 0);
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"customers"_s,
                                 {record(u"b"_s,
                                         {integer(u"n"_s, 2), text(u"email"_s, u"b@example.com"_s),
                                          field(u"vip"_s, ColumnType::Boolean, true)})})),
                   1, 0, 0);
    Reader reader(m_path);
    QCOMPARE(reader.rows(u"SELECT id, n, email IS NULL, vip IS NULL FROM s_customers ORDER BY id"_s),
             (QList<QVariantList> {{u"a"_s, 1, 1, 1}, {u"b"_s, 2, 0, 0}}));
    const Result<QList<TableInfo>> tables = m_warehouse->tables(u"s"_s);
    QVERIFY(tables.ok());
    QCOMPARE(describe(tables->first().schema),
             u"id:text,received_at:timestamp,is_deleted:boolean,n:integer,email:text,vip:boolean"_s);
    QCOMPARE(reader.value(u"SELECT type FROM pragma_table_info('s_customers') WHERE name = 'email'"_s).toString(),
             u"TEXT"_s);
}

void TestSqliteWarehouse::wideningKeepsEveryValue()
{
    QCOMPARE_STATS(write(*m_warehouse, request(u"items"_s, {record(u"1"_s, {integer(u"code"_s, 1)})})), 1, 0, 0);
    QCOMPARE_STATS(
            write(*m_warehouse, request(u"items"_s, {record(u"2"_s, {field(u"code"_s, ColumnType::Real, 2.5)})})), 1, 0,
            0);
    Reader reader(m_path);
    QCOMPARE(reader.value(u"SELECT type FROM _tributary_columns WHERE column_name = 'code'"_s).toString(), u"real"_s);
    QCOMPARE(reader.value(u"SELECT type FROM pragma_table_info('s_items') WHERE name = 'code'"_s).toString(),
             u"INTEGER"_s); // recorded only: SQLite keeps what it stored

    // Text that looks like a number must stay text once the column is text.
    QCOMPARE_STATS(
            write(*m_warehouse,
                  request(u"items"_s,
                          {record(u"3"_s, {text(u"code"_s, u"02134"_s)}), record(u"4"_s, {text(u"code"_s, u"abc"_s)}),
                           record(u"5"_s, {text(u"code"_s, u"1e5"_s)}), record(u"6"_s, {integer(u"code"_s, 7)})})),
            4, 0, 0);
    QCOMPARE(reader.value(u"SELECT type FROM _tributary_columns WHERE column_name = 'code'"_s).toString(), u"text"_s);
    QCOMPARE(reader.rows(u"SELECT id, code, typeof(code) FROM s_items ORDER BY id"_s),
             (QList<QVariantList> {{u"1"_s, 1, u"integer"_s},
                                   {u"2"_s, 2.5, u"real"_s},
                                   {u"3"_s, u"02134"_s, u"text"_s},
                                   {u"4"_s, u"abc"_s, u"text"_s},
                                   {u"5"_s, u"1e5"_s, u"text"_s},
                                   {u"6"_s, u"7"_s, u"text"_s}}));
    QCOMPARE(reader.value(u"SELECT pk FROM pragma_table_info('s_items') WHERE name = 'id'"_s).toInt(), 1);
    const Result<QList<TableInfo>> tables = m_warehouse->tables(u"s"_s);
    QVERIFY(tables.ok());
    QCOMPARE(tables->first().rowCount, 6);
    QCOMPARE(tables->first().schema.type(u"code"_s), ColumnType::Text);

    // The rebuilt table still upserts by id.
    QCOMPARE_STATS(write(*m_warehouse, request(u"items"_s, {record(u"3"_s, {text(u"code"_s, u"00007"_s)})})), 0, 1, 0);
    QCOMPARE(reader.value(u"SELECT code FROM s_items WHERE id = '3'"_s), QVariant(u"00007"_s));
}

void TestSqliteWarehouse::wideningRebuildKeepsIndexesAndViews()
{
    QCOMPARE_STATS(write(*m_warehouse, request(u"items"_s, {record(u"1"_s, {integer(u"code"_s, 1)})})), 1, 0, 0);
    {
        Reader reader(m_path);
        QVERIFY(reader.exec(u"CREATE INDEX my_code_index ON s_items (code)"_s));
        QVERIFY(reader.exec(u"CREATE VIEW my_view AS SELECT id, code FROM s_items"_s));
    }
    QCOMPARE_STATS(write(*m_warehouse, request(u"items"_s, {record(u"2"_s, {text(u"code"_s, u"x"_s)})})), 1, 0, 0);
    Reader reader(m_path);
    QCOMPARE(reader.rows(u"SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'my_code_index'"_s),
             (QList<QVariantList> {{u"my_code_index"_s}}));
    QCOMPARE(reader.rows(u"SELECT id, code FROM my_view ORDER BY id"_s),
             (QList<QVariantList> {{u"1"_s, 1}, {u"2"_s, u"x"_s}}));
    QCOMPARE(reader.value(u"SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '%tributary_rebuild%'"_s).toInt(), 0);
}

void TestSqliteWarehouse::hostileIdentifiers()
{
    {
        Reader reader(m_path);
        QVERIFY(reader.exec(u"CREATE TABLE x (a INTEGER)"_s));
        QVERIFY(reader.exec(u"INSERT INTO x VALUES (1)"_s));
    }
    const QString evil = u"\"; DROP TABLE x; --"_s;
    const QStringList columns {
            u"a\"b"_s,       u"Robert'); DROP TABLE x;--"_s, u"名前 😀"_s, u"with space"_s, u"x:y ?"_s, u"select"_s,
            u"@p $1 :name"_s};
    QList<FlatField> fields;
    for (qsizetype i = 0; i < columns.size(); ++i)
        fields.append(text(columns.at(i), u"v"_s + QString::number(i) + evil));

    WriteRequest r = request(evil, {record(u"id'); DROP TABLE x; --"_s, fields)});
    r.schema = u"sch\"ema ünï"_s;
    r.source = evil;
    r.state = QJsonObject {{evil, evil}};
    QCOMPARE_STATS(write(*m_warehouse, r), 1, 0, 0);
    QCOMPARE_STATS(write(*m_warehouse, r), 0, 1, 0);

    const QString table = m_warehouse->tableName(r.schema, r.collection);
    QCOMPARE(table, u"sch\"ema ünï_\"; DROP TABLE x; --"_s);
    Reader reader(m_path);
    QCOMPARE(reader.value(u"SELECT COUNT(*) FROM x"_s).toInt(), 1);
    QStringList quoted;
    for (const QString &column : columns)
        quoted << Identifier::quote(column);
    const QList<QVariantList> rows
            = reader.rows(u"SELECT id, "_s + quoted.join(u", "_s) + u" FROM "_s + Identifier::quote(table));
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().first().toString(), u"id'); DROP TABLE x; --"_s);
    for (qsizetype i = 0; i < columns.size(); ++i)
        QCOMPARE(rows.first().at(i + 1).toString(), u"v"_s + QString::number(i) + evil);

    QCOMPARE(m_warehouse->readState(evil, evil)->value(evil).toString(), evil);
    const Result<QList<TableInfo>> tables = m_warehouse->tables(r.schema);
    QVERIFY(tables.ok());
    QCOMPARE(tables->size(), 1);
    QCOMPARE(tables->first().collection, evil);
    QCOMPARE(tables->first().rowCount, 1);
    for (const QString &column : columns)
        QCOMPARE(tables->first().schema.type(column), ColumnType::Text);
}

void TestSqliteWarehouse::failedBatchLeavesNothingBehind()
{
    QCOMPARE_STATS(
            write(*m_warehouse,
                  request(u"orders"_s, {record(u"o1"_s, {integer(u"n"_s, 1)}), record(u"o2"_s, {integer(u"n"_s, 2)})})),
            2, 0, 0);
    {
        // A real SQL failure in the middle of the batch, raised by the database itself.
        Reader reader(m_path);
        QVERIFY(reader.exec(u"CREATE TRIGGER fail_on_bad BEFORE INSERT ON s_orders WHEN NEW.id = 'bad' "
                            "BEGIN SELECT RAISE(ABORT, 'the disk said no'); END"_s));
    }
    WriteRequest failing = request(u"orders"_s,
                                   {record(u"o1"_s, {integer(u"n"_s, 100), text(u"note"_s, u"new column"_s)}),
                                    record(u"o3"_s, {integer(u"n"_s, 3)}), record(u"bad"_s, {integer(u"n"_s, 4)}),
                                    record(u"o5"_s, {field(u"n"_s, ColumnType::Real, 5.5)})},
                                   CollectionKind::Object, kSecondSync);
    failing.state = QJsonObject {{u"cursor"_s, u"orders-2"_s}};
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"failed and was rolled back"_s));
    const Result<WriteStats> result = m_warehouse->write(failing);
    QVERIFY(!result);
    QCOMPARE(result.error().kind, Error::Kind::Warehouse);
    QCOMPARE(result.error().message, u"The warehouse could not save orders: the disk said no"_s);
    QCOMPARE(result.error().hint,
             u"Check that the warehouse file "_s + m_path
                     + u" is writable and the disk has space, then sync again; nothing of this batch was saved."_s);

    Reader reader(m_path);
    QCOMPARE(reader.rows(u"SELECT id, n, received_at FROM s_orders ORDER BY id"_s),
             (QList<QVariantList> {{u"o1"_s, 1, u"2026-01-02T03:04:05.678Z"_s},
                                   {u"o2"_s, 2, u"2026-01-02T03:04:05.678Z"_s}}));
    QCOMPARE(reader.value(u"SELECT COUNT(*) FROM pragma_table_info('s_orders') WHERE name = 'note'"_s).toInt(), 0);
    QCOMPARE(reader.value(u"SELECT COUNT(*) FROM _tributary_columns WHERE column_name = 'note'"_s).toInt(), 0);
    QCOMPARE(m_warehouse->readState(u"my-source"_s, u"orders"_s)->value(u"cursor"_s).toString(), u"orders-1"_s);
    const Result<QList<TableInfo>> tables = m_warehouse->tables(u"s"_s);
    QVERIFY(tables.ok());
    QCOMPARE(describe(tables->first().schema), u"id:text,received_at:timestamp,is_deleted:boolean,n:integer"_s);

    // Once the cause is gone the same batch goes through in full: the instance forgot nothing it
    // should and remembered nothing it should not.
    QVERIFY(reader.exec(u"DROP TRIGGER fail_on_bad"_s));
    QCOMPARE_STATS(write(*m_warehouse, failing), 3, 1, 0);
    QCOMPARE(reader.value(u"SELECT note FROM s_orders WHERE id = 'o1'"_s).toString(), u"new column"_s);
    QCOMPARE(m_warehouse->readState(u"my-source"_s, u"orders"_s)->value(u"cursor"_s).toString(), u"orders-2"_s);
}

void TestSqliteWarehouse::emptyBatchStillWritesState()
{
    WriteRequest r = request(u"disputes"_s, {});
    r.state = QJsonObject {{u"cursor"_s, u"none yet"_s}};
    QCOMPARE_STATS(write(*m_warehouse, r), 0, 0, 0);
    QCOMPARE(*m_warehouse->readState(u"my-source"_s, u"disputes"_s), r.state);
    const Result<QList<TableInfo>> tables = m_warehouse->tables(u"s"_s);
    QVERIFY(tables.ok());
    QCOMPARE(tables->size(), 1); // the (empty) table exists, so queries on it work
    QCOMPARE(tables->first().rowCount, 0);
}

void TestSqliteWarehouse::stateReadAndClear()
{
    const Result<QJsonObject> none = m_warehouse->readState(u"my-source"_s, u"customers"_s);
    QVERIFY(none.ok());
    QVERIFY(none->isEmpty());

    for (const QString &collection : {u"customers"_s, u"charges"_s}) {
        WriteRequest r = request(collection, {});
        r.state = QJsonObject {{u"cursor"_s, collection}, {u"nested"_s, QJsonObject {{u"n"_s, 1}}}};
        QVERIFY(m_warehouse->write(r).ok());
    }
    WriteRequest other = request(u"customers"_s, {});
    other.source = u"other-source"_s;
    QVERIFY(m_warehouse->write(other).ok());

    QCOMPARE(m_warehouse->readState(u"my-source"_s, u"customers"_s)->value(u"cursor"_s).toString(), u"customers"_s);
    QCOMPARE(m_warehouse->readState(u"my-source"_s, u"charges"_s)->value(u"nested"_s).toObject(),
             (QJsonObject {{u"n"_s, 1}}));

    QVERIFY(m_warehouse->clearState(u"my-source"_s, u"customers"_s).ok());
    QVERIFY(m_warehouse->readState(u"my-source"_s, u"customers"_s)->isEmpty());
    QVERIFY(!m_warehouse->readState(u"my-source"_s, u"charges"_s)->isEmpty());

    QVERIFY(m_warehouse->clearState(u"my-source"_s).ok());
    QVERIFY(m_warehouse->readState(u"my-source"_s, u"charges"_s)->isEmpty());
    QVERIFY(!m_warehouse->readState(u"other-source"_s, u"customers"_s)->isEmpty());

    // A damaged state is reported, not silently taken for "start over".
    Reader reader(m_path);
    QVERIFY(reader.exec(u"UPDATE _tributary_state SET state = 'not json'"_s));
    const Result<QJsonObject> damaged = m_warehouse->readState(u"other-source"_s, u"customers"_s);
    QVERIFY(!damaged);
    QCOMPARE(damaged.error().kind, Error::Kind::Warehouse);
    QVERIFY(damaged.error().hint.contains(u"--full-refresh"_s));
}

void TestSqliteWarehouse::tablesCountsAndTypes()
{
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"customers"_s,
                                 {record(u"a"_s, {integer(u"n"_s, 1)}), record(u"b"_s, {integer(u"n"_s, 2)})})),
                   2, 0, 0);
    QCOMPARE_STATS(
            write(*m_warehouse, request(u"events"_s, {record(u"e"_s, {text(u"t"_s, u"x"_s)})}, CollectionKind::Event)),
            1, 0, 0);
    WriteRequest elsewhere = request(u"tickets"_s, {record(u"1"_s, {})});
    elsewhere.schema = u"zendesk"_s;
    QCOMPARE_STATS(write(*m_warehouse, elsewhere), 1, 0, 0);

    const Result<QList<TableInfo>> tables = m_warehouse->tables(u"s"_s);
    QVERIFY(tables.ok());
    QCOMPARE(tables->size(), 2);
    QCOMPARE(tables->at(0).table, u"s_customers"_s);
    QCOMPARE(tables->at(0).rowCount, 2);
    QCOMPARE(describe(tables->at(0).schema), u"id:text,received_at:timestamp,is_deleted:boolean,n:integer"_s);
    QCOMPARE(tables->at(1).table, u"s_events"_s);
    QCOMPARE(tables->at(1).collection, u"events"_s);
    QCOMPARE(tables->at(1).rowCount, 1);
    QCOMPARE(describe(tables->at(1).schema), u"id:text,received_at:timestamp,t:text"_s);

    const Result<QList<TableInfo>> zendesk = m_warehouse->tables(u"zendesk"_s);
    QVERIFY(zendesk.ok());
    QCOMPARE(zendesk->size(), 1);
    QCOMPARE(zendesk->first().table, u"zendesk_tickets"_s);
    QVERIFY(m_warehouse->tables(u"nothing"_s)->isEmpty());
}

void TestSqliteWarehouse::reopenSeesSameSchemaAndState()
{
    QCOMPARE_STATS(write(*m_warehouse, request(u"customers"_s, {record(u"a"_s, {integer(u"n"_s, 1)})})), 1, 0, 0);
    const QList<TableInfo> before = *m_warehouse->tables(u"s"_s);
    m_warehouse->close();
    m_warehouse.reset();

    auto reopened = openWarehouse();
    QVERIFY(reopened);
    QCOMPARE(reopened->readState(u"my-source"_s, u"customers"_s)->value(u"cursor"_s).toString(), u"customers-1"_s);
    const QList<TableInfo> after = *reopened->tables(u"s"_s);
    QCOMPARE(after.size(), before.size());
    QCOMPARE(describe(after.first().schema), describe(before.first().schema));
    QCOMPARE(after.first().rowCount, 1);

    // The reloaded schema drives the next write: widening and upserting as before.
    QCOMPARE_STATS(write(*reopened, request(u"customers"_s, {record(u"a"_s, {field(u"n"_s, ColumnType::Real, 1.5)})})),
                   0, 1, 0);
    QCOMPARE(reopened->tables(u"s"_s)->first().schema.type(u"n"_s), ColumnType::Real);
}

void TestSqliteWarehouse::anotherInstanceChangesTheSchema()
{
    auto other = openWarehouse();
    QVERIFY(other);
    QCOMPARE_STATS(write(*m_warehouse, request(u"customers"_s, {record(u"a"_s, {integer(u"n"_s, 1)})})), 1, 0, 0);
    QCOMPARE_STATS(write(*other, request(u"customers"_s, {record(u"b"_s, {text(u"email"_s, u"b@x"_s)})})), 1, 0, 0);
    QCOMPARE_STATS(write(*other, request(u"customers"_s, {record(u"c"_s, {field(u"n"_s, ColumnType::Real, 0.5)})})), 1,
                   0, 0);
    // m_warehouse cached the table before the other instance added email and widened n.
    QCOMPARE_STATS(write(*m_warehouse,
                         request(u"customers"_s, {record(u"d"_s, {text(u"email"_s, u"d@x"_s), integer(u"n"_s, 4)})})),
                   1, 0, 0);
    const Result<QList<TableInfo>> tables = m_warehouse->tables(u"s"_s);
    QVERIFY(tables.ok());
    QCOMPARE(describe(tables->first().schema), u"id:text,received_at:timestamp,is_deleted:boolean,n:real,email:text"_s);
    QCOMPARE(tables->first().rowCount, 4);
}

void TestSqliteWarehouse::largeTextValue()
{
    QString big;
    big.reserve(1024 * 1024);
    while (big.size() < 1024 * 1024)
        big += u"0123456789abcdef→"_s;
    QCOMPARE_STATS(write(*m_warehouse, request(u"notes"_s, {record(u"n1"_s, {text(u"body"_s, big)})})), 1, 0, 0);
    Reader reader(m_path);
    QCOMPARE(reader.value(u"SELECT body FROM s_notes WHERE id = 'n1'"_s).toString(), big);
}

void TestSqliteWarehouse::manyRowsInOneBatch()
{
    // More ids than one SELECT ... IN (...) takes, half of them already stored.
    QList<FlatRecord> first;
    for (int i = 0; i < 1200; i += 2)
        first.append(record(QString::number(i), {integer(u"n"_s, i)}));
    QCOMPARE_STATS(write(*m_warehouse, request(u"rows"_s, first)), 600, 0, 0);
    QList<FlatRecord> second;
    for (int i = 0; i < 1200; ++i)
        second.append(record(QString::number(i), {integer(u"n"_s, -i)}));
    QCOMPARE_STATS(write(*m_warehouse, request(u"rows"_s, second)), 600, 600, 0);
    Reader reader(m_path);
    QCOMPARE(reader.value(u"SELECT COUNT(*) FROM s_rows WHERE n <= 0"_s).toInt(), 1200);
}

void TestSqliteWarehouse::errors()
{
    SqliteWarehouse closed(m_dir->filePath(u"closed.db"_s));
    const Result<WriteStats> notOpen = closed.write(request(u"customers"_s, {}));
    QVERIFY(!notOpen);
    QCOMPARE(notOpen.error().kind, Error::Kind::Warehouse);
    QVERIFY(!closed.readState(u"a"_s, u"b"_s));
    QVERIFY(!closed.clearState(u"a"_s));
    QVERIFY(!closed.tables(u"a"_s));

    WriteRequest reserved = request(u"state"_s, {});
    reserved.schema = u"_tributary"_s;
    const Result<WriteStats> reservedResult = m_warehouse->write(reserved);
    QVERIFY(!reservedResult);
    QCOMPARE(reservedResult.error().kind, Error::Kind::Config);

    const Result<WriteStats> noId = m_warehouse->write(request(u"customers"_s, {record(QString(), {})}));
    QVERIFY(!noId);
    QCOMPARE(noId.error().kind, Error::Kind::Internal);

    WriteRequest mismatch = request(u"customers"_s, {record(u"a"_s, {})});
    mismatch.deleted = {true, false};
    QVERIFY(!m_warehouse->write(mismatch));

    // None of them touched the file.
    Reader reader(m_path);
    QCOMPARE(reader.value(u"SELECT COUNT(*) FROM _tributary_state"_s).toInt(), 0);
    QCOMPARE(reader.value(u"SELECT COUNT(*) FROM sqlite_master WHERE name = 's_customers'"_s).toInt(), 0);
}

QTEST_GUILESS_MAIN(TestSqliteWarehouse)
#include "TestSqliteWarehouse.moc"
