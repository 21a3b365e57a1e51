// Test connection against the strict fake Stripe on loopback: one cheap call (GET /v1/account)
// that tells a wrong key, a key without permission, an unreachable host, a failed secure
// connection and success (with the account's name) apart.
#include "fakes/FakeStripeServer.h"
#include "sync/ConnectionTester.h"
#include "sync/ConnectorRegistry.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <optional>

using namespace tributary;
using tributary::test::FakeStripeServer;

namespace {

const QString kKey = QStringLiteral("sk_test_testerKey123");

} // namespace

class TestConnectionTester : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void successNamesTheAccount();
    void wrongKey();
    void restrictedKeyNamesTheMissingPermission();
    void unreachableHost();
    void secureConnectionFailure();
    void missingCredentials();

private:
    ConnectionTester::Outcome run(const QString &key, const QUrl &baseUrl);

    std::unique_ptr<FakeStripeServer> m_fake;
    const ConnectorManifest *m_manifest = nullptr;
};

void TestConnectionTester::init()
{
    m_manifest = ConnectorRegistry::instance().find(QStringLiteral("stripe"));
    QVERIFY(m_manifest);
    m_fake = std::make_unique<FakeStripeServer>();
    QVERIFY(m_fake->listen());
    m_fake->addKey(kKey);
}

ConnectionTester::Outcome TestConnectionTester::run(const QString &key, const QUrl &baseUrl)
{
    ConnectionTester tester;
    tester.setTimeout(5000);
    std::optional<ConnectionTester::Outcome> outcome;
    int calls = 0;
    QMap<QString, QString> settings;
    if (!key.isEmpty())
        settings.insert(QStringLiteral("api_key"), key);
    tester.test(*m_manifest, settings, baseUrl, [&](const ConnectionTester::Outcome &o) {
        ++calls;
        outcome = o;
    });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 10000); }();
    if (calls != 1)
        qWarning("done called %d times", calls);
    return outcome.value_or(ConnectionTester::Outcome {});
}

void TestConnectionTester::successNamesTheAccount()
{
    m_fake->clearRequests();
    const auto outcome = run(kKey, m_fake->baseUrl());
    QCOMPARE(outcome.status, ConnectionTester::Status::Connected);
    // The fake's dashboard display_name is null: the account id stands in for it.
    QCOMPARE(outcome.accountName, m_fake->accountId());
    QCOMPARE(outcome.message, QStringLiteral("Connected to Stripe as %1.").arg(m_fake->accountId()));
    QCOMPARE(m_fake->requestCount(), 1); // one cheap call
    QCOMPARE(m_fake->requests().first().path(), QStringLiteral("/v1/account"));
    QCOMPARE(m_fake->requests().first().header("authorization"), "Bearer " + kKey.toLatin1());

    // With a manifest whose check names a field that is set, that field is the name.
    ConnectorManifest manifest = *m_manifest;
    manifest.checkAccountName = QStringLiteral("/settings/dashboard/timezone");
    ConnectionTester tester;
    std::optional<ConnectionTester::Outcome> named;
    tester.test(manifest, {{QStringLiteral("api_key"), kKey}}, m_fake->baseUrl(),
                [&](const ConnectionTester::Outcome &o) { named = o; });
    QTRY_VERIFY(named.has_value());
    QCOMPARE(named->accountName, QStringLiteral("Etc/UTC"));
}

void TestConnectionTester::wrongKey()
{
    const auto outcome = run(QStringLiteral("sk_test_wrongWrong9999"), m_fake->baseUrl());
    QCOMPARE(outcome.status, ConnectionTester::Status::WrongCredentials);
    QCOMPARE(outcome.httpStatus, 401);
    QVERIFY(outcome.message.startsWith(QStringLiteral("Stripe did not accept the credentials")));
    QVERIFY(outcome.hint.contains(QStringLiteral("API key")));
    QVERIFY(!outcome.message.contains(QStringLiteral("sk_test_wrongWrong9999"))); // Stripe masks it; so do we
}

void TestConnectionTester::restrictedKeyNamesTheMissingPermission()
{
    const QString restricted = QStringLiteral("rk_test_customersOnly1");
    m_fake->addRestrictedKey(restricted, {QStringLiteral("customers")});
    const auto outcome = run(restricted, m_fake->baseUrl());
    QCOMPARE(outcome.status, ConnectionTester::Status::NotPermitted);
    QCOMPARE(outcome.httpStatus, 403);
    QCOMPARE(outcome.missingPermission, QStringLiteral("rak_account_read"));
    QCOMPARE(outcome.message,
             QStringLiteral("The credentials are valid, but they lack the 'rak_account_read' permission."));
    QVERIFY(outcome.hint.contains(QStringLiteral("rak_account_read")));
}

void TestConnectionTester::unreachableHost()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    const auto outcome = run(kKey, QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    QCOMPARE(outcome.status, ConnectionTester::Status::Unreachable);
    QVERIFY(outcome.message.startsWith(QStringLiteral("Stripe could not be reached at 127.0.0.1")));
    QVERIFY(outcome.hint.contains(QStringLiteral("network")));
}

void TestConnectionTester::secureConnectionFailure()
{
    // https:// to a server that answers the TLS hello in plain HTTP: the handshake fails.
    QTcpServer plain;
    QVERIFY(plain.listen(QHostAddress::LocalHost));
    connect(&plain, &QTcpServer::newConnection, &plain, [&plain] {
        while (QTcpSocket *socket = plain.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                socket->readAll();
                socket->write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
                socket->disconnectFromHost();
            });
        }
    });
    const auto outcome = run(kKey, QUrl(QStringLiteral("https://127.0.0.1:%1").arg(plain.serverPort())));
    QCOMPARE(outcome.status, ConnectionTester::Status::SecureConnectionFailed);
    QVERIFY(outcome.message.startsWith(QStringLiteral("A secure connection to 127.0.0.1 could not be made")));
    QVERIFY(outcome.hint.contains(QStringLiteral("date and time")));
}

void TestConnectionTester::missingCredentials()
{
    m_fake->clearRequests();
    const auto outcome = run({}, m_fake->baseUrl());
    QCOMPARE(outcome.status, ConnectionTester::Status::Failed);
    QVERIFY(outcome.message.contains(QStringLiteral("needs credentials")));
    // In the user's words: the settings' labels, and the window's way first.
    QVERIFY2(outcome.message.contains(QStringLiteral("Secret or restricted API key")), qPrintable(outcome.message));
    QVERIFY(outcome.hint.startsWith(QStringLiteral("Enter them in the source's credentials")));
    QCOMPARE(m_fake->requestCount(), 0);
}

QTEST_GUILESS_MAIN(TestConnectionTester)
#include "TestConnectionTester.moc"
