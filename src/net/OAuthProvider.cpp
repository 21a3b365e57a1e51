#include "OAuthProvider.h"

#include <QRegularExpression>

namespace tributary {

namespace {

QUrl withPath(const QUrl &origin, const QString &path)
{
    QUrl url = origin.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
    url.setPath(path);
    return url;
}

bool isHostName(const QString &host)
{
    static const QRegularExpression re(
            QStringLiteral("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                           "[A-Za-z0-9])?)*$"));
    return re.match(host).hasMatch();
}

} // namespace

Result<QUrl> OAuthProvider::salesforceLoginUrl(SalesforceLogin login, const QString &myDomain)
{
    switch (login) {
    case SalesforceLogin::Production:
        return QUrl(QStringLiteral("https://login.salesforce.com"));
    case SalesforceLogin::Sandbox:
        return QUrl(QStringLiteral("https://test.salesforce.com"));
    case SalesforceLogin::MyDomain:
        break;
    }
    QString host = myDomain.trimmed();
    if (host.startsWith(QLatin1String("https://"), Qt::CaseInsensitive))
        host = QUrl(host).host();
    while (host.endsWith(QLatin1Char('/')))
        host.chop(1);
    if (!host.isEmpty() && !host.contains(QLatin1Char('.')))
        host += QStringLiteral(".my.salesforce.com");
    if (!isHostName(host))
        return Error::make(
                Error::Kind::Config, QStringLiteral("'%1' is not a Salesforce My Domain.").arg(myDomain),
                QStringLiteral("Give the My Domain name (acme) or its address (https://acme.my.salesforce.com); "
                               "Salesforce Setup > My Domain shows it."));
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    url.setHost(host.toLower());
    return url;
}

OAuthProvider OAuthProvider::salesforce(const QUrl &loginUrl, const QString &clientId, const Secret &clientSecret)
{
    OAuthProvider p;
    p.name = QStringLiteral("Salesforce");
    p.authorizationUrl = withPath(loginUrl, QStringLiteral("/services/oauth2/authorize"));
    p.tokenUrl = withPath(loginUrl, QStringLiteral("/services/oauth2/token"));
    p.clientId = clientId;
    p.clientSecret = clientSecret;
    p.scope = QStringLiteral("api refresh_token");
    p.refreshFormat = RequestFormat::Form;
    return p;
}

Result<QUrl> OAuthProvider::zendeskUrl(const QString &subdomain)
{
    QString name = subdomain.trimmed().toLower();
    if (name.startsWith(QLatin1String("https://")))
        name = QUrl(name).host();
    if (name.endsWith(QLatin1String(".zendesk.com")))
        name.chop(int(qstrlen(".zendesk.com")));
    static const QRegularExpression re(QStringLiteral("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"));
    if (!re.match(name).hasMatch())
        return Error::make(Error::Kind::Config, QStringLiteral("'%1' is not a Zendesk subdomain.").arg(subdomain),
                           QStringLiteral("Give the part before .zendesk.com of your help desk's address, such as "
                                          "'acme' for https://acme.zendesk.com."));
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    url.setHost(name + QStringLiteral(".zendesk.com"));
    return url;
}

OAuthProvider OAuthProvider::zendesk(const QUrl &accountUrl, const QString &clientId, const Secret &clientSecret)
{
    OAuthProvider p;
    p.name = QStringLiteral("Zendesk");
    p.authorizationUrl = withPath(accountUrl, QStringLiteral("/oauth/authorizations/new"));
    p.tokenUrl = withPath(accountUrl, QStringLiteral("/oauth/tokens"));
    p.clientId = clientId;
    p.clientSecret = clientSecret;
    p.scope = QStringLiteral("read");
    p.refreshFormat = RequestFormat::Json; // "parameters ... must be formatted as JSON"
    return p;
}

} // namespace tributary
