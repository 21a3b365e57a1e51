// A source that signed in with OAuth keeps itself signed in across runs, end to end through the
// real CLI binary, the real keychain (scripts/test.sh: D-Bus + gnome-keyring) and the strict fake
// Zendesk with its token endpoint: the access token is refreshed when the API refuses it, the
// rotated refresh token is stored at once (the old one is dead), and a sign-in the provider
// revoked ends the run as access denied with a Reconnect hint and the source "needs sign-in".
#include "app/KeychainCredentialStore.h"
#include "e2e/CliProcess.h"
#include "e2e/WarehouseReader.h"
#include "fakes/FakeZendeskServer.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace tributary;
using namespace tributary::test;

namespace {

const QString kClientId = QStringLiteral("tributary_desktop");
const QString kClientSecret = QStringLiteral("zd-client-secret-0123456789");

} // namespace

class TestSignedInSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void refreshKeepsTheSourceSignedIn();
    void revokedSignInNeedsSignInAgain();

private:
    void addSource(const QString &refreshToken, const QString &accessToken);
    CliProcess::Outcome sync();
    // No file under --home holds any of these.
    void verifyNoFileHolds(const QStringList &secrets);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeZendeskServer> m_fake;
    std::unique_ptr<CliProcess> m_cli;
};

void TestSignedInSync::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS") && qEnvironmentVariableIsEmpty("CI"))
        QSKIP("No D-Bus session bus (and CI is not set): run through scripts/test.sh for the real keychain.");
}

void TestSignedInSync::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_fake = std::make_unique<FakeZendeskServer>();
    QVERIFY(m_fake->listen());
    m_fake->populate(30, 20, 5, 130, 11);
    m_fake->addOAuthClient(kClientId, kClientSecret);
    m_cli = std::make_unique<CliProcess>(m_dir->path());
}

void TestSignedInSync::cleanup()
{
    m_cli.reset();
    m_fake.reset();
    m_dir.reset();
}

void TestSignedInSync::addSource(const QString &refreshToken, const QString &accessToken)
{
    // Literal secrets, as the window's sign-in passes them: they go to the keychain.
    const auto added = m_cli->run({QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("zendesk"),
                                   QStringLiteral("--name"), QStringLiteral("desk"), QStringLiteral("--base-url"),
                                   m_fake->baseUrl().toString(), QStringLiteral("--collections"),
                                   QStringLiteral("groups"), QStringLiteral("--set"), QStringLiteral("subdomain=acme"),
                                   QStringLiteral("--set"), QStringLiteral("client_id=") + kClientId,
                                   QStringLiteral("--set"), QStringLiteral("client_secret=") + kClientSecret,
                                   QStringLiteral("--set"), QStringLiteral("refresh_token=") + refreshToken,
                                   QStringLiteral("--set"), QStringLiteral("access_token=") + accessToken});
    QVERIFY2(added.exitCode == 0, added.err.constData());
}

CliProcess::Outcome TestSignedInSync::sync()
{
    return m_cli->run({QStringLiteral("sync"), QStringLiteral("desk"), QStringLiteral("--json")});
}

void TestSignedInSync::verifyNoFileHolds(const QStringList &secrets)
{
    QDirIterator it(m_dir->path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        QFile file(it.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        ++files;
        for (const QString &secret : secrets)
            QVERIFY2(!content.contains(secret.toUtf8()), qPrintable(it.filePath() + QStringLiteral(" holds a secret")));
    }
    QVERIFY(files >= 3); // configuration, warehouse, history, logs
}

void TestSignedInSync::refreshKeepsTheSourceSignedIn()
{
    const QString firstRefresh = m_fake->issueRefreshToken(kClientId);
    addSource(firstRefresh, QStringLiteral("zda_stale_access_token"));
    const QStringList groups = [&] {
        QStringList ids;
        for (const QJsonObject &o : m_fake->objects(QStringLiteral("groups")))
            ids.append(QString::number(o.value(QStringLiteral("id")).toInteger()));
        return ids;
    }();

    // 1. The stored access token is refused: refreshed once, the request sent again.
    m_fake->clearRequests();
    const auto first = sync();
    QVERIFY2(first.exitCode == 0, QByteArray(first.out + first.err).constData());
    QCOMPARE(m_fake->tokenRequestCount(), 1);
    QVERIFY(!m_fake->isValidRefreshToken(firstRefresh));                  // rotated: the old one is dead
    QCOMPARE(first.json().value(QStringLiteral("api_calls")).toInt(), 3); // 401, then 2 pages of 100
    QCOMPARE(WarehouseReader(m_cli->warehousePath()).count(QStringLiteral("SELECT COUNT(*) FROM zendesk_groups")),
             qint64(groups.size()));

    // 2. The new access token was stored: no refresh while it lives.
    const auto second = sync();
    QVERIFY2(second.exitCode == 0, QByteArray(second.out + second.err).constData());
    QCOMPARE(m_fake->tokenRequestCount(), 1);

    // 3. It expires: the run refreshes with the rotated refresh token it stored in step 1.
    m_fake->expireAccessTokens();
    const auto third = sync();
    QVERIFY2(third.exitCode == 0, QByteArray(third.out + third.err).constData());
    QCOMPARE(m_fake->tokenRequestCount(), 2);

    // The keychain holds the current tokens; no file under --home holds any token.
    KeychainCredentialStore keychain(KeychainCredentialStore::serviceFor(m_dir->path(), false), 20000);
    const auto refresh = keychain.read(QStringLiteral("desk"), QStringLiteral("refresh_token"));
    QVERIFY(refresh.ok());
    QVERIFY(m_fake->isValidRefreshToken(refresh.value()));
    verifyNoFileHolds({firstRefresh, refresh.value(), kClientSecret,
                       keychain.read(QStringLiteral("desk"), QStringLiteral("access_token")).value()});

    const auto removed = m_cli->run({QStringLiteral("source"), QStringLiteral("remove"), QStringLiteral("desk")});
    QCOMPARE(removed.exitCode, 0);
    QVERIFY(!keychain.read(QStringLiteral("desk"), QStringLiteral("refresh_token")).ok());
}

void TestSignedInSync::revokedSignInNeedsSignInAgain()
{
    addSource(m_fake->issueRefreshToken(kClientId), QStringLiteral("zda_stale_access_token"));
    m_fake->revokeRefreshTokens(); // the user revoked the app in Zendesk
    m_fake->clearRequests();

    const auto run = sync();
    QCOMPARE(run.exitCode, 4); // access denied
    const QJsonObject summary = run.json();
    QCOMPARE(summary.value(QStringLiteral("api_calls")).toInt(), 1); // the refused call, nothing after
    QCOMPARE(m_fake->tokenRequestCount(), 1);
    const QJsonObject error = summary.value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("kind")).toString(), QStringLiteral("auth"));
    QVERIFY2(error.value(QStringLiteral("hint")).toString().contains(QStringLiteral("Reconnect")),
             qPrintable(error.value(QStringLiteral("hint")).toString()));

    const auto sources = m_cli->run({QStringLiteral("sources"), QStringLiteral("--json")});
    QVERIFY2(sources.out.contains("needs sign-in"), sources.out.constData());
    // The next run does not hammer the provider with a dead refresh token more than once per run.
    QCOMPARE(sync().exitCode, 4);
    QCOMPARE(m_fake->tokenRequestCount(), 2);
}

QTEST_MAIN(TestSignedInSync)
#include "TestSignedInSync.moc"
