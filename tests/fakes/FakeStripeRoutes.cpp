// FakeStripeServer: HTTP handling (auth, injected faults, routing, retrieve, create, update,
// delete). Lists and parameter parsing are in FakeStripeLists.cpp.

#include "FakeStripePrivate.h"

#include <QDateTime>
#include <QLocale>
#include <QMap>
#include <QRegularExpression>
#include <QTimer>

namespace tributary::test {

namespace {

using Header = QPair<QByteArray, QByteArray>;

QString str(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

StripeReply unauthorized(const QString &message)
{
    StripeReply reply = stripe::errorReply(401, str("invalid_request_error"), message);
    reply.headers.append(Header {"WWW-Authenticate", "Basic realm=\"Stripe\""});
    return reply;
}

QString unknownRouteMessage(const QByteArray &method, const QString &path)
{
    QString message = QStringLiteral("Unrecognized request URL (%1: %2). ").arg(QString::fromLatin1(method), path);
    if (path.endsWith(QLatin1Char('/')))
        message += QStringLiteral("If you are trying to list objects, remove the trailing slash. If you are trying to "
                                  "retrieve an object, make sure you passed a valid (non-empty) identifier in your "
                                  "code. ");
    return message
            + QStringLiteral("Please see https://stripe.com/docs or we can help at https://support.stripe.com/.");
}

StripeReply injectedError(int status)
{
    StripeReply reply;
    if (status == 429) {
        reply = stripe::errorReply(429, str("invalid_request_error"),
                                   str("Request rate limit exceeded. You can learn more about rate limits here "
                                       "https://stripe.com/docs/rate-limits."),
                                   {}, str("rate_limit"));
        reply.headers.append(Header {"Stripe-Rate-Limited-Reason", "global-rate"});
    } else if (status == 402) {
        reply = stripe::errorReply(402, str("card_error"), str("Your card was declined."), {}, str("card_declined"));
    } else if (status == 409) {
        reply = stripe::errorReply(409, str("idempotency_error"),
                                   str("There is currently another in-progress request using this Stripe token (that "
                                       "probably means you clicked twice, and the other request is still going "
                                       "through)."));
    } else if (status >= 500) {
        reply = stripe::errorReply(status, str("api_error"),
                                   status == 503 ? str("The Stripe API is temporarily unavailable. Please try again.")
                                                 : str("An unknown error occurred"));
    } else {
        reply = stripe::errorReply(status, str("invalid_request_error"), str("Injected failure."));
    }
    if (status == 429 || status >= 500)
        reply.headers.append(Header {"Stripe-Should-Retry", "true"});
    return reply;
}

QString globalRequestId()
{
    static const QString alnum = QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    QString id = QStringLiteral("req_");
    for (int i = 0; i < 14; ++i)
        id.append(alnum.at(int(QRandomGenerator::global()->bounded(qsizetype(alnum.size())))));
    return id;
}

} // namespace

bool FakeStripeServer::Private::matches(const QStringList &paths, const QString &path) const
{
    for (const QString &p : paths) {
        if (path == p || path.startsWith(p + QLatin1Char('/')))
            return true;
    }
    return false;
}

bool FakeStripeServer::Private::takeMatch(QStringList &paths, const QString &path) const
{
    for (qsizetype i = 0; i < paths.size(); ++i) {
        if (matches({paths.at(i)}, path)) {
            paths.removeAt(i);
            return true;
        }
    }
    return false;
}

void FakeStripeServer::Private::handle(const FakeRequest &request, FakeResponder responder)
{
    const QString path = request.path();
    if (matches(hangingPaths, path)) { // held open, never answered
        held.append({path, responder});
        return;
    }
    QString key;
    if (const auto denied = checkAuth(request, &key)) {
        deliver(request, responder, *denied);
        return;
    }
    const QString requestId = globalRequestId();
    StripeCause cause;
    cause.requestId = requestId;
    const QByteArray idempotencyKey = request.header("idempotency-key");
    if (!idempotencyKey.isEmpty())
        cause.idempotencyKey = QString::fromUtf8(idempotencyKey);

    StripeReply reply;
    if (const auto fault = injectedFault(request))
        reply = *fault;
    else
        reply = dispatch(request, key, cause);
    reply.headers.prepend(Header {"Request-Id", requestId.toLatin1()});
    if (!idempotencyKey.isEmpty())
        reply.headers.append(Header {"Idempotency-Key", idempotencyKey});
    const QByteArray version = request.header("stripe-version");
    reply.headers.append(Header {"Stripe-Version", version.isEmpty() ? apiVersion.toLatin1() : version});
    deliver(request, responder, reply);
}

void FakeStripeServer::Private::deliver(const FakeRequest &request, FakeResponder responder, StripeReply reply)
{
    const QString path = request.path();
    if (reply.status == 200 && takeMatch(malformedPaths, path))
        reply.body = reply.body.left(qMax<qsizetype>(1, reply.body.size() / 2));
    // Every HTTP answer carries the server's clock (RFC 7231 IMF-fixdate), the fake's own.
    reply.headers.append(Header {"Date",
                                 QLocale::c()
                                         .toString(QDateTime::fromSecsSinceEpoch(now(), Qt::UTC),
                                                   QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
                                         .toLatin1()});
    int delay = 0;
    for (auto it = slowPaths.cbegin(); it != slowPaths.cend(); ++it) {
        if (matches({it.key()}, path))
            delay = qMax(delay, it.value());
    }
    const QByteArray method = request.method;
    auto send = [q = q, method, path, reply, responder]() mutable {
        if (!responder.isValid())
            return;
        responder.respond(reply.status, reply.body, reply.headers);
        Q_EMIT q->requestServed(method, path, reply.status);
    };
    if (delay > 0)
        QTimer::singleShot(delay, q, send);
    else
        send();
}

std::optional<StripeReply> FakeStripeServer::Private::checkAuth(const FakeRequest &request, QString *key) const
{
    static const QString noKey = QStringLiteral(
            "You did not provide an API key. You need to provide your API key in the Authorization header, using "
            "Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
            "https://stripe.com/docs/api#authentication "
            "for details, or we can help at https://support.stripe.com/.");
    static const QRegularExpression shape(QStringLiteral("^(sk|rk)_(test|live)_[A-Za-z0-9]+$"));
    const QByteArray header = request.header("authorization").trimmed();
    const qsizetype space = header.indexOf(' ');
    const QByteArray scheme = (space < 0 ? header : header.left(space)).toLower();
    const QByteArray credentials = space < 0 ? QByteArray() : header.mid(space + 1).trimmed();
    QString candidate;
    if (scheme == "bearer") {
        candidate = QString::fromUtf8(credentials);
    } else if (scheme == "basic") {
        const QByteArray decoded = QByteArray::fromBase64(credentials);
        const qsizetype colon = decoded.indexOf(':');
        candidate = QString::fromUtf8(colon < 0 ? decoded : decoded.left(colon));
    }
    if (candidate.isEmpty())
        return unauthorized(noKey);
    if (!shape.match(candidate).hasMatch() || !keys.contains(candidate))
        return unauthorized(QStringLiteral("Invalid API Key provided: ") + stripe::maskKey(candidate, 4));
    *key = candidate;
    return std::nullopt;
}

std::optional<StripeReply> FakeStripeServer::Private::injectedFault(const FakeRequest &request)
{
    const QString path = request.path();
    if (rateLimit > 0) {
        const qint64 t = monotonic.elapsed();
        while (!admitted.empty() && admitted.front() <= t - 1000)
            admitted.pop_front();
        if (qsizetype(admitted.size()) >= rateLimit) {
            StripeReply reply = injectedError(429);
            if (retryAfter > 0)
                reply.headers.append(Header {"Retry-After", QByteArray::number(retryAfter)});
            return reply;
        }
        admitted.push_back(t);
    }
    if (takeMatch(lockTimeoutPaths, path)) {
        StripeReply reply = stripe::errorReply(
                429, str("invalid_request_error"),
                str("This object can't be accessed right now because another API request or Stripe process is "
                    "currently accessing it. If you see this error intermittently, retry the request. If you see this "
                    "error frequently and are making multiple concurrent requests to a single object, make your "
                    "requests serially or at a lower rate. See https://stripe.com/docs/rate-limits for more details."),
                {}, str("lock_timeout"));
        reply.headers.append(Header {"Stripe-Should-Retry", "true"});
        return reply;
    }
    if (failNextCount > 0) {
        --failNextCount;
        return injectedError(failNextStatus);
    }
    if (failFraction > 0 && failRng.generateDouble() < failFraction)
        return injectedError(failRng.bounded(2) == 0 ? 500 : 503);
    return std::nullopt;
}

StripeReply FakeStripeServer::Private::dispatch(const FakeRequest &request, const QString &key,
                                                const StripeCause &cause)
{
    const QString path = request.path();
    const QByteArray method = request.method;
    const StripeReply unknownRoute
            = stripe::errorReply(404, str("invalid_request_error"), unknownRouteMessage(method, path));
    if (!path.startsWith(QLatin1String("/v1/")))
        return unknownRoute;
    const QStringList parts = path.mid(4).split(QLatin1Char('/'));
    const QString resource = parts.first();
    const QString id = parts.size() == 2 ? parts.at(1) : QString();
    const bool special = resource == QLatin1String("account") || resource == QLatin1String("balance");
    const bool known = FakeStripeServer::resources().contains(resource);
    const bool isGet = method == "GET";
    const bool isPost = method == "POST";
    const bool isDelete = method == "DELETE";
    static const QStringList creatable {str("customers"), str("products"), str("coupons")};
    static const QStringList deletable {str("customers"), str("products"), str("coupons"), str("invoices"),
                                        str("subscriptions")};
    const bool immutable = resource == QLatin1String("events") || resource == QLatin1String("balance_transactions");
    bool routed = false;
    if (parts.size() == 1)
        routed = (special && isGet) || (known && (isGet || (isPost && creatable.contains(resource))));
    else if (parts.size() == 2 && !id.isEmpty() && known)
        routed = isGet || (isPost && !immutable) || (isDelete && deletable.contains(resource));
    if (!routed)
        return unknownRoute;

    const std::optional<QStringList> allowed = keys.value(key);
    if (allowed && !allowed->contains(resource)) {
        const QString permission = QStringLiteral("rak_%1_%2")
                                           .arg(FakeStripeServer::objectName(resource),
                                                isGet ? QStringLiteral("read") : QStringLiteral("write"));
        return stripe::errorReply(
                403, str("invalid_request_error"),
                QStringLiteral("The provided key '%1' does not have the required permissions for this endpoint on "
                               "account '%2'. Having the '%3' permission would allow this request to continue.")
                        .arg(stripe::maskKey(key, 6), accountId, permission));
    }

    const QList<StripeParam> query = stripe::parseParams(request.url.query(QUrl::FullyEncoded).toLatin1());
    if (isGet && resource == QLatin1String("account"))
        return accountRoute();
    if (isGet && resource == QLatin1String("balance"))
        return balanceRoute();
    if (isGet)
        return id.isEmpty() ? list(resource, query) : retrieve(resource, id, query);
    if (isDelete) {
        for (const StripeParam &p : query) {
            if (p.path.first() != QLatin1String("expand"))
                return stripe::errorReply(stripe::unknownParameter(p.name));
        }
        return removeRoute(resource, id, cause);
    }

    // POST: replays of an Idempotency-Key get the first answer
    const QByteArray idempotencyKey = request.header("idempotency-key");
    if (idempotencyKey.isEmpty())
        return write(request, resource, id, cause);
    if (idempotencyKey.size() > 255)
        return stripe::errorReply(400, str("invalid_request_error"),
                                  str("Idempotency-Key must be at most 255 characters long."));
    const QString scope = key + QLatin1Char('\n') + QString::fromUtf8(idempotencyKey);
    const QByteArray fingerprint
            = method + ' ' + path.toUtf8() + '?' + request.url.query(QUrl::FullyEncoded).toUtf8() + '\n' + request.body;
    const auto saved = idempotent.constFind(scope);
    if (saved != idempotent.cend()) {
        if (saved->first != fingerprint)
            return stripe::errorReply(
                    400, str("idempotency_error"),
                    QStringLiteral("Keys for idempotent requests can only be used with the same parameters they were "
                                   "first used with. Try using a key other than '%1' if you meant to execute a "
                                   "different request.")
                            .arg(QString::fromUtf8(idempotencyKey)));
        StripeReply replay = saved->second;
        replay.headers.append(Header {"Idempotent-Replayed", "true"});
        return replay;
    }
    const StripeReply reply = write(request, resource, id, cause);
    if (reply.status != 400 && reply.status != 429) // validation errors are not saved
        idempotent.insert(scope, {fingerprint, reply});
    return reply;
}

StripeReply FakeStripeServer::Private::retrieve(const QString &resource, const QString &id,
                                                const QList<StripeParam> &params)
{
    QStringList expandPaths;
    for (const StripeParam &p : params) {
        if (p.path.first() != QLatin1String("expand") || p.path.size() != 2)
            return stripe::errorReply(stripe::unknownParameter(p.name));
        expandPaths.append(p.value);
    }
    const StripeCollection &c = collection(resource);
    const auto it = c.find(id);
    if (it == c.ordered.cend()) {
        const QJsonObject tombstone = c.tombstones.value(id);
        if (!tombstone.isEmpty())
            return stripe::okReply(tombstone);
        return stripe::errorReply(404, str("invalid_request_error"), stripe::notFoundMessage(resource, id), str("id"),
                                  str("resource_missing"));
    }
    if (resource == QLatin1String("events") && it->first.created < now() - stripe::kEventWindow)
        return stripe::errorReply(404, str("invalid_request_error"), stripe::notFoundMessage(resource, id), str("id"),
                                  str("resource_missing"));
    QJsonObject record = it->second;
    if (const auto error = expand(record, expandPaths, false))
        return stripe::errorReply(*error);
    return stripe::okReply(record);
}

StripeReply FakeStripeServer::Private::write(const FakeRequest &request, const QString &resource, const QString &id,
                                             const StripeCause &cause)
{
    const QByteArray contentType = request.header("content-type").toLower();
    if (!request.body.isEmpty() && !contentType.startsWith("application/x-www-form-urlencoded"))
        return stripe::errorReply(400, str("invalid_request_error"),
                                  QStringLiteral("Invalid request: unsupported Content-Type %1. If error persists and "
                                                 "you need assistance, please contact support@stripe.com.")
                                          .arg(QString::fromLatin1(contentType)));
    QList<StripeParam> params = stripe::parseParams(request.body);
    params += stripe::parseParams(request.url.query(QUrl::FullyEncoded).toLatin1());

    QJsonObject current;
    if (!id.isEmpty()) {
        const StripeCollection &c = collection(resource);
        const auto it = c.find(id);
        if (it == c.ordered.cend())
            return stripe::errorReply(404, str("invalid_request_error"), stripe::notFoundMessage(resource, id),
                                      str("id"), str("resource_missing"));
        current = it->second;
    }
    QJsonObject fields;
    QStringList expandPaths;
    if (const auto error = formFields(resource, params, current, &fields, &expandPaths))
        return stripe::errorReply(*error);

    QJsonObject record;
    if (id.isEmpty()) {
        if (resource == QLatin1String("products") && fields.value(QStringLiteral("name")).toString().isEmpty())
            return stripe::errorReply(400, str("invalid_request_error"), str("Missing required param: name."),
                                      str("name"), str("parameter_missing"));
        if (resource == QLatin1String("coupons") && !fields.value(QStringLiteral("percent_off")).isDouble()
            && !fields.value(QStringLiteral("amount_off")).isDouble())
            return stripe::errorReply(400, str("invalid_request_error"),
                                      str("Missing required param: percent_off or amount_off."), str("percent_off"),
                                      str("parameter_missing"));
        if (fields.value(QStringLiteral("id")).isString() && idTaken(fields.value(QStringLiteral("id")).toString()))
            return stripe::errorReply(400, str("invalid_request_error"),
                                      QStringLiteral("%1 already exists.").arg(FakeStripeServer::objectName(resource)),
                                      str("id"), str("resource_already_exists"));
        fields.remove(QStringLiteral("created"));
        record = create(resource, fields, cause, true);
    } else {
        update(resource, id, fields, cause, now());
        record = q->object(resource, id);
    }
    if (const auto error = expand(record, expandPaths, false))
        return stripe::errorReply(*error);
    return stripe::okReply(record);
}

StripeReply FakeStripeServer::Private::removeRoute(const QString &resource, const QString &id, const StripeCause &cause)
{
    const QJsonObject record = q->object(resource, id);
    if (record.isEmpty())
        return stripe::errorReply(404, str("invalid_request_error"), stripe::notFoundMessage(resource, id), str("id"),
                                  str("resource_missing"));
    const QString status = record.value(QStringLiteral("status")).toString();
    if (resource == QLatin1String("invoices") && status != QLatin1String("draft"))
        return stripe::errorReply(400, str("invalid_request_error"),
                                  str("You can only delete draft invoices. To stop a finalized invoice from being "
                                      "paid, void it instead."));
    if (resource == QLatin1String("subscriptions")) {
        if (status == QLatin1String("canceled"))
            return stripe::errorReply(400, str("invalid_request_error"),
                                      QStringLiteral("A canceled subscription can only update its cancellation_details "
                                                     "and metadata. (subscription: %1)")
                                              .arg(id));
        remove(resource, id, cause, now());
        return stripe::okReply(q->object(resource, id));
    }
    remove(resource, id, cause, now());
    return stripe::okReply(QJsonObject {{QStringLiteral("id"), id},
                                        {QStringLiteral("object"), FakeStripeServer::objectName(resource)},
                                        {QStringLiteral("deleted"), true}});
}

StripeReply FakeStripeServer::Private::accountRoute() const
{
    QJsonObject account = fixture(QStringLiteral("account"));
    account.insert(QStringLiteral("id"), accountId);
    QJsonObject external = account.value(QStringLiteral("external_accounts")).toObject();
    external.insert(QStringLiteral("url"), QStringLiteral("/v1/accounts/%1/external_accounts").arg(accountId));
    account.insert(QStringLiteral("external_accounts"), external);
    return stripe::okReply(account);
}

StripeReply FakeStripeServer::Private::balanceRoute() const
{
    QJsonObject balance = fixture(QStringLiteral("balance"));
    const StripeCollection *c = findCollection(QStringLiteral("balance_transactions"));
    if (!c || c->ordered.empty())
        return stripe::okReply(balance);
    QMap<QString, qint64> available;
    QMap<QString, qint64> pending;
    for (const auto &entry : c->ordered) {
        const QJsonObject &txn = entry.second;
        auto &sums = txn.value(QStringLiteral("status")).toString() == QLatin1String("available") ? available : pending;
        sums[txn.value(QStringLiteral("currency")).toString()] += txn.value(QStringLiteral("net")).toInteger();
    }
    const auto render = [](const QMap<QString, qint64> &sums) {
        QJsonArray out;
        for (auto it = sums.cbegin(); it != sums.cend(); ++it)
            out.append(
                    QJsonObject {{QStringLiteral("amount"), it.value()},
                                 {QStringLiteral("currency"), it.key()},
                                 {QStringLiteral("source_types"), QJsonObject {{QStringLiteral("card"), it.value()}}}});
        return out;
    };
    balance.insert(QStringLiteral("available"), render(available));
    balance.insert(QStringLiteral("pending"), render(pending));
    return stripe::okReply(balance);
}

} // namespace tributary::test
