#pragma once

#include "core/Result.h"
#include "sync/CollectionReader.h"
#include "warehouse/Warehouse.h"

#include <QDateTime>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

namespace tributary {

class HttpClient;
class OAuthTokenProvider;
struct ConnectorManifest;

// What a driver gets for one run.
struct DriverContext
{
    HttpClient *http = nullptr;
    QMap<QString, QString> settings; // resolved (secrets included)
    QUrl baseUrl;                    // the --base-url override, or empty
    QDateTime now;                   // the run's start, UTC
    bool fullRefresh = false;
    QDateTime startDate; // first syncs read from here (invalid: everything)
    // The source's OAuth tokens when it signed in with OAuth (else null). The HttpClient above
    // already sends its access token and refreshes it (before expiry, and once on a 401): a driver
    // sets no Authorization header of its own when this is set. Lives as long as the run.
    OAuthTokenProvider *auth = nullptr;
};

// Reads one source for one run: the generic REST engine for manifest connectors, or a C++
// driver where a manifest cannot say enough (manifest "engine", see DriverRegistry).
class SourceDriver
{
public:
    using Done = std::function<void(Result<void>)>;

    virtual ~SourceDriver() = default;

    // Before the first collection: refresh a token, discover objects... An Auth error aborts the run.
    virtual void prepare(Done done) { done({}); }
    // Collections found upstream beyond the manifest's own (Salesforce: its custom objects), or
    // the upstream's own list when it knows better which exist. After prepare(). The default
    // finds nothing: the manifest's list is the whole story.
    virtual void discoverCollections(std::function<void(Result<QStringList>)> done) { done(QStringList {}); }
    // The kind of a collection this source offers, or nullopt when it has no such collection.
    virtual std::optional<CollectionKind> collectionKind(const QString &collection) const = 0;
    virtual Result<std::unique_ptr<CollectionReader>> createReader(const QString &collection, const QJsonObject &state)
            = 0;
};

// Drivers by manifest "engine" name: "rest" is built in; C++ connectors register theirs at start-up.
class DriverRegistry
{
public:
    using Factory
            = std::function<Result<std::unique_ptr<SourceDriver>>(const ConnectorManifest &, const DriverContext &)>;

    static void add(const QString &engine, Factory factory);
    static Result<std::unique_ptr<SourceDriver>> create(const ConnectorManifest &manifest,
                                                        const DriverContext &context);
};

} // namespace tributary
