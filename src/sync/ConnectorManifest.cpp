#include "ConnectorManifest.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <optional>

namespace tributary {

namespace {

QString str(const QJsonObject &o, const char *key, const QString &fallback = {})
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isString() ? v.toString() : fallback;
}

QStringList strings(const QJsonValue &value)
{
    QStringList list;
    for (const auto &v : value.toArray())
        list.append(v.toString());
    return list;
}

QMap<QString, QString> stringMap(const QJsonValue &value)
{
    QMap<QString, QString> map;
    const QJsonObject o = value.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
        map.insert(it.key(), it.value().toString());
    return map;
}

Error manifestError(const QString &slug, const QString &what)
{
    return Error::make(Error::Kind::Config,
                       QStringLiteral("The connector manifest of '%1' is invalid: %2").arg(slug, what),
                       QStringLiteral("Fix the manifest; docs/connectors.md describes every field."));
}

// A pagination object over a default: another style starts from that style's defaults.
std::optional<ConnectorManifest::Pagination> parsePagination(const QJsonObject &page,
                                                             const ConnectorManifest::Pagination &fallback)
{
    const QString style = str(page, "style", fallback.style);
    ConnectorManifest::Pagination p
            = style == fallback.style ? fallback : ConnectorManifest::Pagination::defaults(style);
    if (p.style != style)
        return std::nullopt;
    p.pageSize = page.value(QStringLiteral("page_size")).toInt(p.pageSize);
    p.pageSizeParam = str(page, "page_size_param", p.pageSizeParam);
    p.cursorParam = str(page, "cursor_param", p.cursorParam);
    p.cursorField = str(page, "cursor_field", p.cursorField);
    p.hasMore = str(page, "has_more", p.hasMore);
    p.next = str(page, "next", p.next);
    p.cursor = str(page, "cursor", p.cursor);
    p.startParam = str(page, "start_param", p.startParam);
    p.endTime = str(page, "end_time", p.endTime);
    p.endOfStream = str(page, "end_of_stream", p.endOfStream);
    p.timeField = str(page, "time_field", p.timeField);
    p.minAgeSeconds = page.value(QStringLiteral("min_age_seconds")).toInt(p.minAgeSeconds);
    return p;
}

} // namespace

ConnectorManifest::Pagination ConnectorManifest::Pagination::defaults(const QString &style)
{
    Pagination p;
    if (style == QLatin1String("cursor_param"))
        return p;
    p.style = style;
    p.cursorField.clear();
    p.cursorParam.clear();
    if (style == QLatin1String("next_link")) {
        p.pageSizeParam = QStringLiteral("page[size]");
        p.next = QStringLiteral("/links/next");
        p.hasMore = QStringLiteral("/meta/has_more");
    } else if (style == QLatin1String("incremental_cursor") || style == QLatin1String("incremental_time")) {
        p.pageSize = 1000;
        p.pageSizeParam = QStringLiteral("per_page");
        p.startParam = QStringLiteral("start_time");
        p.endOfStream = QStringLiteral("/end_of_stream");
        p.hasMore.clear();
        p.minAgeSeconds = 60;
        if (style == QLatin1String("incremental_cursor")) {
            p.cursorParam = QStringLiteral("cursor");
            p.cursor = QStringLiteral("/after_cursor");
        } else {
            p.endTime = QStringLiteral("/end_time");
        }
    } else {
        p.style = QStringLiteral("unknown");
    }
    return p;
}

namespace { } // namespace

QJsonValue jsonPointer(const QJsonValue &root, const QString &pointer)
{
    if (pointer.isEmpty())
        return root;
    QJsonValue current = root;
    const QStringList parts = pointer.mid(1).split(QLatin1Char('/'));
    for (QString part : parts) {
        part.replace(QStringLiteral("~1"), QStringLiteral("/")).replace(QStringLiteral("~0"), QStringLiteral("~"));
        if (current.isObject()) {
            current = current.toObject().value(part);
        } else if (current.isArray()) {
            bool ok = false;
            const int index = part.toInt(&ok);
            if (!ok)
                return QJsonValue(QJsonValue::Undefined);
            current = current.toArray().at(index);
        } else {
            return QJsonValue(QJsonValue::Undefined);
        }
    }
    return current;
}

Result<ConnectorManifest> ConnectorManifest::fromJson(const QJsonObject &json)
{
    ConnectorManifest m;
    m.slug = str(json, "slug");
    if (m.slug.isEmpty() || !QRegularExpression(QStringLiteral("^[a-z][a-z0-9_]*$")).match(m.slug).hasMatch())
        return manifestError(m.slug, QStringLiteral("'slug' must be lower-case letters, digits and '_'"));
    if (json.value(QStringLiteral("format")).toInt() != 1)
        return manifestError(m.slug, QStringLiteral("'format' must be 1"));
    m.engine = str(json, "engine", m.engine);
    m.name = str(json, "name", m.slug);
    m.description = str(json, "description");
    m.documentation = str(json, "documentation");
    m.icon = str(json, "icon");
    m.baseUrl = str(json, "base_url");
    if (m.baseUrl.isEmpty() && m.engine == QLatin1String("rest"))
        return manifestError(m.slug, QStringLiteral("'base_url' is missing"));

    for (const auto &v : json.value(QStringLiteral("settings")).toArray()) {
        const QJsonObject o = v.toObject();
        Setting s;
        s.key = str(o, "key");
        s.label = str(o, "label", s.key);
        s.help = str(o, "help");
        s.pattern = str(o, "pattern");
        s.secret = o.value(QStringLiteral("secret")).toBool();
        s.required = o.value(QStringLiteral("required")).toBool();
        if (s.key.isEmpty())
            return manifestError(m.slug, QStringLiteral("a setting has no 'key'"));
        m.settings.append(s);
    }
    for (const auto &v : json.value(QStringLiteral("auth")).toArray()) {
        const QJsonObject o = v.toObject();
        AuthMode a;
        a.requiredSettings = strings(o.value(QStringLiteral("requires")));
        a.type = str(o, "type");
        a.token = str(o, "token");
        a.username = str(o, "username");
        a.password = str(o, "password");
        if (a.type != QLatin1String("bearer") && a.type != QLatin1String("basic"))
            return manifestError(m.slug, QStringLiteral("auth 'type' must be 'bearer' or 'basic'"));
        m.auth.append(a);
    }
    m.headers = stringMap(json.value(QStringLiteral("headers")));
    const QJsonObject rate = json.value(QStringLiteral("rate_limit")).toObject();
    m.requestsPerSecond = rate.value(QStringLiteral("requests_per_second")).toDouble();
    m.burst = qMax(1, rate.value(QStringLiteral("burst")).toInt(1));
    const QJsonObject groups = json.value(QStringLiteral("rate_groups")).toObject();
    for (auto it = groups.begin(); it != groups.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        RateGroup g;
        g.requests = o.value(QStringLiteral("requests")).toInt();
        g.windowSeconds = o.value(QStringLiteral("window_seconds")).toInt(60);
        g.requestsSetting = str(o, "requests_setting");
        if (g.requests < 1 || g.windowSeconds < 1)
            return manifestError(m.slug,
                                 QStringLiteral("rate group '%1' needs 'requests' and 'window_seconds' of at least 1")
                                         .arg(it.key()));
        m.rateGroups.insert(it.key(), g);
    }
    const QJsonObject quota = json.value(QStringLiteral("quota")).toObject();
    m.quotaRemainingHeader = str(quota, "remaining_header");
    m.quotaLimitHeader = str(quota, "limit_header");
    const QJsonObject check = json.value(QStringLiteral("check")).toObject();
    m.checkPath = str(check, "path");
    m.checkAccountName = str(check, "account_name");
    const QJsonObject errors = json.value(QStringLiteral("errors")).toObject();
    const QJsonValue messages = errors.value(QStringLiteral("message"));
    m.errorMessages = messages.isArray() ? strings(messages) : QStringList {messages.toString()};
    m.errorMessages.removeAll(QString());
    m.errorMessage = m.errorMessages.value(0);
    m.errorParam = str(errors, "param");
    m.permissionPattern = str(errors, "permission_pattern");
    m.permissionHint = str(errors, "permission_hint");
    m.authHint = str(errors, "auth_hint");
    m.records = str(json, "records");
    m.primaryKey = str(json, "primary_key", QStringLiteral("id"));
    m.dropFields = strings(json.value(QStringLiteral("drop_fields")));
    m.cursorOverlapSeconds = json.value(QStringLiteral("cursor_overlap_seconds")).toInt(0);

    const auto pagination = parsePagination(json.value(QStringLiteral("pagination")).toObject(), m.pagination);
    if (!pagination)
        return manifestError(m.slug,
                             QStringLiteral("pagination style '%1' is not known")
                                     .arg(str(json.value(QStringLiteral("pagination")).toObject(), "style")));
    m.pagination = *pagination;

    const QJsonObject time = json.value(QStringLiteral("time_filter")).toObject();
    m.timeFilter.param = str(time, "param");
    m.timeFilter.field = str(time, "field");
    m.timeFilter.format = str(time, "format", m.timeFilter.format);

    const QJsonObject feed = json.value(QStringLiteral("event_feed")).toObject();
    m.eventFeed.path = str(feed, "path");
    m.eventFeed.typesParam = str(feed, "types_param");
    m.eventFeed.maxTypes = feed.value(QStringLiteral("max_types")).toInt(20);
    m.eventFeed.record = str(feed, "record");
    m.eventFeed.typeField = str(feed, "type_field");
    m.eventFeed.timeField = str(feed, "time_field");
    m.eventFeed.objectField = str(feed, "object_field");
    m.eventFeed.deletedSuffix = str(feed, "deleted_suffix");
    m.eventFeed.windowDays = feed.value(QStringLiteral("window_days")).toInt(30);
    m.eventFeed.versionColumn = str(feed, "version_column");

    for (const auto &v : json.value(QStringLiteral("collections")).toArray()) {
        const QJsonObject o = v.toObject();
        Collection c;
        c.name = str(o, "name");
        c.description = str(o, "description");
        const QString kind = str(o, "kind", QStringLiteral("object"));
        if (kind != QLatin1String("object") && kind != QLatin1String("event"))
            return manifestError(m.slug, QStringLiteral("collection '%1': kind must be object or event").arg(c.name));
        c.kind = kind == QLatin1String("event") ? CollectionKind::Event : CollectionKind::Object;
        c.path = str(o, "path");
        c.params = stringMap(o.value(QStringLiteral("params")));
        c.permission = str(o, "permission");
        const QJsonObject inc = o.value(QStringLiteral("incremental")).toObject();
        c.incremental = str(inc, "style");
        c.object = str(inc, "object");
        c.types = strings(inc.value(QStringLiteral("types")));
        c.deletionIsStatus = inc.value(QStringLiteral("deletion_is_status")).toBool();
        c.jsonFields = strings(o.value(QStringLiteral("json_fields")));
        c.records = str(o, "records", m.records);
        const auto own = o.contains(QStringLiteral("pagination"))
                ? parsePagination(o.value(QStringLiteral("pagination")).toObject(), m.pagination)
                : std::optional<Pagination>(m.pagination);
        if (!own)
            return manifestError(m.slug,
                                 QStringLiteral("collection '%1': pagination style '%2' is not known")
                                         .arg(c.name, str(o.value(QStringLiteral("pagination")).toObject(), "style")));
        c.pagination = *own;
        for (const auto &d : o.value(QStringLiteral("deleted_if")).toArray()) {
            const QJsonObject rule = d.toObject();
            DeletedIf deleted;
            deleted.field = str(rule, "field");
            deleted.equals = rule.value(QStringLiteral("equals"));
            deleted.present = rule.value(QStringLiteral("present")).toBool();
            if (deleted.field.isEmpty() || (deleted.equals.isUndefined() && !deleted.present))
                return manifestError(
                        m.slug,
                        QStringLiteral("collection '%1': every 'deleted_if' needs 'field' and 'equals' or 'present'")
                                .arg(c.name));
            c.deletedIf.append(deleted);
        }
        c.rateGroup = str(o, "rate_group");
        if (!c.rateGroup.isEmpty() && !m.rateGroups.contains(c.rateGroup))
            return manifestError(m.slug,
                                 QStringLiteral("collection '%1': rate group '%2' is not in 'rate_groups'")
                                         .arg(c.name, c.rateGroup));
        c.permissionHint = str(o, "permission_hint");
        if (c.pagination.isExport() && !c.incremental.isEmpty())
            return manifestError(m.slug,
                                 QStringLiteral("collection '%1': an incremental export pagination is its own "
                                                "incremental style")
                                         .arg(c.name));
        if (c.pagination.style == QLatin1String("incremental_time") && c.pagination.timeField.isEmpty())
            return manifestError(m.slug,
                                 QStringLiteral("collection '%1': incremental_time needs 'time_field'").arg(c.name));
        if (c.pagination.style == QLatin1String("next_link") && c.pagination.next.isEmpty())
            return manifestError(m.slug, QStringLiteral("collection '%1': next_link needs 'next'").arg(c.name));
        if (c.name.isEmpty() || (c.path.isEmpty() && m.engine == QLatin1String("rest")))
            return manifestError(m.slug, QStringLiteral("every collection needs 'name' and 'path'"));
        if (!c.incremental.isEmpty() && c.pagination.style != QLatin1String("cursor_param"))
            return manifestError(
                    m.slug,
                    QStringLiteral("collection '%1': '%2' needs cursor_param pagination").arg(c.name, c.incremental));
        if (c.incremental == QLatin1String("event_feed")
            && (m.eventFeed.path.isEmpty() || c.types.isEmpty() || c.types.size() > m.eventFeed.maxTypes))
            return manifestError(m.slug,
                                 QStringLiteral("collection '%1': event_feed needs the feed and 1..%2 types")
                                         .arg(c.name)
                                         .arg(m.eventFeed.maxTypes));
        if (c.incremental == QLatin1String("time_filter") && m.timeFilter.param.isEmpty())
            return manifestError(m.slug,
                                 QStringLiteral("collection '%1': time_filter needs 'time_filter'").arg(c.name));
        m.collections.append(c);
    }
    m.customCollectionPattern = str(json, "custom_collections");
    if (!m.customCollectionPattern.isEmpty() && !QRegularExpression(m.customCollectionPattern).isValid())
        return manifestError(m.slug, QStringLiteral("'custom_collections' is not a valid regular expression"));
    m.oauthProvider = str(json, "oauth_provider");
    if (m.collections.isEmpty())
        return manifestError(m.slug, QStringLiteral("no collections"));
    return m;
}

const ConnectorManifest::Collection *ConnectorManifest::collection(const QString &name) const
{
    for (const auto &c : collections) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

bool ConnectorManifest::offersCollection(const QString &name) const
{
    return findCollection(name).has_value();
}

std::optional<ConnectorManifest::Collection> ConnectorManifest::findCollection(const QString &name) const
{
    if (const Collection *listed = collection(name))
        return *listed;
    if (customCollectionPattern.isEmpty() || !QRegularExpression(customCollectionPattern).match(name).hasMatch())
        return std::nullopt;
    Collection custom;
    custom.name = name;
    custom.kind = CollectionKind::Object;
    custom.description = QStringLiteral("A custom object found upstream.");
    return custom;
}

const ConnectorManifest::Setting *ConnectorManifest::setting(const QString &key) const
{
    for (const auto &s : settings) {
        if (s.key == key)
            return &s;
    }
    return nullptr;
}

QStringList ConnectorManifest::collectionNames() const
{
    QStringList names;
    for (const auto &c : collections)
        names.append(c.name);
    return names;
}

QString ConnectorManifest::authSummary() const
{
    QStringList kinds;
    for (const auto &a : auth) {
        QString kind = a.type == QLatin1String("basic") ? QStringLiteral("user and token") : QStringLiteral("API key");
        if (a.type == QLatin1String("bearer") && a.token.contains(QLatin1String("access_token")))
            kind = QStringLiteral("OAuth token");
        if (!kinds.contains(kind))
            kinds.append(kind);
    }
    return kinds.isEmpty() ? QStringLiteral("none") : kinds.join(QStringLiteral(" or "));
}

} // namespace tributary
