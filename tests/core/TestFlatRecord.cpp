#include "core/FlatRecord.h"

#include <QTest>

using namespace tributary;
using namespace Qt::StringLiterals;

class TestFlatRecord : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void field_data();
    void field();
    void fieldOfEmptyRecord();
};

void TestFlatRecord::field_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<int>("expectedIndex"); // -1: absent

    QTest::newRow("first") << u"id"_s << 0;
    QTest::newRow("middle") << u"name"_s << 1;
    QTest::newRow("last") << u"address_city"_s << 2;
    QTest::newRow("absent") << u"email"_s << -1;
    QTest::newRow("case matters") << u"Name"_s << -1;
    QTest::newRow("prefix is not a match") << u"address"_s << -1;
    QTest::newRow("empty") << QString() << -1;
}

void TestFlatRecord::field()
{
    QFETCH(QString, column);
    QFETCH(int, expectedIndex);

    FlatRecord record;
    record.id = u"cus_1"_s;
    record.fields = {{u"id"_s, ColumnType::Text, u"cus_1"_s},
                     {u"name"_s, ColumnType::Text, u"Ada"_s},
                     {u"address_city"_s, ColumnType::Null, QVariant()}};

    const FlatField *found = record.field(column);
    if (expectedIndex < 0) {
        QCOMPARE(found, nullptr);
    } else {
        QCOMPARE(found, &record.fields.at(expectedIndex)); // a pointer into the record, not a copy
        QCOMPARE(found->column, column);
    }
}

void TestFlatRecord::fieldOfEmptyRecord()
{
    const FlatRecord record;
    QCOMPARE(record.field(u"id"_s), nullptr);
}

QTEST_GUILESS_MAIN(TestFlatRecord)
#include "TestFlatRecord.moc"
