#include "fakes/FakeSalesforceServer.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using tributary::test::FakeSalesforceServer;
using Endpoint = FakeSalesforceServer::Endpoint;

namespace {

const QString kV = QStringLiteral("/services/data/v58.0");
const QString kVerifier = QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk0123456789");

// One finished HTTP exchange.
struct Answer
{
    bool finished = false;
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // names in lower case

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray array() const { return QJsonDocument::fromJson(body).array(); }
    QString errorCode() const { return array().at(0).toObject().value(QStringLiteral("errorCode")).toString(); }
    QString message() const { return array().at(0).toObject().value(QStringLiteral("message")).toString(); }
    QString oauthError() const { return json().value(QStringLiteral("error")).toString(); }
    QString oauthDescription() const { return json().value(QStringLiteral("error_description")).toString(); }
    QJsonArray records() const { return json().value(QStringLiteral("records")).toArray(); }
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

Answer collect(QNetworkReply *reply, int timeoutMs = 5000)
{
    Answer answer;
    if (!reply->isFinished()) {
        QSignalSpy spy(reply, &QNetworkReply::finished);
        spy.wait(timeoutMs);
    }
    answer.finished = reply->isFinished();
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs())
        answer.headers.insert(pair.first.toLower(), pair.second);
    if (answer.finished)
        reply->deleteLater();
    return answer;
}

QString challengeOf(const QString &verifier)
{
    return QString::fromLatin1(QCryptographicHash::hash(verifier.toUtf8(), QCryptographicHash::Sha256)
                                       .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray form(const QList<QPair<QString, QString>> &items)
{
    QByteArray out;
    for (const auto &[k, v] : items) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(k) + '=' + QUrl::toPercentEncoding(v);
    }
    return out;
}

QString soqlPath(const QString &soql, const QString &resource = QStringLiteral("query"))
{
    return kV + QLatin1Char('/') + resource + QStringLiteral("?q=")
            + QString::fromLatin1(QUrl::toPercentEncoding(soql));
}

QStringList idsOf(const QJsonArray &records)
{
    QStringList out;
    for (const QJsonValue &v : records)
        out.append(v.toObject().value(QStringLiteral("Id")).toString());
    return out;
}

} // namespace

class TestFakeSalesforce final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void webServerFlow();
    void authorizeErrors_data();
    void authorizeErrors();
    void tokenErrors_data();
    void tokenErrors();
    void refreshAndRotation();
    void revokedRefreshToken();
    void restAuth_data();
    void restAuth();
    void sessionTimeout();
    void identity();
    void versions();
    void describeGlobal();
    void describe();
    void soql_data();
    void soql();
    void datetimeLiterals_data();
    void datetimeLiterals();
    void orderBy();
    void recordShape();
    void paging();
    void batchSizeClamped();
    void queryLocators();
    void queryAllDeletions();
    void limits();
    void apiDisabled();
    void visibility();
    void mutations();
    void boundaryModstamp();
    void strictness_data();
    void strictness();
    void requestLog();
    void injectedFailures();
    void hangingReply();
    void populateIsDeterministic();
    void processLevel();

private:
    QNetworkReply *send(const QString &pathAndQuery, const QByteArray &authorization, const QByteArray &method = "GET",
                        const QByteArray &body = {}, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    Answer get(const QString &pathAndQuery, const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        return collect(send(pathAndQuery, "Bearer " + m_tokens.accessToken.toLatin1(), "GET", {}, headers));
    }
    Answer tokenRequest(const QList<QPair<QString, QString>> &items)
    {
        return collect(send(QStringLiteral("/services/oauth2/token"), {}, "POST", form(items),
                            {{"Content-Type", "application/x-www-form-urlencoded"}}));
    }
    Answer refresh(const QString &refreshToken)
    {
        return tokenRequest({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                             {QStringLiteral("refresh_token"), refreshToken},
                             {QStringLiteral("client_id"), m_server->clientId()},
                             {QStringLiteral("client_secret"), m_server->clientSecret()}});
    }
    // The Location of an authorize answer (redirects not followed).
    QUrl authorize(const QList<QPair<QString, QString>> &items, int *status = nullptr);
    QString authorizeCode(const QString &redirect = QStringLiteral("http://127.0.0.1:4711/callback"));
    // Every record of a query, following nextRecordsUrl; the page sizes in `pages`.
    QJsonArray walk(const QString &soql, int batchSize, QList<int> *pages = nullptr,
                    const QString &resource = QStringLiteral("query"));

    QNetworkAccessManager m_nam;
    std::unique_ptr<FakeSalesforceServer> m_server;
    FakeSalesforceServer::Tokens m_tokens;
};

void TestFakeSalesforce::init()
{
    m_server = std::make_unique<FakeSalesforceServer>();
    QVERIFY(m_server->listen());
    m_tokens = m_server->issueTokens();
    QVERIFY(!m_tokens.accessToken.isEmpty());
}

void TestFakeSalesforce::cleanup()
{
    m_server.reset();
}

QNetworkReply *TestFakeSalesforce::send(const QString &pathAndQuery, const QByteArray &authorization,
                                        const QByteArray &method, const QByteArray &body,
                                        const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(QUrl::fromEncoded(m_server->baseUrl().toEncoded() + pathAndQuery.toUtf8()));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return m_nam.sendCustomRequest(request, method, body);
}

QUrl TestFakeSalesforce::authorize(const QList<QPair<QString, QString>> &items, int *status)
{
    const Answer a
            = collect(send(QStringLiteral("/services/oauth2/authorize?") + QString::fromLatin1(form(items)), {}));
    if (status)
        *status = a.status;
    return QUrl::fromEncoded(a.header("Location"));
}

QString TestFakeSalesforce::authorizeCode(const QString &redirect)
{
    const QUrl location = authorize({{QStringLiteral("response_type"), QStringLiteral("code")},
                                     {QStringLiteral("client_id"), m_server->clientId()},
                                     {QStringLiteral("redirect_uri"), redirect},
                                     {QStringLiteral("state"), QStringLiteral("st4te")},
                                     {QStringLiteral("code_challenge"), challengeOf(kVerifier)},
                                     {QStringLiteral("code_challenge_method"), QStringLiteral("S256")}});
    return QUrlQuery(location).queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
}

QJsonArray TestFakeSalesforce::walk(const QString &soql, int batchSize, QList<int> *pages, const QString &resource)
{
    const QList<QPair<QByteArray, QByteArray>> headers {
            {"Sforce-Query-Options", "batchSize=" + QByteArray::number(batchSize)}};
    QJsonArray all;
    Answer a = get(soqlPath(soql, resource), headers);
    for (int guard = 0; guard < 100; ++guard) {
        if (a.status != 200) {
            qWarning() << a.status << a.body;
            return {};
        }
        const QJsonArray records = a.records();
        if (pages)
            pages->append(int(records.size()));
        for (const QJsonValue &v : records)
            all.append(v);
        if (a.json().value(QStringLiteral("done")).toBool())
            return all;
        a = get(a.json().value(QStringLiteral("nextRecordsUrl")).toString(), headers);
    }
    return {};
}

void TestFakeSalesforce::webServerFlow()
{
    const QString redirect = QStringLiteral("http://127.0.0.1:4711/callback");
    int status = 0;
    const QUrl location = authorize({{QStringLiteral("response_type"), QStringLiteral("code")},
                                     {QStringLiteral("client_id"), m_server->clientId()},
                                     {QStringLiteral("redirect_uri"), redirect},
                                     {QStringLiteral("state"), QStringLiteral("a b&c")},
                                     {QStringLiteral("scope"), QStringLiteral("api refresh_token")},
                                     {QStringLiteral("code_challenge"), challengeOf(kVerifier)}},
                                    &status);
    QCOMPARE(status, 302);
    QCOMPARE(location.adjusted(QUrl::RemoveQuery), QUrl(redirect));
    const QUrlQuery query(location);
    QCOMPARE(query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded), QStringLiteral("a b&c"));
    const QString code = query.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
    QVERIFY(code.startsWith(QLatin1String("aPrx")));

    const QList<QPair<QString, QString>> grant {{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                                                {QStringLiteral("code"), code},
                                                {QStringLiteral("client_id"), m_server->clientId()},
                                                {QStringLiteral("client_secret"), m_server->clientSecret()},
                                                {QStringLiteral("redirect_uri"), redirect},
                                                {QStringLiteral("code_verifier"), kVerifier}};
    const Answer a = tokenRequest(grant);
    QCOMPARE(a.status, 200);
    QCOMPARE(a.header("Content-Type"), QByteArray("application/json;charset=UTF-8"));
    const QJsonObject t = a.json();
    const QString base = m_server->baseUrl().toString();
    QCOMPARE(t.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
    QCOMPARE(t.value(QStringLiteral("instance_url")).toString(), base);
    QCOMPARE(t.value(QStringLiteral("id")).toString(),
             base + QStringLiteral("/id/") + m_server->orgId() + QLatin1Char('/') + m_server->userId());
    QCOMPARE(t.value(QStringLiteral("scope")).toString(), QStringLiteral("api refresh_token"));
    QVERIFY(!t.contains(QStringLiteral("expires_in")));
    QVERIFY(t.value(QStringLiteral("issued_at")).isString());
    const QString issuedAt = t.value(QStringLiteral("issued_at")).toString();
    QVERIFY(QRegularExpression(QStringLiteral("^\\d{13}$")).match(issuedAt).hasMatch());
    const QByteArray expected
            = QMessageAuthenticationCode::hash((t.value(QStringLiteral("id")).toString() + issuedAt).toUtf8(),
                                               m_server->clientSecret().toUtf8(), QCryptographicHash::Sha256)
                      .toBase64();
    QCOMPARE(t.value(QStringLiteral("signature")).toString().toLatin1(), expected);
    const QString access = t.value(QStringLiteral("access_token")).toString();
    QVERIFY(access.startsWith(m_server->orgId().left(15) + QLatin1Char('!')));
    QVERIFY(m_server->isValidRefreshToken(t.value(QStringLiteral("refresh_token")).toString()));
    QVERIFY(m_server->orgId().startsWith(QLatin1String("00D")));
    QCOMPARE(m_server->orgId().size(), 18);

    // The access token works on the REST API.
    m_tokens.accessToken = access;
    QCOMPARE(get(kV + QStringLiteral("/limits/")).status, 200);

    // Codes are single use.
    const Answer again = tokenRequest(grant);
    QCOMPARE(again.status, 400);
    QCOMPARE(again.oauthError(), QStringLiteral("invalid_grant"));
    QCOMPARE(again.oauthDescription(), QStringLiteral("expired authorization code"));
    QCOMPARE(m_server->requestCount(Endpoint::Authorize), 1);
    QCOMPARE(m_server->requestCount(Endpoint::Token), 2);
}

void TestFakeSalesforce::authorizeErrors_data()
{
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("responseType");
    QTest::addColumn<QString>("redirect");
    QTest::addColumn<QString>("challenge");
    QTest::addColumn<bool>("deny");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("expected"); // in the Location's query, or in the page

    const QString loopback = QStringLiteral("http://127.0.0.1:4711/cb");
    const QString good = challengeOf(kVerifier);
    const QString code = QStringLiteral("code");
    QTest::newRow("unknown client")
            << QStringLiteral("nope") << code << loopback << good << false << 302
            << QStringLiteral("error=invalid_client_id&error_description=client%20identifier%20invalid&state=s");
    QTest::newRow("denied")
            << FakeSalesforceServer::defaultClientId() << code << loopback << good << true << 302
            << QStringLiteral("error=access_denied&error_description=end-user%20denied%20authorization&state=s");
    QTest::newRow("token response type") << FakeSalesforceServer::defaultClientId() << QStringLiteral("token")
                                         << loopback << good << false << 302
                                         << QStringLiteral("error=unsupported_response_type");
    QTest::newRow("bad challenge") << FakeSalesforceServer::defaultClientId() << code << loopback
                                   << QStringLiteral("short") << false << 302
                                   << QStringLiteral("error=invalid_request");
    QTest::newRow("foreign redirect") << FakeSalesforceServer::defaultClientId() << code
                                      << QStringLiteral("https://evil.example/cb") << good << false << 400
                                      << QStringLiteral("redirect_uri_mismatch");
}

void TestFakeSalesforce::authorizeErrors()
{
    QFETCH(QString, clientId);
    QFETCH(QString, responseType);
    QFETCH(QString, redirect);
    QFETCH(QString, challenge);
    QFETCH(bool, deny);
    QFETCH(int, status);
    QFETCH(QString, expected);
    if (deny)
        m_server->setUserChoice(FakeSalesforceServer::UserChoice::Deny);
    const Answer a = collect(send(QStringLiteral("/services/oauth2/authorize?")
                                          + QString::fromLatin1(form({{QStringLiteral("response_type"), responseType},
                                                                      {QStringLiteral("client_id"), clientId},
                                                                      {QStringLiteral("redirect_uri"), redirect},
                                                                      {QStringLiteral("state"), QStringLiteral("s")},
                                                                      {QStringLiteral("code_challenge"), challenge}})),
                                  {}));
    QCOMPARE(a.status, status);
    if (status == 302) {
        QVERIFY2(a.header("Location").startsWith(QByteArray(redirect.toLatin1() + '?')),
                 a.header("Location").constData());
        QVERIFY2(a.header("Location").contains(expected.toLatin1()), a.header("Location").constData());
        QVERIFY(!a.header("Location").contains("code="));
    } else {
        QVERIFY(a.header("Location").isEmpty());
        QVERIFY(a.body.contains(expected.toLatin1()));
    }
}

void TestFakeSalesforce::tokenErrors_data()
{
    QTest::addColumn<QString>("grantType");
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("verifier");
    QTest::addColumn<QString>("refreshToken");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("description");

    const QString id = FakeSalesforceServer::defaultClientId();
    const QString secret = FakeSalesforceServer::defaultClientSecret();
    const QString ac = QStringLiteral("authorization_code");
    const QString rt = QStringLiteral("refresh_token");
    const QByteArray formType = "application/x-www-form-urlencoded";
    const QString none;
    QTest::newRow("unknown client") << ac << QStringLiteral("nope") << secret << kVerifier << none << formType
                                    << QByteArray("POST") << QStringLiteral("invalid_client_id")
                                    << QStringLiteral("client identifier invalid");
    QTest::newRow("wrong secret") << ac << id << QStringLiteral("wrong") << kVerifier << none << formType
                                  << QByteArray("POST") << QStringLiteral("invalid_client")
                                  << QStringLiteral("invalid client credentials");
    QTest::newRow("missing secret") << rt << id << none << none << QStringLiteral("LIVE") << formType
                                    << QByteArray("POST") << QStringLiteral("invalid_client")
                                    << QStringLiteral("invalid client credentials");
    QTest::newRow("wrong verifier") << ac << id << secret << QStringLiteral("x").repeated(50) << none << formType
                                    << QByteArray("POST") << QStringLiteral("invalid_grant")
                                    << QStringLiteral("invalid code verifier");
    QTest::newRow("missing verifier") << ac << id << secret << none << none << formType << QByteArray("POST")
                                      << QStringLiteral("invalid_grant") << QStringLiteral("invalid code verifier");
    QTest::newRow("unknown refresh token")
            << rt << id << secret << none << QStringLiteral("5Aep861nope") << formType << QByteArray("POST")
            << QStringLiteral("invalid_grant") << QStringLiteral("expired access/refresh token");
    QTest::newRow("password grant") << QStringLiteral("password") << id << secret << none << none << formType
                                    << QByteArray("POST") << QStringLiteral("unsupported_grant_type")
                                    << QStringLiteral("grant type not supported");
    QTest::newRow("json body") << rt << id << secret << none << QStringLiteral("LIVE") << QByteArray("application/json")
                               << QByteArray("POST") << QStringLiteral("invalid_request") << QString();
    QTest::newRow("GET") << rt << id << secret << none << QStringLiteral("LIVE") << formType << QByteArray("GET")
                         << QStringLiteral("invalid_request") << QStringLiteral("must use HTTP POST");
}

void TestFakeSalesforce::tokenErrors()
{
    QFETCH(QString, grantType);
    QFETCH(QString, clientId);
    QFETCH(QString, secret);
    QFETCH(QString, verifier);
    QFETCH(QString, refreshToken);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, method);
    QFETCH(QString, error);
    QFETCH(QString, description);

    const QString redirect = QStringLiteral("http://127.0.0.1:4711/callback");
    QList<QPair<QString, QString>> items {{QStringLiteral("grant_type"), grantType},
                                          {QStringLiteral("client_id"), clientId}};
    if (!secret.isEmpty())
        items.append({QStringLiteral("client_secret"), secret});
    if (grantType == QLatin1String("authorization_code")) {
        items.append({QStringLiteral("code"), authorizeCode(redirect)});
        items.append({QStringLiteral("redirect_uri"), redirect});
        if (!verifier.isEmpty())
            items.append({QStringLiteral("code_verifier"), verifier});
    }
    if (!refreshToken.isEmpty())
        items.append({QStringLiteral("refresh_token"),
                      refreshToken == QLatin1String("LIVE") ? m_tokens.refreshToken : refreshToken});
    const Answer a = collect(
            send(QStringLiteral("/services/oauth2/token"), {}, method, form(items), {{"Content-Type", contentType}}));
    QCOMPARE(a.status, 400);
    QCOMPARE(a.oauthError(), error);
    if (!description.isEmpty())
        QCOMPARE(a.oauthDescription(), description);
    QVERIFY(m_server->isValidRefreshToken(m_tokens.refreshToken));
}

void TestFakeSalesforce::refreshAndRotation()
{
    Answer a = refresh(m_tokens.refreshToken);
    QCOMPARE(a.status, 200);
    QVERIFY(!a.json().contains(QStringLiteral("refresh_token")));
    QVERIFY(!a.json().contains(QStringLiteral("expires_in")));
    const QString access = a.json().value(QStringLiteral("access_token")).toString();
    QVERIFY(m_server->isValidAccessToken(access));
    QVERIFY(m_server->isValidRefreshToken(m_tokens.refreshToken));
    // The signature holds on refreshes too.
    const QByteArray expected
            = QMessageAuthenticationCode::hash((a.json().value(QStringLiteral("id")).toString()
                                                + a.json().value(QStringLiteral("issued_at")).toString())
                                                       .toUtf8(),
                                               m_server->clientSecret().toUtf8(), QCryptographicHash::Sha256)
                      .toBase64();
    QCOMPARE(a.json().value(QStringLiteral("signature")).toString().toLatin1(), expected);

    m_server->setRefreshTokenRotation(true);
    a = refresh(m_tokens.refreshToken);
    QCOMPARE(a.status, 200);
    const QString rotated = a.json().value(QStringLiteral("refresh_token")).toString();
    QVERIFY(!rotated.isEmpty());
    QVERIFY(rotated != m_tokens.refreshToken);
    QVERIFY(!m_server->isValidRefreshToken(m_tokens.refreshToken));
    a = refresh(m_tokens.refreshToken);
    QCOMPARE(a.status, 400);
    QCOMPARE(a.oauthDescription(), QStringLiteral("expired access/refresh token"));
    QCOMPARE(refresh(rotated).status, 200);
}

void TestFakeSalesforce::revokedRefreshToken()
{
    m_server->revokeRefreshToken(m_tokens.refreshToken);
    const Answer a = refresh(m_tokens.refreshToken);
    QCOMPARE(a.status, 400);
    QCOMPARE(a.oauthError(), QStringLiteral("invalid_grant"));
    QCOMPARE(a.oauthDescription(), QStringLiteral("expired access/refresh token"));
    QCOMPARE(get(kV + QStringLiteral("/limits")).status, 401); // its access tokens die with it

    // Over HTTP too.
    const FakeSalesforceServer::Tokens other = m_server->issueTokens();
    const Answer r = collect(send(QStringLiteral("/services/oauth2/revoke"), {}, "POST",
                                  form({{QStringLiteral("token"), other.refreshToken}}),
                                  {{"Content-Type", "application/x-www-form-urlencoded"}}));
    QCOMPARE(r.status, 200);
    QVERIFY(!m_server->isValidRefreshToken(other.refreshToken));
}

void TestFakeSalesforce::restAuth_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<bool>("expire");
    QTest::newRow("none") << QByteArray() << false;
    QTest::newRow("garbage") << QByteArray("Bearer 00Dxx!nope") << false;
    QTest::newRow("basic") << QByteArray("Basic dXNlcjpwYXNz") << false;
    QTest::newRow("expired") << QByteArray("LIVE") << true;
}

void TestFakeSalesforce::restAuth()
{
    QFETCH(QByteArray, authorization);
    QFETCH(bool, expire);
    if (authorization == "LIVE")
        authorization = "Bearer " + m_tokens.accessToken.toLatin1();
    if (expire)
        m_server->expireAccessTokens();
    for (const QString &path : {QStringLiteral("/sobjects/"), QStringLiteral("/query?q=SELECT+Id+FROM+Account"),
                                QStringLiteral("/limits/")}) {
        const Answer a = collect(send(kV + path, authorization));
        QCOMPARE(a.status, 401);
        QCOMPARE(a.body, QByteArray(R"([{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}])"));
        QCOMPARE(a.header("WWW-Authenticate"), QByteArray("Token"));
        QVERIFY(a.header("Sforce-Limit-Info").isEmpty());
    }
    QCOMPARE(m_server->apiUsage(), 0);
    // A refresh gives a working token.
    const Answer r = refresh(m_tokens.refreshToken);
    QCOMPARE(r.status, 200);
    m_tokens.accessToken = r.json().value(QStringLiteral("access_token")).toString();
    QCOMPARE(get(kV + QStringLiteral("/limits/")).status, 200);
}

void TestFakeSalesforce::sessionTimeout()
{
    QCOMPARE(get(kV + QStringLiteral("/limits")).status, 200);
    m_server->advance(7100);
    QCOMPARE(get(kV + QStringLiteral("/limits")).status, 200); // use keeps the session alive
    m_server->advance(7201);
    QCOMPARE(get(kV + QStringLiteral("/limits")).status, 401);
    QVERIFY(!m_server->isValidAccessToken(m_tokens.accessToken));
}

void TestFakeSalesforce::identity()
{
    const Answer a = get(QUrl(m_tokens.id).path());
    QCOMPARE(a.status, 200);
    QCOMPARE(a.json().value(QStringLiteral("user_id")).toString(), m_server->userId());
    QCOMPARE(a.json().value(QStringLiteral("organization_id")).toString(), m_server->orgId());
    QCOMPARE(a.json().value(QStringLiteral("username")).toString(), m_server->username());
    QCOMPARE(collect(send(QUrl(m_tokens.id).path(), "Bearer nope")).status, 403);
    QVERIFY(a.header("Sforce-Limit-Info").isEmpty());
}

void TestFakeSalesforce::versions()
{
    const Answer a = collect(send(QStringLiteral("/services/data/"), {}));
    QCOMPARE(a.status, 200);
    QVERIFY(a.header("Sforce-Limit-Info").isEmpty());
    const QJsonArray list = a.array();
    QVERIFY(list.size() > 30);
    QCOMPARE(list.first().toObject().value(QStringLiteral("version")).toString(), QStringLiteral("29.0"));
    QCOMPARE(list.first().toObject().value(QStringLiteral("url")).toString(), QStringLiteral("/services/data/v29.0"));
    QCOMPARE(list.first().toObject().value(QStringLiteral("label")).toString(), QStringLiteral("Winter '14"));
    QCOMPARE(m_server->apiUsage(), 0);

    QCOMPARE(get(QStringLiteral("/services/data/v29.0/limits")).status, 200);
    QCOMPARE(get(QStringLiteral("/services/data/v66.0/limits")).status, 200);
    QCOMPARE(get(QStringLiteral("/services/data/v28.0/limits")).status, 404);
    QCOMPARE(get(QStringLiteral("/services/data/v58.1/limits")).errorCode(), QStringLiteral("NOT_FOUND"));
    QCOMPARE(get(QStringLiteral("/services/data/58.0/limits")).status, 404);
    const Answer resources = get(kV + QLatin1Char('/'));
    QCOMPARE(resources.status, 200);
    QCOMPARE(resources.json().value(QStringLiteral("query")).toString(), kV + QStringLiteral("/query"));
}

void TestFakeSalesforce::describeGlobal()
{
    const Answer a = get(kV + QStringLiteral("/sobjects/"));
    QCOMPARE(a.status, 200);
    QVERIFY(a.header("Sforce-Limit-Info").startsWith("api-usage="));
    const QJsonObject body = a.json();
    QCOMPARE(body.value(QStringLiteral("encoding")).toString(), QStringLiteral("UTF-8"));
    QCOMPARE(body.value(QStringLiteral("maxBatchSize")).toInt(), 200);
    QHash<QString, QJsonObject> byName;
    for (const QJsonValue &v : body.value(QStringLiteral("sobjects")).toArray())
        byName.insert(v.toObject().value(QStringLiteral("name")).toString(), v.toObject());
    QCOMPARE(byName.size(), FakeSalesforceServer::allObjects().size());
    for (const QString &name : FakeSalesforceServer::queryableObjects()) {
        QVERIFY2(byName.contains(name), qPrintable(name));
        QVERIFY(byName.value(name).value(QStringLiteral("queryable")).toBool());
    }
    for (const char *name : {"Account", "Contact", "Lead", "Opportunity", "OpportunityLineItem", "Case", "CaseComment",
                             "Campaign", "CampaignMember", "Task", "Event", "User", "Product2", "Pricebook2",
                             "PricebookEntry", "Contract", "Note", "Invoice__c"})
        QVERIFY2(byName.contains(QString::fromLatin1(name)), name);
    const QJsonObject account = byName.value(QStringLiteral("Account"));
    QCOMPARE(account.value(QStringLiteral("keyPrefix")).toString(), QStringLiteral("001"));
    QCOMPARE(account.value(QStringLiteral("labelPlural")).toString(), QStringLiteral("Accounts"));
    QCOMPARE(account.value(QStringLiteral("custom")).toBool(), false);
    for (const char *key : {"name",          "label",       "labelPlural",  "keyPrefix",           "custom",
                            "customSetting", "createable",  "deletable",    "queryable",           "replicateable",
                            "retrieveable",  "searchable",  "updateable",   "layoutable",          "mergeable",
                            "mruEnabled",    "feedEnabled", "activateable", "deprecatedAndHidden", "hasSubtypes",
                            "isSubtype",     "urls"})
        QVERIFY2(account.contains(QString::fromLatin1(key)), key);
    QCOMPARE(account.value(QStringLiteral("urls")).toObject().value(QStringLiteral("describe")).toString(),
             kV + QStringLiteral("/sobjects/Account/describe"));
    QVERIFY(byName.value(QStringLiteral("Invoice__c")).value(QStringLiteral("custom")).toBool());
    QVERIFY(!byName.value(QStringLiteral("AggregateResult")).value(QStringLiteral("queryable")).toBool());
    QVERIFY(byName.value(QStringLiteral("ActivityHistory")).value(QStringLiteral("keyPrefix")).isNull());
    QCOMPARE(get(kV + QStringLiteral("/sobjects")).status, 200);
    QCOMPARE(m_server->requestCount(Endpoint::DescribeGlobal), 2);
}

void TestFakeSalesforce::describe()
{
    const Answer a = get(kV + QStringLiteral("/sobjects/Account/describe"));
    QCOMPARE(a.status, 200);
    const QJsonObject body = a.json();
    QCOMPARE(body.value(QStringLiteral("name")).toString(), QStringLiteral("Account"));
    QHash<QString, QJsonObject> fields;
    QSet<QString> types;
    for (const QJsonValue &v : body.value(QStringLiteral("fields")).toArray()) {
        const QJsonObject f = v.toObject();
        fields.insert(f.value(QStringLiteral("name")).toString(), f);
        types.insert(f.value(QStringLiteral("type")).toString());
        for (const char *key : {"name", "type", "label", "nillable", "length", "referenceTo", "picklistValues",
                                "defaultValue", "custom", "calculated", "filterable", "soapType"})
            QVERIFY2(f.contains(QString::fromLatin1(key)), key);
    }
    QCOMPARE(fields.size(), m_server->fieldNames(QStringLiteral("Account")).size());
    for (const char *type : {"id", "string", "reference", "boolean", "double", "currency", "int", "picklist",
                             "textarea", "datetime", "address", "phone", "url"})
        QVERIFY2(types.contains(QString::fromLatin1(type)), type);
    const QJsonObject id = fields.value(QStringLiteral("Id"));
    QCOMPARE(id.value(QStringLiteral("type")).toString(), QStringLiteral("id"));
    QCOMPARE(id.value(QStringLiteral("length")).toInt(), 18);
    QCOMPARE(id.value(QStringLiteral("nillable")).toBool(), false);
    QCOMPARE(id.value(QStringLiteral("soapType")).toString(), QStringLiteral("tns:ID"));
    QCOMPARE(fields.value(QStringLiteral("SystemModstamp")).value(QStringLiteral("soapType")).toString(),
             QStringLiteral("xsd:dateTime"));
    QCOMPARE(fields.value(QStringLiteral("ParentId")).value(QStringLiteral("referenceTo")).toArray(),
             QJsonArray {QStringLiteral("Account")});
    QCOMPARE(fields.value(QStringLiteral("BillingAddress")).value(QStringLiteral("filterable")).toBool(), false);
    QCOMPARE(fields.value(QStringLiteral("BillingCity")).value(QStringLiteral("compoundFieldName")).toString(),
             QStringLiteral("BillingAddress"));
    QVERIFY(fields.value(QStringLiteral("CustomerPriority__c")).value(QStringLiteral("custom")).toBool());
    QCOMPARE(fields.value(QStringLiteral("Industry")).value(QStringLiteral("picklistValues")).toArray().size(), 7);

    const Answer invoice = get(kV + QStringLiteral("/sobjects/Invoice__c/describe/"));
    QCOMPARE(invoice.status, 200);
    QSet<QString> invoiceTypes;
    for (const QJsonValue &v : invoice.json().value(QStringLiteral("fields")).toArray())
        invoiceTypes.insert(v.toObject().value(QStringLiteral("type")).toString());
    QVERIFY(invoiceTypes.contains(QStringLiteral("date")));
    QVERIFY(invoiceTypes.contains(QStringLiteral("currency")));

    const Answer unknown = get(kV + QStringLiteral("/sobjects/Nope__c/describe"));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.errorCode(), QStringLiteral("NOT_FOUND"));
    QCOMPARE(m_server->requestCount(Endpoint::Describe), 3);
}

void TestFakeSalesforce::soql_data()
{
    QTest::addColumn<QString>("soql");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("errorCode");
    QTest::addColumn<QString>("messagePart");

    const QString ok;
    QTest::newRow("plain") << QStringLiteral("SELECT Id, Name FROM Account") << 200 << ok << ok;
    QTest::newRow("lower case") << QStringLiteral("select id, name from account where name != null") << 200 << ok << ok;
    QTest::newRow("where and") << QStringLiteral(
            "SELECT Id FROM Account WHERE IsDeleted = FALSE AND NumberOfEmployees > 100")
                               << 200 << ok << ok;
    QTest::newRow("or and parentheses") << QStringLiteral(
            "SELECT Id FROM Account WHERE (Industry = 'Retail' OR Industry = 'Energy') AND NOT Rating = 'Cold'")
                                        << 200 << ok << ok;
    QTest::newRow("custom object") << QStringLiteral(
            "SELECT Id, Amount__c, Due_Date__c FROM Invoice__c WHERE Amount__c >= 10.5")
                                   << 200 << ok << ok;
    QTest::newRow("date literal") << QStringLiteral("SELECT Id FROM Opportunity WHERE CloseDate >= 2020-01-01") << 200
                                  << ok << ok;
    QTest::newRow("unknown object") << QStringLiteral("SELECT Id FROM Acount") << 400 << QStringLiteral("INVALID_TYPE")
                                    << QStringLiteral("sObject type 'Acount' is not supported. If you are attempting "
                                                      "to use a custom object, be sure to append the '__c' after the "
                                                      "entity name.");
    QTest::newRow("unknown field") << QStringLiteral("SELECT Id, CleanStatus FROM Account") << 400
                                   << QStringLiteral("INVALID_FIELD")
                                   << QStringLiteral("ERROR at Row:1:Column:12\nNo such column 'CleanStatus' on entity "
                                                     "'Account'. If you are attempting to use a custom field, be sure "
                                                     "to append the '__c' after the custom field name.");
    QTest::newRow("unknown where field") << QStringLiteral("SELECT Id FROM Account WHERE Foo__c = 1") << 400
                                         << QStringLiteral("INVALID_FIELD")
                                         << QStringLiteral("No such column 'Foo__c'");
    QTest::newRow("unknown order field") << QStringLiteral("SELECT Id FROM Account ORDER BY Bar") << 400
                                         << QStringLiteral("INVALID_FIELD") << QStringLiteral("No such column 'Bar'");
    QTest::newRow("FORM") << QStringLiteral("SELECT Id FORM Account") << 400 << QStringLiteral("MALFORMED_QUERY")
                          << QStringLiteral("ERROR at Row:1:Column:11\nunexpected token: 'FORM'");
    QTest::newRow("trailing AND") << QStringLiteral("SELECT Id FROM Account WHERE Name = 'x' AND") << 400
                                  << QStringLiteral("MALFORMED_QUERY") << QStringLiteral("unexpected token: <EOF>");
    QTest::newRow("unclosed string") << QStringLiteral("SELECT Id FROM Account WHERE Name = 'x") << 400
                                     << QStringLiteral("MALFORMED_QUERY") << ok;
    QTest::newRow("quoted datetime") << QStringLiteral(
            "SELECT Id FROM Account WHERE SystemModstamp >= '2024-01-01T00:00:00Z'")
                                     << 400 << QStringLiteral("INVALID_FIELD")
                                     << QStringLiteral("must be of type dateTime and should not be enclosed in quotes");
    QTest::newRow("unquoted string") << QStringLiteral("SELECT Id FROM Account WHERE Name = 42") << 400
                                     << QStringLiteral("INVALID_FIELD")
                                     << QStringLiteral("should be enclosed in quotes");
    QTest::newRow("long text filter") << QStringLiteral("SELECT Id FROM Account WHERE Description = 'x'") << 400
                                      << QStringLiteral("INVALID_FIELD") << QStringLiteral("can not be filtered");
    QTest::newRow("not queryable") << QStringLiteral("SELECT Id FROM AggregateResult") << 400
                                   << QStringLiteral("INVALID_TYPE_FOR_OPERATION") << ok;
    QTest::newRow("relationship") << QStringLiteral("SELECT Id, Account.Name FROM Contact") << 400
                                  << QStringLiteral("MALFORMED_QUERY") << ok;
    QTest::newRow("duplicate") << QStringLiteral("SELECT Id, id FROM Account") << 400
                               << QStringLiteral("MALFORMED_QUERY") << QStringLiteral("duplicate field selected: Id");
    QTest::newRow("empty") << QString() << 400 << QStringLiteral("MALFORMED_QUERY")
                           << QStringLiteral("A query string has to be specified");
    QTest::newRow("count") << QStringLiteral("SELECT COUNT() FROM Account") << 400 << QStringLiteral("MALFORMED_QUERY")
                           << ok;
    QTest::newRow("bad limit") << QStringLiteral("SELECT Id FROM Account LIMIT x") << 400
                               << QStringLiteral("MALFORMED_QUERY") << ok;
}

void TestFakeSalesforce::soql()
{
    QFETCH(QString, soql);
    QFETCH(int, status);
    QFETCH(QString, errorCode);
    QFETCH(QString, messagePart);
    const Answer a = get(soqlPath(soql));
    QCOMPARE(a.status, status);
    if (status == 200) {
        QVERIFY(a.json().value(QStringLiteral("done")).toBool());
        QCOMPARE(a.json().value(QStringLiteral("totalSize")).toInt(), a.records().size());
        return;
    }
    QCOMPARE(a.errorCode(), errorCode);
    QVERIFY2(a.message().contains(messagePart), qPrintable(a.message()));
    QVERIFY(a.header("Sforce-Limit-Info").startsWith("api-usage="));
}

void TestFakeSalesforce::datetimeLiterals_data()
{
    QTest::addColumn<QString>("literal");
    QTest::addColumn<bool>("encodePlus");
    QTest::addColumn<int>("status");
    // The boundary is 2026-01-10T12:00:00Z.
    QTest::newRow("Z") << QStringLiteral("2026-01-10T12:00:00Z") << true << 200;
    QTest::newRow("millis Z") << QStringLiteral("2026-01-10T12:00:00.000Z") << true << 200;
    QTest::newRow("+00:00") << QStringLiteral("2026-01-10T12:00:00+00:00") << true << 200;
    QTest::newRow("millis +00:00") << QStringLiteral("2026-01-10T12:00:00.000+00:00") << true << 200;
    QTest::newRow("-05:00") << QStringLiteral("2026-01-10T07:00:00-05:00") << true << 200;
    QTest::newRow("+02:00") << QStringLiteral("2026-01-10T14:00:00+02:00") << true << 200;
    QTest::newRow("raw plus is a space") << QStringLiteral("2026-01-10T12:00:00+00:00") << false << 400;
    QTest::newRow("no zone") << QStringLiteral("2026-01-10T12:00:00") << true << 400;
}

void TestFakeSalesforce::datetimeLiterals()
{
    QFETCH(QString, literal);
    QFETCH(bool, encodePlus);
    QFETCH(int, status);
    m_server->setNow(QDateTime(QDate(2026, 1, 20), QTime(0, 0), Qt::UTC));
    m_server->populate({{QStringLiteral("Account"), 30}}, 7);
    const QDateTime boundary(QDate(2026, 1, 10), QTime(12, 0), Qt::UTC);
    const QStringList ids = m_server->ids(QStringLiteral("Account"));
    QVERIFY(m_server->setSystemModstamp(QStringLiteral("Account"), ids.mid(0, 3), boundary.addSecs(-1)));
    QVERIFY(m_server->setSystemModstamp(QStringLiteral("Account"), ids.mid(3, 4), boundary));
    QVERIFY(m_server->setSystemModstamp(QStringLiteral("Account"), ids.mid(7), boundary.addSecs(1)));

    const QString soql = QStringLiteral("SELECT Id FROM Account WHERE SystemModstamp >= ") + literal;
    QByteArray encoded = QUrl::toPercentEncoding(soql, encodePlus ? QByteArray() : QByteArray("+"));
    const Answer a = get(kV + QStringLiteral("/query?q=") + QString::fromLatin1(encoded));
    QCOMPARE(a.status, status);
    if (status != 200) {
        QCOMPARE(a.errorCode(), QStringLiteral("MALFORMED_QUERY"));
        return;
    }
    QCOMPARE(a.json().value(QStringLiteral("totalSize")).toInt(), 27);
    QCOMPARE(get(soqlPath(QStringLiteral("SELECT Id FROM Account WHERE SystemModstamp > ") + literal))
                     .json()
                     .value(QStringLiteral("totalSize"))
                     .toInt(),
             23);
}

void TestFakeSalesforce::orderBy()
{
    const QJsonArray asc
            = get(soqlPath(QStringLiteral("SELECT Id, SystemModstamp FROM Contact ORDER BY SystemModstamp ASC, Id")))
                      .records();
    QCOMPARE(asc.size(), m_server->count(QStringLiteral("Contact")));
    for (qsizetype i = 1; i < asc.size(); ++i)
        QVERIFY(asc.at(i - 1).toObject().value(QStringLiteral("SystemModstamp")).toString()
                <= asc.at(i).toObject().value(QStringLiteral("SystemModstamp")).toString());
    const QJsonArray desc
            = get(soqlPath(QStringLiteral("SELECT Id, Amount__c FROM Invoice__c ORDER BY Amount__c DESC"))).records();
    bool seenNull = false;
    for (qsizetype i = 1; i < desc.size(); ++i) {
        const QJsonValue prev = desc.at(i - 1).toObject().value(QStringLiteral("Amount__c"));
        const QJsonValue cur = desc.at(i).toObject().value(QStringLiteral("Amount__c"));
        seenNull = seenNull || prev.isNull();
        if (seenNull)
            QVERIFY(cur.isNull()); // DESC puts nulls last
        else if (!cur.isNull())
            QVERIFY(prev.toDouble() >= cur.toDouble());
    }
    const QJsonArray limited
            = get(soqlPath(QStringLiteral("SELECT Id FROM Account ORDER BY Id DESC LIMIT 3"))).records();
    const QStringList accounts = m_server->ids(QStringLiteral("Account"));
    QCOMPARE(idsOf(limited), (QStringList {accounts.at(449), accounts.at(448), accounts.at(447)}));
}

void TestFakeSalesforce::recordShape()
{
    const Answer a = get(soqlPath(QStringLiteral(
            "SELECT Id, Name, BillingAddress, CreatedDate, SystemModstamp, IsDeleted, NumberOfEmployees FROM Account "
            "WHERE BillingCity != null LIMIT 5")));
    QCOMPARE(a.status, 200);
    const QJsonArray records = a.records();
    QCOMPARE(records.size(), 5);
    static const QRegularExpression dateTime(
            QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.000\\+0000$"));
    for (const QJsonValue &v : records) {
        const QJsonObject r = v.toObject();
        const QString id = r.value(QStringLiteral("Id")).toString();
        QCOMPARE(id.size(), 18);
        QVERIFY(id.startsWith(QLatin1String("001")));
        const QJsonObject attributes = r.value(QStringLiteral("attributes")).toObject();
        QCOMPARE(attributes.value(QStringLiteral("type")).toString(), QStringLiteral("Account"));
        QCOMPARE(attributes.value(QStringLiteral("url")).toString(), kV + QStringLiteral("/sobjects/Account/") + id);
        QVERIFY(dateTime.match(r.value(QStringLiteral("CreatedDate")).toString()).hasMatch());
        QVERIFY(dateTime.match(r.value(QStringLiteral("SystemModstamp")).toString()).hasMatch());
        QCOMPARE(r.value(QStringLiteral("IsDeleted")), QJsonValue(false));
        const QJsonObject address = r.value(QStringLiteral("BillingAddress")).toObject();
        QVERIFY(!address.value(QStringLiteral("city")).toString().isEmpty());
        QVERIFY(address.contains(QStringLiteral("postalCode")));
        QVERIFY(address.contains(QStringLiteral("latitude")));
        QCOMPARE(r.size(), 8); // attributes + the 7 selected
    }
    // Every object's ids carry its key prefix and the case-safe suffix.
    for (const QString &object : FakeSalesforceServer::queryableObjects()) {
        for (const QString &id : m_server->ids(object)) {
            QVERIFY2(id.startsWith(FakeSalesforceServer::keyPrefix(object)), qPrintable(id));
            QCOMPARE(id.size(), 18);
        }
    }
    const Answer dates = get(soqlPath(QStringLiteral("SELECT CloseDate FROM Opportunity LIMIT 1")));
    QVERIFY(QRegularExpression(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"))
                    .match(dates.records().at(0).toObject().value(QStringLiteral("CloseDate")).toString())
                    .hasMatch());
}

void TestFakeSalesforce::paging()
{
    QList<int> pages;
    const QJsonArray all = walk(QStringLiteral("SELECT Id FROM Account"), 200, &pages);
    QCOMPARE(pages, (QList<int> {200, 200, 50}));
    const QStringList ids = idsOf(all);
    QCOMPARE(ids, m_server->ids(QStringLiteral("Account")));
    QCOMPARE(m_server->requestCount(Endpoint::Query), 1);
    QCOMPARE(m_server->requestCount(Endpoint::QueryMore), 2);

    const Answer first
            = get(soqlPath(QStringLiteral("SELECT Id FROM Account")), {{"Sforce-Query-Options", "batchSize=300"}});
    QCOMPARE(first.json().value(QStringLiteral("totalSize")).toInt(), 450);
    QCOMPARE(first.json().value(QStringLiteral("done")).toBool(), false);
    const QString next = first.json().value(QStringLiteral("nextRecordsUrl")).toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^/services/data/v58\\.0/query/01g[0-9A-Za-z]{15}-300$"))
                     .match(next)
                     .hasMatch(),
             qPrintable(next));
    const Answer second = get(next);
    QCOMPARE(second.records().size(), 150);
    QCOMPARE(second.json().value(QStringLiteral("done")).toBool(), true);
    QVERIFY(!second.json().contains(QStringLiteral("nextRecordsUrl")));
    QCOMPARE(second.json().value(QStringLiteral("totalSize")).toInt(), 450);

    // Default batch 2000: one page.
    const Answer whole = get(soqlPath(QStringLiteral("SELECT Id FROM Account")));
    QCOMPARE(whole.records().size(), 450);
    QVERIFY(whole.json().value(QStringLiteral("done")).toBool());
    // LIMIT caps totalSize.
    const Answer limited = get(soqlPath(QStringLiteral("SELECT Id FROM Account LIMIT 250")),
                               {{"Sforce-Query-Options", "batchSize=200"}});
    QCOMPARE(limited.json().value(QStringLiteral("totalSize")).toInt(), 250);
    QCOMPARE(limited.records().size(), 200);
    // query/?q= works as well.
    QCOMPARE(get(soqlPath(QStringLiteral("SELECT Id FROM Lead"), QStringLiteral("query/"))).status, 200);
}

void TestFakeSalesforce::batchSizeClamped()
{
    m_server->populate({{QStringLiteral("Account"), 2300}}, 3);
    QList<int> pages;
    walk(QStringLiteral("SELECT Id FROM Account"), 50, &pages);
    QCOMPARE(pages.first(), 200);
    QCOMPARE(pages.size(), 12);
    pages.clear();
    walk(QStringLiteral("SELECT Id FROM Account"), 5000, &pages);
    QCOMPARE(pages, (QList<int> {2000, 300}));
    pages.clear();
    const Answer a = get(soqlPath(QStringLiteral("SELECT Id FROM Account")));
    QCOMPARE(a.records().size(), 2000);
}

void TestFakeSalesforce::queryLocators()
{
    const QList<QPair<QByteArray, QByteArray>> small {{"Sforce-Query-Options", "batchSize=200"}};
    const QString next = get(soqlPath(QStringLiteral("SELECT Id FROM Account")), small)
                                 .json()
                                 .value(QStringLiteral("nextRecordsUrl"))
                                 .toString();
    QVERIFY(!next.isEmpty());
    // No parameters on nextRecordsUrl.
    Answer a = get(next + QStringLiteral("?q=SELECT+Id+FROM+Account"));
    QCOMPARE(a.status, 400);
    QCOMPARE(a.errorCode(), QStringLiteral("MALFORMED_QUERY"));
    // Unknown locators and offsets.
    a = get(kV + QStringLiteral("/query/01gXX0000000000AAA-200"));
    QCOMPARE(a.status, 400);
    QCOMPARE(a.body, QByteArray(R"([{"errorCode":"INVALID_QUERY_LOCATOR","message":"invalid query locator"}])"));
    QCOMPARE(get(next.section(QLatin1Char('-'), 0, 0) + QStringLiteral("-9999")).errorCode(),
             QStringLiteral("INVALID_QUERY_LOCATOR"));
    QCOMPARE(get(next).status, 200);
    QCOMPARE(get(next).status, 200); // locators live on until they expire
    // Idle for 15 minutes: gone.
    m_server->advance(16 * 60);
    QCOMPARE(get(next).errorCode(), QStringLiteral("INVALID_QUERY_LOCATOR"));
    const QString again = get(soqlPath(QStringLiteral("SELECT Id FROM Account")), small)
                                  .json()
                                  .value(QStringLiteral("nextRecordsUrl"))
                                  .toString();
    m_server->expireQueryLocators();
    QCOMPARE(get(again).errorCode(), QStringLiteral("INVALID_QUERY_LOCATOR"));
    // The snapshot: records changed after the query do not move between pages.
    const QString third = get(soqlPath(QStringLiteral("SELECT Id FROM Account")), small)
                                  .json()
                                  .value(QStringLiteral("nextRecordsUrl"))
                                  .toString();
    m_server->deleteRecords(QStringLiteral("Account"), 300);
    QCOMPARE(get(third).records().size(), 200);
}

void TestFakeSalesforce::queryAllDeletions()
{
    m_server->setNow(QDateTime(QDate(2026, 3, 1), QTime(9, 30), Qt::UTC));
    m_server->setSessionTimeout(0); // the clock jumps days ahead below
    m_server->populate({}, 5);
    const QDateTime before = m_server->now();
    m_server->advance(60);
    const QStringList deleted = m_server->deleteRecords(QStringLiteral("Account"), 3);
    QCOMPARE(deleted.size(), 3);
    QCOMPARE(m_server->count(QStringLiteral("Account")), 447);
    QCOMPARE(m_server->count(QStringLiteral("Account"), true), 450);

    QCOMPARE(get(soqlPath(QStringLiteral("SELECT Id FROM Account"))).json().value(QStringLiteral("totalSize")).toInt(),
             447);
    const QString since = before.toString(Qt::ISODate);
    const Answer tombstones = get(soqlPath(
            QStringLiteral(
                    "SELECT Id, IsDeleted, SystemModstamp FROM Account WHERE IsDeleted = TRUE AND SystemModstamp >= ")
                    + since,
            QStringLiteral("queryAll")));
    QCOMPARE(tombstones.status, 200);
    QCOMPARE(idsOf(tombstones.records()), deleted);
    QCOMPARE(tombstones.records().at(0).toObject().value(QStringLiteral("SystemModstamp")).toString(),
             QStringLiteral("2026-03-01T09:31:00.000+0000"));
    QCOMPARE(get(soqlPath(QStringLiteral("SELECT Id FROM Account WHERE IsDeleted = TRUE"))).records().size(), 0);

    // queryAll pages say "query" in nextRecordsUrl and keep the deleted rows.
    QList<int> pages;
    const QJsonArray all
            = walk(QStringLiteral("SELECT Id, IsDeleted FROM Account"), 200, &pages, QStringLiteral("queryAll/"));
    QCOMPARE(all.size(), 450);
    QCOMPARE(m_server->requestCount(Endpoint::QueryAll), 2);
    QCOMPARE(m_server->requestCount(Endpoint::QueryMore), 2);
    QVERIFY(m_server->requestLog().last().path.contains(QLatin1String("/query/01g")));

    // After 15 days in the recycle bin, they are gone for good.
    m_server->advance(14 * 86400);
    QCOMPARE(get(soqlPath(QStringLiteral("SELECT Id FROM Account WHERE IsDeleted = TRUE"), QStringLiteral("queryAll")))
                     .records()
                     .size(),
             3);
    m_server->advance(2 * 86400);
    QCOMPARE(get(soqlPath(QStringLiteral("SELECT Id FROM Account WHERE IsDeleted = TRUE"), QStringLiteral("queryAll")))
                     .records()
                     .size(),
             0);
    QCOMPARE(m_server->count(QStringLiteral("Account"), true), 447);
}

void TestFakeSalesforce::limits()
{
    m_server->setSessionTimeout(0); // the clock jumps a day ahead below
    m_server->setDailyApiLimit(1000);
    m_server->setApiUsage(10);
    Answer a = get(kV + QStringLiteral("/sobjects/"));
    QCOMPARE(a.header("Sforce-Limit-Info"), QByteArray("api-usage=11/1000"));
    a = get(kV + QStringLiteral("/limits/"));
    QCOMPARE(a.header("Sforce-Limit-Info"), QByteArray("api-usage=12/1000"));
    const QJsonObject daily = a.json().value(QStringLiteral("DailyApiRequests")).toObject();
    QVERIFY(daily.value(QStringLiteral("Max")).isDouble());
    QCOMPARE(daily.value(QStringLiteral("Max")).toInt(), 1000);
    QCOMPARE(daily.value(QStringLiteral("Remaining")).toInt(), 988);
    // Errors count and carry the header too.
    a = get(soqlPath(QStringLiteral("SELECT Nope FROM Account")));
    QCOMPARE(a.status, 400);
    QCOMPARE(a.header("Sforce-Limit-Info"), QByteArray("api-usage=13/1000"));
    QCOMPARE(m_server->apiUsage(), 13);

    m_server->setDailyApiLimit(14);
    QCOMPARE(get(kV + QStringLiteral("/limits")).status, 200);
    a = get(soqlPath(QStringLiteral("SELECT Id FROM Account")));
    QCOMPARE(a.status, 403);
    QCOMPARE(a.body,
             QByteArray(R"([{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"TotalRequests Limit exceeded."}])"));
    QCOMPARE(a.header("Sforce-Limit-Info"), QByteArray("api-usage=14/14"));
    QVERIFY(a.header("Retry-After").isEmpty());
    QCOMPARE(m_server->apiUsage(), 14);
    // The versions list is not counted and still answers.
    QCOMPARE(collect(send(QStringLiteral("/services/data/"), {})).status, 200);
    // A new day resets the counter.
    m_server->advance(86400);
    a = get(kV + QStringLiteral("/limits"));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.header("Sforce-Limit-Info"), QByteArray("api-usage=1/14"));
}

void TestFakeSalesforce::apiDisabled()
{
    m_server->setApiDisabled(true);
    const Answer a = get(kV + QStringLiteral("/sobjects/"));
    QCOMPARE(a.status, 403);
    QCOMPARE(a.errorCode(), QStringLiteral("API_DISABLED_FOR_ORG"));
    QCOMPARE(a.message(), QStringLiteral("The REST API is not enabled for this Organization."));
    m_server->setApiDisabled(false);
    QCOMPARE(get(kV + QStringLiteral("/sobjects/")).status, 200);
}

void TestFakeSalesforce::visibility()
{
    m_server->hideObject(QStringLiteral("Lead"));
    m_server->hideField(QStringLiteral("Account"), QStringLiteral("AnnualRevenue"));
    Answer a = get(soqlPath(QStringLiteral("SELECT Id FROM Lead")));
    QCOMPARE(a.status, 400);
    QCOMPARE(a.errorCode(), QStringLiteral("INVALID_TYPE"));
    QVERIFY(a.message().contains(QLatin1String("sObject type 'Lead' is not supported.")));
    QCOMPARE(get(kV + QStringLiteral("/sobjects/Lead/describe")).status, 404);
    bool listed = false;
    for (const QJsonValue &v :
         get(kV + QStringLiteral("/sobjects/")).json().value(QStringLiteral("sobjects")).toArray())
        listed = listed || v.toObject().value(QStringLiteral("name")).toString() == QLatin1String("Lead");
    QVERIFY(!listed);

    a = get(soqlPath(QStringLiteral("SELECT Id, AnnualRevenue FROM Account")));
    QCOMPARE(a.status, 400);
    QCOMPARE(a.errorCode(), QStringLiteral("INVALID_FIELD"));
    QVERIFY(a.message().contains(QLatin1String("No such column 'AnnualRevenue' on entity 'Account'")));
    QCOMPARE(get(soqlPath(QStringLiteral("SELECT Id FROM Account WHERE annualrevenue > 5"))).errorCode(),
             QStringLiteral("INVALID_FIELD"));
    for (const QJsonValue &v :
         get(kV + QStringLiteral("/sobjects/Account/describe")).json().value(QStringLiteral("fields")).toArray())
        QVERIFY(v.toObject().value(QStringLiteral("name")).toString() != QLatin1String("AnnualRevenue"));

    m_server->hideObject(QStringLiteral("Lead"), false);
    m_server->hideField(QStringLiteral("Account"), QStringLiteral("AnnualRevenue"), false);
    QCOMPARE(get(soqlPath(QStringLiteral("SELECT Id FROM Lead"))).status, 200);
    QCOMPARE(get(soqlPath(QStringLiteral("SELECT Id, AnnualRevenue FROM Account"))).status, 200);
}

void TestFakeSalesforce::mutations()
{
    m_server->setNow(QDateTime(QDate(2026, 2, 1), QTime(8, 0), Qt::UTC));
    m_server->populate({}, 9);
    m_server->advance(3600);
    const QString stamp = QStringLiteral("2026-02-01T09:00:00Z");
    const QStringList updated = m_server->updateRecords(QStringLiteral("Contact"), 4,
                                                        {{QStringLiteral("Title"), QStringLiteral("Chief Tester")}});
    QCOMPARE(updated.size(), 4);
    const QString inserted = m_server->insertRecord(QStringLiteral("Contact"),
                                                    {{QStringLiteral("LastName"), QStringLiteral("Newman")},
                                                     {QStringLiteral("Birthdate"), QStringLiteral("1990-05-17")}});
    QVERIFY(inserted.startsWith(QLatin1String("003")));
    QCOMPARE(m_server->count(QStringLiteral("Contact")), 61);
    QVERIFY(m_server->insertRecord(QStringLiteral("Contact"), {{QStringLiteral("Nope__c"), 1}}).isEmpty());
    QVERIFY(!m_server->updateRecord(QStringLiteral("Contact"), inserted, {{QStringLiteral("Birthdate"), 5}}));

    const Answer a = get(soqlPath(QStringLiteral("SELECT Id, Title, LastName, LastModifiedDate, SystemModstamp FROM "
                                                 "Contact WHERE SystemModstamp >= ")
                                  + stamp + QStringLiteral(" ORDER BY SystemModstamp ASC, Id ASC")));
    QCOMPARE(a.status, 200);
    QStringList expected = updated;
    expected.append(inserted);
    QCOMPARE(idsOf(a.records()), expected);
    const QJsonObject first = a.records().at(0).toObject();
    QCOMPARE(first.value(QStringLiteral("Title")).toString(), QStringLiteral("Chief Tester"));
    QCOMPARE(first.value(QStringLiteral("LastModifiedDate")).toString(),
             QStringLiteral("2026-02-01T09:00:00.000+0000"));
    QCOMPARE(first.value(QStringLiteral("SystemModstamp")).toString(), QStringLiteral("2026-02-01T09:00:00.000+0000"));
    QCOMPARE(a.records().at(4).toObject().value(QStringLiteral("LastName")).toString(), QStringLiteral("Newman"));
    QCOMPARE(m_server->record(QStringLiteral("Contact"), inserted).value(QStringLiteral("Birthdate")).toString(),
             QStringLiteral("1990-05-17"));
    QCOMPARE(m_server->record(QStringLiteral("Contact"), inserted).value(QStringLiteral("CreatedDate")).toString(),
             QStringLiteral("2026-02-01T09:00:00.000+0000"));

    // Deleting bumps SystemModstamp; queryAll shows it, query does not.
    m_server->advance(60);
    QVERIFY(m_server->deleteRecord(QStringLiteral("Contact"), inserted));
    QVERIFY(!m_server->deleteRecord(QStringLiteral("Contact"), inserted));
    QVERIFY(!m_server->updateRecord(QStringLiteral("Contact"), inserted, {}));
    const QString after = QStringLiteral("SELECT Id, IsDeleted FROM Contact WHERE SystemModstamp > ") + stamp;
    QCOMPARE(get(soqlPath(after)).records().size(), 0);
    const QJsonArray all = get(soqlPath(after, QStringLiteral("queryAll"))).records();
    QCOMPARE(all.size(), 1);
    QCOMPARE(all.at(0).toObject().value(QStringLiteral("IsDeleted")).toBool(), true);
}

void TestFakeSalesforce::boundaryModstamp()
{
    // Many records on one SystemModstamp straddling a page boundary: >= brings them all again.
    const QDateTime stamp = m_server->now().addDays(-1);
    const QStringList ids = m_server->ids(QStringLiteral("Account")).mid(100, 250);
    QVERIFY(m_server->setSystemModstamp(QStringLiteral("Account"), ids, stamp));
    const QString literal = stamp.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
    QList<int> pages;
    const QJsonArray all = walk(QStringLiteral("SELECT Id, SystemModstamp FROM Account WHERE SystemModstamp >= ")
                                        + literal + QStringLiteral(" ORDER BY SystemModstamp ASC"),
                                200, &pages);
    QVERIFY(all.size() >= 250);
    QSet<QString> seen;
    for (const QJsonValue &v : all)
        seen.insert(v.toObject().value(QStringLiteral("Id")).toString());
    for (const QString &id : ids)
        QVERIFY(seen.contains(id));
    QCOMPARE(all.at(0).toObject().value(QStringLiteral("SystemModstamp")).toString(),
             stamp.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.000+0000")));
}

void TestFakeSalesforce::strictness_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("errorCode");
    QTest::newRow("POST query") << QByteArray("POST") << soqlPath(QStringLiteral("SELECT Id FROM Account")) << 405
                                << QStringLiteral("METHOD_NOT_ALLOWED");
    QTest::newRow("DELETE sobjects") << QByteArray("DELETE") << kV + QStringLiteral("/sobjects/") << 405
                                     << QStringLiteral("METHOD_NOT_ALLOWED");
    QTest::newRow("query extra parameter")
            << QByteArray("GET") << soqlPath(QStringLiteral("SELECT Id FROM Account")) + QStringLiteral("&limit=5")
            << 400 << QStringLiteral("MALFORMED_QUERY");
    QTest::newRow("describe parameter") << QByteArray("GET") << kV + QStringLiteral("/sobjects/Account/describe?x=1")
                                        << 400 << QStringLiteral("INVALID_PARAMETER_VALUE");
    QTest::newRow("limits parameter") << QByteArray("GET") << kV + QStringLiteral("/limits?verbose=true") << 400
                                      << QStringLiteral("INVALID_PARAMETER_VALUE");
    QTest::newRow("unknown resource") << QByteArray("GET") << kV + QStringLiteral("/search?q=x") << 404
                                      << QStringLiteral("NOT_FOUND");
    QTest::newRow("sobject rows") << QByteArray("GET") << kV + QStringLiteral("/sobjects/Account/001000000000000AAA")
                                  << 404 << QStringLiteral("NOT_FOUND");
    QTest::newRow("unknown path") << QByteArray("GET") << QStringLiteral("/v1/customers") << 404
                                  << QStringLiteral("NOT_FOUND");
}

void TestFakeSalesforce::strictness()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QString, errorCode);
    const Answer a = collect(send(path, "Bearer " + m_tokens.accessToken.toLatin1(), method));
    QCOMPARE(a.status, status);
    QCOMPARE(a.errorCode(), errorCode);
}

void TestFakeSalesforce::requestLog()
{
    get(kV + QStringLiteral("/sobjects/"));
    get(kV + QStringLiteral("/sobjects/Account/describe"));
    get(kV + QStringLiteral("/sobjects/Contact/describe"));
    walk(QStringLiteral("SELECT Id FROM Account"), 200);
    get(soqlPath(QStringLiteral("SELECT Id FROM Account"), QStringLiteral("queryAll")));
    get(kV + QStringLiteral("/limits/"));
    refresh(m_tokens.refreshToken);
    QCOMPARE(m_server->requestCount(Endpoint::DescribeGlobal), 1);
    QCOMPARE(m_server->requestCount(Endpoint::Describe), 2);
    QCOMPARE(m_server->requestCount(Endpoint::Query), 1);
    QCOMPARE(m_server->requestCount(Endpoint::QueryMore), 2);
    QCOMPARE(m_server->requestCount(Endpoint::QueryAll), 1);
    QCOMPARE(m_server->requestCount(Endpoint::Limits), 1);
    QCOMPARE(m_server->requestCount(Endpoint::Token), 1);
    QCOMPARE(m_server->requestCount(), 9);
    const auto log = m_server->requestLog();
    QCOMPARE(log.at(3).soql, QStringLiteral("SELECT Id FROM Account"));
    QCOMPARE(log.at(3).method, QByteArray("GET"));
    QCOMPARE(log.at(3).path, kV + QStringLiteral("/query"));
    QVERIFY(log.at(3).query.startsWith(QLatin1String("q=SELECT")));
    QCOMPARE(log.at(3).status, 200);
    QCOMPARE(log.at(3).endpoint, Endpoint::Query);
    m_server->clearRequests();
    QCOMPARE(m_server->requestCount(), 0);
    QCOMPARE(m_server->requestCount(Endpoint::Describe), 0);
}

void TestFakeSalesforce::injectedFailures()
{
    m_server->failNext(2, 503);
    Answer a = get(kV + QStringLiteral("/limits"));
    QCOMPARE(a.status, 503);
    QCOMPARE(a.errorCode(), QStringLiteral("SERVER_UNAVAILABLE"));
    QCOMPARE(get(kV + QStringLiteral("/limits")).status, 503);
    QCOMPARE(get(kV + QStringLiteral("/limits")).status, 200);

    // Only on queryMore: the first page goes through, the next fails once, then works.
    m_server->failNext(1, 500, Endpoint::QueryMore);
    const QString next
            = get(soqlPath(QStringLiteral("SELECT Id FROM Account")), {{"Sforce-Query-Options", "batchSize=200"}})
                      .json()
                      .value(QStringLiteral("nextRecordsUrl"))
                      .toString();
    a = get(next);
    QCOMPARE(a.status, 500);
    QCOMPARE(a.errorCode(), QStringLiteral("UNKNOWN_EXCEPTION"));
    QCOMPARE(get(next).status, 200);

    m_server->failNext(1, 503, Endpoint::Token);
    QCOMPARE(refresh(m_tokens.refreshToken).status, 503);
    QCOMPARE(refresh(m_tokens.refreshToken).status, 200);
    m_server->failNext(5, 500);
    m_server->clearFaults();
    QCOMPARE(get(kV + QStringLiteral("/limits")).status, 200);
}

void TestFakeSalesforce::hangingReply()
{
    m_server->hangNext(1, Endpoint::Describe);
    QCOMPARE(get(kV + QStringLiteral("/sobjects/")).status, 200);
    QNetworkReply *reply
            = send(kV + QStringLiteral("/sobjects/Account/describe"), "Bearer " + m_tokens.accessToken.toLatin1());
    QTRY_COMPARE(m_server->hangingRequests(), 1);
    QTest::qWait(200);
    QVERIFY(!reply->isFinished());
    QCOMPARE(m_server->requestLog().last().status, 0);
    m_server->releaseHanging();
    QTRY_VERIFY(reply->isFinished()); // an error, or QNAM's one retry of the dropped GET
    reply->deleteLater();
    QCOMPARE(m_server->hangingRequests(), 0);
    QCOMPARE(get(kV + QStringLiteral("/sobjects/Account/describe")).status, 200);
}

void TestFakeSalesforce::populateIsDeterministic()
{
    const QDateTime now(QDate(2026, 4, 1), QTime(0, 0), Qt::UTC);
    FakeSalesforceServer a;
    FakeSalesforceServer b;
    a.setNow(now);
    b.setNow(now);
    const QHash<QString, int> counts {{QStringLiteral("Account"), 20}, {QStringLiteral("Invoice__c"), 3}};
    a.populate(counts, 11);
    b.populate(counts, 11);
    QCOMPARE(a.ids(QStringLiteral("Account")), b.ids(QStringLiteral("Account")));
    QCOMPARE(a.count(QStringLiteral("Invoice__c")), 3);
    QCOMPARE(a.count(QStringLiteral("Contact")),
             FakeSalesforceServer::defaultCounts().value(QStringLiteral("Contact")));
    for (const QString &id : a.ids(QStringLiteral("Account")))
        QCOMPARE(a.record(QStringLiteral("Account"), id), b.record(QStringLiteral("Account"), id));
    // Seeded records were all changed before now, created before changed.
    for (const QString &object : FakeSalesforceServer::queryableObjects()) {
        for (const QString &id : a.ids(object)) {
            const QJsonObject r = a.record(object, id);
            const QString created = r.value(QStringLiteral("CreatedDate")).toString();
            const QString modified = r.value(QStringLiteral("SystemModstamp")).toString();
            QVERIFY(created <= modified);
            QVERIFY(modified < QStringLiteral("2026-04-01T00:00:00.000+0000"));
        }
    }
    // References point at records that exist.
    const QStringList accountIds = a.ids(QStringLiteral("Account"));
    const QSet<QString> accounts(accountIds.cbegin(), accountIds.cend());
    for (const QString &id : a.ids(QStringLiteral("Contact"))) {
        const QJsonValue account = a.record(QStringLiteral("Contact"), id).value(QStringLiteral("AccountId"));
        QVERIFY(account.isNull() || accounts.contains(account.toString()));
    }
}

void TestFakeSalesforce::processLevel()
{
    QProcess process;
    process.setProgram(QStringLiteral(FAKE_UPSTREAM_PATH));
    process.setArguments({QStringLiteral("salesforce"), QStringLiteral("--port"), QStringLiteral("0"),
                          QStringLiteral("--records"), QStringLiteral("Account=7"), QStringLiteral("--seed"),
                          QStringLiteral("3"), QStringLiteral("--client-id"), QStringLiteral("cli-client"),
                          QStringLiteral("--client-secret"), QStringLiteral("cli-secret"), QStringLiteral("--quiet")});
    process.start();
    QTRY_COMPARE(process.state(), QProcess::Running);
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += process.readAllStandardOutput()).contains("refresh token: "), 5000);
    QTRY_VERIFY_WITH_TIMEOUT((out += process.readAllStandardOutput()).count('\n') >= 5, 5000);
    static const QRegularExpression line(QStringLiteral("^listening on http://127\\.0\\.0\\.1:(\\d+)\\n"));
    const QRegularExpressionMatch m = line.match(QString::fromLatin1(out));
    QVERIFY2(m.hasMatch(), out.constData());
    const QString base = QStringLiteral("http://127.0.0.1:") + m.captured(1);
    static const QRegularExpression refreshLine(QStringLiteral("\\nrefresh token: (\\S+)\\n"));
    const QRegularExpressionMatch r = refreshLine.match(QString::fromLatin1(out));
    QVERIFY2(r.hasMatch(), out.constData());

    QNetworkRequest token(QUrl(base + QStringLiteral("/services/oauth2/token")));
    token.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    const Answer t = collect(m_nam.post(token,
                                        form({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                              {QStringLiteral("refresh_token"), r.captured(1)},
                                              {QStringLiteral("client_id"), QStringLiteral("cli-client")},
                                              {QStringLiteral("client_secret"), QStringLiteral("cli-secret")}})));
    QCOMPARE(t.status, 200);
    QCOMPARE(t.json().value(QStringLiteral("instance_url")).toString(), base);
    QNetworkRequest query(QUrl(base + kV + QStringLiteral("/query?q=SELECT+Id+FROM+Account")));
    query.setRawHeader("Authorization",
                       "Bearer " + t.json().value(QStringLiteral("access_token")).toString().toLatin1());
    const Answer a = collect(m_nam.get(query));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.json().value(QStringLiteral("totalSize")).toInt(), 7);

    process.kill();
    QTRY_COMPARE(process.state(), QProcess::NotRunning);
}

QTEST_GUILESS_MAIN(TestFakeSalesforce)
#include "TestFakeSalesforce.moc"
