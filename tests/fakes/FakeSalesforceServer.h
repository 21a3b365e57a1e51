#pragma once

#include "fakes/FakeHttpServer.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace tributary::test {

// A strict local fake of the Salesforce REST API and its OAuth 2.0 web server flow
// (upstream-apis.md sections 3 and 4, "Salesforce fake") on one real loopback HTTP server: the
// login host and the instance host are the same server, and `instance_url` in token replies is
// baseUrl().
//
// What it serves:
//   GET  /services/oauth2/authorize   response_type=code, client_id, redirect_uri, [state, scope,
//        code_challenge (S256 of the verifier), code_challenge_method=S256, prompt, display]. The
//        "user" answers at once (setUserChoice): a 302 to redirect_uri?code=...&state=..., or
//        ?error=access_denied&error_description=...; an unknown client gets
//        ?error=invalid_client_id&error_description=client%20identifier%20invalid.
//   POST /services/oauth2/token       form-encoded; grant_type authorization_code (single-use
//        code, valid 15 min, same redirect_uri, PKCE code_verifier, client_secret when the client
//        has one) or refresh_token. Replies as 3.2: no expires_in, issued_at in ms as a string,
//        signature = base64(HMAC-SHA256(client_secret, id + issued_at)), refresh_token only on the
//        first grant or with rotation on (the old one then dies). Errors: 400
//        {"error","error_description"} (invalid_grant "expired authorization code" / "expired
//        access/refresh token" / "invalid code verifier", invalid_client_id, invalid_client,
//        redirect_uri_mismatch, unsupported_grant_type, invalid_request).
//   POST /services/oauth2/revoke      token=<access or refresh token>.
//   GET  /id/<org>/<user>             the identity URL (`id` in token replies); Bearer.
//   GET  /services/data/              the versions list (no auth, no Sforce-Limit-Info).
//   GET  /services/data/vNN.0/...     NN >= 29; Bearer access token; counted against the daily limit:
//        ""  (resources)  sobjects/  sobjects/{Name}/describe  limits/  query?q=  queryAll?q=
//        query/?q=  queryAll/?q=  query/<locator>-<offset> (queryMore, no parameters).
//        A trailing slash is optional everywhere. Any query parameter not listed is a 400.
//
// REST answers: errors are JSON arrays [{"message","errorCode"}]. Bad or expired token: 401
// INVALID_SESSION_ID with `WWW-Authenticate: Token`. Every authenticated REST answer carries
// `Sforce-Limit-Info: api-usage=N/M`; over the daily limit: 403 REQUEST_LIMIT_EXCEEDED. Wrong
// method: 405 METHOD_NOT_ALLOWED. Unknown resource, object or version: 404 NOT_FOUND.
//
// SOQL subset: SELECT f, ... FROM Obj [WHERE cond] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], ...]
// [LIMIT n], where cond is comparisons (= != <> < <= > >=) joined by AND / OR / NOT and
// parentheses, against 'strings', numbers, TRUE/FALSE, NULL, dates (2024-01-31) and unquoted
// datetimes (2024-01-31T10:00:00Z, with optional .SSS, or a +hh:mm / -hh:mm offset: a '+' must
// arrive percent-encoded, a raw '+' in the URL is a space). Keywords and names are case-insensitive;
// records carry the canonical field names. Not supported (MALFORMED_QUERY): relationship fields
// (Account.Name), subqueries, aggregates, COUNT(), IN, LIKE, INCLUDES, date literals like
// LAST_N_DAYS, OFFSET, FIELDS(). Unknown/hidden object: 400 INVALID_TYPE; unknown/hidden field:
// 400 INVALID_FIELD; non-queryable object: 400 INVALID_TYPE_FOR_OPERATION.
//
// Paging: batch size from `Sforce-Query-Options: batchSize=N` (clamped to 200..2000, default 2000).
// A query snapshots its result; nextRecordsUrl = /services/data/vNN.0/query/<locator>-<offset>
// (also for queryAll). Locators die 15 simulated minutes after their last use, on
// expireQueryLocators(), and on populate(). Unknown locator: 400 INVALID_QUERY_LOCATOR.
// `query` leaves out IsDeleted rows; `queryAll` includes them until 15 simulated days after the
// deletion (then they are purged).
//
// Datetimes are returned as 2024-01-01T12:34:56.000+0000 and stored with second precision (many
// records can share one SystemModstamp). The fake's clock is real time plus an offset until
// setNow() fixes it.
class FakeSalesforceServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeSalesforceServer)

public:
    // What a request was, for counting and for targeting faults.
    enum class Endpoint {
        Any, // only as a fault target: every request
        Authorize,
        Token,
        Revoke,
        Identity,
        Versions,       // GET /services/data/
        Resources,      // GET /services/data/vNN.0/
        DescribeGlobal, // sobjects/
        Describe,       // sobjects/{Name}/describe
        Query,
        QueryAll,
        QueryMore, // query/<locator>-<offset> (after query or queryAll)
        Limits,
        Other // anything else (answered 404 or 405)
    };
    enum class UserChoice { Allow, Deny };

    struct Tokens
    {
        QString accessToken;
        QString refreshToken;
        QString instanceUrl; // baseUrl(), without a trailing slash
        QString id;          // the identity URL
    };

    // One request as the fake saw it.
    struct LoggedRequest
    {
        QByteArray method;
        QString path;
        QString query; // the raw (still encoded) query string
        QString soql;  // q, decoded, for query and queryAll
        Endpoint endpoint = Endpoint::Other;
        int status = 0; // 0 while held open by a hang
    };

    // Seeds the default data set (defaultCounts(), seed 1) and the default client.
    explicit FakeSalesforceServer(QObject *parent = nullptr);
    ~FakeSalesforceServer() override;

    // --- network
    bool listen(quint16 port = 0); // 127.0.0.1; 0 picks a free port
    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:PORT: login host and instance_url alike
    FakeHttpServer &http();

    // --- org, user, connected apps
    QString orgId() const;  // 18 chars, 00D...
    QString userId() const; // 18 chars, 005... (also a User record)
    QString username() const;
    // The default connected app: clientId() / clientSecret().
    static QString defaultClientId();
    static QString defaultClientSecret();
    QString clientId() const { return defaultClientId(); }
    QString clientSecret() const { return defaultClientSecret(); }
    // An empty secret makes a public (PKCE-only) client; otherwise the secret is required on both
    // grants. An empty callback accepts any http://127.0.0.1 or http://localhost redirect_uri.
    void addClient(const QString &clientId, const QString &clientSecret = {}, const QUrl &callback = {});
    void setUserChoice(UserChoice choice);

    // --- tokens
    // A fresh pair for the client, as an authorization_code grant would give (no browser needed).
    Tokens issueTokens(const QString &clientId = defaultClientId());
    void expireAccessTokens(); // every access token dies: clients must refresh
    // Kills the refresh token and the access tokens issued from it.
    void revokeRefreshToken(const QString &refreshToken);
    void setRefreshTokenRotation(bool on); // off by default, as on Salesforce
    // Access tokens unused for this long (simulated seconds) die; 0 = never. Default 7200.
    void setSessionTimeout(qint64 seconds);
    bool isValidAccessToken(const QString &token) const;
    bool isValidRefreshToken(const QString &token) const;

    // --- clock
    QDateTime now() const; // UTC
    void setNow(const QDateTime &now);
    void advance(qint64 seconds);

    // --- schema
    // The seeded objects: Account, Contact, Lead, Opportunity, OpportunityLineItem, Case,
    // CaseComment, Campaign, CampaignMember, Task, Event, User, Product2, Pricebook2,
    // PricebookEntry, Contract, Note, Invoice__c (custom). Describe Global also lists a few
    // non-queryable objects (AggregateResult, ActivityHistory, OpenActivity).
    static QStringList queryableObjects();
    static QStringList allObjects();
    static QString keyPrefix(const QString &object);
    QStringList fieldNames(const QString &object) const; // describe order, hidden ones included

    // --- data
    // Accounts 450 (three pages at batch size 200), small counts elsewhere.
    static QHash<QString, int> defaultCounts();
    // Replaces every record. Objects missing from `counts` get their default count. Same seed and
    // same now() give the same data. Records were created over the past year; none is deleted.
    void populate(const QHash<QString, int> &counts = {}, quint32 seed = 1);
    int count(const QString &object, bool includeDeleted = false) const;
    QStringList ids(const QString &object, bool includeDeleted = false) const; // Id order
    // A record as the API would return every field of it (without attributes); empty if missing.
    QJsonObject record(const QString &object, const QString &id) const;

    // Mutations stamp LastModifiedDate and SystemModstamp with now() (second precision). Values in
    // `changes`/`fields` use API shapes: datetimes and dates as ISO strings. An unknown field, an
    // unknown object or a deleted record makes them fail (false / empty).
    bool updateRecord(const QString &object, const QString &id, const QJsonObject &changes = {});
    QStringList updateRecords(const QString &object, int n, const QJsonObject &changes = {}); // first n live, Id order
    QString insertRecord(const QString &object, const QJsonObject &fields = {});              // the new Id
    QStringList insertRecords(const QString &object, int n);
    // Soft delete: IsDeleted = true, SystemModstamp bumped; queryAll shows it for 15 days.
    bool deleteRecord(const QString &object, const QString &id);
    QStringList deleteRecords(const QString &object, int n); // first n live, Id order
    // Sets SystemModstamp (and LastModifiedDate) of these records to one instant: a boundary that
    // incremental syncs must dedupe (WHERE SystemModstamp >= last seen).
    bool setSystemModstamp(const QString &object, const QStringList &ids, const QDateTime &stamp);

    // --- per-user visibility
    void hideObject(const QString &object, bool hidden = true);                      // INVALID_TYPE, gone from describe
    void hideField(const QString &object, const QString &field, bool hidden = true); // INVALID_FIELD

    // --- limits
    void setDailyApiLimit(int max); // default 100000
    int dailyApiLimit() const;
    void setApiUsage(int used); // the counter resets when the fake's clock enters a new UTC day
    int apiUsage() const;
    void setApiDisabled(bool disabled); // 403 API_DISABLED_FOR_ORG on every REST call
    void expireQueryLocators();

    // --- faults (a target of Endpoint::Any matches every request, OAuth included)
    void failNext(int n, int status = 503, Endpoint only = Endpoint::Any); // 500/503 bodies as Salesforce
    void hangNext(int n = 1, Endpoint only = Endpoint::Any);               // held open, never answered
    int hangingRequests() const;
    void releaseHanging(); // drops the held connections
    void clearFaults();    // also releases hanging requests

    // --- observation
    int requestCount() const;
    int requestCount(Endpoint endpoint) const;
    QList<LoggedRequest> requestLog() const;
    void clearRequests(); // the log and every count

Q_SIGNALS:
    void requestServed(const QByteArray &method, const QString &path, int status);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace tributary::test
