#pragma once

// Internals of FakeStripeServer, shared by its source files:
//   FakeStripeServer.cpp    the public API, keys, clock, faults
//   FakeStripeStore.cpp     the store, events, create/update/delete, populate
//   FakeStripeGenerate.cpp  one random, fixture-shaped record per resource
//   FakeStripeRoutes.cpp    HTTP: auth, faults, routing, retrieve, create/update/delete
//   FakeStripeLists.cpp     HTTP: query parsing and the list endpoints

#include "fakes/FakeStripeServer.h"

#include <QElapsedTimer>
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

#include <deque>
#include <map>
#include <optional>

namespace tributary::test {

// Position of a record in a list: newest `created` first, ties by id descending.
struct StripeKey
{
    qint64 created = 0;
    QString id;
};

struct StripeKeyOrder
{
    bool operator()(const StripeKey &a, const StripeKey &b) const
    {
        if (a.created != b.created)
            return a.created > b.created;
        return a.id > b.id;
    }
};

// One resource's records, in list order, with an id index and the ids of deleted records.
struct StripeCollection
{
    using Map = std::map<StripeKey, QJsonObject, StripeKeyOrder>;

    Map ordered;
    QHash<QString, qint64> createdById;
    QHash<QString, QJsonObject> tombstones; // deleted: what a retrieve still shows (may be empty)

    bool contains(const QString &id) const { return createdById.contains(id); }
    Map::iterator find(const QString &id);
    Map::const_iterator find(const QString &id) const;
    void insert(const QJsonObject &record);
    void erase(const QString &id);
};

// An HTTP answer before it is delivered.
struct StripeReply
{
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
};

// Who caused a change: stamped on the event as `request`.
struct StripeCause
{
    QJsonValue requestId = QJsonValue::Null;
    QJsonValue idempotencyKey = QJsonValue::Null;
};

// An error while applying HTTP parameters.
struct StripeParamError
{
    int status = 400;
    QString message;
    QString param;
    QString code;
    QString type = QStringLiteral("invalid_request_error");
};

// One decoded query or form parameter (`a[b][]=v` -> name "a[b][]", path {"a","b",""}).
struct StripeParam
{
    QString name;
    QStringList path;
    QString value;
};

struct HeldRequest
{
    QString path;
    FakeResponder responder;
};

struct FakeStripeServer::Private
{
    explicit Private(FakeStripeServer *owner);

    FakeStripeServer *q;
    FakeHttpServer http;

    // keys: nullopt = full access, else the allowed resources
    QHash<QString, std::optional<QStringList>> keys;
    QString accountId;
    QString apiVersion = QStringLiteral("2024-06-20");
    std::optional<qint64> fixedNow;

    // data
    QHash<QString, StripeCollection> store;
    QRandomGenerator rng;
    int serial = 0;         // makes generated emails and names distinct
    int populateIndex = -1; // index of the record populate() is generating, -1 outside populate
    bool populating = false;

    // faults
    int rateLimit = 0;
    int retryAfter = 0;
    QElapsedTimer monotonic;
    std::deque<qint64> admitted; // ms of admitted requests in the last second
    QStringList lockTimeoutPaths;
    double failFraction = 0;
    QRandomGenerator failRng;
    int failNextCount = 0;
    int failNextStatus = 500;
    QStringList hangingPaths;
    QHash<QString, int> slowPaths;
    QStringList malformedPaths;
    QList<HeldRequest> held;

    // idempotency: key -> (fingerprint of the request, first answer)
    QHash<QString, QPair<QByteArray, StripeReply>> idempotent;

    // --- store (FakeStripeStore.cpp)
    qint64 now() const;
    StripeCollection &collection(const QString &resource) { return store[resource]; }
    const StripeCollection *findCollection(const QString &resource) const;
    bool idTaken(const QString &id) const;
    QJsonObject recordEvent(const QString &type, const QJsonObject &object, const QJsonObject &previous, qint64 created,
                            const StripeCause &cause);
    QJsonObject create(const QString &resource, const QJsonObject &fields, const StripeCause &cause, bool blank);
    bool update(const QString &resource, const QString &id, const QJsonObject &changes, const StripeCause &cause,
                qint64 at);
    bool remove(const QString &resource, const QString &id, const StripeCause &cause, qint64 at);
    void populate(const QHash<QString, int> &counts, quint32 seed);
    void linkPopulated();
    void recordHistory(const QString &resource, const QJsonObject &record);
    void clearData();

    // --- generation (FakeStripeGenerate.cpp)
    static QJsonObject fixture(const QString &name);
    QString randomText(int length, const QString &alphabet);
    QString newId(const QString &resource);
    QString token(const QString &prefix, int length) { return prefix + randomText(length, QStringLiteral("alnum")); }
    QString newRequestId();
    bool chance(double p) { return rng.generateDouble() < p; }
    int between(int lowest, int highest) { return int(rng.bounded(qint64(lowest), qint64(highest) + 1)); }
    qint64 between64(qint64 lowest, qint64 highest) { return rng.bounded(lowest, highest + 1); }
    QString pick(const QStringList &values) { return values.at(int(rng.bounded(qsizetype(values.size())))); }
    QString weighted(const QList<QPair<QString, int>> &values);
    qint64 pastTime(const QString &resource);                   // in the last 60 days, a few equal to another record's
    qint64 after(qint64 earliest);                              // in [earliest, now]
    QJsonObject randomLinked(const QString &resource);          // a random existing record, or empty
    QJsonObject linkFor(const QString &resource, qint64 &when); // a parent created by `when`
    QJsonObject paidCharge(qint64 &when);                       // the same for charges, preferably a succeeded one
    qint64 stepTime(qint64 created, qint64 minDelay, qint64 maxDelay); // later, but not after now
    qint64 amountFor(const QString &currency);
    QString randomCurrency();
    QJsonObject generate(const QString &resource, std::optional<qint64> created); // created: random if unset
    QJsonObject makeCustomer(qint64 when);
    QJsonObject makeProduct(qint64 when);
    QJsonObject makePrice(qint64 when);
    QJsonObject makeCoupon(qint64 when);
    QJsonObject makeSubscription(qint64 when);
    QJsonObject makeInvoice(qint64 when);
    QJsonObject makePaymentIntent(qint64 when);
    QJsonObject makeCharge(qint64 when);
    QJsonObject makeRefund(qint64 when);
    QJsonObject makeDispute(qint64 when);
    QJsonObject makeBalanceTransaction(qint64 when);
    QJsonObject makePayout(qint64 when);
    void blankDefaults(const QString &resource, QJsonObject &record) const;

    // --- HTTP (FakeStripeRoutes.cpp)
    void handle(const FakeRequest &request, FakeResponder responder);
    void deliver(const FakeRequest &request, FakeResponder responder, StripeReply reply);
    std::optional<StripeReply> checkAuth(const FakeRequest &request, QString *key) const;
    std::optional<StripeReply> injectedFault(const FakeRequest &request);
    StripeReply dispatch(const FakeRequest &request, const QString &key, const StripeCause &cause);
    StripeReply retrieve(const QString &resource, const QString &id, const QList<StripeParam> &params);
    StripeReply write(const FakeRequest &request, const QString &resource, const QString &id, const StripeCause &cause);
    StripeReply removeRoute(const QString &resource, const QString &id, const StripeCause &cause);
    StripeReply accountRoute() const;
    StripeReply balanceRoute() const;
    bool matches(const QStringList &paths, const QString &path) const;
    bool takeMatch(QStringList &paths, const QString &path) const;

    // --- lists and parameters (FakeStripeLists.cpp)
    StripeReply list(const QString &resource, const QList<StripeParam> &params);
    std::optional<StripeParamError> expand(QJsonObject &record, const QStringList &paths, bool inList) const;
    // POST parameters -> typed top-level fields (create when `current` is empty, else update)
    std::optional<StripeParamError> formFields(const QString &resource, const QList<StripeParam> &params,
                                               const QJsonObject &current, QJsonObject *fields,
                                               QStringList *expandPaths) const;
};

// Helpers shared by the source files (FakeStripeLists.cpp).
namespace stripe {

inline constexpr qint64 kDay = 86400;
inline constexpr qint64 kEventWindow = 30 * kDay;

QString prefixOf(const QString &resource);                 // "cus_", "" for coupons
QString eventPrefix(const QString &resource);              // "customer", "customer.subscription", ...
QString resourceForId(const QString &id);                  // "cus_x" -> "customers", "" if unknown
QList<StripeParam> parseParams(const QByteArray &encoded); // query string or form body
QByteArray json(const QJsonObject &object);
StripeReply errorReply(int status, const QString &type, const QString &message, const QString &param = {},
                       const QString &code = {});
StripeReply errorReply(const StripeParamError &error);
StripeReply okReply(const QJsonObject &object);
QString notFoundMessage(const QString &resource, const QString &id);
StripeParamError unknownParameter(const QString &name);
QString maskKey(const QString &key, int keep);

} // namespace stripe

} // namespace tributary::test
