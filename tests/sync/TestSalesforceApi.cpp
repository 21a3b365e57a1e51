#include "net/HttpClient.h"
#include "sync/SalesforceApi.h"
#include "sync/SalesforceReader.h"

#include <QJsonDocument>
#include <QTest>
#include <QUrlQuery>

using namespace tributary;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(tributary::Error::Kind)

namespace {

HttpResponse reply(int status, const QByteArray &body, const QByteArray &limitInfo = {})
{
    HttpResponse r;
    r.status = status;
    r.body = body;
    if (!limitInfo.isEmpty())
        r.headers.insert("sforce-limit-info", limitInfo);
    return r;
}

QByteArray header(const HttpRequest &request, const QByteArray &name)
{
    for (const auto &[key, value] : request.headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

} // namespace

class TestSalesforceApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseLimitInfo_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<qint64>("used"); // -1: none
        QTest::addColumn<qint64>("limit");
        QTest::newRow("plain") << QByteArray("api-usage=10018/100000") << 10018LL << 100000LL;
        QTest::newRow("with bursts") << QByteArray("api-usage=25/15000; api-bursts=1/750") << 25LL << 15000LL;
        QTest::newRow("legacy per app") << QByteArray("api-usage=18/5000, per-app-api-usage=17/250(appName=sample)")
                                        << 18LL << 5000LL;
        QTest::newRow("per app first") << QByteArray("per-app-api-usage=17/250(appName=x), api-usage=40/5000") << 40LL
                                       << 5000LL;
        QTest::newRow("spaces") << QByteArray(" api-usage=0/100 ") << 0LL << 100LL;
        QTest::newRow("empty") << QByteArray() << -1LL << -1LL;
        QTest::newRow("garbage") << QByteArray("api-usage=lots") << -1LL << -1LL;
        QTest::newRow("zero limit") << QByteArray("api-usage=1/0") << -1LL << -1LL;
    }
    void parseLimitInfo()
    {
        QFETCH(QByteArray, header);
        QFETCH(qint64, used);
        QFETCH(qint64, limit);
        const auto usage = SalesforceApi::parseLimitInfo(header);
        QCOMPARE(usage.has_value(), used >= 0);
        if (usage) {
            QCOMPARE(usage->used, used);
            QCOMPARE(usage->limit, limit);
        }
    }

    void reserve_data()
    {
        QTest::addColumn<int>("percent");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<bool>("stop");
        QTest::newRow("plenty") << 10 << QByteArray("api-usage=100/1000") << false;
        QTest::newRow("one above the reserve") << 10 << QByteArray("api-usage=899/1000") << false;
        QTest::newRow("at the reserve") << 10 << QByteArray("api-usage=900/1000") << true;
        QTest::newRow("rounded up") << 10 << QByteArray("api-usage=995/1005") << true; // reserve 101
        QTest::newRow("no reserve, one left") << 0 << QByteArray("api-usage=999/1000") << false;
        QTest::newRow("no reserve, none left") << 0 << QByteArray("api-usage=1000/1000") << true;
        QTest::newRow("over") << 0 << QByteArray("api-usage=1003/1000") << true;
    }
    void reserve()
    {
        QFETCH(int, percent);
        QFETCH(QByteArray, header);
        QFETCH(bool, stop);
        SalesforceApi api(nullptr, QUrl(u"https://acme.my.salesforce.com"_s), Secret(u"tok"_s), percent);
        QVERIFY(!api.reserveReached()); // nothing known before the first reply
        api.noteReply(reply(200, "{}", header));
        const auto error = api.reserveReached();
        QCOMPARE(error.has_value(), stop);
        if (error) {
            QCOMPARE(error->kind, Error::Kind::RateLimit);
            QVERIFY(!error->retryable);
            QVERIFY2(error->message.contains(QString::number(api.usage()->used)), qPrintable(error->message));
            QVERIFY2(error->message.contains(QString::number(api.usage()->limit)), qPrintable(error->message));
            QVERIFY(error->hint.contains(QLatin1String("next sync resumes")));
        }
        // A reply without the header keeps what was known.
        api.noteReply(reply(200, "{}"));
        QCOMPARE(api.reserveReached().has_value(), stop);
    }

    void buildsRequests()
    {
        SalesforceApi api(nullptr, QUrl(u"http://127.0.0.1:8123"_s), Secret(u"00Dxx!token"_s), 10);
        const HttpRequest describe = api.request(u"sobjects/Account/describe"_s);
        QCOMPARE(describe.url.toString(), u"http://127.0.0.1:8123/services/data/v62.0/sobjects/Account/describe"_s);
        QCOMPARE(header(describe, "Authorization"), QByteArray("Bearer 00Dxx!token"));

        const QString soql = u"SELECT Id,Name FROM Account WHERE SystemModstamp >= 2024-01-01T00:00:00+00:00 AND "
                             u"Name = 'A&B' ORDER BY SystemModstamp ASC"_s;
        const HttpRequest query = api.query(soql);
        QCOMPARE(query.url.path(), u"/services/data/v62.0/queryAll"_s);
        QVERIFY2(!query.url.toString(QUrl::FullyEncoded).contains(QLatin1Char('+')),
                 qPrintable(query.url.toString(QUrl::FullyEncoded)));
        // Decoded as a server decodes a form-style query string, it is the SOQL again.
        QCOMPARE(QUrlQuery(query.url).queryItemValue(u"q"_s, QUrl::FullyDecoded), soql);
        QCOMPARE(header(query, "Sforce-Query-Options"), QByteArray("batchSize=2000"));
        QCOMPARE(api.query(soql, false).url.path(), u"/services/data/v62.0/query"_s);

        // A next page stays on the instance, whatever host the link names.
        const HttpRequest next = api.next(u"https://elsewhere.example/services/data/v62.0/query/01gRO-2000"_s);
        QCOMPARE(next.url.toString(), u"http://127.0.0.1:8123/services/data/v62.0/query/01gRO-2000"_s);
        QCOMPARE(header(next, "Authorization"), QByteArray("Bearer 00Dxx!token"));

        // With an OAuth session the HttpClient signs the requests: no header of ours.
        SalesforceApi signedIn(nullptr, QUrl(u"https://acme.my.salesforce.com"_s), Secret(), 10);
        QVERIFY(header(signedIn.request(u"sobjects/"_s), "Authorization").isEmpty());
    }

    void errors_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<Error::Kind>("kind");
        QTest::addColumn<bool>("retryable");
        QTest::addColumn<QString>("inMessage");
        QTest::addColumn<QString>("inHint");
        QTest::newRow("expired session")
                << 401 << QByteArray(R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])")
                << Error::Kind::Auth << false << u"Session expired or invalid"_s << u"Reconnect"_s;
        QTest::newRow("daily limit")
                << 403
                << QByteArray(R"([{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}])")
                << Error::Kind::RateLimit << false << u"daily API limit"_s << u"next sync resumes"_s;
        QTest::newRow("concurrent limit")
                << 403
                << QByteArray(
                           R"([{"message":"ConcurrentRequests (Concurrent API Requests) Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}])")
                << Error::Kind::RateLimit << false << u"at once"_s << u"few minutes"_s;
        QTest::newRow("api disabled")
                << 403
                << QByteArray(
                           R"([{"message":"The REST API is not enabled for this Organization.","errorCode":"API_DISABLED_FOR_ORG"}])")
                << Error::Kind::Auth << false << u"not enabled"_s << u"edition"_s;
        QTest::newRow("hidden object")
                << 400
                << QByteArray(
                           R"([{"message":"sObject type 'Invoice__c' is not supported.","errorCode":"INVALID_TYPE"}])")
                << Error::Kind::Permission << false << u"invoice__c (Invoice__c)"_s << u"read access to the object"_s;
        QTest::newRow("hidden field")
                << 400
                << QByteArray(
                           R"([{"message":"\nSELECT Id, Secret__c FROM Account\n ^\nERROR at Row:1:Column:12\nNo such column 'Secret__c' on entity 'Account'.","errorCode":"INVALID_FIELD"}])")
                << Error::Kind::Permission << false << u"the field Secret__c"_s << u"field-level security"_s;
        QTest::newRow("not found")
                << 404 << QByteArray(R"([{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}])")
                << Error::Kind::Permission << false << u"does not exist"_s << u"read access"_s;
        QTest::newRow("server error") << 503 << QByteArray("oops") << Error::Kind::Http << true << u"server error"_s
                                      << u"temporary"_s;
        QTest::newRow("malformed query")
                << 400 << QByteArray(R"([{"message":"unexpected token: q","errorCode":"MALFORMED_QUERY"}])")
                << Error::Kind::Http << false << u"MALFORMED_QUERY"_s << u"report"_s;
    }
    void errors()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(Error::Kind, kind);
        QFETCH(bool, retryable);
        QFETCH(QString, inMessage);
        QFETCH(QString, inHint);
        SalesforceApi api(nullptr, QUrl(u"https://acme.my.salesforce.com"_s), Secret(), 10);
        api.noteReply(reply(200, "{}", "api-usage=5000/5000"));
        const Error e = api.errorFor(reply(status, body), u"invoice__c (Invoice__c)"_s);
        QCOMPARE(e.kind, kind);
        QCOMPARE(e.retryable, retryable);
        QCOMPARE(e.httpStatus, status);
        QVERIFY2(e.message.contains(inMessage), qPrintable(e.message));
        QVERIFY2(e.hint.contains(inHint), qPrintable(e.hint));
        QVERIFY(!e.message.contains(QLatin1Char('\n')));
    }

    void cleanRecord()
    {
        const QJsonObject raw = QJsonDocument::fromJson(R"({
            "attributes": {"type": "Account", "url": "/services/data/v62.0/sobjects/Account/001A"},
            "Id": "001A", "Name": "Acme", "IsDeleted": false,
            "SystemModstamp": "2024-01-01T12:34:56.000+0000",
            "CreatedDate": "not a date",
            "Description": "2024-01-01T12:34:56.000+0000",
            "BillingAddress": {"city": "Paris", "country": "FR", "attributes": {"type": "Address"}},
            "LastActivityDate": "2024-01-01"})")
                                        .object();
        const QJsonObject clean
                = SalesforceReader::cleanRecord(raw, {u"SystemModstamp"_s, u"CreatedDate"_s, u"LastActivityDate"_s});
        QVERIFY(!clean.contains(u"attributes"_s));
        QCOMPARE(clean.value(u"SystemModstamp"_s).toString(), u"2024-01-01T12:34:56.000Z"_s);
        QCOMPARE(clean.value(u"CreatedDate"_s).toString(), u"not a date"_s);                   // kept as it came
        QCOMPARE(clean.value(u"Description"_s).toString(), u"2024-01-01T12:34:56.000+0000"_s); // text field
        QCOMPARE(clean.value(u"LastActivityDate"_s).toString(), u"2024-01-01"_s);
        QCOMPARE(clean.value(u"BillingAddress"_s).toObject(),
                 (QJsonObject {{u"city"_s, u"Paris"_s}, {u"country"_s, u"FR"_s}}));
        QCOMPARE(clean.value(u"Name"_s).toString(), u"Acme"_s);
    }
};

QTEST_GUILESS_MAIN(TestSalesforceApi)
#include "TestSalesforceApi.moc"
