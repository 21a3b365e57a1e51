#include "SalesforceApi.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace tributary {

namespace {

QJsonObject firstError(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isArray())
        return doc.array().at(0).toObject();
    return doc.object(); // {"message", "errorCode"} or an OAuth {"error", "error_description"}
}

} // namespace

SalesforceApi::SalesforceApi(HttpClient *http, QUrl origin, Secret accessToken, int reservePercent)
    : m_http(http)
    , m_origin(std::move(origin))
    , m_accessToken(std::move(accessToken))
    , m_reservePercent(qBound(0, reservePercent, 100))
{ }

HttpRequest SalesforceApi::request(const QString &path) const
{
    HttpRequest request;
    QUrl url = m_origin;
    url.setPath(QStringLiteral("/services/data/") + version() + QLatin1Char('/') + path);
    request.url = url;
    request.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
    if (!m_accessToken.isEmpty())
        request.headers.append({QByteArrayLiteral("Authorization"), "Bearer " + m_accessToken.revealUtf8()});
    return request;
}

HttpRequest SalesforceApi::query(const QString &soql, bool all) const
{
    HttpRequest r = request(all ? QStringLiteral("queryAll") : QStringLiteral("query"));
    // Percent-encode everything but the unreserved characters: '+' would be a space, '=' and '&'
    // would split the parameter.
    r.url.setQuery(QStringLiteral("q=") + QString::fromLatin1(QUrl::toPercentEncoding(soql)), QUrl::StrictMode);
    r.headers.append({QByteArrayLiteral("Sforce-Query-Options"), "batchSize=" + QByteArray::number(kBatchSize)});
    return r;
}

HttpRequest SalesforceApi::next(const QString &nextRecordsUrl) const
{
    const QUrl target(nextRecordsUrl);
    HttpRequest r = request(QString());
    r.url.setPath(target.path(QUrl::FullyEncoded), QUrl::StrictMode);
    r.url.setQuery(target.query(QUrl::FullyEncoded), QUrl::StrictMode);
    r.headers.append({QByteArrayLiteral("Sforce-Query-Options"), "batchSize=" + QByteArray::number(kBatchSize)});
    return r;
}

std::optional<SalesforceApi::Usage> SalesforceApi::parseLimitInfo(const QByteArray &header)
{
    // "api-usage=10018/100000", maybe with "; api-bursts=1/750" or a legacy
    // ", per-app-api-usage=17/250(appName=...)": only the org-wide api-usage counts.
    static const QRegularExpression pattern(QStringLiteral(R"((?:^|[\s;,])api-usage=(\d+)/(\d+))"));
    const QRegularExpressionMatch m = pattern.match(QString::fromLatin1(header));
    if (!m.hasMatch())
        return std::nullopt;
    bool usedOk = false;
    bool limitOk = false;
    Usage usage {m.captured(1).toLongLong(&usedOk), m.captured(2).toLongLong(&limitOk)};
    if (!usedOk || !limitOk || usage.limit <= 0)
        return std::nullopt;
    return usage;
}

void SalesforceApi::noteReply(const HttpResponse &response)
{
    if (auto usage = parseLimitInfo(response.header("Sforce-Limit-Info")))
        m_usage = usage;
    if (response.status == 403 && errorCode(response.body) == QLatin1String("REQUEST_LIMIT_EXCEEDED")
        && !errorMessage(response.body).contains(QLatin1String("Concurrent"), Qt::CaseInsensitive))
        m_refused = errorFor(response, QStringLiteral("the org"));
}

std::optional<qint64> SalesforceApi::remaining() const
{
    if (!m_usage)
        return std::nullopt;
    return qMax<qint64>(0, m_usage->limit - m_usage->used);
}

qint64 SalesforceApi::reserveCalls() const
{
    if (!m_usage)
        return 0;
    return (m_usage->limit * m_reservePercent + 99) / 100;
}

std::optional<Error> SalesforceApi::reserveReached() const
{
    if (m_refused)
        return m_refused;
    if (!m_usage)
        return std::nullopt;
    const qint64 left = *remaining();
    const qint64 reserve = reserveCalls();
    if (left > reserve)
        return std::nullopt;
    Error e;
    e.kind = Error::Kind::RateLimit;
    e.retryable = false;
    if (left <= 0) {
        e.message = QStringLiteral("Salesforce's daily API limit is reached: %1 of %2 calls used in the last 24 hours.")
                            .arg(m_usage->used)
                            .arg(m_usage->limit);
    } else {
        e.message = QStringLiteral("Stopped to keep Salesforce's API reserve: %1 of %2 daily calls are used, and the "
                                   "last %3 (%4%) are left for other tools.")
                            .arg(m_usage->used)
                            .arg(m_usage->limit)
                            .arg(reserve)
                            .arg(m_reservePercent);
    }
    e.hint = QStringLiteral("The next sync resumes where this one stopped, once the rolling 24-hour window frees "
                            "calls (pages saved so far are kept). To let Tributary use more of the allocation, lower "
                            "api_reserve_percent.");
    return e;
}

QString SalesforceApi::errorCode(const QByteArray &body)
{
    const QJsonObject e = firstError(body);
    const QString code = e.value(QStringLiteral("errorCode")).toString();
    return code.isEmpty() ? e.value(QStringLiteral("error")).toString() : code;
}

QString SalesforceApi::errorMessage(const QByteArray &body)
{
    const QJsonObject e = firstError(body);
    QString message = e.value(QStringLiteral("message")).toString();
    if (message.isEmpty())
        message = e.value(QStringLiteral("error_description")).toString();
    return message.simplified();
}

Error SalesforceApi::errorFor(const HttpResponse &response, const QString &what) const
{
    const QString code = errorCode(response.body);
    QString upstream = errorMessage(response.body);
    if (upstream.size() > 400)
        upstream = upstream.left(400) + QStringLiteral("...");
    const QString detail = upstream.isEmpty() ? QStringLiteral("HTTP %1").arg(response.status)
                                              : (code.isEmpty() ? upstream : code + QStringLiteral(": ") + upstream);
    Error e;
    e.httpStatus = response.status;
    e.requestId = response.requestId();

    if (response.status == 401) {
        e.kind = Error::Kind::Auth;
        e.message = QStringLiteral("Salesforce denied access: the session was rejected (%1).").arg(detail);
        e.hint = m_accessToken.isEmpty()
                ? QStringLiteral("Reconnect Salesforce (sign in again): the sign-in was revoked or has expired.")
                : QStringLiteral("Reconnect Salesforce (sign in again), or set a new access_token: session tokens "
                                 "expire.");
        return e;
    }
    if (code == QLatin1String("REQUEST_LIMIT_EXCEEDED")) {
        e.kind = Error::Kind::RateLimit;
        e.retryable = false;
        const bool concurrent = upstream.contains(QLatin1String("Concurrent"), Qt::CaseInsensitive);
        QString usage;
        if (m_usage)
            usage = QStringLiteral(" (%1 of %2 daily calls used)").arg(m_usage->used).arg(m_usage->limit);
        e.message = concurrent ? QStringLiteral("Salesforce refused more requests: too many long requests run at once "
                                                "in the org (%1).")
                                         .arg(detail)
                               : QStringLiteral("Salesforce's daily API limit is reached%1: %2.").arg(usage, detail);
        e.hint = concurrent ? QStringLiteral("Sync again in a few minutes; it resumes where this one stopped.")
                            : QStringLiteral("The next sync resumes where this one stopped, once the rolling 24-hour "
                                             "window frees calls (pages saved so far are kept). Raise "
                                             "api_reserve_percent to leave more for other tools.");
        return e;
    }
    if (code == QLatin1String("API_DISABLED_FOR_ORG") || code == QLatin1String("API_CURRENTLY_DISABLED")) {
        e.kind = Error::Kind::Auth; // no collection can be read: end the run at once
        e.message = QStringLiteral("Salesforce does not allow API access for this user or org (%1).").arg(detail);
        e.hint = code == QLatin1String("API_DISABLED_FOR_ORG")
                ? QStringLiteral("The org's edition has no API access (Enterprise, Unlimited, Performance and "
                                 "Developer editions do), or an admin must enable it.")
                : QStringLiteral("An admin must give the user the 'API Enabled' permission (profile or permission "
                                 "set), then sync again.");
        return e;
    }
    if (code == QLatin1String("INVALID_TYPE") || code == QLatin1String("NOT_FOUND")
        || code == QLatin1String("INSUFFICIENT_ACCESS") || response.status == 403 || response.status == 404) {
        e.kind = Error::Kind::Permission;
        e.message = QStringLiteral("Salesforce does not let this user read %1 (%2).").arg(what, detail);
        e.hint = QStringLiteral("Give the user read access to the object (a profile or permission set), or "
                                "deselect this collection. Custom objects must be deployed and visible to the user.");
        return e;
    }
    if (code == QLatin1String("INVALID_FIELD")) {
        static const QRegularExpression column(QStringLiteral("No such column '([^']+)'"));
        const QString field = column.match(upstream).captured(1);
        e.kind = Error::Kind::Permission;
        e.message = QStringLiteral("Salesforce does not let this user read %1 of %2 (%3).")
                            .arg(field.isEmpty() ? QStringLiteral("a field") : QStringLiteral("the field ") + field,
                                 what, detail);
        e.hint = QStringLiteral("Give the user read access to %1 (field-level security), or deselect this collection. "
                                "Tributary reads the fields the user can see, from a describe at most a day old.")
                         .arg(field.isEmpty() ? QStringLiteral("the field") : field);
        return e;
    }
    e.kind = Error::Kind::Http;
    if (response.status >= 500) {
        e.retryable = true;
        e.message = QStringLiteral("Salesforce had a server error while reading %1 (HTTP %2, after %3 attempts).")
                            .arg(what)
                            .arg(response.status)
                            .arg(response.attempts);
        e.hint = QStringLiteral("This is usually temporary: sync again later. Committed pages are kept.");
        return e;
    }
    e.message = QStringLiteral("Salesforce refused the request for %1: %2 (HTTP %3).")
                        .arg(what, detail)
                        .arg(response.status);
    e.hint = code == QLatin1String("QUERY_TOO_COMPLICATED")
            ? QStringLiteral("The object has too many fields for one query: hide fields the sync does not need from "
                             "the user (field-level security), or deselect this collection.")
            : QStringLiteral("This looks like a problem in Tributary's request: please report it with the log.");
    return e;
}

} // namespace tributary
