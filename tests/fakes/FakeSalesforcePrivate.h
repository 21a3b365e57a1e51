#pragma once

// Internals of FakeSalesforceServer, shared by its source files:
//   FakeSalesforceServer.cpp   the public API: tokens, clock, data, visibility, limits, faults, log
//   FakeSalesforceSchema.cpp   the objects and fields, ids, seeded records, value formats
//   FakeSalesforceRoutes.cpp   HTTP: dispatch, OAuth, auth, limits, describe, query, queryMore
//   FakeSalesforceSoql.cpp     the SOQL parser

#include "fakes/FakeSalesforceServer.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QRandomGenerator>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace tributary::test {

namespace sf {

struct Field
{
    QString name;
    QString type; // id, string, reference, boolean, double, currency, percent, int, date, datetime,
                  // picklist, textarea, email, phone, url, address
    QString label;
    int length = 0;
    int precision = 0;
    int scale = 0;
    bool nillable = true;
    bool custom = false;
    bool filterable = true;
    bool sortable = true;
    bool updateable = true;
    bool createable = true;
    QStringList referenceTo;
    QString relationshipName;
    QStringList picklist;
    QString compoundFieldName; // a component of an address: its address field
    QString soapType() const;
    QJsonObject describe() const;
};

struct Object
{
    QString name;
    QString label;
    QString labelPlural;
    QString keyPrefix;
    bool custom = false;
    bool queryable = true;
    bool replicateable = true;
    bool searchable = true;
    bool createable = true;
    QList<Field> fields;

    const Field *field(const QString &name) const; // case-insensitive
    QJsonObject describeGlobal(const QString &version) const;
};

// The schema of every object, in describe-global order.
const QList<Object> &schema();
const Object *object(const QString &name); // case-insensitive

// 18-char ids: prefix + "5g0" + 9 base-62 digits + the case-safe suffix.
QString makeId(const QString &prefix, qint64 serial);

// Values are stored as the API shows them, except datetimes (ms since epoch, as a double).
QString formatDateTime(qint64 msecs); // 2024-01-01T12:34:56.000+0000
// One field of a stored record as the API returns it (address fields built from their parts).
QJsonValue apiValue(const Object &object, const Field &field, const QJsonObject &stored);
// An API-shaped value (ISO strings for dates and datetimes) in the stored form; nullopt if wrong.
std::optional<QJsonValue> storedValue(const Field &field, const QJsonValue &api);

// Fills a stored record: random values for every field but the system ones.
struct Generator
{
    QRandomGenerator *random = nullptr;
    // Live ids per object, for references.
    const QHash<QString, QStringList> *ids = nullptr;
    QJsonObject generate(const Object &object, const QString &id, qint64 createdMs, qint64 modifiedMs,
                         const QString &userId, int serial) const;
};

QByteArray errorBody(const QString &errorCode, const QString &message);

constexpr int kNewestVersion = 62; // Winter '25; any vNN.0 with NN >= 29 is served

// An HTTP answer before it is delivered.
struct Reply
{
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray contentType = QByteArrayLiteral("application/json;charset=UTF-8");
};

// Decoded name/value pairs of a query string or a form body, in order.
using Params = QList<QPair<QString, QString>>;

} // namespace sf

struct FakeSalesforceServer::Private
{
    struct Record
    {
        QJsonObject values; // stored form
        qint64 deletedAtMs = 0;
        bool deleted() const { return deletedAtMs > 0; }
    };
    struct Table
    {
        QList<Record> records; // Id order (ids grow)
        QHash<QString, qsizetype> index;
        qint64 nextSerial = 1;
    };
    struct Client
    {
        QString secret;
        QUrl callback;
    };
    struct Code
    {
        QString clientId;
        QString redirectUri;
        QString challenge;
        QString scope;
        qint64 expiresMs = 0;
    };
    struct AccessToken
    {
        QString refreshToken; // the grant it came from
        qint64 lastUsedMs = 0;
    };
    struct Locator
    {
        QList<QJsonObject> records; // API-shaped, attributes included
        int batchSize = 2000;
        qint64 lastUsedMs = 0;
    };
    struct Fault
    {
        int remaining = 0;
        int status = 0;
        Endpoint only = Endpoint::Any;
    };
    struct Held
    {
        FakeResponder responder;
        qsizetype logIndex = -1; // -1 once the log was cleared
    };

    explicit Private(FakeSalesforceServer *q) : q(q) { }

    // clock
    qint64 nowMs() const;

    // data
    Table &table(const QString &canonicalName) { return tables[canonicalName]; }
    Record *find(const QString &object, const QString &id);
    void purge(); // deleted rows older than 15 days
    QString insert(const sf::Object &object, const QJsonObject &fields);

    // tokens
    Tokens grant(const QString &clientId, const QString &scope, const QString &oldRefreshToken, bool withRefresh);
    QByteArray tokenReply(const Tokens &tokens, const QString &clientId, const QString &scope, qint64 issuedMs) const;

    // HTTP (FakeSalesforceRoutes.cpp)
    using Reply = sf::Reply;
    using Params = sf::Params;
    void handle(const FakeRequest &request, FakeResponder responder);
    Reply authorize(const FakeRequest &request, const Params &params);
    Reply token(const FakeRequest &request, const Params &query);
    Reply revoke(const FakeRequest &request, const Params &query);
    Reply identity(const FakeRequest &request);
    Reply versions(const FakeRequest &request, const Params &params);
    Reply rest(const FakeRequest &request, Endpoint endpoint, const Params &params);
    Reply resource(const FakeRequest &request, Endpoint endpoint, const Params &params, const QString &version);
    Reply query(const FakeRequest &request, const QString &text, bool all, const QString &version);
    Reply queryMore(const FakeRequest &request, const QString &version);
    static Reply page(const Locator &locator, const QString &locatorId, qsizetype offset, int size,
                      const QString &version);
    static int batchSize(const FakeRequest &request, int fallback);
    static QString bearer(const FakeRequest &request);

    FakeSalesforceServer *q;
    FakeHttpServer http;
    std::optional<qint64> fixedNowMs;
    qint64 offsetMs = 0;

    QString orgId;
    QString userId;
    QRandomGenerator random;      // seeded by populate(); used by inserts too
    QHash<QString, Table> tables; // by canonical object name
    QHash<QString, Client> clients;
    QHash<QString, Code> codes;
    QHash<QString, AccessToken> accessTokens;
    QHash<QString, QString> refreshTokens; // token -> client id
    QHash<QString, Locator> locators;
    qint64 locatorSerial = 1;
    qint64 tokenSerial = 0;
    bool rotation = false;
    qint64 sessionTimeoutMs = 7200 * 1000;
    UserChoice choice = UserChoice::Allow;

    QSet<QString> hiddenObjects;          // canonical names
    QHash<QString, QSet<QString>> hidden; // object -> canonical field names

    int dailyMax = 100000;
    int used = 0;
    qint64 usageDay = 0; // days since epoch of the last counted request
    bool apiDisabled = false;

    QList<Fault> failures;
    QList<Fault> hangs;
    QList<Held> held;

    QList<LoggedRequest> log;
};

} // namespace tributary::test
