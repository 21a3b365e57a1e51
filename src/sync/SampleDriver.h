#pragma once

#include "sync/SampleStore.h"
#include "sync/SourceDriver.h"

#include <QMap>

#include <memory>

namespace tributary {

// The "sample" engine: the offline Sample Store (SampleStore) read like any source, through the
// same job, warehouse and panels, without network or key. Each sync of a collection moves its
// shop one generation on and reads what changed since the last one (the first reads it all).
// The cursor is {"mode":"sample","generation":G,"anchor":T,"seed":S} (plus "target" and
// "offset" within a pass), written with each page like every other cursor.
class SampleDriver final : public SourceDriver
{
public:
    static Result<std::unique_ptr<SourceDriver>> create(const ConnectorManifest &manifest,
                                                        const DriverContext &context);

    std::optional<CollectionKind> collectionKind(const QString &collection) const override;
    Result<std::unique_ptr<CollectionReader>> createReader(const QString &collection,
                                                           const QJsonObject &state) override;

    // The shop at one generation (built once per run and shared by the collections).
    std::shared_ptr<const SampleStore> store(int generation, qint64 anchor);

private:
    SampleDriver(const ConnectorManifest &manifest, DriverContext context, quint32 seed);

    const ConnectorManifest &m_manifest;
    DriverContext m_context;
    quint32 m_seed;
    QMap<QPair<int, qint64>, std::shared_ptr<const SampleStore>> m_stores;
};

} // namespace tributary
