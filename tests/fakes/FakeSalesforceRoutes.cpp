// FakeSalesforceServer: HTTP handling (dispatch, faults, OAuth, REST auth and limits, describe,
// query, queryMore, limits).

#include "FakeSalesforcePrivate.h"
#include "FakeSalesforceSoql.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QTimeZone>

#include <algorithm>
#include <functional>

namespace tributary::test {

namespace {

using Header = QPair<QByteArray, QByteArray>;
using Endpoint = FakeSalesforceServer::Endpoint;

constexpr qint64 kLocatorIdleMs = 15 * 60 * 1000;
constexpr qint64 kCodeLifetimeMs = 15 * 60 * 1000;
const QByteArray kJson = QByteArrayLiteral("application/json;charset=UTF-8");

using Reply = sf::Reply;

Reply restError(int status, const QString &code, const QString &message)
{
    return {status, sf::errorBody(code, message), {}, kJson};
}

Reply notFound()
{
    return restError(404, QStringLiteral("NOT_FOUND"), QStringLiteral("The requested resource does not exist"));
}

Reply oauthError(const QString &error, const QString &description)
{
    const QJsonObject body {{QStringLiteral("error"), error}, {QStringLiteral("error_description"), description}};
    return {400, QJsonDocument(body).toJson(QJsonDocument::Compact), {}, kJson};
}

Reply json(const QJsonDocument &document)
{
    return {200, document.toJson(QJsonDocument::Compact), {}, kJson};
}

QString decodeComponent(QByteArray raw)
{
    raw.replace('+', ' '); // form and query semantics: a raw '+' is a space
    return QString::fromUtf8(QByteArray::fromPercentEncoding(raw));
}

// name -> value pairs of a form body or a query string, in order.
QList<QPair<QString, QString>> parseForm(const QByteArray &encoded)
{
    QList<QPair<QString, QString>> out;
    if (encoded.isEmpty())
        return out;
    for (const QByteArray &pair : encoded.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        if (eq < 0)
            out.append({decodeComponent(pair), QString()});
        else
            out.append({decodeComponent(pair.left(eq)), decodeComponent(pair.mid(eq + 1))});
    }
    return out;
}

QString formValue(const QList<QPair<QString, QString>> &form, const QString &name)
{
    for (const auto &[k, v] : form) {
        if (k == name)
            return v;
    }
    return {};
}

QByteArray pct(const QString &value)
{
    return QUrl::toPercentEncoding(value);
}

QString versionLabel(int version)
{
    static const char *const seasons[] = {"Winter", "Spring", "Summer"};
    const int k = version - 29;
    return QStringLiteral("%1 '%2").arg(QLatin1String(seasons[k % 3])).arg(14 + k / 3);
}

Endpoint classify(const QString &path)
{
    static const QRegularExpression versioned(QStringLiteral("^/services/data/v[^/]*(/.*)?$"));
    if (path == QLatin1String("/services/oauth2/authorize"))
        return Endpoint::Authorize;
    if (path == QLatin1String("/services/oauth2/token"))
        return Endpoint::Token;
    if (path == QLatin1String("/services/oauth2/revoke"))
        return Endpoint::Revoke;
    if (path.startsWith(QLatin1String("/id/")))
        return Endpoint::Identity;
    if (path == QLatin1String("/services/data") || path == QLatin1String("/services/data/"))
        return Endpoint::Versions;
    const QRegularExpressionMatch m = versioned.match(path);
    if (!m.hasMatch())
        return Endpoint::Other;
    QString rest = m.captured(1);
    while (rest.endsWith(QLatin1Char('/')))
        rest.chop(1);
    if (rest.isEmpty())
        return Endpoint::Resources;
    const QStringList parts = rest.mid(1).split(QLatin1Char('/'));
    if (parts == QStringList {QStringLiteral("sobjects")})
        return Endpoint::DescribeGlobal;
    if (parts.size() == 3 && parts.at(0) == QLatin1String("sobjects") && parts.at(2) == QLatin1String("describe"))
        return Endpoint::Describe;
    if (parts == QStringList {QStringLiteral("query")})
        return Endpoint::Query;
    if (parts == QStringList {QStringLiteral("queryAll")})
        return Endpoint::QueryAll;
    if (parts.size() == 2 && parts.at(0) == QLatin1String("query"))
        return Endpoint::QueryMore;
    if (parts == QStringList {QStringLiteral("limits")})
        return Endpoint::Limits;
    return Endpoint::Other;
}

Reply injected(int status)
{
    if (status == 500)
        return restError(500, QStringLiteral("UNKNOWN_EXCEPTION"),
                         QStringLiteral("An unexpected error occurred. Please include this ErrorId if you contact "
                                        "support: 1733950201-412893 (-1208839470)"));
    if (status == 503)
        return restError(503, QStringLiteral("SERVER_UNAVAILABLE"),
                         QStringLiteral("Server temporarily unavailable, please retry"));
    return restError(status, QStringLiteral("UNKNOWN_EXCEPTION"), QStringLiteral("Injected failure"));
}

// ---- query evaluation

int compareValues(const sf::Field &field, const QJsonValue &stored, const soql::Literal &literal)
{
    const QString &t = field.type;
    if (t == QLatin1String("datetime")) {
        const qint64 a = qint64(stored.toDouble());
        return a < literal.msecs ? -1 : (a > literal.msecs ? 1 : 0);
    }
    if (t == QLatin1String("boolean")) {
        const int a = stored.toBool() ? 1 : 0;
        const int b = literal.boolean ? 1 : 0;
        return a - b;
    }
    if (t == QLatin1String("int") || t == QLatin1String("double") || t == QLatin1String("currency")
        || t == QLatin1String("percent")) {
        const double a = stored.toDouble();
        return a < literal.number ? -1 : (a > literal.number ? 1 : 0);
    }
    if (t == QLatin1String("date"))
        return stored.toString().compare(literal.text);
    if (t == QLatin1String("id") || t == QLatin1String("reference"))
        return stored.toString().left(15).compare(literal.text.left(15));
    return stored.toString().compare(literal.text, Qt::CaseInsensitive);
}

bool evaluate(const sf::Object &object, const soql::Expr &e, const QJsonObject &values)
{
    switch (e.kind) {
    case soql::Expr::Kind::And:
        return std::all_of(e.children.cbegin(), e.children.cend(),
                           [&](const soql::Expr &c) { return evaluate(object, c, values); });
    case soql::Expr::Kind::Or:
        return std::any_of(e.children.cbegin(), e.children.cend(),
                           [&](const soql::Expr &c) { return evaluate(object, c, values); });
    case soql::Expr::Kind::Not:
        return !evaluate(object, e.children.front(), values);
    case soql::Expr::Kind::Compare:
        break;
    }
    const sf::Field *field = object.field(e.field.text);
    const QJsonValue v = values.value(field->name);
    const bool isNull = v.isNull() || v.isUndefined();
    if (e.value.kind == soql::Literal::Kind::Null)
        return e.op == QLatin1String("=") ? isNull : (e.op == QLatin1String("!=") ? !isNull : false);
    if (isNull)
        return e.op == QLatin1String("!=");
    const int c = compareValues(*field, v, e.value);
    if (e.op == QLatin1String("="))
        return c == 0;
    if (e.op == QLatin1String("!="))
        return c != 0;
    if (e.op == QLatin1String("<"))
        return c < 0;
    if (e.op == QLatin1String("<="))
        return c <= 0;
    if (e.op == QLatin1String(">"))
        return c > 0;
    return c >= 0;
}

// The literal kind a field compares with, and its name in Salesforce's message.
QPair<soql::Literal::Kind, QString> literalFor(const sf::Field &field)
{
    const QString &t = field.type;
    if (t == QLatin1String("datetime"))
        return {soql::Literal::Kind::DateTime, QStringLiteral("dateTime")};
    if (t == QLatin1String("date"))
        return {soql::Literal::Kind::Date, QStringLiteral("date")};
    if (t == QLatin1String("boolean"))
        return {soql::Literal::Kind::Boolean, QStringLiteral("boolean")};
    if (t == QLatin1String("int"))
        return {soql::Literal::Kind::Number, QStringLiteral("int")};
    if (t == QLatin1String("double") || t == QLatin1String("currency") || t == QLatin1String("percent"))
        return {soql::Literal::Kind::Number, QStringLiteral("double")};
    return {soql::Literal::Kind::String, QStringLiteral("string")};
}

} // namespace

// ---- dispatch

void FakeSalesforceServer::Private::handle(const FakeRequest &request, FakeResponder responder)
{
    const QString path = request.path();
    const Endpoint endpoint = classify(path);
    LoggedRequest entry;
    entry.method = request.method;
    entry.path = path;
    entry.query = QString::fromUtf8(request.url.query(QUrl::FullyEncoded).toUtf8());
    entry.endpoint = endpoint;
    const auto params = parseForm(request.url.query(QUrl::FullyEncoded).toUtf8());
    if (endpoint == Endpoint::Query || endpoint == Endpoint::QueryAll)
        entry.soql = formValue(params, QStringLiteral("q"));
    log.append(entry);
    const qsizetype logIndex = log.size() - 1;

    const auto takeFault = [endpoint](QList<Fault> &faults) -> std::optional<int> {
        for (qsizetype i = 0; i < faults.size(); ++i) {
            Fault &f = faults[i];
            if (f.only != Endpoint::Any && f.only != endpoint)
                continue;
            const int status = f.status;
            if (--f.remaining <= 0)
                faults.removeAt(i);
            return status;
        }
        return std::nullopt;
    };
    if (takeFault(hangs)) {
        held.append({responder, logIndex});
        return;
    }
    Reply reply;
    if (const auto status = takeFault(failures)) {
        reply = injected(*status);
    } else {
        switch (endpoint) {
        case Endpoint::Authorize:
            reply = authorize(request, params);
            break;
        case Endpoint::Token:
            reply = token(request, params);
            break;
        case Endpoint::Revoke:
            reply = revoke(request, params);
            break;
        case Endpoint::Identity:
            reply = identity(request);
            break;
        case Endpoint::Versions:
            reply = versions(request, params);
            break;
        case Endpoint::Other:
            reply = path.startsWith(QLatin1String("/services/data/v")) ? rest(request, endpoint, params) : notFound();
            break;
        default:
            reply = rest(request, endpoint, params);
            break;
        }
    }
    if (logIndex < log.size())
        log[logIndex].status = reply.status;
    responder.respond(reply.status, reply.body, reply.headers, reply.contentType);
    Q_EMIT q->requestServed(request.method, path, reply.status);
}

// ---- OAuth

FakeSalesforceServer::Private::Reply FakeSalesforceServer::Private::authorize(const FakeRequest &request,
                                                                              const Params &params)
{
    const auto page = [](int status, const QString &text) {
        return Reply {status,
                      QByteArrayLiteral("<html><body>") + text.toHtmlEscaped().toUtf8()
                              + QByteArrayLiteral("</body></html>"),
                      {},
                      QByteArrayLiteral("text/html;charset=UTF-8")};
    };
    if (request.method != "GET")
        return page(405, QStringLiteral("error=invalid_request&error_description=must use HTTP GET"));
    const QString clientId = formValue(params, QStringLiteral("client_id"));
    const QString redirect = formValue(params, QStringLiteral("redirect_uri"));
    const QString state = formValue(params, QStringLiteral("state"));
    const QUrl redirectUrl(redirect, QUrl::StrictMode);
    if (redirect.isEmpty() || !redirectUrl.isValid() || redirectUrl.scheme().isEmpty())
        return page(400, QStringLiteral("error=invalid_request&error_description=redirect_uri missing or invalid"));
    const auto to = [&](const QByteArray &query) {
        QByteArray location = redirectUrl.toEncoded();
        location += redirectUrl.hasQuery() ? '&' : '?';
        location += query;
        if (!state.isEmpty())
            location += "&state=" + pct(state);
        return Reply {302, {}, {{QByteArrayLiteral("Location"), location}}, QByteArrayLiteral("text/html")};
    };
    const auto error = [&](const QString &code, const QString &description) {
        return to("error=" + pct(code) + "&error_description=" + pct(description));
    };
    const auto client = clients.constFind(clientId);
    if (client == clients.cend())
        return error(QStringLiteral("invalid_client_id"), QStringLiteral("client identifier invalid"));
    const bool loopback = redirectUrl.scheme() == QLatin1String("http")
            && (redirectUrl.host() == QLatin1String("127.0.0.1") || redirectUrl.host() == QLatin1String("localhost"));
    if ((client->callback.isEmpty() && !loopback) || (!client->callback.isEmpty() && client->callback != redirectUrl))
        return page(
                400,
                QStringLiteral("error=redirect_uri_mismatch&error_description=redirect_uri must match configuration"));
    if (formValue(params, QStringLiteral("response_type")) != QLatin1String("code"))
        return error(QStringLiteral("unsupported_response_type"), QStringLiteral("response type not supported"));
    const QString challenge = formValue(params, QStringLiteral("code_challenge"));
    const QString method = formValue(params, QStringLiteral("code_challenge_method"));
    static const QRegularExpression base64url(QStringLiteral("^[A-Za-z0-9_-]{43}$"));
    if ((!method.isEmpty() && method != QLatin1String("S256"))
        || (!challenge.isEmpty() && !base64url.match(challenge).hasMatch()))
        return error(QStringLiteral("invalid_request"), QStringLiteral("invalid code_challenge"));
    if (choice == UserChoice::Deny)
        return error(QStringLiteral("access_denied"), QStringLiteral("end-user denied authorization"));
    QString scope = formValue(params, QStringLiteral("scope"));
    if (scope.isEmpty())
        scope = QStringLiteral("api refresh_token");
    const QByteArray raw = QCryptographicHash::hash(
            QByteArray(QString(QString::number(nowMs()) + QString::number(++tokenSerial) + clientId).toUtf8()
                       + QByteArray::number(QRandomGenerator::global()->generate64())),
            QCryptographicHash::Sha256);
    const QString code = QStringLiteral("aPrx") + QString::fromLatin1(raw.toBase64()).chopped(1) + QStringLiteral("=");
    codes.insert(code, {clientId, redirect, challenge, scope, nowMs() + kCodeLifetimeMs});
    return to("code=" + pct(code));
}

FakeSalesforceServer::Private::Reply FakeSalesforceServer::Private::token(const FakeRequest &request,
                                                                          const Params &query)
{
    if (request.method != "POST")
        return oauthError(QStringLiteral("invalid_request"), QStringLiteral("must use HTTP POST"));
    if (!query.isEmpty())
        return oauthError(QStringLiteral("invalid_request"),
                          QStringLiteral("parameters belong in the form-encoded body, not in the URL"));
    if (!request.header("content-type").startsWith("application/x-www-form-urlencoded"))
        return oauthError(QStringLiteral("invalid_request"),
                          QStringLiteral("the body must be application/x-www-form-urlencoded"));
    const Params p = parseForm(request.body);
    const QString grantType = formValue(p, QStringLiteral("grant_type"));
    if (grantType != QLatin1String("authorization_code") && grantType != QLatin1String("refresh_token"))
        return oauthError(QStringLiteral("unsupported_grant_type"), QStringLiteral("grant type not supported"));
    const QString clientId = formValue(p, QStringLiteral("client_id"));
    const auto client = clients.constFind(clientId);
    if (client == clients.cend())
        return oauthError(QStringLiteral("invalid_client_id"), QStringLiteral("client identifier invalid"));
    if (!client->secret.isEmpty() && formValue(p, QStringLiteral("client_secret")) != client->secret)
        return oauthError(QStringLiteral("invalid_client"), QStringLiteral("invalid client credentials"));
    const qint64 issuedMs = nowMs();
    if (grantType == QLatin1String("authorization_code")) {
        const QString codeValue = formValue(p, QStringLiteral("code"));
        const auto code = codes.constFind(codeValue);
        if (codeValue.isEmpty() || code == codes.cend() || code->expiresMs < issuedMs)
            return oauthError(QStringLiteral("invalid_grant"), QStringLiteral("expired authorization code"));
        const Code issued = *code;
        codes.remove(codeValue); // single use, whatever happens next
        if (issued.clientId != clientId)
            return oauthError(QStringLiteral("invalid_grant"), QStringLiteral("authentication failure"));
        if (issued.redirectUri != formValue(p, QStringLiteral("redirect_uri")))
            return oauthError(QStringLiteral("redirect_uri_mismatch"),
                              QStringLiteral("redirect_uri must match configuration"));
        const QString verifier = formValue(p, QStringLiteral("code_verifier"));
        if (!issued.challenge.isEmpty() || !verifier.isEmpty()) {
            const QString expected = QString::fromLatin1(
                    QCryptographicHash::hash(verifier.toUtf8(), QCryptographicHash::Sha256)
                            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
            if (verifier.isEmpty() || issued.challenge.isEmpty() || expected != issued.challenge)
                return oauthError(QStringLiteral("invalid_grant"), QStringLiteral("invalid code verifier"));
        }
        const Tokens t = grant(clientId, issued.scope, {}, true);
        return {200, tokenReply(t, clientId, issued.scope, issuedMs), {}, kJson};
    }
    const QString refresh = formValue(p, QStringLiteral("refresh_token"));
    if (refresh.isEmpty() || refreshTokens.value(refresh) != clientId)
        return oauthError(QStringLiteral("invalid_grant"), QStringLiteral("expired access/refresh token"));
    const Tokens t = grant(clientId, QStringLiteral("api refresh_token"), refresh, rotation);
    return {200, tokenReply(t, clientId, QStringLiteral("api refresh_token"), issuedMs), {}, kJson};
}

QByteArray FakeSalesforceServer::Private::tokenReply(const Tokens &tokens, const QString &clientId,
                                                     const QString &scope, qint64 issuedMs) const
{
    const QString issuedAt = QString::number(issuedMs);
    const QByteArray signature
            = QMessageAuthenticationCode::hash((tokens.id + issuedAt).toUtf8(), clients.value(clientId).secret.toUtf8(),
                                               QCryptographicHash::Sha256)
                      .toBase64();
    QJsonObject out {{QStringLiteral("access_token"), tokens.accessToken},
                     {QStringLiteral("signature"), QString::fromLatin1(signature)},
                     {QStringLiteral("scope"), scope},
                     {QStringLiteral("instance_url"), tokens.instanceUrl},
                     {QStringLiteral("id"), tokens.id},
                     {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                     {QStringLiteral("issued_at"), issuedAt}};
    if (!tokens.refreshToken.isEmpty())
        out.insert(QStringLiteral("refresh_token"), tokens.refreshToken);
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

FakeSalesforceServer::Private::Reply FakeSalesforceServer::Private::revoke(const FakeRequest &request,
                                                                           const Params &query)
{
    if (request.method != "POST")
        return oauthError(QStringLiteral("invalid_request"), QStringLiteral("must use HTTP POST"));
    Params p = parseForm(request.body);
    p.append(query);
    const QString token = formValue(p, QStringLiteral("token"));
    if (refreshTokens.contains(token)) {
        q->revokeRefreshToken(token);
        return {200, {}, {}, kJson};
    }
    if (accessTokens.remove(token))
        return {200, {}, {}, kJson};
    return oauthError(QStringLiteral("unsupported_token_type"), QStringLiteral("this token type is not supported"));
}

FakeSalesforceServer::Private::Reply FakeSalesforceServer::Private::identity(const FakeRequest &request)
{
    const QString token = bearer(request);
    if (token.isEmpty() || !q->isValidAccessToken(token))
        return {403, QByteArrayLiteral("Bad_OAuth_Token"), {}, QByteArrayLiteral("text/plain;charset=UTF-8")};
    if (request.method != "GET")
        return {405, QByteArrayLiteral("Method Not Allowed"), {}, QByteArrayLiteral("text/plain;charset=UTF-8")};
    if (request.path() != QStringLiteral("/id/") + orgId + QLatin1Char('/') + userId)
        return {404, QByteArrayLiteral("Bad_Id"), {}, QByteArrayLiteral("text/plain;charset=UTF-8")};
    const QString base = q->baseUrl().toString();
    const QString v = QStringLiteral("/services/data/v{version}/");
    return json(QJsonDocument(
            QJsonObject {{QStringLiteral("id"), QString(base + request.path())},
                         {QStringLiteral("asserted_user"), true},
                         {QStringLiteral("user_id"), userId},
                         {QStringLiteral("organization_id"), orgId},
                         {QStringLiteral("username"), q->username()},
                         {QStringLiteral("nick_name"), q->username().section(QLatin1Char('@'), 0, 0)},
                         {QStringLiteral("display_name"), QStringLiteral("Tributary Admin")},
                         {QStringLiteral("email"), q->username()},
                         {QStringLiteral("active"), true},
                         {QStringLiteral("user_type"), QStringLiteral("STANDARD")},
                         {QStringLiteral("language"), QStringLiteral("en_US")},
                         {QStringLiteral("locale"), QStringLiteral("en_US")},
                         {QStringLiteral("utcOffset"), 0},
                         {QStringLiteral("last_modified_date"), sf::formatDateTime(nowMs() / 1000 * 1000)},
                         {QStringLiteral("urls"),
                          QJsonObject {{QStringLiteral("rest"), QString(base + v)},
                                       {QStringLiteral("sobjects"), QString(base + v + QStringLiteral("sobjects/"))},
                                       {QStringLiteral("query"), QString(base + v + QStringLiteral("query/"))},
                                       {QStringLiteral("limits"), QString(base + v + QStringLiteral("limits/"))}}}}));
}

// ---- REST

QString FakeSalesforceServer::Private::bearer(const FakeRequest &request)
{
    const QByteArray header = request.header("authorization");
    for (const QByteArray &scheme : {QByteArrayLiteral("Bearer "), QByteArrayLiteral("OAuth ")}) {
        if (header.startsWith(scheme))
            return QString::fromUtf8(header.mid(scheme.size()).trimmed());
    }
    return {};
}

FakeSalesforceServer::Private::Reply FakeSalesforceServer::Private::versions(const FakeRequest &request,
                                                                             const Params &params)
{
    if (request.method != "GET")
        return restError(405, QStringLiteral("METHOD_NOT_ALLOWED"),
                         QStringLiteral("HTTP Method '%1' not allowed. Allowed are GET,HEAD")
                                 .arg(QString::fromLatin1(request.method)));
    if (!params.isEmpty())
        return restError(
                400, QStringLiteral("INVALID_PARAMETER_VALUE"),
                QStringLiteral("Unexpected parameter '%1': this resource takes none").arg(params.first().first));
    QJsonArray out;
    for (int v = 29; v <= sf::kNewestVersion; ++v)
        out.append(QJsonObject {{QStringLiteral("label"), versionLabel(v)},
                                {QStringLiteral("url"), QStringLiteral("/services/data/v%1.0").arg(v)},
                                {QStringLiteral("version"), QStringLiteral("%1.0").arg(v)}});
    return json(QJsonDocument(out));
}

FakeSalesforceServer::Private::Reply FakeSalesforceServer::Private::rest(const FakeRequest &request, Endpoint endpoint,
                                                                         const Params &params)
{
    static const QRegularExpression versioned(QStringLiteral("^/services/data/v(\\d+)\\.0(/.*)?$"));
    const QRegularExpressionMatch m = versioned.match(request.path());
    if (!m.hasMatch() || m.captured(1).toInt() < 29 || m.captured(1).startsWith(QLatin1Char('0')))
        return notFound();
    const QString version = QStringLiteral("v") + m.captured(1) + QStringLiteral(".0");

    const QString token = bearer(request);
    if (token.isEmpty() || !q->isValidAccessToken(token)) {
        accessTokens.remove(token);
        Reply r = restError(401, QStringLiteral("INVALID_SESSION_ID"), QStringLiteral("Session expired or invalid"));
        r.headers.append({QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Token")});
        return r;
    }
    accessTokens[token].lastUsedMs = nowMs();

    const qint64 day = nowMs() / (86400LL * 1000);
    if (day != usageDay) {
        usageDay = day;
        used = 0;
    }
    Reply reply;
    if (apiDisabled) {
        reply = restError(403, QStringLiteral("API_DISABLED_FOR_ORG"),
                          QStringLiteral("The REST API is not enabled for this Organization."));
    } else if (used >= dailyMax) {
        reply = restError(403, QStringLiteral("REQUEST_LIMIT_EXCEEDED"),
                          QStringLiteral("TotalRequests Limit exceeded."));
    } else {
        ++used;
        reply = resource(request, endpoint, params, version);
    }
    reply.headers.append(
            {QByteArrayLiteral("Sforce-Limit-Info"),
             QByteArrayLiteral("api-usage=") + QByteArray::number(used) + '/' + QByteArray::number(dailyMax)});
    return reply;
}

FakeSalesforceServer::Private::Reply FakeSalesforceServer::Private::resource(const FakeRequest &request,
                                                                             Endpoint endpoint, const Params &params,
                                                                             const QString &version)
{
    if (endpoint == Endpoint::Other)
        return notFound();
    if (request.method != "GET")
        return restError(405, QStringLiteral("METHOD_NOT_ALLOWED"),
                         QStringLiteral("HTTP Method '%1' not allowed. Allowed are GET,HEAD")
                                 .arg(QString::fromLatin1(request.method)));
    const bool isQuery = endpoint == Endpoint::Query || endpoint == Endpoint::QueryAll;
    for (const auto &[name, value] : params) {
        Q_UNUSED(value)
        if (isQuery && name == QLatin1String("q"))
            continue;
        if (isQuery || endpoint == Endpoint::QueryMore)
            return restError(
                    400, QStringLiteral("MALFORMED_QUERY"),
                    endpoint == Endpoint::QueryMore
                            ? QStringLiteral("Unexpected parameter '%1': nextRecordsUrl takes no parameters").arg(name)
                            : QStringLiteral("Unexpected parameter '%1': only q is accepted").arg(name));
        return restError(400, QStringLiteral("INVALID_PARAMETER_VALUE"),
                         QStringLiteral("Unexpected parameter '%1': this resource takes none").arg(name));
    }
    const QString base = QStringLiteral("/services/data/") + version;
    switch (endpoint) {
    case Endpoint::Resources:
        return json(
                QJsonDocument(QJsonObject {{QStringLiteral("sobjects"), QString(base + QStringLiteral("/sobjects"))},
                                           {QStringLiteral("query"), QString(base + QStringLiteral("/query"))},
                                           {QStringLiteral("queryAll"), QString(base + QStringLiteral("/queryAll"))},
                                           {QStringLiteral("limits"), QString(base + QStringLiteral("/limits"))}}));
    case Endpoint::DescribeGlobal: {
        QJsonArray objects;
        for (const sf::Object &o : sf::schema()) {
            if (!hiddenObjects.contains(o.name))
                objects.append(o.describeGlobal(version));
        }
        return json(QJsonDocument(QJsonObject {{QStringLiteral("encoding"), QStringLiteral("UTF-8")},
                                               {QStringLiteral("maxBatchSize"), 200},
                                               {QStringLiteral("sobjects"), objects}}));
    }
    case Endpoint::Describe: {
        const QString name = request.path().section(QLatin1Char('/'), 5, 5);
        const sf::Object *o = sf::object(name);
        if (!o || hiddenObjects.contains(o->name))
            return notFound();
        QJsonObject out = o->describeGlobal(version);
        QJsonArray fields;
        const QSet<QString> hiddenFields = hidden.value(o->name);
        for (const sf::Field &f : o->fields) {
            if (!hiddenFields.contains(f.name))
                fields.append(f.describe());
        }
        out.insert(QStringLiteral("fields"), fields);
        out.insert(QStringLiteral("childRelationships"), QJsonArray());
        out.insert(QStringLiteral("recordTypeInfos"), QJsonArray());
        out.insert(QStringLiteral("supportedScopes"), QJsonArray());
        out.insert(QStringLiteral("sobjectDescribeOption"), QStringLiteral("FULL"));
        return json(QJsonDocument(out));
    }
    case Endpoint::Limits: {
        const auto pair = [](int max, int remaining) {
            return QJsonObject {{QStringLiteral("Max"), max}, {QStringLiteral("Remaining"), remaining}};
        };
        return json(QJsonDocument(
                QJsonObject {{QStringLiteral("DailyApiRequests"), pair(dailyMax, qMax(0, dailyMax - used))},
                             {QStringLiteral("DailyBulkApiRequests"), pair(10000, 10000)},
                             {QStringLiteral("DailyAsyncApexExecutions"), pair(250000, 250000)},
                             {QStringLiteral("DataStorageMB"), pair(5, 5)},
                             {QStringLiteral("FileStorageMB"), pair(20, 20)}}));
    }
    case Endpoint::Query:
    case Endpoint::QueryAll:
        return query(request, formValue(params, QStringLiteral("q")), endpoint == Endpoint::QueryAll, version);
    case Endpoint::QueryMore:
        return queryMore(request, version);
    default:
        return notFound();
    }
}

int FakeSalesforceServer::Private::batchSize(const FakeRequest &request, int fallback)
{
    const QByteArray header = request.header("sforce-query-options");
    for (const QByteArray &part : header.split(',')) {
        const QList<QByteArray> kv = part.trimmed().split('=');
        if (kv.size() == 2 && kv.at(0).trimmed().compare("batchSize", Qt::CaseInsensitive) == 0) {
            bool ok = false;
            const int n = kv.at(1).trimmed().toInt(&ok);
            if (ok)
                return std::clamp(n, 200, 2000);
        }
    }
    return fallback;
}

FakeSalesforceServer::Private::Reply
FakeSalesforceServer::Private::query(const FakeRequest &request, const QString &text, bool all, const QString &version)
{
    if (text.trimmed().isEmpty())
        return restError(400, QStringLiteral("MALFORMED_QUERY"), QStringLiteral("A query string has to be specified"));
    const auto parsed = soql::parse(text);
    if (const auto *error = std::get_if<soql::Error>(&parsed))
        return restError(400, QStringLiteral("MALFORMED_QUERY"),
                         soql::positioned(text, error->column) + error->message);
    const soql::Query &qy = std::get<soql::Query>(parsed);

    const sf::Object *object = sf::object(qy.object.text);
    if (!object || hiddenObjects.contains(object->name))
        return restError(400, QStringLiteral("INVALID_TYPE"),
                         soql::positioned(text, qy.object.column)
                                 + QStringLiteral("sObject type '%1' is not supported. If you are attempting to use a "
                                                  "custom object, be sure to append the '__c' after the entity name. "
                                                  "Please reference your WSDL or the describe call for the "
                                                  "appropriate names.")
                                           .arg(qy.object.text));
    if (!object->queryable)
        return restError(400, QStringLiteral("INVALID_TYPE_FOR_OPERATION"),
                         soql::positioned(text, qy.object.column)
                                 + QStringLiteral("entity type %1 does not support query").arg(object->name));
    const QSet<QString> hiddenFields = hidden.value(object->name);
    // The field a name means, or an error reply.
    const auto resolve = [&](const soql::Name &name, const sf::Field **out) -> std::optional<Reply> {
        if (name.text.contains(QLatin1Char('.')))
            return restError(
                    400, QStringLiteral("MALFORMED_QUERY"),
                    soql::positioned(text, name.column)
                            + QStringLiteral("the fake does not support relationship fields: '%1'").arg(name.text));
        const sf::Field *f = object->field(name.text);
        if (!f || hiddenFields.contains(f->name))
            return restError(400, QStringLiteral("INVALID_FIELD"),
                             soql::positioned(text, name.column)
                                     + QStringLiteral("No such column '%1' on entity '%2'. If you are attempting to "
                                                      "use a custom field, be sure to append the '__c' after the "
                                                      "custom field name. Please reference your WSDL or the describe "
                                                      "call for the appropriate names.")
                                               .arg(name.text, object->name));
        *out = f;
        return std::nullopt;
    };
    QList<const sf::Field *> selected;
    for (const soql::Name &name : qy.fields) {
        const sf::Field *f = nullptr;
        if (auto error = resolve(name, &f))
            return *error;
        if (selected.contains(f))
            return restError(400, QStringLiteral("MALFORMED_QUERY"),
                             soql::positioned(text, name.column)
                                     + QStringLiteral("duplicate field selected: %1").arg(f->name));
        selected.append(f);
    }
    // WHERE: names, filterability and literal types.
    std::function<std::optional<Reply>(const soql::Expr &)> check = [&](const soql::Expr &e) -> std::optional<Reply> {
        if (e.kind != soql::Expr::Kind::Compare) {
            for (const soql::Expr &c : e.children) {
                if (auto error = check(c))
                    return error;
            }
            return std::nullopt;
        }
        const sf::Field *f = nullptr;
        if (auto error = resolve(e.field, &f))
            return error;
        if (!f->filterable)
            return restError(400, QStringLiteral("INVALID_FIELD"),
                             soql::positioned(text, e.field.column)
                                     + QStringLiteral("field '%1' can not be filtered in a query call").arg(f->name));
        const auto [kind, typeName] = literalFor(*f);
        if (e.value.kind != soql::Literal::Kind::Null && e.value.kind != kind) {
            const bool quoted = kind == soql::Literal::Kind::String;
            return restError(400, QStringLiteral("INVALID_FIELD"),
                             soql::positioned(text, e.value.column)
                                     + QStringLiteral("value of filter criterion for field '%1' must be of type %2 and "
                                                      "should %3be enclosed in quotes")
                                               .arg(f->name, typeName, quoted ? QString() : QStringLiteral("not ")));
        }
        return std::nullopt;
    };
    if (qy.where) {
        if (auto error = check(*qy.where))
            return *error;
    }
    QList<QPair<const sf::Field *, soql::OrderItem>> order;
    for (const soql::OrderItem &item : qy.orderBy) {
        const sf::Field *f = nullptr;
        if (auto error = resolve(item.field, &f))
            return *error;
        if (!f->sortable)
            return restError(400, QStringLiteral("INVALID_FIELD"),
                             soql::positioned(text, item.field.column)
                                     + QStringLiteral("field '%1' can not be sorted in a query call").arg(f->name));
        order.append({f, item});
    }

    purge();
    QList<const Record *> rows;
    const Table &table = tables[object->name];
    for (const Record &r : table.records) {
        if (r.deleted() && !all)
            continue;
        if (qy.where && !evaluate(*object, *qy.where, r.values))
            continue;
        rows.append(&r);
    }
    if (!order.isEmpty()) {
        std::stable_sort(rows.begin(), rows.end(), [&](const Record *a, const Record *b) {
            for (const auto &[field, item] : order) {
                const QJsonValue va = a->values.value(field->name);
                const QJsonValue vb = b->values.value(field->name);
                const bool na = va.isNull() || va.isUndefined();
                const bool nb = vb.isNull() || vb.isUndefined();
                if (na || nb) {
                    if (na && nb)
                        continue;
                    return na ? item.nullsFirst : !item.nullsFirst;
                }
                soql::Literal literal;
                literal.text = vb.toString();
                literal.number = vb.toDouble();
                literal.msecs = qint64(vb.toDouble());
                literal.boolean = vb.toBool();
                const int c = compareValues(*field, va, literal);
                if (c != 0)
                    return item.descending ? c > 0 : c < 0;
            }
            return false;
        });
    }
    if (qy.limit && rows.size() > *qy.limit)
        rows.resize(*qy.limit);

    Locator locator;
    locator.batchSize = batchSize(request, 2000);
    locator.lastUsedMs = nowMs();
    for (const Record *r : rows) {
        const QString id = r->values.value(QStringLiteral("Id")).toString();
        QJsonObject out {
                {QStringLiteral("attributes"),
                 QJsonObject {{QStringLiteral("type"), object->name},
                              {QStringLiteral("url"),
                               QString(QStringLiteral("/services/data/") + version + QStringLiteral("/sobjects/")
                                       + object->name + QLatin1Char('/') + id)}}}};
        for (const sf::Field *f : selected)
            out.insert(f->name, sf::apiValue(*object, *f, r->values));
        locator.records.append(out);
    }
    QString locatorId;
    if (locator.records.size() > locator.batchSize) {
        locatorId = sf::makeId(QStringLiteral("01g"), 238328 + locatorSerial++ * 104729);
        locators.insert(locatorId, locator);
    }
    return page(locator, locatorId, 0, locator.batchSize, version);
}

FakeSalesforceServer::Private::Reply FakeSalesforceServer::Private::queryMore(const FakeRequest &request,
                                                                              const QString &version)
{
    const QString last = request.path().section(QLatin1Char('/'), 5, 5);
    const qsizetype dash = last.lastIndexOf(QLatin1Char('-'));
    const QString id = dash > 0 ? last.left(dash) : QString();
    bool ok = false;
    const qsizetype offset = dash > 0 ? last.mid(dash + 1).toLongLong(&ok) : 0;
    const Reply invalid
            = restError(400, QStringLiteral("INVALID_QUERY_LOCATOR"), QStringLiteral("invalid query locator"));
    locators.removeIf([this](const auto &it) { return it.value().lastUsedMs + kLocatorIdleMs < nowMs(); });
    auto it = locators.find(id);
    if (!ok || it == locators.end() || offset <= 0 || offset >= it->records.size())
        return invalid;
    it->lastUsedMs = nowMs();
    return page(*it, id, offset, batchSize(request, it->batchSize), version);
}

FakeSalesforceServer::Private::Reply FakeSalesforceServer::Private::page(const Locator &locator,
                                                                         const QString &locatorId, qsizetype offset,
                                                                         int size, const QString &version)
{
    QJsonArray records;
    const qsizetype end = qMin(locator.records.size(), offset + size);
    for (qsizetype i = offset; i < end; ++i)
        records.append(locator.records.at(i));
    const bool done = end >= locator.records.size();
    QJsonObject out {{QStringLiteral("totalSize"), int(locator.records.size())},
                     {QStringLiteral("done"), done},
                     {QStringLiteral("records"), records}};
    if (!done)
        out.insert(QStringLiteral("nextRecordsUrl"),
                   QString(QStringLiteral("/services/data/") + version + QStringLiteral("/query/") + locatorId
                           + QLatin1Char('-') + QString::number(end)));
    return json(QJsonDocument(out));
}

} // namespace tributary::test
