#include "RestSource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace tributary {

QString expandTemplate(const QString &text, const QMap<QString, QString> &settings)
{
    QString out = text;
    for (auto it = settings.cbegin(); it != settings.cend(); ++it)
        out.replace(QLatin1Char('{') + it.key() + QLatin1Char('}'), it.value());
    return out;
}

Result<RestSource> RestSource::create(const ConnectorManifest &manifest, const QMap<QString, QString> &settings,
                                      const QUrl &baseUrlOverride)
{
    RestSource source;
    source.m_manifest = &manifest;
    if (!baseUrlOverride.isEmpty()) {
        source.m_baseUrl = baseUrlOverride;
    } else {
        source.m_baseUrl = QUrl(expandTemplate(manifest.baseUrl, settings));
    }
    if (!source.m_baseUrl.isValid() || source.m_baseUrl.host().isEmpty() || source.m_baseUrl.scheme().isEmpty())
        return Error::make(
                Error::Kind::Config,
                QStringLiteral("The address of %1 is not valid: '%2'.").arg(manifest.name, source.m_baseUrl.toString()),
                QStringLiteral("Give an origin such as https://api.example.com with --base-url, or fix the source's "
                               "settings."));

    const ConnectorManifest::AuthMode *mode = nullptr;
    for (const auto &a : manifest.auth) {
        bool complete = true;
        for (const QString &key : a.requiredSettings)
            complete = complete && !settings.value(key).isEmpty();
        if (complete) {
            mode = &a;
            break;
        }
    }
    if (!manifest.auth.isEmpty() && !mode) {
        QStringList needed;
        for (const auto &a : manifest.auth) {
            QStringList labels;
            for (const QString &key : a.requiredSettings) {
                const ConnectorManifest::Setting *setting = manifest.setting(key);
                labels.append(setting && !setting->label.isEmpty() ? setting->label : key);
            }
            needed.append(labels.join(QStringLiteral(" + ")));
        }
        return Error::make(
                Error::Kind::Config,
                QStringLiteral("%1 needs credentials: %2.").arg(manifest.name, needed.join(QStringLiteral(" or "))),
                manifest.oauthProvider.isEmpty()
                        ? QStringLiteral("Enter them in the source's credentials (with the CLI: --set KEY=VALUE, "
                                         "where VALUE may be env:VAR).")
                        : QStringLiteral("Click Sign in with browser first, or enter them in the source's credentials "
                                         "(with the CLI: --set KEY=VALUE, where VALUE may be env:VAR)."));
    }
    if (mode && mode->type == QLatin1String("bearer")) {
        source.m_headers.append(
                {QByteArrayLiteral("Authorization"), "Bearer " + expandTemplate(mode->token, settings).toUtf8()});
    } else if (mode) {
        const QByteArray credentials = expandTemplate(mode->username, settings).toUtf8() + ':'
                + expandTemplate(mode->password, settings).toUtf8();
        source.m_headers.append({QByteArrayLiteral("Authorization"), "Basic " + credentials.toBase64()});
    }
    for (auto it = manifest.headers.cbegin(); it != manifest.headers.cend(); ++it)
        source.m_headers.append({it.key().toUtf8(), expandTemplate(it.value(), settings).toUtf8()});

    // Rate groups: an add-on setting may raise the allowance; TRIBUTARY_RATE_WINDOW_MS shortens
    // every window (for tests only: the fakes shorten theirs alike).
    source.m_rateWindows = std::make_shared<QMap<QString, std::shared_ptr<RateWindow>>>();
    bool windowOk = false;
    const qint64 windowOverride = qEnvironmentVariableIntValue("TRIBUTARY_RATE_WINDOW_MS", &windowOk);
    for (auto it = manifest.rateGroups.cbegin(); it != manifest.rateGroups.cend(); ++it) {
        int requests = it->requests;
        if (!it->requestsSetting.isEmpty()) {
            bool ok = false;
            const int own = settings.value(it->requestsSetting).toInt(&ok);
            if (ok && own > 0)
                requests = own;
        }
        const qint64 windowMs = windowOk && windowOverride > 0 ? windowOverride : qint64(it->windowSeconds) * 1000;
        source.m_rateWindows->insert(it.key(), std::make_shared<RateWindow>(requests, windowMs));
    }
    return source;
}

HttpRequest RestSource::request(const QString &path, const QUrlQuery &query) const
{
    HttpRequest request;
    QUrl url = m_baseUrl;
    url.setPath(path);
    url.setQuery(query);
    request.url = url;
    request.headers = m_headers;
    request.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
    return request;
}

HttpRequest RestSource::requestForLink(const QString &link) const
{
    const QUrl target(link);
    HttpRequest request;
    QUrl url = m_baseUrl;
    url.setPath(target.path(QUrl::FullyEncoded), QUrl::StrictMode);
    url.setQuery(target.query(QUrl::FullyEncoded), QUrl::StrictMode);
    request.url = url;
    request.headers = m_headers;
    request.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
    return request;
}

RateWindow *RestSource::rateWindow(const QString &group) const
{
    if (group.isEmpty() || !m_rateWindows)
        return nullptr;
    return m_rateWindows->value(group).get();
}

RestSource::Quota RestSource::quota(const HttpResponse &response) const
{
    Quota q;
    const auto number = [&](const QString &name) -> std::optional<qint64> {
        if (name.isEmpty())
            return std::nullopt;
        bool ok = false;
        const qint64 value = response.header(name.toLatin1()).trimmed().toLongLong(&ok);
        return ok ? std::optional<qint64>(value) : std::nullopt;
    };
    q.remaining = number(m_manifest->quotaRemainingHeader);
    q.limit = number(m_manifest->quotaLimitHeader);
    return q;
}

QString RestSource::upstreamMessage(const QByteArray &body) const
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isNull())
        return {};
    QJsonValue v;
    for (const QString &pointer : m_manifest->errorMessages) {
        v = jsonPointer(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()), pointer);
        if (v.isString())
            return v.toString();
    }
    // Common shapes when the manifest names none: {"error": "..."}, {"message": "..."}.
    for (const char *pointer : {"/error", "/message", "/description", "/0/message"}) {
        v = jsonPointer(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()), QLatin1String(pointer));
        if (v.isString())
            return v.toString();
    }
    return {};
}

Error RestSource::errorFor(const HttpResponse &response, const ConnectorManifest::Collection *collection) const
{
    const QString name = m_manifest->name;
    const QString what = collection ? collection->name : QStringLiteral("the account");
    QString upstream = upstreamMessage(response.body);
    if (upstream.size() > 500)
        upstream = upstream.left(500) + QStringLiteral("...");
    const QString detail = upstream.isEmpty() ? QStringLiteral("HTTP %1").arg(response.status) : upstream;
    Error e;
    e.httpStatus = response.status;
    e.requestId = response.requestId();
    switch (response.status) {
    case 401:
        e.kind = Error::Kind::Auth;
        e.message = QStringLiteral("%1 denied access: the credentials were rejected (%2).").arg(name, detail);
        e.hint = m_manifest->authHint.isEmpty() ? QStringLiteral("Check the source's credentials, or reconnect it.")
                                                : m_manifest->authHint;
        return e;
    case 403: {
        e.kind = Error::Kind::Permission;
        QString permission = collection ? collection->permission : QString();
        bool named = false; // the upstream's message names the missing permission
        if (!m_manifest->permissionPattern.isEmpty()) {
            const auto match = QRegularExpression(m_manifest->permissionPattern).match(upstream);
            if (match.hasMatch()) {
                permission = match.captured(1);
                named = true;
            }
        }
        e.message = QStringLiteral("%1 does not allow these credentials to read %2 (%3).").arg(name, what, detail);
        if (!named && collection && !collection->permissionHint.isEmpty())
            e.hint = collection->permissionHint;
        else if (!permission.isEmpty() && !m_manifest->permissionHint.isEmpty())
            e.hint = QString(m_manifest->permissionHint).replace(QStringLiteral("{permission}"), permission);
        else
            e.hint = QStringLiteral("Give the credentials read access to %1, or deselect this collection.").arg(what);
        return e;
    }
    case 429:
        e.kind = Error::Kind::RateLimit;
        e.retryable = true;
        e.message = QStringLiteral("%1 kept refusing requests for %2: its rate limit was exceeded after %3 attempts.")
                            .arg(name, what)
                            .arg(response.attempts);
        e.hint = QStringLiteral(
                "Wait a few minutes and sync again; other tools using the same account share its limit.");
        return e;
    default:
        break;
    }
    e.kind = Error::Kind::Http;
    if (response.status >= 500) {
        e.retryable = true;
        e.message = QStringLiteral("%1 had a server error while reading %2 (HTTP %3, after %4 attempts).")
                            .arg(name, what)
                            .arg(response.status)
                            .arg(response.attempts);
        e.hint = QStringLiteral("This is usually temporary: sync again later. Committed pages are kept.");
    } else {
        e.message = QStringLiteral("%1 refused the request for %2: %3 (HTTP %4).")
                            .arg(name, what, detail)
                            .arg(response.status);
        e.hint = QStringLiteral("This looks like a problem in Tributary's request: please report it with the log.");
    }
    return e;
}

} // namespace tributary
