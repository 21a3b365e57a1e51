// FakeStripeServer: the store, events, and the data API (create, update, delete, populate).

#include "FakeStripePrivate.h"

#include <algorithm>
#include <functional>
#include <utility>

namespace tributary::test {

namespace {

QString str(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

// The event recorded when a record appears.
QString creationType(const QString &resource, const QJsonObject &record)
{
    if (resource == QLatin1String("charges")) {
        const QString status = record.value(QStringLiteral("status")).toString();
        if (status == QLatin1String("failed") || status == QLatin1String("pending"))
            return QStringLiteral("charge.") + status;
        return QStringLiteral("charge.succeeded");
    }
    return stripe::eventPrefix(resource) + QStringLiteral(".created");
}

// Events that mark a status change (besides <type>.updated).
QStringList transitionTypes(const QString &resource, const QJsonObject &before, const QJsonObject &after)
{
    QStringList types;
    const QString was = before.value(QStringLiteral("status")).toString();
    const QString is = after.value(QStringLiteral("status")).toString();
    if (was != is) {
        if (resource == QLatin1String("invoices")) {
            if (is == QLatin1String("open"))
                types << str("invoice.finalized");
            else if (is == QLatin1String("paid"))
                types << str("invoice.paid");
            else if (is == QLatin1String("void"))
                types << str("invoice.voided");
            else if (is == QLatin1String("uncollectible"))
                types << str("invoice.marked_uncollectible");
        } else if (resource == QLatin1String("payouts")) {
            if (is == QLatin1String("paid") || is == QLatin1String("failed") || is == QLatin1String("canceled"))
                types << QStringLiteral("payout.") + is;
        } else if (resource == QLatin1String("disputes")) {
            if (is == QLatin1String("won") || is == QLatin1String("lost") || is == QLatin1String("warning_closed"))
                types << str("charge.dispute.closed");
        } else if (resource == QLatin1String("payment_intents")) {
            if (is == QLatin1String("succeeded") || is == QLatin1String("canceled") || is == QLatin1String("processing")
                || is == QLatin1String("requires_action"))
                types << QStringLiteral("payment_intent.") + is;
            else if (is == QLatin1String("requires_payment_method"))
                types << str("payment_intent.payment_failed");
            else if (is == QLatin1String("requires_capture"))
                types << str("payment_intent.amount_capturable_updated");
        } else if (resource == QLatin1String("charges")) {
            if (is == QLatin1String("succeeded") || is == QLatin1String("failed") || is == QLatin1String("pending"))
                types << QStringLiteral("charge.") + is;
        } else if (resource == QLatin1String("subscriptions")) {
            if (is == QLatin1String("paused"))
                types << str("customer.subscription.paused");
            else if (was == QLatin1String("paused"))
                types << str("customer.subscription.resumed");
        }
    }
    if (resource == QLatin1String("charges")) {
        const auto flipped = [&](const char *key) {
            const QString k = str(key);
            return !before.value(k).toBool() && after.value(k).toBool();
        };
        if (flipped("captured"))
            types << str("charge.captured");
        if (flipped("refunded"))
            types << str("charge.refunded");
    }
    if (resource == QLatin1String("refunds"))
        types << str("charge.refund.updated");
    return types;
}

// Applies `changes` to `record` (metadata merged; null or "" removes a key) and returns the
// previous values of what changed.
QJsonObject applyChanges(QJsonObject &record, const QJsonObject &changes)
{
    QJsonObject previous;
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        if (key == QLatin1String("metadata") && value.isObject()) {
            QJsonObject metadata = record.value(key).toObject();
            QJsonObject before;
            const QJsonObject update = value.toObject();
            for (auto m = update.begin(); m != update.end(); ++m) {
                const bool removing = m.value().isNull() || (m.value().isString() && m.value().toString().isEmpty());
                const QJsonValue old = metadata.value(m.key());
                if (removing) {
                    if (!old.isUndefined()) {
                        before.insert(m.key(), old);
                        metadata.remove(m.key());
                    }
                } else if (old != m.value()) {
                    before.insert(m.key(), old.isUndefined() ? QJsonValue() : old);
                    metadata.insert(m.key(), m.value());
                }
            }
            if (!before.isEmpty()) {
                previous.insert(key, before);
                record.insert(key, metadata);
            }
            continue;
        }
        const QJsonValue old = record.value(key);
        if (old == value)
            continue;
        previous.insert(key, old.isUndefined() ? QJsonValue() : old);
        record.insert(key, value);
    }
    return previous;
}

// previous_attributes of a metadata change: the old value (or null) of every key that changed
QJsonObject metadataPrevious(const QJsonObject &before, const QJsonObject &after)
{
    QJsonObject previous;
    for (auto it = before.begin(); it != before.end(); ++it) {
        if (after.value(it.key()) != it.value())
            previous.insert(it.key(), it.value());
    }
    for (auto it = after.begin(); it != after.end(); ++it) {
        if (!before.contains(it.key()))
            previous.insert(it.key(), QJsonValue());
    }
    return previous;
}

} // namespace

// --- StripeCollection

StripeCollection::Map::iterator StripeCollection::find(const QString &id)
{
    const auto it = createdById.constFind(id);
    return it == createdById.cend() ? ordered.end() : ordered.find(StripeKey {it.value(), id});
}

StripeCollection::Map::const_iterator StripeCollection::find(const QString &id) const
{
    const auto it = createdById.constFind(id);
    return it == createdById.cend() ? ordered.cend() : ordered.find(StripeKey {it.value(), id});
}

void StripeCollection::insert(const QJsonObject &record)
{
    const QString id = record.value(QStringLiteral("id")).toString();
    erase(id);
    const qint64 created = record.value(QStringLiteral("created")).toInteger();
    ordered.insert_or_assign(StripeKey {created, id}, record);
    createdById.insert(id, created);
}

void StripeCollection::erase(const QString &id)
{
    const auto it = createdById.constFind(id);
    if (it == createdById.cend())
        return;
    ordered.erase(StripeKey {it.value(), id});
    createdById.erase(it);
}

// --- store

const StripeCollection *FakeStripeServer::Private::findCollection(const QString &resource) const
{
    const auto it = store.constFind(resource);
    return it == store.cend() ? nullptr : &it.value();
}

bool FakeStripeServer::Private::idTaken(const QString &id) const
{
    for (const StripeCollection &c : store) {
        if (c.contains(id) || c.tombstones.contains(id))
            return true;
    }
    return false;
}

QJsonObject FakeStripeServer::Private::recordEvent(const QString &type, const QJsonObject &object,
                                                   const QJsonObject &previous, qint64 created,
                                                   const StripeCause &cause)
{
    QJsonObject event = fixture(QStringLiteral("event"));
    event.insert(QStringLiteral("id"), newId(QStringLiteral("events")));
    event.insert(QStringLiteral("api_version"), apiVersion);
    event.insert(QStringLiteral("created"), created);
    QJsonObject data {{QStringLiteral("object"), object}};
    if (!previous.isEmpty())
        data.insert(QStringLiteral("previous_attributes"), previous);
    event.insert(QStringLiteral("data"), data);
    event.insert(QStringLiteral("livemode"), false);
    event.insert(QStringLiteral("pending_webhooks"), 0);
    event.insert(QStringLiteral("request"),
                 QJsonObject {{QStringLiteral("id"), cause.requestId},
                              {QStringLiteral("idempotency_key"), cause.idempotencyKey}});
    event.insert(QStringLiteral("type"), type);
    collection(QStringLiteral("events")).insert(event);
    if (!populating)
        Q_EMIT q->eventCreated(event);
    return event;
}

QJsonObject FakeStripeServer::Private::create(const QString &resource, const QJsonObject &fields,
                                              const StripeCause &cause, bool blank)
{
    if (!FakeStripeServer::resources().contains(resource) || resource == QLatin1String("events"))
        return {};
    const QJsonValue wantedId = fields.value(QStringLiteral("id"));
    if (wantedId.isString() && idTaken(wantedId.toString()))
        return {};
    const QJsonValue wantedCreated = fields.value(QStringLiteral("created"));
    const qint64 created = wantedCreated.isDouble() ? wantedCreated.toInteger() : now();

    QJsonObject record = generate(resource, created);
    if (blank)
        blankDefaults(resource, record);
    for (auto it = fields.begin(); it != fields.end(); ++it)
        record.insert(it.key(), it.value());
    if (wantedId.isString()) { // nested objects name their parent
        const QString id = wantedId.toString();
        const auto relink = [&](const QString &listKey, const QString &parentKey, const QString &url) {
            QJsonObject list = record.value(listKey).toObject();
            QJsonArray items = list.value(QStringLiteral("data")).toArray();
            for (qsizetype i = 0; i < items.size(); ++i) {
                QJsonObject item = items.at(i).toObject();
                if (!parentKey.isEmpty())
                    item.insert(parentKey, id);
                items.replace(i, item);
            }
            list.insert(QStringLiteral("data"), items);
            list.insert(QStringLiteral("url"), url);
            record.insert(listKey, list);
        };
        if (resource == QLatin1String("subscriptions"))
            relink(QStringLiteral("items"), QStringLiteral("subscription"),
                   QStringLiteral("/v1/subscription_items?subscription=") + id);
        else if (resource == QLatin1String("invoices"))
            relink(QStringLiteral("lines"), QStringLiteral("invoice"), QStringLiteral("/v1/invoices/%1/lines").arg(id));
        else if (resource == QLatin1String("charges"))
            relink(QStringLiteral("refunds"), QStringLiteral("charge"),
                   QStringLiteral("/v1/charges/%1/refunds").arg(id));
        else if (resource == QLatin1String("payment_intents"))
            record.insert(QStringLiteral("client_secret"), QString(id + token(QStringLiteral("_secret_"), 25)));
    }
    collection(resource).insert(record);
    if (resource != QLatin1String("balance_transactions"))
        recordEvent(creationType(resource, record), record, {}, now(), cause);
    return record;
}

bool FakeStripeServer::Private::update(const QString &resource, const QString &id, const QJsonObject &changes,
                                       const StripeCause &cause, qint64 at)
{
    if (resource == QLatin1String("events") || resource == QLatin1String("balance_transactions")
        || !store.contains(resource))
        return false;
    StripeCollection &c = collection(resource);
    const auto it = c.find(id);
    if (it == c.ordered.end())
        return false;
    const QJsonObject before = it->second;
    for (const QString &key : {QStringLiteral("id"), QStringLiteral("object")}) {
        if (changes.contains(key) && changes.value(key) != before.value(key))
            return false;
    }
    QJsonObject effective = changes;
    const bool canceling = resource == QLatin1String("subscriptions")
            && changes.value(QStringLiteral("status")).toString() == QLatin1String("canceled")
            && before.value(QStringLiteral("status")).toString() != QLatin1String("canceled");
    if (canceling) { // Stripe stamps the cancellation
        for (const QString &key : {QStringLiteral("canceled_at"), QStringLiteral("ended_at")}) {
            if (!effective.contains(key) && before.value(key).isNull())
                effective.insert(key, at);
        }
    }
    QJsonObject after = before;
    const QJsonObject previous = applyChanges(after, effective);
    if (previous.isEmpty())
        return true; // nothing changed, nothing to tell
    if (after.contains(QStringLiteral("updated")) && !changes.contains(QStringLiteral("updated")))
        after.insert(QStringLiteral("updated"), at);
    c.insert(after);

    const QString prefix = stripe::eventPrefix(resource);
    if (canceling) {
        recordEvent(prefix + QStringLiteral(".deleted"), after, {}, at, cause);
        return true;
    }
    if (resource != QLatin1String("payment_intents"))
        recordEvent(prefix + QStringLiteral(".updated"), after, previous, at, cause);
    for (const QString &type : transitionTypes(resource, before, after))
        recordEvent(type, after, {}, at, cause);
    return true;
}

bool FakeStripeServer::Private::remove(const QString &resource, const QString &id, const StripeCause &cause, qint64 at)
{
    if (!store.contains(resource))
        return false;
    StripeCollection &c = collection(resource);
    const auto it = c.find(id);
    if (it == c.ordered.end())
        return false;
    if (resource == QLatin1String("subscriptions")) {
        const QJsonObject record = it->second;
        if (record.value(QStringLiteral("status")).toString() == QLatin1String("canceled"))
            return false;
        QJsonObject details = record.value(QStringLiteral("cancellation_details")).toObject();
        details.insert(QStringLiteral("reason"), QStringLiteral("cancellation_requested"));
        return update(resource, id,
                      {{QStringLiteral("status"), QStringLiteral("canceled")},
                       {QStringLiteral("canceled_at"), at},
                       {QStringLiteral("ended_at"), at},
                       {QStringLiteral("cancellation_details"), details}},
                      cause, at);
    }
    static const QStringList deletable {str("customers"), str("products"), str("prices"), str("coupons"),
                                        str("invoices")};
    if (!deletable.contains(resource))
        return false;
    const QJsonObject last = it->second;
    c.erase(id);
    QJsonObject tombstone;
    if (resource == QLatin1String("customers"))
        tombstone = QJsonObject {{QStringLiteral("id"), id},
                                 {QStringLiteral("object"), QStringLiteral("customer")},
                                 {QStringLiteral("deleted"), true}};
    c.tombstones.insert(id, tombstone);
    recordEvent(stripe::eventPrefix(resource) + QStringLiteral(".deleted"), last, {}, at, cause);
    return true;
}

void FakeStripeServer::Private::clearData()
{
    store.clear();
    serial = 0;
    idempotent.clear();
}

// --- populate

void FakeStripeServer::Private::populate(const QHash<QString, int> &counts, quint32 seed)
{
    clearData();
    rng.seed(seed);
    populating = true;
    // parents before children, so that links point at existing records
    static const QStringList order {str("products"),        str("prices"),        str("coupons"),
                                    str("customers"),       str("subscriptions"), str("invoices"),
                                    str("payment_intents"), str("charges"),       str("refunds"),
                                    str("disputes"),        str("payouts"),       str("balance_transactions")};
    for (const QString &resource : order) {
        const int n = counts.value(resource);
        for (int i = 0; i < n; ++i) {
            populateIndex = i;
            QJsonObject record = generate(resource, std::nullopt);
            while (collection(resource).contains(record.value(QStringLiteral("id")).toString()))
                record.insert(QStringLiteral("id"), newId(resource));
            collection(resource).insert(record);
        }
    }
    populateIndex = -1;
    linkPopulated();
    for (const QString &resource : order) {
        if (resource == QLatin1String("balance_transactions"))
            continue;
        const QList<QJsonObject> records = q->objects(resource);
        for (const QJsonObject &record : records)
            recordHistory(resource, record);
    }
    populating = false;
}

// Points the records at each other where the link goes the other way round from generation.
void FakeStripeServer::Private::linkPopulated()
{
    const auto group = [this](const QString &resource, const QString &field) {
        QHash<QString, QList<QJsonObject>> out; // oldest first
        const QList<QJsonObject> records = q->objects(resource);
        for (auto it = records.crbegin(); it != records.crend(); ++it)
            out[it->value(field).toString()].append(*it);
        return out;
    };
    const auto patch = [this](const QString &resource, const std::function<void(QJsonObject &)> &fn) {
        StripeCollection &c = collection(resource);
        for (auto &entry : c.ordered)
            fn(entry.second);
    };

    const auto txnBySource = group(str("balance_transactions"), str("source"));
    const auto refundsByCharge = group(str("refunds"), str("charge"));
    const auto disputesByCharge = group(str("disputes"), str("charge"));
    patch(str("charges"), [&](QJsonObject &charge) {
        const QString id = charge.value(QStringLiteral("id")).toString();
        const bool succeeded = charge.value(QStringLiteral("status")).toString() == QLatin1String("succeeded");
        const auto txns = txnBySource.value(id);
        charge.insert(QStringLiteral("balance_transaction"),
                      succeeded && !txns.isEmpty() ? QJsonValue(txns.first().value(QStringLiteral("id")))
                                                   : QJsonValue());
        const QList<QJsonObject> refunds = refundsByCharge.value(id);
        QJsonArray data;
        qint64 refunded = 0;
        for (auto it = refunds.crbegin(); it != refunds.crend() && data.size() < 10; ++it) {
            data.append(*it);
            if (it->value(QStringLiteral("status")).toString() == QLatin1String("succeeded"))
                refunded += it->value(QStringLiteral("amount")).toInteger();
        }
        const qint64 amount = charge.value(QStringLiteral("amount")).toInteger();
        refunded = qMin(refunded, amount);
        QJsonObject list = charge.value(QStringLiteral("refunds")).toObject();
        list.insert(QStringLiteral("data"), data);
        list.insert(QStringLiteral("has_more"), refunds.size() > 10);
        charge.insert(QStringLiteral("refunds"), list);
        charge.insert(QStringLiteral("amount_refunded"), refunded);
        charge.insert(QStringLiteral("refunded"), refunded > 0 && refunded == amount);
        charge.insert(QStringLiteral("disputed"), disputesByCharge.contains(id));
    });
    const auto chargesByIntent = group(str("charges"), str("payment_intent"));
    patch(str("payment_intents"), [&](QJsonObject &intent) {
        const auto charges = chargesByIntent.value(intent.value(QStringLiteral("id")).toString());
        intent.insert(QStringLiteral("latest_charge"),
                      charges.isEmpty() ? QJsonValue() : QJsonValue(charges.last().value(QStringLiteral("id"))));
    });
    const auto pricesByProduct = group(str("prices"), str("product"));
    patch(str("products"), [&](QJsonObject &product) {
        const auto prices = pricesByProduct.value(product.value(QStringLiteral("id")).toString());
        const auto active = std::find_if(prices.cbegin(), prices.cend(), [](const QJsonObject &price) {
            return price.value(QStringLiteral("active")).toBool();
        });
        product.insert(QStringLiteral("default_price"),
                       active == prices.cend() ? QJsonValue() : QJsonValue(active->value(QStringLiteral("id"))));
    });
    patch(str("payouts"), [&](QJsonObject &payout) {
        const auto txns = txnBySource.value(payout.value(QStringLiteral("id")).toString());
        payout.insert(QStringLiteral("balance_transaction"),
                      txns.isEmpty() ? QJsonValue() : QJsonValue(txns.first().value(QStringLiteral("id"))));
    });
    const auto invoicesBySubscription = group(str("invoices"), str("subscription"));
    patch(str("subscriptions"), [&](QJsonObject &subscription) {
        const auto invoices = invoicesBySubscription.value(subscription.value(QStringLiteral("id")).toString());
        subscription.insert(QStringLiteral("latest_invoice"),
                            invoices.isEmpty() ? QJsonValue()
                                               : QJsonValue(invoices.last().value(QStringLiteral("id"))));
    });
}

// The events that led to `record`: its creation and, for some, later changes.
void FakeStripeServer::Private::recordHistory(const QString &resource, const QJsonObject &record)
{
    struct Step
    {
        qint64 at;
        QJsonObject changes; // values after the step
        StripeCause cause;
    };
    const qint64 created = record.value(QStringLiteral("created")).toInteger();
    const qint64 current = now();
    const auto clampTime = [&](qint64 t) { return qBound(created, t, current); };
    const auto apiCause = [this]() {
        StripeCause cause;
        cause.requestId = newRequestId();
        if (chance(0.4))
            cause.idempotencyKey = QString(randomText(8, QStringLiteral("hex")) + QLatin1Char('-')
                                           + randomText(4, QStringLiteral("hex")) + QLatin1Char('-')
                                           + randomText(12, QStringLiteral("hex")));
        return cause;
    };
    const QString status = record.value(QStringLiteral("status")).toString();
    QJsonObject initial = record;
    QList<Step> steps;
    const auto revert = [&](const QJsonObject &old) {
        QJsonObject later;
        for (auto it = old.begin(); it != old.end(); ++it) {
            later.insert(it.key(), record.value(it.key()));
            initial.insert(it.key(), it.value());
        }
        return later;
    };

    if (resource == QLatin1String("customers") && current - created > 60 && chance(0.3)) {
        const QString field = pick({str("description"), str("phone"), str("metadata"), str("name")});
        QJsonValue old;
        if (field == QLatin1String("metadata"))
            old = record.value(field).toObject().isEmpty() ? QJsonValue(
                          QJsonObject {{QStringLiteral("legacy_id"), QStringLiteral("L%1").arg(between(1000, 9999))}})
                                                           : QJsonValue(QJsonObject());
        else if (record.value(field).isNull())
            old = field == QLatin1String("phone") ? QStringLiteral("+1 555 0100") : QStringLiteral("Imported");
        steps.append({stepTime(created, 60, current - created), revert({{field, old}}), apiCause()});
    } else if (resource == QLatin1String("subscriptions") && status == QLatin1String("canceled")) {
        const qint64 at = record.value(QStringLiteral("canceled_at")).toInteger();
        steps.append({clampTime(at),
                      revert({{QStringLiteral("status"), QStringLiteral("active")},
                              {QStringLiteral("canceled_at"), QJsonValue()},
                              {QStringLiteral("ended_at"), QJsonValue()},
                              {QStringLiteral("cancellation_details"),
                               QJsonObject {{QStringLiteral("comment"), QJsonValue()},
                                            {QStringLiteral("feedback"), QJsonValue()},
                                            {QStringLiteral("reason"), QJsonValue()}}}}),
                      StripeCause {}});
    } else if (resource == QLatin1String("invoices") && status != QLatin1String("draft")) {
        const QJsonObject transitions = record.value(QStringLiteral("status_transitions")).toObject();
        QJsonObject finalized = transitions;
        finalized.insert(QStringLiteral("paid_at"), QJsonValue());
        finalized.insert(QStringLiteral("voided_at"), QJsonValue());
        finalized.insert(QStringLiteral("marked_uncollectible_at"), QJsonValue());
        QJsonObject none = finalized;
        none.insert(QStringLiteral("finalized_at"), QJsonValue());
        const qint64 due = record.value(QStringLiteral("amount_due")).toInteger();
        QJsonObject open {{QStringLiteral("status"), QStringLiteral("open")},
                          {QStringLiteral("status_transitions"), finalized},
                          {QStringLiteral("amount_paid"), 0},
                          {QStringLiteral("amount_remaining"), due}};
        const qint64 finalizedAt = transitions.value(QStringLiteral("finalized_at")).toInteger();
        const QJsonObject last = revert({{QStringLiteral("status"), QStringLiteral("draft")},
                                         {QStringLiteral("status_transitions"), none},
                                         {QStringLiteral("amount_paid"), 0},
                                         {QStringLiteral("amount_remaining"), due}});
        if (status == QLatin1String("open")) {
            steps.append({clampTime(finalizedAt), last, StripeCause {}});
        } else {
            steps.append({clampTime(finalizedAt), open, StripeCause {}});
            qint64 at = finalizedAt;
            for (const char *key : {"paid_at", "voided_at", "marked_uncollectible_at"}) {
                if (!transitions.value(str(key)).isNull())
                    at = transitions.value(str(key)).toInteger();
            }
            steps.append({clampTime(at), last, StripeCause {}});
        }
    } else if (resource == QLatin1String("payouts")
               && (status == QLatin1String("paid") || status == QLatin1String("failed"))) {
        QJsonObject old {{QStringLiteral("status"), QStringLiteral("pending")}};
        if (status == QLatin1String("failed")) {
            old.insert(QStringLiteral("failure_code"), QJsonValue());
            old.insert(QStringLiteral("failure_message"), QJsonValue());
        }
        const qint64 at = status == QLatin1String("paid") ? record.value(QStringLiteral("arrival_date")).toInteger()
                                                          : stepTime(created, 3600, stripe::kDay);
        steps.append({clampTime(at), revert(old), StripeCause {}});
    } else if (resource == QLatin1String("payment_intents")
               && (status == QLatin1String("succeeded") || status == QLatin1String("canceled"))) {
        QJsonObject old {{QStringLiteral("status"), QStringLiteral("requires_payment_method")},
                         {QStringLiteral("amount_received"), 0}};
        if (status == QLatin1String("canceled")) {
            old.insert(QStringLiteral("canceled_at"), QJsonValue());
            old.insert(QStringLiteral("cancellation_reason"), QJsonValue());
        }
        steps.append({stepTime(created, 2, 90), revert(old), apiCause()});
    } else if (resource == QLatin1String("disputes")
               && (status == QLatin1String("won") || status == QLatin1String("lost"))) {
        steps.append({stepTime(created, 2 * stripe::kDay, 20 * stripe::kDay),
                      revert({{QStringLiteral("status"), QStringLiteral("needs_response")}}), StripeCause {}});
    }

    recordEvent(creationType(resource, initial), initial, {}, created, apiCause());
    QJsonObject state = initial;
    for (const Step &step : std::as_const(steps)) {
        const QJsonObject before = state;
        QJsonObject previous;
        for (auto it = step.changes.begin(); it != step.changes.end(); ++it) {
            const QJsonValue old = state.value(it.key());
            if (old != it.value())
                previous.insert(it.key(),
                                it.key() == QLatin1String("metadata")
                                        ? QJsonValue(metadataPrevious(old.toObject(), it.value().toObject()))
                                        : old);
            state.insert(it.key(), it.value());
        }
        const QString prefix = stripe::eventPrefix(resource);
        if (resource == QLatin1String("subscriptions")
            && state.value(QStringLiteral("status")).toString() == QLatin1String("canceled")) {
            recordEvent(prefix + QStringLiteral(".deleted"), state, {}, step.at, step.cause);
            continue;
        }
        if (resource != QLatin1String("payment_intents"))
            recordEvent(prefix + QStringLiteral(".updated"), state, previous, step.at, step.cause);
        for (const QString &type : transitionTypes(resource, before, state))
            recordEvent(type, state, {}, step.at, step.cause);
    }
}

} // namespace tributary::test
