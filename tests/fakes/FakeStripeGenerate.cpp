// FakeStripeServer: random records in the fixtures' shapes (helpers, customers, products, prices,
// coupons). Billing and payment records are in FakeStripePayments.cpp.

#include "FakeStripePrivate.h"

#include <QFile>
#include <QJsonDocument>

#include <iterator>

namespace tributary::test {

namespace {

struct Person
{
    const char16_t *display;
    const char *ascii;
};

// Varied on purpose: accents, apostrophes and non-Latin scripts reach the warehouse.
const Person kFirstNames[]
        = {{u"Ada", "ada"},         {u"Grace", "grace"},   {u"Alan", "alan"},         {u"Zoë", "zoe"},
           {u"José", "jose"},       {u"Søren", "soren"},   {u"Margaret", "margaret"}, {u"Ken", "ken"},
           {u"Barbara", "barbara"}, {u"Łukasz", "lukasz"}, {u"Radia", "radia"},       {u"Hedy", "hedy"},
           {u"Amara", "amara"},     {u"Yuki", "yuki"},     {u"Priya", "priya"},       {u"Chen", "chen"},
           {u"Olga", "olga"},       {u"Mateo", "mateo"}};
const Person kLastNames[]
        = {{u"Lovelace", "lovelace"}, {u"Hopper", "hopper"}, {u"Turing", "turing"},     {u"Müller", "muller"},
           {u"O'Brien", "obrien"},    {u"García", "garcia"}, {u"Hamilton", "hamilton"}, {u"Thompson", "thompson"},
           {u"Liskov", "liskov"},     {u"Nowak", "nowak"},   {u"Perlman", "perlman"},   {u"Lamarr", "lamarr"},
           {u"Okafor", "okafor"},     {u"田中", "tanaka"},   {u"Sharma", "sharma"},     {u"Wei", "wei"},
           {u"Ivanova", "ivanova"},   {u"Rossi", "rossi"}};

struct Place
{
    const char16_t *city;
    const char *country;
    const char *postalCode;
    const char *state;
    const char16_t *line1;
};

const Place kPlaces[] = {{u"Berlin", "DE", "10115", nullptr, u"Torstraße 12"},
                         {u"San Francisco", "US", "94107", "CA", u"510 Townsend St"},
                         {u"London", "GB", "EC1A 1BB", nullptr, u"1 St Martin's Le Grand"},
                         {u"Paris", "FR", "75002", nullptr, u"8 rue de la Paix"},
                         {u"Tokyo", "JP", "100-0001", nullptr, u"1-1 Chiyoda"},
                         {u"Toronto", "CA", "M5H 2N2", "ON", u"100 Queen St W"},
                         {u"Sydney", "AU", "2000", "NSW", u"1 Martin Pl"},
                         {u"São Paulo", "BR", "01310-100", "SP", u"Av. Paulista, 1000"}};

QString str(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

QString utf16(const char16_t *text)
{
    return QString::fromUtf16(text);
}

QJsonValue orNull(const char *latin1)
{
    return latin1 ? QJsonValue(str(latin1)) : QJsonValue();
}

} // namespace

QJsonObject FakeStripeServer::Private::fixture(const QString &name)
{
    static QHash<QString, QJsonObject> cache;
    const auto it = cache.constFind(name);
    if (it != cache.cend())
        return it.value();
    QFile file(QStringLiteral(":/tributary/fakes/stripe/%1.json").arg(name));
    QJsonObject object;
    if (file.open(QIODevice::ReadOnly))
        object = QJsonDocument::fromJson(file.readAll()).object();
    Q_ASSERT_X(!object.isEmpty(), "FakeStripeServer", "missing fixture");
    cache.insert(name, object);
    return object;
}

QString FakeStripeServer::Private::randomText(int length, const QString &alphabet)
{
    static const QString alnum = QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    static const QString upper = QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    static const QString hex = QStringLiteral("0123456789abcdef");
    static const QString digits = QStringLiteral("0123456789");
    const QString &chars = alphabet == QLatin1String("hex") ? hex
            : alphabet == QLatin1String("upper")            ? upper
            : alphabet == QLatin1String("digits")           ? digits
                                                            : alnum;
    QString out;
    out.reserve(length);
    for (int i = 0; i < length; ++i)
        out.append(chars.at(int(rng.bounded(qsizetype(chars.size())))));
    return out;
}

QString FakeStripeServer::Private::newId(const QString &resource)
{
    for (;;) {
        QString id;
        if (resource == QLatin1String("coupons"))
            id = randomText(8, QStringLiteral("upper"));
        else if (resource == QLatin1String("customers") || resource == QLatin1String("products"))
            id = stripe::prefixOf(resource) + randomText(14, QStringLiteral("alnum"));
        else
            id = stripe::prefixOf(resource) + QLatin1Char('1') + randomText(23, QStringLiteral("alnum"));
        if (!idTaken(id))
            return id;
    }
}

QString FakeStripeServer::Private::newRequestId()
{
    return token(QStringLiteral("req_"), 14);
}

QString FakeStripeServer::Private::weighted(const QList<QPair<QString, int>> &values)
{
    int total = 0;
    for (const auto &v : values)
        total += v.second;
    int roll = between(0, total - 1);
    for (const auto &v : values) {
        if (roll < v.second)
            return v.first;
        roll -= v.second;
    }
    return values.constLast().first;
}

qint64 FakeStripeServer::Private::pastTime(const QString &resource)
{
    const StripeCollection &c = collection(resource);
    if (populating && populateIndex > 0 && !c.ordered.empty() && (populateIndex == 3 || chance(0.06))) {
        auto it = c.ordered.cbegin();
        std::advance(it, qsizetype(rng.bounded(quint32(c.ordered.size()))));
        return it->first.created; // a few records share a second
    }
    return now() - between64(0, 60 * stripe::kDay - 1);
}

qint64 FakeStripeServer::Private::after(qint64 earliest)
{
    const qint64 current = now();
    return earliest >= current ? current : between64(earliest, current);
}

QJsonObject FakeStripeServer::Private::linkFor(const QString &resource, qint64 &when)
{
    const StripeCollection &c = collection(resource);
    auto it = c.ordered.lower_bound(StripeKey {when + 1, QString()}); // the newest created <= when
    const auto older = std::distance(it, c.ordered.end());
    if (older == 0) { // none that old: any, and the child moves after it
        const QJsonObject parent = randomLinked(resource);
        if (!parent.isEmpty())
            when = qMax(when, parent.value(QStringLiteral("created")).toInteger());
        return parent;
    }
    std::advance(it, qsizetype(rng.bounded(quint32(older))));
    return it->second;
}

qint64 FakeStripeServer::Private::stepTime(qint64 created, qint64 minDelay, qint64 maxDelay)
{
    const qint64 span = qMax<qint64>(0, now() - created);
    return created + between64(qMin(minDelay, span), qMin(maxDelay, span));
}

QJsonObject FakeStripeServer::Private::randomLinked(const QString &resource)
{
    const StripeCollection &c = collection(resource);
    if (c.ordered.empty())
        return {};
    auto it = c.ordered.cbegin();
    std::advance(it, qsizetype(rng.bounded(quint32(c.ordered.size()))));
    return it->second;
}

QString FakeStripeServer::Private::randomCurrency()
{
    return weighted({{str("usd"), 50},
                     {str("eur"), 15},
                     {str("gbp"), 10},
                     {str("cad"), 7},
                     {str("aud"), 6},
                     {str("jpy"), 5},
                     {str("chf"), 4},
                     {str("sek"), 3}});
}

qint64 FakeStripeServer::Private::amountFor(const QString &currency)
{
    if (currency == QLatin1String("jpy")) // zero-decimal currency
        return qint64(between(1, 500)) * 100;
    static const int points[] = {199, 499, 999, 1500, 1999, 2500, 4900, 9900, 19900, 49900};
    if (chance(0.6))
        return points[between(0, int(std::size(points)) - 1)];
    return between(50, 250000);
}

QJsonObject FakeStripeServer::Private::generate(const QString &resource, std::optional<qint64> created)
{
    const qint64 when = created ? *created : pastTime(resource);
    if (resource == QLatin1String("customers"))
        return makeCustomer(when);
    if (resource == QLatin1String("products"))
        return makeProduct(when);
    if (resource == QLatin1String("coupons"))
        return makeCoupon(when);
    if (resource == QLatin1String("payouts"))
        return makePayout(when);
    if (resource == QLatin1String("prices"))
        return makePrice(when);
    if (resource == QLatin1String("subscriptions"))
        return makeSubscription(when);
    if (resource == QLatin1String("invoices"))
        return makeInvoice(when);
    if (resource == QLatin1String("payment_intents"))
        return makePaymentIntent(when);
    if (resource == QLatin1String("charges"))
        return makeCharge(when);
    if (resource == QLatin1String("refunds"))
        return makeRefund(when);
    if (resource == QLatin1String("disputes"))
        return makeDispute(when);
    if (resource == QLatin1String("balance_transactions"))
        return makeBalanceTransaction(when);
    return {};
}

QJsonObject FakeStripeServer::Private::makeCustomer(qint64 when)
{
    QJsonObject r = fixture(QStringLiteral("customer"));
    const int n = ++serial;
    const QString id = newId(QStringLiteral("customers"));
    const Person &first = kFirstNames[between(0, int(std::size(kFirstNames)) - 1)];
    const Person &last = kLastNames[between(0, int(std::size(kLastNames)) - 1)];
    const QString name = utf16(first.display) + QLatin1Char(' ') + utf16(last.display);
    const QString domain = pick({str("example.com"), str("example.org"), str("mail.test"), str("acme.test")});
    const QString email = QStringLiteral("%1.%2.%3@%4").arg(str(first.ascii), str(last.ascii)).arg(n).arg(domain);
    r.insert(QStringLiteral("id"), id);
    r.insert(QStringLiteral("created"), when);
    r.insert(QStringLiteral("name"), chance(0.9) ? QJsonValue(name) : QJsonValue());
    r.insert(QStringLiteral("email"), chance(0.95) ? QJsonValue(email) : QJsonValue());
    const QString phone
            = pick({str("+1 415 555 %1"), str("+44 20 7946 %1"), str("+49 30 901820%1"), str("+81 3-1234-%1")})
                      .arg(between(0, 9999), 4, 10, QLatin1Char('0'));
    r.insert(QStringLiteral("phone"), chance(0.5) ? QJsonValue(phone) : QJsonValue());
    r.insert(QStringLiteral("description"),
             chance(0.3)
                     ? QJsonValue(pick({str("VIP"), str("Trial user"), str("Migrated from Braintree"),
                                        str("Annual contract, invoice by email"),
                                        QStringLiteral("Café owner \u2014 prefers French"), str("Line one\nline two")}))
                     : QJsonValue());
    r.insert(QStringLiteral("balance"), chance(0.8) ? 0 : between(-5000, 20000));
    r.insert(QStringLiteral("currency"), chance(0.7) ? QJsonValue(randomCurrency()) : QJsonValue());
    r.insert(QStringLiteral("delinquent"), chance(0.1));
    const Place &place = kPlaces[between(0, int(std::size(kPlaces)) - 1)];
    const QJsonObject address {
            {QStringLiteral("city"), utf16(place.city)},
            {QStringLiteral("country"), str(place.country)},
            {QStringLiteral("line1"), utf16(place.line1)},
            {QStringLiteral("line2"),
             chance(0.3) ? QJsonValue(QStringLiteral("Suite %1").arg(between(1, 900))) : QJsonValue()},
            {QStringLiteral("postal_code"), str(place.postalCode)},
            {QStringLiteral("state"), orNull(place.state)}};
    const bool hasAddress = chance(0.6);
    r.insert(QStringLiteral("address"), hasAddress ? QJsonValue(address) : QJsonValue());
    r.insert(QStringLiteral("shipping"),
             hasAddress && chance(0.4) ? QJsonValue(QJsonObject {{QStringLiteral("address"), address},
                                                                 {QStringLiteral("name"), name},
                                                                 {QStringLiteral("phone"), QJsonValue()}})
                                       : QJsonValue());
    const QJsonObject coupon = chance(0.1) ? randomLinked(QStringLiteral("coupons")) : QJsonObject();
    if (coupon.isEmpty()) {
        r.insert(QStringLiteral("discount"), QJsonValue());
    } else {
        QJsonObject discount = r.value(QStringLiteral("discount")).toObject();
        discount.insert(QStringLiteral("id"), token(QStringLiteral("di_1"), 23));
        discount.insert(QStringLiteral("customer"), id);
        discount.insert(QStringLiteral("start"), when);
        discount.insert(QStringLiteral("source"),
                        QJsonObject {{QStringLiteral("coupon"), coupon.value(QStringLiteral("id"))},
                                     {QStringLiteral("type"), QStringLiteral("coupon")}});
        r.insert(QStringLiteral("discount"), discount);
    }
    r.insert(QStringLiteral("invoice_prefix"), randomText(8, QStringLiteral("upper")));
    QJsonObject invoiceSettings = r.value(QStringLiteral("invoice_settings")).toObject();
    if (chance(0.2))
        invoiceSettings.insert(QStringLiteral("footer"), QStringLiteral("Thank you for your business."));
    r.insert(QStringLiteral("invoice_settings"), invoiceSettings);
    QJsonObject metadata;
    if (chance(0.4)) {
        metadata.insert(QStringLiteral("crm_id"), QStringLiteral("CRM-%1").arg(n));
        if (chance(0.5))
            metadata.insert(QStringLiteral("plan"), pick({str("free"), str("pro"), str("team"), str("enterprise")}));
    }
    r.insert(QStringLiteral("metadata"), metadata);
    r.insert(QStringLiteral("next_invoice_sequence"), between(1, 30));
    static const QList<QJsonArray> locales {QJsonArray {}, QJsonArray {str("en")}, QJsonArray {str("fr-FR"), str("en")},
                                            QJsonArray {str("de")}};
    r.insert(QStringLiteral("preferred_locales"), locales.at(between(0, int(locales.size()) - 1)));
    r.insert(QStringLiteral("tax_exempt"), weighted({{str("none"), 90}, {str("exempt"), 5}, {str("reverse"), 5}}));
    r.insert(QStringLiteral("livemode"), false);
    return r;
}

QJsonObject FakeStripeServer::Private::makeProduct(qint64 when)
{
    QJsonObject r = fixture(QStringLiteral("product"));
    const int n = ++serial;
    static const QStringList names {str("T-shirt"),         str("Hoodie"),          str("Pro plan"),
                                    str("Team plan"),       str("Enterprise seat"), str("Sticker pack"),
                                    str("Consulting hour"), str("API credits"),     QStringLiteral("Café mug"),
                                    str("Notebook")};
    const QString name = names.at(between(0, int(names.size()) - 1));
    const bool good = chance(0.4);
    r.insert(QStringLiteral("id"), newId(QStringLiteral("products")));
    r.insert(QStringLiteral("created"), when);
    r.insert(QStringLiteral("updated"), when);
    r.insert(QStringLiteral("name"), chance(0.5) ? name : QStringLiteral("%1 %2").arg(name).arg(n));
    r.insert(QStringLiteral("description"),
             chance(0.6) ? QJsonValue(QStringLiteral("%1, edition %2").arg(name).arg(between(1, 9))) : QJsonValue());
    r.insert(QStringLiteral("active"), chance(0.85));
    r.insert(QStringLiteral("default_price"), QJsonValue());
    r.insert(QStringLiteral("images"),
             chance(0.4) ? QJsonArray {QStringLiteral("https://files.example.com/products/%1.png").arg(n)}
                         : QJsonArray());
    r.insert(QStringLiteral("marketing_features"),
             chance(0.3) ? QJsonArray {QJsonObject {{QStringLiteral("name"), QStringLiteral("Unlimited seats")}}}
                         : QJsonArray());
    r.insert(QStringLiteral("metadata"),
             chance(0.3)
                     ? QJsonObject {{QStringLiteral("sku"), QStringLiteral("SKU-%1").arg(n, 5, 10, QLatin1Char('0'))}}
                     : QJsonObject());
    r.insert(QStringLiteral("type"), good ? QStringLiteral("good") : QStringLiteral("service"));
    r.insert(QStringLiteral("shippable"), good ? QJsonValue(chance(0.8)) : QJsonValue());
    r.insert(QStringLiteral("package_dimensions"),
             good ? QJsonValue(QJsonObject {{QStringLiteral("height"), between(1, 40) / 2.0},
                                            {QStringLiteral("length"), between(10, 80) / 2.0},
                                            {QStringLiteral("weight"), between(50, 2000) * 1.0},
                                            {QStringLiteral("width"), between(10, 60) / 2.0}})
                  : QJsonValue());
    r.insert(QStringLiteral("unit_label"), !good && chance(0.5) ? QJsonValue(QStringLiteral("seat")) : QJsonValue());
    r.insert(QStringLiteral("url"),
             chance(0.3) ? QJsonValue(QStringLiteral("https://shop.example.com/p/%1").arg(n)) : QJsonValue());
    r.insert(QStringLiteral("tax_code"), chance(0.3) ? QJsonValue(QStringLiteral("txcd_10000000")) : QJsonValue());
    r.insert(QStringLiteral("livemode"), false);
    return r;
}

QJsonObject FakeStripeServer::Private::makePrice(qint64 when)
{
    QJsonObject r = fixture(QStringLiteral("price"));
    const QJsonObject product = linkFor(QStringLiteral("products"), when);
    const QString currency = randomCurrency();
    const qint64 amount = amountFor(currency);
    const bool recurring = chance(0.6);
    const QString interval = weighted({{str("month"), 60}, {str("year"), 30}, {str("week"), 7}, {str("day"), 3}});
    r.insert(QStringLiteral("id"), newId(QStringLiteral("prices")));
    r.insert(QStringLiteral("created"), when);
    r.insert(QStringLiteral("product"),
             product.isEmpty() ? QJsonValue(newId(QStringLiteral("products"))) : product.value(QStringLiteral("id")));
    r.insert(QStringLiteral("currency"), currency);
    r.insert(QStringLiteral("unit_amount"), amount);
    r.insert(QStringLiteral("unit_amount_decimal"), QString::number(amount));
    r.insert(QStringLiteral("type"), recurring ? QStringLiteral("recurring") : QStringLiteral("one_time"));
    r.insert(QStringLiteral("recurring"),
             recurring ? QJsonValue(
                     QJsonObject {{QStringLiteral("interval"), interval},
                                  {QStringLiteral("interval_count"), chance(0.85) ? 1 : 3},
                                  {QStringLiteral("meter"), QJsonValue()},
                                  {QStringLiteral("trial_period_days"), chance(0.2) ? QJsonValue(14) : QJsonValue()},
                                  {QStringLiteral("usage_type"), QStringLiteral("licensed")}})
                       : QJsonValue());
    r.insert(QStringLiteral("active"), chance(0.85));
    r.insert(QStringLiteral("nickname"),
             chance(0.4) ? QJsonValue(pick({str("Standard"), str("Launch discount"), str("Legacy"), str("EU")}))
                         : QJsonValue());
    r.insert(QStringLiteral("lookup_key"),
             chance(0.3) ? QJsonValue(QStringLiteral("price_%1").arg(++serial)) : QJsonValue());
    r.insert(QStringLiteral("tax_behavior"),
             weighted({{str("unspecified"), 60}, {str("exclusive"), 25}, {str("inclusive"), 15}}));
    r.insert(QStringLiteral("transform_quantity"), QJsonValue());
    r.insert(QStringLiteral("custom_unit_amount"), QJsonValue());
    r.insert(QStringLiteral("metadata"),
             chance(0.2) ? QJsonObject {{QStringLiteral("tier"), pick({str("basic"), str("plus")})}} : QJsonObject());
    r.insert(QStringLiteral("livemode"), false);
    return r;
}

QJsonObject FakeStripeServer::Private::makeCoupon(qint64 when)
{
    QJsonObject r = fixture(QStringLiteral("coupon"));
    r.insert(QStringLiteral("id"), newId(QStringLiteral("coupons")));
    r.insert(QStringLiteral("created"), when);
    QString name;
    if (chance(0.6)) {
        static const double percents[] = {10, 15, 20, 25.5, 50, 100};
        const double percent = percents[between(0, int(std::size(percents)) - 1)];
        r.insert(QStringLiteral("percent_off"), percent);
        r.insert(QStringLiteral("amount_off"), QJsonValue());
        r.insert(QStringLiteral("currency"), QJsonValue());
        name = QStringLiteral("%1% off").arg(percent);
    } else {
        const QString currency = randomCurrency();
        const qint64 amount = amountFor(currency);
        r.insert(QStringLiteral("percent_off"), QJsonValue());
        r.insert(QStringLiteral("amount_off"), amount);
        r.insert(QStringLiteral("currency"), currency);
        name = QStringLiteral("%1 %2 off").arg(amount).arg(currency.toUpper());
    }
    const QString duration = weighted({{str("forever"), 30}, {str("once"), 40}, {str("repeating"), 30}});
    r.insert(QStringLiteral("duration"), duration);
    r.insert(QStringLiteral("duration_in_months"),
             duration == QLatin1String("repeating") ? QJsonValue(between(1, 12)) : QJsonValue());
    r.insert(QStringLiteral("name"), chance(0.8) ? QJsonValue(name) : QJsonValue());
    const bool limited = chance(0.3);
    const int maxRedemptions = between(5, 100);
    r.insert(QStringLiteral("max_redemptions"), limited ? QJsonValue(maxRedemptions) : QJsonValue());
    r.insert(QStringLiteral("times_redeemed"), limited ? between(0, maxRedemptions) : between(0, 40));
    const qint64 redeemBy = when + between64(7, 90) * stripe::kDay;
    const bool expires = chance(0.3);
    r.insert(QStringLiteral("redeem_by"), expires ? QJsonValue(redeemBy) : QJsonValue());
    r.insert(QStringLiteral("valid"), !(expires && redeemBy < now()) && chance(0.95));
    r.insert(QStringLiteral("metadata"),
             chance(0.2) ? QJsonObject {{QStringLiteral("campaign"), pick({str("spring"), str("black-friday")})}}
                         : QJsonObject());
    r.insert(QStringLiteral("livemode"), false);
    return r;
}

// What a POST create leaves unset (Stripe fills in nulls, not random values).
void FakeStripeServer::Private::blankDefaults(const QString &resource, QJsonObject &record) const
{
    const QJsonValue null;
    const auto set = [&record](const QString &key, const QJsonValue &value) { record.insert(key, value); };
    set(QStringLiteral("metadata"), QJsonObject());
    if (resource == QLatin1String("customers")) {
        for (const char *key : {"name", "email", "phone", "description", "address", "shipping", "discount", "currency"})
            set(str(key), null);
        set(QStringLiteral("balance"), 0);
        set(QStringLiteral("delinquent"), false);
        set(QStringLiteral("preferred_locales"), QJsonArray());
        set(QStringLiteral("tax_exempt"), QStringLiteral("none"));
        set(QStringLiteral("next_invoice_sequence"), 1);
    } else if (resource == QLatin1String("products")) {
        for (const char *key : {"description", "default_price", "package_dimensions", "shippable", "unit_label", "url",
                                "tax_code", "statement_descriptor"})
            set(str(key), null);
        set(QStringLiteral("images"), QJsonArray());
        set(QStringLiteral("marketing_features"), QJsonArray());
        set(QStringLiteral("active"), true);
        set(QStringLiteral("type"), QStringLiteral("service"));
    } else if (resource == QLatin1String("coupons")) {
        for (const char *key :
             {"name", "max_redemptions", "redeem_by", "duration_in_months", "percent_off", "amount_off", "currency"})
            set(str(key), null);
        set(QStringLiteral("duration"), QStringLiteral("once"));
        set(QStringLiteral("times_redeemed"), 0);
        set(QStringLiteral("valid"), true);
    }
}

} // namespace tributary::test
