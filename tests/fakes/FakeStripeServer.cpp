#include "FakeStripeServer.h"

#include "FakeStripePrivate.h"

#include <QDateTime>

namespace tributary::test {

namespace {

// "customers" or "/v1/customers" -> "/v1/customers"
QString faultPath(const QString &path)
{
    QString p = path.startsWith(QLatin1Char('/')) ? path : QStringLiteral("/v1/") + path;
    while (p.size() > 1 && p.endsWith(QLatin1Char('/')))
        p.chop(1);
    return p;
}

} // namespace

FakeStripeServer::Private::Private(FakeStripeServer *owner) : q(owner), rng(1u), failRng(1u)
{
    accountId = fixture(QStringLiteral("account")).value(QStringLiteral("id")).toString();
    monotonic.start();
}

FakeStripeServer::FakeStripeServer(QObject *parent) : QObject(parent), d(std::make_unique<Private>(this))
{
    d->http.setHandler(
            [this](const FakeRequest &request, FakeResponder responder) { d->handle(request, std::move(responder)); });
}

FakeStripeServer::~FakeStripeServer()
{
    for (HeldRequest &held : d->held)
        held.responder.drop();
    d->held.clear();
}

bool FakeStripeServer::listen(quint16 port)
{
    return d->http.listen(port);
}

quint16 FakeStripeServer::port() const
{
    return d->http.port();
}

QUrl FakeStripeServer::baseUrl() const
{
    return d->http.baseUrl();
}

FakeHttpServer &FakeStripeServer::http()
{
    return d->http;
}

QStringList FakeStripeServer::resources()
{
    return {QStringLiteral("customers"),     QStringLiteral("charges"),         QStringLiteral("invoices"),
            QStringLiteral("subscriptions"), QStringLiteral("products"),        QStringLiteral("prices"),
            QStringLiteral("refunds"),       QStringLiteral("payment_intents"), QStringLiteral("balance_transactions"),
            QStringLiteral("disputes"),      QStringLiteral("coupons"),         QStringLiteral("payouts"),
            QStringLiteral("events")};
}

QString FakeStripeServer::objectName(const QString &resource)
{
    if (resource == QLatin1String("account") || resource == QLatin1String("balance"))
        return resource;
    if (!resources().contains(resource))
        return {};
    QString name = resource;
    name.chop(1); // every resource here is a plain plural
    return name;
}

void FakeStripeServer::addKey(const QString &key)
{
    d->keys.insert(key, std::nullopt);
}

void FakeStripeServer::addRestrictedKey(const QString &key, const QStringList &allowedResources)
{
    d->keys.insert(key, allowedResources);
}

void FakeStripeServer::removeKey(const QString &key)
{
    d->keys.remove(key);
}

QString FakeStripeServer::accountId() const
{
    return d->accountId;
}

QString FakeStripeServer::apiVersion() const
{
    return d->apiVersion;
}

void FakeStripeServer::setApiVersion(const QString &version)
{
    d->apiVersion = version;
}

qint64 FakeStripeServer::now() const
{
    return d->now();
}

void FakeStripeServer::setNow(qint64 unixSeconds)
{
    d->fixedNow = unixSeconds;
}

void FakeStripeServer::advance(qint64 seconds)
{
    d->fixedNow = d->now() + seconds;
}

void FakeStripeServer::useRealClock()
{
    d->fixedNow.reset();
}

void FakeStripeServer::populate(int perCollection, quint32 seed)
{
    QHash<QString, int> counts;
    for (const QString &resource : resources())
        counts.insert(resource, perCollection);
    d->populate(counts, seed);
}

void FakeStripeServer::populate(const QHash<QString, int> &counts, quint32 seed)
{
    d->populate(counts, seed);
}

void FakeStripeServer::clear()
{
    d->clearData();
}

QJsonObject FakeStripeServer::createObject(const QString &resource, const QJsonObject &fields)
{
    return d->create(resource, fields, StripeCause {}, false);
}

bool FakeStripeServer::updateObject(const QString &resource, const QString &id, const QJsonObject &changes)
{
    return d->update(resource, id, changes, StripeCause {}, d->now());
}

bool FakeStripeServer::deleteObject(const QString &resource, const QString &id)
{
    return d->remove(resource, id, StripeCause {}, d->now());
}

QList<QJsonObject> FakeStripeServer::objects(const QString &resource) const
{
    QList<QJsonObject> out;
    if (const StripeCollection *c = d->findCollection(resource)) {
        out.reserve(qsizetype(c->ordered.size()));
        for (const auto &entry : c->ordered)
            out.append(entry.second);
    }
    return out;
}

QJsonObject FakeStripeServer::object(const QString &resource, const QString &id) const
{
    const StripeCollection *c = d->findCollection(resource);
    if (!c)
        return {};
    const auto it = c->find(id);
    return it == c->ordered.end() ? QJsonObject() : it->second;
}

int FakeStripeServer::count(const QString &resource) const
{
    const StripeCollection *c = d->findCollection(resource);
    return c ? int(c->ordered.size()) : 0;
}

void FakeStripeServer::setRateLimit(int perSecond)
{
    d->rateLimit = qMax(0, perSecond);
    d->admitted.clear();
}

void FakeStripeServer::setRetryAfter(int seconds)
{
    d->retryAfter = qMax(0, seconds);
}

void FakeStripeServer::setLockTimeoutOnce(const QString &path)
{
    d->lockTimeoutPaths.append(faultPath(path));
}

void FakeStripeServer::failRandomly(double fraction, quint32 seed)
{
    d->failFraction = qBound(0.0, fraction, 1.0);
    d->failRng.seed(seed);
}

void FakeStripeServer::failNext(int n, int status)
{
    d->failNextCount = qMax(0, n);
    d->failNextStatus = status;
}

void FakeStripeServer::setHanging(const QString &path, bool hanging)
{
    const QString p = faultPath(path);
    if (hanging) {
        if (!d->hangingPaths.contains(p))
            d->hangingPaths.append(p);
        return;
    }
    d->hangingPaths.removeAll(p);
    for (qsizetype i = d->held.size() - 1; i >= 0; --i) {
        if (d->matches({p}, d->held.at(i).path)) {
            d->held[i].responder.drop();
            d->held.removeAt(i);
        }
    }
}

void FakeStripeServer::setSlow(const QString &path, int ms)
{
    if (ms > 0)
        d->slowPaths.insert(faultPath(path), ms);
    else
        d->slowPaths.remove(faultPath(path));
}

void FakeStripeServer::setMalformedNext(const QString &path)
{
    d->malformedPaths.append(faultPath(path));
}

void FakeStripeServer::clearFaults()
{
    d->rateLimit = 0;
    d->retryAfter = 0;
    d->admitted.clear();
    d->lockTimeoutPaths.clear();
    d->failFraction = 0;
    d->failNextCount = 0;
    d->slowPaths.clear();
    d->malformedPaths.clear();
    const QStringList hanging = d->hangingPaths;
    for (const QString &path : hanging)
        setHanging(path, false);
}

int FakeStripeServer::hangingRequests() const
{
    int n = 0;
    for (const HeldRequest &held : d->held) {
        if (held.responder.isValid())
            ++n;
    }
    return n;
}

int FakeStripeServer::requestCount() const
{
    return d->http.requestCount();
}

int FakeStripeServer::requestCount(const QString &path) const
{
    int n = 0;
    for (const FakeRequest &request : d->http.requests()) {
        if (request.path() == path)
            ++n;
    }
    return n;
}

const QList<FakeRequest> &FakeStripeServer::requests() const
{
    return d->http.requests();
}

void FakeStripeServer::clearRequests()
{
    d->http.clearRequests();
}

qint64 FakeStripeServer::Private::now() const
{
    return fixedNow ? *fixedNow : QDateTime::currentSecsSinceEpoch();
}

} // namespace tributary::test
