#include "FakeOAuthServer.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QUrlQuery>

namespace tributary::test {

namespace {

QByteArray oauthError(const QString &error, const QString &description)
{
    return QJsonDocument(
                   QJsonObject {{QStringLiteral("error"), error}, {QStringLiteral("error_description"), description}})
            .toJson(QJsonDocument::Compact);
}

QString randomToken(const QString &prefix)
{
    QByteArray bytes(24, Qt::Uninitialized);
    for (char &c : bytes)
        c = char(QRandomGenerator::global()->bounded(256));
    return prefix + QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QHash<QString, QString> bodyParameters(const FakeRequest &request)
{
    QHash<QString, QString> out;
    if (request.header("content-type").startsWith("application/json")) {
        const QJsonObject json = QJsonDocument::fromJson(request.body).object();
        for (auto it = json.begin(); it != json.end(); ++it)
            out.insert(it.key(), it.value().toString());
        return out;
    }
    QByteArray body = request.body;
    body.replace('+', ' ');
    const QUrlQuery query(QString::fromLatin1(body));
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded))
        out.insert(name, value);
    return out;
}

} // namespace

FakeOAuthServer::FakeOAuthServer(QObject *parent) : QObject(parent)
{
    m_http.setHandler([this](const FakeRequest &request, FakeResponder responder) { handle(request, responder); });
}

FakeOAuthServer::~FakeOAuthServer() = default;

bool FakeOAuthServer::listen()
{
    return m_http.listen();
}

QUrl FakeOAuthServer::baseUrl() const
{
    return m_http.baseUrl();
}

QUrl FakeOAuthServer::authorizeUrl() const
{
    QUrl url = baseUrl();
    url.setPath(QStringLiteral("/oauth/authorize"));
    return url;
}

QUrl FakeOAuthServer::tokenUrl() const
{
    QUrl url = baseUrl();
    url.setPath(QStringLiteral("/oauth/token"));
    return url;
}

void FakeOAuthServer::addClient(const QString &clientId, const QString &clientSecret)
{
    m_clients.insert(clientId, clientSecret);
}

void FakeOAuthServer::handle(const FakeRequest &request, FakeResponder responder)
{
    // The generic paths, Salesforce's and Zendesk's.
    static const QStringList authorizePaths {QStringLiteral("/oauth/authorize"),
                                             QStringLiteral("/services/oauth2/authorize"),
                                             QStringLiteral("/oauth/authorizations/new")};
    static const QStringList tokenPaths {QStringLiteral("/oauth/token"), QStringLiteral("/services/oauth2/token"),
                                         QStringLiteral("/oauth/tokens")};
    if (request.method == "GET" && authorizePaths.contains(request.path()))
        return authorize(request, responder);
    if (request.method == "POST" && tokenPaths.contains(request.path()))
        return token(request, responder);
    responder.respond(404, "not found", {}, "text/plain");
}

void FakeOAuthServer::authorize(const FakeRequest &request, FakeResponder responder)
{
    const QUrlQuery query = request.query();
    auto param = [&query](const char *name) { return query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded); };
    const QString clientId = param("client_id");
    const QUrl redirectUri(param("redirect_uri"), QUrl::StrictMode);
    if (!m_clients.contains(clientId) || !redirectUri.isValid() || redirectUri.host() != QLatin1String("127.0.0.1")) {
        // No redirect for an unknown client or a redirect URI nobody registered: an error page.
        responder.respond(400, "<html><body>error=invalid_client_id: client identifier invalid</body></html>", {},
                          "text/html");
        return;
    }
    QUrl target = redirectUri;
    if (!m_redirectPath.isEmpty())
        target.setPath(m_redirectPath);
    QUrlQuery answer;
    auto redirect = [&]() {
        answer.addQueryItem(
                QStringLiteral("state"),
                QString::fromLatin1(QUrl::toPercentEncoding(m_forgedState.isEmpty() ? param("state") : m_forgedState)));
        target.setQuery(answer);
        responder.respond(302, {}, {{QByteArrayLiteral("Location"), target.toEncoded()}}, "text/html");
    };
    if (param("response_type") != QLatin1String("code")) {
        answer.addQueryItem(QStringLiteral("error"), QStringLiteral("unsupported_response_type"));
        return redirect();
    }
    if (!m_registeredRedirectUri.isEmpty() && redirectUri != m_registeredRedirectUri) {
        answer.addQueryItem(QStringLiteral("error"), QStringLiteral("redirect_uri_mismatch"));
        answer.addQueryItem(QStringLiteral("error_description"),
                            QStringLiteral("redirect_uri%20must%20match%20configuration"));
        return redirect();
    }
    if (param("code_challenge").isEmpty() || param("code_challenge_method") != QLatin1String("S256")) {
        answer.addQueryItem(QStringLiteral("error"), QStringLiteral("invalid_request"));
        answer.addQueryItem(QStringLiteral("error_description"),
                            QStringLiteral("PKCE%20with%20S256%20is%20required%20for%20this%20client"));
        return redirect();
    }
    switch (m_choice) {
    case UserChoice::Ignore:
        responder.respond(200, "<html><body><form>Log in to the fake</form></body></html>", {}, "text/html");
        return;
    case UserChoice::Deny:
        answer.addQueryItem(QStringLiteral("error"), QStringLiteral("access_denied"));
        answer.addQueryItem(QStringLiteral("error_description"), QStringLiteral("end-user%20denied%20authorization"));
        return redirect();
    case UserChoice::Allow:
        break;
    }
    // Shaped like Salesforce's codes ("aPrx...==", base64): '/', '+' and '=' must survive the
    // redirect's percent-encoding and the token request's.
    const QString code = randomToken(QStringLiteral("aPrx/")) + QStringLiteral("+9/Z==");
    const QString challenge
            = m_corruptChallenge ? QStringLiteral("x") + param("code_challenge").mid(1) : param("code_challenge");
    m_codes.insert(code, {clientId, redirectUri.toString(), challenge, QDateTime::currentDateTimeUtc().addSecs(120)});
    answer.addQueryItem(QStringLiteral("code"), QString::fromLatin1(QUrl::toPercentEncoding(code)));
    redirect();
}

void FakeOAuthServer::token(const FakeRequest &request, FakeResponder responder)
{
    ++m_tokenRequests;
    const QHash<QString, QString> p = bodyParameters(request);
    m_lastTokenRequest = p;
    const QString clientId = p.value(QStringLiteral("client_id"));
    const auto client = m_clients.constFind(clientId);
    if (client == m_clients.cend() || (!client->isEmpty() && p.value(QStringLiteral("client_secret")) != *client))
        return responder.respondJson(
                400, oauthError(QStringLiteral("invalid_client"), QStringLiteral("invalid client credentials")));
    const QString grant = p.value(QStringLiteral("grant_type"));
    if (grant == QLatin1String("authorization_code")) {
        const QString codeValue = p.value(QStringLiteral("code"));
        const auto code = m_codes.constFind(codeValue);
        if (code == m_codes.cend() || code->expiresAt < QDateTime::currentDateTimeUtc())
            return responder.respondJson(
                    400, oauthError(QStringLiteral("invalid_grant"), QStringLiteral("expired authorization code")));
        const Code issued = *code;
        m_codes.remove(codeValue); // single use, whatever happens next
        if (issued.clientId != clientId || issued.redirectUri != p.value(QStringLiteral("redirect_uri")))
            return responder.respondJson(
                    400, oauthError(QStringLiteral("invalid_grant"), QStringLiteral("redirect_uri mismatch")));
        const QString verifier = p.value(QStringLiteral("code_verifier"));
        if (verifier.isEmpty())
            return responder.respondJson(
                    400, oauthError(QStringLiteral("invalid_grant"), QStringLiteral("code_verifier missing")));
        const QString challenge = QString::fromLatin1(
                QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
                        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        if (challenge != issued.challenge)
            return responder.respondJson(
                    400, oauthError(QStringLiteral("invalid_grant"), QStringLiteral("invalid code verifier")));
        return responder.respondJson(200, issueTokens(clientId, {}));
    }
    if (grant == QLatin1String("refresh_token")) {
        const QString refresh = p.value(QStringLiteral("refresh_token"));
        if (m_refreshTokens.value(refresh) != clientId || refresh.isEmpty())
            return responder.respondJson(
                    400, oauthError(QStringLiteral("invalid_grant"), QStringLiteral("expired access/refresh token")));
        return responder.respondJson(200, issueTokens(clientId, refresh));
    }
    responder.respondJson(
            400, oauthError(QStringLiteral("unsupported_grant_type"), QStringLiteral("grant type not supported")));
}

QByteArray FakeOAuthServer::issueTokens(const QString &clientId, const QString &oldRefreshToken)
{
    const QString access = randomToken(QStringLiteral("00Dfake!AT%1.").arg(++m_serial));
    m_accessTokens.insert(access);
    QJsonObject json {{QStringLiteral("access_token"), access},
                      {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                      {QStringLiteral("scope"), QStringLiteral("api refresh_token")},
                      {QStringLiteral("issued_at"), QString::number(QDateTime::currentMSecsSinceEpoch())}};
    if (m_expiresIn > 0)
        json.insert(QStringLiteral("expires_in"), m_expiresIn);
    if (!m_instanceUrl.isEmpty())
        json.insert(QStringLiteral("instance_url"), m_instanceUrl.toString());
    if (oldRefreshToken.isEmpty() || m_rotate) {
        m_refreshTokens.remove(oldRefreshToken);
        const QString refresh = randomToken(QStringLiteral("5Aep8RT%1.").arg(m_serial));
        m_refreshTokens.insert(refresh, clientId);
        json.insert(QStringLiteral("refresh_token"), refresh);
    }
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

std::function<bool(const QUrl &)> FakeOAuthServer::browser()
{
    if (!m_browser) {
        m_browser = new QNetworkAccessManager(this);
        m_browser->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    }
    return [this](const QUrl &url) {
        QNetworkReply *reply = m_browser->get(QNetworkRequest(url));
        connect(reply, &QNetworkReply::finished, this, [this, reply] {
            m_browserStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            m_browserUrl = reply->url();
            reply->deleteLater();
        });
        return true;
    };
}

} // namespace tributary::test
