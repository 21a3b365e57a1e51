#include "CollectionDiscovery.h"

#include "net/HttpClient.h"
#include "net/OAuthSession.h"
#include "sync/ConnectorRegistry.h"
#include "sync/SourceDriver.h"

#include <QDateTime>
#include <QPointer>

namespace tributary {

CollectionDiscovery::CollectionDiscovery(QObject *parent) : QObject(parent) { }

CollectionDiscovery::~CollectionDiscovery() = default;

void CollectionDiscovery::start(const SyncPlan &plan, Done done)
{
    m_done = std::move(done);
    const ConnectorManifest *manifest = ConnectorRegistry::instance().find(plan.source.connector);
    if (!manifest) {
        finish(Error::make(Error::Kind::Config,
                           tr("The connector '%1' is not in this version.").arg(plan.source.connector),
                           tr("Update Tributary.")));
        return;
    }
    HttpClientOptions options = plan.http;
    options.requestsPerSecond = manifest->requestsPerSecond;
    options.burst = manifest->burst;
    options.retry.maxAttempts = std::min(options.retry.maxAttempts, 2); // a person is waiting
    m_http = new HttpClient(options, this);
    if (plan.oauth) {
        m_auth = new OAuthSession(*plan.oauth, plan.oauthTokens, this);
        m_auth->setTokensChangedHandler(plan.tokensChanged);
        m_http->setTokenProvider(m_auth);
    }
    DriverContext context;
    context.http = m_http;
    context.settings = plan.settings;
    context.baseUrl = plan.source.baseUrl;
    context.now = QDateTime::currentDateTimeUtc();
    context.auth = m_auth;
    auto driver = DriverRegistry::create(*manifest, context);
    if (!driver) {
        finish(driver.error());
        return;
    }
    m_driver = std::move(driver).value();
    const QPointer<CollectionDiscovery> self(this);
    m_driver->prepare([self](Result<void> prepared) {
        if (!self)
            return;
        if (!prepared) {
            self->finish(prepared.error());
            return;
        }
        self->m_driver->discoverCollections([self](Result<QStringList> found) {
            if (self)
                self->finish(std::move(found));
        });
    });
}

void CollectionDiscovery::finish(Result<QStringList> result)
{
    if (!m_done)
        return;
    const Done done = std::exchange(m_done, {});
    // Never from inside start(), and after the driver's callback has unwound.
    QMetaObject::invokeMethod(
            this, [done, result = std::move(result)] { done(result); }, Qt::QueuedConnection);
}

} // namespace tributary
