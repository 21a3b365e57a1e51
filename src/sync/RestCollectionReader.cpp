#include "RestCollectionReader.h"

#include "core/JsonPage.h"
#include "net/HttpClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcReader, "tributary.sync.reader")

namespace tributary {

namespace {

const QString kMode = QStringLiteral("mode");
const QString kSince = QStringLiteral("since");
const QString kAfter = QStringLiteral("after");
const QString kStartedAt = QStringLiteral("started_at");
const QString kFrom = QStringLiteral("from");
const QString kFromMode = QStringLiteral("from");
const QString kCheckedAt = QStringLiteral("checked_at");
const QString kMaxSeen = QStringLiteral("max_seen");
const QString kCursor = QStringLiteral("cursor");
const QString kStartTime = QStringLiteral("start_time");
const QString kBoundaryTime = QStringLiteral("boundary_time");
const QString kBoundary = QStringLiteral("boundary");
const QString kExportCursor = QStringLiteral("export_cursor");
const QString kExportTime = QStringLiteral("export_time");
// A start time stays this much further from "now" than the upstream requires (clock drift).
constexpr qint64 kStartMarginSeconds = 10;

QString idText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    return {};
}

// Unix seconds from a number or an ISO 8601 text; -1 when neither.
qint64 unixTime(const QJsonValue &value)
{
    if (value.isDouble())
        return value.toInteger();
    if (value.isString()) {
        const QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODate);
        if (t.isValid())
            return t.toSecsSinceEpoch();
    }
    return -1;
}

} // namespace

RestCollectionReader::RestCollectionReader(const RestSource &source, const ConnectorManifest::Collection &collection,
                                           Context context, const QJsonObject &savedState)
    : m_source(source)
    , m_collection(collection)
    , m_context(std::move(context))
    , m_timerContext(std::make_unique<QObject>())
{
    QJsonObject state = savedState;
    // "Re-sync from a date": a full read limited to records created since then, as a first sync
    // with that start date would do; a resumed full read keeps the date it started with.
    if (state.value(kMode).toString() == kFromMode) {
        m_context.startDate = QDateTime::fromSecsSinceEpoch(state.value(kFrom).toInteger(), Qt::UTC);
        m_notice = QStringLiteral("Reading %1 again from %2, as asked.")
                           .arg(m_collection.name, m_context.startDate.date().toString(Qt::ISODate));
        state = {};
    } else if (state.contains(kFrom)) {
        m_context.startDate = QDateTime::fromSecsSinceEpoch(state.value(kFrom).toInteger(), Qt::UTC);
    }
    const qint64 now = m_context.now.toSecsSinceEpoch();
    const QString mode = state.value(kMode).toString();
    const auto &pagination = m_collection.pagination;
    if (pagination.isExport()) {
        const bool byCursor = pagination.style == QLatin1String("incremental_cursor");
        m_mode = byCursor ? Mode::ExportCursor : Mode::ExportTime;
        m_since = now;
        if (m_context.fullRefresh || state.isEmpty() || mode != (byCursor ? kExportCursor : kExportTime)) {
            // The whole history, or from the start date.
            m_start = m_context.startDate.isValid() ? qMax<qint64>(0, m_context.startDate.toSecsSinceEpoch()) : 0;
            if (m_context.fullRefresh && !state.isEmpty())
                m_notice = QStringLiteral("Full refresh requested: reading everything again.");
        } else {
            m_cursor = state.value(kCursor).toString();
            m_start = static_cast<qint64>(state.value(kStartTime).toDouble());
            m_boundaryTime = static_cast<qint64>(state.value(kBoundaryTime).toDouble());
            m_lastCheckedAt = static_cast<qint64>(state.value(kCheckedAt).toDouble());
            for (const auto &id : state.value(kBoundary).toArray())
                m_boundary.insert(id.toString());
        }
        return;
    }
    const bool incremental = m_collection.isIncremental();
    m_since = now;
    if (pagination.style == QLatin1String("next_link") && !m_context.fullRefresh && mode == QLatin1String("full")
        && !state.value(kAfter).toString().isEmpty()) {
        // Resume an interrupted read of a list at the saved next link.
        m_mode = Mode::Full;
        m_since = static_cast<qint64>(state.value(kStartedAt).toDouble(static_cast<double>(now)));
        m_after = state.value(kAfter).toString();
    } else if (m_context.fullRefresh || state.isEmpty() || !incremental) {
        m_mode = Mode::Full;
        m_freshFull = true;
        if (m_context.fullRefresh && !state.isEmpty())
            m_notice = QStringLiteral("Full refresh requested: reading everything again.");
    } else if (mode == QLatin1String("full")) {
        m_mode = Mode::Full; // resume an interrupted full read
        m_since = static_cast<qint64>(state.value(kStartedAt).toDouble(static_cast<double>(now)));
        m_after = state.value(kAfter).toString();
    } else if (mode == QLatin1String("events") || mode == QLatin1String("time")) {
        m_mode = mode == QLatin1String("events") ? Mode::Events : Mode::Time;
        m_since = static_cast<qint64>(state.value(kSince).toDouble());
        m_after = state.value(kAfter).toString();
        m_maxSeen = static_cast<qint64>(state.value(kMaxSeen).toDouble());
        const qint64 checkedAt = static_cast<qint64>(state.value(kCheckedAt).toDouble(double(m_since)));
        const auto &feed = m_source.manifest().eventFeed;
        // An hour of margin: the feed must still hold everything since the last pass when we get there.
        if (m_mode == Mode::Events && checkedAt < now - qint64(feed.windowDays) * 86400 + 3600) {
            m_mode = Mode::Full;
            m_freshFull = true;
            m_since = now;
            m_maxSeen = 0;
            m_after.clear();
            m_notice = QStringLiteral("The last sync is older than %1's %2-day change window: reading every %3 "
                                      "again instead.")
                               .arg(m_source.manifest().name)
                               .arg(feed.windowDays)
                               .arg(m_collection.name);
        }
    } else {
        m_mode = Mode::Full;
        m_freshFull = true;
    }
}

void RestCollectionReader::readUpstreamClock(const HttpResponse &response)
{
    if (m_upstreamNow)
        return;
    // The upstream's own clock orders its records: a skewed local clock must not open a gap.
    const QByteArray date = response.header("date");
    const QDateTime upstream = QLocale::c().toDateTime(QString::fromLatin1(date).trimmed(),
                                                       QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    m_upstreamNow = upstream.isValid() ? QDateTime(upstream.date(), upstream.time(), Qt::UTC).toSecsSinceEpoch()
                                       : m_context.now.toSecsSinceEpoch();
    if (m_mode == Mode::Full && m_freshFull)
        m_since = m_upstreamNow - m_source.manifest().cursorOverlapSeconds;
}

QString RestCollectionReader::versionColumn() const
{
    if (m_collection.kind == CollectionKind::Object && m_collection.incremental == QLatin1String("event_feed"))
        return m_source.manifest().eventFeed.versionColumn;
    return {};
}

QString RestCollectionReader::pathForPage() const
{
    return m_mode == Mode::Events ? m_source.manifest().eventFeed.path : m_collection.path;
}

qint64 RestCollectionReader::exportStart() const
{
    // The upstream's clock when known; before its first reply, ours, but never earlier than the
    // upstream's clock at the last pass (its clock may be ahead of ours).
    const qint64 now = m_upstreamNow ? m_upstreamNow : qMax(m_context.now.toSecsSinceEpoch(), m_lastCheckedAt);
    return qMax<qint64>(0, qMin(m_start, now - m_collection.pagination.minAgeSeconds - kStartMarginSeconds));
}

HttpRequest RestCollectionReader::requestForPage()
{
    m_sentStart = -1;
    if (m_collection.pagination.style == QLatin1String("next_link") && !m_after.isEmpty())
        return m_source.requestForLink(m_after);
    const HttpRequest request = m_source.request(pathForPage(), queryForPage());
    if (isExport() && (m_mode == Mode::ExportTime || m_cursor.isEmpty()))
        m_sentStart = exportStart();
    return request;
}

QUrlQuery RestCollectionReader::queryForPage() const
{
    const auto &m = m_source.manifest();
    const auto &pagination = m_collection.pagination;
    QUrlQuery query;
    if (isExport()) {
        for (auto it = m_collection.params.cbegin(); it != m_collection.params.cend(); ++it)
            query.addQueryItem(it.key(), it.value());
        if (m_mode == Mode::ExportCursor && !m_cursor.isEmpty())
            query.addQueryItem(pagination.cursorParam, m_cursor);
        else
            query.addQueryItem(pagination.startParam, QString::number(exportStart()));
        query.addQueryItem(pagination.pageSizeParam, QString::number(pagination.pageSize));
        return query;
    }
    if (pagination.style == QLatin1String("next_link")) {
        for (auto it = m_collection.params.cbegin(); it != m_collection.params.cend(); ++it)
            query.addQueryItem(it.key(), it.value());
        query.addQueryItem(pagination.pageSizeParam, QString::number(pagination.pageSize));
        return query;
    }
    if (m_mode == Mode::Events) {
        for (const QString &type : m_collection.types)
            query.addQueryItem(m.eventFeed.typesParam, type);
        query.addQueryItem(m.timeFilter.param, QString::number(m_since));
    } else {
        for (auto it = m_collection.params.cbegin(); it != m_collection.params.cend(); ++it)
            query.addQueryItem(it.key(), it.value());
        if (m_mode == Mode::Time)
            query.addQueryItem(m.timeFilter.param, QString::number(m_since));
        else if (m_context.startDate.isValid() && !m.timeFilter.param.isEmpty())
            query.addQueryItem(m.timeFilter.param, QString::number(m_context.startDate.toSecsSinceEpoch()));
    }
    query.addQueryItem(pagination.pageSizeParam, QString::number(pagination.pageSize));
    if (!m_after.isEmpty())
        query.addQueryItem(pagination.cursorParam, m_after);
    return query;
}

void RestCollectionReader::fetchNext(Callback callback)
{
    // A rate group (Zendesk's incremental exports) is paced up front: wait for a free slot.
    if (RateWindow *window = m_source.rateWindow(m_collection.rateGroup)) {
        const qint64 wait = window->reserve();
        if (wait > 0) {
            qCDebug(lcReader).noquote() << m_collection.name << "waits" << wait << "ms for its rate group"
                                        << m_collection.rateGroup;
            QTimer::singleShot(wait, m_timerContext.get(), [this, callback = std::move(callback)] { send(callback); });
            return;
        }
    }
    send(callback);
}

void RestCollectionReader::send(const Callback &callback)
{
    const HttpRequest request = requestForPage();
    m_context.http->send(request, [this, callback](Result<HttpResponse> reply) {
        if (!reply) {
            callback(reply.error());
            return;
        }
        bool restart = false;
        Result<Page> page = handleReply(reply.value(), &restart);
        if (restart) {
            fetchNext(callback);
            return;
        }
        callback(std::move(page));
    });
}

Error RestCollectionReader::parseError(const HttpResponse &response, const QString &what) const
{
    Error e = Error::make(
            Error::Kind::Parse,
            QStringLiteral("%1 sent a page of %2 that Tributary cannot read: %3.")
                    .arg(m_source.manifest().name, m_collection.name, what),
            QStringLiteral("This is usually temporary: sync again. If it keeps happening, send the log to support."),
            true);
    e.httpStatus = response.status;
    e.requestId = response.requestId();
    return e;
}

bool RestCollectionReader::isDeleted(const JsonRecord &record) const
{
    for (const auto &rule : m_collection.deletedIf) {
        const QJsonValue value = record.value(rule.field);
        if (rule.present && !value.isNull() && !value.isUndefined())
            return true;
        if (!rule.equals.isUndefined() && value == rule.equals)
            return true;
    }
    return false;
}

JsonRecord RestCollectionReader::withJsonFields(JsonRecord record) const
{
    for (const QString &field : m_collection.jsonFields) {
        const QJsonValue whole = record.value(field);
        if (whole.isObject())
            record.insert(field, QString::fromUtf8(QJsonDocument(whole.toObject()).toJson(QJsonDocument::Compact)));
    }
    return record;
}

Result<Page> RestCollectionReader::handleReply(const HttpResponse &response, bool *restart)
{
    const auto &m = m_source.manifest();
    const auto &pagination = m_collection.pagination;
    readUpstreamClock(response);
    if (response.status < 200 || response.status > 299) {
        // A start time the upstream finds too recent (its clock is ahead of ours): clamp it to
        // the upstream's clock from this reply's Date header and ask again, once.
        if (response.status == 422 && m_sentStart >= 0 && !m_restarted && exportStart() < m_sentStart) {
            m_restarted = true;
            *restart = true;
            return Page {};
        }
        // A saved position that no longer exists upstream (the object was deleted): start this
        // pass again from the top, once. Upserts make the repeat harmless.
        if (response.status == 400 && !m_after.isEmpty() && !m_restarted && !m.errorParam.isEmpty()) {
            const QJsonValue param = jsonPointer(QJsonDocument::fromJson(response.body).object(), m.errorParam);
            if (param.toString() == pagination.cursorParam) {
                m_restarted = true;
                m_after.clear();
                m_notice = QStringLiteral("The saved position in %1 no longer exists upstream: reading this pass "
                                          "again from the start.")
                                   .arg(m_collection.name);
                *restart = true;
                return Page {};
            }
        }
        return m_source.errorFor(response, &m_collection);
    }

    // List pages are read by JsonPage (simdjson; records stay in the parsed page until the
    // Normalizer flattens them); QJsonDocument reads every other page and any page JsonPage
    // refuses, so malformed pages get Qt's error message as before.
    std::optional<JsonPage> fast;
    if (m_mode != Mode::Events)
        fast = JsonPage::read(response.body, m_collection.records);
    const auto parseFailure = [&](const QString &what) { return parseError(response, what); };
    QJsonObject root;
    if (fast) {
        root = fast->envelope();
    } else {
        QJsonParseError jsonError;
        const QJsonDocument doc = QJsonDocument::fromJson(response.body, &jsonError);
        if (!doc.isObject())
            return parseFailure(jsonError.error != QJsonParseError::NoError ? jsonError.errorString()
                                                                            : QStringLiteral("not a JSON object"));
        root = doc.object();
    }
    QList<JsonRecord> items;
    if (fast) {
        items = fast->records();
    } else {
        const QJsonValue recordsValue = jsonPointer(root, m_collection.records);
        if (!recordsValue.isArray())
            return parseFailure(QStringLiteral("no list of records at '%1'").arg(m_collection.records));
        const QJsonArray raw = recordsValue.toArray();
        items.reserve(raw.size());
        for (const QJsonValue &value : raw) {
            if (!value.isObject())
                return parseFailure(QStringLiteral("a record that is not a JSON object"));
            items.append(value.toObject());
        }
    }
    if (isExport())
        return handleExportReply(response, root, items, restart);
    const bool byLink = pagination.style == QLatin1String("next_link");
    const QJsonValue hasMoreValue = jsonPointer(root, pagination.hasMore);
    if (!hasMoreValue.isBool() && !byLink)
        return parseFailure(QStringLiteral("no '%1' flag").arg(pagination.hasMore));

    Page page;
    const RestSource::Quota quota = m_source.quota(response);
    page.quotaRemaining = quota.remaining;
    page.quotaLimit = quota.limit;
    QString lastCursor;
    if (!byLink && !items.isEmpty())
        lastCursor = idText(items.last().value(pagination.cursorField));
    const QString version = versionColumn();
    const auto &feed = m.eventFeed;
    page.records.reserve(items.size());
    page.deleted.reserve(items.size());
    for (const JsonRecord &item : std::as_const(items)) {
        if (m_mode != Mode::Events) {
            JsonRecord record = withJsonFields(item);
            // A list read shows the current state: it is as new as the upstream's clock now.
            if (!version.isEmpty())
                record.insert(version, double(m_upstreamNow));
            if (m_mode == Mode::Time)
                m_maxSeen = qMax(m_maxSeen, item.value(m.timeFilter.field).toInteger());
            page.deleted.append(isDeleted(item));
            page.records.append(std::move(record));
            continue;
        }
        const QJsonObject event = item.object();
        m_maxSeen = qMax(m_maxSeen, event.value(feed.timeField).toInteger());
        QJsonObject object = jsonPointer(event, feed.record).toObject();
        if (object.value(feed.objectField).toString() != m_collection.object)
            continue; // an event about another kind of object (e.g. a refund inside a charge event)
        const QString id = idText(object.value(m.primaryKey));
        if (id.isEmpty() || m_seen.contains(id))
            continue; // newest first: the first event seen for an object is its latest state
        m_seen.insert(id);
        if (!version.isEmpty())
            object.insert(version, event.value(feed.timeField));
        page.records.append(object);
        page.deleted.append(!feed.deletedSuffix.isEmpty() && !m_collection.deletionIsStatus
                            && event.value(feed.typeField).toString().endsWith(feed.deletedSuffix));
    }
    if (byLink) {
        // The next link, while the upstream says more follow (no flag at all: while there is a link).
        const QString next = jsonPointer(root, pagination.next).toString();
        const bool hasMore = hasMoreValue.isBool() ? hasMoreValue.toBool() : !next.isEmpty();
        if (hasMore && next.isEmpty())
            return parseFailure(QStringLiteral("no '%1' to continue from").arg(pagination.next));
        if (hasMore && next == m_after)
            return parseFailure(QStringLiteral("the same next page again"));
        lastCursor = next;
        m_after = hasMore ? next : QString();
        page.done = !hasMore;
        page.currentState = true;
        page.state = stateAfterPage(page.done);
        page.notice = std::exchange(m_notice, QString());
        return page;
    }
    const bool hasMore = hasMoreValue.toBool() && !items.isEmpty();
    if (hasMore && lastCursor.isEmpty())
        return parseFailure(QStringLiteral("no '%1' to continue from").arg(pagination.cursorField));
    m_after = hasMore ? lastCursor : QString();
    page.done = !hasMore;
    page.currentState = m_mode != Mode::Events;
    page.state = stateAfterPage(page.done);
    page.notice = std::exchange(m_notice, QString());
    return page;
}

Result<Page> RestCollectionReader::handleExportReply(const HttpResponse &response, const QJsonObject &root,
                                                     const QList<JsonRecord> &items, bool *restart)
{
    Q_UNUSED(restart)
    const auto &m = m_source.manifest();
    const auto &pagination = m_collection.pagination;
    const QJsonValue endOfStream = jsonPointer(root, pagination.endOfStream);
    if (!endOfStream.isBool())
        return parseError(response, QStringLiteral("no '%1' flag").arg(pagination.endOfStream));
    const bool done = endOfStream.toBool(); // an empty page does not end a pass: only this does

    Page page;
    const RestSource::Quota quota = m_source.quota(response);
    page.quotaRemaining = quota.remaining;
    page.quotaLimit = quota.limit;
    page.currentState = true;
    QList<QPair<QString, qint64>> times; // export_time: each record's id and time
    page.records.reserve(items.size());
    page.deleted.reserve(items.size());
    for (const JsonRecord &item : items) {
        if (m_mode == Mode::ExportTime) {
            const QString id = idText(item.value(m.primaryKey));
            const qint64 time = unixTime(item.value(pagination.timeField));
            times.append({id, time});
            // Read already: on the previous page's (or pass's) last second.
            if (!id.isEmpty() && time >= 0 && time <= m_boundaryTime && m_boundary.contains(id))
                continue;
        }
        page.records.append(withJsonFields(item));
        page.deleted.append(isDeleted(item));
    }

    if (m_mode == Mode::ExportCursor) {
        const QString cursor = jsonPointer(root, pagination.cursor).toString();
        if (!cursor.isEmpty()) {
            m_cursor = cursor;
        } else if (!done) {
            return parseError(response, QStringLiteral("no '%1' to continue from").arg(pagination.cursor));
        }
    } else {
        const QJsonValue endValue = jsonPointer(root, pagination.endTime);
        const qint64 end = endValue.isDouble() ? endValue.toInteger() : -1;
        if (end < 0 && !done)
            return parseError(response, QStringLiteral("no '%1' to continue from").arg(pagination.endTime));
        if (end >= 0) {
            const qint64 sent = m_sentStart >= 0 ? m_sentStart : m_start;
            if (!done && end <= sent && page.records.isEmpty())
                return parseError(response,
                                  QStringLiteral("no progress past %1 (every record of the page was "
                                                 "read already)")
                                          .arg(end));
            if (end != m_boundaryTime)
                m_boundary.clear();
            m_boundaryTime = end;
            for (const auto &[id, time] : std::as_const(times)) {
                if (!id.isEmpty() && time >= end)
                    m_boundary.insert(id);
            }
            m_start = end;
        }
    }
    page.done = done;
    page.state = exportState();
    page.notice = std::exchange(m_notice, QString());
    return page;
}

QJsonObject RestCollectionReader::exportState() const
{
    const double checkedAt = double(m_upstreamNow ? m_upstreamNow : m_context.now.toSecsSinceEpoch());
    if (m_mode == Mode::ExportCursor) {
        QJsonObject state {{kMode, kExportCursor}, {kCheckedAt, checkedAt}};
        if (m_cursor.isEmpty())
            state.insert(kStartTime, double(m_start));
        else
            state.insert(kCursor, m_cursor);
        return state;
    }
    QJsonArray boundary;
    QStringList ids(m_boundary.cbegin(), m_boundary.cend());
    ids.sort();
    for (const QString &id : std::as_const(ids))
        boundary.append(id);
    return {{kMode, kExportTime},
            {kStartTime, double(m_start)},
            {kBoundaryTime, double(m_boundaryTime)},
            {kBoundary, boundary},
            {kCheckedAt, checkedAt}};
}

QJsonObject RestCollectionReader::stateAfterPage(bool done) const
{
    const QString mode = m_mode == Mode::Full
            ? QStringLiteral("full")
            : (m_mode == Mode::Events ? QStringLiteral("events") : QStringLiteral("time"));
    if (!done) {
        if (m_mode == Mode::Full) {
            QJsonObject full {{kMode, mode}, {kStartedAt, double(m_since)}, {kAfter, m_after}};
            if (m_context.startDate.isValid())
                full.insert(kFrom, double(m_context.startDate.toSecsSinceEpoch()));
            return full;
        }
        return {{kMode, mode}, {kSince, double(m_since)}, {kMaxSeen, double(m_maxSeen)}, {kAfter, m_after}};
    }
    // A pass is complete. The next one reads from the newest upstream time seen (less an overlap
    // for records that become visible late: repeats are deduplicated), or, after a full read, from
    // when the full read started.
    qint64 next = m_since;
    if (m_mode != Mode::Full && m_maxSeen > 0)
        next = qMax(m_since, m_maxSeen - m_source.manifest().cursorOverlapSeconds);
    const double checkedAt = double(m_upstreamNow ? m_upstreamNow : m_context.now.toSecsSinceEpoch());
    if (m_collection.incremental == QLatin1String("event_feed"))
        return {{kMode, QStringLiteral("events")}, {kSince, double(next)}, {kCheckedAt, checkedAt}};
    if (m_collection.incremental == QLatin1String("time_filter"))
        return {{kMode, QStringLiteral("time")}, {kSince, double(next)}, {kCheckedAt, checkedAt}};
    return {{kMode, QStringLiteral("complete")}, {kCheckedAt, checkedAt}};
}

} // namespace tributary
