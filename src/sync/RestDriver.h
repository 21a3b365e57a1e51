#pragma once

#include "sync/RestSource.h"
#include "sync/SourceDriver.h"

namespace tributary {

// The generic driver of manifest connectors: RestSource plus one RestCollectionReader per collection.
class RestDriver final : public SourceDriver
{
public:
    static Result<std::unique_ptr<SourceDriver>> create(const ConnectorManifest &manifest,
                                                        const DriverContext &context);

    std::optional<CollectionKind> collectionKind(const QString &collection) const override;
    Result<std::unique_ptr<CollectionReader>> createReader(const QString &collection,
                                                           const QJsonObject &state) override;

private:
    RestDriver(RestSource source, DriverContext context);

    RestSource m_source;
    DriverContext m_context;
};

} // namespace tributary
