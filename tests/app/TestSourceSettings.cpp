// SourceService's settings after a source exists: credentials changed from the Settings tab, a
// browser sign-in kept (tokens to the credential store, references in the file), and the run plan
// of a signed-in source (its provider and tokens). The store is the real in-memory one the window
// uses without a keychain; the real keychain is exercised by TestSignedInSync and TestSecretLeaks.
#include "app/CredentialStore.h"
#include "app/SignInSettings.h"
#include "app/SourceService.h"
#include "sync/ConnectorRegistry.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace tributary;

class TestSourceSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void literalSecretGoesToTheStore();
    void envReferenceStaysAReference();
    void emptyValueRemovesTheSettingAndItsSecret();
    void badValuesAreRefused();
    void signInIsKeptAndPlanned();
    void signInWithoutExpiryForgetsTheOldOne();
    void apiKeySourceHasNoSignIn();

private:
    QString configText() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SessionCredentialStore> m_store;
    std::unique_ptr<SourceService> m_service;
};

void TestSourceSettings::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<SessionCredentialStore>();
    m_service = std::make_unique<SourceService>(AppPaths(m_dir->path()), *m_store);
    m_service->setKeepSecretsForSession(true);
    QVERIFY(m_service->load().ok());
    SourceService::AddRequest desk;
    desk.connector = QStringLiteral("zendesk");
    desk.name = QStringLiteral("desk");
    desk.settings = {{QStringLiteral("subdomain"), QStringLiteral("acme")},
                     {QStringLiteral("email"), QStringLiteral("admin@example.com")},
                     {QStringLiteral("api_token"), QStringLiteral("first-token")}};
    const auto added = m_service->addSource(desk);
    QVERIFY2(added.ok(), added.ok() ? "" : qPrintable(added.error().message));
}

QString TestSourceSettings::configText() const
{
    QFile file(AppPaths(m_dir->path()).configFile());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

void TestSourceSettings::literalSecretGoesToTheStore()
{
    const auto updated = m_service->updateSettings(QStringLiteral("desk"),
                                                   {{QStringLiteral("api_token"), QStringLiteral("second-token")}});
    QVERIFY(updated.ok());
    QCOMPARE(m_store->read(QStringLiteral("desk"), QStringLiteral("api_token")).value(),
             QStringLiteral("second-token"));
    QCOMPARE(m_service->config().source(QStringLiteral("desk"))->settings.value(QStringLiteral("api_token")),
             SecretReference::keychain());
    QVERIFY(!configText().contains(QStringLiteral("second-token")));
    QVERIFY(!configText().contains(QStringLiteral("first-token")));
    // Other settings stay.
    QCOMPARE(m_service->config().source(QStringLiteral("desk"))->settings.value(QStringLiteral("email")),
             QStringLiteral("admin@example.com"));
}

void TestSourceSettings::envReferenceStaysAReference()
{
    QVERIFY(m_service
                    ->updateSettings(QStringLiteral("desk"),
                                     {{QStringLiteral("api_token"), QStringLiteral("env:ZENDESK_TOKEN")}})
                    .ok());
    QCOMPARE(m_service->config().source(QStringLiteral("desk"))->settings.value(QStringLiteral("api_token")),
             QStringLiteral("env:ZENDESK_TOKEN"));
    // The keychain copy of the old literal token is gone with it.
    QVERIFY(!m_store->read(QStringLiteral("desk"), QStringLiteral("api_token")).ok());
}

void TestSourceSettings::emptyValueRemovesTheSettingAndItsSecret()
{
    QVERIFY(m_service
                    ->updateSettings(QStringLiteral("desk"),
                                     {{QStringLiteral("api_token"), QString()}, {QStringLiteral("email"), QString()}})
                    .ok());
    const SourceConfig *source = m_service->config().source(QStringLiteral("desk"));
    QVERIFY(!source->settings.contains(QStringLiteral("api_token")));
    QVERIFY(!source->settings.contains(QStringLiteral("email")));
    QVERIFY(!m_store->read(QStringLiteral("desk"), QStringLiteral("api_token")).ok());
}

void TestSourceSettings::badValuesAreRefused()
{
    const auto unknown
            = m_service->updateSettings(QStringLiteral("desk"), {{QStringLiteral("password"), QStringLiteral("x")}});
    QVERIFY(!unknown.ok());
    QVERIFY(unknown.error().hint.contains(QStringLiteral("api_token")));
    const auto pattern = m_service->updateSettings(QStringLiteral("desk"),
                                                   {{QStringLiteral("subdomain"), QStringLiteral("Not A Subdomain")}});
    QVERIFY(!pattern.ok());
    const auto required = m_service->updateSettings(QStringLiteral("desk"), {{QStringLiteral("subdomain"), QString()}});
    QVERIFY(!required.ok());
    QVERIFY(required.error().message.contains(QStringLiteral("subdomain")));
    QVERIFY(!m_service->updateSettings(QStringLiteral("nobody"), {}).ok());
    // Nothing of the refused changes was kept.
    QCOMPARE(m_service->config().source(QStringLiteral("desk"))->settings.value(QStringLiteral("subdomain")),
             QStringLiteral("acme"));
}

void TestSourceSettings::signInIsKeptAndPlanned()
{
    QVERIFY(m_service
                    ->updateSettings(QStringLiteral("desk"),
                                     {{QStringLiteral("client_id"), QStringLiteral("desktop")},
                                      {QStringLiteral("client_secret"), QStringLiteral("client-secret")}})
                    .ok());
    OAuthTokens tokens;
    tokens.accessToken = Secret(QStringLiteral("access-1"));
    tokens.refreshToken = Secret(QStringLiteral("refresh-1"));
    tokens.expiresAt = QDateTime(QDate(2030, 1, 2), QTime(3, 4, 5), Qt::UTC);
    const auto stored = m_service->storeSignIn(QStringLiteral("desk"), tokens);
    QVERIFY2(stored.ok(), stored.ok() ? "" : qPrintable(stored.error().message));
    QCOMPARE(m_store->read(QStringLiteral("desk"), QStringLiteral("refresh_token")).value(),
             QStringLiteral("refresh-1"));
    QCOMPARE(m_store->read(QStringLiteral("desk"), QStringLiteral("access_token")).value(), QStringLiteral("access-1"));
    const QString config = configText();
    QVERIFY(!config.contains(QStringLiteral("refresh-1")));
    QVERIFY(!config.contains(QStringLiteral("access-1")));
    QVERIFY(!config.contains(QStringLiteral("client-secret")));
    QVERIFY(config.contains(QStringLiteral("2030-01-02T03:04:05Z")));

    const auto plan = m_service->prepareRun(QStringLiteral("desk"), {});
    QVERIFY(plan.ok());
    QVERIFY(plan->oauth.has_value());
    QCOMPARE(plan->oauth->tokenUrl, QUrl(QStringLiteral("https://acme.zendesk.com/oauth/tokens")));
    QCOMPARE(plan->oauth->clientId, QStringLiteral("desktop"));
    QVERIFY(plan->oauthTokens.refreshToken == Secret(QStringLiteral("refresh-1")));
    QCOMPARE(plan->oauthTokens.expiresAt, tokens.expiresAt);

    // What a run hands back after a rotation lands in the store at once.
    OAuthTokens rotated = tokens;
    rotated.accessToken = Secret(QStringLiteral("access-2"));
    rotated.refreshToken = Secret(QStringLiteral("refresh-2"));
    plan->tokensChanged(rotated);
    QCOMPARE(m_store->read(QStringLiteral("desk"), QStringLiteral("refresh_token")).value(),
             QStringLiteral("refresh-2"));
    QCOMPARE(m_store->read(QStringLiteral("desk"), QStringLiteral("access_token")).value(), QStringLiteral("access-2"));
}

void TestSourceSettings::signInWithoutExpiryForgetsTheOldOne()
{
    QVERIFY(m_service
                    ->updateSettings(QStringLiteral("desk"),
                                     {{QStringLiteral("client_id"), QStringLiteral("desktop")},
                                      {QStringLiteral("token_expires_at"), QStringLiteral("2030-01-02T03:04:05Z")}})
                    .ok());
    OAuthTokens tokens;
    tokens.accessToken = Secret(QStringLiteral("access-1"));
    tokens.refreshToken = Secret(QStringLiteral("refresh-1"));
    QVERIFY(m_service->storeSignIn(QStringLiteral("desk"), tokens).ok());
    QVERIFY(!m_service->config().source(QStringLiteral("desk"))->settings.contains(QStringLiteral("token_expires_at")));
}

void TestSourceSettings::apiKeySourceHasNoSignIn()
{
    // No refresh token: the run signs requests with the pasted credentials, no OAuth session.
    const auto plan = m_service->prepareRun(QStringLiteral("desk"), {});
    QVERIFY(plan.ok());
    QVERIFY(!plan->oauth.has_value());

    SourceService::AddRequest shop;
    shop.connector = QStringLiteral("stripe");
    shop.name = QStringLiteral("shop");
    shop.settings = {{QStringLiteral("api_key"), QStringLiteral("sk_test_abc")}};
    QVERIFY(m_service->addSource(shop).ok());
    OAuthTokens tokens;
    tokens.refreshToken = Secret(QStringLiteral("r"));
    const auto refused = m_service->storeSignIn(QStringLiteral("shop"), tokens);
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().message.contains(QStringLiteral("no browser sign-in")));
}

QTEST_MAIN(TestSourceSettings)
#include "TestSourceSettings.moc"
