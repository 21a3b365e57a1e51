// The Salesforce driver on its own, against the strict fake on loopback: what the job gets from
// it (pages with their total and quota, discovery) and how it binds to the org (a session token,
// or the run's OAuth session and its instance URL).
#include "fakes/FakeSalesforceServer.h"
#include "net/HttpClient.h"
#include "net/OAuthTokenProvider.h"
#include "sync/ConnectorRegistry.h"
#include "sync/SalesforceApi.h"
#include "sync/SalesforceDriver.h"

#include <QSignalSpy>
#include <QTest>

using namespace tributary;
using namespace tributary::test;
using namespace Qt::StringLiterals;

namespace {

// A run's OAuth session as the driver sees it: no access token until refreshed.
class StubTokens final : public OAuthTokenProvider
{
public:
    Secret accessToken() const override { return m_token; }
    bool needsRefresh(const QDateTime &) const override { return m_token.isEmpty(); }
    void refresh(Done done) override
    {
        ++refreshes;
        if (fail) {
            done(Error::make(Error::Kind::Auth, u"Salesforce refused the sign-in (invalid_grant)."_s));
            return;
        }
        m_token = Secret(u"00Dfresh!token"_s);
        done({});
    }
    bool needsSignIn() const override { return fail; }
    QUrl instanceUrl() const override { return m_token.isEmpty() ? QUrl() : instance; }

    QUrl instance;
    bool fail = false;
    int refreshes = 0;

private:
    Secret m_token;
};

const ConnectorManifest &manifest()
{
    const ConnectorManifest *m = ConnectorRegistry::instance().find(u"salesforce"_s);
    Q_ASSERT(m);
    return *m;
}

// Runs prepare() to its end.
Result<void> prepare(SourceDriver &driver)
{
    std::optional<Result<void>> outcome;
    driver.prepare([&](Result<void> r) { outcome = std::move(r); });
    if (!QTest::qWaitFor([&] { return outcome.has_value(); }, 10000))
        return Error::make(Error::Kind::Internal, u"prepare() never finished"_s);
    return *outcome;
}

Result<Page> fetch(CollectionReader &reader)
{
    std::optional<Result<Page>> outcome;
    reader.fetchNext([&](Result<Page> r) { outcome = std::move(r); });
    if (!QTest::qWaitFor([&] { return outcome.has_value(); }, 10000))
        return Error::make(Error::Kind::Internal, u"fetchNext() never finished"_s);
    return *outcome;
}

} // namespace

class TestSalesforceDriver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_fake = std::make_unique<FakeSalesforceServer>();
        QVERIFY(m_fake->listen());
        m_fake->populate({{u"Account"_s, 2500}});
        m_http = std::make_unique<HttpClient>();
        m_context = {};
        m_context.http = m_http.get();
        m_context.now = QDateTime::currentDateTimeUtc();
        m_context.baseUrl = m_fake->baseUrl();
        m_context.settings.insert(u"access_token"_s, m_fake->issueTokens().accessToken);
    }
    void cleanup()
    {
        m_http.reset();
        m_fake.reset();
    }

    void pagesCarryTheirTotalAndTheQuota()
    {
        m_fake->setApiUsage(40);
        m_fake->setDailyApiLimit(15000);
        auto driver = DriverRegistry::create(manifest(), m_context);
        QVERIFY2(driver, driver ? "" : qPrintable(driver.error().message));
        QVERIFY(prepare(*driver.value()));
        QCOMPARE(driver.value()->collectionKind(u"accounts"_s), CollectionKind::Object);
        QCOMPARE(driver.value()->collectionKind(u"invoice__c"_s), CollectionKind::Object);
        QVERIFY(!driver.value()->collectionKind(u"account_history"_s));
        auto reader = driver.value()->createReader(u"accounts"_s, {});
        QVERIFY(reader);

        const auto first = fetch(*reader.value());
        QVERIFY2(first, first ? "" : qPrintable(first.error().message));
        QCOMPARE(first->records.size(), 2000);
        QCOMPARE(first->deleted.size(), 2000);
        QVERIFY(!first->done);
        QCOMPARE(first->total, std::optional<qint64>(2500));
        QCOMPARE(first->quotaLimit, std::optional<qint64>(15000));
        QCOMPARE(first->quotaRemaining, std::optional<qint64>(15000 - 42)); // the describe and the query
        QVERIFY(!first->records.first().contains(u"attributes"_s));
        QVERIFY(first->records.first().value(u"SystemModstamp"_s).toString().endsWith(QLatin1Char('Z')));
        QCOMPARE(first->state.value(u"mode"_s).toString(), u"salesforce"_s);

        const auto second = fetch(*reader.value());
        QVERIFY2(second, second ? "" : qPrintable(second.error().message));
        QCOMPARE(second->records.size(), 500);
        QVERIFY(second->done);
        QCOMPARE(second->total, std::optional<qint64>(2500));
        QCOMPARE(second->quotaRemaining, std::optional<qint64>(15000 - 43));
        QCOMPARE(m_fake->requestCount(FakeSalesforceServer::Endpoint::QueryMore), 1);
    }

    void discoversStandardAndCustomObjects()
    {
        m_fake->hideObject(u"Lead"_s);
        auto driver = DriverRegistry::create(manifest(), m_context);
        QVERIFY(driver);
        QVERIFY(prepare(*driver.value()));
        auto *salesforce = dynamic_cast<SalesforceDriver *>(driver.value().get());
        QVERIFY(salesforce);
        std::optional<Result<QStringList>> found;
        salesforce->discoverCollections([&](Result<QStringList> r) { found = std::move(r); });
        QTRY_VERIFY(found.has_value());
        QVERIFY(*found);
        QStringList expected = manifest().collectionNames();
        expected.removeAll(u"leads"_s);
        expected.append(u"invoice__c"_s);
        QCOMPARE(found->value(), expected);
    }

    void oauthSessionGivesTheInstance()
    {
        StubTokens tokens;
        tokens.instance = QUrl(u"https://acme.my.salesforce.com"_s);
        m_context.auth = &tokens;
        m_context.baseUrl = QUrl();
        m_context.settings.clear();
        m_context.settings.insert(u"instance_url"_s, u"https://stale.my.salesforce.com"_s);
        auto driver = DriverRegistry::create(manifest(), m_context);
        QVERIFY2(driver, driver ? "" : qPrintable(driver.error().message));
        QVERIFY(prepare(*driver.value()));
        QCOMPARE(tokens.refreshes, 1);
        const SalesforceApi *api = dynamic_cast<SalesforceDriver *>(driver.value().get())->api();
        QCOMPARE(api->origin(), QUrl(u"https://acme.my.salesforce.com"_s));
        // The HttpClient signs requests with the session's token: none of the driver's own.
        for (const auto &[name, value] : api->request(u"sobjects/"_s).headers)
            QVERIFY(name.compare("Authorization", Qt::CaseInsensitive) != 0);

        // --base-url replaces the instance.
        StubTokens again;
        again.instance = tokens.instance;
        m_context.auth = &again;
        m_context.baseUrl = m_fake->baseUrl();
        auto overridden = DriverRegistry::create(manifest(), m_context);
        QVERIFY(overridden);
        QVERIFY(prepare(*overridden.value()));
        QCOMPARE(dynamic_cast<SalesforceDriver *>(overridden.value().get())->api()->origin(), m_fake->baseUrl());
    }

    void failedRefreshIsAccessDenied()
    {
        StubTokens tokens;
        tokens.fail = true;
        m_context.auth = &tokens;
        auto driver = DriverRegistry::create(manifest(), m_context);
        QVERIFY(driver);
        const auto prepared = prepare(*driver.value());
        QVERIFY(!prepared);
        QCOMPARE(prepared.error().kind, Error::Kind::Auth);
        QVERIFY(prepared.error().hint.contains(QLatin1String("Reconnect")));
    }

    void settingsAreChecked()
    {
        m_context.settings.insert(u"api_reserve_percent"_s, u"150"_s);
        auto bad = DriverRegistry::create(manifest(), m_context);
        QVERIFY(!bad);
        QCOMPARE(bad.error().kind, Error::Kind::Config);

        m_context.settings.clear();
        auto none = DriverRegistry::create(manifest(), m_context);
        QVERIFY(!none);
        QCOMPARE(none.error().kind, Error::Kind::Config);

        // A session token without an instance (and no --base-url): said before any call.
        m_context.baseUrl = QUrl();
        m_context.settings.insert(u"access_token"_s, u"00Dx!y"_s);
        auto driver = DriverRegistry::create(manifest(), m_context);
        QVERIFY(driver);
        const auto prepared = prepare(*driver.value());
        QVERIFY(!prepared);
        QCOMPARE(prepared.error().kind, Error::Kind::Config);
        QVERIFY(prepared.error().hint.contains(QLatin1String("instance_url")));
    }

private:
    std::unique_ptr<FakeSalesforceServer> m_fake;
    std::unique_ptr<HttpClient> m_http;
    DriverContext m_context;
};

QTEST_GUILESS_MAIN(TestSalesforceDriver)
#include "TestSalesforceDriver.moc"
