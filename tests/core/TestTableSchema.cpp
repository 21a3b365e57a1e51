#include "core/TableSchema.h"

#include <QTest>

using namespace tributary;
using namespace Qt::StringLiterals;

namespace tributary {
char *toString(ColumnType type)
{
    return qstrdup(qPrintable(columnTypeName(type)));
}
} // namespace tributary

namespace {

// "added:a:null,widened:b:real" (or "" for no change): one string is easy to compare and to read.
QString describe(const TableSchema::Change &change)
{
    QStringList parts;
    for (const TableSchema::Column &c : change.added)
        parts << u"added:"_s + c.name + u':' + columnTypeName(c.type);
    for (const TableSchema::Column &c : change.widened)
        parts << u"widened:"_s + c.name + u':' + columnTypeName(c.type);
    return parts.join(u',');
}

QString describe(const TableSchema &schema)
{
    QStringList parts;
    for (const TableSchema::Column &c : schema.columns())
        parts << c.name + u':' + columnTypeName(c.type);
    return parts.join(u',');
}

FlatRecord record(const QList<std::pair<QString, ColumnType>> &columns)
{
    FlatRecord r;
    for (const auto &[name, type] : columns)
        r.fields.append(FlatField {name, type, QVariant()});
    return r;
}

} // namespace

class TestTableSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wideningSequence_data();
    void wideningSequence();
    void lookups();
    void mergeRecords();
    void changeIsNetDifference();
    void columnOrderIsCreationOrder();
};

void TestTableSchema::wideningSequence_data()
{
    // One column receives values of these types in turn; after each, what changed and its type.
    QTest::addColumn<QStringList>("types");
    QTest::addColumn<QStringList>("changes");
    QTest::addColumn<QStringList>("typesAfter");

    QTest::newRow("null then integer then real")
            << QStringList {u"null"_s, u"integer"_s, u"real"_s, u"integer"_s, u"null"_s}
            << QStringList {u"added:c:null"_s, u"widened:c:integer"_s, u"widened:c:real"_s, QString(), QString()}
            << QStringList {u"null"_s, u"integer"_s, u"real"_s, u"real"_s, u"real"_s};
    QTest::newRow("boolean meets integer at text")
            << QStringList {u"boolean"_s, u"boolean"_s, u"integer"_s, u"boolean"_s}
            << QStringList {u"added:c:boolean"_s, QString(), u"widened:c:text"_s, QString()}
            << QStringList {u"boolean"_s, u"boolean"_s, u"text"_s, u"text"_s};
    QTest::newRow("timestamp then text") << QStringList {u"timestamp"_s, u"null"_s, u"text"_s, u"timestamp"_s}
                                         << QStringList {u"added:c:timestamp"_s, QString(), u"widened:c:text"_s,
                                                         QString()}
                                         << QStringList {u"timestamp"_s, u"timestamp"_s, u"text"_s, u"text"_s};
    QTest::newRow("json then integer") << QStringList {u"json"_s, u"integer"_s}
                                       << QStringList {u"added:c:json"_s, u"widened:c:text"_s}
                                       << QStringList {u"json"_s, u"text"_s};
    QTest::newRow("real then integer stays real")
            << QStringList {u"real"_s, u"integer"_s} << QStringList {u"added:c:real"_s, QString()}
            << QStringList {u"real"_s, u"real"_s};
    QTest::newRow("text never narrows") << QStringList {u"text"_s, u"integer"_s, u"boolean"_s, u"json"_s, u"null"_s}
                                        << QStringList {u"added:c:text"_s, QString(), QString(), QString(), QString()}
                                        << QStringList {u"text"_s, u"text"_s, u"text"_s, u"text"_s, u"text"_s};
    QTest::newRow("integer then timestamp")
            << QStringList {u"integer"_s, u"timestamp"_s} << QStringList {u"added:c:integer"_s, u"widened:c:text"_s}
            << QStringList {u"integer"_s, u"text"_s};
}

void TestTableSchema::wideningSequence()
{
    QFETCH(QStringList, types);
    QFETCH(QStringList, changes);
    QFETCH(QStringList, typesAfter);
    QCOMPARE(changes.size(), types.size());

    TableSchema schema;
    for (qsizetype i = 0; i < types.size(); ++i) {
        TableSchema::Change change;
        const bool changed = schema.addOrWiden(u"c"_s, columnTypeFromName(types.at(i)), &change);
        QCOMPARE(describe(change), changes.at(i));
        QCOMPARE(changed, !change.isEmpty());
        QCOMPARE(columnTypeName(schema.type(u"c"_s)), typesAfter.at(i));
        QCOMPARE(schema.columns().size(), 1);
    }
}

void TestTableSchema::lookups()
{
    TableSchema schema;
    QVERIFY(schema.columns().isEmpty());
    QCOMPARE(schema.indexOf(u"id"_s), -1);
    QVERIFY(!schema.contains(u"id"_s));
    QCOMPARE(schema.type(u"id"_s), ColumnType::Null);

    QVERIFY(schema.addOrWiden(u"id"_s, ColumnType::Text));
    QVERIFY(schema.addOrWiden(u"amount"_s, ColumnType::Integer));
    QVERIFY(!schema.addOrWiden(u"amount"_s, ColumnType::Integer)); // no change without a Change too
    QCOMPARE(schema.indexOf(u"id"_s), 0);
    QCOMPARE(schema.indexOf(u"amount"_s), 1);
    QCOMPARE(schema.indexOf(u"Amount"_s), -1); // exact names
    QVERIFY(schema.contains(u"amount"_s));
    QCOMPARE(schema.type(u"amount"_s), ColumnType::Integer);
    QCOMPARE(schema.type(u"missing"_s), ColumnType::Null);

    // A copy is independent (the index travels with the columns).
    TableSchema copy = schema;
    QVERIFY(copy.addOrWiden(u"amount"_s, ColumnType::Real));
    QCOMPARE(copy.type(u"amount"_s), ColumnType::Real);
    QCOMPARE(schema.type(u"amount"_s), ColumnType::Integer);
    QCOMPARE(copy.indexOf(u"amount"_s), 1);
}

void TestTableSchema::mergeRecords()
{
    TableSchema schema;

    TableSchema::Change change = schema.merge(record({{u"id"_s, ColumnType::Text}, {u"a"_s, ColumnType::Null}}));
    QCOMPARE(describe(change), u"added:id:text,added:a:null"_s);

    change = schema.merge(
            record({{u"id"_s, ColumnType::Text}, {u"a"_s, ColumnType::Integer}, {u"b"_s, ColumnType::Boolean}}));
    QCOMPARE(describe(change), u"added:b:boolean,widened:a:integer"_s);

    change = schema.merge(record({{u"a"_s, ColumnType::Real}, {u"b"_s, ColumnType::Null}}));
    QCOMPARE(describe(change), u"widened:a:real"_s);

    change = schema.merge(record({{u"a"_s, ColumnType::Integer}, {u"id"_s, ColumnType::Text}}));
    QVERIFY(change.isEmpty());

    change = schema.merge(FlatRecord());
    QVERIFY(change.isEmpty());

    change = schema.merge(record({{u"tags"_s, ColumnType::Json}, {u"b"_s, ColumnType::Timestamp}}));
    QCOMPARE(describe(change), u"added:tags:json,widened:b:text"_s);

    QCOMPARE(describe(schema), u"id:text,a:real,b:text,tags:json"_s);
}

void TestTableSchema::changeIsNetDifference()
{
    TableSchema schema;
    TableSchema::Change change;
    QVERIFY(schema.addOrWiden(u"a"_s, ColumnType::Null, &change));
    QVERIFY(schema.addOrWiden(u"a"_s, ColumnType::Integer, &change));
    QVERIFY(schema.addOrWiden(u"a"_s, ColumnType::Real, &change));
    QCOMPARE(describe(change), u"added:a:real"_s); // added once, with its final type

    QVERIFY(schema.addOrWiden(u"b"_s, ColumnType::Integer));
    TableSchema::Change second;
    QVERIFY(schema.addOrWiden(u"b"_s, ColumnType::Real, &second));
    QVERIFY(schema.addOrWiden(u"b"_s, ColumnType::Boolean, &second));
    QCOMPARE(describe(second), u"widened:b:text"_s); // widened once, to its final type
}

void TestTableSchema::columnOrderIsCreationOrder()
{
    TableSchema schema;
    const QStringList names = {u"zeta"_s, u"alpha"_s, u"mid"_s, u"_3d"_s, u"a_b_2"_s};
    for (const QString &name : names)
        schema.addOrWiden(name, ColumnType::Text);
    schema.addOrWiden(u"alpha"_s, ColumnType::Integer); // widening keeps the place
    QStringList seen;
    for (const TableSchema::Column &c : schema.columns())
        seen << c.name;
    QCOMPARE(seen, names);
    for (qsizetype i = 0; i < names.size(); ++i)
        QCOMPARE(schema.indexOf(names.at(i)), int(i));
}

QTEST_GUILESS_MAIN(TestTableSchema)
#include "TestTableSchema.moc"
