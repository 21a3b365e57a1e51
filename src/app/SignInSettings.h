#pragma once

#include "core/Result.h"
#include "net/OAuthProvider.h"
#include "net/OAuthTokens.h"

#include <QMap>
#include <QString>
#include <QUrl>

namespace tributary {

struct ConnectorManifest;

// How a source that signs in with OAuth keeps its sign-in among its settings (the fixed keys of
// ConnectorManifest::oauthProvider: client_id, client_secret, access_token, refresh_token,
// token_expires_at, instance_url, login_url, subdomain), and the provider those settings describe.
class SignInSettings
{
public:
    // The provider of the manifest, configured from resolved settings. baseUrl (a --base-url
    // override) replaces the login URL (Salesforce) or the account URL (Zendesk).
    static Result<OAuthProvider> provider(const ConnectorManifest &manifest, const QMap<QString, QString> &settings,
                                          const QUrl &baseUrl = {});
    // The tokens kept in resolved settings (empty ones when the source has not signed in).
    static OAuthTokens tokens(const QMap<QString, QString> &settings);
    // The settings that keep tokens (secrets as plain values: the caller stores them as secrets).
    static QMap<QString, QString> settingsFor(const OAuthTokens &tokens);
    // True when the source signs in with OAuth and holds a refresh token to keep itself signed in.
    static bool signsIn(const ConnectorManifest &manifest, const QMap<QString, QString> &settings);
};

} // namespace tributary
