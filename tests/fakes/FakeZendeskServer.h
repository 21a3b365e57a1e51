#pragma once

#include "fakes/FakeHttpServer.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <deque>
#include <optional>

namespace tributary::test {

// A strict local fake of the Zendesk Support API (upstream-apis.md sections 2 and 4, "Zendesk
// fake") on a real loopback HTTP server.
//
// What it serves (GET, under /api/v2, with or without a ".json" suffix):
//   incremental/tickets/cursor, incremental/users/cursor        cursor exports: start_time (unix s,
//        at least 60 s in the past, else 422) or cursor, per_page <= 1000 (default 1000);
//        after_cursor/after_url/before_cursor/before_url/end_of_stream; records changed in the last
//        60 s are left out; tickets carry generated_timestamp
//   incremental/organizations, incremental/ticket_events        time exports: start_time, per_page;
//        count/end_time/next_page/end_of_stream; records sharing the last second stay on one page
//        (and come again on the next, as on Zendesk)
//   groups, ticket_fields, ticket_forms, satisfaction_ratings, group_memberships,
//   organization_memberships, ticket_metrics                   lists: page[size] <= 100 switches to
//        cursor pagination (meta.has_more/after_cursor, links.next/prev, page[after]/page[before]);
//        otherwise offset pagination (page, per_page <= 100, next_page/previous_page/count)
//   users/me                                                    the signed-in user
// Any other query parameter is a 400.
//
// Auth: Basic "{email}/token:{api_token}" (addUser) or Bearer (addOAuthToken); wrong ones get the
// documented 401 bodies. Agents get 403 on incremental exports and satisfaction ratings; a token
// without the "read" scope gets the missing-scope 403. Every authenticated answer carries
// X-Rate-Limit / X-Rate-Limit-Remaining (the account limit, 700 a minute by default) and a Date
// from the fake's clock. Incremental exports have their own limiter (10 per window of 60 s by
// default): over it, 429 + Retry-After + the APIRateLimitExceeded body. Windows run on real time.
class FakeZendeskServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeZendeskServer)

public:
    explicit FakeZendeskServer(QObject *parent = nullptr);
    ~FakeZendeskServer() override;

    bool listen(quint16 port = 0);
    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:PORT (the connector appends /api/v2/...)
    FakeHttpServer &http() { return m_http; }

    // Collections in DESIGN.md order.
    static QStringList resources();

    // --- credentials
    void addUser(const QString &email, const QString &apiToken, const QString &role = QStringLiteral("admin"));
    void addOAuthToken(const QString &token, const QString &role = QStringLiteral("admin"),
                       const QStringList &scopes = {QStringLiteral("read")});

    // --- OAuth (upstream-apis.md 2.2). GET /oauth/authorizations/new (response_type=code, a known
    // client_id, a loopback redirect_uri, scope with "read", state, code_challenge with
    // code_challenge_method=S256) redirects as the signed-in user chooses (setUserAllows): with a
    // code valid 120 s and the state, or error=access_denied; an unknown client or a bad request
    // gets a 400 page. POST /oauth/tokens (JSON or form): grant_type=authorization_code (the code
    // once, the same redirect_uri, the client's secret, a code_verifier whose S256 is the
    // challenge) or refresh_token; both answer an access token (a bearer of the user),
    // expires_in and a new refresh token (the old one dies). Errors are 400 invalid_grant /
    // invalid_client / unsupported_grant_type.
    void addOAuthClient(const QString &clientId, const QString &clientSecret);
    // The refresh token of a new sign-in of a user with this role, as the code exchange issues it.
    QString issueRefreshToken(const QString &clientId, const QString &role = QStringLiteral("admin"));
    void revokeRefreshTokens() { m_refreshTokens.clear(); }
    void expireAccessTokens(); // every access token issued by /oauth/tokens stops working
    bool isValidRefreshToken(const QString &token) const { return m_refreshTokens.contains(token); }
    int tokenRequestCount() const { return m_tokenRequests; }
    void setAccessTokenLifetime(int seconds) { m_accessTokenLifetime = seconds; } // expires_in
    void setUserAllows(bool allows) { m_userAllows = allows; }
    void setSignInRole(const QString &role) { m_signInRole = role; } // the role of who signs in

    // --- clock, unix seconds; real time until setNow() is called
    qint64 now() const;
    void setNow(qint64 unixSeconds);
    void advance(qint64 seconds);

    // --- data
    // Replaces the store with seeded records: `tickets` tickets (with their events and metrics),
    // `users` users, `organizations` organizations, `groups` groups, plus fields, forms,
    // memberships and ratings that follow from them. All of it changed at least two minutes ago.
    void populate(int tickets, int users, int organizations, int groups, quint32 seed);
    // Creates a record now() (tickets also get a Create event and their metrics).
    QJsonObject create(const QString &resource, const QJsonObject &fields = {});
    // Overwrites fields and stamps updated_at (tickets: generated_timestamp and a Change event).
    bool update(const QString &resource, qint64 id, const QJsonObject &changes);
    // Deletes as Zendesk reports it: tickets status "deleted", users active false, organizations
    // deleted_at, groups deleted true; other records disappear from their list.
    bool remove(const QString &resource, qint64 id);
    QList<QJsonObject> objects(const QString &resource) const; // by id
    int count(const QString &resource) const { return int(objects(resource).size()); }

    // --- limits and faults
    void setIncrementalLimit(int requests, int windowMs = 60000); // 10 (30 with the add-on); 0 = none
    void setAccountLimit(int requests, int windowMs = 60000);     // 700 a minute by default
    void resetLimiters();
    // The next cursor export page there answers no records with end_of_stream false (Zendesk may).
    void injectEmptyPage(const QString &resource);

    // --- what happened
    int requestCount(const QString &pathPrefix = {}) const;
    int rateLimitedCount() const { return m_rateLimited; } // 429s answered
    const QList<FakeRequest> &requests() const { return m_http.requests(); }
    void clearRequests();

Q_SIGNALS:
    void requestServed(const QByteArray &method, const QString &path, int status);

private:
    struct Record
    {
        QJsonObject data;
        qint64 changedAt = 0; // the export's time: generated_timestamp / updated_at / timestamp
        bool gone = false;    // removed from its list
    };
    struct Identity
    {
        QString role;
        QStringList scopes;
        QString email;
    };
    struct Limiter
    {
        int requests = 0;
        int windowMs = 60000;
        std::deque<qint64> sent; // real-time ms of accepted requests
        // ms until one more is allowed (0: now); counts it when allowed.
        qint64 take(qint64 nowMs);
        int remaining(qint64 nowMs);
    };

    void handle(const FakeRequest &request, FakeResponder responder);
    void token(const FakeRequest &request, FakeResponder &responder);
    void authorize(const FakeRequest &request, FakeResponder &responder);
    QJsonObject issueTokenPair(const QString &clientId, const QString &role);
    void reply(FakeResponder &responder, const FakeRequest &request, int status, const QJsonObject &body,
               QList<QPair<QByteArray, QByteArray>> headers = {});
    std::optional<Identity> authenticate(const FakeRequest &request, int *status, QJsonObject *body,
                                         QList<QPair<QByteArray, QByteArray>> *headers) const;
    QJsonObject cursorExport(const QString &resource, const QUrlQuery &query, int *status);
    static std::optional<QJsonObject> checkExportQuery(const QUrlQuery &query, const QStringList &allowed, int *perPage,
                                                       int *status);
    QJsonObject timeExport(const QString &resource, const QUrlQuery &query, int *status);
    QJsonObject list(const QString &resource, const QString &path, const QUrlQuery &query, int *status);
    QList<const Record *> visible(const QString &resource) const;
    Record *find(const QString &resource, qint64 id);
    void addTicketEvent(const QJsonObject &ticket, const QString &type, qint64 at);
    qint64 nextId(const QString &resource);

    FakeHttpServer m_http;
    QElapsedTimer m_clock;
    std::optional<qint64> m_fixedNow;
    qint64 m_offset = 0;
    QHash<QString, QList<Record>> m_store;
    QHash<QString, qint64> m_nextIds;
    QHash<QString, Identity> m_basic; // "email/token:token"
    QHash<QString, Identity> m_bearer;
    QHash<QString, QString> m_oauthClients;  // id -> secret
    QHash<QString, QString> m_refreshTokens; // token -> "client id\nrole"
    QSet<QString> m_issuedAccessTokens;
    int m_tokenRequests = 0;
    int m_tokenSerial = 0;
    int m_accessTokenLifetime = 7200;
    struct Code
    {
        QString clientId;
        QString redirectUri;
        QString challenge;
        qint64 expiresAtMs = 0;
    };
    QHash<QString, Code> m_codes;
    bool m_userAllows = true;
    QString m_signInRole = QStringLiteral("admin");
    Limiter m_incremental;
    Limiter m_account;
    QSet<QString> m_emptyPages;
    int m_rateLimited = 0;
};

} // namespace tributary::test
