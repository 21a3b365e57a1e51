#pragma once

#include "core/Result.h"
#include "core/Secret.h"

#include <QMap>
#include <QString>
#include <QUrl>

namespace tributary {

// One OAuth 2 authorization server and the client registered with it. The user brings their own
// client: Tributary ships no client id (the sign-in settings page says where to get one).
struct OAuthProvider
{
    enum class RequestFormat { Form, Json };
    enum class SalesforceLogin { Production, Sandbox, MyDomain };

    QString name; // "Salesforce", "Zendesk": for messages
    QUrl authorizationUrl;
    QUrl tokenUrl;
    QString clientId;
    Secret clientSecret; // empty for a public client (PKCE only)
    QString scope;       // space-separated
    RequestFormat refreshFormat = RequestFormat::Form;
    QMap<QString, QString> authorizationParameters; // extra query items of the authorize URL

    // https://login.salesforce.com, https://test.salesforce.com, or the org's My Domain, given as
    // "acme", "acme.my.salesforce.com" or "https://acme.my.salesforce.com".
    static Result<QUrl> salesforceLoginUrl(SalesforceLogin login, const QString &myDomain = {});
    // loginUrl from salesforceLoginUrl() or a --base-url override (a proxy, a local fake).
    static OAuthProvider salesforce(const QUrl &loginUrl, const QString &clientId, const Secret &clientSecret = {});

    // https://<subdomain>.zendesk.com from "acme" (or "acme.zendesk.com").
    static Result<QUrl> zendeskUrl(const QString &subdomain);
    // accountUrl from zendeskUrl() or a --base-url override.
    static OAuthProvider zendesk(const QUrl &accountUrl, const QString &clientId, const Secret &clientSecret = {});
};

} // namespace tributary
