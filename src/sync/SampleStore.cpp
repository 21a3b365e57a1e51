#include "SampleStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>

#include <algorithm>
#include <array>

namespace tributary {

namespace {

constexpr std::array kFirstNames {"Ada",   "Ben",  "Chloe", "Dev",  "Elena", "Farid",  "Grace", "Hugo",
                                  "Ines",  "Jon",  "Kira",  "Liam", "Maya",  "Noah",   "Olga",  "Pablo",
                                  "Quinn", "Rosa", "Sami",  "Tara", "Uma",   "Viktor", "Wen",   "Yusuf"};
constexpr std::array kLastNames {"Adams",  "Berg",   "Costa",  "Dubois", "Evans",  "Fischer", "Garcia",
                                 "Hansen", "Ito",    "Jensen", "Kowal",  "Lopez",  "Moreau",  "Novak",
                                 "Okafor", "Petrov", "Rossi",  "Silva",  "Tanaka", "Weber"};
constexpr std::array kCities {"Berlin", "Lisbon", "Lyon",  "Oslo",   "Porto",
                              "Madrid", "Munich", "Leeds", "Austin", "Toronto"};
constexpr std::array kCountries {"DE", "PT", "FR", "NO", "PT", "ES", "DE", "GB", "US", "CA"};
constexpr std::array kPlans {"free", "free", "plus", "pro"};
struct Product
{
    const char *sku;
    const char *name;
    const char *category;
    double price;
};
constexpr std::array<Product, 12> kProducts {{{"MUG-01", "Enamel mug", "kitchen", 14.0},
                                              {"TEE-02", "Organic tee", "apparel", 24.0},
                                              {"CAP-03", "Canvas cap", "apparel", 19.5},
                                              {"BAG-04", "Tote bag", "accessories", 16.0},
                                              {"NB-05", "Dot-grid notebook", "stationery", 9.9},
                                              {"PEN-06", "Brass pen", "stationery", 32.0},
                                              {"BTL-07", "Steel bottle", "kitchen", 27.0},
                                              {"SCK-08", "Wool socks", "apparel", 12.0},
                                              {"LMP-09", "Desk lamp", "home", 59.0},
                                              {"PLT-10", "Plant pot", "home", 21.0},
                                              {"PST-11", "Art print", "home", 35.0},
                                              {"KEY-12", "Key ring", "accessories", 7.5}}};
constexpr std::array kSubjects {"Where is my order?", "Wrong size delivered", "Refund request",
                                "Damaged on arrival", "Change my address",    "Discount code not working",
                                "Invoice needed",     "Cancel my order"};
constexpr std::array kChannels {"email", "chat", "web", "phone"};
constexpr std::array kPriorities {"low", "normal", "normal", "high", "urgent"};
constexpr std::array kPaths {"/",     "/shop",     "/shop/kitchen", "/shop/apparel", "/shop/home",
                             "/cart", "/checkout", "/account",      "/help",         "/blog/summer-collection"};
constexpr std::array kReferrers {
        "", "", "https://www.google.com/", "https://duckduckgo.com/", "https://www.instagram.com/", "newsletter"};
constexpr std::array kDevices {"desktop", "mobile", "mobile", "tablet"};

template<typename A> QString pick(QRandomGenerator &rng, const A &array)
{
    return QString::fromLatin1(array[rng.bounded(quint32(array.size()))]);
}

QString iso(qint64 unix)
{
    return QDateTime::fromSecsSinceEpoch(unix, Qt::UTC).toString(Qt::ISODate);
}

double money(double value)
{
    return qRound64(value * 100) / 100.0;
}

// Builds the shop generation by generation.
class Builder
{
public:
    Builder(QHash<QString, QList<SampleStore::Record>> &records, quint32 seed, qint64 anchor)
        : m_records(records), m_seed(seed), m_anchor(anchor)
    { }

    void base()
    {
        QRandomGenerator rng(m_seed);
        const qint64 start = m_anchor - 90 * 86400;
        QList<qint64> customerTimes;
        for (int i = 0; i < 400; ++i)
            customerTimes.append(start + rng.bounded(80 * 86400));
        std::sort(customerTimes.begin(), customerTimes.end());
        for (qint64 t : std::as_const(customerTimes))
            addCustomer(rng, t, 0);
        for (int i = 0; i < 900; ++i) {
            const qsizetype c = rng.bounded(int(customers().size()));
            const qint64 created = customers()[c].data.value(QStringLiteral("created_at_unix")).toInteger();
            const qint64 t = created + rng.bounded(qMax<qint64>(3600, m_anchor - 3600 - created));
            addOrder(rng, c, t, 0, m_anchor);
        }
        for (int i = 0; i < 250; ++i)
            addTicket(rng, start + 86400 + rng.bounded(88 * 86400), 0, true);
        for (int i = 0; i < 2000; ++i)
            addPageView(rng, start + rng.bounded(90 * 86400), 0);
    }

    void step(int generation)
    {
        QRandomGenerator rng(m_seed ^ (0x9E3779B9u * quint32(generation)));
        const qint64 t = m_anchor + qint64(generation) * 3600;
        const auto at = [&] { return t + rng.bounded(3000); };
        const int newCustomers = 4 + rng.bounded(7);
        for (int i = 0; i < newCustomers; ++i)
            addCustomer(rng, at(), generation);
        for (int i = 0; i < 8; ++i) {
            SampleStore::Record &r = customers()[rng.bounded(int(customers().size()))];
            if (r.deleted)
                continue;
            r.data.insert(QStringLiteral("plan"), pick(rng, kPlans));
            r.data.insert(QStringLiteral("marketing_opt_in"), rng.bounded(2) == 1);
            touch(r, at(), generation);
        }
        const int deletions = 1 + rng.bounded(2);
        for (int i = 0; i < deletions; ++i) {
            SampleStore::Record &r = customers()[rng.bounded(int(customers().size()))];
            if (r.deleted)
                continue;
            r.deleted = true;
            touch(r, at(), generation);
        }
        const int newOrders = 15 + rng.bounded(16);
        for (int i = 0; i < newOrders; ++i) {
            const qsizetype c = rng.bounded(int(customers().size()));
            if (!customers()[c].deleted)
                addOrder(rng, c, at(), generation, t + 3600);
        }
        for (int i = 0; i < 20; ++i) {
            SampleStore::Record &o = orders()[rng.bounded(int(orders().size()))];
            const QString status = o.data.value(QStringLiteral("status")).toString();
            QString next;
            if (status == QLatin1String("pending"))
                next = rng.bounded(10) == 0 ? QStringLiteral("cancelled") : QStringLiteral("paid");
            else if (status == QLatin1String("paid"))
                next = QStringLiteral("shipped");
            else if (status == QLatin1String("shipped"))
                next = QStringLiteral("delivered");
            if (next.isEmpty())
                continue;
            o.data.insert(QStringLiteral("status"), next);
            touch(o, at(), generation);
        }
        const int newTickets = 3 + rng.bounded(6);
        for (int i = 0; i < newTickets; ++i)
            addTicket(rng, at(), generation, false);
        for (int i = 0; i < 5; ++i) {
            SampleStore::Record &r = tickets()[rng.bounded(int(tickets().size()))];
            const QString status = r.data.value(QStringLiteral("status")).toString();
            if (r.deleted || status == QLatin1String("solved") || status == QLatin1String("closed"))
                continue;
            r.data.insert(QStringLiteral("status"),
                          status == QLatin1String("new") ? QStringLiteral("open") : QStringLiteral("solved"));
            touch(r, at(), generation);
        }
        if (generation % 2 == 0) {
            SampleStore::Record &r = tickets()[rng.bounded(int(tickets().size()))];
            if (!r.deleted) {
                r.deleted = true;
                touch(r, at(), generation);
            }
        }
        const int views = 80 + rng.bounded(71);
        for (int i = 0; i < views; ++i)
            addPageView(rng, at(), generation);
    }

private:
    QList<SampleStore::Record> &customers() { return m_records[QStringLiteral("customers")]; }
    QList<SampleStore::Record> &orders() { return m_records[QStringLiteral("orders")]; }
    QList<SampleStore::Record> &tickets() { return m_records[QStringLiteral("tickets")]; }

    static void touch(SampleStore::Record &r, qint64 t, int generation)
    {
        r.data.insert(QStringLiteral("updated_at"), iso(t));
        r.changedIn = generation;
    }

    void addCustomer(QRandomGenerator &rng, qint64 t, int generation)
    {
        const int id = int(customers().size()) + 1;
        const QString first = pick(rng, kFirstNames);
        const QString last = pick(rng, kLastNames);
        const quint32 city = rng.bounded(quint32(kCities.size()));
        QJsonObject c {{QStringLiteral("id"), id},
                       {QStringLiteral("email"),
                        QStringLiteral("%1.%2.%3@example.com").arg(first.toLower(), last.toLower()).arg(id)},
                       {QStringLiteral("first_name"), first},
                       {QStringLiteral("last_name"), last},
                       {QStringLiteral("address"),
                        QJsonObject {{QStringLiteral("city"), QString::fromLatin1(kCities[city])},
                                     {QStringLiteral("country"), QString::fromLatin1(kCountries[city])},
                                     {QStringLiteral("postal_code"), QString::number(10000 + rng.bounded(89999))}}},
                       {QStringLiteral("plan"), pick(rng, kPlans)},
                       {QStringLiteral("marketing_opt_in"), rng.bounded(3) != 0},
                       {QStringLiteral("lifetime_value"), 0.0},
                       {QStringLiteral("orders_count"), 0},
                       {QStringLiteral("created_at"), iso(t)},
                       {QStringLiteral("created_at_unix"), t},
                       {QStringLiteral("updated_at"), iso(t)}};
        customers().append({c, generation, false});
    }

    void addOrder(QRandomGenerator &rng, qsizetype customer, qint64 t, int generation, qint64 horizon)
    {
        QList<SampleStore::Record> &items = m_records[QStringLiteral("order_items")];
        const int id = 10001 + int(orders().size());
        const int lines = 1 + rng.bounded(4);
        double total = 0;
        int quantityTotal = 0;
        for (int i = 0; i < lines; ++i) {
            const Product &p = kProducts[rng.bounded(quint32(kProducts.size()))];
            const int quantity = 1 + (rng.bounded(5) == 0 ? rng.bounded(3) : 0);
            total += p.price * quantity;
            quantityTotal += quantity;
            const QJsonObject item {{QStringLiteral("id"), 100001 + int(items.size())},
                                    {QStringLiteral("order_id"), id},
                                    {QStringLiteral("sku"), QString::fromLatin1(p.sku)},
                                    {QStringLiteral("product_name"), QString::fromLatin1(p.name)},
                                    {QStringLiteral("category"), QString::fromLatin1(p.category)},
                                    {QStringLiteral("quantity"), quantity},
                                    {QStringLiteral("unit_price"), p.price},
                                    {QStringLiteral("created_at"), iso(t)}};
            items.append({item, generation, false});
        }
        // Older orders have moved further along.
        const qint64 age = horizon - t;
        QString status = QStringLiteral("pending");
        if (age > 14 * 86400)
            status = rng.bounded(20) == 0 ? QStringLiteral("refunded") : QStringLiteral("delivered");
        else if (age > 3 * 86400)
            status = QStringLiteral("shipped");
        else if (age > 3600)
            status = QStringLiteral("paid");
        SampleStore::Record &c = customers()[customer];
        const quint32 city = rng.bounded(quint32(kCities.size()));
        const QJsonObject order {
                {QStringLiteral("id"), id},
                {QStringLiteral("customer_id"), c.data.value(QStringLiteral("id"))},
                {QStringLiteral("status"), status},
                {QStringLiteral("currency"), QStringLiteral("EUR")},
                {QStringLiteral("total"), money(total)},
                {QStringLiteral("item_count"), quantityTotal},
                {QStringLiteral("shipping"),
                 QJsonObject {{QStringLiteral("method"),
                               rng.bounded(4) == 0 ? QStringLiteral("express") : QStringLiteral("standard")},
                              {QStringLiteral("city"), QString::fromLatin1(kCities[city])}}},
                {QStringLiteral("created_at"), iso(t)},
                {QStringLiteral("updated_at"), iso(t)}};
        orders().append({order, generation, false});
        // The customer's totals change with every order.
        c.data.insert(QStringLiteral("orders_count"), c.data.value(QStringLiteral("orders_count")).toInt() + 1);
        c.data.insert(QStringLiteral("lifetime_value"),
                      money(c.data.value(QStringLiteral("lifetime_value")).toDouble() + total));
        if (generation > 0)
            touch(c, t, generation);
    }

    void addTicket(QRandomGenerator &rng, qint64 t, int generation, bool history)
    {
        const int id = 5001 + int(tickets().size());
        const SampleStore::Record &c = customers()[rng.bounded(int(customers().size()))];
        QString status = QStringLiteral("new");
        if (history) {
            const std::array states {"solved", "solved", "closed", "open", "pending", "new"};
            status = pick(rng, states);
        }
        QJsonObject ticket {{QStringLiteral("id"), id},
                            {QStringLiteral("customer_id"), c.data.value(QStringLiteral("id"))},
                            {QStringLiteral("subject"), pick(rng, kSubjects)},
                            {QStringLiteral("channel"), pick(rng, kChannels)},
                            {QStringLiteral("priority"), pick(rng, kPriorities)},
                            {QStringLiteral("status"), status},
                            {QStringLiteral("tags"), QJsonArray {QStringLiteral("sample"), pick(rng, kChannels)}},
                            {QStringLiteral("created_at"), iso(t)},
                            {QStringLiteral("updated_at"), iso(t)}};
        if (rng.bounded(2) == 0 && !orders().isEmpty())
            ticket.insert(QStringLiteral("order_id"),
                          orders()[rng.bounded(int(orders().size()))].data.value(QStringLiteral("id")));
        tickets().append({ticket, generation, false});
    }

    void addPageView(QRandomGenerator &rng, qint64 t, int generation)
    {
        QList<SampleStore::Record> &views = m_records[QStringLiteral("page_views")];
        const int n = int(views.size()) + 1;
        QJsonObject view {{QStringLiteral("id"), QStringLiteral("pv_%1").arg(n, 7, 10, QLatin1Char('0'))},
                          {QStringLiteral("session_id"),
                           QStringLiteral("s_%1").arg(rng.bounded(1u << 30), 8, 16, QLatin1Char('0'))},
                          {QStringLiteral("path"), pick(rng, kPaths)},
                          {QStringLiteral("referrer"), pick(rng, kReferrers)},
                          {QStringLiteral("device"), pick(rng, kDevices)},
                          {QStringLiteral("duration_ms"), 200 + int(rng.bounded(60000))},
                          {QStringLiteral("occurred_at"), iso(t)}};
        if (rng.bounded(3) != 0)
            view.insert(QStringLiteral("customer_id"),
                        customers()[rng.bounded(int(customers().size()))].data.value(QStringLiteral("id")));
        views.append({view, generation, false});
    }

    QHash<QString, QList<SampleStore::Record>> &m_records;
    quint32 m_seed;
    qint64 m_anchor;
};

} // namespace

QStringList SampleStore::collections()
{
    return {QStringLiteral("customers"), QStringLiteral("orders"), QStringLiteral("order_items"),
            QStringLiteral("tickets"), QStringLiteral("page_views")};
}

std::shared_ptr<const SampleStore> SampleStore::build(quint32 seed, int generation, qint64 anchor)
{
    std::shared_ptr<SampleStore> store(new SampleStore);
    store->m_generation = qMax(0, generation);
    Builder builder(store->m_records, seed, anchor);
    builder.base();
    for (int g = 1; g <= store->m_generation; ++g)
        builder.step(g);
    // A helper field of the generator, not the shop's data.
    for (auto &r : store->m_records[QStringLiteral("customers")])
        r.data.remove(QStringLiteral("created_at_unix"));
    return store;
}

const QList<SampleStore::Record> &SampleStore::records(const QString &collection) const
{
    static const QList<Record> none;
    const auto it = m_records.constFind(collection);
    return it == m_records.cend() ? none : *it;
}

} // namespace tributary
