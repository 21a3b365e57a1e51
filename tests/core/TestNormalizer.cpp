#include "core/Normalizer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace tributary;
using namespace Qt::StringLiterals;

namespace {

QJsonObject parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("bad test JSON: %s", qPrintable(error.errorString()));
    return document.object();
}

// "column|type|value", the value as the test reads it: <null>, true/false, integers in decimal,
// reals in shortest round-trip form, timestamps as ISO-8601 UTC with milliseconds, text as is.
QString describe(const FlatField &field)
{
    QString value;
    switch (field.value.typeId()) {
    case QMetaType::UnknownType:
        value = u"<null>"_s;
        break;
    case QMetaType::Bool:
        value = field.value.toBool() ? u"true"_s : u"false"_s;
        break;
    case QMetaType::LongLong:
        value = QString::number(field.value.toLongLong());
        break;
    case QMetaType::Double:
        value = QString::number(field.value.toDouble(), 'g', QLocale::FloatingPointShortest);
        break;
    case QMetaType::QDateTime:
        value = field.value.toDateTime().toString(Qt::ISODateWithMs);
        break;
    case QMetaType::QString:
        value = field.value.toString();
        break;
    default:
        value = u"<unexpected "_s + QString::fromLatin1(field.value.typeName()) + u'>';
    }
    return field.column + u'|' + columnTypeName(field.type) + u'|' + value;
}

QStringList describe(const FlatRecord &record)
{
    QStringList lines;
    for (const FlatField &field : record.fields)
        lines << describe(field);
    return lines;
}

// What every normalized record must hold, whatever the input: unique, safe column names and
// values whose C++ type matches the column type.
void verifyInvariants(const FlatRecord &record)
{
    static const QRegularExpression safeName(u"^(?![0-9])[a-z0-9_]+$"_s);
    QSet<QString> seen;
    for (const FlatField &field : record.fields) {
        QVERIFY2(safeName.match(field.column).hasMatch(), qPrintable(field.column));
        QVERIFY2(!seen.contains(field.column), qPrintable(field.column));
        seen.insert(field.column);
        QCOMPARE(record.field(field.column), &field);
        switch (field.type) {
        case ColumnType::Null:
            QVERIFY(!field.value.isValid());
            break;
        case ColumnType::Boolean:
            QCOMPARE(field.value.typeId(), QMetaType::Bool);
            break;
        case ColumnType::Integer:
            QCOMPARE(field.value.typeId(), QMetaType::LongLong);
            break;
        case ColumnType::Real:
            QCOMPARE(field.value.typeId(), QMetaType::Double);
            break;
        case ColumnType::Timestamp:
            QCOMPARE(field.value.typeId(), QMetaType::QDateTime);
            QVERIFY(field.value.toDateTime().isValid());
            QCOMPARE(field.value.toDateTime().timeSpec(), Qt::UTC);
            break;
        case ColumnType::Json:
            QCOMPARE(field.value.typeId(), QMetaType::QString);
            QVERIFY(QJsonDocument::fromJson(field.value.toString().toUtf8()).isArray());
            break;
        case ColumnType::Text:
            QCOMPARE(field.value.typeId(), QMetaType::QString);
            break;
        }
    }
}

} // namespace

class TestNormalizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normalize_data();
    void normalize();
    void id_data();
    void id();
    void dropFields();
    void largeString();
    void isDeterministic();
    void rememberedPathsGiveTheSameColumns_data();
    void rememberedPathsGiveTheSameColumns();
    void rememberedPathsAreBounded();
};

void TestNormalizer::normalize_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("primaryKey");
    QTest::addColumn<QStringList>("expected");

    // Fields come in the QJsonObject's order: keys sorted by code point ("A" < "a" < "é" < "名").
    QTest::newRow("scalars") << QByteArray(R"({"id":"cus_1","name":"Ada","active":true,"inactive":false,
                                               "balance":-42,"rate":0.25,"deleted":null})")
                             << u"id"_s << QStringList {u"active|boolean|true"_s,    u"balance|integer|-42"_s,
                                                        u"deleted|null|<null>"_s,    u"id|text|cus_1"_s,
                                                        u"inactive|boolean|false"_s, u"name|text|Ada"_s,
                                                        u"rate|real|0.25"_s};
    QTest::newRow("camelCase and Salesforce names")
            << QByteArray(R"({"id":"1","LastModifiedDate":"x","Amount__c":1.5,"SystemModstamp":"y",
                              "page2View":3,"URLValue":"u"})")
            << u"id"_s << QStringList {u"amount__c|real|1.5"_s,
                                       u"last_modified_date|text|x"_s,
                                       u"system_modstamp|text|y"_s,
                                       u"urlvalue|text|u"_s,
                                       u"id|text|1"_s,
                                       u"page2_view|integer|3"_s};
    QTest::newRow("nested two levels") << QByteArray(
            R"({"id":"1","address":{"city":"Paris","geo":{"lat":48.85,"lng":2.35},"line1":"1 rue"}})")
                                       << u"id"_s
                                       << QStringList {u"address_city|text|Paris"_s, u"address_geo_lat|real|48.85"_s,
                                                       u"address_geo_lng|real|2.35"_s, u"address_line1|text|1 rue"_s,
                                                       u"id|text|1"_s};
    QTest::newRow("nested five levels") << QByteArray(R"({"id":"1","a":{"b":{"c":{"d":{"e":true}}}},"z":0})") << u"id"_s
                                        << QStringList {u"a_b_c_d_e|boolean|true"_s, u"id|text|1"_s, u"z|integer|0"_s};
    QTest::newRow("nested camelCase segments")
            << QByteArray(R"({"id":"1","BillingAddress":{"PostalCode":"75001","geoCode":{"Lat":1}}})") << u"id"_s
            << QStringList {u"billing_address_postal_code|text|75001"_s, u"billing_address_geo_code_lat|integer|1"_s,
                            u"id|text|1"_s};
    QTest::newRow("empty objects add no column")
            << QByteArray(R"({"id":"1","metadata":{},"x":{"y":{}},"z":{"w":{},"v":1}})") << u"id"_s
            << QStringList {u"id|text|1"_s, u"z_v|integer|1"_s};
    QTest::newRow("nested nulls") << QByteArray(R"({"id":"1","a":{"b":null,"c":{"d":null}}})") << u"id"_s
                                  << QStringList {u"a_b|null|<null>"_s, u"a_c_d|null|<null>"_s, u"id|text|1"_s};
    QTest::newRow("arrays") << QByteArray(R"({"id":"1","tags":["a","b"],
                                              "items":[{"sku":"x","qty":2},{"sku":"y","meta":{}}],
                                              "empty":[],"nested":[[1,2],[]],"mixed":[1,"two",null,true,2.5],
                                              "ids":[9007199254740993]})")
                            << u"id"_s
                            << QStringList {u"empty|json|[]"_s,
                                            u"id|text|1"_s,
                                            u"ids|json|[9007199254740993]"_s,
                                            uR"(items|json|[{"qty":2,"sku":"x"},{"meta":{},"sku":"y"}])"_s,
                                            uR"(mixed|json|[1,"two",null,true,2.5])"_s,
                                            u"nested|json|[[1,2],[]]"_s,
                                            uR"(tags|json|["a","b"])"_s};
    QTest::newRow("array inside an object") << QByteArray(R"({"id":"1","a":{"list":[{"k":"v"}]}})") << u"id"_s
                                            << QStringList {uR"(a_list|json|[{"k":"v"}])"_s, u"id|text|1"_s};
    QTest::newRow("unicode names and values")
            << QByteArray(R"({"id":"1","café":"crème brûlée","emoji😀":"🎉","名前":"東京","Größe":"XL",
                              "escaped\u00e9":"\u00e9\ud83d\ude00"})")
            << u"id"_s << QStringList {u"gr__e|text|XL"_s, u"caf_|text|crème brûlée"_s,
                                       u"emoji_|text|🎉"_s, u"escaped_|text|é😀"_s,
                                       u"id|text|1"_s,     u"__|text|東京"_s};
    QTest::newRow("replacement character round-trips")
            << QByteArray(R"({"id":"1","v":"a\ufffdb","w":"�"})") << u"id"_s
            << QStringList {u"id|text|1"_s, u"v|text|a\uFFFDb"_s, u"w|text|\uFFFD"_s};
    QTest::newRow("hostile names") << QByteArray(R"json({"id":"1","\"; DROP TABLE x; --":"boom","a\"b":1,"a'b":2,
                                                         "Robert'); DROP TABLE students;--":"x"})json")
                                   << u"id"_s
                                   << QStringList {u"___drop_table_x____|text|boom"_s,
                                                   u"robert____drop_table_students___|text|x"_s, u"a_b|integer|1"_s,
                                                   u"a_b_2|integer|2"_s, u"id|text|1"_s};
    QTest::newRow("hostile values stay values")
            << QByteArray(R"json({"id":"1'); DROP TABLE t;--","v":"\"; DELETE FROM x; --"})json") << u"id"_s
            << QStringList {u"id|text|1'); DROP TABLE t;--"_s, u"v|text|\"; DELETE FROM x; --"_s};
    QTest::newRow("leading digits") << QByteArray(R"({"id":"1","3d":true,"2ndLine":"x","123":1.25,"a":{"1st":1}})")
                                    << u"id"_s
                                    << QStringList {u"_123|real|1.25"_s, u"_2nd_line|text|x"_s, u"_3d|boolean|true"_s,
                                                    u"a__1st|integer|1"_s, u"id|text|1"_s};
    QTest::newRow("empty key") << QByteArray(R"({"id":"1","":"blank","o":{"":2}})") << u"id"_s
                               << QStringList {u"_|text|blank"_s, u"id|text|1"_s, u"o__|integer|2"_s};
    QTest::newRow("collisions get _2, _3")
            << QByteArray(R"({"id":"1","a":{"b":1},"a_b":2,"A_B":3})") << u"id"_s
            << QStringList {u"a_b|integer|3"_s, u"a_b_2|integer|1"_s, u"a_b_3|integer|2"_s, u"id|text|1"_s};
    QTest::newRow("collision skips a taken suffix")
            << QByteArray(R"({"id":"1","a":{"b":1},"a_b":2,"a_b_2":3})") << u"id"_s
            << QStringList {u"a_b|integer|1"_s, u"a_b_2|integer|2"_s, u"a_b_2_2|integer|3"_s, u"id|text|1"_s};
    QTest::newRow("primary key keeps its column") << QByteArray(R"({"ID":"2","Id":"3","id":"1"})") << u"id"_s
                                                  << QStringList {u"id_2|text|2"_s, u"id_3|text|3"_s, u"id|text|1"_s};
    QTest::newRow("without a primary key, first wins")
            << QByteArray(R"({"ID":"2","Id":"3","id":"1"})") << QString()
            << QStringList {u"id|text|2"_s, u"id_2|text|3"_s, u"id_3|text|1"_s};
    QTest::newRow("numbers") << QByteArray(R"({"id":"1","big":9007199254740992,"bigger":9007199254740993,
                                               "max":9223372036854775807,"min":-9223372036854775808,
                                               "over":9223372036854775808,"neg":-9007199254740993,"f":1.5,
                                               "negf":-0.001,"whole":3.0,"exp":1e3,"bigexp":1e16,"huge":1e300,
                                               "zero":0,"negzero":-0.0,"tiny":5e-324,"pi":3.141592653589793,
                                               "twoPow64":18446744073709551616})")
                             << u"id"_s
                             << QStringList {u"big|integer|9007199254740992"_s,
                                             u"bigexp|integer|10000000000000000"_s,
                                             u"bigger|integer|9007199254740993"_s,
                                             u"exp|integer|1000"_s,
                                             u"f|real|1.5"_s,
                                             u"huge|real|1e+300"_s,
                                             u"id|text|1"_s,
                                             u"max|integer|9223372036854775807"_s,
                                             u"min|integer|-9223372036854775808"_s,
                                             u"neg|integer|-9007199254740993"_s,
                                             u"negf|real|-0.001"_s,
                                             u"negzero|integer|0"_s,
                                             u"over|real|9223372036854776000"_s,
                                             u"pi|real|3.141592653589793"_s,
                                             u"tiny|real|5e-324"_s,
                                             u"two_pow64|real|18446744073709552000"_s,
                                             u"whole|integer|3"_s,
                                             u"zero|integer|0"_s};
    QTest::newRow("timestamps")
            << QByteArray(R"({"id":"1","z":"2024-01-05T10:20:30Z","ms":"2024-01-05T10:20:30.123Z",
                                                  "plus":"2024-01-05T10:20:30+02:00",
                                                  "sf":"2024-01-05T10:20:30.000+0000",
                                                  "minus":"2024-01-05T22:20:30-05:00",
                                                  "micro":"2024-01-05T10:20:30.123456Z",
                                                  "tenth":"2024-01-05T10:20:30.5Z","lower":"2024-01-05t10:20:30z",
                                                  "half":"2024-01-05T10:20:30+05:30",
                                                  "sfNeg":"2024-01-01T01:00:00.000-0800",
                                                  "leap":"2024-02-29T00:00:00Z"})")
            << u"id"_s
            << QStringList {
                       u"half|timestamp|2024-01-05T04:50:30.000Z"_s,  u"id|text|1"_s,
                       u"leap|timestamp|2024-02-29T00:00:00.000Z"_s,  u"lower|timestamp|2024-01-05T10:20:30.000Z"_s,
                       u"micro|timestamp|2024-01-05T10:20:30.123Z"_s, u"minus|timestamp|2024-01-06T03:20:30.000Z"_s,
                       u"ms|timestamp|2024-01-05T10:20:30.123Z"_s,    u"plus|timestamp|2024-01-05T08:20:30.000Z"_s,
                       u"sf|timestamp|2024-01-05T10:20:30.000Z"_s,    u"sf_neg|timestamp|2024-01-01T09:00:00.000Z"_s,
                       u"tenth|timestamp|2024-01-05T10:20:30.500Z"_s, u"z|timestamp|2024-01-05T10:20:30.000Z"_s};
    QTest::newRow("almost timestamps stay text")
            << QByteArray(R"({"id":"1","date":"2024-01-05","noZone":"2024-01-05T10:20:30",
                              "month13":"2024-13-05T10:20:30Z","feb30":"2024-02-30T10:20:30Z",
                              "notLeap":"2023-02-29T00:00:00Z","hour25":"2024-01-05T25:20:30Z",
                              "leapSecond":"2016-12-31T23:59:60Z","trailing":"2024-01-05T10:20:30Zjunk",
                              "space":"2024-01-05 10:20:30Z","emptyFraction":"2024-01-05T10:20:30.Z",
                              "badOffset":"2024-01-05T10:20:30+2:00","prose":"released 2024-01-05T10:20:30Z",
                              "unix":"1704450030","arabicDigits":"٢٠٢٤-01-05T10:20:30Z"})")
            << u"id"_s
            << QStringList {u"arabic_digits|text|٢٠٢٤-01-05T10:20:30Z"_s,
                            u"bad_offset|text|2024-01-05T10:20:30+2:00"_s,
                            u"date|text|2024-01-05"_s,
                            u"empty_fraction|text|2024-01-05T10:20:30.Z"_s,
                            u"feb30|text|2024-02-30T10:20:30Z"_s,
                            u"hour25|text|2024-01-05T25:20:30Z"_s,
                            u"id|text|1"_s,
                            u"leap_second|text|2016-12-31T23:59:60Z"_s,
                            u"month13|text|2024-13-05T10:20:30Z"_s,
                            u"no_zone|text|2024-01-05T10:20:30"_s,
                            u"not_leap|text|2023-02-29T00:00:00Z"_s,
                            u"prose|text|released 2024-01-05T10:20:30Z"_s,
                            u"space|text|2024-01-05 10:20:30Z"_s,
                            u"trailing|text|2024-01-05T10:20:30Zjunk"_s,
                            u"unix|text|1704450030"_s};
    QTest::newRow("only the id") << QByteArray(R"({"id":"x"})") << u"id"_s << QStringList {u"id|text|x"_s};
    QTest::newRow("empty record without a key") << QByteArray("{}") << QString() << QStringList {};
}

void TestNormalizer::normalize()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, primaryKey);
    QFETCH(QStringList, expected);

    Normalizer::Options options;
    options.primaryKey = primaryKey;
    const Result<FlatRecord> result = Normalizer(options).normalize(parse(json));
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    QCOMPARE(describe(*result), expected);
    verifyInvariants(*result);
}

void TestNormalizer::id_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("primaryKey");
    QTest::addColumn<QString>("expectedId");
    QTest::addColumn<QString>("expectedError"); // empty: succeeds

    const QString noId = u"a record has no id"_s;
    const QString notWhole = u"a record has an id that is not a whole number"_s;
    const QString notTextOrNumber = u"a record has an id that is not text or a number"_s;

    QTest::newRow("string") << QByteArray(R"({"id":"cus_123"})") << u"id"_s << u"cus_123"_s << QString();
    QTest::newRow("unicode string") << QByteArray(R"({"id":"ü-1"})") << u"id"_s << u"ü-1"_s << QString();
    QTest::newRow("blank is not empty") << QByteArray(R"({"id":" "})") << u"id"_s << u" "_s << QString();
    QTest::newRow("integer") << QByteArray(R"({"id":12345})") << u"id"_s << u"12345"_s << QString();
    QTest::newRow("zero") << QByteArray(R"({"id":0})") << u"id"_s << u"0"_s << QString();
    QTest::newRow("negative") << QByteArray(R"({"id":-7})") << u"id"_s << u"-7"_s << QString();
    QTest::newRow("beyond 2^53") << QByteArray(R"({"id":9007199254740993})") << u"id"_s << u"9007199254740993"_s
                                 << QString();
    QTest::newRow("whole double") << QByteArray(R"({"id":3.0})") << u"id"_s << u"3"_s << QString();
    QTest::newRow("custom key") << QByteArray(R"({"Id":"001","id":"x"})") << u"Id"_s << u"001"_s << QString();
    QTest::newRow("custom numeric key") << QByteArray(R"({"ticket_id":42})") << u"ticket_id"_s << u"42"_s << QString();
    QTest::newRow("no key required") << QByteArray(R"({"name":"x"})") << QString() << QString() << QString();
    QTest::newRow("missing") << QByteArray(R"({"name":"x"})") << u"id"_s << QString() << noId;
    QTest::newRow("null") << QByteArray(R"({"id":null})") << u"id"_s << QString() << noId;
    QTest::newRow("empty string") << QByteArray(R"({"id":""})") << u"id"_s << QString() << noId;
    QTest::newRow("other case is another key") << QByteArray(R"({"Id":"001"})") << u"id"_s << QString() << noId;
    QTest::newRow("nested is not top level") << QByteArray(R"({"data":{"id":"1"}})") << u"id"_s << QString() << noId;
    QTest::newRow("fraction") << QByteArray(R"({"id":1.5})") << u"id"_s << QString() << notWhole;
    QTest::newRow("beyond 64 bits") << QByteArray(R"({"id":18446744073709551616})") << u"id"_s << QString() << notWhole;
    QTest::newRow("boolean") << QByteArray(R"({"id":true})") << u"id"_s << QString() << notTextOrNumber;
    QTest::newRow("object") << QByteArray(R"({"id":{"value":"1"}})") << u"id"_s << QString() << notTextOrNumber;
    QTest::newRow("array") << QByteArray(R"({"id":["1"]})") << u"id"_s << QString() << notTextOrNumber;
}

void TestNormalizer::id()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, primaryKey);
    QFETCH(QString, expectedId);
    QFETCH(QString, expectedError);

    Normalizer::Options options;
    options.primaryKey = primaryKey;
    const Result<FlatRecord> result = Normalizer(options).normalize(parse(json));
    if (expectedError.isEmpty()) {
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
        QCOMPARE(result->id, expectedId);
        if (!primaryKey.isEmpty()) // the key stays a column, under its own snake_case name
            QVERIFY(result->field(primaryKey.toLower()));
    } else {
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, Error::Kind::Parse);
        QCOMPARE(result.error().message, expectedError);
        QVERIFY(result.error().hint.contains(u'"' + primaryKey + u'"')); // names the key it looked for
        QVERIFY(!result.error().retryable);
    }
}

void TestNormalizer::dropFields()
{
    // A Salesforce record: "attributes" is an envelope at top level, dropped there only ("Name"
    // sorts before "attributes": upper case first).
    const QJsonObject record
            = parse(R"({"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/1"},
                                         "Id":"001xx","Name":"Acme","IsDeleted":false,
                                         "Owner":{"attributes":{"type":"User"},"Name":"Bob"}})");
    Normalizer::Options options;
    options.primaryKey = u"Id"_s;
    options.dropFields = {u"attributes"_s};
    const Result<FlatRecord> result = Normalizer(options).normalize(record);
    QVERIFY(result.ok());
    QCOMPARE(result->id, u"001xx"_s);
    QCOMPARE(describe(*result),
             (QStringList {u"id|text|001xx"_s, u"is_deleted|boolean|false"_s, u"name|text|Acme"_s,
                           u"owner_name|text|Bob"_s, u"owner_attributes_type|text|User"_s}));

    // Dropping matches the upstream name exactly, not the column name.
    options.dropFields = {u"is_deleted"_s, u"Owner"_s};
    const Result<FlatRecord> second = Normalizer(options).normalize(record);
    QVERIFY(second.ok());
    QCOMPARE(describe(*second),
             (QStringList {u"id|text|001xx"_s, u"is_deleted|boolean|false"_s, u"name|text|Acme"_s,
                           u"attributes_type|text|Account"_s,
                           u"attributes_url|text|/services/data/v59.0/sobjects/Account/1"_s}));
}

void TestNormalizer::largeString()
{
    // 1 MiB of mixed text (ASCII, 2-, 3- and 4-byte UTF-8, U+FFFD, quotes and backslashes) through
    // real JSON text and back.
    const QString unit = u"ab\"\\é€😀\uFFFD\n "_s;
    QString big;
    while (big.size() < (1 << 20))
        big += unit;
    const QString timestampLike = u"2024-01-05T10:20:30Z"_s + big;

    const QByteArray json = QJsonDocument(QJsonObject {{u"id"_s, u"big"_s},
                                                       {u"body"_s, big},
                                                       {u"createdAt"_s, timestampLike},
                                                       {u"list"_s, QJsonArray {big}}})
                                    .toJson(QJsonDocument::Compact);
    QVERIFY(json.size() > 3 * (1 << 20));

    const Result<FlatRecord> result = Normalizer().normalize(parse(json));
    QVERIFY(result.ok());
    QCOMPARE(result->fields.size(), 4);
    const FlatField *body = result->field(u"body"_s);
    QVERIFY(body);
    QCOMPARE(body->type, ColumnType::Text);
    QCOMPARE(body->value.toString().size(), big.size());
    QVERIFY(body->value.toString() == big); // QCOMPARE would print 1 MiB on failure
    const FlatField *created = result->field(u"created_at"_s);
    QVERIFY(created);
    QCOMPARE(created->type, ColumnType::Text);
    QVERIFY(created->value.toString() == timestampLike);
    const FlatField *list = result->field(u"list"_s);
    QVERIFY(list);
    QCOMPARE(list->type, ColumnType::Json);
    QVERIFY(QJsonDocument::fromJson(list->value.toString().toUtf8()).array() == QJsonArray {big});
    verifyInvariants(*result);
}

void TestNormalizer::isDeterministic()
{
    // The same keys in another textual order give the same record: columns follow sorted keys.
    const Result<FlatRecord> a = Normalizer().normalize(parse(R"({"id":"1","b":{"y":1,"x":2},"a":true,"a_b":0})"));
    const Result<FlatRecord> b = Normalizer().normalize(parse(R"({"a_b":0,"a":true,"b":{"x":2,"y":1},"id":"1"})"));
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(describe(*a), describe(*b));
    QCOMPARE(describe(*a),
             (QStringList {u"a|boolean|true"_s, u"a_b|integer|0"_s, u"b_x|integer|2"_s, u"b_y|integer|1"_s,
                           u"id|text|1"_s}));
}

void TestNormalizer::rememberedPathsGiveTheSameColumns_data()
{
    QTest::addColumn<QString>("primaryKey");
    QTest::addColumn<QStringList>("dropFields");
    QTest::newRow("id") << u"id"_s << QStringList();
    QTest::newRow("ID, dropping attributes") << u"ID"_s << QStringList {u"attributes"_s};
    QTest::newRow("no key") << QString() << QStringList {u"meta"_s};
}

void TestNormalizer::rememberedPathsGiveTheSameColumns()
{
    QFETCH(QString, primaryKey);
    QFETCH(QStringList, dropFields);
    // One instance remembers the key paths it saw; records of changing shapes through it must
    // give exactly what a fresh instance gives each of them.
    const QList<QByteArray> records {
            R"({"id":"a","ID":"A","Amount":1,"billing":{"City":"x","zip":null},"metadata":{},"attributes":{"t":1}})",
            R"({"id":"b","ID":"B","Amount":2.5,"billing":{"City":"y"},"extra":[1,{"b":2,"a":1}]})",
            R"({"id":"c","ID":"C","billing":"flat","Amount":"2025-01-02T03:04:05Z","meta":{"x":1}})",
            R"({"id":"d","ID":"D","amount":1,"Amount":2,"billing":{"city":1,"City":2},"billing_city":3})",
            R"({"id":"e","ID":"E","Amount":3,"billing":{"City":"z","zip":"1"},"metadata":{"k":true}})",
            R"({"id":"f","ID":"F","a_b":1,"a":{"b":2},"A":{"B":3}})",
            R"({"ID":"G","id":7,"Id":8,"billing":{"City":null,"zip":"2"}})",
            R"({"id":"h","ID":"H","Amount":1e3,"billing":{"City":"z","zip":"1"},"attributes":"kept or dropped"})",
            R"({"id":"e","ID":"E","Amount":3,"billing":{"City":"z","zip":"1"},"metadata":{"k":true}})",
            R"({"id":"i","ID":"I","Prénom":"a","名前":{"姓":"b"},"billing":{"City":"z"}})",
            R"({"id":"j","ID":"J","Prénom":"c","名前":{"姓":"d","名":"e"},"prénom":1})",
    };
    Normalizer::Options options;
    options.primaryKey = primaryKey;
    options.dropFields = dropFields;
    Normalizer remembering(options);
    for (const QByteArray &json : records) {
        const QJsonObject object = parse(json);
        const Result<FlatRecord> fresh = Normalizer(options).normalize(object);
        const Result<FlatRecord> cached = remembering.normalize(object);
        QCOMPARE(cached.ok(), fresh.ok());
        if (!fresh.ok())
            continue;
        QCOMPARE(cached->id, fresh->id);
        QCOMPARE(describe(*cached), describe(*fresh));
        verifyInvariants(*cached);
    }
    QVERIFY(remembering.cachedPathCount() > 0);
    // A copy starts with nothing remembered and gives the same records.
    const Normalizer copy = remembering;
    QCOMPARE(copy.cachedPathCount(), 0);
    const QJsonObject last = parse(records.last());
    QCOMPARE(describe(*copy.normalize(last)), describe(*remembering.normalize(last)));
}

void TestNormalizer::rememberedPathsAreBounded()
{
    // An upstream whose keys are data (a map of ids) must not grow the memory without end.
    Normalizer normalizer;
    for (int r = 0; r < 300; ++r) {
        QJsonObject counts;
        for (int k = 0; k < 100; ++k)
            counts.insert(u"id_%1"_s.arg(r * 100 + k), k);
        const QJsonObject record {{u"id"_s, QString::number(r)}, {u"counts"_s, counts}};
        const Result<FlatRecord> flat = normalizer.normalize(record);
        QVERIFY(flat.ok());
        QCOMPARE(flat->fields.size(), 101);
        QCOMPARE(flat->fields.at(0).column, u"counts_id_%1"_s.arg(r * 100));
        QVERIFY(normalizer.cachedPathCount() <= 20000 + 200);
    }
}

QTEST_GUILESS_MAIN(TestNormalizer)
#include "TestNormalizer.moc"
