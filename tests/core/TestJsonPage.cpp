// Pages read by JsonPage (simdjson) against the same pages read by QJsonDocument: what the page
// holds, what it refuses, and (differentially, over thousands of random records written as an
// upstream might write them) that the Normalizer gives the same FlatRecord for both.
#include "core/JsonPage.h"
#include "core/Normalizer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace tributary;
using namespace Qt::StringLiterals;

namespace {

QJsonArray qtRecords(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object().value(u"data"_s).toArray();
}

// Random JSON text, written by hand (not by Qt): keys in any order, numbers in every spelling,
// escapes, timestamps, nested and empty objects, arrays.
class RecordWriter
{
public:
    // bigIntegers: also integers beyond 64 bits (simdjson refuses those pages: Qt reads them).
    RecordWriter(quint32 seed, bool bigIntegers) : m_random(seed), m_bigIntegers(bigIntegers) { }

    QByteArray record(int index)
    {
        QList<QByteArray> members;
        members.append("\"id\":" + id(index));
        const int count = 3 + bounded(12);
        for (int i = 0; i < count; ++i)
            members.append(key() + ':' + value(0));
        shuffle(members);
        return '{' + members.join(',') + '}';
    }

    int bounded(int n) { return int(m_random.bounded(n)); }
    template<typename T> const T &pick(const QList<T> &list) { return list.at(bounded(int(list.size()))); }
    void shuffle(QList<QByteArray> &list)
    {
        for (qsizetype i = list.size() - 1; i > 0; --i)
            list.swapItemsAt(i, bounded(int(i + 1)));
    }

    QByteArray id(int index)
    {
        switch (bounded(10)) {
        case 0:
            return QByteArray::number(index); // a numeric id
        case 1:
            return "\"\""; // empty: an error
        case 2:
            return bounded(2) ? "null" : "1.5"; // errors
        default:
            return "\"rec_" + QByteArray::number(index) + '"';
        }
    }

public:
    QByteArray key()
    {
        static const QList<QByteArray> keys {"\"amount\"",
                                             "\"Amount\"",
                                             "\"a_b\"",
                                             "\"A_B\"",
                                             "\"a.b\"",
                                             "\"aB\"",
                                             "\"ID\"",
                                             "\"id_2\"",
                                             "\"metadata\"",
                                             "\"created\"",
                                             "\"status\"",
                                             "\"z\"",
                                             "\"caf\\u00e9\"",
                                             "\"\xc3\xa9t\xc3\xa9\"",
                                             "\"received_at\"",
                                             "\"is_deleted\"",
                                             "\"\\u0041mount\"",
                                             "\"x y\"",
                                             "\"9lives\"",
                                             "\"attributes\"",
                                             "\"LastModifiedDate\"",
                                             "\"name__c\"",
                                             "\"data\"",
                                             "\"\xe2\x82\xac\"",
                                             "\"k\\n\""};
        return pick(keys);
    }

    QByteArray value(int depth)
    {
        static const QList<QByteArray> scalars {"null",
                                                "true",
                                                "false",
                                                "0",
                                                "-0",
                                                "42",
                                                "-7",
                                                "3.0",
                                                "1e3",
                                                "1E+2",
                                                "1e16",
                                                "2.5",
                                                "-0.001",
                                                "1.5e-7",
                                                "9007199254740993",
                                                "-9223372036854775808",
                                                "9223372036854775807",
                                                "9223372036854775808",
                                                "18446744073709551615",
                                                "1e300",
                                                "0.1",
                                                "123456.789",
                                                "\"\"",
                                                "\"text\"",
                                                "\"caf\\u00e9 \\\"quoted\\\" \\\\ \\/ \\t\"",
                                                "\"line\\nbreak\"",
                                                "\"\xf0\x9f\x98\x80 emoji\"",
                                                "\"\\ud83d\\ude00\"",
                                                "\"2024-02-29T12:34:56Z\"",
                                                "\"2024-02-29T12:34:56.789123+02:00\"",
                                                "\"2024-02-30T00:00:00Z\"",
                                                "\"2024-01-01\"",
                                                "\"2024-01-01T00:00:00\"",
                                                "\"1700000000\""};
        const int roll = bounded(10);
        if (depth < 3 && roll == 0) {
            QList<QByteArray> members;
            const int count = bounded(5); // sometimes empty
            for (int i = 0; i < count; ++i)
                members.append(key() + ':' + value(depth + 1));
            return '{' + members.join(',') + '}';
        }
        if (depth < 3 && roll == 1) {
            QList<QByteArray> items;
            const int count = bounded(4);
            for (int i = 0; i < count; ++i)
                items.append(value(depth + 1));
            return '[' + items.join(", ") + ']';
        }
        if (m_bigIntegers && roll == 2)
            return "123456789012345678901234";
        return pick(scalars);
    }

private:
    QRandomGenerator m_random;
    bool m_bigIntegers;
};

QString describe(const Result<FlatRecord> &record)
{
    if (!record)
        return u"error: "_s + record.error().message;
    QStringList parts {u"id="_s + record->id};
    for (const FlatField &field : record->fields) {
        parts.append(
                u"%1:%2=%3"_s.arg(field.column, columnTypeName(field.type),
                                  field.value.typeId() == QMetaType::QDateTime
                                          ? field.value.toDateTime().toString(Qt::ISODateWithMs)
                                          : field.value.toString() + u"/"_s + QString::number(field.value.typeId())));
    }
    return parts.join(u", "_s);
}

// What a failed comparison of the two paths shows: the record's text and both results.
QString mismatch(quint32 seed, qsizetype index, const QByteArray &text, const QString &got, const Normalizer &qt,
                 const QJsonObject &object)
{
    return u"seed %1 record %2: %3\n got:  %4\n want: %5"_s.arg(seed).arg(index).arg(QString::fromUtf8(text), got,
                                                                                     describe(qt.normalize(object)));
}

} // namespace

class TestJsonPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsRecordsAndEnvelope();
    void refusesWhatQtMustRead_data();
    void refusesWhatQtMustRead();
    void normalizesAsQtParsedRecords();
    void insertedFieldsReplaceTheUpstreams();
    void repeatedShapesNormalizeAsQt();
};

void TestJsonPage::readsRecordsAndEnvelope()
{
    const QByteArray body
            = R"({"object":"list","url":"/v1/charges","data":[{"id":"ch_1","amount":5,"z":{"b":1,"a":[1,{"y":2,"x":1}]}},{"id":"ch_2"}],"has_more":true,"count":{"n":2}})";
    const std::optional<JsonPage> page = JsonPage::read(body, u"/data"_s);
    QVERIFY(page);
    QJsonObject expectedEnvelope = QJsonDocument::fromJson(body).object();
    expectedEnvelope.insert(u"data"_s, QJsonArray());
    QCOMPARE(page->envelope(), expectedEnvelope);
    QCOMPARE(page->records().size(), 2);
    const QJsonArray qt = qtRecords(body);
    for (qsizetype i = 0; i < 2; ++i) {
        const JsonRecord &record = page->records().at(i);
        QVERIFY(record.isInPage());
        QCOMPARE(record.object(), qt.at(i).toObject());
        for (const QString &key : qt.at(i).toObject().keys())
            QCOMPARE(record.value(key), qt.at(i).toObject().value(key));
        QVERIFY(record.value(u"missing"_s).isUndefined());
        QVERIFY(!record.contains(u"missing"_s));
    }
    // A QJsonObject record is itself.
    const JsonRecord plain(qt.at(0).toObject());
    QVERIFY(!plain.isInPage());
    QCOMPARE(plain.object(), qt.at(0).toObject());
}

void TestJsonPage::refusesWhatQtMustRead_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("pointer");
    QTest::newRow("invalid JSON") << QByteArray(R"({"data":[{"id":1},]})") << u"/data"_s;
    QTest::newRow("invalid UTF-8") << QByteArray("{\"data\":[{\"id\":\"\xff\"}]}") << u"/data"_s;
    QTest::newRow("lone surrogate") << QByteArray(R"({"data":[{"id":"\ud800"}]})") << u"/data"_s;
    QTest::newRow("root is an array") << QByteArray(R"([{"id":1}])") << u"/data"_s;
    QTest::newRow("no records") << QByteArray(R"({"items":[]})") << u"/data"_s;
    QTest::newRow("records not an array") << QByteArray(R"({"data":{"id":1}})") << u"/data"_s;
    QTest::newRow("a record not an object") << QByteArray(R"({"data":[{"id":1},2]})") << u"/data"_s;
    QTest::newRow("repeated top-level key") << QByteArray(R"({"data":[],"data":[{"id":1}]})") << u"/data"_s;
    QTest::newRow("deeper pointer") << QByteArray(R"({"a":{"data":[]}})") << u"/a/data"_s;
    QTest::newRow("trailing text") << QByteArray(R"({"data":[]} x)") << u"/data"_s;
    QTest::newRow("empty body") << QByteArray() << u"/data"_s;
}

void TestJsonPage::refusesWhatQtMustRead()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, pointer);
    QVERIFY(!JsonPage::read(body, pointer));
}

void TestJsonPage::normalizesAsQtParsedRecords()
{
    // One Normalizer per side for the whole run, so the remembered key paths are exercised as a
    // sync exercises them (and reset: the options drop "attributes" and keep "id" as the key).
    Normalizer::Options options;
    options.dropFields = {u"attributes"_s};
    const Normalizer fast(options);
    const Normalizer qt(options);
    int pagesRead = 0;
    int records = 0;
    int errors = 0;
    for (quint32 seed = 1; seed <= 300; ++seed) {
        RecordWriter writer(seed, seed % 10 == 0);
        QList<QByteArray> items;
        for (int i = 0; i < 20; ++i)
            items.append(writer.record(i));
        const QByteArray body = "{\"has_more\":false,\"data\":[" + items.join(',') + "]}";
        const std::optional<JsonPage> page = JsonPage::read(body, u"/data"_s);
        const QJsonArray expected = qtRecords(body);
        if (!page) {
            // Only what simdjson cannot hold may fall back: integers beyond 64 bits.
            QVERIFY2(body.contains("123456789012345678901234"), body.constData());
            continue;
        }
        ++pagesRead;
        QCOMPARE(page->records().size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            JsonRecord record = page->records().at(i);
            QJsonObject object = expected.at(i).toObject();
            QCOMPARE(record.object(), object);
            for (const QString &key : object.keys()) // repeated keys too: the last one counts
                QCOMPARE(record.value(key), object.value(key));
            if (seed % 3 == 0) {
                // A reader's version column on a list read.
                record.insert(u"z"_s, double(seed));
                object.insert(u"z"_s, double(seed));
            }
            const QString got = describe(fast.normalize(record));
            QVERIFY2(got == describe(qt.normalize(object)),
                     qPrintable(mismatch(seed, i, items.at(i), got, qt, object)));
            ++records;
            errors += got.startsWith(u"error"_s) ? 1 : 0;
        }
    }
    qInfo("%d pages read by JsonPage, %d records compared (%d with an id error)", pagesRead, records, errors);
    QCOMPARE(pagesRead, 270);
    QVERIFY(errors > 0 && errors < records / 2);
}

void TestJsonPage::insertedFieldsReplaceTheUpstreams()
{
    // What a reader sets (a version column, a field kept as JSON text) counts as the record's own.
    const QByteArray body = R"({"data":[{"updated":1,"id":"a","meta":{"k":"v"},"b":2}]})";
    std::optional<JsonPage> page = JsonPage::read(body, u"/data"_s);
    QVERIFY(page);
    JsonRecord record = page->records().first();
    record.insert(u"updated"_s, 99.0);
    record.insert(u"meta"_s, u"{\"k\":\"v\"}"_s);
    record.insert(u"new"_s, true);
    QJsonObject object = qtRecords(body).first().toObject();
    object.insert(u"updated"_s, 99.0);
    object.insert(u"meta"_s, u"{\"k\":\"v\"}"_s);
    object.insert(u"new"_s, true);
    QCOMPARE(record.object(), object);
    QCOMPARE(record.value(u"updated"_s), QJsonValue(99.0));
    const Normalizer normalizer;
    QCOMPARE(describe(normalizer.normalize(record)), describe(Normalizer().normalize(object)));
    // An inserted object takes the general path, with the same result.
    record.insert(u"nested"_s, QJsonObject {{u"x"_s, 1}});
    object.insert(u"nested"_s, QJsonObject {{u"x"_s, 1}});
    QCOMPARE(describe(normalizer.normalize(record)), describe(Normalizer().normalize(object)));
}

void TestJsonPage::repeatedShapesNormalizeAsQt()
{
    // An API sends record after record with the same keys in the same (unsorted) order: the
    // Normalizer then reuses the order it worked out for the previous record. Records that drop a
    // key, add one, come in another order, bring a colliding name or a key beyond U+FFFF must
    // still give what Qt gives.
    int records = 0;
    for (quint32 seed = 1; seed <= 120; ++seed) {
        RecordWriter writer(seed, false);
        QList<QByteArray> keys;
        for (int i = 0; i < 4 + writer.bounded(16); ++i)
            keys.append(writer.key());
        const Normalizer fast;
        const Normalizer qt;
        QList<QByteArray> items;
        for (int r = 0; r < 30; ++r) {
            QList<QByteArray> members {"\"id\":\"r" + QByteArray::number(r) + '"'};
            for (qsizetype k = 0; k < keys.size(); ++k) {
                if (r % 7 == 3 && k == r % keys.size())
                    continue; // a key missing
                members.append(keys.at(k) + ':' + writer.value(1));
            }
            if (r % 11 == 5)
                members.append(writer.key() + ':' + writer.value(0)); // a key more
            if (r % 13 == 8)
                members.append("\"\xf0\x9f\x98\x80\":1"); // beyond U+FFFF
            if (r % 9 == 4)
                members.swapItemsAt(0, members.size() - 1); // another order
            items.append('{' + members.join(',') + '}');
        }
        const QByteArray body = "{\"data\":[" + items.join(',') + "]}";
        const std::optional<JsonPage> page = JsonPage::read(body, u"/data"_s);
        QVERIFY(page);
        const QJsonArray expected = qtRecords(body);
        QCOMPARE(page->records().size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            JsonRecord record = page->records().at(i);
            QJsonObject object = expected.at(i).toObject();
            record.insert(u"updated"_s, 5.0);
            object.insert(u"updated"_s, 5.0);
            const QString got = describe(fast.normalize(record));
            QVERIFY2(got == describe(qt.normalize(object)),
                     qPrintable(mismatch(seed, i, items.at(i), got, qt, object)));
            ++records;
        }
    }
    QCOMPARE(records, 3600);
}

QTEST_GUILESS_MAIN(TestJsonPage)
#include "TestJsonPage.moc"
