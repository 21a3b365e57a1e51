#include "OAuthSession.h"

#include "net/HttpClient.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QUrlQuery>

namespace tributary {

Q_LOGGING_CATEGORY(lcSession, "tributary.net.oauth.session")

OAuthSession::OAuthSession(OAuthProvider provider, OAuthTokens tokens, QObject *parent)
    : QObject(parent)
    , m_provider(std::move(provider))
    , m_tokens(std::move(tokens))
    , m_network(new QNetworkAccessManager(this))
{
    // The token endpoint never legitimately redirects elsewhere: the refresh token stays put.
    m_network->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
}

bool OAuthSession::needsRefresh(const QDateTime &now) const
{
    return m_tokens.expiresWithin(kRefreshMarginSeconds, now);
}

void OAuthSession::refresh(Done done)
{
    m_waiting.append(std::move(done));
    if (m_waiting.size() > 1)
        return; // one refresh at a time: this caller shares the running one's answer
    if (m_needsSignIn || m_tokens.refreshToken.isEmpty()) {
        m_needsSignIn = true;
        finish(Error::make(Error::Kind::Auth,
                           QStringLiteral("%1 needs you to sign in again: Tributary holds no valid refresh token for "
                                          "this source.")
                                   .arg(m_provider.name),
                           QStringLiteral("Reconnect the source: sign in to %1 again.").arg(m_provider.name)));
        return;
    }
    QNetworkRequest request(m_provider.tokenUrl);
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("Tributary/" TRIBUTARY_VERSION));
    request.setTransferTimeout(m_timeoutMs);
    QByteArray payload;
    if (m_provider.refreshFormat == OAuthProvider::RequestFormat::Json) {
        QJsonObject body {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                          {QStringLiteral("refresh_token"), m_tokens.refreshToken.reveal()},
                          {QStringLiteral("client_id"), m_provider.clientId}};
        if (!m_provider.clientSecret.isEmpty())
            body.insert(QStringLiteral("client_secret"), m_provider.clientSecret.reveal());
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        payload = QJsonDocument(body).toJson(QJsonDocument::Compact);
    } else {
        QByteArray body
                = "grant_type=refresh_token&refresh_token=" + QUrl::toPercentEncoding(m_tokens.refreshToken.reveal())
                + "&client_id=" + QUrl::toPercentEncoding(m_provider.clientId);
        if (!m_provider.clientSecret.isEmpty())
            body += "&client_secret=" + QUrl::toPercentEncoding(m_provider.clientSecret.reveal());
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
        payload = body;
    }
    qCInfo(lcSession).noquote() << "refreshing the access token of" << m_provider.name;
    QNetworkReply *reply = m_network->post(request, payload);
    payload.fill('\0');
    const QPointer<OAuthSession> self(this);
    connect(reply, &QNetworkReply::finished, this, [self, reply] {
        reply->deleteLater();
        if (!self)
            return;
        const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        const int status = statusAttribute.isValid() ? statusAttribute.toInt() : 0;
        if (status == 0) {
            const QString host = self->m_provider.tokenUrl.host();
            const bool tls = reply->error() == QNetworkReply::SslHandshakeFailedError;
            const QString why = reply->error() == QNetworkReply::OperationCanceledError
                    ? QStringLiteral("no answer within %1 s").arg(self->m_timeoutMs / 1000)
                    : reply->errorString().replace(reply->url().toString(), HttpClient::redactedUrl(reply->url()));
            self->finish(
                    Error::make(Error::Kind::Http,
                                tls ? QStringLiteral("Secure connection to %1 failed while renewing the sign-in: %2.")
                                                .arg(host, why)
                                    : QStringLiteral("Could not reach %1 to renew the sign-in: %2.").arg(host, why),
                                QStringLiteral("Check your network connection, then sync again."), !tls));
            return;
        }
        const QByteArray body = reply->readAll();
        QString errorCode;
        auto tokens = OAuthTokens::fromResponse(self->m_provider.name, status, body, QDateTime::currentDateTimeUtc(),
                                                &errorCode);
        if (!tokens) {
            Error error = tokens.error();
            if (errorCode == QLatin1String("invalid_grant")) {
                self->m_needsSignIn = true;
                error.hint = QStringLiteral("Reconnect the source: open its settings and sign in to %1 again.")
                                     .arg(self->m_provider.name);
            }
            qCInfo(lcSession).noquote() << "refresh failed:" << errorCode << status;
            self->finish(error);
            return;
        }
        OAuthTokens fresh = std::move(tokens).value();
        const bool rotated = !fresh.refreshToken.isEmpty() && fresh.refreshToken != self->m_tokens.refreshToken;
        if (fresh.refreshToken.isEmpty())
            fresh.refreshToken = self->m_tokens.refreshToken; // not rotated: the old one stays valid
        if (fresh.instanceUrl.isEmpty())
            fresh.instanceUrl = self->m_tokens.instanceUrl;
        if (fresh.identityUrl.isEmpty())
            fresh.identityUrl = self->m_tokens.identityUrl;
        self->m_tokens = std::move(fresh);
        qCInfo(lcSession).noquote() << "refreshed; refresh token" << (rotated ? "rotated" : "kept");
        if (self->m_tokensChanged)
            self->m_tokensChanged(self->m_tokens); // store it before anyone uses the new token
        if (self)
            self->finish({});
    });
}

void OAuthSession::finish(const Result<void> &result)
{
    const QList<Done> waiting = std::exchange(m_waiting, {});
    for (const Done &done : waiting) {
        if (done)
            done(result);
    }
}

} // namespace tributary
