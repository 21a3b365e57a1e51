#pragma once

#include "fakes/FakeHttpServer.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace tributary::test {

// A strict local fake of the Stripe API (upstream-apis.md sections 1 and 4) on a real loopback
// HTTP server, for tests and for manual runs (the fake-upstream tool).
//
// What it serves (all under /v1, GET unless noted):
//   <res>                list (limit, starting_after, ending_before, created[...], expand[] and the
//                        per-resource filters below; any other parameter is a 400)
//   <res>/<id>           retrieve (expand[] only)
//   customers, products, coupons: POST create; every resource but events and
//   balance_transactions: POST <res>/<id> update; DELETE <res>/<id> for customers, products,
//   coupons, invoices (drafts) and subscriptions (cancels it, as Stripe does)
//   account, balance     the account object and the balance
// where <res> is one of resources(). Extra list filters: customers `email`; subscriptions
// `status` (canceled hidden unless status=all|canceled|ended); charges, payment_intents,
// invoices `customer`; prices, products `active`; events `type` (with `*`), `types[]` (<= 20,
// exclusive with `type`), `delivery_success`. Events older than 30 days are neither listed nor
// retrievable.
//
// Auth: `Authorization: Bearer <key>` or Basic with the key as user name; keys must be added with
// addKey() / addRestrictedKey(). Every answer but the two invalid-auth 401s carries
// `Request-Id: req_...`; `Idempotency-Key` is echoed, and a POST replayed with the same key and
// parameters gets the first answer again with `Idempotent-Replayed: true`.
//
// The data API mutates the store and records the matching event, stamped with the fake's clock
// (see setNow()). A path argument of the fault setters is either a full path ("/v1/customers") or
// a resource name ("customers"); it matches that path and every path below it.
class FakeStripeServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeStripeServer)

public:
    explicit FakeStripeServer(QObject *parent = nullptr);
    ~FakeStripeServer() override;

    // --- network
    bool listen(quint16 port = 0); // 127.0.0.1; 0 picks a free port
    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:PORT (the connector appends /v1/...)
    FakeHttpServer &http();

    // --- catalogue
    // The collections, in DESIGN.md order: customers, charges, invoices, subscriptions,
    // products, prices, refunds, payment_intents, balance_transactions, disputes, coupons,
    // payouts, events.
    static QStringList resources();
    static QString objectName(const QString &resource); // "customers" -> "customer"

    // --- keys and account
    void addKey(const QString &key);                                                // full access
    void addRestrictedKey(const QString &key, const QStringList &allowedResources); // also "account", "balance"
    void removeKey(const QString &key);
    QString accountId() const;  // acct_... named in 403 messages, returned by /v1/account
    QString apiVersion() const; // the account's default version, stamped on events
    void setApiVersion(const QString &version);

    // --- clock, unix seconds; real time until setNow() is called
    qint64 now() const;
    void setNow(qint64 unixSeconds);
    void advance(qint64 seconds);
    void useRealClock();

    // --- data
    // Replaces the whole store with seeded, deterministic records: perCollection of every
    // resource but events, created over the past 60 days (a few sharing a second), linked to
    // each other, plus their history as events (creation events at `created`, some later
    // updates and subscription cancellations). Same seed and same now() give the same data.
    void populate(int perCollection, quint32 seed);
    // The same with a count per resource (missing resources get none; "events" is ignored).
    void populate(const QHash<QString, int> &counts, quint32 seed);
    void clear(); // no objects, no events

    // Creates a random record created now(), then overwrites top-level fields with `fields`
    // (an "id" or "created" there is honoured). Records the creation event (customer.created,
    // charge.succeeded, ...; none for balance_transactions). Returns the record, or an empty
    // object for an unknown resource, for events, or for an id already taken.
    QJsonObject createObject(const QString &resource, const QJsonObject &fields = {});
    // Overwrites top-level fields (metadata is merged, a null or "" metadata value removes the
    // key) and records <type>.updated with previous_attributes, plus status transition events
    // (invoice.paid, payout.paid, charge.dispute.closed, payment_intent.succeeded...). A
    // subscription whose status becomes canceled records customer.subscription.deleted instead.
    // payment_intents have no generic update event (as on Stripe). Returns false for an unknown
    // object, for events and balance_transactions (immutable), or when "id"/"object" change.
    bool updateObject(const QString &resource, const QString &id, const QJsonObject &changes);
    // Deletes as Stripe does: customers, products, prices, coupons and invoices disappear (a
    // deleted customer still retrieves as {"id","object","deleted":true}); a subscription is
    // canceled (status canceled, still listed with status=all). Records <type>.deleted with the
    // last state. Returns false for resources Stripe cannot delete (charges, refunds, ...).
    bool deleteObject(const QString &resource, const QString &id);

    // The current store, newest first (created desc, id desc), as the list endpoint orders it.
    // Includes canceled subscriptions and, for "events", events older than 30 days.
    QList<QJsonObject> objects(const QString &resource) const;
    QJsonObject object(const QString &resource, const QString &id) const; // empty if missing
    int count(const QString &resource) const;

    // --- fault injection
    void setRateLimit(int perSecond);                          // 0 = unlimited; sliding one-second window
    void setRetryAfter(int seconds);                           // adds Retry-After to rate-limit 429s; 0 = none
    void setLockTimeoutOnce(const QString &path);              // next request there: 429 lock_timeout
    void failRandomly(double fraction, quint32 seed);          // 500 or 503 api_error; 0 = off
    void failNext(int n, int status = 500);                    // the next n authenticated requests
    void setHanging(const QString &path, bool hanging = true); // never answered; off drops them
    void setSlow(const QString &path, int ms);                 // answer after ms; 0 = off
    void setMalformedNext(const QString &path);                // next 200 there: truncated JSON body
    void clearFaults();
    int hangingRequests() const; // requests held open right now

    // --- observation
    int requestCount() const;
    int requestCount(const QString &path) const; // exact path, e.g. "/v1/customers"
    const QList<FakeRequest> &requests() const;
    void clearRequests();

Q_SIGNALS:
    void requestServed(const QByteArray &method, const QString &path, int status);
    void eventCreated(const QJsonObject &event);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace tributary::test
