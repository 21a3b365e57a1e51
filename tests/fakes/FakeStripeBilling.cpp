// FakeStripeServer: random subscriptions and invoices in the fixtures' shapes.

#include "FakeStripePrivate.h"

namespace tributary::test {

namespace {

QString str(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

qint64 intervalSeconds(const QString &interval, int count)
{
    const qint64 days = interval == QLatin1String("year") ? 365
            : interval == QLatin1String("week")           ? 7
            : interval == QLatin1String("day")            ? 1
                                                          : 30;
    return days * stripe::kDay * qMax(1, count);
}

// The plan object Stripe still renders next to the price of a subscription item.
QJsonObject planFromPrice(const QJsonObject &plan, const QJsonObject &price)
{
    QJsonObject out = plan;
    const QJsonObject recurring = price.value(QStringLiteral("recurring")).toObject();
    for (const char *key : {"id", "active", "billing_scheme", "created", "currency", "livemode", "metadata", "nickname",
                            "product", "tiers_mode"})
        out.insert(str(key), price.value(str(key)));
    out.insert(QStringLiteral("amount"), price.value(QStringLiteral("unit_amount")));
    out.insert(QStringLiteral("amount_decimal"), price.value(QStringLiteral("unit_amount_decimal")));
    out.insert(QStringLiteral("interval"),
               recurring.value(QStringLiteral("interval")).toString(QStringLiteral("month")));
    out.insert(QStringLiteral("interval_count"), recurring.value(QStringLiteral("interval_count")).toInt(1));
    out.insert(QStringLiteral("trial_period_days"), recurring.value(QStringLiteral("trial_period_days")));
    out.insert(QStringLiteral("transform_usage"), QJsonValue());
    out.insert(QStringLiteral("usage_type"), QStringLiteral("licensed"));
    out.insert(QStringLiteral("meter"), QJsonValue());
    return out;
}

} // namespace

QJsonObject FakeStripeServer::Private::makeSubscription(qint64 when)
{
    QJsonObject r = fixture(QStringLiteral("subscription"));
    const QJsonObject customer = linkFor(QStringLiteral("customers"), when);
    QJsonObject price;
    for (int attempt = 0; attempt < 4; ++attempt) { // prefer recurring prices
        price = linkFor(QStringLiteral("prices"), when);
        if (price.isEmpty() || price.value(QStringLiteral("type")).toString() == QLatin1String("recurring"))
            break;
    }
    if (price.isEmpty()) { // no prices yet: the fixture's, with a fresh id
        price = r.value(QStringLiteral("items"))
                        .toObject()
                        .value(QStringLiteral("data"))
                        .toArray()
                        .at(0)
                        .toObject()
                        .value(QStringLiteral("price"))
                        .toObject();
        price.insert(QStringLiteral("id"), newId(QStringLiteral("prices")));
        price.insert(QStringLiteral("product"), newId(QStringLiteral("products")));
    }
    const qint64 current = now();
    const QString id = newId(QStringLiteral("subscriptions"));

    QString status = str("active");
    if (populateIndex == 1)
        status = str("canceled"); // every populated store has one
    else if (populateIndex > 1)
        status = weighted({{str("active"), 55},
                           {str("trialing"), 10},
                           {str("past_due"), 7},
                           {str("canceled"), 18},
                           {str("unpaid"), 3},
                           {str("incomplete"), 4},
                           {str("incomplete_expired"), 3}});

    const QJsonObject recurring = price.value(QStringLiteral("recurring")).toObject();
    const qint64 period = intervalSeconds(recurring.value(QStringLiteral("interval")).toString(),
                                          recurring.value(QStringLiteral("interval_count")).toInt(1));
    qint64 end = current;
    if (status == QLatin1String("canceled") || status == QLatin1String("incomplete_expired"))
        end = qMin(current, when + between64(3600, qMax<qint64>(3600, current - when)));
    const qint64 periodStart = when + ((qMax(end, when) - when) / period) * period;

    QJsonObject item
            = r.value(QStringLiteral("items")).toObject().value(QStringLiteral("data")).toArray().at(0).toObject();
    item.insert(QStringLiteral("id"), token(QStringLiteral("si_"), 14));
    item.insert(QStringLiteral("created"), when);
    item.insert(QStringLiteral("current_period_start"), periodStart);
    item.insert(QStringLiteral("current_period_end"), periodStart + period);
    item.insert(QStringLiteral("billing_thresholds"), QJsonValue());
    item.insert(QStringLiteral("price"), price);
    item.insert(QStringLiteral("plan"), planFromPrice(item.value(QStringLiteral("plan")).toObject(), price));
    item.insert(QStringLiteral("quantity"), chance(0.7) ? 1 : between(2, 25));
    item.insert(QStringLiteral("subscription"), id);
    QJsonObject items = r.value(QStringLiteral("items")).toObject();
    items.insert(QStringLiteral("data"), QJsonArray {item});
    items.insert(QStringLiteral("url"), QString(QStringLiteral("/v1/subscription_items?subscription=") + id));

    r.insert(QStringLiteral("id"), id);
    r.insert(QStringLiteral("created"), when);
    r.insert(QStringLiteral("customer"),
             customer.isEmpty() ? QJsonValue(newId(QStringLiteral("customers")))
                                : customer.value(QStringLiteral("id")));
    r.insert(QStringLiteral("currency"), price.value(QStringLiteral("currency")));
    r.insert(QStringLiteral("items"), items);
    r.insert(QStringLiteral("status"), status);
    r.insert(QStringLiteral("start_date"), when);
    r.insert(QStringLiteral("billing_cycle_anchor"), when);
    r.insert(QStringLiteral("billing_cycle_anchor_config"), QJsonValue());
    r.insert(QStringLiteral("billing_thresholds"), QJsonValue());
    r.insert(QStringLiteral("cancel_at"), QJsonValue());
    r.insert(QStringLiteral("cancel_at_period_end"), status == QLatin1String("active") && chance(0.1));
    const bool ended = status == QLatin1String("canceled") || status == QLatin1String("incomplete_expired");
    r.insert(QStringLiteral("canceled_at"), ended ? QJsonValue(end) : QJsonValue());
    r.insert(QStringLiteral("ended_at"), ended ? QJsonValue(end) : QJsonValue());
    r.insert(QStringLiteral("cancellation_details"),
             QJsonObject {{QStringLiteral("comment"),
                           ended && chance(0.3) ? QJsonValue(QStringLiteral("Too expensive for us right now."))
                                                : QJsonValue()},
                          {QStringLiteral("feedback"),
                           ended && chance(0.5)
                                   ? QJsonValue(pick({str("too_expensive"), str("switched_service"), str("unused")}))
                                   : QJsonValue()},
                          {QStringLiteral("reason"),
                           ended ? QJsonValue(pick({str("cancellation_requested"), str("payment_failed")}))
                                 : QJsonValue()}});
    const bool trialing = status == QLatin1String("trialing");
    r.insert(QStringLiteral("trial_start"), trialing ? QJsonValue(when) : QJsonValue());
    r.insert(QStringLiteral("trial_end"),
             trialing ? QJsonValue(qMax(when + 14 * stripe::kDay, current + stripe::kDay)) : QJsonValue());
    const QString method = weighted({{str("charge_automatically"), 85}, {str("send_invoice"), 15}});
    r.insert(QStringLiteral("collection_method"), method);
    r.insert(QStringLiteral("days_until_due"), method == QLatin1String("send_invoice") ? QJsonValue(30) : QJsonValue());
    r.insert(QStringLiteral("default_payment_method"),
             chance(0.6) ? QJsonValue(token(QStringLiteral("pm_1"), 23)) : QJsonValue());
    r.insert(QStringLiteral("description"),
             chance(0.2) ? QJsonValue(QStringLiteral("Seats for the support team")) : QJsonValue());
    r.insert(QStringLiteral("latest_invoice"), QJsonValue());
    r.insert(QStringLiteral("next_pending_invoice_item_invoice"), QJsonValue());
    r.insert(QStringLiteral("pause_collection"), QJsonValue());
    r.insert(QStringLiteral("pending_invoice_item_interval"), QJsonValue());
    r.insert(QStringLiteral("pending_update"), QJsonValue());
    r.insert(QStringLiteral("transfer_data"), QJsonValue());
    r.insert(QStringLiteral("automatic_tax"),
             QJsonObject {{QStringLiteral("disabled_reason"), QJsonValue()},
                          {QStringLiteral("enabled"), false},
                          {QStringLiteral("liability"), QJsonValue()}});
    r.insert(QStringLiteral("metadata"),
             chance(0.3) ? QJsonObject {{QStringLiteral("seats_source"), pick({str("sales"), str("self-serve")})}}
                         : QJsonObject());
    r.insert(QStringLiteral("livemode"), false);
    return r;
}

QJsonObject FakeStripeServer::Private::makeInvoice(qint64 when)
{
    QJsonObject r = fixture(QStringLiteral("invoice"));
    const QJsonObject subscription = chance(0.6) ? linkFor(QStringLiteral("subscriptions"), when) : QJsonObject();
    QJsonObject customer;
    if (!subscription.isEmpty())
        customer = q->object(QStringLiteral("customers"), subscription.value(QStringLiteral("customer")).toString());
    else
        customer = linkFor(QStringLiteral("customers"), when);
    const QString id = newId(QStringLiteral("invoices"));
    const QJsonObject item = subscription.value(QStringLiteral("items"))
                                     .toObject()
                                     .value(QStringLiteral("data"))
                                     .toArray()
                                     .at(0)
                                     .toObject();
    const QJsonObject price = item.value(QStringLiteral("price")).toObject();

    QString currency = subscription.value(QStringLiteral("currency")).toString();
    if (currency.isEmpty())
        currency = customer.value(QStringLiteral("currency")).toString();
    if (currency.isEmpty())
        currency = randomCurrency();
    const int quantity = subscription.isEmpty() ? between(1, 3) : item.value(QStringLiteral("quantity")).toInt(1);
    const qint64 unit = price.isEmpty() ? amountFor(currency) : price.value(QStringLiteral("unit_amount")).toInteger();
    const qint64 subtotal = unit * quantity;
    const QString status = populateIndex < 0 ? str("draft")
                                             : weighted({{str("draft"), 10},
                                                         {str("open"), 15},
                                                         {str("paid"), 60},
                                                         {str("void"), 8},
                                                         {str("uncollectible"), 7}});
    const bool draft = status == QLatin1String("draft");
    const bool paid = status == QLatin1String("paid");
    const QString method = subscription.isEmpty()
            ? weighted({{str("charge_automatically"), 70}, {str("send_invoice"), 30}})
            : subscription.value(QStringLiteral("collection_method")).toString();
    const qint64 finalizedAt = stepTime(when, 60, 3600);
    const qint64 closedAt = stepTime(finalizedAt, 0, 3 * stripe::kDay);

    QJsonObject line
            = r.value(QStringLiteral("lines")).toObject().value(QStringLiteral("data")).toArray().at(0).toObject();
    line.insert(QStringLiteral("id"), token(QStringLiteral("il_1"), 23));
    line.insert(QStringLiteral("invoice"), id);
    line.insert(QStringLiteral("amount"), subtotal);
    line.insert(QStringLiteral("currency"), currency);
    line.insert(QStringLiteral("quantity"), quantity);
    line.insert(QStringLiteral("period"),
                QJsonObject {{QStringLiteral("end"), when}, {QStringLiteral("start"), when - 30 * stripe::kDay}});
    line.insert(QStringLiteral("pricing"),
                QJsonObject {{QStringLiteral("type"), QStringLiteral("price_details")},
                             {QStringLiteral("price_details"),
                              QJsonObject {{QStringLiteral("price"),
                                            price.isEmpty() ? QJsonValue() : price.value(QStringLiteral("id"))},
                                           {QStringLiteral("product"),
                                            price.isEmpty() ? QJsonValue() : price.value(QStringLiteral("product"))}}},
                             {QStringLiteral("unit_amount_decimal"), QString::number(unit)}});
    const QJsonObject noCredits {{QStringLiteral("credited_items"), QJsonValue()}};
    if (subscription.isEmpty()) {
        line.insert(QStringLiteral("description"),
                    pick({str("Setup fee"), str("Consulting, 3 hours"),
                          QStringLiteral("Café order \u2116 %1").arg(between(1, 999)), str("Hardware replacement")}));
        line.insert(QStringLiteral("subscription"), QJsonValue());
        line.insert(QStringLiteral("parent"),
                    QJsonObject {{QStringLiteral("type"), QStringLiteral("invoice_item_details")},
                                 {QStringLiteral("invoice_item_details"),
                                  QJsonObject {{QStringLiteral("invoice_item"), token(QStringLiteral("ii_1"), 23)},
                                               {QStringLiteral("proration"), false},
                                               {QStringLiteral("proration_details"), noCredits},
                                               {QStringLiteral("subscription"), QJsonValue()}}},
                                 {QStringLiteral("subscription_item_details"), QJsonValue()}});
    } else {
        line.insert(
                QStringLiteral("description"),
                QStringLiteral("%1 \u00d7 subscription (at %2 %3)").arg(quantity).arg(unit).arg(currency.toUpper()));
        line.insert(QStringLiteral("subscription"), subscription.value(QStringLiteral("id")));
        line.insert(
                QStringLiteral("parent"),
                QJsonObject {{QStringLiteral("type"), QStringLiteral("subscription_item_details")},
                             {QStringLiteral("invoice_item_details"), QJsonValue()},
                             {QStringLiteral("subscription_item_details"),
                              QJsonObject {{QStringLiteral("invoice_item"), QJsonValue()},
                                           {QStringLiteral("proration"), false},
                                           {QStringLiteral("proration_details"), noCredits},
                                           {QStringLiteral("subscription"), subscription.value(QStringLiteral("id"))},
                                           {QStringLiteral("subscription_item"), item.value(QStringLiteral("id"))}}}});
    }
    QJsonObject lines = r.value(QStringLiteral("lines")).toObject();
    lines.insert(QStringLiteral("data"), QJsonArray {line});
    lines.insert(QStringLiteral("url"), QStringLiteral("/v1/invoices/%1/lines").arg(id));

    r.insert(QStringLiteral("id"), id);
    r.insert(QStringLiteral("created"), when);
    r.insert(QStringLiteral("lines"), lines);
    r.insert(QStringLiteral("status"), status);
    r.insert(QStringLiteral("currency"), currency);
    r.insert(QStringLiteral("customer"),
             customer.isEmpty() ? QJsonValue(newId(QStringLiteral("customers")))
                                : customer.value(QStringLiteral("id")));
    r.insert(QStringLiteral("customer_email"),
             customer.value(QStringLiteral("email")).isString() ? customer.value(QStringLiteral("email"))
                                                                : QJsonValue());
    r.insert(QStringLiteral("customer_name"),
             customer.value(QStringLiteral("name")).isString() ? customer.value(QStringLiteral("name")) : QJsonValue());
    r.insert(QStringLiteral("customer_phone"),
             customer.value(QStringLiteral("phone")).isString() ? customer.value(QStringLiteral("phone"))
                                                                : QJsonValue());
    r.insert(QStringLiteral("customer_address"),
             customer.value(QStringLiteral("address")).isObject() ? customer.value(QStringLiteral("address"))
                                                                  : QJsonValue());
    r.insert(QStringLiteral("customer_shipping"), QJsonValue());
    r.insert(QStringLiteral("subscription"),
             subscription.isEmpty() ? QJsonValue() : subscription.value(QStringLiteral("id")));
    r.insert(QStringLiteral("parent"),
             subscription.isEmpty()
                     ? QJsonValue()
                     : QJsonValue(QJsonObject {
                             {QStringLiteral("quote_details"), QJsonValue()},
                             {QStringLiteral("subscription_details"),
                              QJsonObject {{QStringLiteral("metadata"), QJsonValue()},
                                           {QStringLiteral("subscription"), subscription.value(QStringLiteral("id"))}}},
                             {QStringLiteral("type"), QStringLiteral("subscription_details")}}));
    r.insert(QStringLiteral("billing_reason"),
             subscription.isEmpty() ? QStringLiteral("manual")
                     : chance(0.3)  ? QStringLiteral("subscription_create")
                                    : QStringLiteral("subscription_cycle"));
    for (const char *key : {"subtotal", "subtotal_excluding_tax", "total", "total_excluding_tax", "amount_due"})
        r.insert(str(key), subtotal);
    r.insert(QStringLiteral("amount_paid"), paid ? subtotal : 0);
    r.insert(QStringLiteral("amount_remaining"),
             draft || status == QLatin1String("open") || status == QLatin1String("uncollectible") ? subtotal : 0);
    r.insert(QStringLiteral("amount_overpaid"), 0);
    r.insert(QStringLiteral("total_taxes"), QJsonArray());
    r.insert(QStringLiteral("collection_method"), method);
    r.insert(QStringLiteral("due_date"),
             method == QLatin1String("send_invoice") ? QJsonValue(when + 30 * stripe::kDay) : QJsonValue());
    r.insert(QStringLiteral("attempted"), !draft && method == QLatin1String("charge_automatically"));
    r.insert(QStringLiteral("attempt_count"), paid ? 1 : draft ? 0 : between(0, 4));
    r.insert(QStringLiteral("auto_advance"), draft || status == QLatin1String("open"));
    r.insert(QStringLiteral("automatically_finalizes_at"), draft ? QJsonValue(when + 3600) : QJsonValue());
    r.insert(QStringLiteral("next_payment_attempt"),
             status == QLatin1String("open") && method == QLatin1String("charge_automatically")
                     ? QJsonValue(when + 3 * stripe::kDay)
                     : QJsonValue());
    r.insert(QStringLiteral("effective_at"), draft ? QJsonValue() : QJsonValue(finalizedAt));
    const QString prefix
            = customer.value(QStringLiteral("invoice_prefix")).toString(randomText(8, QStringLiteral("upper")));
    r.insert(QStringLiteral("number"),
             draft ? QJsonValue()
                   : QJsonValue(QStringLiteral("%1-%2").arg(prefix).arg(++serial, 4, 10, QLatin1Char('0'))));
    const QString secret = token(QStringLiteral("test_"), 40);
    r.insert(QStringLiteral("hosted_invoice_url"),
             draft ? QJsonValue()
                   : QJsonValue(QStringLiteral("https://invoice.stripe.com/i/%1/%2").arg(accountId, secret)));
    r.insert(
            QStringLiteral("invoice_pdf"),
            draft ? QJsonValue()
                  : QJsonValue(QStringLiteral("https://pay.stripe.com/invoice/%1/%2/pdf?s=ap").arg(accountId, secret)));
    r.insert(QStringLiteral("status_transitions"),
             QJsonObject {{QStringLiteral("finalized_at"), draft ? QJsonValue() : QJsonValue(finalizedAt)},
                          {QStringLiteral("paid_at"), paid ? QJsonValue(closedAt) : QJsonValue()},
                          {QStringLiteral("voided_at"),
                           status == QLatin1String("void") ? QJsonValue(closedAt) : QJsonValue()},
                          {QStringLiteral("marked_uncollectible_at"),
                           status == QLatin1String("uncollectible") ? QJsonValue(closedAt) : QJsonValue()}});
    r.insert(QStringLiteral("period_start"), when - 30 * stripe::kDay);
    r.insert(QStringLiteral("period_end"), when);
    r.insert(QStringLiteral("webhooks_delivered_at"), draft ? QJsonValue() : QJsonValue(finalizedAt));
    r.insert(QStringLiteral("ending_balance"), draft ? QJsonValue() : QJsonValue(0));
    r.insert(QStringLiteral("account_name"), QStringLiteral("Tributary Test Co"));
    r.insert(QStringLiteral("description"),
             chance(0.2) ? QJsonValue(QStringLiteral("Thanks for your order!")) : QJsonValue());
    r.insert(QStringLiteral("from_invoice"), QJsonValue());
    r.insert(QStringLiteral("last_finalization_error"), QJsonValue());
    r.insert(QStringLiteral("shipping_cost"), QJsonValue());
    r.insert(QStringLiteral("shipping_details"), QJsonValue());
    r.insert(QStringLiteral("metadata"),
             chance(0.25)
                     ? QJsonObject {{QStringLiteral("order_id"), QStringLiteral("ORD-%1").arg(between(10000, 99999))}}
                     : QJsonObject());
    r.insert(QStringLiteral("livemode"), false);
    return r;
}

} // namespace tributary::test
