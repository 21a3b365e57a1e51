// FakeSalesforceServer: the public API (tokens, clock, data, visibility, limits, faults, log).
// HTTP handling is in FakeSalesforceRoutes.cpp, the schema and generated records in
// FakeSalesforceSchema.cpp.

#include "FakeSalesforcePrivate.h"

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>

namespace tributary::test {

namespace {

constexpr qint64 kDayMs = 86400LL * 1000;

// The order records are generated in, so that references find their targets.
const char *const kGenerationOrder[]
        = {"User",     "Account",     "Contact",        "Lead",        "Campaign",
           "Product2", "Pricebook2",  "PricebookEntry", "Opportunity", "OpportunityLineItem",
           "Case",     "CaseComment", "CampaignMember", "Task",        "Event",
           "Contract", "Note",        "Invoice__c"};

QString randomText(int length)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
    QString out;
    out.reserve(length);
    for (int i = 0; i < length; ++i)
        out.append(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(64)]));
    return out;
}

qint64 idNumber(qint64 serial)
{
    return 238328 + serial * 7919; // 62^3 + a stride: ids look varied and still grow
}

} // namespace

// --- Private helpers

qint64 FakeSalesforceServer::Private::nowMs() const
{
    const qint64 base = fixedNowMs ? *fixedNowMs : QDateTime::currentMSecsSinceEpoch();
    return base + offsetMs;
}

FakeSalesforceServer::Private::Record *FakeSalesforceServer::Private::find(const QString &objectName, const QString &id)
{
    const sf::Object *o = sf::object(objectName);
    if (!o)
        return nullptr;
    auto t = tables.find(o->name);
    if (t == tables.end())
        return nullptr;
    const auto i = t->index.constFind(id);
    return i == t->index.cend() ? nullptr : &t->records[*i];
}

void FakeSalesforceServer::Private::purge()
{
    const qint64 cutoff = nowMs() - 15 * kDayMs;
    for (auto t = tables.begin(); t != tables.end(); ++t) {
        const auto gone = [cutoff](const Record &r) { return r.deleted() && r.deletedAtMs < cutoff; };
        if (std::none_of(t->records.cbegin(), t->records.cend(), gone))
            continue;
        t->records.removeIf(gone);
        t->index.clear();
        for (qsizetype i = 0; i < t->records.size(); ++i)
            t->index.insert(t->records.at(i).values.value(QStringLiteral("Id")).toString(), i);
    }
}

QString FakeSalesforceServer::Private::insert(const sf::Object &object, const QJsonObject &fields)
{
    Table &t = table(object.name);
    QHash<QString, QStringList> live;
    for (auto it = tables.cbegin(); it != tables.cend(); ++it) {
        for (const Record &r : it->records) {
            if (!r.deleted())
                live[it.key()].append(r.values.value(QStringLiteral("Id")).toString());
        }
    }
    const qint64 serial = t.nextSerial;
    const QString id = sf::makeId(object.keyPrefix, idNumber(serial));
    const qint64 stamp = nowMs() / 1000 * 1000;
    sf::Generator generator {&random, &live};
    QJsonObject values = generator.generate(object, id, stamp, stamp, userId, int(serial));
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const sf::Field *f = object.field(it.key());
        if (!f || f->name == QLatin1String("Id"))
            return {};
        const auto v = sf::storedValue(*f, it.value());
        if (!v)
            return {};
        values.insert(f->name, *v);
    }
    if (values.contains(QStringLiteral("FirstName")) && values.contains(QStringLiteral("Name"))
        && !fields.contains(QStringLiteral("Name"))) {
        const QString first = values.value(QStringLiteral("FirstName")).toString();
        const QString last = values.value(QStringLiteral("LastName")).toString();
        values.insert(QStringLiteral("Name"), first.isEmpty() ? last : first + QLatin1Char(' ') + last);
    }
    ++t.nextSerial;
    t.index.insert(id, t.records.size());
    t.records.append({values, 0});
    return id;
}

FakeSalesforceServer::Tokens FakeSalesforceServer::Private::grant(const QString &clientId, const QString &scope,
                                                                  const QString &oldRefreshToken, bool withRefresh)
{
    Q_UNUSED(scope)
    Tokens out;
    ++tokenSerial;
    out.accessToken = orgId.left(15) + QLatin1Char('!') + QStringLiteral("AQ") + QString::number(tokenSerial)
            + QLatin1Char('.') + randomText(96);
    QString refresh = oldRefreshToken;
    if (withRefresh) {
        refreshTokens.remove(oldRefreshToken);
        refresh = QStringLiteral("5Aep861") + randomText(80);
        refreshTokens.insert(refresh, clientId);
        out.refreshToken = refresh;
    }
    accessTokens.insert(out.accessToken, {refresh, nowMs()});
    out.instanceUrl = q->baseUrl().toString();
    out.id = out.instanceUrl + QStringLiteral("/id/") + orgId + QLatin1Char('/') + userId;
    return out;
}

// --- construction

FakeSalesforceServer::FakeSalesforceServer(QObject *parent) : QObject(parent), d(std::make_unique<Private>(this))
{
    d->orgId = sf::makeId(QStringLiteral("00D"), idNumber(4242));
    d->userId = sf::makeId(QStringLiteral("005"), idNumber(1));
    addClient(defaultClientId(), defaultClientSecret());
    d->http.setHandler([this](const FakeRequest &request, FakeResponder responder) { d->handle(request, responder); });
    populate();
}

FakeSalesforceServer::~FakeSalesforceServer()
{
    releaseHanging();
}

bool FakeSalesforceServer::listen(quint16 port)
{
    return d->http.listen(port);
}

quint16 FakeSalesforceServer::port() const
{
    return d->http.port();
}

QUrl FakeSalesforceServer::baseUrl() const
{
    return d->http.baseUrl();
}

FakeHttpServer &FakeSalesforceServer::http()
{
    return d->http;
}

// --- org, clients, tokens

QString FakeSalesforceServer::orgId() const
{
    return d->orgId;
}

QString FakeSalesforceServer::userId() const
{
    return d->userId;
}

QString FakeSalesforceServer::username() const
{
    const Private::Record *r = d->find(QStringLiteral("User"), d->userId);
    return r ? r->values.value(QStringLiteral("Username")).toString() : QStringLiteral("admin@tributary-fake.example");
}

QString FakeSalesforceServer::defaultClientId()
{
    return QStringLiteral("3MVG9fakeTributaryConsumerKey.Salesforce.Connected.App");
}

QString FakeSalesforceServer::defaultClientSecret()
{
    return QStringLiteral("F4KE5EC2E7C0N5UMER5ECRET0123456789ABCDEF");
}

void FakeSalesforceServer::addClient(const QString &clientId, const QString &clientSecret, const QUrl &callback)
{
    d->clients.insert(clientId, {clientSecret, callback});
}

void FakeSalesforceServer::setUserChoice(UserChoice choice)
{
    d->choice = choice;
}

FakeSalesforceServer::Tokens FakeSalesforceServer::issueTokens(const QString &clientId)
{
    if (!d->clients.contains(clientId))
        return {};
    return d->grant(clientId, QStringLiteral("api refresh_token"), {}, true);
}

void FakeSalesforceServer::expireAccessTokens()
{
    d->accessTokens.clear();
}

void FakeSalesforceServer::revokeRefreshToken(const QString &refreshToken)
{
    d->refreshTokens.remove(refreshToken);
    d->accessTokens.removeIf([&](const auto &it) { return it.value().refreshToken == refreshToken; });
}

void FakeSalesforceServer::setRefreshTokenRotation(bool on)
{
    d->rotation = on;
}

void FakeSalesforceServer::setSessionTimeout(qint64 seconds)
{
    d->sessionTimeoutMs = qMax<qint64>(0, seconds) * 1000;
}

bool FakeSalesforceServer::isValidAccessToken(const QString &token) const
{
    const auto it = d->accessTokens.constFind(token);
    if (it == d->accessTokens.cend())
        return false;
    return d->sessionTimeoutMs == 0 || d->nowMs() - it->lastUsedMs < d->sessionTimeoutMs;
}

bool FakeSalesforceServer::isValidRefreshToken(const QString &token) const
{
    return d->refreshTokens.contains(token);
}

// --- clock

QDateTime FakeSalesforceServer::now() const
{
    return QDateTime::fromMSecsSinceEpoch(d->nowMs(), Qt::UTC);
}

void FakeSalesforceServer::setNow(const QDateTime &now)
{
    d->fixedNowMs = now.toMSecsSinceEpoch();
    d->offsetMs = 0;
}

void FakeSalesforceServer::advance(qint64 seconds)
{
    d->offsetMs += seconds * 1000;
}

// --- schema

QStringList FakeSalesforceServer::queryableObjects()
{
    QStringList out;
    for (const sf::Object &o : sf::schema()) {
        if (o.queryable)
            out.append(o.name);
    }
    return out;
}

QStringList FakeSalesforceServer::allObjects()
{
    QStringList out;
    for (const sf::Object &o : sf::schema())
        out.append(o.name);
    return out;
}

QString FakeSalesforceServer::keyPrefix(const QString &object)
{
    const sf::Object *o = sf::object(object);
    return o ? o->keyPrefix : QString();
}

QStringList FakeSalesforceServer::fieldNames(const QString &object) const
{
    QStringList out;
    if (const sf::Object *o = sf::object(object)) {
        for (const sf::Field &f : o->fields)
            out.append(f.name);
    }
    return out;
}

// --- data

QHash<QString, int> FakeSalesforceServer::defaultCounts()
{
    return {{QStringLiteral("User"), 5},
            {QStringLiteral("Account"), 450},
            {QStringLiteral("Contact"), 60},
            {QStringLiteral("Lead"), 40},
            {QStringLiteral("Campaign"), 5},
            {QStringLiteral("Product2"), 10},
            {QStringLiteral("Pricebook2"), 2},
            {QStringLiteral("PricebookEntry"), 10},
            {QStringLiteral("Opportunity"), 40},
            {QStringLiteral("OpportunityLineItem"), 30},
            {QStringLiteral("Case"), 30},
            {QStringLiteral("CaseComment"), 20},
            {QStringLiteral("CampaignMember"), 15},
            {QStringLiteral("Task"), 30},
            {QStringLiteral("Event"), 20},
            {QStringLiteral("Contract"), 10},
            {QStringLiteral("Note"), 10},
            {QStringLiteral("Invoice__c"), 25}};
}

void FakeSalesforceServer::populate(const QHash<QString, int> &counts, quint32 seed)
{
    d->tables.clear();
    d->locators.clear();
    d->random.seed(seed);
    const QHash<QString, int> defaults = defaultCounts();
    const qint64 nowSec = d->nowMs() / 1000;
    QHash<QString, QStringList> live;
    for (const char *name : kGenerationOrder) {
        const sf::Object *object = sf::object(QString::fromLatin1(name));
        Q_ASSERT(object);
        int n = counts.value(object->name, defaults.value(object->name));
        if (object->name == QLatin1String("User"))
            n = qMax(1, n); // the API user
        Private::Table &table = d->table(object->name);
        // Created over the past year, oldest first, so that Id order is creation order.
        QList<qint64> created;
        for (int i = 0; i < n; ++i)
            created.append(nowSec - 120 - qint64(d->random.bounded(365 * 86400)));
        std::sort(created.begin(), created.end());
        qint64 previousModified = 0;
        sf::Generator generator {&d->random, &live};
        for (int i = 0; i < n; ++i) {
            const qint64 serial = table.nextSerial++;
            const QString id = sf::makeId(object->keyPrefix, idNumber(serial));
            const qint64 c = created.at(i);
            qint64 m = c + qint64(d->random.bounded(quint32(nowSec - 60 - c)));
            // Some records share a SystemModstamp with the one before (bulk updates do that).
            if (i % 40 == 39 && previousModified >= c)
                m = previousModified;
            previousModified = m;
            table.index.insert(id, table.records.size());
            table.records.append({generator.generate(*object, id, c * 1000, m * 1000, d->userId, int(serial)), 0});
            live[object->name].append(id);
        }
        if (object->name == QLatin1String("User")) {
            // The API user: the identity in token replies.
            QJsonObject &me = table.records.first().values;
            me.insert(QStringLiteral("Username"), QStringLiteral("admin@tributary-fake.example"));
            me.insert(QStringLiteral("IsActive"), true);
        }
    }
}

int FakeSalesforceServer::count(const QString &object, bool includeDeleted) const
{
    return int(ids(object, includeDeleted).size());
}

QStringList FakeSalesforceServer::ids(const QString &object, bool includeDeleted) const
{
    d->purge();
    QStringList out;
    const sf::Object *o = sf::object(object);
    if (!o)
        return out;
    const Private::Table &table = d->tables[o->name];
    for (const Private::Record &r : table.records) {
        if (includeDeleted || !r.deleted())
            out.append(r.values.value(QStringLiteral("Id")).toString());
    }
    return out;
}

QJsonObject FakeSalesforceServer::record(const QString &object, const QString &id) const
{
    const sf::Object *o = sf::object(object);
    const Private::Record *r = d->find(object, id);
    if (!o || !r)
        return {};
    QJsonObject out;
    for (const sf::Field &f : o->fields)
        out.insert(f.name, sf::apiValue(*o, f, r->values));
    return out;
}

bool FakeSalesforceServer::updateRecord(const QString &object, const QString &id, const QJsonObject &changes)
{
    const sf::Object *o = sf::object(object);
    Private::Record *r = d->find(object, id);
    if (!o || !r || r->deleted())
        return false;
    QJsonObject values = r->values;
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        const sf::Field *f = o->field(it.key());
        if (!f || f->name == QLatin1String("Id") || f->name == QLatin1String("IsDeleted"))
            return false;
        const auto v = sf::storedValue(*f, it.value());
        if (!v)
            return false;
        values.insert(f->name, *v);
    }
    const double stamp = double(d->nowMs() / 1000 * 1000);
    if (!changes.contains(QStringLiteral("LastModifiedDate")))
        values.insert(QStringLiteral("LastModifiedDate"), stamp);
    if (!changes.contains(QStringLiteral("SystemModstamp")))
        values.insert(QStringLiteral("SystemModstamp"), stamp);
    values.insert(QStringLiteral("LastModifiedById"), d->userId);
    r->values = values;
    return true;
}

QStringList FakeSalesforceServer::updateRecords(const QString &object, int n, const QJsonObject &changes)
{
    QStringList done;
    const QStringList live = ids(object);
    for (const QString &id : live) {
        if (done.size() >= n)
            break;
        if (!updateRecord(object, id, changes))
            return done;
        done.append(id);
    }
    return done;
}

QString FakeSalesforceServer::insertRecord(const QString &object, const QJsonObject &fields)
{
    const sf::Object *o = sf::object(object);
    if (!o || !o->queryable)
        return {};
    return d->insert(*o, fields);
}

QStringList FakeSalesforceServer::insertRecords(const QString &object, int n)
{
    QStringList out;
    for (int i = 0; i < n; ++i) {
        const QString id = insertRecord(object);
        if (id.isEmpty())
            break;
        out.append(id);
    }
    return out;
}

bool FakeSalesforceServer::deleteRecord(const QString &object, const QString &id)
{
    Private::Record *r = d->find(object, id);
    if (!r || r->deleted())
        return false;
    const qint64 stamp = d->nowMs() / 1000 * 1000;
    r->deletedAtMs = qMax<qint64>(1, stamp);
    r->values.insert(QStringLiteral("IsDeleted"), true);
    r->values.insert(QStringLiteral("SystemModstamp"), double(stamp));
    return true;
}

QStringList FakeSalesforceServer::deleteRecords(const QString &object, int n)
{
    QStringList done;
    const QStringList live = ids(object);
    for (const QString &id : live) {
        if (done.size() >= n)
            break;
        if (deleteRecord(object, id))
            done.append(id);
    }
    return done;
}

bool FakeSalesforceServer::setSystemModstamp(const QString &object, const QStringList &ids, const QDateTime &stamp)
{
    QList<Private::Record *> records;
    for (const QString &id : ids) {
        Private::Record *r = d->find(object, id);
        if (!r)
            return false;
        records.append(r);
    }
    const double ms = double(stamp.toMSecsSinceEpoch() / 1000 * 1000);
    for (Private::Record *r : records) {
        r->values.insert(QStringLiteral("SystemModstamp"), ms);
        r->values.insert(QStringLiteral("LastModifiedDate"), ms);
    }
    return true;
}

// --- visibility

void FakeSalesforceServer::hideObject(const QString &object, bool hidden)
{
    const sf::Object *o = sf::object(object);
    const QString name = o ? o->name : object;
    if (hidden)
        d->hiddenObjects.insert(name);
    else
        d->hiddenObjects.remove(name);
}

void FakeSalesforceServer::hideField(const QString &object, const QString &field, bool hidden)
{
    const sf::Object *o = sf::object(object);
    const sf::Field *f = o ? o->field(field) : nullptr;
    const QString objectName = o ? o->name : object;
    const QString fieldName = f ? f->name : field;
    if (hidden)
        d->hidden[objectName].insert(fieldName);
    else
        d->hidden[objectName].remove(fieldName);
}

// --- limits

void FakeSalesforceServer::setDailyApiLimit(int max)
{
    d->dailyMax = qMax(0, max);
}

int FakeSalesforceServer::dailyApiLimit() const
{
    return d->dailyMax;
}

void FakeSalesforceServer::setApiUsage(int used)
{
    d->used = qMax(0, used);
    d->usageDay = d->nowMs() / kDayMs;
}

int FakeSalesforceServer::apiUsage() const
{
    return d->nowMs() / kDayMs == d->usageDay ? d->used : 0;
}

void FakeSalesforceServer::setApiDisabled(bool disabled)
{
    d->apiDisabled = disabled;
}

void FakeSalesforceServer::expireQueryLocators()
{
    d->locators.clear();
}

// --- faults

void FakeSalesforceServer::failNext(int n, int status, Endpoint only)
{
    if (n > 0)
        d->failures.append({n, status, only});
}

void FakeSalesforceServer::hangNext(int n, Endpoint only)
{
    if (n > 0)
        d->hangs.append({n, 0, only});
}

int FakeSalesforceServer::hangingRequests() const
{
    int n = 0;
    for (const Private::Held &h : d->held)
        n += h.responder.isValid() ? 1 : 0;
    return n;
}

void FakeSalesforceServer::releaseHanging()
{
    for (Private::Held &h : d->held)
        h.responder.drop();
    d->held.clear();
}

void FakeSalesforceServer::clearFaults()
{
    d->failures.clear();
    d->hangs.clear();
    releaseHanging();
}

// --- observation

int FakeSalesforceServer::requestCount() const
{
    return int(d->log.size());
}

int FakeSalesforceServer::requestCount(Endpoint endpoint) const
{
    if (endpoint == Endpoint::Any)
        return requestCount();
    return int(std::count_if(d->log.cbegin(), d->log.cend(),
                             [endpoint](const LoggedRequest &r) { return r.endpoint == endpoint; }));
}

QList<FakeSalesforceServer::LoggedRequest> FakeSalesforceServer::requestLog() const
{
    return d->log;
}

void FakeSalesforceServer::clearRequests()
{
    d->log.clear();
    for (Private::Held &h : d->held)
        h.logIndex = -1;
    d->http.clearRequests();
}

} // namespace tributary::test
