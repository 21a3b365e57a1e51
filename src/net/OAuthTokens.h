#pragma once

#include "core/Result.h"
#include "core/Secret.h"

#include <QDateTime>
#include <QString>
#include <QUrl>

namespace tributary {

// What a token endpoint granted (RFC 6749 section 5.1), with the provider extras Tributary uses.
struct OAuthTokens
{
    Secret accessToken;
    Secret refreshToken; // empty when the provider issued none
    QString tokenType;   // "Bearer" / "bearer"
    QString scope;
    QDateTime expiresAt; // UTC; invalid when the provider does not say (Salesforce never does)
    QUrl instanceUrl;    // Salesforce: the org's API host ("instance_url")
    QString identityUrl; // Salesforce: "id", https://login.salesforce.com/id/<org>/<user>

    // True when the access token is missing or expires within `margin` seconds of now (never
    // for a token whose lifetime is unknown: that one is refreshed once on a 401 instead).
    bool expiresWithin(qint64 marginSeconds, const QDateTime &now) const;

    // A token endpoint's reply, JSON or form-encoded. A 4xx with {"error", "error_description"}
    // (RFC 6749 section 5.2) becomes an Error in the user's words; *errorCode gets the OAuth
    // error code ("invalid_grant", ...) when there is one. provider names the service in messages.
    static Result<OAuthTokens> fromResponse(const QString &provider, int status, const QByteArray &body,
                                            const QDateTime &now, QString *errorCode = nullptr);
};

} // namespace tributary
