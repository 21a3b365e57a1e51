#include "OAuthTokens.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace tributary {

namespace {

QJsonObject parseBody(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject())
        return doc.object();
    // application/x-www-form-urlencoded (Salesforce with format=urlencoded, some older servers)
    QJsonObject object;
    if (!body.trimmed().startsWith('{') && body.contains('=')) {
        const QUrlQuery query(QString::fromUtf8(body));
        for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded))
            object.insert(name, value);
    }
    return object;
}

QString text(const QJsonObject &object, const char *name)
{
    const QJsonValue v = object.value(QLatin1String(name));
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toInteger());
    return {};
}

// An upstream description, cut short: it goes into messages the user reads.
QString shortText(QString s)
{
    s = s.simplified();
    if (s.size() > 300)
        s = s.left(300) + QStringLiteral("...");
    return s;
}

} // namespace

bool OAuthTokens::expiresWithin(qint64 marginSeconds, const QDateTime &now) const
{
    if (accessToken.isEmpty())
        return true;
    return expiresAt.isValid() && now.secsTo(expiresAt) <= marginSeconds;
}

Result<OAuthTokens> OAuthTokens::fromResponse(const QString &provider, int status, const QByteArray &body,
                                              const QDateTime &now, QString *errorCode)
{
    const QJsonObject json = parseBody(body);
    const QString error = text(json, "error");
    if (errorCode)
        *errorCode = error;
    if (status >= 400 || !error.isEmpty()) {
        const QString description = shortText(text(json, "error_description"));
        const QString detail = description.isEmpty() ? error : QStringLiteral("%1: %2").arg(error, description);
        if (error == QLatin1String("invalid_grant"))
            return Error::make(Error::Kind::Auth,
                               QStringLiteral("%1 no longer accepts this sign-in (%2).").arg(provider, detail),
                               QStringLiteral("Reconnect the source: sign in to %1 again.").arg(provider));
        if (error == QLatin1String("invalid_client") || error == QLatin1String("invalid_client_id")
            || error == QLatin1String("unauthorized_client"))
            return Error::make(Error::Kind::Config,
                               QStringLiteral("%1 does not accept the OAuth client (%2).").arg(provider, detail),
                               QStringLiteral("Check the client id (and client secret) in the sign-in settings: "
                                              "they come from the OAuth app you registered with %1.")
                                       .arg(provider));
        if (!error.isEmpty())
            return Error::make(Error::Kind::Auth, QStringLiteral("%1 refused the sign-in (%2).").arg(provider, detail),
                               QStringLiteral("Sign in to %1 again; if it keeps failing, check the OAuth app's "
                                              "settings with %1.")
                                       .arg(provider));
        Error e = Error::make(
                Error::Kind::Http, QStringLiteral("%1's sign-in service answered HTTP %2.").arg(provider).arg(status),
                status >= 500 ? QStringLiteral("This is usually temporary: try again in a few minutes.")
                              : QStringLiteral("Try again; if it keeps failing, check the sign-in settings."),
                status >= 500);
        e.httpStatus = status;
        return e;
    }
    OAuthTokens tokens;
    tokens.accessToken = Secret(text(json, "access_token"));
    if (tokens.accessToken.isEmpty())
        return Error::make(Error::Kind::Parse,
                           QStringLiteral("%1's sign-in service answered without an access token.").arg(provider),
                           QStringLiteral("Try again; if it keeps failing, please report it with the log."));
    tokens.refreshToken = Secret(text(json, "refresh_token"));
    tokens.tokenType = text(json, "token_type");
    tokens.scope = text(json, "scope");
    bool ok = false;
    const qint64 expiresIn = text(json, "expires_in").toLongLong(&ok);
    if (ok && expiresIn > 0)
        tokens.expiresAt = now.toUTC().addSecs(expiresIn);
    const QString instance = text(json, "instance_url");
    if (!instance.isEmpty())
        tokens.instanceUrl = QUrl(instance, QUrl::StrictMode);
    tokens.identityUrl = text(json, "id");
    return tokens;
}

} // namespace tributary
