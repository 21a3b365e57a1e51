#include "sync/ConnectorRegistry.h"
#include "sync/RestSource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace tributary;

namespace {

QJsonObject minimalManifest()
{
    return QJsonDocument::fromJson(
                   "{ \"format\": 1, \"slug\": \"demo\", \"name\": \"Demo\", \"base_url\": "
                   "\"https://{subdomain}.example.com\", \"settings\": [{\"key\": \"subdomain\"}, {\"key\": "
                   "\"email\"}, {\"key\": \"token\", \"secret\": true}], \"auth\": [{\"requires\": [\"email\", "
                   "\"token\"], \"type\": \"basic\", \"username\": \"{email}/token\", \"password\": \"{token}\"}], "
                   "\"headers\": {\"X-Version\": \"7\"}, \"errors\": {\"message\": \"/error/message\", "
                   "\"permission_pattern\": \"need '([a-z_]+)'\", \"permission_hint\": \"Grant {permission}.\"}, "
                   "\"records\": \"/items\", \"collections\": [{\"name\": \"widgets\", \"path\": \"/api/widgets\"}] }")
            .object();
}

} // namespace

class TestConnectorManifest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stripeManifestShipsEveryCollection()
    {
        const ConnectorManifest *stripe = ConnectorRegistry::instance().find(QStringLiteral("stripe"));
        QVERIFY(stripe);
        QVERIFY(ConnectorRegistry::instance().errors().isEmpty());
        const QStringList expected {QStringLiteral("customers"),
                                    QStringLiteral("charges"),
                                    QStringLiteral("invoices"),
                                    QStringLiteral("subscriptions"),
                                    QStringLiteral("products"),
                                    QStringLiteral("prices"),
                                    QStringLiteral("refunds"),
                                    QStringLiteral("payment_intents"),
                                    QStringLiteral("balance_transactions"),
                                    QStringLiteral("disputes"),
                                    QStringLiteral("coupons"),
                                    QStringLiteral("payouts"),
                                    QStringLiteral("events")};
        QCOMPARE(stripe->collectionNames(), expected);
        QCOMPARE(stripe->collection(QStringLiteral("subscriptions"))->params.value(QStringLiteral("status")),
                 QStringLiteral("all"));
        QCOMPARE(stripe->collection(QStringLiteral("events"))->kind, CollectionKind::Event);
        QCOMPARE(stripe->collection(QStringLiteral("balance_transactions"))->kind, CollectionKind::Event);
        QCOMPARE(stripe->collection(QStringLiteral("customers"))->incremental, QStringLiteral("event_feed"));
        QCOMPARE(stripe->pagination.pageSize, 100);
        for (const auto &c : stripe->collections)
            QVERIFY2(c.types.size() <= stripe->eventFeed.maxTypes, qPrintable(c.name));
    }

    void invalidManifestsAreRejected_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("bad slug") << QStringLiteral("slug") << QJsonValue(QStringLiteral("Bad Slug"));
        QTest::newRow("format") << QStringLiteral("format") << QJsonValue(2);
        QTest::newRow("no base url") << QStringLiteral("base_url") << QJsonValue(QString());
        QTest::newRow("no collections") << QStringLiteral("collections") << QJsonValue(QJsonArray());
        QTest::newRow("bad kind") << QStringLiteral("collections")
                                  << QJsonValue(QJsonArray {
                                             QJsonObject {{QStringLiteral("name"), QStringLiteral("a")},
                                                          {QStringLiteral("path"), QStringLiteral("/a")},
                                                          {QStringLiteral("kind"), QStringLiteral("thing")}}});
        QTest::newRow("event feed without feed")
                << QStringLiteral("collections")
                << QJsonValue(QJsonArray {
                           QJsonObject {{QStringLiteral("name"), QStringLiteral("a")},
                                        {QStringLiteral("path"), QStringLiteral("/a")},
                                        {QStringLiteral("incremental"),
                                         QJsonObject {{QStringLiteral("style"), QStringLiteral("event_feed")}}}}});
        QTest::newRow("unknown pagination")
                << QStringLiteral("pagination")
                << QJsonValue(QJsonObject {{QStringLiteral("style"), QStringLiteral("telepathy")}});
        QTest::newRow("unknown auth") << QStringLiteral(
                "auth") << QJsonValue(QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("magic")}}});
    }

    void invalidManifestsAreRejected()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QJsonObject json = minimalManifest();
        json.insert(field, value);
        const auto manifest = ConnectorManifest::fromJson(json);
        QVERIFY(!manifest);
        QCOMPARE(manifest.error().kind, Error::Kind::Config);
        QVERIFY(manifest.error().message.contains(QStringLiteral("manifest")));
    }

    void jsonPointerFollowsObjectsAndArrays()
    {
        const QJsonObject doc
                = QJsonDocument::fromJson("{\"data\":{\"object\":{\"id\":\"x\"}},\"a/b\":1,\"list\":[{\"v\":2}]}")
                          .object();
        QCOMPARE(jsonPointer(doc, QStringLiteral("/data/object/id")).toString(), QStringLiteral("x"));
        QCOMPARE(jsonPointer(doc, QStringLiteral("/a~1b")).toInt(), 1);
        QCOMPARE(jsonPointer(doc, QStringLiteral("/list/0/v")).toInt(), 2);
        QVERIFY(jsonPointer(doc, QStringLiteral("/missing/deeper")).isUndefined());
        QCOMPARE(jsonPointer(doc, QString()).toObject(), doc);
    }

    void restSourceBuildsAuthenticatedRequests()
    {
        const auto manifest = ConnectorManifest::fromJson(minimalManifest());
        QVERIFY(manifest);
        const QMap<QString, QString> settings {{QStringLiteral("subdomain"), QStringLiteral("acme")},
                                               {QStringLiteral("email"), QStringLiteral("a@b.c")},
                                               {QStringLiteral("token"), QStringLiteral("t0k")}};
        const auto source = RestSource::create(manifest.value(), settings);
        QVERIFY(source);
        QCOMPARE(source->baseUrl(), QUrl(QStringLiteral("https://acme.example.com")));
        const HttpRequest request
                = source->request(QStringLiteral("/api/widgets"), QUrlQuery(QStringLiteral("page[size]=100")));
        QCOMPARE(request.url.toString(), QStringLiteral("https://acme.example.com/api/widgets?page[size]=100"));
        QByteArray authorization;
        QByteArray version;
        for (const auto &h : request.headers) {
            if (h.first == "Authorization")
                authorization = h.second;
            if (h.first == "X-Version")
                version = h.second;
        }
        QCOMPARE(authorization, "Basic " + QByteArray("a@b.c/token:t0k").toBase64());
        QCOMPARE(version, QByteArray("7"));
        // An override replaces the origin, templates or not.
        const auto local = RestSource::create(manifest.value(), settings, QUrl(QStringLiteral("http://127.0.0.1:9")));
        QCOMPARE(local->request(QStringLiteral("/api/widgets")).url.toString(),
                 QStringLiteral("http://127.0.0.1:9/api/widgets"));
        // Missing credentials are a configuration error naming what is needed.
        const auto missing
                = RestSource::create(manifest.value(), {{QStringLiteral("subdomain"), QStringLiteral("acme")}});
        QVERIFY(!missing);
        QVERIFY(missing.error().message.contains(QStringLiteral("email + token")));
    }

    void errorsAreMappedToKindsWithHints_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("hintContains");
        QTest::newRow("401") << 401 << QByteArray("{\"error\":{\"message\":\"bad key\"}}") << int(Error::Kind::Auth)
                             << QString();
        QTest::newRow("403 named") << 403 << QByteArray("{\"error\":{\"message\":\"you need 'widget_read' here\"}}")
                                   << int(Error::Kind::Permission) << QStringLiteral("Grant widget_read.");
        QTest::newRow("429") << 429 << QByteArray("{}") << int(Error::Kind::RateLimit) << QStringLiteral("Wait");
        QTest::newRow("503") << 503 << QByteArray("oops") << int(Error::Kind::Http) << QStringLiteral("temporary");
        QTest::newRow("400") << 400 << QByteArray("{\"error\":{\"message\":\"Received unknown parameter: x\"}}")
                             << int(Error::Kind::Http) << QStringLiteral("report");
    }

    void errorsAreMappedToKindsWithHints()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, kind);
        QFETCH(QString, hintContains);
        const auto manifest = ConnectorManifest::fromJson(minimalManifest());
        const auto source = RestSource::create(manifest.value(),
                                               {{QStringLiteral("subdomain"), QStringLiteral("a")},
                                                {QStringLiteral("email"), QStringLiteral("e")},
                                                {QStringLiteral("token"), QStringLiteral("t")}});
        HttpResponse response;
        response.status = status;
        response.body = body;
        response.headers.insert("request-id", "req_42");
        const Error error = source->errorFor(response, manifest->collection(QStringLiteral("widgets")));
        QCOMPARE(int(error.kind), kind);
        QCOMPARE(error.httpStatus, status);
        QCOMPARE(error.requestId, QStringLiteral("req_42"));
        QVERIFY(!error.message.isEmpty());
        QVERIFY(!error.hint.isEmpty());
        if (!hintContains.isEmpty())
            QVERIFY2(error.hint.contains(hintContains), qPrintable(error.hint));
    }
};

QTEST_GUILESS_MAIN(TestConnectorManifest)
#include "TestConnectorManifest.moc"
