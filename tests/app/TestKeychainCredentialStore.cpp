// The credential store over the real OS keychain: scripts/test.sh runs the suite inside a private
// D-Bus session with gnome-keyring unlocked (Secret Service).
#include "app/KeychainCredentialStore.h"
#include "app/SourceService.h"
#include "core/Secret.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace tributary;

namespace {

bool keychainExpected()
{
    return !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS") || !qEnvironmentVariableIsEmpty("CI");
}

} // namespace

class TestKeychainCredentialStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void isAvailable();
    void writeReadOverwriteDelete();
    void entriesAreScopedBySourceAndHome();
    void secretsKeepEveryCharacter_data();
    void secretsKeepEveryCharacter();
    void removedSourceTakesItsSecrets();
    void withoutDbusSaysNoKeychain();
    void probeWithoutDbus(); // run by withoutDbusSaysNoKeychain in a child process
    void secretPrintsStars();

private:
    std::unique_ptr<KeychainCredentialStore> m_store;
    QStringList m_written; // "source/key" pairs to clean up
};

void TestKeychainCredentialStore::init()
{
    const QString function = QString::fromLatin1(QTest::currentTestFunction());
    if (function == QLatin1String("probeWithoutDbus") || function == QLatin1String("secretPrintsStars"))
        return;
    if (!keychainExpected())
        QSKIP("No D-Bus session bus (and CI is not set): run through scripts/test.sh for the real keychain.");
    m_store = std::make_unique<KeychainCredentialStore>(
            QStringLiteral("Tributary test ") + QUuid::createUuid().toString(QUuid::WithoutBraces), 20000);
}

void TestKeychainCredentialStore::cleanup()
{
    if (m_store) {
        for (const QString &entry : std::as_const(m_written))
            (void)m_store->remove(entry.section(QLatin1Char('/'), 0, 0), entry.section(QLatin1Char('/'), 1));
    }
    m_written.clear();
    m_store.reset();
}

void TestKeychainCredentialStore::isAvailable()
{
    const auto available = m_store->checkAvailable();
    QVERIFY2(available.ok(), available.ok() ? "" : qPrintable(available.error().message));
    QVERIFY(m_store->isPersistent());
}

void TestKeychainCredentialStore::writeReadOverwriteDelete()
{
    m_written << QStringLiteral("shop/api_key");
    QVERIFY(m_store->write(QStringLiteral("shop"), QStringLiteral("api_key"), QStringLiteral("sk_test_first1")).ok());
    auto read = m_store->read(QStringLiteral("shop"), QStringLiteral("api_key"));
    QVERIFY2(read.ok(), read.ok() ? "" : qPrintable(read.error().message));
    QCOMPARE(read.value(), QStringLiteral("sk_test_first1"));

    QVERIFY(m_store->write(QStringLiteral("shop"), QStringLiteral("api_key"), QStringLiteral("sk_test_second2")).ok());
    QCOMPARE(m_store->read(QStringLiteral("shop"), QStringLiteral("api_key")).value(),
             QStringLiteral("sk_test_second2"));

    QVERIFY(m_store->remove(QStringLiteral("shop"), QStringLiteral("api_key")).ok());
    read = m_store->read(QStringLiteral("shop"), QStringLiteral("api_key"));
    QVERIFY(!read.ok());
    QCOMPARE(read.error().kind, Error::Kind::Auth);
    QCOMPARE(read.error().message, QStringLiteral("The secret 'api_key' of 'shop' is not in the keychain."));
    QVERIFY(!read.error().message.contains(QStringLiteral("sk_test")));
    // Removing what is not there is fine (a source removed twice, a half-added one).
    QVERIFY(m_store->remove(QStringLiteral("shop"), QStringLiteral("api_key")).ok());
}

void TestKeychainCredentialStore::entriesAreScopedBySourceAndHome()
{
    m_written << QStringLiteral("a/api_key") << QStringLiteral("b/api_key");
    QVERIFY(m_store->write(QStringLiteral("a"), QStringLiteral("api_key"), QStringLiteral("key-a")).ok());
    QVERIFY(m_store->write(QStringLiteral("b"), QStringLiteral("api_key"), QStringLiteral("key-b")).ok());
    QCOMPARE(m_store->read(QStringLiteral("a"), QStringLiteral("api_key")).value(), QStringLiteral("key-a"));
    QCOMPARE(m_store->read(QStringLiteral("b"), QStringLiteral("api_key")).value(), QStringLiteral("key-b"));
    QVERIFY(!m_store->read(QStringLiteral("a"), QStringLiteral("webhook_secret")).ok());

    KeychainCredentialStore otherHome(m_store->service() + QStringLiteral(" other"), 20000);
    QVERIFY(!otherHome.read(QStringLiteral("a"), QStringLiteral("api_key")).ok());

    QCOMPARE(KeychainCredentialStore::serviceFor(QStringLiteral("/home/u/.local/share/tributary"), true),
             QStringLiteral("Tributary"));
    QCOMPARE(KeychainCredentialStore::serviceFor(QStringLiteral("/tmp/x/../y"), false),
             QStringLiteral("Tributary (/tmp/y)"));
}

void TestKeychainCredentialStore::secretsKeepEveryCharacter_data()
{
    QTest::addColumn<QString>("secret");
    QTest::newRow("jwt-like") << QStringLiteral("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl");
    QTest::newRow("salesforce token") << QStringLiteral("00D7F0000001I8v!ARgAQOG9W.wPt01Kw/+=KO");
    QTest::newRow("unicode and spaces") << QStringLiteral(u"pässwörd mit Ünïcode 🔑 ");
    QTest::newRow("long") << QString(4000, QLatin1Char('x'));
}

void TestKeychainCredentialStore::secretsKeepEveryCharacter()
{
    QFETCH(QString, secret);
    m_written << QStringLiteral("warehouse/password");
    QVERIFY(m_store->write(QStringLiteral("warehouse"), QStringLiteral("password"), secret).ok());
    QCOMPARE(m_store->read(QStringLiteral("warehouse"), QStringLiteral("password")).value(), secret);
}

void TestKeychainCredentialStore::removedSourceTakesItsSecrets()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    SourceService service(AppPaths(home.path()), *m_store);
    QVERIFY(service.load().ok());
    SourceService::AddRequest request;
    request.connector = QStringLiteral("stripe");
    request.name = QStringLiteral("shop");
    request.settings.insert(QStringLiteral("api_key"), QStringLiteral("sk_test_keychainOnly42"));
    request.settings.insert(QStringLiteral("webhook_secret"), QStringLiteral("whsec_keychainOnly42"));
    m_written << QStringLiteral("shop/api_key") << QStringLiteral("shop/webhook_secret");
    const auto added = service.addSource(request);
    QVERIFY2(added.ok(), added.ok() ? "" : qPrintable(added.error().message));
    QCOMPARE(added->settings.value(QStringLiteral("api_key")), SecretReference::keychain());

    // In the keychain, and nowhere in the configuration file.
    QCOMPARE(m_store->read(QStringLiteral("shop"), QStringLiteral("api_key")).value(),
             QStringLiteral("sk_test_keychainOnly42"));
    QFile config(service.paths().configFile());
    QVERIFY(config.open(QIODevice::ReadOnly));
    const QByteArray text = config.readAll();
    QVERIFY(!text.contains("keychainOnly42"));
    QVERIFY(text.contains("keychain:"));
    // A run resolves it.
    const auto plan = service.prepareRun(QStringLiteral("shop"), {});
    QVERIFY2(plan.ok(), plan.ok() ? "" : qPrintable(plan.error().message));
    QCOMPARE(plan->settings.value(QStringLiteral("api_key")), QStringLiteral("sk_test_keychainOnly42"));

    QVERIFY(service.removeSource(QStringLiteral("shop")).ok());
    QVERIFY(!m_store->read(QStringLiteral("shop"), QStringLiteral("api_key")).ok());
    QVERIFY(!m_store->read(QStringLiteral("shop"), QStringLiteral("webhook_secret")).ok());
}

void TestKeychainCredentialStore::withoutDbusSaysNoKeychain()
{
    // The same binary, without a session bus or a display: QtKeychain fails (error 7, "Cannot
    // autolaunch D-Bus without X11 $DISPLAY") and the store says so in plain words.
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("TRIBUTARY_TEST_NO_DBUS"), QStringLiteral("1"));
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("probeWithoutDbus")});
    QVERIFY(child.waitForFinished(30000));
    const QByteArray out = child.readAllStandardOutput() + child.readAllStandardError();
    QVERIFY2(child.exitCode() == 0, out.constData());
    QVERIFY2(out.contains("No keychain available"), out.constData());
}

void TestKeychainCredentialStore::probeWithoutDbus()
{
    if (qEnvironmentVariableIsEmpty("TRIBUTARY_TEST_NO_DBUS"))
        QSKIP("Run by withoutDbusSaysNoKeychain in a child process.");
    KeychainCredentialStore store(QStringLiteral("Tributary test no bus"), 20000);
    const auto available = store.checkAvailable();
    QVERIFY(!available.ok());
    qInfo("%s", qPrintable(available.error().message));
    QVERIFY(available.error().hint.contains(QStringLiteral("env:VAR")));
    const auto written = store.write(QStringLiteral("shop"), QStringLiteral("api_key"), QStringLiteral("sk_test_x"));
    QVERIFY(!written.ok());
    QVERIFY(written.error().message.startsWith(QStringLiteral("No keychain available")));

    // The CLI's answer to a literal key without a keychain: refused, never written to a file.
    QTemporaryDir home;
    SourceService service(AppPaths(home.path()), store);
    QVERIFY(service.load().ok());
    SourceService::AddRequest request;
    request.connector = QStringLiteral("stripe");
    request.name = QStringLiteral("shop");
    request.settings.insert(QStringLiteral("api_key"), QStringLiteral("sk_test_neverOnDisk7"));
    const auto added = service.addSource(request);
    QVERIFY(!added.ok());
    QVERIFY(added.error().message.startsWith(QStringLiteral("No keychain available")));
    QVERIFY(!QFile::exists(service.paths().configFile()));
}

void TestKeychainCredentialStore::secretPrintsStars()
{
    const Secret secret(QStringLiteral("sk_live_verySecret"));
    QString text;
    QDebug(&text) << "key:" << secret;
    QCOMPARE(text.trimmed(), QStringLiteral("key: ***"));
    QString streamed;
    {
        QTextStream stream(&streamed);
        stream << secret;
    }
    QCOMPARE(streamed, QStringLiteral("***"));
    QCOMPARE(secret.toString(), QStringLiteral("***"));
    QCOMPARE(secret.reveal(), QStringLiteral("sk_live_verySecret"));
    QVERIFY(secret == Secret(QStringLiteral("sk_live_verySecret")));
    QVERIFY(secret != Secret(QStringLiteral("sk_live_verySecreT")));
    QVERIFY(secret != Secret(QStringLiteral("sk_live_verySecret2")));
}

QTEST_GUILESS_MAIN(TestKeychainCredentialStore)
#include "TestKeychainCredentialStore.moc"
