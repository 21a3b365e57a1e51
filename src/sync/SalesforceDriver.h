#pragma once

#include "sync/SourceDriver.h"

#include <QStringList>

#include <functional>
#include <memory>

namespace tributary {

class SalesforceApi;

// The "salesforce" engine (connectors/salesforce, docs/connectors.md "Salesforce"). Signs in
// through the run's OAuth session (DriverContext::auth: the HttpClient sends and refreshes the
// token; the API host is the token reply's instance_url) or, headless, with a session token
// (access_token + instance_url settings). One SalesforceReader per collection; they share one
// SalesforceApi, which keeps the org's daily API usage and stops the run cleanly at the user's
// reserve (api_reserve_percent, default 10).
class SalesforceDriver final : public SourceDriver
{
public:
    static Result<std::unique_ptr<SourceDriver>> create(const ConnectorManifest &manifest,
                                                        const DriverContext &context);
    ~SalesforceDriver() override;

    void prepare(Done done) override;
    std::optional<CollectionKind> collectionKind(const QString &collection) const override;
    Result<std::unique_ptr<CollectionReader>> createReader(const QString &collection,
                                                           const QJsonObject &state) override;

    // The collections the org offers the user (describeGlobal, one call): the standard objects it
    // lists as queryable, then every queryable custom object (invoice__c). After prepare().
    void discoverCollections(std::function<void(Result<QStringList>)> done) override;

    const SalesforceApi *api() const { return m_api.get(); }

private:
    SalesforceDriver(const ConnectorManifest &manifest, DriverContext context, int reservePercent);
    Result<void> bindApi();

    const ConnectorManifest &m_manifest;
    DriverContext m_context;
    int m_reservePercent;
    std::shared_ptr<SalesforceApi> m_api; // from prepare() on
};

} // namespace tributary
