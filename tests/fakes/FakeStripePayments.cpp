// FakeStripeServer: random payment intents, charges, refunds, disputes, balance transactions and
// payouts in the fixtures' shapes.

#include "FakeStripePrivate.h"

namespace tributary::test {

namespace {

QString str(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

QJsonValue stringOrNull(const QJsonValue &value)
{
    return value.isString() ? value : QJsonValue();
}

} // namespace

QJsonObject FakeStripeServer::Private::makePaymentIntent(qint64 when)
{
    QJsonObject r = fixture(QStringLiteral("payment_intent"));
    const QJsonObject customer = chance(0.8) ? linkFor(QStringLiteral("customers"), when) : QJsonObject();
    const QString id = newId(QStringLiteral("payment_intents"));
    QString currency = customer.value(QStringLiteral("currency")).toString();
    if (currency.isEmpty())
        currency = randomCurrency();
    const qint64 amount = amountFor(currency);
    const QString status = populateIndex < 0 ? str("requires_payment_method")
                                             : weighted({{str("succeeded"), 65},
                                                         {str("requires_payment_method"), 10},
                                                         {str("canceled"), 10},
                                                         {str("processing"), 5},
                                                         {str("requires_action"), 5},
                                                         {str("requires_capture"), 5}});
    const bool canceled = status == QLatin1String("canceled");
    r.insert(QStringLiteral("id"), id);
    r.insert(QStringLiteral("created"), when);
    r.insert(QStringLiteral("amount"), amount);
    r.insert(QStringLiteral("currency"), currency);
    r.insert(QStringLiteral("status"), status);
    r.insert(QStringLiteral("customer"), customer.isEmpty() ? QJsonValue() : customer.value(QStringLiteral("id")));
    r.insert(QStringLiteral("amount_received"), status == QLatin1String("succeeded") ? amount : 0);
    r.insert(QStringLiteral("amount_capturable"), status == QLatin1String("requires_capture") ? amount : 0);
    r.insert(QStringLiteral("canceled_at"), canceled ? QJsonValue(stepTime(when, 60, 2 * stripe::kDay)) : QJsonValue());
    r.insert(QStringLiteral("cancellation_reason"),
             canceled ? QJsonValue(pick({str("requested_by_customer"), str("abandoned"), str("duplicate")}))
                      : QJsonValue());
    r.insert(QStringLiteral("capture_method"),
             status == QLatin1String("requires_capture") ? QStringLiteral("manual")
                                                         : QStringLiteral("automatic_async"));
    r.insert(QStringLiteral("client_secret"), token(id + QStringLiteral("_secret_"), 25));
    r.insert(QStringLiteral("description"),
             chance(0.5) ? QJsonValue(QStringLiteral("Order #%1").arg(between(1000, 99999))) : QJsonValue());
    r.insert(QStringLiteral("last_payment_error"),
             status == QLatin1String("requires_payment_method") && chance(0.5) ? QJsonValue(
                     QJsonObject {{QStringLiteral("code"), QStringLiteral("card_declined")},
                                  {QStringLiteral("decline_code"), QStringLiteral("insufficient_funds")},
                                  {QStringLiteral("message"), QStringLiteral("Your card has insufficient funds.")},
                                  {QStringLiteral("type"), QStringLiteral("card_error")}})
                                                                               : QJsonValue());
    r.insert(QStringLiteral("latest_charge"), QJsonValue());
    r.insert(QStringLiteral("next_action"),
             status == QLatin1String("requires_action")
                     ? QJsonValue(QJsonObject {{QStringLiteral("type"), QStringLiteral("use_stripe_sdk")},
                                               {QStringLiteral("use_stripe_sdk"), QJsonObject()}})
                     : QJsonValue());
    r.insert(QStringLiteral("payment_method"),
             status == QLatin1String("requires_payment_method") ? QJsonValue()
                                                                : QJsonValue(token(QStringLiteral("pm_1"), 23)));
    r.insert(QStringLiteral("payment_method_configuration_details"), QJsonValue());
    r.insert(QStringLiteral("payment_method_types"),
             chance(0.7) ? QJsonArray {str("card")} : QJsonArray {str("card"), str("link")});
    r.insert(QStringLiteral("processing"),
             status == QLatin1String("processing") ? QJsonValue(QJsonObject {
                     {QStringLiteral("type"), QStringLiteral("card")}, {QStringLiteral("card"), QJsonObject()}})
                                                   : QJsonValue());
    r.insert(QStringLiteral("receipt_email"), stringOrNull(customer.value(QStringLiteral("email"))));
    r.insert(QStringLiteral("shipping"), QJsonValue());
    r.insert(QStringLiteral("transfer_data"), QJsonValue());
    r.insert(QStringLiteral("metadata"),
             chance(0.3) ? QJsonObject {{QStringLiteral("cart_id"), QStringLiteral("cart_%1").arg(between(1, 99999))}}
                         : QJsonObject());
    r.insert(QStringLiteral("livemode"), false);
    return r;
}

QJsonObject FakeStripeServer::Private::makeCharge(qint64 when)
{
    QJsonObject r = fixture(QStringLiteral("charge"));
    const QJsonObject intent = chance(0.7) ? linkFor(QStringLiteral("payment_intents"), when) : QJsonObject();
    QJsonObject customer;
    if (intent.value(QStringLiteral("customer")).isString())
        customer = q->object(QStringLiteral("customers"), intent.value(QStringLiteral("customer")).toString());
    else if (intent.isEmpty() && chance(0.8))
        customer = linkFor(QStringLiteral("customers"), when);
    const QString id = newId(QStringLiteral("charges"));

    QString status;
    const QString intentStatus = intent.value(QStringLiteral("status")).toString();
    if (populateIndex < 0)
        status = str("succeeded");
    else if (intentStatus == QLatin1String("succeeded"))
        status = str("succeeded");
    else if (intentStatus == QLatin1String("requires_payment_method"))
        status = str("failed");
    else if (intentStatus == QLatin1String("processing"))
        status = str("pending");
    else
        status = weighted({{str("succeeded"), 80}, {str("failed"), 12}, {str("pending"), 8}});
    const bool succeeded = status == QLatin1String("succeeded");
    const bool failed = status == QLatin1String("failed");
    QString currency = intent.value(QStringLiteral("currency")).toString();
    if (currency.isEmpty())
        currency = customer.value(QStringLiteral("currency")).toString();
    if (currency.isEmpty())
        currency = randomCurrency();
    const qint64 amount = intent.isEmpty() ? amountFor(currency) : intent.value(QStringLiteral("amount")).toInteger();
    const bool captured = succeeded && chance(0.95);

    r.insert(QStringLiteral("id"), id);
    r.insert(QStringLiteral("created"), when);
    r.insert(QStringLiteral("amount"), amount);
    r.insert(QStringLiteral("currency"), currency);
    r.insert(QStringLiteral("status"), status);
    r.insert(QStringLiteral("paid"), succeeded);
    r.insert(QStringLiteral("captured"), captured);
    r.insert(QStringLiteral("amount_captured"), captured ? amount : 0);
    r.insert(QStringLiteral("amount_refunded"), 0);
    r.insert(QStringLiteral("refunded"), false);
    r.insert(QStringLiteral("disputed"), false);
    r.insert(QStringLiteral("balance_transaction"), QJsonValue());
    r.insert(QStringLiteral("customer"), customer.isEmpty() ? QJsonValue() : customer.value(QStringLiteral("id")));
    r.insert(QStringLiteral("payment_intent"), intent.isEmpty() ? QJsonValue() : intent.value(QStringLiteral("id")));
    QJsonObject billing = r.value(QStringLiteral("billing_details")).toObject();
    if (customer.value(QStringLiteral("address")).isObject())
        billing.insert(QStringLiteral("address"), customer.value(QStringLiteral("address")));
    billing.insert(QStringLiteral("email"), stringOrNull(customer.value(QStringLiteral("email"))));
    billing.insert(QStringLiteral("name"), stringOrNull(customer.value(QStringLiteral("name"))));
    billing.insert(QStringLiteral("phone"), stringOrNull(customer.value(QStringLiteral("phone"))));
    r.insert(QStringLiteral("billing_details"), billing);
    r.insert(QStringLiteral("calculated_statement_descriptor"), QStringLiteral("TRIBUTARY* TEST"));
    r.insert(QStringLiteral("description"),
             intent.isEmpty()
                     ? (chance(0.5) ? QJsonValue(QStringLiteral("Order #%1").arg(between(1000, 99999))) : QJsonValue())
                     : intent.value(QStringLiteral("description")));
    static const QList<QPair<QString, QString>> failures {
            {str("card_declined"), str("Your card was declined.")},
            {str("insufficient_funds"), str("Your card has insufficient funds.")},
            {str("expired_card"), str("Your card has expired.")}};
    const auto failure = failures.at(between(0, int(failures.size()) - 1));
    r.insert(QStringLiteral("failure_code"), failed ? QJsonValue(failure.first) : QJsonValue());
    r.insert(QStringLiteral("failure_message"), failed ? QJsonValue(failure.second) : QJsonValue());
    QJsonObject outcome = r.value(QStringLiteral("outcome")).toObject();
    outcome.insert(QStringLiteral("network_status"),
                   failed ? QStringLiteral("declined_by_network") : QStringLiteral("approved_by_network"));
    outcome.insert(QStringLiteral("reason"), failed ? QJsonValue(QStringLiteral("generic_decline")) : QJsonValue());
    outcome.insert(QStringLiteral("risk_level"), QStringLiteral("normal"));
    outcome.insert(QStringLiteral("risk_score"), between(0, 80));
    outcome.insert(QStringLiteral("seller_message"),
                   failed ? QStringLiteral("The bank did not return any further details with this decline.")
                          : QStringLiteral("Payment complete."));
    outcome.insert(QStringLiteral("type"), failed ? QStringLiteral("issuer_declined") : QStringLiteral("authorized"));
    r.insert(QStringLiteral("outcome"), outcome);
    r.insert(QStringLiteral("payment_method"), token(QStringLiteral("pm_1"), 23));
    QJsonObject details = r.value(QStringLiteral("payment_method_details")).toObject();
    QJsonObject card = details.value(QStringLiteral("card")).toObject();
    const QString brand
            = weighted({{str("visa"), 50}, {str("mastercard"), 30}, {str("amex"), 15}, {str("discover"), 5}});
    card.insert(QStringLiteral("brand"), brand);
    card.insert(QStringLiteral("network"), brand);
    card.insert(QStringLiteral("last4"), randomText(4, QStringLiteral("digits")));
    card.insert(QStringLiteral("exp_month"), between(1, 12));
    card.insert(QStringLiteral("exp_year"), between(2026, 2032));
    card.insert(QStringLiteral("country"), pick({str("US"), str("GB"), str("DE"), str("FR"), str("JP")}));
    card.insert(QStringLiteral("funding"), weighted({{str("credit"), 60}, {str("debit"), 35}, {str("prepaid"), 5}}));
    card.insert(QStringLiteral("fingerprint"), randomText(16, QStringLiteral("alnum")));
    card.insert(QStringLiteral("wallet"), QJsonValue());
    QJsonObject overcapture = card.value(QStringLiteral("overcapture")).toObject();
    overcapture.insert(QStringLiteral("maximum_amount_capturable"), amount);
    card.insert(QStringLiteral("overcapture"), overcapture);
    details.insert(QStringLiteral("card"), card);
    r.insert(QStringLiteral("payment_method_details"), details);
    r.insert(QStringLiteral("receipt_email"), stringOrNull(customer.value(QStringLiteral("email"))));
    r.insert(QStringLiteral("receipt_url"), token(QStringLiteral("https://pay.stripe.com/receipts/payment/"), 60));
    r.insert(QStringLiteral("refunds"),
             QJsonObject {{QStringLiteral("object"), QStringLiteral("list")},
                          {QStringLiteral("data"), QJsonArray()},
                          {QStringLiteral("has_more"), false},
                          {QStringLiteral("url"), QStringLiteral("/v1/charges/%1/refunds").arg(id)}});
    r.insert(QStringLiteral("shipping"), QJsonValue());
    r.insert(QStringLiteral("source"), QJsonValue());
    r.insert(QStringLiteral("transfer_data"), QJsonValue());
    r.insert(QStringLiteral("metadata"),
             chance(0.3)
                     ? QJsonObject {{QStringLiteral("order_id"), QStringLiteral("ORD-%1").arg(between(10000, 99999))}}
                     : QJsonObject());
    r.insert(QStringLiteral("livemode"), false);
    return r;
}

// A random charge, preferably one that succeeded.
QJsonObject FakeStripeServer::Private::paidCharge(qint64 &when)
{
    QJsonObject charge;
    for (int attempt = 0; attempt < 5; ++attempt) {
        charge = linkFor(QStringLiteral("charges"), when);
        if (charge.isEmpty() || charge.value(QStringLiteral("status")).toString() == QLatin1String("succeeded"))
            break;
    }
    return charge;
}

QJsonObject FakeStripeServer::Private::makeRefund(qint64 when)
{
    QJsonObject r = fixture(QStringLiteral("refund"));
    const QJsonObject charge = paidCharge(when);
    const QString currency = charge.isEmpty() ? randomCurrency() : charge.value(QStringLiteral("currency")).toString();
    const qint64 chargeAmount
            = charge.isEmpty() ? amountFor(currency) : charge.value(QStringLiteral("amount")).toInteger();
    const QString status = populateIndex < 0
            ? str("succeeded")
            : weighted({{str("succeeded"), 85}, {str("pending"), 8}, {str("failed"), 4}, {str("canceled"), 3}});
    r.insert(QStringLiteral("id"), newId(QStringLiteral("refunds")));
    r.insert(QStringLiteral("created"), when);
    r.insert(QStringLiteral("amount"), chance(0.6) ? chargeAmount : qMax<qint64>(1, chargeAmount / between(2, 5)));
    r.insert(QStringLiteral("currency"), currency);
    r.insert(QStringLiteral("charge"),
             charge.isEmpty() ? QJsonValue(newId(QStringLiteral("charges"))) : charge.value(QStringLiteral("id")));
    r.insert(QStringLiteral("payment_intent"),
             charge.value(QStringLiteral("payment_intent")).isString() ? charge.value(QStringLiteral("payment_intent"))
                                                                       : QJsonValue());
    r.insert(QStringLiteral("status"), status);
    r.insert(QStringLiteral("reason"),
             chance(0.4) ? QJsonValue()
                         : QJsonValue(pick({str("duplicate"), str("fraudulent"), str("requested_by_customer")})));
    if (status == QLatin1String("failed"))
        r.insert(QStringLiteral("failure_reason"), QStringLiteral("expired_or_canceled_card"));
    r.insert(QStringLiteral("destination_details"),
             QJsonObject {{QStringLiteral("card"),
                           QJsonObject {{QStringLiteral("reference"), randomText(12, QStringLiteral("digits"))},
                                        {QStringLiteral("reference_status"), QStringLiteral("available")},
                                        {QStringLiteral("reference_type"), QStringLiteral("acquirer_reference_number")},
                                        {QStringLiteral("type"), QStringLiteral("refund")}}},
                          {QStringLiteral("type"), QStringLiteral("card")}});
    r.insert(QStringLiteral("metadata"),
             chance(0.2) ? QJsonObject {{QStringLiteral("ticket"), QStringLiteral("SUP-%1").arg(between(100, 9999))}}
                         : QJsonObject());
    return r;
}

QJsonObject FakeStripeServer::Private::makeDispute(qint64 when)
{
    QJsonObject r = fixture(QStringLiteral("dispute"));
    const QJsonObject charge = paidCharge(when);
    const QString status = populateIndex < 0 ? str("needs_response")
                                             : weighted({{str("warning_needs_response"), 10},
                                                         {str("needs_response"), 25},
                                                         {str("under_review"), 20},
                                                         {str("won"), 25},
                                                         {str("lost"), 20}});
    const bool hasEvidence = status == QLatin1String("under_review") || status == QLatin1String("won")
            || status == QLatin1String("lost");
    const QString currency = charge.isEmpty() ? randomCurrency() : charge.value(QStringLiteral("currency")).toString();
    r.insert(QStringLiteral("id"), newId(QStringLiteral("disputes")));
    r.insert(QStringLiteral("created"), when);
    r.insert(QStringLiteral("amount"),
             charge.isEmpty() ? amountFor(currency) : charge.value(QStringLiteral("amount")).toInteger());
    r.insert(QStringLiteral("currency"), currency);
    r.insert(QStringLiteral("charge"),
             charge.isEmpty() ? QJsonValue(newId(QStringLiteral("charges"))) : charge.value(QStringLiteral("id")));
    r.insert(QStringLiteral("payment_intent"),
             charge.value(QStringLiteral("payment_intent")).isString() ? charge.value(QStringLiteral("payment_intent"))
                                                                       : QJsonValue());
    r.insert(QStringLiteral("status"), status);
    r.insert(QStringLiteral("reason"),
             pick({str("general"), str("fraudulent"), str("product_not_received"), str("duplicate"),
                   str("subscription_canceled"), str("unrecognized")}));
    r.insert(QStringLiteral("is_charge_refundable"),
             status == QLatin1String("warning_needs_response") || status == QLatin1String("needs_response"));
    QJsonObject evidence = r.value(QStringLiteral("evidence")).toObject();
    if (hasEvidence) {
        evidence.insert(QStringLiteral("customer_email_address"), charge.value(QStringLiteral("receipt_email")));
        evidence.insert(QStringLiteral("uncategorized_text"),
                        QStringLiteral("Customer used the service for 3 months."));
    }
    r.insert(QStringLiteral("evidence"), evidence);
    r.insert(QStringLiteral("evidence_details"),
             QJsonObject {{QStringLiteral("due_by"), when + 7 * stripe::kDay},
                          {QStringLiteral("enhanced_eligibility"), QJsonObject()},
                          {QStringLiteral("has_evidence"), hasEvidence},
                          {QStringLiteral("past_due"), false},
                          {QStringLiteral("submission_count"), hasEvidence ? 1 : 0}});
    QJsonObject details = r.value(QStringLiteral("payment_method_details")).toObject();
    QJsonObject card = details.value(QStringLiteral("card")).toObject();
    card.insert(QStringLiteral("brand"),
                charge.value(QStringLiteral("payment_method_details"))
                        .toObject()
                        .value(QStringLiteral("card"))
                        .toObject()
                        .value(QStringLiteral("brand"))
                        .toString(QStringLiteral("visa")));
    card.insert(QStringLiteral("case_type"),
                status.startsWith(QLatin1String("warning")) ? QStringLiteral("inquiry") : QStringLiteral("chargeback"));
    card.insert(QStringLiteral("network_reason_code"), pick({str("10.4"), str("13.1"), str("4837"), str("4853")}));
    details.insert(QStringLiteral("card"), card);
    r.insert(QStringLiteral("payment_method_details"), details);
    r.insert(QStringLiteral("enhanced_eligibility_types"),
             chance(0.5) ? r.value(QStringLiteral("enhanced_eligibility_types")) : QJsonArray());
    r.insert(QStringLiteral("metadata"), QJsonObject());
    r.insert(QStringLiteral("livemode"), false);
    return r;
}

QJsonObject FakeStripeServer::Private::makeBalanceTransaction(qint64 when)
{
    QJsonObject r = fixture(QStringLiteral("balance_transaction"));
    QString type = weighted({{str("charge"), 60},
                             {str("refund"), 15},
                             {str("payout"), 15},
                             {str("adjustment"), 5},
                             {str("stripe_fee"), 5}});
    QJsonObject source;
    if (type == QLatin1String("charge"))
        source = paidCharge(when);
    else if (type == QLatin1String("refund"))
        source = linkFor(QStringLiteral("refunds"), when);
    else if (type == QLatin1String("payout"))
        source = linkFor(QStringLiteral("payouts"), when);
    if (source.isEmpty()
        && (type == QLatin1String("charge") || type == QLatin1String("refund") || type == QLatin1String("payout")))
        type = str("adjustment");
    const QString currency = source.isEmpty() ? randomCurrency() : source.value(QStringLiteral("currency")).toString();
    const qint64 sourceAmount = source.value(QStringLiteral("amount")).toInteger();
    qint64 amount = 0;
    qint64 fee = 0;
    QString category;
    QJsonValue description;
    if (type == QLatin1String("charge")) {
        amount = sourceAmount;
        fee = currency == QLatin1String("jpy") ? amount * 36 / 1000 : amount * 29 / 1000 + 30;
        category = str("charge");
        description = source.value(QStringLiteral("description"));
    } else if (type == QLatin1String("refund")) {
        amount = -sourceAmount;
        category = str("refund");
        description = QStringLiteral("REFUND FOR CHARGE");
    } else if (type == QLatin1String("payout")) {
        amount = -sourceAmount;
        category = str("payout");
        description = QStringLiteral("STRIPE PAYOUT");
    } else if (type == QLatin1String("adjustment")) {
        amount = between(-5000, 5000);
        category = str("other_adjustment");
        description = QStringLiteral("Adjustment for a disputed charge");
    } else {
        amount = -between(100, 2000);
        category = str("fee");
        description = QStringLiteral("Billing - Usage Fee (2026-01-01 - 2026-01-31)");
    }
    const qint64 availableOn = (when / stripe::kDay + 2) * stripe::kDay;
    r.insert(QStringLiteral("id"), newId(QStringLiteral("balance_transactions")));
    r.insert(QStringLiteral("created"), when);
    r.insert(QStringLiteral("type"), type);
    r.insert(QStringLiteral("amount"), amount);
    r.insert(QStringLiteral("fee"), fee);
    r.insert(QStringLiteral("net"), amount - fee);
    r.insert(QStringLiteral("currency"), currency);
    r.insert(QStringLiteral("fee_details"),
             fee == 0 ? QJsonArray()
                      : QJsonArray {
                              QJsonObject {{QStringLiteral("amount"), fee},
                                           {QStringLiteral("application"), QJsonValue()},
                                           {QStringLiteral("currency"), currency},
                                           {QStringLiteral("description"), QStringLiteral("Stripe processing fees")},
                                           {QStringLiteral("type"), QStringLiteral("stripe_fee")}}});
    r.insert(QStringLiteral("reporting_category"), category);
    r.insert(QStringLiteral("description"), description.isString() ? description : QJsonValue());
    r.insert(QStringLiteral("source"), source.isEmpty() ? QJsonValue() : source.value(QStringLiteral("id")));
    r.insert(QStringLiteral("available_on"), availableOn);
    r.insert(QStringLiteral("status"), availableOn <= now() ? QStringLiteral("available") : QStringLiteral("pending"));
    r.insert(QStringLiteral("exchange_rate"),
             currency != QLatin1String("usd") && chance(0.3) ? QJsonValue(1.0837) : QJsonValue());
    return r;
}

QJsonObject FakeStripeServer::Private::makePayout(qint64 when)
{
    QJsonObject r = fixture(QStringLiteral("payout"));
    const bool instant = chance(0.1);
    const qint64 arrival = instant ? when : (when / stripe::kDay + 2) * stripe::kDay;
    QString status;
    if (populateIndex < 0)
        status = str("pending");
    else if (arrival <= now())
        status = weighted({{str("paid"), 85}, {str("failed"), 8}, {str("canceled"), 7}});
    else
        status = weighted({{str("pending"), 50}, {str("in_transit"), 50}});
    const bool paid = status == QLatin1String("paid");
    const bool failed = status == QLatin1String("failed");
    r.insert(QStringLiteral("id"), newId(QStringLiteral("payouts")));
    r.insert(QStringLiteral("created"), when);
    r.insert(QStringLiteral("amount"), between(1000, 200000));
    r.insert(QStringLiteral("currency"), weighted({{str("usd"), 70}, {str("eur"), 20}, {str("gbp"), 10}}));
    r.insert(QStringLiteral("arrival_date"), arrival);
    r.insert(QStringLiteral("automatic"), chance(0.8));
    r.insert(QStringLiteral("method"), instant ? QStringLiteral("instant") : QStringLiteral("standard"));
    r.insert(QStringLiteral("status"), status);
    r.insert(QStringLiteral("balance_transaction"), QJsonValue());
    r.insert(QStringLiteral("destination"), token(QStringLiteral("ba_1"), 23));
    r.insert(QStringLiteral("failure_code"), failed ? QJsonValue(QStringLiteral("account_closed")) : QJsonValue());
    r.insert(QStringLiteral("failure_message"),
             failed ? QJsonValue(QStringLiteral("The bank account has been closed.")) : QJsonValue());
    r.insert(QStringLiteral("reconciliation_status"),
             paid ? QStringLiteral("completed") : QStringLiteral("in_progress"));
    r.insert(QStringLiteral("trace_id"),
             QJsonObject {{QStringLiteral("status"), paid ? QStringLiteral("supported") : QStringLiteral("pending")},
                          {QStringLiteral("value"),
                           paid ? QJsonValue(randomText(15, QStringLiteral("digits"))) : QJsonValue()}});
    r.insert(QStringLiteral("statement_descriptor"),
             chance(0.2) ? QJsonValue(QStringLiteral("TRIBUTARY")) : QJsonValue());
    r.insert(QStringLiteral("metadata"), QJsonObject());
    r.insert(QStringLiteral("livemode"), false);
    return r;
}

} // namespace tributary::test
