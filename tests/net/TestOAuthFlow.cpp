// The OAuth 2 sign-in (authorization code + PKCE S256 through QOAuth2AuthorizationCodeFlow) and
// the token refresh, against a strict fake authorization server on loopback. The browser is a
// URL handler that follows the authorize URL with a QNetworkAccessManager, redirects included.
#include "fakes/FakeOAuthServer.h"
#include "fakes/FakeZendeskServer.h"
#include "net/HttpClient.h"
#include "net/OAuthPkce.h"
#include "net/OAuthProvider.h"
#include "net/OAuthSession.h"
#include "net/OAuthSignIn.h"

#include <QLoggingCategory>
#include <QMutex>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <optional>

using namespace tributary;
using tributary::test::FakeHttpServer;
using tributary::test::FakeOAuthServer;
using tributary::test::FakeRequest;
using tributary::test::FakeResponder;
using tributary::test::FakeZendeskServer;

namespace {

const QString kClientId = QStringLiteral("3MVG9fake.client");
const QString kClientSecret = QStringLiteral("s3cr+t&client=secret");

// Every log line of the process while a test runs, to look for secrets in them.
QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.append(message);
    }
    if (type != QtDebugMsg && type != QtInfoMsg && g_previousHandler)
        g_previousHandler(type, context, message);
}

struct SignInRun
{
    std::optional<OAuthSignIn::Outcome> outcome;
    int calls = 0;
};

} // namespace

class TestOAuthFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void pkceMatchesRfc7636();
    void providerUrls_data();
    void providerUrls();

    void signInSucceeds();
    void signInWithZendeskConfig();
    void userDenies();
    void stateMismatchIsRejected();
    void timeoutWhenTheBrowserIsClosed();
    void badVerifierFailsTheExchange();
    void wrongRedirectUri();
    void providerErrorKeepsItsDescription();
    void cancel();

    void refreshGetsANewAccessToken();
    void rotatedRefreshTokenIsStoredAtOnce();
    void refreshWithoutRotationKeepsTheToken();
    void revokedRefreshTokenNeedsSignIn();
    void concurrentRefreshesShareOneRequest();
    void zendeskRefreshSendsJson();
    void signInAgainstTheZendeskFake();

    void clientSignsWithTheSessionToken();
    void clientRefreshesAMissingTokenFirst();
    void clientRefreshesOnceOn401();
    void clientGivesUpAfterOneRefresh();
    void clientEndsWithAuthWhenTheSignInIsGone();

    void noSecretInAnyLogLine();

private:
    OAuthSignIn::Outcome signIn(const OAuthProvider &provider,
                                std::chrono::milliseconds timeout = std::chrono::seconds(10),
                                OAuthSignIn::UrlOpener opener = {});
    OAuthProvider salesforce() const
    {
        return OAuthProvider::salesforce(m_fake->baseUrl(), kClientId, Secret(kClientSecret));
    }

    std::unique_ptr<FakeOAuthServer> m_fake;
};

void TestOAuthFlow::initTestCase()
{
    // Everything on, ours and Qt's (networkauth, network): a secret must not appear in any of it.
    QLoggingCategory::setFilterRules(QStringLiteral("tributary.*=true\nqt.networkauth*=true"));
    g_previousHandler = qInstallMessageHandler(captureMessage);
}

void TestOAuthFlow::cleanupTestCase()
{
    qInstallMessageHandler(g_previousHandler);
}

void TestOAuthFlow::init()
{
    m_fake = std::make_unique<FakeOAuthServer>();
    QVERIFY(m_fake->listen());
    m_fake->addClient(kClientId, kClientSecret);
}

OAuthSignIn::Outcome TestOAuthFlow::signIn(const OAuthProvider &provider, std::chrono::milliseconds timeout,
                                           OAuthSignIn::UrlOpener opener)
{
    OAuthSignIn signIn(provider, opener ? opener : m_fake->browser());
    signIn.setTimeout(timeout);
    auto run = std::make_shared<SignInRun>();
    signIn.start([run](const OAuthSignIn::Outcome &outcome) {
        ++run->calls;
        run->outcome = outcome;
    });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(run->calls > 0, int(timeout.count()) + 5000); }();
    QTest::qWait(20); // a second callback would show up here
    if (run->calls != 1)
        qWarning("done called %d times", run->calls);
    return run->outcome.value_or(OAuthSignIn::Outcome {});
}

void TestOAuthFlow::pkceMatchesRfc7636()
{
    // RFC 7636, appendix B.
    QCOMPARE(OAuthPkce::challengeFor(QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")),
             QStringLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    const QString verifier = OAuthPkce::newVerifier();
    QCOMPARE(verifier.size(), 43);
    QVERIFY(verifier != OAuthPkce::newVerifier());
    static const QRegularExpression unreserved(QStringLiteral("^[A-Za-z0-9_-]+$"));
    QVERIFY(unreserved.match(verifier).hasMatch());
}

void TestOAuthFlow::providerUrls_data()
{
    QTest::addColumn<int>("login");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // empty: rejected
    const int production = int(OAuthProvider::SalesforceLogin::Production);
    const int sandbox = int(OAuthProvider::SalesforceLogin::Sandbox);
    const int myDomain = int(OAuthProvider::SalesforceLogin::MyDomain);
    QTest::newRow("production") << production << QString() << QStringLiteral("https://login.salesforce.com");
    QTest::newRow("sandbox") << sandbox << QString() << QStringLiteral("https://test.salesforce.com");
    QTest::newRow("my domain name") << myDomain << QStringLiteral("acme")
                                    << QStringLiteral("https://acme.my.salesforce.com");
    QTest::newRow("my domain host") << myDomain << QStringLiteral("Acme--Dev.sandbox.my.salesforce.com")
                                    << QStringLiteral("https://acme--dev.sandbox.my.salesforce.com");
    QTest::newRow("my domain url") << myDomain << QStringLiteral("https://acme.my.salesforce.com/")
                                   << QStringLiteral("https://acme.my.salesforce.com");
    QTest::newRow("my domain garbage") << myDomain << QStringLiteral("acme corp/x") << QString();
    QTest::newRow("my domain empty") << myDomain << QString() << QString();
}

void TestOAuthFlow::providerUrls()
{
    QFETCH(int, login);
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const auto url = OAuthProvider::salesforceLoginUrl(OAuthProvider::SalesforceLogin(login), input);
    if (expected.isEmpty()) {
        QVERIFY(!url);
        QVERIFY(!url.error().hint.isEmpty());
        return;
    }
    QVERIFY(url);
    QCOMPARE(url->toString(), expected);
    const OAuthProvider p = OAuthProvider::salesforce(*url, kClientId);
    QCOMPARE(p.authorizationUrl.toString(), expected + QStringLiteral("/services/oauth2/authorize"));
    QCOMPARE(p.tokenUrl.toString(), expected + QStringLiteral("/services/oauth2/token"));

    QCOMPARE(OAuthProvider::zendeskUrl(QStringLiteral("acme"))->toString(), QStringLiteral("https://acme.zendesk.com"));
    QCOMPARE(OAuthProvider::zendeskUrl(QStringLiteral("https://acme.zendesk.com"))->toString(),
             QStringLiteral("https://acme.zendesk.com"));
    QVERIFY(!OAuthProvider::zendeskUrl(QStringLiteral("acme.evil.com/x")));
    const OAuthProvider z = OAuthProvider::zendesk(QUrl(QStringLiteral("https://acme.zendesk.com")), kClientId);
    QCOMPARE(z.authorizationUrl.toString(), QStringLiteral("https://acme.zendesk.com/oauth/authorizations/new"));
    QCOMPARE(z.tokenUrl.toString(), QStringLiteral("https://acme.zendesk.com/oauth/tokens"));
}

void TestOAuthFlow::signInSucceeds()
{
    const QUrl instance(QStringLiteral("https://acme.my.salesforce.com"));
    m_fake->setInstanceUrl(instance);
    m_fake->setExpiresIn(0); // Salesforce gives no lifetime
    QUrl authorizeUrl;
    auto browser = m_fake->browser();
    const auto outcome = signIn(salesforce(), std::chrono::seconds(10), [&](const QUrl &url) {
        authorizeUrl = url;
        return browser(url);
    });
    QVERIFY2(outcome.status == OAuthSignIn::Status::Granted, qPrintable(outcome.error.message));
    QVERIFY(outcome.tokens);
    QVERIFY(m_fake->isValidAccessToken(outcome.tokens->accessToken.reveal()));
    QVERIFY(m_fake->isValidRefreshToken(outcome.tokens->refreshToken.reveal()));
    QCOMPARE(outcome.tokens->instanceUrl, instance);
    QVERIFY(!outcome.tokens->expiresAt.isValid());

    // What went over the wire: PKCE S256 in the authorize URL, the verifier and secret in the exchange.
    const QUrlQuery query(authorizeUrl);
    QCOMPARE(query.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
    QCOMPARE(query.queryItemValue(QStringLiteral("code_challenge")).size(), 43);
    QCOMPARE(query.queryItemValue(QStringLiteral("response_type")), QStringLiteral("code"));
    QVERIFY(query.queryItemValue(QStringLiteral("state")).size() >= 22);
    const QUrl redirect(query.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
    QCOMPARE(redirect.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(redirect.port() > 0);
    QCOMPARE(redirect.path(), QStringLiteral("/callback"));
    QCOMPARE(m_fake->lastTokenRequest().value(QStringLiteral("grant_type")), QStringLiteral("authorization_code"));
    QCOMPARE(m_fake->lastTokenRequest().value(QStringLiteral("code_verifier")).size(), 43);
    QCOMPARE(m_fake->lastTokenRequest().value(QStringLiteral("client_secret")), kClientSecret);
    // The browser got Tributary's "you can close this window" page.
    QTRY_COMPARE(m_fake->browserStatus(), 200);
    QCOMPARE(m_fake->browserUrl().port(), redirect.port());
}

void TestOAuthFlow::signInWithZendeskConfig()
{
    m_fake->addClient(QStringLiteral("tributary_public"));
    const OAuthProvider zendesk = OAuthProvider::zendesk(m_fake->baseUrl(), QStringLiteral("tributary_public"));
    const auto outcome = signIn(zendesk);
    QVERIFY2(outcome.status == OAuthSignIn::Status::Granted, qPrintable(outcome.error.message));
    QVERIFY(outcome.tokens->expiresAt.isValid());
    QVERIFY(qAbs(QDateTime::currentDateTimeUtc().secsTo(outcome.tokens->expiresAt) - 3600) < 60);
    QVERIFY(!m_fake->lastTokenRequest().contains(QStringLiteral("client_secret"))); // a public client
}

void TestOAuthFlow::userDenies()
{
    m_fake->setUserChoice(FakeOAuthServer::UserChoice::Deny);
    const auto outcome = signIn(salesforce());
    QCOMPARE(outcome.status, OAuthSignIn::Status::Denied);
    QCOMPARE(outcome.error.message, QStringLiteral("You declined to give Tributary access to Salesforce."));
    QVERIFY(outcome.error.hint.contains(QStringLiteral("Allow")));
    QCOMPARE(m_fake->tokenRequests(), 0);
}

void TestOAuthFlow::stateMismatchIsRejected()
{
    m_fake->setForgedState(QStringLiteral("someone-elses-state"));
    const auto outcome = signIn(salesforce());
    QCOMPARE(outcome.status, OAuthSignIn::Status::StateMismatch);
    QVERIFY(outcome.error.message.contains(QStringLiteral("does not belong to this sign-in")));
    QCOMPARE(m_fake->tokenRequests(), 0); // the code was never exchanged
}

void TestOAuthFlow::timeoutWhenTheBrowserIsClosed()
{
    m_fake->setUserChoice(FakeOAuthServer::UserChoice::Ignore);
    QElapsedTimer timer;
    timer.start();
    const auto outcome = signIn(salesforce(), std::chrono::milliseconds(700));
    QCOMPARE(outcome.status, OAuthSignIn::Status::TimedOut);
    QVERIFY(timer.elapsed() >= 650);
    QVERIFY(outcome.error.message.contains(QStringLiteral("may have been closed")));
    QVERIFY(outcome.error.hint.contains(QStringLiteral("Sign in")));
}

void TestOAuthFlow::badVerifierFailsTheExchange()
{
    m_fake->setCorruptChallenge(true);
    const auto outcome = signIn(salesforce());
    QCOMPARE(outcome.status, OAuthSignIn::Status::ExchangeFailed);
    QCOMPARE(outcome.providerError, QStringLiteral("invalid_grant"));
    QVERIFY(outcome.error.message.contains(QStringLiteral("invalid code verifier")));
    QCOMPARE(m_fake->tokenRequests(), 1);
}

void TestOAuthFlow::wrongRedirectUri()
{
    m_fake->setRegisteredRedirectUri(QUrl(QStringLiteral("http://127.0.0.1:1717/OauthRedirect")));
    const auto outcome = signIn(salesforce());
    QCOMPARE(outcome.status, OAuthSignIn::Status::WrongRedirect);
    QVERIFY(outcome.error.message.contains(QStringLiteral("redirect_uri must match configuration")));
    QVERIFY(outcome.error.hint.contains(QStringLiteral("http://127.0.0.1:")));
    QVERIFY(outcome.error.hint.contains(QStringLiteral("/callback")));
}

void TestOAuthFlow::providerErrorKeepsItsDescription()
{
    const OAuthProvider unknownClient
            = OAuthProvider::salesforce(m_fake->baseUrl(), QStringLiteral("nobody"), Secret(kClientSecret));
    // An unknown client gets an error page, no redirect: the sign-in times out, as with a real
    // provider. A registered client whose request is bad gets the error with its description:
    OAuthProvider noPkce = salesforce();
    noPkce.authorizationParameters.insert(QStringLiteral("code_challenge_method"), QStringLiteral("plain"));
    const auto outcome = signIn(noPkce);
    QCOMPARE(outcome.status, OAuthSignIn::Status::ProviderError);
    QCOMPARE(outcome.providerError, QStringLiteral("invalid_request"));
    QCOMPARE(outcome.error.message,
             QStringLiteral("Salesforce refused the sign-in: PKCE with S256 is required for this client "
                            "(invalid_request)."));
    const auto timedOut = signIn(unknownClient, std::chrono::milliseconds(500));
    QCOMPARE(timedOut.status, OAuthSignIn::Status::TimedOut);
    QCOMPARE(m_fake->browserStatus(), 400);
}

void TestOAuthFlow::cancel()
{
    m_fake->setUserChoice(FakeOAuthServer::UserChoice::Ignore);
    OAuthSignIn signIn(salesforce(), m_fake->browser());
    QSignalSpy waiting(&signIn, &OAuthSignIn::waitingForBrowser);
    std::optional<OAuthSignIn::Outcome> outcome;
    signIn.start([&](const OAuthSignIn::Outcome &o) { outcome = o; });
    QVERIFY(!outcome); // never from inside start()
    QTRY_COMPARE(waiting.size(), 1);
    QVERIFY(waiting.first().at(1).toBool());
    signIn.cancel();
    QVERIFY(outcome);
    QCOMPARE(outcome->status, OAuthSignIn::Status::Cancelled);
    QVERIFY(!signIn.isRunning());
}

namespace {

// Signs in through the fake and returns a session over the tokens.
struct SessionFixture
{
    std::unique_ptr<OAuthSession> session;
    QList<OAuthTokens> stored; // what the tokens-changed handler was given, in order
};

Result<void> refreshNow(OAuthSession &session)
{
    std::optional<Result<void>> result;
    session.refresh([&](Result<void> r) { result.emplace(std::move(r)); });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000); }();
    return result.value_or(Error::make(Error::Kind::Internal, QStringLiteral("no answer")));
}

} // namespace

void TestOAuthFlow::refreshGetsANewAccessToken()
{
    m_fake->setExpiresIn(600);
    const auto granted = signIn(salesforce());
    QVERIFY(granted.tokens);
    SessionFixture f;
    f.session = std::make_unique<OAuthSession>(salesforce(), *granted.tokens);
    f.session->setTokensChangedHandler([&](const OAuthTokens &t) { f.stored.append(t); });
    QVERIFY(!f.session->needsRefresh(QDateTime::currentDateTimeUtc()));
    QVERIFY(f.session->needsRefresh(QDateTime::currentDateTimeUtc().addSecs(600 - 60)));

    const Secret before = f.session->accessToken();
    const auto refreshed = refreshNow(*f.session);
    QVERIFY2(refreshed.ok(), refreshed.ok() ? "" : qPrintable(refreshed.error().message));
    QVERIFY(f.session->accessToken() != before);
    QVERIFY(m_fake->isValidAccessToken(f.session->accessToken().reveal()));
    QCOMPARE(f.stored.size(), 1);
    QCOMPARE(m_fake->lastTokenRequest().value(QStringLiteral("grant_type")), QStringLiteral("refresh_token"));
    QCOMPARE(m_fake->lastTokenRequest().value(QStringLiteral("client_secret")), kClientSecret);
}

void TestOAuthFlow::rotatedRefreshTokenIsStoredAtOnce()
{
    const auto granted = signIn(salesforce());
    QVERIFY(granted.tokens);
    const Secret first = granted.tokens->refreshToken;
    SessionFixture f;
    f.session = std::make_unique<OAuthSession>(salesforce(), *granted.tokens);
    f.session->setTokensChangedHandler([&](const OAuthTokens &t) {
        // Called before the refresh's own callback: the new refresh token is stored first.
        f.stored.append(t);
    });
    QVERIFY(refreshNow(*f.session).ok());
    QCOMPARE(f.stored.size(), 1);
    const Secret second = f.stored.last().refreshToken;
    QVERIFY(second != first);
    QVERIFY(!m_fake->isValidRefreshToken(first.reveal())); // rotated: the old one is dead
    QVERIFY(m_fake->isValidRefreshToken(second.reveal()));
    // The next refresh uses the new one.
    QVERIFY(refreshNow(*f.session).ok());
    QCOMPARE(f.stored.size(), 2);
    QVERIFY(!m_fake->isValidRefreshToken(second.reveal()));
    QVERIFY(f.stored.last().refreshToken == f.session->tokens().refreshToken);
}

void TestOAuthFlow::refreshWithoutRotationKeepsTheToken()
{
    m_fake->setRotateRefreshTokens(false);
    m_fake->setInstanceUrl(QUrl(QStringLiteral("https://acme.my.salesforce.com")));
    const auto granted = signIn(salesforce());
    QVERIFY(granted.tokens);
    m_fake->setInstanceUrl({});
    SessionFixture f;
    f.session = std::make_unique<OAuthSession>(salesforce(), *granted.tokens);
    QVERIFY(refreshNow(*f.session).ok());
    QVERIFY(f.session->tokens().refreshToken == granted.tokens->refreshToken);
    QCOMPARE(f.session->tokens().instanceUrl, QUrl(QStringLiteral("https://acme.my.salesforce.com")));
}

void TestOAuthFlow::revokedRefreshTokenNeedsSignIn()
{
    const auto granted = signIn(salesforce());
    QVERIFY(granted.tokens);
    m_fake->revokeAllRefreshTokens();
    SessionFixture f;
    f.session = std::make_unique<OAuthSession>(salesforce(), *granted.tokens);
    const auto refreshed = refreshNow(*f.session);
    QVERIFY(!refreshed.ok());
    QCOMPARE(refreshed.error().kind, Error::Kind::Auth);
    QVERIFY(refreshed.error().message.contains(QStringLiteral("expired access/refresh token")));
    QVERIFY(refreshed.error().hint.contains(QStringLiteral("sign in to Salesforce again")));
    QVERIFY(f.session->needsSignIn());
    QVERIFY(f.stored.isEmpty());
    // It does not hammer the provider afterwards.
    const int requests = m_fake->tokenRequests();
    QVERIFY(!refreshNow(*f.session).ok());
    QCOMPARE(m_fake->tokenRequests(), requests);
}

void TestOAuthFlow::concurrentRefreshesShareOneRequest()
{
    const auto granted = signIn(salesforce());
    QVERIFY(granted.tokens);
    SessionFixture f;
    f.session = std::make_unique<OAuthSession>(salesforce(), *granted.tokens);
    const int before = m_fake->tokenRequests();
    int answers = 0;
    for (int i = 0; i < 3; ++i)
        f.session->refresh([&](Result<void> r) { answers += r.ok() ? 1 : 100; });
    QTRY_COMPARE(answers, 3);
    QCOMPARE(m_fake->tokenRequests(), before + 1);
}

void TestOAuthFlow::zendeskRefreshSendsJson()
{
    m_fake->addClient(QStringLiteral("zd_client"), QStringLiteral("zd_secret"));
    const OAuthProvider zendesk = OAuthProvider::zendesk(m_fake->baseUrl(), QStringLiteral("zd_client"),
                                                         Secret(QStringLiteral("zd_secret")));
    const auto granted = signIn(zendesk);
    QVERIFY2(granted.tokens, qPrintable(granted.error.message));
    SessionFixture f;
    f.session = std::make_unique<OAuthSession>(zendesk, *granted.tokens);
    QVERIFY(refreshNow(*f.session).ok());
    const auto &requests = m_fake->http().requests();
    QVERIFY(!requests.isEmpty());
    QVERIFY(requests.last().header("content-type").startsWith("application/json"));
    QCOMPARE(requests.last().path(), QStringLiteral("/oauth/tokens"));
}

void TestOAuthFlow::noSecretInAnyLogLine()
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.clear();
    }
    const auto granted = signIn(salesforce());
    QVERIFY(granted.tokens);
    SessionFixture f;
    f.session = std::make_unique<OAuthSession>(salesforce(), *granted.tokens);
    QVERIFY(refreshNow(*f.session).ok());
    m_fake->revokeAllRefreshTokens();
    QVERIFY(!refreshNow(*f.session).ok());

    const QStringList secrets {granted.tokens->accessToken.reveal(),
                               granted.tokens->refreshToken.reveal(),
                               f.session->tokens().accessToken.reveal(),
                               f.session->tokens().refreshToken.reveal(),
                               kClientSecret,
                               m_fake->lastTokenRequest().value(QStringLiteral("refresh_token"))};
    QMutexLocker lock(&g_logMutex);
    QVERIFY(g_log.size() > 3); // the categories were on
    const QString all = g_log.join(QLatin1Char('\n'));
    QVERIFY(all.contains(QStringLiteral("***"))); // a Secret printed itself
    for (const QString &secret : secrets) {
        QVERIFY(!secret.isEmpty());
        QVERIFY2(!all.contains(secret), qPrintable(QStringLiteral("a secret reached the log")));
    }
    QString text;
    QDebug(&text) << Secret(QStringLiteral("sk_live_abc"));
    QCOMPARE(text.trimmed(), QStringLiteral("***"));
}

namespace {

// An API that accepts only access tokens the fake authorization server issued and still honours
// (or, with acceptNothing, none at all), answering 401 otherwise.
struct ProtectedApi
{
    FakeHttpServer http;
    QStringList tokensSeen;
    bool acceptNothing = false;

    explicit ProtectedApi(const FakeOAuthServer &oauth)
    {
        http.setHandler([this, &oauth](const FakeRequest &request, FakeResponder responder) {
            const QByteArray header = request.header("authorization");
            const QString token = QString::fromLatin1(header.mid(int(qstrlen("Bearer "))));
            tokensSeen.append(token);
            if (!header.startsWith("Bearer ") || acceptNothing || !oauth.isValidAccessToken(token)) {
                responder.respondJson(401,
                                      R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])",
                                      {{QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Token")}});
                return;
            }
            responder.respondJson(200, R"({"ok":true})");
        });
    }
};

Result<HttpResponse> get(HttpClient &client, const QUrl &url)
{
    std::optional<Result<HttpResponse>> result;
    HttpRequest request;
    request.url = url;
    request.headers.append({QByteArrayLiteral("Authorization"),
                            QByteArrayLiteral("Bearer from-the-caller")}); // replaced by the session's
    client.send(request, [&](Result<HttpResponse> r) { result.emplace(std::move(r)); });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000); }();
    return result.value_or(Error::make(Error::Kind::Internal, QStringLiteral("no answer")));
}

// A client that signs its requests with a session over these tokens, and the API it calls.
struct SignedInClient
{
    SignedInClient(const OAuthProvider &provider, const OAuthTokens &tokens, const FakeOAuthServer &oauth)
        : session(provider, tokens), api(oauth)
    {
        client.setTokenProvider(&session);
    }
    bool listen() { return api.http.listen(); }
    Result<HttpResponse> get() { return ::get(client, api.http.baseUrl()); }

    OAuthSession session;
    ProtectedApi api;
    HttpClient client; // last: it goes first, before the session it uses
};

} // namespace

void TestOAuthFlow::clientSignsWithTheSessionToken()
{
    const auto granted = signIn(salesforce());
    QVERIFY(granted.tokens);
    SignedInClient c(salesforce(), *granted.tokens, *m_fake);
    QVERIFY(c.listen());
    const int tokenRequests = m_fake->tokenRequests();
    const auto response = c.get();
    QVERIFY(response.ok());
    QCOMPARE(response->status, 200);
    QCOMPARE(c.api.tokensSeen, QStringList {granted.tokens->accessToken.reveal()});
    QCOMPARE(m_fake->tokenRequests(), tokenRequests); // a live token is not refreshed
    QCOMPARE(c.client.callCount(), 1);
}

void TestOAuthFlow::clientRefreshesAMissingTokenFirst()
{
    const auto granted = signIn(salesforce());
    QVERIFY(granted.tokens);
    OAuthTokens stored = *granted.tokens;
    stored.accessToken = Secret(); // only the refresh token was kept
    SignedInClient c(salesforce(), stored, *m_fake);
    QVERIFY(c.listen());
    const int tokenRequests = m_fake->tokenRequests();
    const auto response = c.get();
    QVERIFY(response.ok());
    QCOMPARE(response->status, 200);
    QCOMPARE(m_fake->tokenRequests(), tokenRequests + 1);
    QCOMPARE(c.api.tokensSeen.size(), 1); // refreshed before the call, not after a 401
    QCOMPARE(c.api.tokensSeen.first(), c.session.accessToken().reveal());
}

void TestOAuthFlow::clientRefreshesOnceOn401()
{
    const auto granted = signIn(salesforce());
    QVERIFY(granted.tokens);
    OAuthTokens stored = *granted.tokens;
    stored.accessToken = Secret(QStringLiteral("00Dexpired!session"));
    stored.expiresAt = {}; // Salesforce never says when
    SignedInClient c(salesforce(), stored, *m_fake);
    QList<OAuthTokens> changed;
    c.session.setTokensChangedHandler([&](const OAuthTokens &t) { changed.append(t); });
    QVERIFY(c.listen());
    const int tokenRequests = m_fake->tokenRequests();
    const auto response = c.get();
    QVERIFY(response.ok());
    QCOMPARE(response->status, 200);
    QCOMPARE(m_fake->tokenRequests(), tokenRequests + 1);
    QCOMPARE(c.api.tokensSeen.size(), 2);
    QCOMPARE(c.api.tokensSeen.first(), QStringLiteral("00Dexpired!session"));
    QCOMPARE(c.api.tokensSeen.last(), c.session.accessToken().reveal());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(c.client.callCount(), 2);
    // The next request uses the new token straight away.
    QCOMPARE(c.get()->status, 200);
    QCOMPARE(m_fake->tokenRequests(), tokenRequests + 1);
}

void TestOAuthFlow::clientGivesUpAfterOneRefresh()
{
    const auto granted = signIn(salesforce());
    QVERIFY(granted.tokens);
    SignedInClient c(salesforce(), *granted.tokens, *m_fake);
    c.api.acceptNothing = true; // e.g. the user lost API access: a fresh token is refused too
    QVERIFY(c.listen());
    const int tokenRequests = m_fake->tokenRequests();
    const auto response = c.get();
    QVERIFY(response.ok());
    QCOMPARE(response->status, 401); // the caller maps it to access denied
    QCOMPARE(m_fake->tokenRequests(), tokenRequests + 1);
    QCOMPARE(c.api.tokensSeen.size(), 2);
}

void TestOAuthFlow::clientEndsWithAuthWhenTheSignInIsGone()
{
    const auto granted = signIn(salesforce());
    QVERIFY(granted.tokens);
    OAuthTokens stored = *granted.tokens;
    stored.accessToken = Secret(QStringLiteral("00Dexpired!session"));
    SignedInClient c(salesforce(), stored, *m_fake);
    m_fake->revokeAllRefreshTokens();
    QVERIFY(c.listen());
    const auto response = c.get();
    QVERIFY(!response.ok());
    QCOMPARE(response.error().kind, Error::Kind::Auth);
    QVERIFY(response.error().hint.contains(QStringLiteral("Reconnect")));
    QVERIFY(c.session.needsSignIn());
    QCOMPARE(c.api.tokensSeen.size(), 1); // no second call once the sign-in is gone
}

void TestOAuthFlow::signInAgainstTheZendeskFake()
{
    // The Zendesk fake's own authorization server (the one fake-upstream serves for walks by hand):
    // PKCE code, JSON refresh with rotation, a denial.
    FakeZendeskServer zendesk;
    QVERIFY(zendesk.listen());
    zendesk.addOAuthClient(QStringLiteral("zd_desktop"), QStringLiteral("zd+secret&1"));
    const OAuthProvider provider = OAuthProvider::zendesk(zendesk.baseUrl(), QStringLiteral("zd_desktop"),
                                                          Secret(QStringLiteral("zd+secret&1")));
    QNetworkAccessManager browserNetwork;
    browserNetwork.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    const auto browser = [&](const QUrl &url) {
        QNetworkReply *reply = browserNetwork.get(QNetworkRequest(url));
        QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
        return true;
    };
    const auto granted = signIn(provider, std::chrono::seconds(10), browser);
    QVERIFY2(granted.status == OAuthSignIn::Status::Granted, qPrintable(granted.error.message));
    QVERIFY(granted.tokens->expiresAt.isValid());
    OAuthSession session(provider, *granted.tokens);
    const Secret firstRefresh = granted.tokens->refreshToken;
    QVERIFY(refreshNow(session).ok());
    QVERIFY(!zendesk.isValidRefreshToken(firstRefresh.reveal()));
    QVERIFY(zendesk.isValidRefreshToken(session.tokens().refreshToken.reveal()));

    zendesk.setUserAllows(false);
    const auto denied = signIn(provider, std::chrono::seconds(10), browser);
    QCOMPARE(denied.status, OAuthSignIn::Status::Denied);
}

QTEST_MAIN(TestOAuthFlow)
#include "TestOAuthFlow.moc"
