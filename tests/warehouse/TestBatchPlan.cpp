#include "warehouse/BatchPlan.h"

#include <QTest>

using namespace tributary;
using namespace Qt::StringLiterals;

namespace {

QVariantList valuesOf(const BatchPlan::Row &row)
{
    QVariantList values;
    for (qsizetype k = 0; k < row.columns.size(); ++k)
        values.append(row.value(k));
    return values;
}

FlatRecord record(const QString &id, const QList<FlatField> &fields)
{
    FlatRecord r;
    r.id = id;
    r.fields = fields;
    return r;
}

QString describe(const TableSchema &schema)
{
    QStringList parts;
    for (const TableSchema::Column &c : schema.columns())
        parts << c.name + u':' + columnTypeName(c.type);
    return parts.join(u',');
}

QDateTime utc(int day, int ms = 0)
{
    return QDateTime(QDate(2026, 1, day), QTime(12, 0, 0, ms), Qt::UTC);
}

} // namespace

class TestBatchPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void compareVersions_data();
    void compareVersions();
    void storedValue_data();
    void storedValue();
    void objectSystemColumnsAndCollisions();
    void eventKeepsEveryRowAndItsIsDeleted();
    void lastOccurrenceWins();
    void versionDecidesWithinBatch_data();
    void versionDecidesWithinBatch();
    void rejectsBadRequests();
    void rowsSharingColumnsJoinTypes();
    void rowsOfOneShapeKeepTheirOwnValues();
};

void TestBatchPlan::compareVersions_data()
{
    QTest::addColumn<QVariant>("a");
    QTest::addColumn<QVariant>("b");
    QTest::addColumn<int>("expected"); // -1, 0, 1, or 2 for "not comparable"

    QTest::newRow("integers") << QVariant(qint64(9)) << QVariant(qint64(10)) << -1;
    QTest::newRow("equal integers") << QVariant(qint64(7)) << QVariant(qint64(7)) << 0;
    QTest::newRow("big integers beyond double precision")
            << QVariant(qint64(9007199254740993LL)) << QVariant(qint64(9007199254740992LL)) << 1;
    QTest::newRow("integer and real") << QVariant(qint64(2)) << QVariant(1.5) << 1;
    QTest::newRow("numeric text as stored") << QVariant(u"10"_s) << QVariant(qint64(9)) << 1;
    QTest::newRow("bool") << QVariant(false) << QVariant(true) << -1;
    QTest::newRow("date-times") << QVariant(utc(2)) << QVariant(utc(3)) << -1;
    QTest::newRow("stored timestamp text and date-time")
            << QVariant(u"2026-01-02T12:00:00.005Z"_s) << QVariant(utc(2, 4)) << 1;
    QTest::newRow("equal stored text and date-time")
            << QVariant(u"2026-01-02T12:00:00.000Z"_s) << QVariant(utc(2)) << 0;
    QTest::newRow("offset text") << QVariant(u"2026-01-02T13:00:00+02:00"_s) << QVariant(utc(2)) << -1;
    QTest::newRow("plain text") << QVariant(u"abc"_s) << QVariant(u"abd"_s) << -1;
    QTest::newRow("null first") << QVariant() << QVariant(qint64(1)) << 2;
    QTest::newRow("null second") << QVariant(qint64(1)) << QVariant() << 2;
}

void TestBatchPlan::compareVersions()
{
    QFETCH(QVariant, a);
    QFETCH(QVariant, b);
    QFETCH(int, expected);
    const std::optional<int> order = BatchPlan::compareVersions(a, b);
    if (expected == 2) {
        QVERIFY(!order.has_value());
        return;
    }
    QVERIFY(order.has_value());
    QCOMPARE(*order < 0 ? -1 : (*order > 0 ? 1 : 0), expected);
    const std::optional<int> reversed = BatchPlan::compareVersions(b, a);
    QVERIFY(reversed.has_value());
    QCOMPARE(*reversed < 0 ? -1 : (*reversed > 0 ? 1 : 0), -expected);
}

void TestBatchPlan::storedValue_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<int>("columnType");
    QTest::addColumn<QVariant>("expected");

    const int boolean = int(ColumnType::Boolean), integer = int(ColumnType::Integer), real = int(ColumnType::Real),
              text = int(ColumnType::Text), timestamp = int(ColumnType::Timestamp);
    QTest::newRow("true") << QVariant(true) << boolean << QVariant(qint64(1));
    QTest::newRow("false") << QVariant(false) << boolean << QVariant(qint64(0));
    QTest::newRow("bool in text") << QVariant(true) << text << QVariant(u"true"_s);
    QTest::newRow("integer") << QVariant(qint64(-42)) << integer << QVariant(qint64(-42));
    QTest::newRow("integer in real") << QVariant(qint64(3)) << real << QVariant(3.0);
    QTest::newRow("integer in text") << QVariant(qint64(7)) << text << QVariant(u"7"_s);
    QTest::newRow("real") << QVariant(0.1) << real << QVariant(0.1);
    QTest::newRow("real in text") << QVariant(0.1 + 0.2) << text << QVariant(u"0.30000000000000004"_s);
    QTest::newRow("date-time") << QVariant(QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7, 89), Qt::UTC)) << timestamp
                               << QVariant(u"2026-03-04T05:06:07.089Z"_s);
    QTest::newRow("date-time with offset")
            << QVariant(QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7), Qt::OffsetFromUTC, 3600)) << timestamp
            << QVariant(u"2026-03-04T04:06:07.000Z"_s);
    QTest::newRow("date-time in text") << QVariant(QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7), Qt::UTC)) << text
                                       << QVariant(u"2026-03-04T05:06:07.000Z"_s);
    QTest::newRow("text") << QVariant(u"héllo"_s) << text << QVariant(u"héllo"_s);
    QTest::newRow("null") << QVariant() << text << QVariant();
    QTest::newRow("null string") << QVariant(QString()) << text << QVariant();
}

void TestBatchPlan::storedValue()
{
    QFETCH(QVariant, value);
    QFETCH(int, columnType);
    QFETCH(QVariant, expected);
    const QVariant stored = BatchPlan::storedValue(value, ColumnType(columnType));
    QCOMPARE(stored.isValid(), expected.isValid());
    if (expected.isValid()) {
        QCOMPARE(stored.typeId(), expected.typeId());
        QCOMPARE(stored, expected);
    }
}

void TestBatchPlan::objectSystemColumnsAndCollisions()
{
    WriteRequest request;
    request.collection = u"accounts"_s;
    request.kind = CollectionKind::Object;
    request.rows = {
            record(u"1"_s,
                   {FlatField {u"id"_s, ColumnType::Integer, qint64(1)},
                    FlatField {u"received_at"_s, ColumnType::Timestamp, QDateTime::currentDateTimeUtc()},
                    FlatField {u"is_deleted"_s, ColumnType::Boolean, true},
                    FlatField {u"name"_s, ColumnType::Text, u"a"_s}}),
            record(u"2"_s,
                   {FlatField {u"received_at"_s, ColumnType::Text, u"renamed, then dropped"_s},
                    FlatField {u"_received_at"_s, ColumnType::Text, u"literal"_s},
                    FlatField {u"is_deleted"_s, ColumnType::Text, u"false"_s}}),
            record(u"3"_s, {FlatField {u"is_deleted"_s, ColumnType::Integer, qint64(1)}}),
    };
    request.deleted = {false, true, false};
    const Result<BatchPlan> plan = BatchPlan::make(request);
    QVERIFY(plan.ok());
    QCOMPARE(describe(plan->schema()),
             u"id:text,received_at:timestamp,is_deleted:boolean,_received_at:text,name:text"_s);
    QCOMPARE(plan->rows().size(), 3);
    QCOMPARE(plan->rows().at(0).columns, (QStringList {u"_received_at"_s, u"name"_s}));
    QVERIFY(plan->rows().at(0).deleted); // upstream is_deleted true
    QVERIFY(plan->rows().at(1).deleted); // flagged by the request
    QVERIFY(plan->rows().at(2).deleted); // upstream 1
    QCOMPARE(plan->rows().at(1).columns, (QStringList {u"_received_at"_s}));
    QCOMPARE(valuesOf(plan->rows().at(1)), (QVariantList {u"literal"_s}));
    QCOMPARE(BatchPlan::systemColumns(CollectionKind::Object),
             (QStringList {u"id"_s, u"received_at"_s, u"is_deleted"_s}));
}

void TestBatchPlan::eventKeepsEveryRowAndItsIsDeleted()
{
    WriteRequest request;
    request.kind = CollectionKind::Event;
    request.rows = {record(u"e"_s, {FlatField {u"is_deleted"_s, ColumnType::Boolean, true}}),
                    record(u"e"_s, {FlatField {u"n"_s, ColumnType::Integer, qint64(1)}})};
    const Result<BatchPlan> plan = BatchPlan::make(request);
    QVERIFY(plan.ok());
    QCOMPARE(plan->rows().size(), 2);
    QCOMPARE(plan->superseded(), 0);
    QCOMPARE(describe(plan->schema()), u"id:text,received_at:timestamp,is_deleted:boolean,n:integer"_s);
    QVERIFY(!plan->rows().first().deleted);
    QCOMPARE(BatchPlan::systemColumns(CollectionKind::Event), (QStringList {u"id"_s, u"received_at"_s}));
}

void TestBatchPlan::lastOccurrenceWins()
{
    WriteRequest request;
    request.rows = {record(u"a"_s, {FlatField {u"only_in_first"_s, ColumnType::Text, u"x"_s}}),
                    record(u"b"_s, {FlatField {u"n"_s, ColumnType::Integer, qint64(1)}}),
                    record(u"a"_s, {FlatField {u"n"_s, ColumnType::Integer, qint64(2)}})};
    request.deleted = {true, false, false};
    const Result<BatchPlan> plan = BatchPlan::make(request);
    QVERIFY(plan.ok());
    QCOMPARE(plan->superseded(), 1);
    QCOMPARE(plan->rows().size(), 2);
    QCOMPARE(plan->rows().at(0).id, u"a"_s); // first-seen order
    QCOMPARE(plan->rows().at(0).index, 2);
    QCOMPARE(valuesOf(plan->rows().at(0)), (QVariantList {qint64(2)}));
    QVERIFY(!plan->rows().at(0).deleted);
    // The superseded occurrence adds no column.
    QCOMPARE(describe(plan->schema()), u"id:text,received_at:timestamp,is_deleted:boolean,n:integer"_s);
}

void TestBatchPlan::versionDecidesWithinBatch_data()
{
    QTest::addColumn<bool>("replaceOnEqualVersion");
    QTest::addColumn<int>("kept");
    // A current-state read: the later of two equal versions replaces. Change events: the first
    // stays, as it would if the rows were written one write at a time (pages joined into one
    // write give the same table).
    QTest::newRow("current state") << true << 2;
    QTest::newRow("change events") << false << 0;
}

void TestBatchPlan::versionDecidesWithinBatch()
{
    QFETCH(bool, replaceOnEqualVersion);
    QFETCH(int, kept);
    WriteRequest request;
    request.versionColumn = u"v"_s;
    request.replaceOnEqualVersion = replaceOnEqualVersion;
    request.rows = {record(u"a"_s, {FlatField {u"v"_s, ColumnType::Integer, qint64(5)}}),
                    record(u"a"_s, {FlatField {u"v"_s, ColumnType::Integer, qint64(4)}}),
                    record(u"a"_s, {FlatField {u"v"_s, ColumnType::Integer, qint64(5)}})};
    const Result<BatchPlan> plan = BatchPlan::make(request);
    QVERIFY(plan.ok());
    QCOMPARE(plan->superseded(), 2);
    QCOMPARE(plan->rows().size(), 1);
    QCOMPARE(plan->rows().first().index, kept); // older never replaces
    QCOMPARE(plan->rows().first().version, QVariant(qint64(5)));
}

void TestBatchPlan::rejectsBadRequests()
{
    WriteRequest noId;
    noId.collection = u"customers"_s;
    noId.rows = {record(QString(), {})};
    const Result<BatchPlan> a = BatchPlan::make(noId);
    QVERIFY(!a);
    QCOMPARE(a.error().kind, Error::Kind::Internal);
    QVERIFY(a.error().message.contains(u"customers"_s));

    WriteRequest mismatch;
    mismatch.rows = {record(u"a"_s, {})};
    mismatch.deleted = {true, true};
    const Result<BatchPlan> b = BatchPlan::make(mismatch);
    QVERIFY(!b);
    QCOMPARE(b.error().kind, Error::Kind::Internal);
}

void TestBatchPlan::rowsSharingColumnsJoinTypes()
{
    // Rows with the same columns share one list; the schema still lists columns in first-seen
    // order with every row's types joined, whether rows repeat, shrink or change columns.
    const QString a = u"a"_s; // one shared string, as the Normalizer's names are
    WriteRequest request;
    request.collection = u"mixed"_s;
    request.rows = {
            record(u"1"_s, {FlatField {a, ColumnType::Null, {}}, FlatField {u"b"_s, ColumnType::Integer, qint64(1)}}),
            record(u"2"_s,
                   {FlatField {a, ColumnType::Text, u"x"_s}, FlatField {u"b"_s, ColumnType::Integer, qint64(2)}}),
            record(u"3"_s, {FlatField {a, ColumnType::Null, {}}}),
            record(u"4"_s,
                   {FlatField {u"c"_s, ColumnType::Boolean, true}, FlatField {a, ColumnType::Integer, qint64(4)}}),
            record(u"5"_s, {FlatField {u"c"_s, ColumnType::Boolean, false}, FlatField {a, ColumnType::Real, 5.5}}),
            record(u"6"_s, {FlatField {a, ColumnType::Integer, qint64(6)}, FlatField {u"b"_s, ColumnType::Real, 6.5}}),
    };
    const Result<BatchPlan> plan = BatchPlan::make(request);
    QVERIFY(plan.ok());
    QCOMPARE(describe(plan->schema()), u"id:text,received_at:timestamp,is_deleted:boolean,a:text,b:real,c:boolean"_s);
    const QList<QStringList> columns {{a, u"b"_s}, {a, u"b"_s}, {a}, {u"c"_s, a}, {u"c"_s, a}, {a, u"b"_s}};
    QCOMPARE(plan->rows().size(), columns.size());
    for (qsizetype i = 0; i < columns.size(); ++i) {
        QCOMPARE(plan->rows().at(i).columns, columns.at(i));
        QCOMPARE(plan->rows().at(i).fields.size(), columns.at(i).size());
    }
    QCOMPARE(valuesOf(plan->rows().at(1)), (QVariantList {u"x"_s, qint64(2)}));
    QCOMPARE(valuesOf(plan->rows().at(4)), (QVariantList {false, 5.5}));
    // The second row shares the first one's list.
    QCOMPARE(plan->rows().at(1).columns.constData(), plan->rows().at(0).columns.constData());
}

void TestBatchPlan::rowsOfOneShapeKeepTheirOwnValues()
{
    // Records whose fields carry the very same column strings (as one Normalizer gives them)
    // share what is worked out once per shape; each row still reads its own values, deletion
    // flag, version and types, and a superseded row's types do not count.
    const QString id = u"id"_s;
    const QString isDeleted = u"is_deleted"_s;
    const QString version = u"v"_s;
    const QString name = u"name"_s;
    const auto shaped = [&](const QString &key, bool deleted, qint64 v, const FlatField &value) {
        return record(key,
                      {FlatField {id, ColumnType::Text, key}, FlatField {isDeleted, ColumnType::Boolean, deleted},
                       FlatField {version, ColumnType::Integer, v}, value});
    };
    WriteRequest request;
    request.versionColumn = version;
    request.replaceOnEqualVersion = true;
    request.rows = {shaped(u"a"_s, true, 1, FlatField {name, ColumnType::Integer, qint64(10)}),
                    shaped(u"b"_s, false, 2, FlatField {name, ColumnType::Real, 2.5}),
                    shaped(u"c"_s, true, 3, FlatField {name, ColumnType::Null, {}})};
    Result<BatchPlan> plan = BatchPlan::make(request);
    QVERIFY(plan.ok());
    QCOMPARE(describe(plan->schema()), u"id:text,received_at:timestamp,is_deleted:boolean,v:integer,name:real"_s);
    QCOMPARE(plan->rows().size(), 3);
    const QList<bool> deleted {true, false, true};
    const QList<QVariantList> values {{qint64(1), qint64(10)}, {qint64(2), 2.5}, {qint64(3), QVariant()}};
    for (qsizetype i = 0; i < 3; ++i) {
        const BatchPlan::Row &row = plan->rows().at(i);
        QCOMPARE(row.deleted, deleted.at(i));
        QCOMPARE(row.version, QVariant(qint64(i + 1)));
        QCOMPARE(valuesOf(row), values.at(i));
        QCOMPARE(row.columns, (QStringList {version, name}));
        QCOMPARE(row.columns.constData(), plan->rows().first().columns.constData());
    }

    // "a" again, newer and with text: it replaces the first "a", whose integer no longer
    // counts (the column is real and text, not integer); "b" again but older: skipped, its
    // timestamp counts for nothing.
    request.rows.append(shaped(u"a"_s, false, 5, FlatField {name, ColumnType::Text, u"ten"_s}));
    request.rows.append(
            shaped(u"b"_s, false, 1, FlatField {name, ColumnType::Timestamp, QDateTime::currentDateTimeUtc()}));
    plan = BatchPlan::make(request);
    QVERIFY(plan.ok());
    QCOMPARE(plan->superseded(), 2);
    QCOMPARE(plan->rows().size(), 3);
    QCOMPARE(plan->rows().at(0).index, 3);
    QVERIFY(!plan->rows().at(0).deleted);
    QCOMPARE(valuesOf(plan->rows().at(0)), (QVariantList {qint64(5), u"ten"_s}));
    QCOMPARE(plan->rows().at(1).index, 1);
    QCOMPARE(describe(plan->schema()), u"id:text,received_at:timestamp,is_deleted:boolean,v:integer,name:text"_s);

    // Only the superseded row carried a type the kept ones lack: it does not widen the column.
    request.rows = {shaped(u"a"_s, false, 1, FlatField {name, ColumnType::Text, u"old"_s}),
                    shaped(u"a"_s, false, 2, FlatField {name, ColumnType::Integer, qint64(2)})};
    plan = BatchPlan::make(request);
    QVERIFY(plan.ok());
    QCOMPARE(describe(plan->schema()), u"id:text,received_at:timestamp,is_deleted:boolean,v:integer,name:integer"_s);
}

QTEST_GUILESS_MAIN(TestBatchPlan)
#include "TestBatchPlan.moc"
