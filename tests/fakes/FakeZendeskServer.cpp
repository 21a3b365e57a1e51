#include "FakeZendeskServer.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QRandomGenerator>
#include <QUrlQuery>

#include <algorithm>

namespace tributary::test {

namespace {

const QStringList kExports {QStringLiteral("tickets"), QStringLiteral("users"), QStringLiteral("organizations"),
                            QStringLiteral("ticket_events")};
const QStringList kLists {QStringLiteral("groups"),
                          QStringLiteral("ticket_fields"),
                          QStringLiteral("ticket_forms"),
                          QStringLiteral("satisfaction_ratings"),
                          QStringLiteral("group_memberships"),
                          QStringLiteral("organization_memberships"),
                          QStringLiteral("ticket_metrics")};

QString iso(qint64 unix)
{
    return QDateTime::fromSecsSinceEpoch(unix, Qt::UTC).toString(Qt::ISODate);
}

QJsonObject error(const QString &code, const QString &description)
{
    return {{QStringLiteral("error"), code}, {QStringLiteral("description"), description}};
}

QString encodeCursor(qint64 time, qint64 id)
{
    return QString::fromLatin1(QStringLiteral("%1|%2").arg(time).arg(id).toLatin1().toBase64(
            QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool decodeCursor(const QString &cursor, qint64 *time, qint64 *id)
{
    const QString text = QString::fromLatin1(QByteArray::fromBase64(
            cursor.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors));
    const QStringList parts = text.split(QLatin1Char('|'));
    if (parts.size() != 2)
        return false;
    bool a = false;
    bool b = false;
    *time = parts.at(0).toLongLong(&a);
    *id = parts.at(1).toLongLong(&b);
    return a && b;
}

// The route below /api/v2/, without ".json": "incremental/tickets/cursor", "groups"...
QString routeOf(const QString &path)
{
    if (!path.startsWith(QLatin1String("/api/v2/")))
        return {};
    QString route = path.mid(8);
    if (route.endsWith(QLatin1String(".json")))
        route.chop(5);
    return route;
}

} // namespace

qint64 FakeZendeskServer::Limiter::take(qint64 nowMs)
{
    if (requests <= 0)
        return 0;
    while (!sent.empty() && sent.front() + windowMs <= nowMs)
        sent.pop_front();
    if (int(sent.size()) >= requests)
        return sent.front() + windowMs - nowMs;
    sent.push_back(nowMs);
    return 0;
}

int FakeZendeskServer::Limiter::remaining(qint64 nowMs)
{
    while (!sent.empty() && sent.front() + windowMs <= nowMs)
        sent.pop_front();
    return std::max(0, requests - int(sent.size()));
}

FakeZendeskServer::FakeZendeskServer(QObject *parent) : QObject(parent)
{
    m_clock.start();
    m_incremental.requests = 10;
    m_account.requests = 700;
    m_http.setHandler([this](const FakeRequest &request, FakeResponder responder) { handle(request, responder); });
}

FakeZendeskServer::~FakeZendeskServer() = default;

bool FakeZendeskServer::listen(quint16 port)
{
    return m_http.listen(port);
}

quint16 FakeZendeskServer::port() const
{
    return m_http.port();
}

QUrl FakeZendeskServer::baseUrl() const
{
    return m_http.baseUrl();
}

QStringList FakeZendeskServer::resources()
{
    return kExports + kLists;
}

void FakeZendeskServer::addUser(const QString &email, const QString &apiToken, const QString &role)
{
    m_basic.insert(email + QStringLiteral("/token:") + apiToken, {role, {QStringLiteral("read")}, email});
}

void FakeZendeskServer::addOAuthToken(const QString &token, const QString &role, const QStringList &scopes)
{
    m_bearer.insert(token, {role, scopes, QStringLiteral("oauth@example.com")});
}

void FakeZendeskServer::addOAuthClient(const QString &clientId, const QString &clientSecret)
{
    m_oauthClients.insert(clientId, clientSecret);
}

QString FakeZendeskServer::issueRefreshToken(const QString &clientId, const QString &role)
{
    const QString token = QStringLiteral("zdr_%1_%2").arg(++m_tokenSerial).arg(QRandomGenerator::global()->generate());
    m_refreshTokens.insert(token, clientId + QLatin1Char('\n') + role);
    return token;
}

void FakeZendeskServer::expireAccessTokens()
{
    for (const QString &token : std::as_const(m_issuedAccessTokens))
        m_bearer.remove(token);
    m_issuedAccessTokens.clear();
}

void FakeZendeskServer::authorize(const FakeRequest &request, FakeResponder &responder)
{
    const QUrlQuery query = request.query();
    const auto page = [&](const QString &why) {
        responder.respond(400, QStringLiteral("<h1>Invalid authorization request</h1><p>%1</p>").arg(why).toUtf8(), {},
                          QByteArrayLiteral("text/html; charset=utf-8"));
    };
    static const QStringList known {QStringLiteral("response_type"),
                                    QStringLiteral("client_id"),
                                    QStringLiteral("redirect_uri"),
                                    QStringLiteral("scope"),
                                    QStringLiteral("state"),
                                    QStringLiteral("code_challenge"),
                                    QStringLiteral("code_challenge_method")};
    for (const auto &[key, value] : query.queryItems()) {
        if (!known.contains(key))
            return page(QStringLiteral("Unknown parameter ") + key);
    }
    const QString clientId = query.queryItemValue(QStringLiteral("client_id"), QUrl::FullyDecoded);
    if (!m_oauthClients.contains(clientId))
        return page(QStringLiteral("The client is not registered."));
    const QUrl redirect(query.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
    if (!redirect.isValid() || redirect.scheme() != QLatin1String("http")
        || (redirect.host() != QLatin1String("127.0.0.1") && redirect.host() != QLatin1String("localhost")))
        return page(QStringLiteral("The redirect URL is not registered for this client."));
    if (query.queryItemValue(QStringLiteral("response_type")) != QLatin1String("code")
        || !query.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded)
                    .split(QLatin1Char(' '))
                    .contains(QStringLiteral("read"))
        || query.queryItemValue(QStringLiteral("code_challenge_method")) != QLatin1String("S256")
        || query.queryItemValue(QStringLiteral("code_challenge")).size() < 43)
        return page(QStringLiteral("response_type=code, scope read and an S256 code_challenge are required."));
    QUrlQuery answer;
    if (!m_userAllows) {
        answer.addQueryItem(QStringLiteral("error"), QStringLiteral("access_denied"));
        answer.addQueryItem(QStringLiteral("error_description"),
                            QStringLiteral("The end-user or authorization server denied the request."));
    } else {
        const QString code
                = QStringLiteral("zdc_%1_%2").arg(++m_tokenSerial).arg(QRandomGenerator::global()->generate());
        m_codes.insert(code,
                       {clientId, redirect.toString(), query.queryItemValue(QStringLiteral("code_challenge")),
                        QDateTime::currentMSecsSinceEpoch() + 120000});
        answer.addQueryItem(QStringLiteral("code"), code);
    }
    const QString state = query.queryItemValue(QStringLiteral("state"), QUrl::FullyEncoded);
    if (!state.isEmpty())
        answer.addQueryItem(QStringLiteral("state"), state);
    QUrl target = redirect;
    target.setQuery(answer.query(QUrl::FullyEncoded), QUrl::StrictMode);
    responder.respond(302, QByteArray(), {{QByteArrayLiteral("Location"), target.toEncoded()}},
                      QByteArrayLiteral("text/html"));
}

QJsonObject FakeZendeskServer::issueTokenPair(const QString &clientId, const QString &role)
{
    const QString refresh = issueRefreshToken(clientId, role);
    const QString access = QStringLiteral("zda_%1_%2").arg(++m_tokenSerial).arg(QRandomGenerator::global()->generate());
    addOAuthToken(access, role);
    m_issuedAccessTokens.insert(access);
    return {{QStringLiteral("access_token"), access},
            {QStringLiteral("token_type"), QStringLiteral("bearer")},
            {QStringLiteral("scope"), QStringLiteral("read")},
            {QStringLiteral("refresh_token"), refresh},
            {QStringLiteral("expires_in"), m_accessTokenLifetime},
            {QStringLiteral("refresh_token_expires_in"), 2592000}};
}

void FakeZendeskServer::token(const FakeRequest &request, FakeResponder &responder)
{
    ++m_tokenRequests;
    QHash<QString, QString> params;
    if (request.header("content-type").startsWith("application/json")) {
        const QJsonObject json = QJsonDocument::fromJson(request.body).object();
        for (auto it = json.begin(); it != json.end(); ++it)
            params.insert(it.key(), it.value().toString());
    } else {
        const QUrlQuery form(QString::fromUtf8(request.body).replace(QLatin1Char('+'), QLatin1Char(' ')));
        for (const auto &[key, value] : form.queryItems(QUrl::FullyDecoded))
            params.insert(key, value);
    }
    const auto fail = [&](const QString &code, const QString &description) {
        reply(responder, request, 400,
              {{QStringLiteral("error"), code}, {QStringLiteral("error_description"), description}});
    };
    const QString invalidGrant
            = QStringLiteral("The provided authorization grant or refresh token is invalid, expired, revoked, does "
                             "not match the redirection URI used in the authorization request, or was issued to "
                             "another client.");
    const QString clientId = params.value(QStringLiteral("client_id"));
    if (!m_oauthClients.contains(clientId)
        || m_oauthClients.value(clientId) != params.value(QStringLiteral("client_secret")))
        return fail(QStringLiteral("invalid_client"),
                    QStringLiteral("Client authentication failed due to unknown client, no client authentication "
                                   "included, or unsupported authentication method."));
    const QString grant = params.value(QStringLiteral("grant_type"));
    if (grant == QLatin1String("authorization_code")) {
        const Code code = m_codes.take(params.value(QStringLiteral("code"))); // single use
        const QByteArray verifier = params.value(QStringLiteral("code_verifier")).toLatin1();
        const QString challenge = QString::fromLatin1(
                QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
                        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        if (code.clientId != clientId || code.expiresAtMs < QDateTime::currentMSecsSinceEpoch()
            || code.redirectUri != params.value(QStringLiteral("redirect_uri")) || verifier.isEmpty()
            || challenge != code.challenge)
            return fail(QStringLiteral("invalid_grant"), invalidGrant);
        reply(responder, request, 200, issueTokenPair(clientId, m_signInRole));
        return;
    }
    if (grant != QLatin1String("refresh_token"))
        return fail(QStringLiteral("unsupported_grant_type"),
                    QStringLiteral("The authorization grant type is not supported by the authorization server."));
    const QString old = params.value(QStringLiteral("refresh_token"));
    const QStringList owner = m_refreshTokens.value(old).split(QLatin1Char('\n'));
    if (owner.size() != 2 || owner.first() != clientId)
        return fail(QStringLiteral("invalid_grant"), invalidGrant);
    m_refreshTokens.remove(old);
    reply(responder, request, 200, issueTokenPair(clientId, owner.last()));
}

qint64 FakeZendeskServer::now() const
{
    return m_fixedNow ? *m_fixedNow + m_offset : QDateTime::currentSecsSinceEpoch() + m_offset;
}

void FakeZendeskServer::setNow(qint64 unixSeconds)
{
    m_fixedNow = unixSeconds;
    m_offset = 0;
}

void FakeZendeskServer::advance(qint64 seconds)
{
    m_offset += seconds;
}

void FakeZendeskServer::setIncrementalLimit(int requests, int windowMs)
{
    m_incremental.requests = requests;
    m_incremental.windowMs = windowMs;
    m_incremental.sent.clear();
}

void FakeZendeskServer::setAccountLimit(int requests, int windowMs)
{
    m_account.requests = requests;
    m_account.windowMs = windowMs;
    m_account.sent.clear();
}

void FakeZendeskServer::resetLimiters()
{
    m_incremental.sent.clear();
    m_account.sent.clear();
}

void FakeZendeskServer::injectEmptyPage(const QString &resource)
{
    m_emptyPages.insert(resource);
}

int FakeZendeskServer::requestCount(const QString &pathPrefix) const
{
    int n = 0;
    for (const FakeRequest &r : m_http.requests())
        n += r.path().startsWith(pathPrefix) ? 1 : 0;
    return n;
}

void FakeZendeskServer::clearRequests()
{
    m_http.clearRequests();
    m_rateLimited = 0;
}

qint64 FakeZendeskServer::nextId(const QString &resource)
{
    static const QHash<QString, qint64> starts {
            {QStringLiteral("tickets"), 1},
            {QStringLiteral("users"), 3000},
            {QStringLiteral("organizations"), 1000},
            {QStringLiteral("ticket_events"), 9000000},
            {QStringLiteral("groups"), 2000},
            {QStringLiteral("ticket_fields"), 360000},
            {QStringLiteral("ticket_forms"), 50},
            {QStringLiteral("satisfaction_ratings"), 8000000},
            {QStringLiteral("group_memberships"), 6000},
            {QStringLiteral("organization_memberships"), 4000000},
            {QStringLiteral("ticket_metrics"), 7000000},
    };
    auto it = m_nextIds.find(resource);
    if (it == m_nextIds.end())
        it = m_nextIds.insert(resource, starts.value(resource, 1));
    return (*it)++;
}

FakeZendeskServer::Record *FakeZendeskServer::find(const QString &resource, qint64 id)
{
    for (Record &r : m_store[resource]) {
        if (r.data.value(QStringLiteral("id")).toInteger() == id && !r.gone)
            return &r;
    }
    return nullptr;
}

void FakeZendeskServer::addTicketEvent(const QJsonObject &ticket, const QString &type, qint64 at)
{
    const qint64 id = nextId(QStringLiteral("ticket_events"));
    const QJsonObject event {
            {QStringLiteral("id"), id},
            {QStringLiteral("ticket_id"), ticket.value(QStringLiteral("id"))},
            {QStringLiteral("timestamp"), at},
            {QStringLiteral("created_at"), iso(at)},
            {QStringLiteral("updater_id"), ticket.value(QStringLiteral("assignee_id"))},
            {QStringLiteral("via"), QStringLiteral("Web form")},
            {QStringLiteral("event_type"), type},
            {QStringLiteral("child_events"),
             QJsonArray {QJsonObject {{QStringLiteral("id"), id * 10},
                                      {QStringLiteral("event_type"), type},
                                      {QStringLiteral("status"), ticket.value(QStringLiteral("status"))}}}}};
    m_store[QStringLiteral("ticket_events")].append({event, at, false});
}

void FakeZendeskServer::populate(int tickets, int users, int organizations, int groups, quint32 seed)
{
    m_store.clear();
    m_nextIds.clear();
    QRandomGenerator rng(seed);
    const qint64 start = now() - 200 * 86400;
    const qint64 end = now() - 300;
    qint64 last = start;
    // Times rising through the history; about one record in six shares the second before it.
    const auto tick = [&]() {
        if (rng.bounded(6) != 0)
            last = std::min(end, last + 1 + rng.bounded(qint64(3600)));
        return last;
    };
    QList<qint64> orgIds;
    for (int i = 0; i < organizations; ++i) {
        const qint64 t = start + rng.bounded(qint64(86400));
        const qint64 id = nextId(QStringLiteral("organizations"));
        orgIds.append(id);
        const QJsonObject o {{QStringLiteral("id"), id},
                             {QStringLiteral("name"), QStringLiteral("Organization %1").arg(i + 1)},
                             {QStringLiteral("domain_names"), QJsonArray {QStringLiteral("org%1.example").arg(i + 1)}},
                             {QStringLiteral("details"), QString()},
                             {QStringLiteral("shared_tickets"), rng.bounded(2) == 0},
                             {QStringLiteral("tags"), QJsonArray {}},
                             {QStringLiteral("organization_fields"),
                              QJsonObject {{QStringLiteral("tier"),
                                            rng.bounded(3) == 0 ? QStringLiteral("gold") : QStringLiteral("silver")}}},
                             {QStringLiteral("created_at"), iso(t)},
                             {QStringLiteral("updated_at"), iso(t)},
                             {QStringLiteral("deleted_at"), QJsonValue::Null}};
        m_store[QStringLiteral("organizations")].append({o, t, false});
    }
    QList<qint64> groupIds;
    for (int i = 0; i < groups; ++i) {
        const qint64 id = nextId(QStringLiteral("groups"));
        groupIds.append(id);
        const QJsonObject g {{QStringLiteral("id"), id},
                             {QStringLiteral("name"), QStringLiteral("Group %1").arg(i + 1)},
                             {QStringLiteral("description"), QString()},
                             {QStringLiteral("default"), i == 0},
                             {QStringLiteral("deleted"), false},
                             {QStringLiteral("is_public"), true},
                             {QStringLiteral("created_at"), iso(start)},
                             {QStringLiteral("updated_at"), iso(start)}};
        m_store[QStringLiteral("groups")].append({g, start, false});
    }
    QList<qint64> agentIds;
    QList<qint64> endUserIds;
    for (int i = 0; i < users; ++i) {
        const qint64 t = start + 86400 + rng.bounded(qint64(86400));
        const qint64 id = nextId(QStringLiteral("users"));
        const QString role
                = i == 0 ? QStringLiteral("admin") : (i < 6 ? QStringLiteral("agent") : QStringLiteral("end-user"));
        (role == QLatin1String("end-user") ? endUserIds : agentIds).append(id);
        QJsonObject u {{QStringLiteral("id"), id},
                       {QStringLiteral("name"), QStringLiteral("User %1").arg(i + 1)},
                       {QStringLiteral("email"), QStringLiteral("user%1@example.com").arg(i + 1)},
                       {QStringLiteral("role"), role},
                       {QStringLiteral("active"), true},
                       {QStringLiteral("verified"), true},
                       {QStringLiteral("time_zone"), QStringLiteral("Europe/Berlin")},
                       {QStringLiteral("locale"), QStringLiteral("en-US")},
                       {QStringLiteral("organization_id"),
                        orgIds.isEmpty() || rng.bounded(4) == 0
                                ? QJsonValue(QJsonValue::Null)
                                : QJsonValue(orgIds.at(rng.bounded(int(orgIds.size()))))},
                       {QStringLiteral("user_fields"), QJsonObject {{QStringLiteral("plan"), QStringLiteral("basic")}}},
                       {QStringLiteral("tags"), QJsonArray {}},
                       {QStringLiteral("created_at"), iso(t)},
                       {QStringLiteral("updated_at"), iso(t)}};
        m_store[QStringLiteral("users")].append({u, t, false});
        if (!u.value(QStringLiteral("organization_id")).isNull()) {
            m_store[QStringLiteral("organization_memberships")].append(
                    {QJsonObject {{QStringLiteral("id"), nextId(QStringLiteral("organization_memberships"))},
                                  {QStringLiteral("user_id"), id},
                                  {QStringLiteral("organization_id"), u.value(QStringLiteral("organization_id"))},
                                  {QStringLiteral("default"), true},
                                  {QStringLiteral("created_at"), iso(t)},
                                  {QStringLiteral("updated_at"), iso(t)}},
                     t, false});
        }
        if (role != QLatin1String("end-user") && !groupIds.isEmpty()) {
            m_store[QStringLiteral("group_memberships")].append(
                    {QJsonObject {{QStringLiteral("id"), nextId(QStringLiteral("group_memberships"))},
                                  {QStringLiteral("user_id"), id},
                                  {QStringLiteral("group_id"), groupIds.at(rng.bounded(int(groupIds.size())))},
                                  {QStringLiteral("default"), true},
                                  {QStringLiteral("created_at"), iso(t)},
                                  {QStringLiteral("updated_at"), iso(t)}},
                     t, false});
        }
    }
    static const char *const types[] = {"text", "checkbox", "dropdown", "integer", "date", "decimal"};
    for (int i = 0; i < 8; ++i) {
        m_store[QStringLiteral("ticket_fields")].append(
                {QJsonObject {{QStringLiteral("id"), nextId(QStringLiteral("ticket_fields"))},
                              {QStringLiteral("type"), QString::fromLatin1(types[i % 6])},
                              {QStringLiteral("title"), QStringLiteral("Field %1").arg(i + 1)},
                              {QStringLiteral("active"), i != 7},
                              {QStringLiteral("required"), false},
                              {QStringLiteral("created_at"), iso(start)},
                              {QStringLiteral("updated_at"), iso(start)}},
                 start, false});
    }
    for (int i = 0; i < 3; ++i) {
        m_store[QStringLiteral("ticket_forms")].append(
                {QJsonObject {{QStringLiteral("id"), nextId(QStringLiteral("ticket_forms"))},
                              {QStringLiteral("name"), QStringLiteral("Form %1").arg(i + 1)},
                              {QStringLiteral("active"), true},
                              {QStringLiteral("default"), i == 0},
                              {QStringLiteral("ticket_field_ids"), QJsonArray {360000, 360001}},
                              {QStringLiteral("created_at"), iso(start)},
                              {QStringLiteral("updated_at"), iso(start)}},
                 start, false});
    }
    last = start + 2 * 86400;
    // The clock is borrowed to stamp the history: created and changed in the past.
    const std::optional<qint64> savedNow = m_fixedNow;
    const qint64 savedOffset = m_offset;
    m_offset = 0;
    static const char *const statuses[] = {"new", "open", "pending", "solved", "closed", "solved"};
    for (int i = 0; i < tickets; ++i) {
        const qint64 created = tick();
        QJsonObject fields {{QStringLiteral("status"), QString::fromLatin1(statuses[rng.bounded(6)])}};
        if (!endUserIds.isEmpty())
            fields.insert(QStringLiteral("requester_id"), endUserIds.at(rng.bounded(int(endUserIds.size()))));
        if (!agentIds.isEmpty())
            fields.insert(QStringLiteral("assignee_id"), agentIds.at(rng.bounded(int(agentIds.size()))));
        if (!groupIds.isEmpty())
            fields.insert(QStringLiteral("group_id"), groupIds.at(rng.bounded(int(groupIds.size()))));
        m_fixedNow = created;
        const QJsonObject ticket = create(QStringLiteral("tickets"), fields);
        if (rng.bounded(2) == 0) {
            // A later change, with its own event.
            m_fixedNow = tick();
            update(QStringLiteral("tickets"), ticket.value(QStringLiteral("id")).toInteger(),
                   {{QStringLiteral("priority"), QStringLiteral("high")}});
        }
    }
    m_fixedNow = savedNow;
    m_offset = savedOffset;
}

QJsonObject FakeZendeskServer::create(const QString &resource, const QJsonObject &fields)
{
    if (!resources().contains(resource) || resource == QLatin1String("ticket_events"))
        return {};
    const qint64 t = now();
    const qint64 id = nextId(resource);
    QJsonObject o {
            {QStringLiteral("id"), id}, {QStringLiteral("created_at"), iso(t)}, {QStringLiteral("updated_at"), iso(t)}};
    if (resource == QLatin1String("tickets")) {
        o.insert(QStringLiteral("subject"), QStringLiteral("Ticket %1").arg(id));
        o.insert(QStringLiteral("description"), QStringLiteral("Something is not working."));
        o.insert(QStringLiteral("status"), QStringLiteral("new"));
        o.insert(QStringLiteral("priority"), QStringLiteral("normal"));
        o.insert(QStringLiteral("type"), QStringLiteral("question"));
        o.insert(QStringLiteral("tags"), QJsonArray {QStringLiteral("fake")});
        o.insert(QStringLiteral("via"),
                 QJsonObject {{QStringLiteral("channel"), QStringLiteral("email")},
                              {QStringLiteral("source"), QJsonObject {{QStringLiteral("rel"), QJsonValue::Null}}}});
        o.insert(
                QStringLiteral("custom_fields"),
                QJsonArray {QJsonObject {{QStringLiteral("id"), 360000}, {QStringLiteral("value"), QJsonValue::Null}}});
        o.insert(QStringLiteral("generated_timestamp"), t);
    } else if (resource == QLatin1String("users")) {
        o.insert(QStringLiteral("name"), QStringLiteral("User %1").arg(id));
        o.insert(QStringLiteral("email"), QStringLiteral("user.%1@example.com").arg(id));
        o.insert(QStringLiteral("role"), QStringLiteral("end-user"));
        o.insert(QStringLiteral("active"), true);
    } else if (resource == QLatin1String("organizations")) {
        o.insert(QStringLiteral("name"), QStringLiteral("Organization %1").arg(id));
        o.insert(QStringLiteral("deleted_at"), QJsonValue::Null);
    } else if (resource == QLatin1String("groups")) {
        o.insert(QStringLiteral("name"), QStringLiteral("Group %1").arg(id));
        o.insert(QStringLiteral("deleted"), false);
    }
    for (auto it = fields.begin(); it != fields.end(); ++it)
        o.insert(it.key(), it.value());
    m_store[resource].append({o, t, false});
    if (resource == QLatin1String("tickets")) {
        addTicketEvent(o, QStringLiteral("Create"), t);
        m_store[QStringLiteral("ticket_metrics")].append(
                {QJsonObject {{QStringLiteral("id"), nextId(QStringLiteral("ticket_metrics"))},
                              {QStringLiteral("ticket_id"), id},
                              {QStringLiteral("reopens"), 0},
                              {QStringLiteral("replies"), int(id % 4)},
                              {QStringLiteral("reply_time_in_minutes"),
                               QJsonObject {{QStringLiteral("calendar"), int(id % 90)},
                                            {QStringLiteral("business"), int(id % 60)}}},
                              {QStringLiteral("created_at"), iso(t)},
                              {QStringLiteral("updated_at"), iso(t)}},
                 t, false});
        const QString status = o.value(QStringLiteral("status")).toString();
        if ((status == QLatin1String("solved") || status == QLatin1String("closed")) && id % 3 == 0) {
            m_store[QStringLiteral("satisfaction_ratings")].append(
                    {QJsonObject {
                             {QStringLiteral("id"), nextId(QStringLiteral("satisfaction_ratings"))},
                             {QStringLiteral("ticket_id"), id},
                             {QStringLiteral("score"), id % 2 == 0 ? QStringLiteral("good") : QStringLiteral("bad")},
                             {QStringLiteral("requester_id"), o.value(QStringLiteral("requester_id"))},
                             {QStringLiteral("created_at"), iso(t)},
                             {QStringLiteral("updated_at"), iso(t)}},
                     t, false});
        }
    }
    return o;
}

bool FakeZendeskServer::update(const QString &resource, qint64 id, const QJsonObject &changes)
{
    Record *r = find(resource, id);
    if (!r || resource == QLatin1String("ticket_events") || changes.contains(QStringLiteral("id")))
        return false;
    const qint64 t = now();
    for (auto it = changes.begin(); it != changes.end(); ++it)
        r->data.insert(it.key(), it.value());
    r->data.insert(QStringLiteral("updated_at"), iso(t));
    r->changedAt = t;
    if (resource == QLatin1String("tickets")) {
        r->data.insert(QStringLiteral("generated_timestamp"), t);
        addTicketEvent(r->data, QStringLiteral("Change"), t);
    }
    return true;
}

bool FakeZendeskServer::remove(const QString &resource, qint64 id)
{
    if (resource == QLatin1String("tickets"))
        return update(resource, id, {{QStringLiteral("status"), QStringLiteral("deleted")}});
    if (resource == QLatin1String("users"))
        return update(resource, id, {{QStringLiteral("active"), false}});
    if (resource == QLatin1String("organizations"))
        return update(resource, id, {{QStringLiteral("deleted_at"), iso(now())}});
    if (resource == QLatin1String("groups"))
        return update(resource, id, {{QStringLiteral("deleted"), true}});
    Record *r = find(resource, id);
    if (!r || resource == QLatin1String("ticket_events"))
        return false;
    r->gone = true;
    return true;
}

QList<const FakeZendeskServer::Record *> FakeZendeskServer::visible(const QString &resource) const
{
    QList<const Record *> out;
    const auto list = m_store.constFind(resource);
    if (list == m_store.cend())
        return out;
    for (const Record &r : *list) {
        if (!r.gone)
            out.append(&r);
    }
    return out;
}

QList<QJsonObject> FakeZendeskServer::objects(const QString &resource) const
{
    QList<const Record *> records = visible(resource);
    std::sort(records.begin(), records.end(), [](const Record *a, const Record *b) {
        return a->data.value(QStringLiteral("id")).toInteger() < b->data.value(QStringLiteral("id")).toInteger();
    });
    QList<QJsonObject> out;
    for (const Record *r : std::as_const(records))
        out.append(r->data);
    return out;
}

std::optional<FakeZendeskServer::Identity>
FakeZendeskServer::authenticate(const FakeRequest &request, int *status, QJsonObject *body,
                                QList<QPair<QByteArray, QByteArray>> *headers) const
{
    const QByteArray authorization = request.header("authorization").trimmed();
    if (authorization.startsWith("Bearer ")) {
        const QString token = QString::fromLatin1(authorization.mid(7).trimmed());
        if (m_bearer.contains(token))
            return m_bearer.value(token);
        *status = 401;
        *body = {{QStringLiteral("error"), QStringLiteral("invalid_token")},
                 {QStringLiteral("error_description"),
                  QStringLiteral("The access token provided is expired, revoked, malformed or invalid for other "
                                 "reasons.")}};
        return std::nullopt;
    }
    if (authorization.startsWith("Basic ")) {
        const QString credentials = QString::fromUtf8(QByteArray::fromBase64(authorization.mid(6).trimmed()));
        if (m_basic.contains(credentials))
            return m_basic.value(credentials);
    }
    *status = 401;
    *body = {{QStringLiteral("error"), QStringLiteral("Couldn't authenticate you")}};
    headers->append({QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Basic realm=\"Web Password\"")});
    return std::nullopt;
}

void FakeZendeskServer::reply(FakeResponder &responder, const FakeRequest &request, int status, const QJsonObject &body,
                              QList<QPair<QByteArray, QByteArray>> headers)
{
    headers.append({QByteArrayLiteral("Date"),
                    QLocale::c()
                            .toString(QDateTime::fromSecsSinceEpoch(now(), Qt::UTC),
                                      QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
                            .toLatin1()});
    headers.append({QByteArrayLiteral("X-Zendesk-Request-Id"),
                    QByteArray::number(quint64(QRandomGenerator::global()->generate64() % 1000000000ULL))});
    if (status == 429)
        ++m_rateLimited;
    responder.respond(status, QJsonDocument(body).toJson(QJsonDocument::Compact), headers);
    Q_EMIT requestServed(request.method, request.path(), status);
}

void FakeZendeskServer::handle(const FakeRequest &request, FakeResponder responder)
{
    if (request.path() == QLatin1String("/oauth/tokens") && request.method == "POST") {
        token(request, responder);
        return;
    }
    if (request.path() == QLatin1String("/oauth/authorizations/new") && request.method == "GET") {
        authorize(request, responder);
        return;
    }
    QString route = routeOf(request.path());
    const bool incremental = route.startsWith(QLatin1String("incremental/"));
    QString resource;
    if (route == QLatin1String("incremental/tickets/cursor"))
        resource = QStringLiteral("tickets");
    else if (route == QLatin1String("incremental/users/cursor"))
        resource = QStringLiteral("users");
    else if (route == QLatin1String("incremental/organizations"))
        resource = QStringLiteral("organizations");
    else if (route == QLatin1String("incremental/ticket_events"))
        resource = QStringLiteral("ticket_events");
    else if (kLists.contains(route))
        resource = route;
    else if (route != QLatin1String("users/me"))
        route.clear();
    if (request.method != "GET" || route.isEmpty()) {
        reply(responder, request, 404, error(QStringLiteral("InvalidEndpoint"), QStringLiteral("Not found")));
        return;
    }
    int status = 200;
    QJsonObject body;
    QList<QPair<QByteArray, QByteArray>> headers;
    const auto identity = authenticate(request, &status, &body, &headers);
    if (!identity) {
        reply(responder, request, status, body, headers);
        return;
    }
    if (!identity->scopes.contains(QLatin1String("read"))) {
        reply(responder, request, 403,
              error(QStringLiteral("Forbidden"),
                    QStringLiteral("You are missing the following required scopes: read")));
        return;
    }
    if (identity->role != QLatin1String("admin") && (incremental || route == QLatin1String("satisfaction_ratings"))) {
        reply(responder, request, 403,
              {{QStringLiteral("error"),
                QJsonObject {{QStringLiteral("title"), QStringLiteral("Forbidden")},
                             {QStringLiteral("message"),
                              QStringLiteral("You do not have access to this page. Please contact the account owner "
                                             "of this help desk for further help.")}}}});
        return;
    }
    const qint64 nowMs = m_clock.elapsed();
    const auto rateHeaders = [&] {
        return QList<QPair<QByteArray, QByteArray>> {
                {QByteArrayLiteral("X-Rate-Limit"), QByteArray::number(m_account.requests)},
                {QByteArrayLiteral("X-Rate-Limit-Remaining"), QByteArray::number(m_account.remaining(nowMs))}};
    };
    if (const qint64 wait = m_account.take(nowMs); wait > 0) {
        auto h = rateHeaders();
        h.append({QByteArrayLiteral("Retry-After"), QByteArray::number(std::max<qint64>(1, (wait + 999) / 1000))});
        reply(responder, request, 429,
              error(QStringLiteral("APIRateLimitExceeded"),
                    QStringLiteral("Number of allowed API requests per minute exceeded")),
              h);
        return;
    }
    if (incremental) {
        if (const qint64 wait = m_incremental.take(nowMs); wait > 0) {
            auto h = rateHeaders();
            h.append({QByteArrayLiteral("Retry-After"), QByteArray::number(std::max<qint64>(1, (wait + 999) / 1000))});
            reply(responder, request, 429,
                  error(QStringLiteral("APIRateLimitExceeded"),
                        QStringLiteral("Number of allowed incremental export API requests per minute exceeded")),
                  h);
            return;
        }
    }
    QUrlQuery query; // decoded names: "page[size]" however the client encoded it
    for (const auto &[name, value] : QUrlQuery(request.url).queryItems(QUrl::FullyDecoded))
        query.addQueryItem(name, value);
    if (route == QLatin1String("users/me")) {
        if (!query.isEmpty()) {
            reply(responder, request, 400,
                  error(QStringLiteral("InvalidParameter"), QStringLiteral("Unknown parameter")), rateHeaders());
            return;
        }
        body = {{QStringLiteral("user"),
                 QJsonObject {{QStringLiteral("id"), 1},
                              {QStringLiteral("email"), identity->email},
                              {QStringLiteral("role"), identity->role}}}};
    } else if (resource == QLatin1String("tickets") || resource == QLatin1String("users")) {
        body = cursorExport(resource, query, &status);
    } else if (incremental) {
        body = timeExport(resource, query, &status);
    } else {
        body = list(resource, request.path(), query, &status);
    }
    reply(responder, request, status, body, rateHeaders());
}

QJsonObject FakeZendeskServer::cursorExport(const QString &resource, const QUrlQuery &query, int *status)
{
    QStringList allowed {QStringLiteral("start_time"), QStringLiteral("cursor"), QStringLiteral("per_page")};
    if (resource == QLatin1String("tickets"))
        allowed << QStringLiteral("support_type_scope") << QStringLiteral("exclude_deleted");
    int perPage = 1000;
    if (auto refused = checkExportQuery(query, allowed, &perPage, status))
        return *refused;
    const bool hasCursor = query.hasQueryItem(QStringLiteral("cursor"));
    const bool hasStart = query.hasQueryItem(QStringLiteral("start_time"));
    if (hasCursor == hasStart) {
        *status = 400;
        return error(QStringLiteral("InvalidValue"), QStringLiteral("Give either start_time or cursor"));
    }
    qint64 posTime = 0;
    qint64 posId = -1;
    if (hasCursor) {
        if (!decodeCursor(query.queryItemValue(QStringLiteral("cursor")), &posTime, &posId)) {
            *status = 400;
            return error(QStringLiteral("InvalidCursor"), QStringLiteral("The cursor is invalid"));
        }
    } else {
        bool ok = false;
        posTime = query.queryItemValue(QStringLiteral("start_time")).toLongLong(&ok);
        if (!ok || posTime < 0) {
            *status = 400;
            return error(QStringLiteral("InvalidValue"), QStringLiteral("start_time must be a unix time"));
        }
        if (posTime > now() - 60) {
            *status = 422;
            return error(QStringLiteral("InvalidValue"),
                         QStringLiteral("Too recent start_time. Use a start_time older than 1 minute"));
        }
    }
    const qint64 cutoff = now() - 60;
    QList<const Record *> eligible;
    for (const Record *r : visible(resource)) {
        const qint64 id = r->data.value(QStringLiteral("id")).toInteger();
        if (r->changedAt <= cutoff && (r->changedAt > posTime || (r->changedAt == posTime && id > posId)))
            eligible.append(r);
    }
    std::sort(eligible.begin(), eligible.end(), [](const Record *a, const Record *b) {
        return std::pair(a->changedAt, a->data.value(QStringLiteral("id")).toInteger())
                < std::pair(b->changedAt, b->data.value(QStringLiteral("id")).toInteger());
    });
    QJsonArray page;
    qint64 lastTime = posTime;
    qint64 lastId = posId;
    qsizetype taken = 0;
    if (!m_emptyPages.remove(resource)) {
        for (; taken < eligible.size() && taken < perPage; ++taken) {
            page.append(eligible.at(taken)->data);
            lastTime = eligible.at(taken)->changedAt;
            lastId = eligible.at(taken)->data.value(QStringLiteral("id")).toInteger();
        }
    }
    const QString after = encodeCursor(lastTime, lastId);
    const QString path = resource == QLatin1String("tickets") ? QStringLiteral("tickets") : QStringLiteral("users");
    const QString afterUrl
            = baseUrl().toString() + QStringLiteral("/api/v2/incremental/%1/cursor.json?cursor=%2").arg(path, after);
    const bool endOfStream = taken >= eligible.size();
    return {{resource, page},
            {QStringLiteral("after_cursor"), after},
            {QStringLiteral("after_url"), afterUrl},
            {QStringLiteral("before_cursor"), QJsonValue::Null},
            {QStringLiteral("before_url"), QJsonValue::Null},
            {QStringLiteral("end_of_stream"), endOfStream}};
}

// The parameters an incremental export takes: only those allowed, per_page 1..1000 (default
// 1000). The error body to answer when they are not (with *status set), or nothing.
std::optional<QJsonObject> FakeZendeskServer::checkExportQuery(const QUrlQuery &query, const QStringList &allowed,
                                                               int *perPage, int *status)
{
    for (const auto &[name, value] : query.queryItems()) {
        if (!allowed.contains(name)) {
            *status = 400;
            return error(QStringLiteral("InvalidParameter"), QStringLiteral("Unknown parameter: %1").arg(name));
        }
    }
    if (query.hasQueryItem(QStringLiteral("per_page"))) {
        bool ok = false;
        *perPage = query.queryItemValue(QStringLiteral("per_page")).toInt(&ok);
        if (!ok || *perPage < 1 || *perPage > 1000) {
            *status = 400;
            return error(QStringLiteral("InvalidPaginationParameter"),
                         QStringLiteral("per_page must be between 1 and 1000"));
        }
    }
    return std::nullopt;
}

QJsonObject FakeZendeskServer::timeExport(const QString &resource, const QUrlQuery &query, int *status)
{
    QStringList allowed {QStringLiteral("start_time"), QStringLiteral("per_page")};
    if (resource == QLatin1String("ticket_events"))
        allowed << QStringLiteral("include");
    int perPage = 1000;
    if (auto refused = checkExportQuery(query, allowed, &perPage, status))
        return *refused;
    bool ok = false;
    const qint64 start = query.queryItemValue(QStringLiteral("start_time")).toLongLong(&ok);
    if (!ok || start < 0) {
        *status = 400;
        return error(QStringLiteral("InvalidValue"), QStringLiteral("start_time is required"));
    }
    if (start > now() - 60) {
        *status = 422;
        return error(QStringLiteral("InvalidValue"),
                     QStringLiteral("Too recent start_time. Use a start_time older than 1 minute"));
    }
    const qint64 cutoff = now() - 60;
    QList<const Record *> eligible;
    for (const Record *r : visible(resource)) {
        if (r->changedAt >= start && r->changedAt <= cutoff)
            eligible.append(r);
    }
    std::sort(eligible.begin(), eligible.end(), [](const Record *a, const Record *b) {
        return std::pair(a->changedAt, a->data.value(QStringLiteral("id")).toInteger())
                < std::pair(b->changedAt, b->data.value(QStringLiteral("id")).toInteger());
    });
    qsizetype taken = std::min<qsizetype>(perPage, eligible.size());
    // Records of one second stay on one page.
    while (taken > 0 && taken < eligible.size() && eligible.at(taken)->changedAt == eligible.at(taken - 1)->changedAt)
        ++taken;
    QJsonArray page;
    for (qsizetype i = 0; i < taken; ++i)
        page.append(eligible.at(i)->data);
    const qint64 endTime = taken > 0 ? eligible.at(taken - 1)->changedAt : start;
    const QString nextPage = baseUrl().toString()
            + QStringLiteral("/api/v2/incremental/%1.json?per_page=%2&start_time=%3")
                      .arg(resource)
                      .arg(perPage)
                      .arg(endTime);
    const bool endOfStream = taken >= eligible.size();
    return {{resource, page},
            {QStringLiteral("count"), int(taken)},
            {QStringLiteral("end_time"), endTime},
            {QStringLiteral("next_page"), nextPage},
            {QStringLiteral("end_of_stream"), endOfStream}};
}

QJsonObject FakeZendeskServer::list(const QString &resource, const QString &path, const QUrlQuery &query, int *status)
{
    QStringList allowed {QStringLiteral("page[size]"), QStringLiteral("page[after]"), QStringLiteral("page[before]"),
                         QStringLiteral("page"),       QStringLiteral("per_page"),    QStringLiteral("sort_by"),
                         QStringLiteral("sort_order")};
    if (resource == QLatin1String("groups"))
        allowed << QStringLiteral("exclude_deleted");
    if (resource == QLatin1String("satisfaction_ratings"))
        allowed << QStringLiteral("score") << QStringLiteral("start_time") << QStringLiteral("end_time")
                << QStringLiteral("sort");
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (!allowed.contains(name)) {
            *status = 400;
            return error(QStringLiteral("InvalidParameter"), QStringLiteral("Unknown parameter: %1").arg(name));
        }
    }
    QList<QJsonObject> all = objects(resource);
    if (resource == QLatin1String("groups")
        && query.queryItemValue(QStringLiteral("exclude_deleted")) == QLatin1String("true")) {
        all.erase(std::remove_if(all.begin(), all.end(),
                                 [](const QJsonObject &g) { return g.value(QStringLiteral("deleted")).toBool(); }),
                  all.end());
    }
    const QString base = baseUrl().toString() + path;
    const auto number = [&](const QString &name, int fallback, int max, bool *valid) {
        if (!query.hasQueryItem(name))
            return fallback;
        bool ok = false;
        const int n = query.queryItemValue(name, QUrl::FullyDecoded).toInt(&ok);
        *valid = *valid && ok && n >= 1 && n <= max;
        return n;
    };
    bool valid = true;
    if (query.hasQueryItem(QStringLiteral("page[size]"))) {
        const int size = number(QStringLiteral("page[size]"), 100, 100, &valid);
        const bool hasAfter = query.hasQueryItem(QStringLiteral("page[after]"));
        const bool hasBefore = query.hasQueryItem(QStringLiteral("page[before]"));
        if (!valid || (hasAfter && hasBefore) || query.hasQueryItem(QStringLiteral("page"))) {
            *status = 400;
            return error(QStringLiteral("InvalidPaginationParameter"),
                         QStringLiteral("page[size] must be between 1 and 100; page[after] and page[before] cannot "
                                        "be combined"));
        }
        qint64 afterId = -1;
        qint64 beforeId = -1;
        qint64 ignored = 0;
        if ((hasAfter && !decodeCursor(query.queryItemValue(QStringLiteral("page[after]")), &ignored, &afterId))
            || (hasBefore
                && !decodeCursor(query.queryItemValue(QStringLiteral("page[before]")), &ignored, &beforeId))) {
            *status = 400;
            return error(QStringLiteral("InvalidPaginationParameter"), QStringLiteral("The cursor is invalid"));
        }
        QList<QJsonObject> window;
        for (const QJsonObject &o : std::as_const(all)) {
            const qint64 id = o.value(QStringLiteral("id")).toInteger();
            if ((!hasAfter || id > afterId) && (!hasBefore || id < beforeId))
                window.append(o);
        }
        if (hasBefore && window.size() > size)
            window = window.mid(window.size() - size);
        const bool hasMore = hasBefore ? false : window.size() > size;
        window = window.mid(0, size);
        QJsonArray page;
        for (const QJsonObject &o : std::as_const(window))
            page.append(o);
        const QJsonValue afterCursor = window.isEmpty()
                ? QJsonValue(QJsonValue::Null)
                : QJsonValue(encodeCursor(0, window.last().value(QStringLiteral("id")).toInteger()));
        const QJsonValue beforeCursor = window.isEmpty()
                ? QJsonValue(QJsonValue::Null)
                : QJsonValue(encodeCursor(0, window.first().value(QStringLiteral("id")).toInteger()));
        const QString sizePart = QStringLiteral("?page%5Bsize%5D=%1").arg(size);
        return {{resource, page},
                {QStringLiteral("meta"),
                 QJsonObject {{QStringLiteral("has_more"), hasMore},
                              {QStringLiteral("after_cursor"), afterCursor},
                              {QStringLiteral("before_cursor"), beforeCursor}}},
                {QStringLiteral("links"),
                 QJsonObject {{QStringLiteral("next"),
                               afterCursor.isNull()
                                       ? QJsonValue(QJsonValue::Null)
                                       : QJsonValue(QString(base + sizePart + QStringLiteral("&page%5Bafter%5D=")
                                                            + afterCursor.toString()))},
                              {QStringLiteral("prev"),
                               beforeCursor.isNull()
                                       ? QJsonValue(QJsonValue::Null)
                                       : QJsonValue(QString(base + sizePart + QStringLiteral("&page%5Bbefore%5D=")
                                                            + beforeCursor.toString()))}}}};
    }
    const int pageNumber = number(QStringLiteral("page"), 1, 1000000, &valid);
    const int perPage = number(QStringLiteral("per_page"), 100, 100, &valid);
    if (!valid) {
        *status = 400;
        return error(QStringLiteral("InvalidPaginationParameter"),
                     QStringLiteral("page must be positive and per_page between 1 and 100"));
    }
    QJsonArray page;
    const qsizetype from = qsizetype(pageNumber - 1) * perPage;
    for (qsizetype i = from; i < all.size() && i < from + perPage; ++i)
        page.append(all.at(i));
    const bool more = from + perPage < all.size();
    return {{resource, page},
            {QStringLiteral("count"), int(all.size())},
            {QStringLiteral("next_page"),
             more ? QJsonValue(QString(base + QStringLiteral("?page=%1&per_page=%2").arg(pageNumber + 1).arg(perPage)))
                  : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("previous_page"),
             pageNumber > 1 ? QJsonValue(
                     QString(base + QStringLiteral("?page=%1&per_page=%2").arg(pageNumber - 1).arg(perPage)))
                            : QJsonValue(QJsonValue::Null)}};
}

} // namespace tributary::test
