// No secret in a file, a log or the history. A full flow through the real CLI binary, with the
// real OS keychain (scripts/test.sh: a private D-Bus session with gnome-keyring unlocked):
// a source added with literal keys (they must go to the keychain), a sync against the fake
// Stripe, a failing sync (a bad key), and an OAuth sign-in with a refresh in this process. Then
// every file under --home, every CLI output (debug logging on), every log line of this process
// and the history are searched for every secret.
#include "app/KeychainCredentialStore.h"
#include "e2e/CliProcess.h"
#include "fakes/FakeOAuthServer.h"
#include "fakes/FakeStripeServer.h"
#include "net/OAuthProvider.h"
#include "net/OAuthSession.h"
#include "net/OAuthSignIn.h"

#include <QDirIterator>
#include <QFile>
#include <QLoggingCategory>
#include <QMutex>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace tributary;
using namespace tributary::test;

namespace {

const QString kGoodKey = QStringLiteral("sk_test_leakCheckGood4242");
const QString kBadKey = QStringLiteral("sk_test_leakCheckWrong9876");
const QString kWebhookSecret = QStringLiteral("whsec_leakCheckWebhook5151");
const QString kClientSecret = QStringLiteral("leakCheckClientSecret7373");

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

} // namespace

class TestSecretLeaks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void noSecretLeavesTheKeychain();

private:
    CliProcess::Outcome cli(CliProcess &process, const QStringList &arguments);
    QByteArray m_outputs; // everything every CLI run printed
};

void TestSecretLeaks::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS") && qEnvironmentVariableIsEmpty("CI"))
        QSKIP("No D-Bus session bus (and CI is not set): run through scripts/test.sh for the real keychain.");
    QLoggingCategory::setFilterRules(QStringLiteral("tributary.*=true\nqt.networkauth*=true"));
    g_previousHandler = qInstallMessageHandler(captureMessage);
}

void TestSecretLeaks::cleanupTestCase()
{
    if (g_previousHandler)
        qInstallMessageHandler(g_previousHandler);
}

CliProcess::Outcome TestSecretLeaks::cli(CliProcess &process, const QStringList &arguments)
{
    const auto outcome = process.run(arguments, 60000);
    m_outputs += outcome.out + '\n' + outcome.err + '\n';
    return outcome;
}

void TestSecretLeaks::noSecretLeavesTheKeychain()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString home = dir.path();
    FakeStripeServer stripe;
    QVERIFY(stripe.listen());
    stripe.addKey(kGoodKey);
    stripe.populate(15, 11);
    CliProcess process(home);
    process.setEnv(QStringLiteral("TRIBUTARY_DEBUG"), QStringLiteral("1")); // every debug line on stderr
    KeychainCredentialStore keychain(KeychainCredentialStore::serviceFor(home, false), 20000);

    // 1. Literal keys on the command line go to the keychain, only references to the file.
    auto added = cli(process,
                     {QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("stripe"),
                      QStringLiteral("--name"), QStringLiteral("shop"), QStringLiteral("--base-url"),
                      stripe.baseUrl().toString(), QStringLiteral("--collections"), QStringLiteral("customers,charges"),
                      QStringLiteral("--set"), QStringLiteral("api_key=") + kGoodKey, QStringLiteral("--set"),
                      QStringLiteral("webhook_secret=") + kWebhookSecret});
    QVERIFY2(added.exitCode == 0, added.err.constData());
    QCOMPARE(keychain.read(QStringLiteral("shop"), QStringLiteral("api_key")).value(), kGoodKey);
    QCOMPARE(keychain.read(QStringLiteral("shop"), QStringLiteral("webhook_secret")).value(), kWebhookSecret);

    // 2. A sync with the key from the keychain.
    const auto synced = cli(process, {QStringLiteral("sync"), QStringLiteral("shop"), QStringLiteral("--json")});
    QVERIFY2(synced.exitCode == 0, synced.err.constData());
    QVERIFY(synced.json().value(QStringLiteral("records")).toInt() > 0);
    QCOMPARE(stripe.requests().last().header("authorization"), "Bearer " + kGoodKey.toLatin1());

    // 3. A failure: a wrong key, rejected by the upstream (its message quotes the key, masked).
    added = cli(process,
                {QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("stripe"), QStringLiteral("--name"),
                 QStringLiteral("bad"), QStringLiteral("--schema"), QStringLiteral("stripe_bad"),
                 QStringLiteral("--base-url"), stripe.baseUrl().toString(), QStringLiteral("--set"),
                 QStringLiteral("api_key=") + kBadKey});
    QVERIFY2(added.exitCode == 0, added.err.constData());
    const auto failed = cli(process, {QStringLiteral("sync"), QStringLiteral("bad"), QStringLiteral("--json")});
    QCOMPARE(failed.exitCode, 4);
    const auto history = cli(process, {QStringLiteral("history"), QStringLiteral("bad"), QStringLiteral("--json")});
    QCOMPARE(history.exitCode, 0);
    QVERIFY(history.out.contains("auth"));
    cli(process, {QStringLiteral("history"), QStringLiteral("shop"), QStringLiteral("--json")});
    cli(process, {QStringLiteral("sources"), QStringLiteral("--json")});

    // 4. An OAuth sign-in and a refresh with rotation, tokens kept in the same keychain scope.
    FakeOAuthServer oauth;
    QVERIFY(oauth.listen());
    oauth.addClient(QStringLiteral("leak.client"), kClientSecret);
    oauth.setInstanceUrl(QUrl(QStringLiteral("https://acme.my.salesforce.com")));
    const OAuthProvider provider
            = OAuthProvider::salesforce(oauth.baseUrl(), QStringLiteral("leak.client"), Secret(kClientSecret));
    OAuthSignIn signIn(provider, oauth.browser());
    std::optional<OAuthSignIn::Outcome> outcome;
    signIn.start([&](const OAuthSignIn::Outcome &o) { outcome = o; });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 10000);
    QVERIFY2(outcome->status == OAuthSignIn::Status::Granted, qPrintable(outcome->error.message));
    QStringList tokenSecrets {outcome->tokens->accessToken.reveal(), outcome->tokens->refreshToken.reveal()};
    QVERIFY(keychain.write(QStringLiteral("crm"), QStringLiteral("refresh_token"), tokenSecrets.last()).ok());
    OAuthSession session(provider, *outcome->tokens);
    session.setTokensChangedHandler([&](const OAuthTokens &tokens) {
        tokenSecrets << tokens.accessToken.reveal() << tokens.refreshToken.reveal();
        QVERIFY(keychain.write(QStringLiteral("crm"), QStringLiteral("refresh_token"), tokens.refreshToken.reveal())
                        .ok());
    });
    std::optional<Result<void>> refreshed;
    session.refresh([&](Result<void> r) { refreshed.emplace(std::move(r)); });
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.has_value(), 10000);
    QVERIFY(refreshed->ok());
    QCOMPARE(keychain.read(QStringLiteral("crm"), QStringLiteral("refresh_token")).value(), tokenSecrets.last());

    // 5. Search everything.
    QStringList secrets {kGoodKey, kBadKey, kWebhookSecret, kClientSecret};
    secrets += tokenSecrets;
    QByteArray everything = m_outputs;
    int files = 0;
    QDirIterator it(home, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        const QByteArray content = file.readAll();
        ++files;
        for (const QString &secret : std::as_const(secrets))
            QVERIFY2(!content.contains(secret.toUtf8()),
                     qPrintable(QStringLiteral("a secret is in %1").arg(file.fileName())));
    }
    QVERIFY(files >= 4); // config, warehouse, history, logs at least
    {
        QMutexLocker lock(&g_logMutex);
        everything += g_log.join(QLatin1Char('\n')).toUtf8();
    }
    QVERIFY(everything.contains("tributary.")); // debug logging was on in the CLI
    for (const QString &secret : std::as_const(secrets)) {
        QVERIFY(!secret.isEmpty());
        QVERIFY2(!everything.contains(secret.toUtf8()), "a secret is in a CLI output or a log line");
    }

    // Removing the sources takes their secrets out of the keychain.
    QCOMPARE(cli(process, {QStringLiteral("source"), QStringLiteral("remove"), QStringLiteral("shop")}).exitCode, 0);
    QCOMPARE(cli(process, {QStringLiteral("source"), QStringLiteral("remove"), QStringLiteral("bad")}).exitCode, 0);
    QVERIFY(!keychain.read(QStringLiteral("shop"), QStringLiteral("api_key")).ok());
    QVERIFY(!keychain.read(QStringLiteral("shop"), QStringLiteral("webhook_secret")).ok());
    QVERIFY(!keychain.read(QStringLiteral("bad"), QStringLiteral("api_key")).ok());
    QVERIFY(keychain.remove(QStringLiteral("crm"), QStringLiteral("refresh_token")).ok());
}

QTEST_GUILESS_MAIN(TestSecretLeaks)
#include "TestSecretLeaks.moc"
