#include "SignInSettings.h"

#include "sync/ConnectorManifest.h"

namespace tributary {

namespace {

const QString kClientId = QStringLiteral("client_id");
const QString kClientSecret = QStringLiteral("client_secret");
const QString kAccessToken = QStringLiteral("access_token");
const QString kRefreshToken = QStringLiteral("refresh_token");
const QString kExpiresAt = QStringLiteral("token_expires_at");
const QString kInstanceUrl = QStringLiteral("instance_url");
const QString kLoginUrl = QStringLiteral("login_url");
const QString kSubdomain = QStringLiteral("subdomain");

Error configError(const QString &message, const QString &hint)
{
    return Error::make(Error::Kind::Config, message, hint);
}

} // namespace

Result<OAuthProvider> SignInSettings::provider(const ConnectorManifest &manifest,
                                               const QMap<QString, QString> &settings, const QUrl &baseUrl)
{
    const QString clientId = settings.value(kClientId).trimmed();
    if (clientId.isEmpty())
        return configError(QStringLiteral("Signing in to %1 needs your OAuth client id.").arg(manifest.name),
                           QStringLiteral("Create an OAuth client (a connected app) in %1 and enter its client id: "
                                          "the sign-in settings page says where.")
                                   .arg(manifest.name));
    const Secret clientSecret(settings.value(kClientSecret));
    if (manifest.oauthProvider == QLatin1String("salesforce")) {
        QUrl login = baseUrl;
        if (login.isEmpty()) {
            const QString given = settings.value(kLoginUrl).trimmed();
            if (given.isEmpty() || given == QLatin1String("production"))
                login = OAuthProvider::salesforceLoginUrl(OAuthProvider::SalesforceLogin::Production).value();
            else if (given == QLatin1String("sandbox"))
                login = OAuthProvider::salesforceLoginUrl(OAuthProvider::SalesforceLogin::Sandbox).value();
            else if (QUrl url(given); url.scheme() == QLatin1String("https")
                     && (url.host() == QLatin1String("login.salesforce.com")
                         || url.host() == QLatin1String("test.salesforce.com")))
                login = url.adjusted(QUrl::RemovePath);
            else if (given == QLatin1String("sandbox"))
                login = OAuthProvider::salesforceLoginUrl(OAuthProvider::SalesforceLogin::Sandbox).value();
            else if (auto domain = OAuthProvider::salesforceLoginUrl(OAuthProvider::SalesforceLogin::MyDomain, given))
                login = domain.value();
            else
                return domain.error();
        }
        return OAuthProvider::salesforce(login, clientId, clientSecret);
    }
    if (manifest.oauthProvider == QLatin1String("zendesk")) {
        QUrl account = baseUrl;
        if (account.isEmpty()) {
            auto url = OAuthProvider::zendeskUrl(settings.value(kSubdomain));
            if (!url)
                return url.error();
            account = url.value();
        }
        return OAuthProvider::zendesk(account, clientId, clientSecret);
    }
    return configError(QStringLiteral("%1 has no browser sign-in.").arg(manifest.name),
                       QStringLiteral("Paste its API key instead."));
}

OAuthTokens SignInSettings::tokens(const QMap<QString, QString> &settings)
{
    OAuthTokens tokens;
    tokens.accessToken = Secret(settings.value(kAccessToken));
    tokens.refreshToken = Secret(settings.value(kRefreshToken));
    tokens.tokenType = QStringLiteral("Bearer");
    const QString expires = settings.value(kExpiresAt);
    if (!expires.isEmpty())
        tokens.expiresAt = QDateTime::fromString(expires, Qt::ISODate).toUTC();
    const QString instance = settings.value(kInstanceUrl);
    if (!instance.isEmpty())
        tokens.instanceUrl = QUrl(instance);
    return tokens;
}

QMap<QString, QString> SignInSettings::settingsFor(const OAuthTokens &tokens)
{
    QMap<QString, QString> settings;
    if (!tokens.accessToken.isEmpty())
        settings.insert(kAccessToken, tokens.accessToken.reveal());
    if (!tokens.refreshToken.isEmpty())
        settings.insert(kRefreshToken, tokens.refreshToken.reveal());
    if (tokens.expiresAt.isValid())
        settings.insert(kExpiresAt, tokens.expiresAt.toUTC().toString(Qt::ISODate));
    if (tokens.instanceUrl.isValid() && !tokens.instanceUrl.isEmpty())
        settings.insert(kInstanceUrl, tokens.instanceUrl.toString());
    return settings;
}

bool SignInSettings::signsIn(const ConnectorManifest &manifest, const QMap<QString, QString> &settings)
{
    return !manifest.oauthProvider.isEmpty() && !settings.value(kRefreshToken).isEmpty();
}

} // namespace tributary
