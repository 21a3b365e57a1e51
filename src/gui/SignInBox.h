#pragma once

#include "core/Result.h"
#include "net/OAuthProvider.h"
#include "net/OAuthSignIn.h"
#include "net/OAuthTokens.h"

#include <QWidget>

#include <functional>
#include <memory>

namespace Ui {
class SignInBox;
}

namespace tributary {

// "Sign in with browser": runs one OAuthSignIn at a time for the provider its owner describes,
// says what happens in plain words (waiting, the address to copy when no browser opened, every
// way a sign-in ends) and hands the tokens over. Used by the setup wizard and by Settings.
class SignInBox final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignInBox)

public:
    using ProviderFactory = std::function<Result<OAuthProvider>()>;

    // The port of the redirect URI users register with their provider (http://127.0.0.1:8765/callback).
    static constexpr quint16 kDefaultPort = 8765;
    // kDefaultPort, or TRIBUTARY_OAUTH_PORT when set (0: any free port, for tests).
    static quint16 configuredPort();
    static QUrl redirectUri(); // on kDefaultPort: what the help page tells users to register
    // What a sign-in's end means, in the user's words: a message and what to do.
    static QString outcomeText(const OAuthSignIn::Outcome &outcome, quint16 port);
    static QString signedInText(const OAuthTokens &tokens);

    explicit SignInBox(QWidget *parent = nullptr);
    ~SignInBox() override;

    // "salesforce" or "zendesk": the help page to open.
    void setOAuthProvider(const QString &provider);
    void setProviderFactory(ProviderFactory factory) { m_factory = std::move(factory); }
    // Opens the browser (default: QDesktopServices::openUrl); tests pass a fake browser.
    void setUrlOpener(OAuthSignIn::UrlOpener opener);
    void setLoopbackPort(quint16 port) { m_port = port; }
    void setButtonText(const QString &text);
    void setStatusText(const QString &text);
    QString statusText() const;

    bool isSigningIn() const;
    void cancel();
    // Forgets the last outcome (a new source is shown).
    void clear();

Q_SIGNALS:
    void signedIn(const tributary::OAuthTokens &tokens);
    // The user started a new sign-in: older messages around the box no longer apply.
    void attemptStarted();

private:
    void start();
    void onWaiting(const QUrl &url, bool opened);
    void onDone(const OAuthSignIn::Outcome &outcome);

    std::unique_ptr<Ui::SignInBox> m_ui;
    ProviderFactory m_factory;
    OAuthSignIn::UrlOpener m_opener;
    quint16 m_port;
    QString m_oauthProvider;
    // The last attempt: kept until the next one, so that the page its loopback server is sending
    // to the browser still arrives.
    std::unique_ptr<OAuthSignIn> m_signIn;
};

} // namespace tributary
