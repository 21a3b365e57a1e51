#pragma once

#include "core/Error.h"
#include "net/OAuthProvider.h"
#include "net/OAuthTokens.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <functional>
#include <optional>

class QNetworkAccessManager;
class QOAuth2AuthorizationCodeFlow;

namespace tributary {

class OAuthLoopbackHandler;

// One interactive sign-in: the OAuth 2 authorization code flow with PKCE (S256) through
// QOAuth2AuthorizationCodeFlow. A loopback server on 127.0.0.1 (a free port unless one is set)
// receives the browser's redirect at /callback; the `state` is checked; the code is exchanged
// with the code_verifier. Every way it can end is an Outcome with a message in the user's words.
//
// The browser is opened through an injected UrlOpener: the GUI passes QDesktopServices::openUrl
// (this library links no Qt Gui), tests pass a fake browser that follows the URL.
class OAuthSignIn final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OAuthSignIn)

public:
    enum class Status {
        Granted,
        Denied,         // the user clicked Deny (error=access_denied)
        TimedOut,       // no answer in time: the browser window was closed, or left alone
        StateMismatch,  // an answer that does not belong to this sign-in
        WrongRedirect,  // the provider came back without a code, or refused our redirect URI
        ProviderError,  // any other error the provider reported, with its description
        ExchangeFailed, // the code could not be turned into tokens (bad verifier, expired code...)
        NetworkError,   // the token endpoint could not be reached
        ListenFailed,   // no loopback port for the browser's answer
        Cancelled,      // cancel() was called
    };
    Q_ENUM(Status)

    struct Outcome
    {
        Status status = Status::Cancelled;
        std::optional<OAuthTokens> tokens; // when Granted
        Error error;                       // otherwise: message and hint for the user
        QString providerError;             // the OAuth error code when the provider gave one
    };

    using UrlOpener = std::function<bool(const QUrl &)>;
    using Done = std::function<void(const Outcome &)>;

    static constexpr std::chrono::milliseconds kDefaultTimeout = std::chrono::minutes(5);

    OAuthSignIn(OAuthProvider provider, UrlOpener opener, QObject *parent = nullptr);
    ~OAuthSignIn() override;

    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    // A fixed port, for providers that match the redirect URI exactly (0: any free port).
    void setLoopbackPort(quint16 port) { m_port = port; }

    // Starts listening, opens the browser, and calls done exactly once (never from inside start()).
    void start(Done done);
    void cancel();
    bool isRunning() const { return bool(m_done); }

    QUrl redirectUri() const;                                    // http://127.0.0.1:PORT/callback, once started
    QUrl authorizationUrl() const { return m_authorizationUrl; } // what the browser was sent to

Q_SIGNALS:
    // The browser was asked to open url; opened is false when that failed (show the URL to copy).
    void waitingForBrowser(const QUrl &url, bool opened);

private:
    void onAuthorizeWithBrowser(const QUrl &url);
    void onCallback(const QVariantMap &values);
    void onTokenReply(int status, const QByteArray &body, const QString &networkError);
    void fail(Status status, const QString &message, const QString &hint, Error::Kind kind = Error::Kind::Auth);
    void finish(Outcome outcome);

    OAuthProvider m_provider;
    UrlOpener m_opener;
    std::chrono::milliseconds m_timeout = kDefaultTimeout;
    quint16 m_port = 0;
    Done m_done;
    QTimer m_timer;
    QNetworkAccessManager *m_network = nullptr;
    QPointer<QOAuth2AuthorizationCodeFlow> m_flow;
    QPointer<OAuthLoopbackHandler> m_handler;
    QString m_verifier;
    QString m_state;
    QUrl m_authorizationUrl;
    bool m_callbackAccepted = false;
};

} // namespace tributary
