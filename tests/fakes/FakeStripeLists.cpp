// FakeStripeServer: parameter parsing, the list endpoints, expansion and POST parameters.

#include "FakeStripePrivate.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>

namespace tributary::test {

namespace {

QString str(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

StripeParamError invalid(const QString &message, const QString &param, const QString &code = {})
{
    StripeParamError error;
    error.message = message;
    error.param = param;
    error.code = code;
    return error;
}

std::optional<qint64> parseInteger(const QString &value)
{
    static const QRegularExpression integer(QStringLiteral("^-?[0-9]{1,18}$"));
    if (!integer.match(value).hasMatch())
        return std::nullopt;
    return value.toLongLong();
}

std::optional<bool> parseBool(const QString &value)
{
    if (value == QLatin1String("true"))
        return true;
    if (value == QLatin1String("false"))
        return false;
    return std::nullopt;
}

// `name[]` or `name[3]`: one element of an array parameter
bool isArrayElement(const StripeParam &p)
{
    static const QRegularExpression index(QStringLiteral("^[0-9]*$"));
    return p.path.size() == 2 && index.match(p.path.at(1)).hasMatch();
}

QRegularExpression wildcard(const QString &pattern)
{
    QStringList parts = pattern.split(QLatin1Char('*'));
    for (QString &part : parts)
        part = QRegularExpression::escape(part);
    return QRegularExpression(QRegularExpression::anchoredPattern(parts.join(QStringLiteral(".*"))));
}

void setNested(QJsonObject &object, const QStringList &path, qsizetype at, const QJsonValue &value)
{
    const QString key = path.at(at);
    if (at + 1 == path.size()) {
        object.insert(key, value);
        return;
    }
    static const QRegularExpression index(QStringLiteral("^[0-9]*$"));
    if (index.match(path.at(at + 1)).hasMatch() && at + 2 == path.size()) {
        QJsonArray array = object.value(key).toArray();
        array.append(value);
        object.insert(key, array);
        return;
    }
    QJsonObject child = object.value(key).toObject();
    setNested(child, path, at + 1, value);
    object.insert(key, child);
}

} // namespace

// --- shared helpers

namespace stripe {

QString prefixOf(const QString &resource)
{
    static const QHash<QString, QString> prefixes {{str("customers"), str("cus_")},
                                                   {str("charges"), str("ch_")},
                                                   {str("invoices"), str("in_")},
                                                   {str("subscriptions"), str("sub_")},
                                                   {str("products"), str("prod_")},
                                                   {str("prices"), str("price_")},
                                                   {str("refunds"), str("re_")},
                                                   {str("payment_intents"), str("pi_")},
                                                   {str("balance_transactions"), str("txn_")},
                                                   {str("disputes"), str("dp_")},
                                                   {str("payouts"), str("po_")},
                                                   {str("events"), str("evt_")}};
    return prefixes.value(resource);
}

QString eventPrefix(const QString &resource)
{
    if (resource == QLatin1String("subscriptions"))
        return QStringLiteral("customer.subscription");
    if (resource == QLatin1String("disputes"))
        return QStringLiteral("charge.dispute");
    return FakeStripeServer::objectName(resource);
}

QString resourceForId(const QString &id)
{
    for (const QString &resource : FakeStripeServer::resources()) {
        const QString prefix = prefixOf(resource);
        if (!prefix.isEmpty() && id.startsWith(prefix))
            return resource;
    }
    return {};
}

QList<StripeParam> parseParams(const QByteArray &encoded)
{
    QList<StripeParam> out;
    for (const QByteArray &pair : encoded.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        QByteArray name = eq < 0 ? pair : pair.left(eq);
        QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        name.replace('+', ' ');
        value.replace('+', ' ');
        StripeParam p;
        p.name = QUrl::fromPercentEncoding(name);
        p.value = QUrl::fromPercentEncoding(value);
        static const QRegularExpression shape(QStringLiteral("^([^\\[\\]]+)((\\[[^\\[\\]]*\\])*)$"));
        const QRegularExpressionMatch m = shape.match(p.name);
        if (m.hasMatch()) {
            p.path.append(m.captured(1));
            const QString rest = m.captured(2);
            if (!rest.isEmpty()) {
                const QStringList segments = rest.mid(1, rest.size() - 2).split(QStringLiteral("]["));
                p.path += segments;
            }
        } else {
            p.path.append(p.name);
        }
        out.append(p);
    }
    return out;
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

StripeReply errorReply(int status, const QString &type, const QString &message, const QString &param,
                       const QString &code)
{
    QJsonObject error {{QStringLiteral("type"), type}, {QStringLiteral("message"), message}};
    if (!param.isEmpty())
        error.insert(QStringLiteral("param"), param);
    if (!code.isEmpty()) {
        error.insert(QStringLiteral("code"), code);
        error.insert(QStringLiteral("doc_url"),
                     QString(QStringLiteral("https://stripe.com/docs/error-codes/")
                             + QString(code).replace(QLatin1Char('_'), QLatin1Char('-'))));
    }
    StripeReply reply;
    reply.status = status;
    reply.body = json(QJsonObject {{QStringLiteral("error"), error}});
    return reply;
}

StripeReply errorReply(const StripeParamError &error)
{
    return errorReply(error.status, error.type, error.message, error.param, error.code);
}

StripeReply okReply(const QJsonObject &object)
{
    StripeReply reply;
    reply.body = json(object);
    return reply;
}

QString notFoundMessage(const QString &resource, const QString &id)
{
    return QStringLiteral("No such %1: '%2'").arg(FakeStripeServer::objectName(resource), id);
}

StripeParamError unknownParameter(const QString &name)
{
    return invalid(QStringLiteral("Received unknown parameter: %1").arg(name), name);
}

QString maskKey(const QString &key, int keep)
{
    static const QRegularExpression prefix(QStringLiteral("^(sk|rk|pk)_(test|live)_"));
    const QRegularExpressionMatch m = prefix.match(key);
    const QString head = m.hasMatch() ? m.captured(0) : QString();
    const QString rest = key.mid(head.size());
    if (rest.size() <= keep)
        return head + QString(rest.size(), QLatin1Char('*'));
    return head + QString(rest.size() - keep, QLatin1Char('*')) + rest.right(keep);
}

} // namespace stripe

// --- lists

StripeReply FakeStripeServer::Private::list(const QString &resource, const QList<StripeParam> &params)
{
    int limit = 10;
    std::optional<QString> startingAfter;
    std::optional<QString> endingBefore;
    std::optional<qint64> createdExact;
    QHash<QString, qint64> createdRange;
    QStringList expandPaths;
    QHash<QString, QString> filters; // email, customer, status, active, type, delivery_success
    QStringList types;

    const QHash<QString, QStringList> extra {
            {str("customers"), {str("email")}},   {str("subscriptions"), {str("status")}},
            {str("charges"), {str("customer")}},  {str("payment_intents"), {str("customer")}},
            {str("invoices"), {str("customer")}}, {str("prices"), {str("active")}},
            {str("products"), {str("active")}},   {str("events"), {str("type"), str("delivery_success")}}};
    static const QStringList statuses {str("active"),   str("past_due"),   str("unpaid"),
                                       str("canceled"), str("incomplete"), str("incomplete_expired"),
                                       str("trialing"), str("paused"),     str("all"),
                                       str("ended")};

    for (const StripeParam &p : params) {
        const QString base = p.path.first();
        const bool scalar = p.path.size() == 1;
        if (base == QLatin1String("limit") && scalar) {
            const auto n = parseInteger(p.value);
            if (!n)
                return stripe::errorReply(invalid(QStringLiteral("Invalid integer: %1").arg(p.value), p.name));
            if (*n < 1 || *n > 100)
                return stripe::errorReply(invalid(str("Invalid limit: must be between 1 and 100"), p.name));
            limit = int(*n);
        } else if (base == QLatin1String("starting_after") && scalar) {
            startingAfter = p.value;
        } else if (base == QLatin1String("ending_before") && scalar) {
            endingBefore = p.value;
        } else if (base == QLatin1String("created") && (scalar || p.path.size() == 2)) {
            static const QStringList ops {str("gt"), str("gte"), str("lt"), str("lte")};
            if (!scalar && !ops.contains(p.path.at(1)))
                return stripe::errorReply(stripe::unknownParameter(p.name));
            const auto n = parseInteger(p.value);
            if (!n)
                return stripe::errorReply(invalid(QStringLiteral("Invalid integer: %1").arg(p.value), p.name));
            if (scalar)
                createdExact = *n;
            else
                createdRange.insert(p.path.at(1), *n);
        } else if (base == QLatin1String("expand") && isArrayElement(p)) {
            expandPaths.append(p.value);
        } else if (resource == QLatin1String("events") && base == QLatin1String("types") && isArrayElement(p)) {
            types.append(p.value);
        } else if (scalar && extra.value(resource).contains(base)) {
            if (base == QLatin1String("active") || base == QLatin1String("delivery_success")) {
                if (!parseBool(p.value))
                    return stripe::errorReply(invalid(QStringLiteral("Invalid boolean: %1").arg(p.value), p.name));
            } else if (base == QLatin1String("status") && !statuses.contains(p.value)) {
                return stripe::errorReply(invalid(
                        QStringLiteral("Invalid status: must be one of %1").arg(statuses.join(QStringLiteral(", "))),
                        p.name));
            }
            filters.insert(base, p.value);
        } else {
            return stripe::errorReply(stripe::unknownParameter(p.name));
        }
    }
    if (startingAfter && endingBefore)
        return stripe::errorReply(
                invalid(str("You may only specify one of these parameters: ending_before, starting_after."),
                        str("ending_before")));
    if (!types.isEmpty() && filters.contains(QStringLiteral("type")))
        return stripe::errorReply(
                invalid(str("You may only specify one of these parameters: type, types."), str("types")));
    if (types.size() > 20)
        return stripe::errorReply(invalid(str("You may pass at most 20 types."), str("types")));
    QJsonObject shape = fixture(FakeStripeServer::objectName(resource));
    if (const auto error = expand(shape, expandPaths, true))
        return stripe::errorReply(*error);

    const StripeCollection &c = collection(resource);
    for (const auto &cursor :
         {std::make_pair(startingAfter, str("starting_after")), std::make_pair(endingBefore, str("ending_before"))}) {
        if (cursor.first && !c.contains(*cursor.first))
            return stripe::errorReply(
                    invalid(stripe::notFoundMessage(resource, *cursor.first), cursor.second, str("resource_missing")));
    }

    const qint64 horizon = now() - stripe::kEventWindow;
    const bool events = resource == QLatin1String("events");
    const std::optional<QRegularExpression> typePattern = filters.contains(QStringLiteral("type"))
            ? std::optional(wildcard(filters.value(QStringLiteral("type"))))
            : std::nullopt;
    const QString status = filters.value(QStringLiteral("status"));
    const auto keep = [&](const StripeKey &key, const QJsonObject &record) {
        const qint64 created = key.created;
        if (createdExact && created != *createdExact)
            return false;
        for (auto it = createdRange.cbegin(); it != createdRange.cend(); ++it) {
            const qint64 bound = it.value();
            const QString &op = it.key();
            if ((op == QLatin1String("gt") && !(created > bound)) || (op == QLatin1String("gte") && !(created >= bound))
                || (op == QLatin1String("lt") && !(created < bound))
                || (op == QLatin1String("lte") && !(created <= bound)))
                return false;
        }
        if (events) {
            const QString type = record.value(QStringLiteral("type")).toString();
            if (created < horizon || (typePattern && !typePattern->match(type).hasMatch())
                || (!types.isEmpty() && !types.contains(type))
                || filters.value(QStringLiteral("delivery_success")) == QLatin1String("false"))
                return false;
        }
        for (const char *field : {"email", "customer"}) {
            const QString name = str(field);
            if (filters.contains(name) && record.value(name).toString() != filters.value(name))
                return false;
        }
        if (filters.contains(QStringLiteral("active"))
            && record.value(QStringLiteral("active")).toBool()
                    != (filters.value(QStringLiteral("active")) == QLatin1String("true")))
            return false;
        if (resource == QLatin1String("subscriptions")) {
            const QString s = record.value(QStringLiteral("status")).toString();
            if (status.isEmpty() && s == QLatin1String("canceled"))
                return false;
            if (status == QLatin1String("ended") && s != QLatin1String("canceled")
                && s != QLatin1String("incomplete_expired"))
                return false;
            if (!status.isEmpty() && status != QLatin1String("all") && status != QLatin1String("ended") && s != status)
                return false;
        }
        return true;
    };

    QList<QJsonObject> page;
    bool hasMore = false;
    if (endingBefore) { // walk towards newer records, then present newest first
        auto it = c.ordered.find(StripeKey {c.createdById.value(*endingBefore), *endingBefore});
        while (it != c.ordered.cbegin()) {
            --it;
            if (!keep(it->first, it->second))
                continue;
            if (page.size() == limit) {
                hasMore = true;
                break;
            }
            page.append(it->second);
        }
        std::reverse(page.begin(), page.end());
    } else {
        auto it = startingAfter ? c.ordered.upper_bound(StripeKey {c.createdById.value(*startingAfter), *startingAfter})
                                : c.ordered.cbegin();
        for (; it != c.ordered.cend(); ++it) {
            if (!keep(it->first, it->second))
                continue;
            if (page.size() == limit) {
                hasMore = true;
                break;
            }
            page.append(it->second);
        }
    }
    QJsonArray data;
    for (QJsonObject &record : page) {
        if (const auto error = expand(record, expandPaths, true))
            return stripe::errorReply(*error);
        data.append(record);
    }
    return stripe::okReply(QJsonObject {{QStringLiteral("object"), QStringLiteral("list")},
                                        {QStringLiteral("url"), QString(QStringLiteral("/v1/") + resource)},
                                        {QStringLiteral("has_more"), hasMore},
                                        {QStringLiteral("data"), data}});
}

// --- expand[]

std::optional<StripeParamError> FakeStripeServer::Private::expand(QJsonObject &record, const QStringList &paths,
                                                                  bool inList) const
{
    static const QStringList expandable {str("account"),
                                         str("application"),
                                         str("application_fee"),
                                         str("balance_transaction"),
                                         str("balance_transactions"),
                                         str("charge"),
                                         str("customer"),
                                         str("data"),
                                         str("default_payment_method"),
                                         str("default_price"),
                                         str("default_source"),
                                         str("destination"),
                                         str("discounts"),
                                         str("failure_balance_transaction"),
                                         str("invoice"),
                                         str("latest_charge"),
                                         str("latest_invoice"),
                                         str("lines"),
                                         str("items"),
                                         str("on_behalf_of"),
                                         str("original_payout"),
                                         str("payment_intent"),
                                         str("payment_method"),
                                         str("pending_setup_intent"),
                                         str("price"),
                                         str("product"),
                                         str("refunds"),
                                         str("reversed_by"),
                                         str("review"),
                                         str("schedule"),
                                         str("source"),
                                         str("subscription"),
                                         str("test_clock"),
                                         str("transfer")};
    for (const QString &path : paths) {
        QStringList segments = path.split(QLatin1Char('.'));
        const auto cannot = [&] {
            return invalid(QStringLiteral("This property cannot be expanded (%1).").arg(path), str("expand"));
        };
        if (segments.size() > (inList ? 5 : 4))
            return invalid(QStringLiteral("You cannot expand more than 4 levels of a property. Property: %1").arg(path),
                           str("expand"));
        if (inList) {
            if (segments.size() < 2 || segments.first() != QLatin1String("data"))
                return cannot();
            segments.removeFirst();
        }
        const QString field = segments.first();
        if (!record.contains(field) || !expandable.contains(field))
            return cannot();
        const QJsonValue value = record.value(field);
        if (!value.isString())
            continue; // null, or already an object or a list
        const QString id = value.toString();
        const QString resource = stripe::resourceForId(id);
        const StripeCollection *c = resource.isEmpty() ? nullptr : findCollection(resource);
        if (!c)
            continue;
        const auto it = c->find(id);
        if (it != c->ordered.cend())
            record.insert(field, it->second);
        else if (!c->tombstones.value(id).isEmpty())
            record.insert(field, c->tombstones.value(id));
    }
    return std::nullopt;
}

// --- POST parameters

std::optional<StripeParamError> FakeStripeServer::Private::formFields(const QString &resource,
                                                                      const QList<StripeParam> &params,
                                                                      const QJsonObject &current, QJsonObject *fields,
                                                                      QStringList *expandPaths) const
{
    static const QStringList integers {str("amount"),
                                       str("amount_off"),
                                       str("balance"),
                                       str("duration_in_months"),
                                       str("max_redemptions"),
                                       str("redeem_by"),
                                       str("next_invoice_sequence"),
                                       str("quantity"),
                                       str("days_until_due"),
                                       str("trial_end"),
                                       str("unit_amount"),
                                       str("cancel_at")};
    static const QStringList decimals {str("percent_off")};
    const QJsonObject shape = fixture(FakeStripeServer::objectName(resource));
    const bool creating = current.isEmpty();
    QStringList forbidden {str("object"), str("created"), str("livemode"), str("updated")};
    if (!creating || (resource != QLatin1String("products") && resource != QLatin1String("coupons")))
        forbidden << str("id");

    for (const StripeParam &p : params) {
        const QString base = p.path.first();
        if (base == QLatin1String("expand") && isArrayElement(p)) {
            expandPaths->append(p.value);
            continue;
        }
        if (forbidden.contains(base) || !(shape.contains(base) || current.contains(base)))
            return stripe::unknownParameter(base);
        const QJsonValue hint
                = current.contains(base) && !current.value(base).isNull() ? current.value(base) : shape.value(base);
        if (p.path.size() > 1) { // nested: metadata[key]=v, address[city]=v, preferred_locales[]=v
            if (!hint.isNull() && !hint.isObject() && !hint.isArray())
                return invalid(QStringLiteral("Invalid %1: must be a string").arg(base), base);
            if (hint.isArray() && !isArrayElement(p))
                return invalid(QStringLiteral("Invalid array for %1").arg(base), base);
            QJsonObject holder;
            holder.insert(base, fields->value(base));
            if (holder.value(base).isNull() || holder.value(base).isUndefined()) {
                if (hint.isArray())
                    holder.insert(base, QJsonArray());
                else if (base == QLatin1String("metadata") || creating || !current.value(base).isObject())
                    holder.insert(base, QJsonObject());
                else
                    holder.insert(base, current.value(base)); // a partial update of a nested object
            }
            if (hint.isArray()) {
                QJsonArray array = holder.value(base).toArray();
                array.append(p.value);
                fields->insert(base, array);
            } else {
                QJsonObject object = holder.value(base).toObject();
                setNested(object, p.path, 1, p.value);
                fields->insert(base, object);
            }
            continue;
        }
        if (p.value.isEmpty()) { // "" unsets; metadata="" removes every key
            QJsonObject cleared;
            const QJsonObject metadata = current.value(QStringLiteral("metadata")).toObject();
            for (auto it = metadata.begin(); it != metadata.end(); ++it)
                cleared.insert(it.key(), QJsonValue());
            fields->insert(base, base == QLatin1String("metadata") ? QJsonValue(cleared) : QJsonValue());
            continue;
        }
        const bool isInteger = integers.contains(base)
                || (hint.isDouble() && !decimals.contains(base) && hint.toDouble() == double(hint.toInteger()));
        if (hint.isBool()) {
            const auto b = parseBool(p.value);
            if (!b)
                return invalid(QStringLiteral("Invalid boolean: %1").arg(p.value), base);
            fields->insert(base, *b);
        } else if (isInteger) {
            const auto n = parseInteger(p.value);
            if (!n)
                return invalid(QStringLiteral("Invalid integer: %1").arg(p.value), base);
            fields->insert(base, *n);
        } else if (decimals.contains(base) || hint.isDouble()) {
            bool ok = false;
            const double v = p.value.toDouble(&ok);
            if (!ok)
                return invalid(QStringLiteral("Invalid decimal: %1").arg(p.value), base);
            fields->insert(base, v);
        } else if (hint.isObject() || hint.isArray()) {
            return invalid(QStringLiteral("Invalid %1: must be an object").arg(base), base);
        } else {
            fields->insert(base, p.value);
        }
    }
    return std::nullopt;
}

} // namespace tributary::test
