#pragma once

#include "core/Result.h"
#include "sync/SyncPlan.h"

#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

namespace tributary {

class HttpClient;
class OAuthSession;
class SourceDriver;

// Asks a source's upstream which collections it offers (SourceDriver::discoverCollections):
// Salesforce lists its queryable standard and custom objects. One short exchange with the
// settings of a prepared run (a signed-in source refreshes its token as a run would); used by
// `source add` and the setup wizard. Lives on the caller's thread.
class CollectionDiscovery final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CollectionDiscovery)

public:
    using Done = std::function<void(Result<QStringList>)>;

    explicit CollectionDiscovery(QObject *parent = nullptr);
    ~CollectionDiscovery() override;

    // done gets the collections the upstream offers, in its order (empty: nothing beyond the
    // manifest's list). Called once, never from inside start().
    void start(const SyncPlan &plan, Done done);

private:
    void finish(Result<QStringList> result);

    HttpClient *m_http = nullptr;
    OAuthSession *m_auth = nullptr;
    std::unique_ptr<SourceDriver> m_driver;
    Done m_done;
};

} // namespace tributary
