#include "SignInBox.h"
#include "ui_SignInBox.h"

#include "gui/SignInHelpDialog.h"
#include "sync/ConnectorRegistry.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>

namespace tributary {

quint16 SignInBox::configuredPort()
{
    bool ok = false;
    const int port = qEnvironmentVariableIntValue("TRIBUTARY_OAUTH_PORT", &ok);
    return ok && port >= 0 && port <= 65535 ? quint16(port) : kDefaultPort;
}

QUrl SignInBox::redirectUri()
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/callback").arg(kDefaultPort));
}

QString SignInBox::signedInText(const OAuthTokens &tokens)
{
    const QString host = tokens.instanceUrl.host();
    return host.isEmpty() ? tr("Signed in.") : tr("Signed in to %1.").arg(host);
}

QString SignInBox::outcomeText(const OAuthSignIn::Outcome &outcome, quint16 port)
{
    QString message = outcome.error.message;
    QString hint = outcome.error.hint;
    switch (outcome.status) {
    case OAuthSignIn::Status::Granted:
        return outcome.tokens ? signedInText(*outcome.tokens) : tr("Signed in.");
    case OAuthSignIn::Status::Denied:
        if (message.isEmpty())
            message = tr("You declined to give Tributary access.");
        break;
    case OAuthSignIn::Status::TimedOut:
        if (message.isEmpty())
            message = tr("The sign-in was not completed in time.");
        break;
    case OAuthSignIn::Status::StateMismatch:
        if (message.isEmpty())
            message = tr("The browser's answer did not belong to this sign-in, so it was ignored.");
        break;
    case OAuthSignIn::Status::WrongRedirect:
        // The address users register is the fixed one, whatever port this attempt listened on.
        hint = tr("Register %1 as the callback (redirect) URL of your OAuth client, then sign in again.")
                       .arg(port == kDefaultPort ? redirectUri().toString()
                                                 : QStringLiteral("http://127.0.0.1:%1/callback").arg(port));
        if (message.isEmpty())
            message = tr("The provider did not send the browser back to Tributary.");
        break;
    case OAuthSignIn::Status::ProviderError:
        if (message.isEmpty())
            message = tr("The provider refused the sign-in: %1.").arg(outcome.providerError);
        break;
    case OAuthSignIn::Status::ExchangeFailed:
        if (message.isEmpty())
            message = tr("The sign-in could not be completed.");
        break;
    case OAuthSignIn::Status::NetworkError:
        if (message.isEmpty())
            message = tr("Tributary could not reach the sign-in service.");
        break;
    case OAuthSignIn::Status::ListenFailed:
        // The redirect URI is registered with this port: another port would not do.
        message = port ? tr("Tributary could not listen on 127.0.0.1:%1 for your browser's answer.").arg(port)
                       : tr("Tributary could not listen on 127.0.0.1 for your browser's answer.");
        hint = port
                ? tr("Another program (or another sign-in) is using port %1: close it, then sign in again.").arg(port)
                : tr("Close other programs using the network, then sign in again.");
        break;
    case OAuthSignIn::Status::Cancelled:
        message = tr("Sign-in cancelled.");
        hint.clear();
        break;
    }
    return hint.isEmpty() ? message : message + QLatin1Char('\n') + hint;
}

SignInBox::SignInBox(QWidget *parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::SignInBox>()), m_port(configuredPort())
{
    m_ui->setupUi(this);
    setFocusProxy(m_ui->signInButton);
    m_opener = [](const QUrl &url) { return QDesktopServices::openUrl(url); };
    m_ui->cancelSignInButton->hide();
    m_ui->signInUrlRow->hide();
    connect(m_ui->signInButton, &QPushButton::clicked, this, &SignInBox::start);
    connect(m_ui->cancelSignInButton, &QPushButton::clicked, this, &SignInBox::cancel);
    connect(m_ui->copySignInUrlButton, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_ui->signInUrlEdit->text()); });
    connect(m_ui->signInHelpButton, &QPushButton::clicked, this, [this] {
        auto *help = new SignInHelpDialog(m_oauthProvider, window());
        help->setAttribute(Qt::WA_DeleteOnClose);
        help->open();
    });
}

SignInBox::~SignInBox() = default;

void SignInBox::setOAuthProvider(const QString &provider)
{
    m_oauthProvider = provider;
    // In the form's words: "Where do I get the Consumer key?" for Salesforce.
    const ConnectorManifest *manifest = ConnectorRegistry::instance().find(provider);
    const ConnectorManifest::Setting *clientId = manifest ? manifest->setting(QStringLiteral("client_id")) : nullptr;
    m_ui->signInHelpButton->setText(clientId ? tr("Where do I get the %1?").arg(clientId->label)
                                             : tr("Where do I get a client id?"));
}

void SignInBox::setUrlOpener(OAuthSignIn::UrlOpener opener)
{
    m_opener = std::move(opener);
}

void SignInBox::setButtonText(const QString &text)
{
    m_ui->signInButton->setText(text);
}

void SignInBox::setStatusText(const QString &text)
{
    m_ui->signInStatusLabel->setText(text);
}

QString SignInBox::statusText() const
{
    return m_ui->signInStatusLabel->text();
}

bool SignInBox::isSigningIn() const
{
    return m_signIn && m_signIn->isRunning();
}

void SignInBox::cancel()
{
    if (isSigningIn())
        m_signIn->cancel();
}

void SignInBox::clear()
{
    cancel();
    m_ui->signInStatusLabel->clear();
    m_ui->signInUrlRow->hide();
}

void SignInBox::start()
{
    if (isSigningIn())
        return;
    Q_EMIT attemptStarted();
    m_ui->signInUrlRow->hide();
    auto provider = m_factory ? m_factory() : Result<OAuthProvider>(Error::make(Error::Kind::Config, {}, {}));
    if (!provider) {
        setStatusText(provider.error().hint.isEmpty()
                              ? provider.error().message
                              : provider.error().message + QLatin1Char('\n') + provider.error().hint);
        return;
    }
    m_signIn = std::make_unique<OAuthSignIn>(provider.value(), m_opener);
    m_signIn->setLoopbackPort(m_port);
    connect(m_signIn.get(), &OAuthSignIn::waitingForBrowser, this, &SignInBox::onWaiting);
    m_ui->signInButton->setEnabled(false);
    m_ui->cancelSignInButton->show();
    setStatusText(tr("Starting the sign-in to %1…").arg(provider->name));
    m_signIn->start([this](const OAuthSignIn::Outcome &outcome) { onDone(outcome); });
}

void SignInBox::onWaiting(const QUrl &url, bool opened)
{
    if (opened) {
        setStatusText(tr("Waiting for your browser… Sign in there and allow access; then come back here."));
        return;
    }
    setStatusText(tr("Waiting for your browser… It did not open by itself: copy this address into it."));
    m_ui->signInUrlEdit->setText(url.toString(QUrl::FullyEncoded));
    m_ui->signInUrlEdit->setCursorPosition(0);
    m_ui->signInUrlRow->show();
}

void SignInBox::onDone(const OAuthSignIn::Outcome &outcome)
{
    m_ui->signInButton->setEnabled(true);
    m_ui->cancelSignInButton->hide();
    m_ui->signInUrlRow->hide();
    setStatusText(outcomeText(outcome, m_port));
    if (outcome.status == OAuthSignIn::Status::Granted && outcome.tokens)
        Q_EMIT signedIn(*outcome.tokens);
}

} // namespace tributary
