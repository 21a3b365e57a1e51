#pragma once

#include "fakes/FakeHttpServer.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace tributary::test {

// A strict local OAuth 2 authorization server (RFC 6749 + PKCE RFC 7636, shaped like the
// Salesforce and Zendesk ones in upstream-apis.md 2.2 and 3.2) on a real loopback HTTP server.
//
// Paths: the generic ones below, and Salesforce's (/services/oauth2/authorize, .../token) and
// Zendesk's (/oauth/authorizations/new, /oauth/tokens), so the real provider configs can point here.
//   GET  /oauth/authorize  response_type=code, client_id, redirect_uri, state, code_challenge,
//                          code_challenge_method=S256 (required). The "user" answers at once as
//                          setUserChoice() says: Allow redirects to redirect_uri?code=...&state=...,
//                          Deny to ?error=access_denied&error_description=...&state=..., Ignore shows
//                          a login page that never redirects (the user closed the window).
//   POST /oauth/token      form-encoded or JSON. authorization_code: the code (single use, 120 s),
//                          the same redirect_uri, the client (and its secret when it has one), and
//                          a code_verifier whose S256 is the challenge. refresh_token: a live
//                          refresh token; rotated (the old one dies) unless setRotateRefreshTokens(false).
//                          Errors: 400 {"error","error_description"}: invalid_grant, invalid_client,
//                          invalid_request, unsupported_grant_type.
class FakeOAuthServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeOAuthServer)

public:
    enum class UserChoice { Allow, Deny, Ignore };

    explicit FakeOAuthServer(QObject *parent = nullptr);
    ~FakeOAuthServer() override;

    bool listen();
    QUrl baseUrl() const;
    QUrl authorizeUrl() const; // baseUrl + /oauth/authorize
    QUrl tokenUrl() const;     // baseUrl + /oauth/token

    void addClient(const QString &clientId, const QString &clientSecret = {});
    void setUserChoice(UserChoice choice) { m_choice = choice; }
    // The redirect carries this state instead of the one the client sent (empty: the real one).
    void setForgedState(const QString &state) { m_forgedState = state; }
    // The redirect goes here instead of redirect_uri (the path and query of the client's URI are
    // replaced), as a misconfigured provider would do.
    void setRedirectPath(const QString &path) { m_redirectPath = path; }
    // Only this redirect URI is registered: any other gets error=redirect_uri_mismatch.
    void setRegisteredRedirectUri(const QUrl &uri) { m_registeredRedirectUri = uri; }
    // Remembers a different challenge than the client sent, so that its code_verifier fails.
    void setCorruptChallenge(bool corrupt) { m_corruptChallenge = corrupt; }
    void setRotateRefreshTokens(bool rotate) { m_rotate = rotate; }
    void setExpiresIn(int seconds) { m_expiresIn = seconds; }     // 0: no expires_in (Salesforce)
    void setInstanceUrl(const QUrl &url) { m_instanceUrl = url; } // Salesforce's instance_url
    void revokeRefreshToken(const QString &token) { m_refreshTokens.remove(token); }
    void revokeAllRefreshTokens() { m_refreshTokens.clear(); }

    bool isValidAccessToken(const QString &token) const { return m_accessTokens.contains(token); }
    bool isValidRefreshToken(const QString &token) const { return m_refreshTokens.contains(token); }
    int tokenRequests() const { return m_tokenRequests; }
    // The parameters of the last token request (form or JSON), for assertions.
    const QHash<QString, QString> &lastTokenRequest() const { return m_lastTokenRequest; }
    FakeHttpServer &http() { return m_http; }

    // The "browser": an opener for OAuthSignIn that follows the URL the way a browser does (GET,
    // redirects followed, including the one to the loopback callback), with a plain
    // QNetworkAccessManager. Records the last page it ended on.
    std::function<bool(const QUrl &)> browser();
    int browserStatus() const { return m_browserStatus; } // HTTP status of the page it ended on
    QUrl browserUrl() const { return m_browserUrl; }

private:
    void handle(const FakeRequest &request, FakeResponder responder);
    void authorize(const FakeRequest &request, FakeResponder responder);
    void token(const FakeRequest &request, FakeResponder responder);
    QByteArray issueTokens(const QString &clientId, const QString &oldRefreshToken);

    struct Code
    {
        QString clientId;
        QString redirectUri;
        QString challenge;
        QDateTime expiresAt;
    };

    FakeHttpServer m_http;
    QNetworkAccessManager *m_browser = nullptr;
    QHash<QString, QString> m_clients; // id -> secret
    QHash<QString, Code> m_codes;
    QSet<QString> m_accessTokens;
    QHash<QString, QString> m_refreshTokens; // token -> client id
    QHash<QString, QString> m_lastTokenRequest;
    UserChoice m_choice = UserChoice::Allow;
    QString m_forgedState;
    QString m_redirectPath;
    QUrl m_registeredRedirectUri;
    bool m_corruptChallenge = false;
    bool m_rotate = true;
    int m_expiresIn = 3600;
    QUrl m_instanceUrl;
    int m_tokenRequests = 0;
    int m_serial = 0;
    int m_browserStatus = 0;
    QUrl m_browserUrl;
};

} // namespace tributary::test
