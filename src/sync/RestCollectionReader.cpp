#include "RestCollectionReader.h"

#include "net/HttpClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcReader, "tributary.sync.reader")

namespace tributary {

namespace {

const QString kMode = QStringLiteral("mode");
const QString kSince = QStringLiteral("since");
const QString kAfter = QStringLiteral("after");
const QString kStartedAt = QStringLiteral("started_at");
const QString kCheckedAt = QStringLiteral("checked_at");
const QString kMaxSeen = QStringLiteral("max_seen");

QString idText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    return {};
}

} // namespace

RestCollectionReader::RestCollectionReader(const RestSource &source, const ConnectorManifest::Collection &collection,
                                           Context context, const QJsonObject &state)
    : m_source(source), m_collection(collection), m_context(std::move(context))
{
    const qint64 now = m_context.now.toSecsSinceEpoch();
    const QString mode = state.value(kMode).toString();
    const bool incremental = !m_collection.incremental.isEmpty();
    m_since = now;
    if (m_context.fullRefresh || state.isEmpty() || !incremental) {
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

QUrlQuery RestCollectionReader::queryForPage() const
{
    const auto &m = m_source.manifest();
    QUrlQuery query;
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
    query.addQueryItem(m.pagination.pageSizeParam, QString::number(m.pagination.pageSize));
    if (!m_after.isEmpty())
        query.addQueryItem(m.pagination.cursorParam, m_after);
    return query;
}

void RestCollectionReader::fetchNext(Callback callback)
{
    const HttpRequest request = m_source.request(pathForPage(), queryForPage());
    m_context.http->send(request, [this, callback = std::move(callback)](Result<HttpResponse> reply) {
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

Result<Page> RestCollectionReader::handleReply(const HttpResponse &response, bool *restart)
{
    const auto &m = m_source.manifest();
    readUpstreamClock(response);
    if (response.status < 200 || response.status > 299) {
        // A saved position that no longer exists upstream (the object was deleted): start this
        // pass again from the top, once. Upserts make the repeat harmless.
        if (response.status == 400 && !m_after.isEmpty() && !m_restarted && !m.errorParam.isEmpty()) {
            const QJsonValue param = jsonPointer(QJsonDocument::fromJson(response.body).object(), m.errorParam);
            if (param.toString() == m.pagination.cursorParam) {
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

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(response.body, &parseError);
    const auto parseFailure = [&](const QString &what) {
        Error e = Error::make(
                Error::Kind::Parse,
                QStringLiteral("%1 sent a page of %2 that Tributary cannot read: %3.")
                        .arg(m.name, m_collection.name, what),
                QStringLiteral(
                        "This is usually temporary: sync again. If it keeps happening, send the log to support."),
                true);
        e.httpStatus = response.status;
        e.requestId = response.requestId();
        return e;
    };
    if (!doc.isObject())
        return parseFailure(parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                         : QStringLiteral("not a JSON object"));
    const QJsonObject root = doc.object();
    const QJsonValue recordsValue = jsonPointer(root, m.records);
    if (!recordsValue.isArray())
        return parseFailure(QStringLiteral("no list of records at '%1'").arg(m.records));
    const QJsonArray raw = recordsValue.toArray();
    const QJsonValue hasMoreValue = jsonPointer(root, m.pagination.hasMore);
    if (!hasMoreValue.isBool())
        return parseFailure(QStringLiteral("no '%1' flag").arg(m.pagination.hasMore));

    Page page;
    QString lastCursor;
    const QString version = versionColumn();
    const auto &feed = m.eventFeed;
    for (const QJsonValue &value : raw) {
        if (!value.isObject())
            return parseFailure(QStringLiteral("a record that is not a JSON object"));
        const QJsonObject item = value.toObject();
        lastCursor = idText(item.value(m.pagination.cursorField));
        if (m_mode != Mode::Events) {
            QJsonObject record = item;
            for (const QString &field : m_collection.jsonFields) {
                const QJsonValue whole = record.value(field);
                if (whole.isObject())
                    record.insert(field,
                                  QString::fromUtf8(QJsonDocument(whole.toObject()).toJson(QJsonDocument::Compact)));
            }
            // A list read shows the current state: it is as new as the upstream's clock now.
            if (!version.isEmpty())
                record.insert(version, double(m_upstreamNow));
            if (m_mode == Mode::Time)
                m_maxSeen = qMax(m_maxSeen, item.value(m.timeFilter.field).toInteger());
            page.records.append(record);
            page.deleted.append(false);
            continue;
        }
        m_maxSeen = qMax(m_maxSeen, item.value(feed.timeField).toInteger());
        QJsonObject object = jsonPointer(item, feed.record).toObject();
        if (object.value(feed.objectField).toString() != m_collection.object)
            continue; // an event about another kind of object (e.g. a refund inside a charge event)
        const QString id = idText(object.value(m.primaryKey));
        if (id.isEmpty() || m_seen.contains(id))
            continue; // newest first: the first event seen for an object is its latest state
        m_seen.insert(id);
        if (!version.isEmpty())
            object.insert(version, item.value(feed.timeField));
        page.records.append(object);
        page.deleted.append(!feed.deletedSuffix.isEmpty() && !m_collection.deletionIsStatus
                            && item.value(feed.typeField).toString().endsWith(feed.deletedSuffix));
    }
    const bool hasMore = hasMoreValue.toBool() && !raw.isEmpty();
    if (hasMore && lastCursor.isEmpty())
        return parseFailure(QStringLiteral("no '%1' to continue from").arg(m.pagination.cursorField));
    m_after = hasMore ? lastCursor : QString();
    page.done = !hasMore;
    page.currentState = m_mode != Mode::Events;
    page.state = stateAfterPage(page.done);
    page.notice = std::exchange(m_notice, QString());
    return page;
}

QJsonObject RestCollectionReader::stateAfterPage(bool done) const
{
    const QString mode = m_mode == Mode::Full
            ? QStringLiteral("full")
            : (m_mode == Mode::Events ? QStringLiteral("events") : QStringLiteral("time"));
    if (!done) {
        if (m_mode == Mode::Full)
            return {{kMode, mode}, {kStartedAt, double(m_since)}, {kAfter, m_after}};
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
