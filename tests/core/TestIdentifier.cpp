#include "core/Identifier.h"

#include <QTest>

using namespace tributary;
using namespace Qt::StringLiterals;

class TestIdentifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void toSnakeCase_data();
    void toSnakeCase();
    void toSnakeCaseIsIdempotent_data() { toSnakeCase_data(); }
    void toSnakeCaseIsIdempotent();
    void shorten_data();
    void shorten();
    void quote_data();
    void quote();
};

void TestIdentifier::toSnakeCase_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");

    // DESIGN.md examples
    QTest::newRow("LastModifiedDate") << u"LastModifiedDate"_s << u"last_modified_date"_s;
    QTest::newRow("Amount__c") << u"Amount__c"_s << u"amount__c"_s;
    // case boundaries: only lower-case or digit followed by upper-case inserts '_'
    QTest::newRow("ID") << u"ID"_s << u"id"_s;
    QTest::newRow("Id") << u"Id"_s << u"id"_s;
    QTest::newRow("URLValue") << u"URLValue"_s << u"urlvalue"_s;
    QTest::newRow("SystemModstamp") << u"SystemModstamp"_s << u"system_modstamp"_s;
    QTest::newRow("camelCase") << u"camelCase"_s << u"camel_case"_s;
    QTest::newRow("page2View") << u"page2View"_s << u"page2_view"_s;
    QTest::newRow("IsDeleted") << u"IsDeleted"_s << u"is_deleted"_s;
    QTest::newRow("already snake") << u"payment_intent"_s << u"payment_intent"_s;
    QTest::newRow("underscore then upper") << u"A_B"_s << u"a_b"_s;
    QTest::newRow("Invoice__c") << u"Invoice__c"_s << u"invoice__c"_s;
    QTest::newRow("Product2") << u"Product2"_s << u"product2"_s;
    QTest::newRow("leading underscore kept") << u"_private"_s << u"_private"_s;
    // leading digits
    QTest::newRow("3d") << u"3d"_s << u"_3d"_s;
    QTest::newRow("2ndLine") << u"2ndLine"_s << u"_2nd_line"_s;
    QTest::newRow("digits only") << u"42"_s << u"_42"_s;
    QTest::newRow("symbol then digit") << u"-1"_s << u"_1"_s;
    // other characters
    QTest::newRow("a-b c") << u"a-b c"_s << u"a_b_c"_s;
    QTest::newRow("dotted") << u"address.city"_s << u"address_city"_s;
    QTest::newRow("quote inside") << u"a\"b"_s << u"a_b"_s;
    QTest::newRow("sql injection") << u"\"; DROP TABLE x; --"_s << u"___drop_table_x____"_s;
    QTest::newRow("dollar") << u"$ref"_s << u"_ref"_s;
    QTest::newRow("tab and newline") << u"a\tb\nc"_s << u"a_b_c"_s;
    // non-ASCII: one '_' per code point
    QTest::newRow("café") << u"café"_s << u"caf_"_s;
    QTest::newRow("Straße") << u"Straße"_s << u"stra_e"_s;
    QTest::newRow("cjk") << u"名前"_s << u"__"_s;
    QTest::newRow("emoji (surrogate pair)") << u"a😀b"_s << u"a_b"_s;
    QTest::newRow("combining accent") << u"cafe\u0301"_s << u"cafe_"_s;
    QTest::newRow("upper after non-ASCII") << u"éA"_s << u"_a"_s;
    QTest::newRow("replacement character") << u"a\uFFFD"_s << u"a_"_s;
    // degenerate
    QTest::newRow("empty") << QString() << u"_"_s;
    QTest::newRow("underscore") << u"_"_s << u"_"_s;
    QTest::newRow("space") << u" "_s << u"_"_s;
}

void TestIdentifier::toSnakeCase()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QCOMPARE(Identifier::toSnakeCase(name), expected);
}

void TestIdentifier::toSnakeCaseIsIdempotent()
{
    QFETCH(QString, expected);
    QCOMPARE(Identifier::toSnakeCase(expected), expected);
}

void TestIdentifier::shorten_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("maxBytes");
    QTest::addColumn<QString>("expected");

    const QString a = u"a"_s;
    const QString b10 = u"b"_s.repeated(10);
    // expected hashes: the first 8 hex digits of the SHA-1 of the full name's UTF-8 (sha1sum)
    QTest::newRow("short") << u"customers"_s << 63 << u"customers"_s;
    QTest::newRow("empty") << QString() << 63 << QString();
    QTest::newRow("exactly 63 bytes") << a.repeated(63) << 63 << a.repeated(63);
    QTest::newRow("64 bytes") << a.repeated(64) << 63 << a.repeated(54) + u"_0098ba82"_s;
    QTest::newRow("salesforce field") << u"opportunity_line_item_custom_revenue_schedule_adjustment_amount__c"_s << 63
                                      << u"opportunity_line_item_custom_revenue_schedule_adjustme_69e81934"_s;
    // multi-byte characters counted in bytes and never cut in two
    QTest::newRow("62 bytes of two-byte chars") << u"é"_s.repeated(31) << 63 << u"é"_s.repeated(31);
    QTest::newRow("2-byte char across the cut")
            << a.repeated(53) + u"é"_s + b10 << 63 << a.repeated(53) + u"_24038ae1"_s;
    QTest::newRow("2-byte char before the cut")
            << a.repeated(54) + u"é"_s + b10 << 63 << a.repeated(54) + u"_d9693d56"_s;
    QTest::newRow("3-byte char across the cut")
            << a.repeated(52) + u"€"_s + b10 << 63 << a.repeated(52) + u"_f3316372"_s;
    QTest::newRow("4-byte char across the cut")
            << a.repeated(51) + u"😀"_s + b10 << 63 << a.repeated(51) + u"_785db447"_s;
    QTest::newRow("small limit") << u"abcdefghijk"_s << 10 << u"a_5dfac39f"_s;
}

void TestIdentifier::shorten()
{
    QFETCH(QString, name);
    QFETCH(int, maxBytes);
    QFETCH(QString, expected);
    const QString shortened = Identifier::shorten(name, maxBytes);
    QCOMPARE(shortened, expected);
    QVERIFY(shortened.toUtf8().size() <= maxBytes);
    QCOMPARE(Identifier::shorten(shortened, maxBytes), shortened); // stable once short
}

void TestIdentifier::quote_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << u"customers"_s << u"\"customers\""_s;
    QTest::newRow("empty") << QString() << u"\"\""_s;
    QTest::newRow("embedded quote") << u"a\"b"_s << u"\"a\"\"b\""_s;
    QTest::newRow("only quotes") << u"\"\""_s << u"\"\"\"\"\"\""_s;
    QTest::newRow("sql injection") << u"\"; DROP TABLE x; --"_s << u"\"\"\"; DROP TABLE x; --\""_s;
    QTest::newRow("single quote untouched") << u"o'brien"_s << u"\"o'brien\""_s;
    QTest::newRow("unicode") << u"名前"_s << u"\"名前\""_s;
}

void TestIdentifier::quote()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QCOMPARE(Identifier::quote(name), expected);
}

QTEST_GUILESS_MAIN(TestIdentifier)
#include "TestIdentifier.moc"
