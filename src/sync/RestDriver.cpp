#include "RestDriver.h"

#include "sync/RestCollectionReader.h"
#include "sync/SalesforceDriver.h"
#include "sync/SampleDriver.h"

#include <QMutex>

namespace tributary {

namespace {

QMutex g_registryMutex;

QMap<QString, DriverRegistry::Factory> &factories()
{
    static QMap<QString, DriverRegistry::Factory> map {{QStringLiteral("rest"), &RestDriver::create},
                                                       {QStringLiteral("sample"), &SampleDriver::create},
                                                       {QStringLiteral("salesforce"), &SalesforceDriver::create}};
    return map;
}

} // namespace

void DriverRegistry::add(const QString &engine, Factory factory)
{
    QMutexLocker lock(&g_registryMutex);
    factories().insert(engine, std::move(factory));
}

Result<std::unique_ptr<SourceDriver>> DriverRegistry::create(const ConnectorManifest &manifest,
                                                             const DriverContext &context)
{
    Factory factory;
    {
        QMutexLocker lock(&g_registryMutex);
        factory = factories().value(manifest.engine);
    }
    if (!factory)
        return Error::make(Error::Kind::Config,
                           QStringLiteral("The connector '%1' needs the engine '%2', which this build does not have.")
                                   .arg(manifest.slug, manifest.engine),
                           QStringLiteral("Update Tributary."));
    return factory(manifest, context);
}

RestDriver::RestDriver(RestSource source, DriverContext context)
    : m_source(std::move(source)), m_context(std::move(context))
{ }

Result<std::unique_ptr<SourceDriver>> RestDriver::create(const ConnectorManifest &manifest,
                                                         const DriverContext &context)
{
    auto source = RestSource::create(manifest, context.settings, context.baseUrl);
    if (!source)
        return source.error();
    return std::unique_ptr<SourceDriver>(new RestDriver(std::move(source).value(), context));
}

std::optional<CollectionKind> RestDriver::collectionKind(const QString &collection) const
{
    const ConnectorManifest::Collection *spec = m_source.manifest().collection(collection);
    if (!spec)
        return std::nullopt;
    return spec->kind;
}

Result<std::unique_ptr<CollectionReader>> RestDriver::createReader(const QString &collection, const QJsonObject &state)
{
    const ConnectorManifest::Collection *spec = m_source.manifest().collection(collection);
    if (!spec)
        return Error::make(Error::Kind::Config,
                           QStringLiteral("%1 has no collection '%2'.").arg(m_source.manifest().name, collection),
                           QStringLiteral("Choose among: %1.")
                                   .arg(m_source.manifest().collectionNames().join(QStringLiteral(", "))));
    RestCollectionReader::Context context;
    context.http = m_context.http;
    context.now = m_context.now;
    context.fullRefresh = m_context.fullRefresh;
    context.startDate = m_context.startDate;
    return std::unique_ptr<CollectionReader>(new RestCollectionReader(m_source, *spec, context, state));
}

} // namespace tributary
