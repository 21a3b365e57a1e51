#include "fakes/FakeStripeServer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using tributary::test::FakeStripeServer;

namespace {

const QString kKey = QStringLiteral("sk_test_4eC39HqLyjWDarjtT1zdp7dc");
constexpr qint64 kNow = 1767225600; // 2026-01-01T00:00:00Z
constexpr qint64 kDay = 86400;

// One finished HTTP exchange.
struct Answer
{
    bool finished = false;
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QHash<QByteArray, QByteArray> headers; // names in lower case

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonObject errorObject() const { return json().value(QStringLiteral("error")).toObject(); }
    QString errorField(const char *name) const { return errorObject().value(QString::fromLatin1(name)).toString(); }
    QJsonArray data() const { return json().value(QStringLiteral("data")).toArray(); }
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

Answer collect(QNetworkReply *reply)
{
    Answer answer;
    if (!reply->isFinished()) {
        QSignalSpy spy(reply, &QNetworkReply::finished);
        spy.wait(5000);
    }
    answer.finished = reply->isFinished();
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.error = reply->error();
    for (const auto &pair : reply->rawHeaderPairs())
        answer.headers.insert(pair.first.toLower(), pair.second);
    reply->deleteLater();
    return answer;
}

QStringList ids(const QJsonArray &records)
{
    QStringList out;
    for (const QJsonValue &v : records)
        out.append(v.toObject().value(QStringLiteral("id")).toString());
    return out;
}

QStringList ids(const QList<QJsonObject> &records)
{
    QStringList out;
    for (const QJsonObject &o : records)
        out.append(o.value(QStringLiteral("id")).toString());
    return out;
}

} // namespace

class TestFakeStripe final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void auth_data();
    void auth();
    void restrictedKey();
    void limitOutOfRange_data();
    void limitOutOfRange();
    void defaultLimit();
    void pagingWalksEverything();
    void endingBeforePagesBack();
    void unknownCursor_data();
    void unknownCursor();
    void bothCursors();
    void unknownParameter_data();
    void unknownParameter();
    void createdFilters();
    void subscriptionsHideCanceled();
    void unknownRoute_data();
    void unknownRoute();
    void retrieveAndExpand();
    void eventsWindow();
    void eventTypeFilters();
    void eventShape();
    void updateAndDeleteRecordEvents();
    void subscriptionCancelAndStatusEvents();
    void immutableAndUndeletable();
    void httpCreateUpdateDelete();
    void idempotentReplay();
    void rateLimit();
    void lockTimeout();
    void injectedFailures();
    void requestIdOnEveryAnswer_data();
    void requestIdOnEveryAnswer();
    void hangingPath();
    void hangingDroppedOnDestruction();
    void slowPath();
    void malformedNext();
    void populateIsDeterministic();
    void recordsLookReal();
    void processLevel();

private:
    QNetworkReply *send(const QString &pathAndQuery, const QByteArray &authorization, const QByteArray &method = "GET",
                        const QByteArray &body = {}, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    Answer get(const QString &pathAndQuery, const QString &key = kKey)
    {
        return collect(send(pathAndQuery, "Bearer " + key.toLatin1()));
    }
    Answer post(const QString &path, const QByteArray &form, const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        return collect(send(path, "Bearer " + kKey.toLatin1(), "POST", form, headers));
    }
    QList<QJsonObject> walk(const QString &resource, const QString &query, int pageSize);

    QNetworkAccessManager m_nam;
    std::unique_ptr<FakeStripeServer> m_server;
};

void TestFakeStripe::init()
{
    m_server = std::make_unique<FakeStripeServer>();
    m_server->addKey(kKey);
    m_server->setNow(kNow);
    QVERIFY(m_server->listen());
    m_nam.clearConnectionCache();
}

void TestFakeStripe::cleanup()
{
    m_server.reset();
}

QNetworkReply *TestFakeStripe::send(const QString &pathAndQuery, const QByteArray &authorization,
                                    const QByteArray &method, const QByteArray &body,
                                    const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(QUrl(m_server->baseUrl().toString() + pathAndQuery));
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    if (method == "POST")
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    return m_nam.sendCustomRequest(request, method, body);
}

// Every record of a list, page by page with starting_after.
QList<QJsonObject> TestFakeStripe::walk(const QString &resource, const QString &query, int pageSize)
{
    QList<QJsonObject> out;
    QString cursor;
    for (int page = 0; page < 1000; ++page) {
        QString url = QStringLiteral("/v1/%1?limit=%2").arg(resource).arg(pageSize);
        if (!query.isEmpty())
            url += QLatin1Char('&') + query;
        if (!cursor.isEmpty())
            url += QStringLiteral("&starting_after=") + cursor;
        const Answer a = get(url);
        if (a.status != 200)
            return {};
        const QJsonArray data = a.data();
        for (const QJsonValue &v : data)
            out.append(v.toObject());
        if (!a.json().value(QStringLiteral("has_more")).toBool() || data.isEmpty())
            break;
        cursor = data.last().toObject().value(QStringLiteral("id")).toString();
    }
    return out;
}

void TestFakeStripe::auth_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");

    const QString noKey = QStringLiteral("You did not provide an API key.");
    QTest::newRow("no key") << QByteArray() << 401 << noKey;
    QTest::newRow("empty bearer") << QByteArray("Bearer ") << 401 << noKey;
    QTest::newRow("other scheme") << ("Token " + kKey.toLatin1()) << 401 << noKey;
    QTest::newRow("unknown key") << QByteArray("Bearer sk_test_unknownKey1234") << 401
                                 << QStringLiteral("Invalid API Key provided: sk_test_**********1234");
    QTest::newRow("garbled key") << QByteArray("Bearer sk_test_abc-def9") << 401
                                 << QStringLiteral("Invalid API Key provided: sk_test_****def9");
    QTest::newRow("publishable key") << QByteArray("Bearer pk_test_abcdef1234") << 401
                                     << QStringLiteral("Invalid API Key provided: pk_test_******1234");
    QTest::newRow("bearer") << ("Bearer " + kKey.toLatin1()) << 200 << QString();
    QTest::newRow("basic with colon") << ("Basic " + QByteArray(kKey.toLatin1() + ':').toBase64()) << 200 << QString();
    QTest::newRow("basic without colon") << ("Basic " + kKey.toLatin1().toBase64()) << 200 << QString();
    QTest::newRow("basic unknown") << ("Basic " + QByteArray("sk_live_nope0000:").toBase64()) << 401
                                   << QStringLiteral("Invalid API Key provided: sk_live_****0000");
}

void TestFakeStripe::auth()
{
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    QFETCH(QString, message);

    const Answer a = collect(send(QStringLiteral("/v1/customers"), authorization));
    QCOMPARE(a.status, status);
    if (status == 401) {
        QVERIFY2(a.errorField("message").startsWith(message), qPrintable(a.errorField("message")));
        QCOMPARE(a.errorField("type"), QStringLiteral("invalid_request_error"));
        QVERIFY(a.header("Request-Id").isEmpty()); // the one answer without it
    } else {
        QVERIFY(a.header("Request-Id").startsWith("req_"));
        QCOMPARE(a.json().value(QStringLiteral("object")).toString(), QStringLiteral("list"));
    }
}

void TestFakeStripe::restrictedKey()
{
    const QString restricted = QStringLiteral("rk_test_51HrestrictedAbcd");
    m_server->addRestrictedKey(restricted, {QStringLiteral("charges"), QStringLiteral("balance")});

    QCOMPARE(get(QStringLiteral("/v1/charges"), restricted).status, 200);
    QCOMPARE(get(QStringLiteral("/v1/balance"), restricted).status, 200);

    const Answer a = get(QStringLiteral("/v1/customers"), restricted);
    QCOMPARE(a.status, 403);
    QCOMPARE(a.errorField("type"), QStringLiteral("invalid_request_error"));
    const QString message = a.errorField("message");
    QVERIFY2(message.contains(QStringLiteral("'rak_customer_read'")), qPrintable(message));
    QVERIFY(message.contains(QStringLiteral("on account '%1'").arg(m_server->accountId())));
    QVERIFY(message.contains(QStringLiteral("'rk_test_*")));
    QVERIFY(!message.contains(restricted));
    QVERIFY(a.header("Request-Id").startsWith("req_"));

    QVERIFY(get(QStringLiteral("/v1/events"), restricted)
                    .errorField("message")
                    .contains(QStringLiteral("'rak_event_read'")));
    QVERIFY(get(QStringLiteral("/v1/balance_transactions/txn_1"), restricted)
                    .errorField("message")
                    .contains(QStringLiteral("'rak_balance_transaction_read'")));
    QCOMPARE(get(QStringLiteral("/v1/account"), restricted).status, 403);

    m_server->removeKey(restricted);
    QCOMPARE(get(QStringLiteral("/v1/charges"), restricted).status, 401);
}

void TestFakeStripe::limitOutOfRange_data()
{
    QTest::addColumn<QString>("limit");
    QTest::newRow("0") << QStringLiteral("0");
    QTest::newRow("101") << QStringLiteral("101");
    QTest::newRow("negative") << QStringLiteral("-5");
    QTest::newRow("not a number") << QStringLiteral("ten");
    QTest::newRow("empty") << QString();
}

void TestFakeStripe::limitOutOfRange()
{
    QFETCH(QString, limit);
    const Answer a = get(QStringLiteral("/v1/customers?limit=") + limit);
    QCOMPARE(a.status, 400);
    QCOMPARE(a.errorField("param"), QStringLiteral("limit"));
    QCOMPARE(a.errorField("type"), QStringLiteral("invalid_request_error"));
}

void TestFakeStripe::defaultLimit()
{
    m_server->populate({{QStringLiteral("customers"), 25}}, 3);
    const Answer a = get(QStringLiteral("/v1/customers"));
    QCOMPARE(a.status, 200);
    const QJsonObject list = a.json();
    QCOMPARE(list.value(QStringLiteral("object")).toString(), QStringLiteral("list"));
    QCOMPARE(list.value(QStringLiteral("url")).toString(), QStringLiteral("/v1/customers"));
    QCOMPARE(a.data().size(), 10);
    QVERIFY(list.value(QStringLiteral("has_more")).toBool());
    QCOMPARE(ids(a.data()), ids(m_server->objects(QStringLiteral("customers")).mid(0, 10)));

    const Answer all = get(QStringLiteral("/v1/customers?limit=100"));
    QCOMPARE(all.data().size(), 25);
    QVERIFY(!all.json().value(QStringLiteral("has_more")).toBool());
    QCOMPARE(get(QStringLiteral("/v1/customers?limit=1")).data().size(), 1);
}

void TestFakeStripe::pagingWalksEverything()
{
    m_server->populate({{QStringLiteral("customers"), 250}}, 11);
    const QList<QJsonObject> expected = m_server->objects(QStringLiteral("customers"));
    QCOMPARE(expected.size(), 250);

    bool ties = false;
    for (qsizetype i = 1; i < expected.size(); ++i) {
        const qint64 a = expected.at(i - 1).value(QStringLiteral("created")).toInteger();
        const qint64 b = expected.at(i).value(QStringLiteral("created")).toInteger();
        QVERIFY(a >= b); // newest first
        if (a == b) {
            ties = true;
            QVERIFY(expected.at(i - 1).value(QStringLiteral("id")).toString()
                    > expected.at(i).value(QStringLiteral("id")).toString());
        }
    }
    QVERIFY2(ties, "populate() should make a few records share a second");

    for (const int pageSize : {100, 33}) {
        const QStringList walked = ids(walk(QStringLiteral("customers"), {}, pageSize));
        QCOMPARE(walked.size(), 250);
        QCOMPARE(QSet<QString>(walked.cbegin(), walked.cend()).size(), 250); // no duplicate
        QCOMPARE(walked, ids(expected));                                     // no gap, same order
    }
}

void TestFakeStripe::endingBeforePagesBack()
{
    m_server->populate({{QStringLiteral("customers"), 30}}, 5);
    const QStringList all = ids(m_server->objects(QStringLiteral("customers")));
    const Answer a = get(QStringLiteral("/v1/customers?limit=10&ending_before=") + all.at(25));
    QCOMPARE(a.status, 200);
    QCOMPARE(ids(a.data()), all.mid(15, 10)); // the 10 just newer than the cursor, newest first
    QVERIFY(a.json().value(QStringLiteral("has_more")).toBool());
    const Answer first = get(QStringLiteral("/v1/customers?limit=10&ending_before=") + all.at(5));
    QCOMPARE(ids(first.data()), all.mid(0, 5));
    QVERIFY(!first.json().value(QStringLiteral("has_more")).toBool());
}

void TestFakeStripe::unknownCursor_data()
{
    QTest::addColumn<QString>("param");
    QTest::newRow("starting_after") << QStringLiteral("starting_after");
    QTest::newRow("ending_before") << QStringLiteral("ending_before");
}

void TestFakeStripe::unknownCursor()
{
    QFETCH(QString, param);
    m_server->populate({{QStringLiteral("customers"), 3}, {QStringLiteral("charges"), 3}}, 5);
    const QString chargeId
            = m_server->objects(QStringLiteral("charges")).first().value(QStringLiteral("id")).toString();
    for (const QString &cursor : {QStringLiteral("cus_doesnotexist"), chargeId}) {
        const Answer a = get(QStringLiteral("/v1/customers?%1=%2").arg(param, cursor));
        QCOMPARE(a.status, 400);
        QCOMPARE(a.errorField("code"), QStringLiteral("resource_missing"));
        QCOMPARE(a.errorField("param"), param);
        QCOMPARE(a.errorField("type"), QStringLiteral("invalid_request_error"));
    }
}

void TestFakeStripe::bothCursors()
{
    m_server->populate({{QStringLiteral("customers"), 5}}, 5);
    const QStringList all = ids(m_server->objects(QStringLiteral("customers")));
    const Answer a = get(QStringLiteral("/v1/customers?starting_after=%1&ending_before=%2").arg(all.at(3), all.at(1)));
    QCOMPARE(a.status, 400);
    QCOMPARE(a.errorField("type"), QStringLiteral("invalid_request_error"));
    QVERIFY(a.errorField("message").contains(QStringLiteral("starting_after")));
}

void TestFakeStripe::unknownParameter_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("param");
    QTest::newRow("plain") << QStringLiteral("/v1/customers?foo=bar") << QStringLiteral("foo");
    QTest::newRow("page") << QStringLiteral("/v1/customers?page=2") << QStringLiteral("page");
    QTest::newRow("created op") << QStringLiteral("/v1/customers?created[after]=1") << QStringLiteral("created[after]");
    QTest::newRow("filter of another resource")
            << QStringLiteral("/v1/charges?email=a%40b.c") << QStringLiteral("email");
    QTest::newRow("status on customers") << QStringLiteral("/v1/customers?status=all") << QStringLiteral("status");
    QTest::newRow("types on charges") << QStringLiteral("/v1/charges?types[]=x") << QStringLiteral("types[]");
    QTest::newRow("retrieve") << QStringLiteral("/v1/events/evt_1?limit=3") << QStringLiteral("limit");
}

void TestFakeStripe::unknownParameter()
{
    QFETCH(QString, url);
    QFETCH(QString, param);
    const Answer a = get(url);
    QCOMPARE(a.status, 400);
    const QJsonObject expected {
            {QStringLiteral("message"), QString(QStringLiteral("Received unknown parameter: ") + param)},
            {QStringLiteral("param"), param},
            {QStringLiteral("type"), QStringLiteral("invalid_request_error")}};
    QCOMPARE(a.errorObject(), expected);
}

void TestFakeStripe::createdFilters()
{
    m_server->populate({{QStringLiteral("customers"), 60}}, 21);
    const QList<QJsonObject> all = m_server->objects(QStringLiteral("customers"));
    const qint64 pivot = all.at(30).value(QStringLiteral("created")).toInteger();
    const auto expected = [&](auto keep) {
        QStringList out;
        for (const QJsonObject &o : all) {
            if (keep(o.value(QStringLiteral("created")).toInteger()))
                out.append(o.value(QStringLiteral("id")).toString());
        }
        return out;
    };
    const auto listed
            = [&](const QString &query) { return ids(get(QStringLiteral("/v1/customers?limit=100&") + query).data()); };

    QCOMPARE(listed(QStringLiteral("created[gte]=%1").arg(pivot)), expected([&](qint64 c) { return c >= pivot; }));
    QCOMPARE(listed(QStringLiteral("created%5Bgt%5D=%1").arg(pivot)), expected([&](qint64 c) { return c > pivot; }));
    QCOMPARE(listed(QStringLiteral("created[lt]=%1").arg(pivot)), expected([&](qint64 c) { return c < pivot; }));
    QCOMPARE(listed(QStringLiteral("created=%1").arg(pivot)), expected([&](qint64 c) { return c == pivot; }));
    QCOMPARE(listed(QStringLiteral("created[gt]=%1&created[lte]=%2").arg(pivot - 10 * kDay).arg(pivot)),
             expected([&](qint64 c) { return c > pivot - 10 * kDay && c <= pivot; }));
    QVERIFY(!listed(QStringLiteral("created[gte]=%1").arg(pivot)).isEmpty());
    QCOMPARE(get(QStringLiteral("/v1/customers?created[gte]=yesterday")).status, 400);
}

void TestFakeStripe::subscriptionsHideCanceled()
{
    m_server->populate({{QStringLiteral("customers"), 10},
                        {QStringLiteral("products"), 3},
                        {QStringLiteral("prices"), 5},
                        {QStringLiteral("subscriptions"), 40}},
                       8);
    const QList<QJsonObject> all = m_server->objects(QStringLiteral("subscriptions"));
    QStringList canceled;
    for (const QJsonObject &s : all) {
        if (s.value(QStringLiteral("status")).toString() == QLatin1String("canceled"))
            canceled.append(s.value(QStringLiteral("id")).toString());
    }
    QVERIFY(!canceled.isEmpty());

    const QJsonArray listed = get(QStringLiteral("/v1/subscriptions?limit=100")).data();
    QCOMPARE(listed.size(), all.size() - canceled.size());
    for (const QJsonValue &s : listed)
        QVERIFY(s.toObject().value(QStringLiteral("status")).toString() != QLatin1String("canceled"));
    QCOMPARE(get(QStringLiteral("/v1/subscriptions?limit=100&status=all")).data().size(), all.size());
    QCOMPARE(ids(get(QStringLiteral("/v1/subscriptions?limit=100&status=canceled")).data()), canceled);
    QCOMPARE(get(QStringLiteral("/v1/subscriptions?status=bogus")).errorField("param"), QStringLiteral("status"));
    // a canceled subscription still retrieves
    QCOMPARE(get(QStringLiteral("/v1/subscriptions/") + canceled.first()).status, 200);
}

void TestFakeStripe::unknownRoute_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::newRow("unknown resource") << QByteArray("GET") << QStringLiteral("/v1/nope");
    QTest::newRow("trailing slash") << QByteArray("GET") << QStringLiteral("/v1/customers/");
    QTest::newRow("too deep") << QByteArray("GET") << QStringLiteral("/v1/customers/cus_1/sources");
    QTest::newRow("no version") << QByteArray("GET") << QStringLiteral("/customers");
    QTest::newRow("post events") << QByteArray("POST") << QStringLiteral("/v1/events");
    QTest::newRow("delete charge") << QByteArray("DELETE") << QStringLiteral("/v1/charges/ch_1");
    QTest::newRow("put") << QByteArray("PUT") << QStringLiteral("/v1/customers");
}

void TestFakeStripe::unknownRoute()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    const Answer a = collect(send(path, "Bearer " + kKey.toLatin1(), method));
    QCOMPARE(a.status, 404);
    const QString message = a.errorField("message");
    QVERIFY2(message.startsWith(
                     QStringLiteral("Unrecognized request URL (%1: %2).").arg(QString::fromLatin1(method), path)),
             qPrintable(message));
    QCOMPARE(message.contains(QStringLiteral("remove the trailing slash")), path.endsWith(QLatin1Char('/')));
    QCOMPARE(a.errorField("type"), QStringLiteral("invalid_request_error"));
}

void TestFakeStripe::retrieveAndExpand()
{
    m_server->populate(8, 4);
    QJsonObject charge;
    for (const QJsonObject &c : m_server->objects(QStringLiteral("charges"))) {
        if (c.value(QStringLiteral("customer")).isString())
            charge = c;
    }
    QVERIFY(!charge.isEmpty());
    const QString id = charge.value(QStringLiteral("id")).toString();
    const QString customerId = charge.value(QStringLiteral("customer")).toString();

    const Answer plain = get(QStringLiteral("/v1/charges/") + id);
    QCOMPARE(plain.status, 200);
    QCOMPARE(plain.json(), charge);

    const Answer expanded = get(QStringLiteral("/v1/charges/%1?expand[]=customer").arg(id));
    QCOMPARE(expanded.json().value(QStringLiteral("customer")).toObject(),
             m_server->object(QStringLiteral("customers"), customerId));
    const Answer listed = get(QStringLiteral("/v1/charges?limit=100&expand[]=data.customer&expand[]=data.refunds"));
    QCOMPARE(listed.status, 200);
    QCOMPARE(get(QStringLiteral("/v1/charges?expand[]=customer")).errorField("param"), QStringLiteral("expand"));
    QCOMPARE(get(QStringLiteral("/v1/charges/%1?expand[]=amount").arg(id)).errorField("param"),
             QStringLiteral("expand"));

    const Answer missing = get(QStringLiteral("/v1/customers/cus_missing"));
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.errorField("code"), QStringLiteral("resource_missing"));
    QCOMPARE(missing.errorField("param"), QStringLiteral("id"));
    QCOMPARE(missing.errorField("message"), QStringLiteral("No such customer: 'cus_missing'"));

    const Answer account = get(QStringLiteral("/v1/account"));
    QCOMPARE(account.json().value(QStringLiteral("id")).toString(), m_server->accountId());
    const Answer balance = get(QStringLiteral("/v1/balance"));
    QCOMPARE(balance.json().value(QStringLiteral("object")).toString(), QStringLiteral("balance"));
    QVERIFY(!balance.json().value(QStringLiteral("available")).toArray().isEmpty());
}

void TestFakeStripe::eventsWindow()
{
    m_server->populate(20, 17);
    const QList<QJsonObject> stored = m_server->objects(QStringLiteral("events"));
    const auto recent = [&](qint64 horizon) {
        QStringList out;
        for (const QJsonObject &e : stored) {
            if (e.value(QStringLiteral("created")).toInteger() >= horizon)
                out.append(e.value(QStringLiteral("id")).toString());
        }
        return out;
    };
    const QStringList inWindow = recent(kNow - 30 * kDay);
    QVERIFY(inWindow.size() < stored.size()); // 60 days of history, 30 days listed
    QVERIFY(!inWindow.isEmpty());
    QCOMPARE(ids(walk(QStringLiteral("events"), {}, 100)), inWindow);

    const QString oldest = stored.last().value(QStringLiteral("id")).toString();
    QCOMPARE(get(QStringLiteral("/v1/events/") + oldest).status, 404);
    QCOMPARE(get(QStringLiteral("/v1/events/") + inWindow.last()).status, 200);

    m_server->advance(10 * kDay);
    const QStringList later = recent(kNow - 20 * kDay);
    QVERIFY(later.size() < inWindow.size());
    QCOMPARE(ids(walk(QStringLiteral("events"), {}, 100)), later);
    QCOMPARE(get(QStringLiteral("/v1/events/") + inWindow.last()).status, 404);
}

void TestFakeStripe::eventTypeFilters()
{
    m_server->populate(15, 23);
    const auto typesOf = [](const QList<QJsonObject> &events) {
        QSet<QString> out;
        for (const QJsonObject &e : events)
            out.insert(e.value(QStringLiteral("type")).toString());
        return out;
    };
    const QSet<QString> customerTypes = typesOf(walk(QStringLiteral("events"), QStringLiteral("type=customer.*"), 100));
    QVERIFY(customerTypes.contains(QStringLiteral("customer.created")));
    for (const QString &type : customerTypes)
        QVERIFY2(type.startsWith(QLatin1String("customer.")), qPrintable(type));

    const QSet<QString> wanted {QStringLiteral("customer.created"), QStringLiteral("invoice.paid")};
    QCOMPARE(typesOf(walk(QStringLiteral("events"), QStringLiteral("types[]=customer.created&types[]=invoice.paid"),
                          100)),
             wanted);
    QCOMPARE(typesOf(walk(QStringLiteral("events"),
                          QStringLiteral("types%5B0%5D=customer.created&types%5B1%5D=invoice.paid"), 100)),
             wanted);
    QCOMPARE(typesOf(walk(QStringLiteral("events"), QStringLiteral("type=invoice.paid"), 100)),
             QSet<QString> {QStringLiteral("invoice.paid")});
    QVERIFY(walk(QStringLiteral("events"), QStringLiteral("delivery_success=false"), 100).isEmpty());

    QString many;
    for (int i = 0; i < 21; ++i)
        many += QStringLiteral("&types[]=customer.t%1").arg(i);
    const Answer tooMany = get(QStringLiteral("/v1/events?limit=1") + many);
    QCOMPARE(tooMany.status, 400);
    QCOMPARE(tooMany.errorField("param"), QStringLiteral("types"));
    QCOMPARE(get(QStringLiteral("/v1/events?type=customer.*&types[]=customer.created")).status, 400);
}

void TestFakeStripe::eventShape()
{
    m_server->populate(10, 2);
    const QJsonArray events = get(QStringLiteral("/v1/events?limit=100")).data();
    QVERIFY(!events.isEmpty());
    bool sawUpdate = false;
    for (const QJsonValue &v : events) {
        const QJsonObject e = v.toObject();
        QVERIFY(e.value(QStringLiteral("id")).toString().startsWith(QLatin1String("evt_")));
        QCOMPARE(e.value(QStringLiteral("object")).toString(), QStringLiteral("event"));
        QCOMPARE(e.value(QStringLiteral("api_version")).toString(), m_server->apiVersion());
        QVERIFY(e.value(QStringLiteral("created")).isDouble());
        QCOMPARE(e.value(QStringLiteral("livemode")), QJsonValue(false));
        QCOMPARE(e.value(QStringLiteral("pending_webhooks")).toInt(-1), 0);
        const QJsonObject request = e.value(QStringLiteral("request")).toObject();
        QVERIFY(request.contains(QStringLiteral("id")) && request.contains(QStringLiteral("idempotency_key")));
        const QJsonObject data = e.value(QStringLiteral("data")).toObject();
        QVERIFY(data.value(QStringLiteral("object")).toObject().contains(QStringLiteral("id")));
        const QString type = e.value(QStringLiteral("type")).toString();
        QCOMPARE(data.contains(QStringLiteral("previous_attributes")), type.endsWith(QLatin1String(".updated")));
        sawUpdate = sawUpdate || type.endsWith(QLatin1String(".updated"));
    }
    QVERIFY(sawUpdate);
}

void TestFakeStripe::updateAndDeleteRecordEvents()
{
    QSignalSpy spy(m_server.get(), &FakeStripeServer::eventCreated);
    const QJsonObject customer = m_server->createObject(QStringLiteral("customers"),
                                                        {{QStringLiteral("email"), QStringLiteral("old@example.com")},
                                                         {QStringLiteral("metadata"), QJsonObject()}});
    const QString id = customer.value(QStringLiteral("id")).toString();
    QVERIFY(id.startsWith(QLatin1String("cus_")));
    QCOMPARE(customer.value(QStringLiteral("created")).toInteger(), kNow);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).toJsonObject().value(QStringLiteral("type")).toString(),
             QStringLiteral("customer.created"));
    QVERIFY(m_server->createObject(QStringLiteral("customers"), {{QStringLiteral("id"), id}}).isEmpty()); // id taken

    m_server->advance(5);
    QVERIFY(m_server->updateObject(
            QStringLiteral("customers"), id,
            {{QStringLiteral("email"), QStringLiteral("new@example.com")},
             {QStringLiteral("metadata"), QJsonObject {{QStringLiteral("tier"), QStringLiteral("gold")}}}}));
    QCOMPARE(spy.size(), 2);
    const QJsonObject updated = spy.at(1).at(0).toJsonObject();
    QCOMPARE(updated.value(QStringLiteral("type")).toString(), QStringLiteral("customer.updated"));
    QCOMPARE(updated.value(QStringLiteral("created")).toInteger(), kNow + 5);
    const QJsonObject previous
            = updated.value(QStringLiteral("data")).toObject().value(QStringLiteral("previous_attributes")).toObject();
    QCOMPARE(previous.value(QStringLiteral("email")).toString(), QStringLiteral("old@example.com"));
    QCOMPARE(previous.value(QStringLiteral("metadata")).toObject(),
             (QJsonObject {{QStringLiteral("tier"), QJsonValue()}}));
    QCOMPARE(m_server->object(QStringLiteral("customers"), id).value(QStringLiteral("email")).toString(),
             QStringLiteral("new@example.com"));
    QVERIFY(m_server->updateObject(QStringLiteral("customers"), id,
                                   {{QStringLiteral("metadata"), QJsonObject {{QStringLiteral("tier"), QString()}}}}));
    QVERIFY(m_server->object(QStringLiteral("customers"), id).value(QStringLiteral("metadata")).toObject().isEmpty());
    QCOMPARE(spy.size(), 3);

    m_server->advance(5);
    QVERIFY(m_server->deleteObject(QStringLiteral("customers"), id));
    QCOMPARE(spy.size(), 4);
    const QJsonObject deleted = spy.at(3).at(0).toJsonObject();
    QCOMPARE(deleted.value(QStringLiteral("type")).toString(), QStringLiteral("customer.deleted"));
    QCOMPARE(deleted.value(QStringLiteral("data"))
                     .toObject()
                     .value(QStringLiteral("object"))
                     .toObject()
                     .value(QStringLiteral("id"))
                     .toString(),
             id);
    QVERIFY(m_server->object(QStringLiteral("customers"), id).isEmpty());
    QCOMPARE(m_server->count(QStringLiteral("customers")), 0);
    QVERIFY(get(QStringLiteral("/v1/customers")).data().isEmpty());
    const Answer tombstone = get(QStringLiteral("/v1/customers/") + id);
    QCOMPARE(tombstone.status, 200);
    QCOMPARE(tombstone.json(),
             (QJsonObject {{QStringLiteral("id"), id},
                           {QStringLiteral("object"), QStringLiteral("customer")},
                           {QStringLiteral("deleted"), true}}));
    QVERIFY(!m_server->deleteObject(QStringLiteral("customers"), id));

    const QStringList types = [&] {
        QStringList out;
        for (const QJsonValue &e : get(QStringLiteral("/v1/events?type=customer.*")).data())
            out.append(e.toObject().value(QStringLiteral("type")).toString());
        return out;
    }();
    QCOMPARE(types,
             (QStringList {QStringLiteral("customer.deleted"), QStringLiteral("customer.updated"),
                           QStringLiteral("customer.updated"), QStringLiteral("customer.created")}));

    const QJsonObject product = m_server->createObject(QStringLiteral("products"));
    QVERIFY(m_server->deleteObject(QStringLiteral("products"), product.value(QStringLiteral("id")).toString()));
    QCOMPARE(get(QStringLiteral("/v1/products/") + product.value(QStringLiteral("id")).toString()).status, 404);
}

void TestFakeStripe::subscriptionCancelAndStatusEvents()
{
    m_server->populate(
            {{QStringLiteral("customers"), 2}, {QStringLiteral("products"), 1}, {QStringLiteral("prices"), 1}}, 9);
    QSignalSpy spy(m_server.get(), &FakeStripeServer::eventCreated);
    const QString sub = m_server->createObject(QStringLiteral("subscriptions")).value(QStringLiteral("id")).toString();
    QCOMPARE(m_server->object(QStringLiteral("subscriptions"), sub).value(QStringLiteral("status")).toString(),
             QStringLiteral("active"));
    QVERIFY(m_server->deleteObject(QStringLiteral("subscriptions"), sub));
    const QJsonObject canceled = m_server->object(QStringLiteral("subscriptions"), sub);
    QCOMPARE(canceled.value(QStringLiteral("status")).toString(), QStringLiteral("canceled"));
    QCOMPARE(canceled.value(QStringLiteral("canceled_at")).toInteger(), kNow);
    QCOMPARE(spy.last().at(0).toJsonObject().value(QStringLiteral("type")).toString(),
             QStringLiteral("customer.subscription.deleted"));
    QVERIFY(!m_server->deleteObject(QStringLiteral("subscriptions"), sub));
    QVERIFY(!ids(get(QStringLiteral("/v1/subscriptions")).data()).contains(sub));
    QVERIFY(ids(get(QStringLiteral("/v1/subscriptions?status=all")).data()).contains(sub));

    const auto typesAfter = [&](qsizetype from) {
        QStringList out;
        for (qsizetype i = from; i < spy.size(); ++i)
            out.append(spy.at(i).at(0).toJsonObject().value(QStringLiteral("type")).toString());
        return out;
    };
    const QString invoice = m_server->createObject(QStringLiteral("invoices")).value(QStringLiteral("id")).toString();
    qsizetype mark = spy.size();
    QVERIFY(m_server->updateObject(QStringLiteral("invoices"), invoice,
                                   {{QStringLiteral("status"), QStringLiteral("paid")}}));
    QCOMPARE(typesAfter(mark), (QStringList {QStringLiteral("invoice.updated"), QStringLiteral("invoice.paid")}));

    const QString intent
            = m_server->createObject(QStringLiteral("payment_intents")).value(QStringLiteral("id")).toString();
    mark = spy.size();
    QVERIFY(m_server->updateObject(QStringLiteral("payment_intents"), intent,
                                   {{QStringLiteral("status"), QStringLiteral("succeeded")}}));
    QCOMPARE(typesAfter(mark), QStringList {QStringLiteral("payment_intent.succeeded")});

    const QString payout = m_server->createObject(QStringLiteral("payouts")).value(QStringLiteral("id")).toString();
    mark = spy.size();
    QVERIFY(m_server->updateObject(QStringLiteral("payouts"), payout,
                                   {{QStringLiteral("status"), QStringLiteral("paid")}}));
    QCOMPARE(typesAfter(mark), (QStringList {QStringLiteral("payout.updated"), QStringLiteral("payout.paid")}));

    const QString dispute = m_server->createObject(QStringLiteral("disputes")).value(QStringLiteral("id")).toString();
    mark = spy.size();
    QVERIFY(m_server->updateObject(QStringLiteral("disputes"), dispute,
                                   {{QStringLiteral("status"), QStringLiteral("won")}}));
    QCOMPARE(typesAfter(mark),
             (QStringList {QStringLiteral("charge.dispute.updated"), QStringLiteral("charge.dispute.closed")}));

    const QString other
            = m_server->createObject(QStringLiteral("subscriptions")).value(QStringLiteral("id")).toString();
    mark = spy.size();
    QVERIFY(m_server->updateObject(QStringLiteral("subscriptions"), other,
                                   {{QStringLiteral("status"), QStringLiteral("canceled")}}));
    QCOMPARE(typesAfter(mark), QStringList {QStringLiteral("customer.subscription.deleted")});
    QCOMPARE(m_server->object(QStringLiteral("subscriptions"), other).value(QStringLiteral("ended_at")).toInteger(),
             kNow);
}

void TestFakeStripe::immutableAndUndeletable()
{
    m_server->populate(3, 1);
    const QString charge = m_server->objects(QStringLiteral("charges")).first().value(QStringLiteral("id")).toString();
    const QString txn
            = m_server->objects(QStringLiteral("balance_transactions")).first().value(QStringLiteral("id")).toString();
    const QString event = m_server->objects(QStringLiteral("events")).first().value(QStringLiteral("id")).toString();
    QVERIFY(!m_server->deleteObject(QStringLiteral("charges"), charge));
    QVERIFY(!m_server->deleteObject(
            QStringLiteral("refunds"),
            m_server->objects(QStringLiteral("refunds")).first().value(QStringLiteral("id")).toString()));
    QVERIFY(!m_server->updateObject(QStringLiteral("balance_transactions"), txn, {{QStringLiteral("amount"), 1}}));
    QVERIFY(!m_server->updateObject(QStringLiteral("events"), event, {{QStringLiteral("type"), QStringLiteral("x")}}));
    QVERIFY(!m_server->updateObject(QStringLiteral("charges"), charge,
                                    {{QStringLiteral("id"), QStringLiteral("ch_other")}}));
    QVERIFY(!m_server->updateObject(QStringLiteral("charges"), charge,
                                    {{QStringLiteral("object"), QStringLiteral("refund")}}));
    QVERIFY(!m_server->updateObject(QStringLiteral("charges"), QStringLiteral("ch_missing"),
                                    {{QStringLiteral("description"), QStringLiteral("x")}}));
    QVERIFY(m_server->createObject(QStringLiteral("events")).isEmpty());
    QVERIFY(m_server->createObject(QStringLiteral("widgets")).isEmpty());
    const int events = m_server->count(QStringLiteral("events"));
    QVERIFY(!m_server->createObject(QStringLiteral("balance_transactions")).isEmpty());
    QCOMPARE(m_server->count(QStringLiteral("events")), events); // no event for a ledger entry
}

void TestFakeStripe::httpCreateUpdateDelete()
{
    QSignalSpy spy(m_server.get(), &FakeStripeServer::eventCreated);
    const Answer created = post(QStringLiteral("/v1/customers"),
                                "email=ada%40example.com&name=Ada+Lovelace&metadata[plan]=pro&preferred_locales[]=en");
    QCOMPARE(created.status, 200);
    const QJsonObject customer = created.json();
    const QString id = customer.value(QStringLiteral("id")).toString();
    QCOMPARE(customer.value(QStringLiteral("email")).toString(), QStringLiteral("ada@example.com"));
    QCOMPARE(customer.value(QStringLiteral("name")).toString(), QStringLiteral("Ada Lovelace"));
    QVERIFY(customer.value(QStringLiteral("phone")).isNull()); // not set, not random
    QCOMPARE(customer.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("plan")).toString(),
             QStringLiteral("pro"));
    QCOMPARE(customer.value(QStringLiteral("preferred_locales")).toArray(), QJsonArray {QStringLiteral("en")});
    QCOMPARE(spy.size(), 1);
    const QJsonObject event = spy.at(0).at(0).toJsonObject();
    QCOMPARE(event.value(QStringLiteral("request")).toObject().value(QStringLiteral("id")).toString(),
             QString::fromLatin1(created.header("Request-Id")));

    const Answer updated = post(QStringLiteral("/v1/customers/") + id, "balance=-250&metadata[plan]=&delinquent=true");
    QCOMPARE(updated.status, 200);
    QCOMPARE(updated.json().value(QStringLiteral("balance")), QJsonValue(-250));
    QCOMPARE(updated.json().value(QStringLiteral("delinquent")), QJsonValue(true));
    QVERIFY(updated.json().value(QStringLiteral("metadata")).toObject().isEmpty());
    QCOMPARE(spy.last().at(0).toJsonObject().value(QStringLiteral("type")).toString(),
             QStringLiteral("customer.updated"));

    QCOMPARE(post(QStringLiteral("/v1/customers/") + id, "balance=lots").errorField("param"),
             QStringLiteral("balance"));
    QCOMPARE(post(QStringLiteral("/v1/customers"), "colour=red").errorField("message"),
             QStringLiteral("Received unknown parameter: colour"));
    QCOMPARE(post(QStringLiteral("/v1/customers"), "created=5").errorField("param"), QStringLiteral("created"));
    QCOMPARE(post(QStringLiteral("/v1/customers/cus_missing"), "name=x").status, 404);
    QCOMPARE(post(QStringLiteral("/v1/products"), "active=true").errorField("param"), QStringLiteral("name"));
    const Answer coupon = post(QStringLiteral("/v1/coupons"), "id=SPRING&percent_off=12.5&duration=once");
    QCOMPARE(coupon.json().value(QStringLiteral("percent_off")).toDouble(), 12.5);
    QCOMPARE(post(QStringLiteral("/v1/coupons"), "id=SPRING&percent_off=5").errorField("code"),
             QStringLiteral("resource_already_exists"));

    const Answer json = collect(send(QStringLiteral("/v1/customers"), "Bearer " + kKey.toLatin1(), "POST", "{}",
                                     {{"Content-Type", "application/json"}}));
    QCOMPARE(json.status, 400);

    const Answer removed = collect(send(QStringLiteral("/v1/customers/") + id, "Bearer " + kKey.toLatin1(), "DELETE"));
    QCOMPARE(removed.status, 200);
    QCOMPARE(removed.json().value(QStringLiteral("deleted")), QJsonValue(true));
    QCOMPARE(spy.last().at(0).toJsonObject().value(QStringLiteral("type")).toString(),
             QStringLiteral("customer.deleted"));

    m_server->populate({{QStringLiteral("invoices"), 30}}, 4);
    for (const QJsonObject &invoice : m_server->objects(QStringLiteral("invoices"))) {
        const bool draft = invoice.value(QStringLiteral("status")).toString() == QLatin1String("draft");
        const Answer a = collect(send(QStringLiteral("/v1/invoices/") + invoice.value(QStringLiteral("id")).toString(),
                                      "Bearer " + kKey.toLatin1(), "DELETE"));
        QCOMPARE(a.status, draft ? 200 : 400);
    }
}

void TestFakeStripe::idempotentReplay()
{
    const QList<QPair<QByteArray, QByteArray>> key {{"Idempotency-Key", "order-42"}};
    const Answer first = post(QStringLiteral("/v1/customers"), "email=once%40example.com", key);
    QCOMPARE(first.status, 200);
    QCOMPARE(first.header("Idempotency-Key"), QByteArray("order-42"));
    QVERIFY(first.header("Idempotent-Replayed").isEmpty());
    const Answer again = post(QStringLiteral("/v1/customers"), "email=once%40example.com", key);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.body, first.body);
    QCOMPARE(again.header("Idempotent-Replayed"), QByteArray("true"));
    QCOMPARE(m_server->count(QStringLiteral("customers")), 1);
    const Answer other = post(QStringLiteral("/v1/customers"), "email=twice%40example.com", key);
    QCOMPARE(other.status, 400);
    QCOMPARE(other.errorField("type"), QStringLiteral("idempotency_error"));
    QCOMPARE(m_server->count(QStringLiteral("customers")), 1);
    const QJsonObject event = m_server->objects(QStringLiteral("events")).first();
    QCOMPARE(event.value(QStringLiteral("request")).toObject().value(QStringLiteral("idempotency_key")).toString(),
             QStringLiteral("order-42"));
}

void TestFakeStripe::rateLimit()
{
    m_server->setRateLimit(2);
    m_server->setRetryAfter(1);
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 6; ++i)
        replies.append(send(QStringLiteral("/v1/customers"), "Bearer " + kKey.toLatin1()));
    int ok = 0;
    int limited = 0;
    for (QNetworkReply *reply : replies) {
        const Answer a = collect(reply);
        QVERIFY(a.finished);
        QVERIFY(a.header("Request-Id").startsWith("req_"));
        if (a.status == 200) {
            ++ok;
            continue;
        }
        QCOMPARE(a.status, 429);
        ++limited;
        QCOMPARE(a.errorField("code"), QStringLiteral("rate_limit"));
        QCOMPARE(a.errorField("type"), QStringLiteral("invalid_request_error"));
        QCOMPARE(a.header("Stripe-Rate-Limited-Reason"), QByteArray("global-rate"));
        QCOMPARE(a.header("Stripe-Should-Retry"), QByteArray("true"));
        QCOMPARE(a.header("Retry-After"), QByteArray("1"));
    }
    QVERIFY(ok >= 2);
    QVERIFY(limited >= 1);
    m_server->setRateLimit(0);
    QCOMPARE(get(QStringLiteral("/v1/customers")).status, 200);
}

void TestFakeStripe::lockTimeout()
{
    m_server->setLockTimeoutOnce(QStringLiteral("customers"));
    QCOMPARE(get(QStringLiteral("/v1/charges")).status, 200); // another path is not locked
    const Answer a = get(QStringLiteral("/v1/customers/cus_123"));
    QCOMPARE(a.status, 429);
    QCOMPARE(a.errorField("code"), QStringLiteral("lock_timeout"));
    QVERIFY(a.header("Stripe-Rate-Limited-Reason").isEmpty());
    QCOMPARE(get(QStringLiteral("/v1/customers")).status, 200);
}

void TestFakeStripe::injectedFailures()
{
    m_server->failNext(2, 503);
    const Answer first = get(QStringLiteral("/v1/customers"));
    QCOMPARE(first.status, 503);
    QCOMPARE(first.errorField("type"), QStringLiteral("api_error"));
    QCOMPARE(get(QStringLiteral("/v1/customers")).status, 503);
    QCOMPARE(get(QStringLiteral("/v1/customers")).status, 200);

    const auto statuses = [this](quint32 seed) {
        m_server->failRandomly(0.5, seed);
        QList<int> out;
        for (int i = 0; i < 16; ++i)
            out.append(get(QStringLiteral("/v1/customers")).status);
        m_server->failRandomly(0, 0);
        return out;
    };
    const QList<int> run = statuses(42);
    QCOMPARE(statuses(42), run); // seeded
    QVERIFY(run.contains(200));
    QVERIFY(run.contains(500) || run.contains(503));
    for (const int status : run)
        QVERIFY(status == 200 || status == 500 || status == 503);
    m_server->failNext(1);
    m_server->clearFaults();
    QCOMPARE(get(QStringLiteral("/v1/customers")).status, 200);
}

void TestFakeStripe::requestIdOnEveryAnswer_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("status");
    QTest::newRow("list") << QStringLiteral("/v1/customers") << 200;
    QTest::newRow("bad param") << QStringLiteral("/v1/customers?limit=0") << 400;
    QTest::newRow("missing object") << QStringLiteral("/v1/charges/ch_missing") << 404;
    QTest::newRow("unknown route") << QStringLiteral("/v1/nothing") << 404;
}

void TestFakeStripe::requestIdOnEveryAnswer()
{
    QFETCH(QString, url);
    QFETCH(int, status);
    const Answer a = get(url);
    QCOMPARE(a.status, status);
    static const QRegularExpression shape(QStringLiteral("^req_[A-Za-z0-9]{14}$"));
    QVERIFY2(shape.match(QString::fromLatin1(a.header("Request-Id"))).hasMatch(), a.header("Request-Id").constData());
    QCOMPARE(a.header("Stripe-Version"), m_server->apiVersion().toLatin1());
}

void TestFakeStripe::hangingPath()
{
    m_server->setHanging(QStringLiteral("customers"));
    QNetworkReply *hung = send(QStringLiteral("/v1/customers?limit=3"), "Bearer " + kKey.toLatin1());
    QSignalSpy hungFinished(hung, &QNetworkReply::finished);
    const Answer other = get(QStringLiteral("/v1/charges"));
    QCOMPARE(other.status, 200);
    QTRY_COMPARE(m_server->hangingRequests(), 1);
    QVERIFY(!hungFinished.wait(300)); // no answer within 300 ms
    QCOMPARE(m_server->requestCount(QStringLiteral("/v1/customers")), 1);

    m_server->setHanging(QStringLiteral("customers"), false); // drops what it held
    QTRY_VERIFY(hung->isFinished());
    // Qt resends a GET whose kept-alive connection was reset once, and the path answers again
    const int status = hung->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QVERIFY2(hung->error() != QNetworkReply::NoError || status == 200, qPrintable(hung->errorString()));
    QCOMPARE(m_server->hangingRequests(), 0);
    hung->deleteLater();
    QCOMPARE(get(QStringLiteral("/v1/customers")).status, 200);
}

void TestFakeStripe::hangingDroppedOnDestruction()
{
    m_server->setHanging(QStringLiteral("/v1/events"));
    QNetworkReply *hung = send(QStringLiteral("/v1/events/evt_1"), "Bearer " + kKey.toLatin1());
    QTRY_COMPARE(m_server->hangingRequests(), 1);
    m_server.reset();
    QTRY_VERIFY(hung->isFinished());
    QVERIFY(hung->error() != QNetworkReply::NoError);
    hung->deleteLater();
}

void TestFakeStripe::slowPath()
{
    m_server->setSlow(QStringLiteral("customers"), 150);
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(get(QStringLiteral("/v1/customers")).status, 200);
    QVERIFY(timer.elapsed() >= 140);
    m_server->setSlow(QStringLiteral("customers"), 0);
    QSignalSpy served(m_server.get(), &FakeStripeServer::requestServed);
    QCOMPARE(get(QStringLiteral("/v1/customers")).status, 200);
    QCOMPARE(served.size(), 1);
    QCOMPARE(served.at(0).at(2).toInt(), 200);
}

void TestFakeStripe::malformedNext()
{
    m_server->populate({{QStringLiteral("customers"), 5}}, 1);
    m_server->setMalformedNext(QStringLiteral("/v1/customers"));
    QCOMPARE(get(QStringLiteral("/v1/customers?limit=0")).status, 400); // only a 200 is cut
    const Answer cut = get(QStringLiteral("/v1/customers"));
    QCOMPARE(cut.status, 200);
    QJsonParseError error;
    QJsonDocument::fromJson(cut.body, &error);
    QVERIFY(error.error != QJsonParseError::NoError);
    const Answer whole = get(QStringLiteral("/v1/customers"));
    QJsonDocument::fromJson(whole.body, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
}

void TestFakeStripe::populateIsDeterministic()
{
    FakeStripeServer other;
    other.setNow(kNow);
    m_server->populate(12, 99);
    other.populate(12, 99);
    for (const QString &resource : FakeStripeServer::resources()) {
        QCOMPARE(other.count(resource), m_server->count(resource));
        QVERIFY2(other.objects(resource) == m_server->objects(resource), qPrintable(resource));
    }
    other.populate(12, 100);
    QVERIFY(other.objects(QStringLiteral("customers")) != m_server->objects(QStringLiteral("customers")));
    other.clear();
    QCOMPARE(other.count(QStringLiteral("customers")), 0);
    QCOMPARE(other.count(QStringLiteral("events")), 0);
}

void TestFakeStripe::recordsLookReal()
{
    m_server->populate(30, 7);
    const QHash<QString, QString> prefixes {{QStringLiteral("customers"), QStringLiteral("cus_")},
                                            {QStringLiteral("charges"), QStringLiteral("ch_")},
                                            {QStringLiteral("invoices"), QStringLiteral("in_")},
                                            {QStringLiteral("subscriptions"), QStringLiteral("sub_")},
                                            {QStringLiteral("products"), QStringLiteral("prod_")},
                                            {QStringLiteral("prices"), QStringLiteral("price_")},
                                            {QStringLiteral("refunds"), QStringLiteral("re_")},
                                            {QStringLiteral("payment_intents"), QStringLiteral("pi_")},
                                            {QStringLiteral("balance_transactions"), QStringLiteral("txn_")},
                                            {QStringLiteral("disputes"), QStringLiteral("dp_")},
                                            {QStringLiteral("payouts"), QStringLiteral("po_")},
                                            {QStringLiteral("events"), QStringLiteral("evt_")}};
    QSet<QString> allIds;
    for (const QString &resource : FakeStripeServer::resources()) {
        const QList<QJsonObject> records = m_server->objects(resource);
        QVERIFY2(resource == QLatin1String("events") || records.size() == 30, qPrintable(resource));
        for (const QJsonObject &r : records) {
            const QString id = r.value(QStringLiteral("id")).toString();
            QVERIFY2(id.startsWith(prefixes.value(resource)), qPrintable(id));
            QVERIFY2(!allIds.contains(id), qPrintable(id));
            allIds.insert(id);
            QCOMPARE(r.value(QStringLiteral("object")).toString(), FakeStripeServer::objectName(resource));
            const qint64 created = r.value(QStringLiteral("created")).toInteger();
            QVERIFY(created <= kNow && created > kNow - 61 * kDay);
            if (r.contains(QStringLiteral("amount")) && resource != QLatin1String("events")) {
                const QJsonValue amount = r.value(QStringLiteral("amount"));
                QVERIFY(amount.isDouble() && amount.toDouble() == double(amount.toInteger())); // integer minor units
            }
        }
    }
    const QList<QJsonObject> customers = m_server->objects(QStringLiteral("customers"));
    QSet<QString> emails;
    int nullNames = 0;
    int withMetadata = 0;
    for (const QJsonObject &c : customers) {
        if (c.value(QStringLiteral("email")).isString()) {
            const QString email = c.value(QStringLiteral("email")).toString();
            QVERIFY2(!emails.contains(email), qPrintable(email));
            emails.insert(email);
        }
        nullNames += c.value(QStringLiteral("name")).isNull() || c.value(QStringLiteral("address")).isNull() ? 1 : 0;
        withMetadata += c.value(QStringLiteral("metadata")).toObject().isEmpty() ? 0 : 1;
    }
    QVERIFY(emails.size() >= 20);
    QVERIFY(nullNames > 0);
    QVERIFY(withMetadata > 0);

    QSet<QString> currencies;
    QSet<qint64> amounts;
    QSet<QString> chargeStatuses;
    for (const QJsonObject &c : m_server->objects(QStringLiteral("charges"))) {
        currencies.insert(c.value(QStringLiteral("currency")).toString());
        amounts.insert(c.value(QStringLiteral("amount")).toInteger());
        chargeStatuses.insert(c.value(QStringLiteral("status")).toString());
        QCOMPARE(c.value(QStringLiteral("payment_method_details"))
                         .toObject()
                         .value(QStringLiteral("card"))
                         .toObject()
                         .value(QStringLiteral("last4"))
                         .toString()
                         .size(),
                 4);
        const QJsonValue customer = c.value(QStringLiteral("customer"));
        if (customer.isString())
            QVERIFY(!m_server->object(QStringLiteral("customers"), customer.toString()).isEmpty());
    }
    QVERIFY(currencies.size() >= 3);
    QVERIFY(amounts.size() >= 10);
    QVERIFY(chargeStatuses.contains(QStringLiteral("succeeded")));
    QSet<QString> subscriptionStatuses;
    for (const QJsonObject &s : m_server->objects(QStringLiteral("subscriptions"))) {
        subscriptionStatuses.insert(s.value(QStringLiteral("status")).toString());
        QCOMPARE(s.value(QStringLiteral("items")).toObject().value(QStringLiteral("data")).toArray().size(), 1);
    }
    QVERIFY(subscriptionStatuses.contains(QStringLiteral("canceled")));
    QVERIFY(subscriptionStatuses.contains(QStringLiteral("active")));
    QVERIFY(subscriptionStatuses.size() >= 3);
}

void TestFakeStripe::processLevel()
{
    QProcess process;
    process.setProgram(QStringLiteral(FAKE_UPSTREAM_PATH));
    process.setArguments({QStringLiteral("stripe"), QStringLiteral("--port"), QStringLiteral("0"),
                          QStringLiteral("--count"), QStringLiteral("5"), QStringLiteral("--seed"), QStringLiteral("3"),
                          QStringLiteral("--quiet"), QStringLiteral("--restricted-key"),
                          QStringLiteral("rk_test_cli1234=charges")});
    process.start();
    QTRY_COMPARE(process.state(), QProcess::Running);
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += process.readAllStandardOutput()).contains('\n'), 5000);
    static const QRegularExpression line(QStringLiteral("^listening on http://127\\.0\\.0\\.1:(\\d+)\\n"));
    const QRegularExpressionMatch m = line.match(QString::fromLatin1(out));
    QVERIFY2(m.hasMatch(), out.constData());
    const QString base = QStringLiteral("http://127.0.0.1:") + m.captured(1);

    QNetworkRequest request(QUrl(base + QStringLiteral("/v1/customers?limit=100")));
    request.setRawHeader("Authorization", "Bearer sk_test_tributary");
    const Answer a = collect(m_nam.get(request));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.data().size(), 5);
    request.setRawHeader("Authorization", "Bearer rk_test_cli1234");
    QCOMPARE(collect(m_nam.get(request)).status, 403);

    process.kill();
    QTRY_COMPARE(process.state(), QProcess::NotRunning);
}

QTEST_GUILESS_MAIN(TestFakeStripe)
#include "TestFakeStripe.moc"
