#include "OAuthSignIn.h"

#include "net/OAuthLoopbackHandler.h"
#include "net/OAuthPkce.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QOAuth2AuthorizationCodeFlow>

namespace tributary {

Q_LOGGING_CATEGORY(lcSignIn, "tributary.net.oauth")

namespace {

// A value from the redirect's query: Qt hands them over still percent-encoded.
QString callbackValue(const QVariantMap &values, const char *name)
{
    QByteArray raw = values.value(QLatin1String(name)).toString().toUtf8();
    raw.replace('+', ' ');
    return QUrl::fromPercentEncoding(raw);
}

QString minutes(std::chrono::milliseconds timeout)
{
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout).count();
    if (seconds >= 120)
        return QStringLiteral("%1 minutes").arg(seconds / 60);
    return QStringLiteral("%1 seconds").arg(seconds);
}

} // namespace

OAuthSignIn::OAuthSignIn(OAuthProvider provider, UrlOpener opener, QObject *parent)
    : QObject(parent), m_provider(std::move(provider)), m_opener(std::move(opener))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        fail(Status::TimedOut,
             QStringLiteral("The sign-in to %1 was not completed within %2; the browser window may have been closed.")
                     .arg(m_provider.name, minutes(m_timeout)),
             QStringLiteral("Click Sign in to try again, and finish signing in within the browser window that opens."));
    });
}

OAuthSignIn::~OAuthSignIn()
{
    m_done = {};
    delete m_flow;
    delete m_handler;
}

QUrl OAuthSignIn::redirectUri() const
{
    return m_handler ? QUrl(m_handler->callback()) : QUrl();
}

void OAuthSignIn::start(Done done)
{
    Q_ASSERT(!m_done);
    m_done = std::move(done);
    m_callbackAccepted = false;
    delete m_handler; // a previous attempt's
    m_handler = new OAuthLoopbackHandler(m_port, this);
    if (!m_handler->isListening()) {
        const QString port = m_port ? QString::number(m_port) : QStringLiteral("any port");
        QTimer::singleShot(0, this, [this, port] {
            fail(Status::ListenFailed,
                 QStringLiteral("Tributary could not listen on 127.0.0.1 (%1) for the browser's answer.").arg(port),
                 QStringLiteral("Another program may be using the port (the address registered with the "
                                "provider names it): close that program, then sign in again."),
                 Error::Kind::Config);
        });
        return;
    }
    m_handler->setCallbackPath(QStringLiteral("callback"));
    m_handler->setCallbackText(QStringLiteral(
            "<h1>Tributary</h1><p>Tributary has received the answer: close this window and return to Tributary, "
            "which shows whether the sign-in worked.</p>"));

    m_network = new QNetworkAccessManager(this);
    m_network->setTransferTimeout(30000);
    m_flow = new QOAuth2AuthorizationCodeFlow(m_network, this);
    m_flow->setReplyHandler(m_handler);
    m_flow->setAuthorizationUrl(m_provider.authorizationUrl);
    m_flow->setAccessTokenUrl(m_provider.tokenUrl);
    m_flow->setClientIdentifier(m_provider.clientId);
    m_flow->setClientIdentifierSharedKey(m_provider.clientSecret.reveal());
    m_flow->setScope(m_provider.scope);
    m_state = OAuthPkce::newState();
    m_flow->setState(m_state);
    m_verifier = OAuthPkce::newVerifier();

    const QString challenge = OAuthPkce::challengeFor(m_verifier);
    const QString verifier = m_verifier;
    const QString clientSecret = m_provider.clientSecret.reveal();
    const QMap<QString, QString> extra = m_provider.authorizationParameters;
    // Qt 6.4 has no PKCE: add it at both stages.
    m_flow->setModifyParametersFunction([challenge, verifier, clientSecret,
                                         extra](QAbstractOAuth::Stage stage, QMultiMap<QString, QVariant> *parameters) {
        switch (stage) {
        case QAbstractOAuth::Stage::RequestingAuthorization:
            parameters->replace(QStringLiteral("code_challenge"), challenge);
            parameters->replace(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
            for (auto it = extra.cbegin(); it != extra.cend(); ++it)
                parameters->replace(it.key(), it.value());
            break;
        case QAbstractOAuth::Stage::RequestingAccessToken: {
            parameters->replace(QStringLiteral("code_verifier"), verifier);
            // Qt 6.4 takes the code from the redirect still percent-encoded where the query keeps
            // delimiters encoded ("%2F", "%2B") and encodes it again: a Salesforce code with a
            // '/' or '+' would reach the token endpoint as "%252F" and be refused. Decode both
            // layers, then encode once.
            const QByteArray sent = parameters->value(QStringLiteral("code")).toByteArray();
            const QByteArray code = QByteArray::fromPercentEncoding(QByteArray::fromPercentEncoding(sent));
            parameters->replace(QStringLiteral("code"),
                                QString::fromLatin1(QUrl::toPercentEncoding(QString::fromUtf8(code))));
            // Qt passes the secret unencoded into the form body: a '+' or '&' in it would
            // change its meaning there.
            if (!clientSecret.isEmpty())
                parameters->replace(QStringLiteral("client_secret"),
                                    QString::fromLatin1(QUrl::toPercentEncoding(clientSecret)));
            break;
        }
        case QAbstractOAuth::Stage::RefreshingAccessToken:
        case QAbstractOAuth::Stage::RequestingTemporaryCredentials:
            break;
        }
    });

    connect(m_flow, &QAbstractOAuth::authorizeWithBrowser, this, &OAuthSignIn::onAuthorizeWithBrowser);
    connect(m_handler, &QAbstractOAuthReplyHandler::callbackReceived, this, &OAuthSignIn::onCallback);
    connect(m_handler, &OAuthLoopbackHandler::tokenReplyReceived, this, &OAuthSignIn::onTokenReply);
    m_timer.start(m_timeout);
    qCInfo(lcSignIn).noquote() << "sign-in to" << m_provider.name << "waiting at" << redirectUri().toString();
    // grant() emits authorizeWithBrowser synchronously; the opener runs after start() returns.
    QTimer::singleShot(0, m_flow.data(), &QOAuth2AuthorizationCodeFlow::grant);
}

void OAuthSignIn::cancel()
{
    if (m_done)
        fail(Status::Cancelled, QStringLiteral("The sign-in to %1 was cancelled.").arg(m_provider.name),
             QStringLiteral("Click Sign in to start again."), Error::Kind::Cancelled);
}

void OAuthSignIn::onAuthorizeWithBrowser(const QUrl &url)
{
    m_authorizationUrl = url;
    const bool opened = m_opener && m_opener(url);
    if (!opened)
        qCWarning(lcSignIn) << "could not open the browser for the sign-in";
    Q_EMIT waitingForBrowser(url, opened);
}

void OAuthSignIn::onCallback(const QVariantMap &values)
{
    if (!m_done || m_callbackAccepted)
        return; // a second request from the browser (a reload, a favicon): the first one counts
    const QString state = callbackValue(values, "state");
    const QString error = callbackValue(values, "error");
    const QString description = callbackValue(values, "error_description");
    const QString code = callbackValue(values, "code");
    const QString name = m_provider.name;
    const QString registered = redirectUri().toString();
    qCInfo(lcSignIn).noquote() << "browser answered:" << (error.isEmpty() ? QStringLiteral("no error") : error)
                               << (code.isEmpty() ? "without a code" : "with a code")
                               << (state == m_state ? "state ok" : "state wrong or missing");
    if (state.isEmpty() || state != m_state) {
        // Checked first: an answer that is not ours says nothing about our sign-in, not even an error.
        fail(Status::StateMismatch,
             QStringLiteral("The answer that reached Tributary does not belong to this sign-in to %1 (its state "
                            "does not match), so it was ignored.")
                     .arg(name),
             QStringLiteral("Close other sign-in tabs, then click Sign in again."));
        return;
    }
    if (error == QLatin1String("access_denied")) {
        fail(Status::Denied, QStringLiteral("You declined to give Tributary access to %1.").arg(name),
             QStringLiteral("To connect the source, click Sign in again and choose Allow."));
        return;
    }
    if (error == QLatin1String("redirect_uri_mismatch") || (error.isEmpty() && code.isEmpty())) {
        const QString detail = description.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(description);
        fail(Status::WrongRedirect,
             error.isEmpty() ? QStringLiteral("%1 sent the browser back without an authorization code.").arg(name)
                             : QStringLiteral("%1 did not accept Tributary's callback address%2.").arg(name, detail),
             QStringLiteral("Register %1 as the callback (redirect) URL of your OAuth app with %2, then sign in "
                            "again.")
                     .arg(registered, name));
        return;
    }
    if (!error.isEmpty()) {
        Outcome failed;
        failed.status = Status::ProviderError;
        failed.providerError = error;
        failed.error = Error::make(
                Error::Kind::Auth,
                QStringLiteral("%1 refused the sign-in: %2%3.")
                        .arg(name, description.isEmpty() ? error : description,
                             description.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(error)),
                error == QLatin1String("invalid_client_id") || error == QLatin1String("invalid_client")
                                || error == QLatin1String("unauthorized_client")
                        ? QStringLiteral("Check the client id in the sign-in settings: it is the Consumer Key / "
                                         "Client ID of the OAuth app you registered with %1.")
                                  .arg(name)
                        : QStringLiteral("Check the OAuth app's settings with %1, then sign in again.").arg(name));
        finish(std::move(failed));
        return;
    }
    m_callbackAccepted = true; // Qt's flow now posts the code with our code_verifier
}

void OAuthSignIn::onTokenReply(int status, const QByteArray &body, const QString &networkError)
{
    if (!m_done)
        return;
    if (status == 0) {
        fail(Status::NetworkError,
             QStringLiteral("Tributary could not reach %1's sign-in service: %2.").arg(m_provider.name, networkError),
             QStringLiteral("Check your network connection, then sign in again."), Error::Kind::Http);
        return;
    }
    QString errorCode;
    auto tokens = OAuthTokens::fromResponse(m_provider.name, status, body, QDateTime::currentDateTimeUtc(), &errorCode);
    if (!tokens) {
        Outcome failed;
        failed.status
                = errorCode == QLatin1String("redirect_uri_mismatch") ? Status::WrongRedirect : Status::ExchangeFailed;
        failed.providerError = errorCode;
        failed.error = tokens.error();
        if (errorCode == QLatin1String("invalid_grant"))
            failed.error.hint = QStringLiteral("Click Sign in again: the sign-in was not accepted (an expired or "
                                               "reused code, or a verifier that does not match).");
        finish(std::move(failed));
        return;
    }
    Outcome granted;
    granted.status = Status::Granted;
    granted.tokens = std::move(tokens).value();
    qCInfo(lcSignIn).noquote() << "signed in to" << m_provider.name << "access token" << granted.tokens->accessToken
                               << (granted.tokens->refreshToken.isEmpty() ? "without" : "with") << "refresh token";
    finish(std::move(granted));
}

void OAuthSignIn::fail(Status status, const QString &message, const QString &hint, Error::Kind kind)
{
    Outcome outcome;
    outcome.status = status;
    outcome.error = Error::make(kind, message, hint);
    finish(std::move(outcome));
}

void OAuthSignIn::finish(Outcome outcome)
{
    if (!m_done)
        return;
    m_timer.stop();
    const Done done = std::exchange(m_done, {});
    if (m_flow) {
        m_flow->disconnect(this);
        m_flow->deleteLater();
    }
    if (m_handler) {
        // Stops listening; the handler itself stays until this object goes, so that the page it is
        // sending to the browser right now still arrives.
        m_handler->disconnect(this);
        m_handler->close();
    }
    if (m_network)
        m_network->deleteLater();
    m_network = nullptr;
    m_verifier.fill(QLatin1Char('\0'));
    m_verifier.clear();
    qCInfo(lcSignIn).noquote() << "sign-in to" << m_provider.name << "ended:" << int(outcome.status);
    done(outcome); // last: the callback may delete this object
}

} // namespace tributary
