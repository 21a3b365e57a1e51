#include "SalesforceReader.h"

#include "net/HttpClient.h"
#include "sync/SalesforceApi.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcSalesforce, "tributary.sync.salesforce")

namespace tributary {

namespace {

const QString kMode = QStringLiteral("mode");
const QString kSalesforce = QStringLiteral("salesforce");
const QString kDescribe = QStringLiteral("describe");
const QString kFrom = QStringLiteral("from");
const QString kAttributes = QStringLiteral("attributes");

QJsonValue cleanValue(const QJsonValue &value)
{
    if (!value.isObject())
        return value;
    QJsonObject o = value.toObject();
    o.remove(kAttributes);
    for (auto it = o.begin(); it != o.end(); ++it)
        *it = cleanValue(*it);
    return o;
}

} // namespace

SalesforceReader::SalesforceReader(std::shared_ptr<SalesforceApi> api, Options options, const QJsonObject &state)
    : m_api(std::move(api)), m_options(std::move(options)), m_timerContext(std::make_unique<QObject>())
{
    const QString mode = state.value(kMode).toString();
    if (mode == kSalesforce) {
        m_describe = SalesforceDescribe::fromJson(state.value(kDescribe).toObject());
        m_cursor = SalesforceCursor::readFrom(state);
    } else if (mode == kFrom) {
        const QDateTime from = QDateTime::fromSecsSinceEpoch(qint64(state.value(kFrom).toDouble()), Qt::UTC);
        m_cursor = SalesforceCursor(from, {});
        m_notice = QStringLiteral("Reading %1 again from %2, as asked.")
                           .arg(m_options.collection, from.date().toString(Qt::ISODate));
    } else if (!state.isEmpty()) {
        m_notice = QStringLiteral("The saved position of %1 was not Salesforce's: reading it from the start.")
                           .arg(m_options.collection);
    }
    if (m_options.fullRefresh && !m_cursor.isEmpty()) {
        m_cursor = {};
        m_notice = QStringLiteral("Full refresh requested: reading %1 again from the start.").arg(m_options.collection);
    }
    if (m_cursor.isEmpty() && m_options.startDate.isValid())
        m_cursor = SalesforceCursor(m_options.startDate.toUTC(), {});
    if (m_options.fullRefresh)
        m_describe = {}; // a full refresh also reads the fields afresh
    if (m_describe.isValid())
        m_options.object = m_describe.object;
}

SalesforceReader::~SalesforceReader() = default;

QString SalesforceReader::what() const
{
    return QStringLiteral("%1 (%2)").arg(m_options.collection,
                                         m_describe.isValid() ? m_describe.object : m_options.object);
}

QJsonObject SalesforceReader::cleanRecord(QJsonObject record, const QStringList &datetimes)
{
    record.remove(kAttributes);
    for (auto it = record.begin(); it != record.end(); ++it) {
        if (it->isObject()) {
            *it = cleanValue(*it);
        } else if (it->isString() && datetimes.contains(it.key())) {
            const QDateTime t = SalesforceDescribe::parseDateTime(it->toString());
            if (t.isValid())
                *it = SalesforceDescribe::isoText(t);
        }
    }
    return record;
}

void SalesforceReader::later(const Callback &callback, Result<Page> result)
{
    // Never call back from inside fetchNext(): the job may ask for the next page at once.
    QTimer::singleShot(0, m_timerContext.get(),
                       [callback, result = std::move(result)]() mutable { callback(std::move(result)); });
}

void SalesforceReader::fetchNext(Callback callback)
{
    if (!m_next.isEmpty()) {
        if (auto stop = m_api->reserveReached()) {
            later(callback, *stop);
            return;
        }
        send(
                m_api->next(m_next),
                [this, callback](const HttpResponse &r) {
                    // A query locator that expired between two pages: query again from the cursor
                    // (the last page delivered), once.
                    if (r.status == 400 && !m_retried
                        && SalesforceApi::errorCode(r.body) == QLatin1String("INVALID_QUERY_LOCATOR")) {
                        m_retried = true;
                        m_next.clear();
                        query(callback);
                        return;
                    }
                    callback(handlePage(r));
                },
                callback);
        return;
    }
    if (!m_describe.isFresh(m_options.now)) {
        describe(callback);
        return;
    }
    query(callback);
}

void SalesforceReader::send(const HttpRequest &request, std::function<void(const HttpResponse &)> handle,
                            const Callback &callback)
{
    m_api->http()->send(request, [this, handle = std::move(handle), callback](Result<HttpResponse> reply) {
        if (!reply) {
            callback(reply.error());
            return;
        }
        m_api->noteReply(reply.value());
        handle(reply.value());
    });
}

void SalesforceReader::describe(const Callback &callback)
{
    if (auto stop = m_api->reserveReached()) {
        later(callback, *stop);
        return;
    }
    const QString object = m_describe.isValid() ? m_describe.object : m_options.object;
    qCDebug(lcSalesforce).noquote() << m_options.collection << "describes" << object;
    send(
            m_api->request(QStringLiteral("sobjects/%1/describe").arg(object)),
            [this, callback](const HttpResponse &r) {
                if (r.status < 200 || r.status > 299) {
                    callback(m_api->errorFor(r, what()));
                    return;
                }
                const QJsonDocument doc = QJsonDocument::fromJson(r.body);
                auto described = SalesforceDescribe::fromReply(doc.object(), m_options.now);
                if (!described) {
                    Error e = described.error();
                    e.httpStatus = r.status;
                    callback(e);
                    return;
                }
                const bool cursorFieldChanged
                        = m_describe.isValid() && m_describe.cursorField != described->cursorField;
                m_describe = std::move(described).value();
                m_options.object = m_describe.object;
                m_describedNow = true;
                if (cursorFieldChanged) {
                    m_cursor = {};
                    m_notice = QStringLiteral("%1 now orders changes by another field: reading it from the start.")
                                       .arg(what());
                }
                query(callback);
            },
            callback);
}

void SalesforceReader::query(const Callback &callback)
{
    if (auto stop = m_api->reserveReached()) {
        later(callback, *stop);
        return;
    }
    const QString soql = m_describe.soql(m_cursor.since());
    qCDebug(lcSalesforce).noquote() << m_options.collection << "queries from"
                                    << (m_cursor.isEmpty() ? QStringLiteral("the start")
                                                           : SalesforceDescribe::isoText(m_cursor.since()));
    send(
            m_api->query(soql),
            [this, callback](const HttpResponse &r) {
                if (r.status == 400 && !m_retried) {
                    const QString code = SalesforceApi::errorCode(r.body);
                    // A field the cached describe lists but the user can no longer see (field-level
                    // security changed): describe again, once.
                    if (code == QLatin1String("INVALID_FIELD") && !m_describedNow) {
                        m_retried = true;
                        describe(callback);
                        return;
                    }
                }
                callback(handlePage(r));
            },
            callback);
}

Result<Page> SalesforceReader::handlePage(const HttpResponse &response)
{
    if (response.status < 200 || response.status > 299)
        return m_api->errorFor(response, what());
    const auto parseError = [&](const QString &detail) {
        Error e = Error::make(
                Error::Kind::Parse,
                QStringLiteral("Salesforce sent a page of %1 that Tributary cannot read: %2.").arg(what(), detail),
                QStringLiteral("This is usually temporary: sync again. If it keeps happening, send "
                               "the log to support."),
                true);
        e.httpStatus = response.status;
        return e;
    };
    QJsonParseError jsonError;
    const QJsonDocument doc = QJsonDocument::fromJson(response.body, &jsonError);
    if (!doc.isObject())
        return parseError(jsonError.error != QJsonParseError::NoError ? jsonError.errorString()
                                                                      : QStringLiteral("not a JSON object"));
    const QJsonObject root = doc.object();
    const QJsonValue records = root.value(QStringLiteral("records"));
    const QJsonValue done = root.value(QStringLiteral("done"));
    if (!records.isArray() || !done.isBool())
        return parseError(QStringLiteral("no 'records' or 'done'"));
    const QString next = root.value(QStringLiteral("nextRecordsUrl")).toString();
    if (!done.toBool() && (next.isEmpty() || next == m_next))
        return parseError(QStringLiteral("no new 'nextRecordsUrl' to continue from"));

    Page page;
    page.currentState = true;
    if (root.value(QStringLiteral("totalSize")).isDouble())
        page.total = root.value(QStringLiteral("totalSize")).toInteger();
    if (const auto &usage = m_api->usage()) {
        page.quotaRemaining = m_api->remaining();
        page.quotaLimit = usage->limit;
    }
    const QString &cursorField = m_describe.cursorField;
    for (const QJsonValue &value : records.toArray()) {
        if (!value.isObject())
            return parseError(QStringLiteral("a record that is not a JSON object"));
        const QJsonObject raw = value.toObject();
        const QString id = raw.value(QStringLiteral("Id")).toString();
        if (!cursorField.isEmpty()
            && !m_cursor.accept(id, SalesforceDescribe::parseDateTime(raw.value(cursorField).toString())))
            continue; // read already, on the boundary instant
        page.records.append(cleanRecord(raw, m_describe.datetimes));
        page.deleted.append(raw.value(QStringLiteral("IsDeleted")).toBool());
    }
    m_next = done.toBool() ? QString() : next;
    page.done = done.toBool();
    page.state = state();
    page.notice = std::exchange(m_notice, QString());
    return page;
}

QJsonObject SalesforceReader::state() const
{
    QJsonObject state {{kMode, kSalesforce}, {kDescribe, m_describe.toJson()}};
    m_cursor.writeTo(&state);
    return state;
}

} // namespace tributary
