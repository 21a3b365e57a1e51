#include "core/ColumnType.h"

#include <QTest>

using namespace tributary;
using namespace Qt::StringLiterals;

namespace tributary {
// QCOMPARE prints a ColumnType by its name.
char *toString(ColumnType type)
{
    return qstrdup(qPrintable(columnTypeName(type)));
}
} // namespace tributary

namespace {
const QList<ColumnType> kAllTypes = {ColumnType::Null,      ColumnType::Boolean, ColumnType::Integer, ColumnType::Real,
                                     ColumnType::Timestamp, ColumnType::Json,    ColumnType::Text};
}

class TestColumnType : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void widen_data();
    void widen();
    void widenIsCommutativeAndAssociative();
    void names_data();
    void names();
    void unknownNameIsText();
};

void TestColumnType::widen_data()
{
    QTest::addColumn<ColumnType>("a");
    QTest::addColumn<ColumnType>("b");
    QTest::addColumn<ColumnType>("expected");

    using T = ColumnType;
    // Null adds no information
    for (ColumnType t : kAllTypes)
        QTest::addRow("null+%s", qPrintable(columnTypeName(t))) << T::Null << t << t;
    // a type with itself stays
    for (ColumnType t : kAllTypes)
        QTest::addRow("%s+itself", qPrintable(columnTypeName(t))) << t << t << t;
    // the one numeric widening
    QTest::newRow("integer+real") << T::Integer << T::Real << T::Real;
    // every other mixed pair meets at text
    QTest::newRow("boolean+integer") << T::Boolean << T::Integer << T::Text;
    QTest::newRow("boolean+real") << T::Boolean << T::Real << T::Text;
    QTest::newRow("boolean+timestamp") << T::Boolean << T::Timestamp << T::Text;
    QTest::newRow("boolean+json") << T::Boolean << T::Json << T::Text;
    QTest::newRow("boolean+text") << T::Boolean << T::Text << T::Text;
    QTest::newRow("integer+timestamp") << T::Integer << T::Timestamp << T::Text;
    QTest::newRow("integer+json") << T::Integer << T::Json << T::Text;
    QTest::newRow("integer+text") << T::Integer << T::Text << T::Text;
    QTest::newRow("real+timestamp") << T::Real << T::Timestamp << T::Text;
    QTest::newRow("real+json") << T::Real << T::Json << T::Text;
    QTest::newRow("real+text") << T::Real << T::Text << T::Text;
    QTest::newRow("timestamp+json") << T::Timestamp << T::Json << T::Text;
    QTest::newRow("timestamp+text") << T::Timestamp << T::Text << T::Text;
    QTest::newRow("json+text") << T::Json << T::Text << T::Text;
}

void TestColumnType::widen()
{
    QFETCH(ColumnType, a);
    QFETCH(ColumnType, b);
    QFETCH(ColumnType, expected);
    QCOMPARE(widenColumnType(a, b), expected);
    QCOMPARE(widenColumnType(b, a), expected);
}

void TestColumnType::widenIsCommutativeAndAssociative()
{
    // The schema must not depend on the order records arrive in.
    for (ColumnType a : kAllTypes) {
        for (ColumnType b : kAllTypes) {
            QCOMPARE(widenColumnType(a, b), widenColumnType(b, a));
            const ColumnType ab = widenColumnType(a, b);
            QCOMPARE(widenColumnType(ab, a), ab); // never narrows
            QCOMPARE(widenColumnType(ab, b), ab);
            for (ColumnType c : kAllTypes)
                QCOMPARE(widenColumnType(ab, c), widenColumnType(a, widenColumnType(b, c)));
        }
    }
}

void TestColumnType::names_data()
{
    QTest::addColumn<ColumnType>("type");
    QTest::addColumn<QString>("name");

    QTest::newRow("null") << ColumnType::Null << u"null"_s;
    QTest::newRow("boolean") << ColumnType::Boolean << u"boolean"_s;
    QTest::newRow("integer") << ColumnType::Integer << u"integer"_s;
    QTest::newRow("real") << ColumnType::Real << u"real"_s;
    QTest::newRow("timestamp") << ColumnType::Timestamp << u"timestamp"_s;
    QTest::newRow("json") << ColumnType::Json << u"json"_s;
    QTest::newRow("text") << ColumnType::Text << u"text"_s;
}

void TestColumnType::names()
{
    QFETCH(ColumnType, type);
    QFETCH(QString, name);
    QCOMPARE(columnTypeName(type), name);
    QCOMPARE(columnTypeFromName(name), type);
}

void TestColumnType::unknownNameIsText()
{
    QCOMPARE(columnTypeFromName(u"varchar"_s), ColumnType::Text);
    QCOMPARE(columnTypeFromName(QString()), ColumnType::Text);
    QCOMPARE(columnTypeFromName(u"INTEGER"_s), ColumnType::Text); // names are exact
}

QTEST_GUILESS_MAIN(TestColumnType)
#include "TestColumnType.moc"
