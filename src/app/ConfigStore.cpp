#include "ConfigStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace tributary {

ConfigStore::ConfigStore(QString path, QString defaultWarehouseUrl)
    : m_path(std::move(path)), m_defaultWarehouseUrl(std::move(defaultWarehouseUrl))
{ }

Result<void> ConfigStore::load()
{
    QFile file(m_path);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly))
        return Error::make(Error::Kind::Config,
                           QStringLiteral("Cannot read the configuration %1: %2").arg(m_path, file.errorString()),
                           QStringLiteral("Check the file's permissions."));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject())
        return Error::make(Error::Kind::Config,
                           QStringLiteral("The configuration %1 is damaged: %2").arg(m_path, parseError.errorString()),
                           QStringLiteral("Fix the JSON by hand, or move the file away to start afresh."));
    const QJsonObject root = doc.object();
    const int version = root.value(QStringLiteral("version")).toInt(kVersion);
    if (version > kVersion)
        return Error::make(Error::Kind::Config,
                           QStringLiteral("The configuration %1 was written by a newer Tributary (version %2).")
                                   .arg(m_path)
                                   .arg(version),
                           QStringLiteral("Update Tributary, or use another --home."));
    const QJsonObject warehouse = root.value(QStringLiteral("warehouse")).toObject();
    m_warehouseUrl = warehouse.value(QStringLiteral("url")).toString();
    m_warehousePassword = warehouse.value(QStringLiteral("password")).toString();
    m_sources.clear();
    for (const auto &v : root.value(QStringLiteral("sources")).toArray())
        m_sources.append(SourceConfig::fromJson(v.toObject()));
    return {};
}

Result<void> ConfigStore::save() const
{
    QJsonArray sources;
    for (const auto &s : m_sources)
        sources.append(s.toJson());
    QJsonObject warehouse;
    if (!m_warehouseUrl.isEmpty())
        warehouse.insert(QStringLiteral("url"), m_warehouseUrl);
    if (!m_warehousePassword.isEmpty())
        warehouse.insert(QStringLiteral("password"), m_warehousePassword);
    const QJsonObject root {{QStringLiteral("version"), kVersion},
                            {QStringLiteral("warehouse"), warehouse},
                            {QStringLiteral("sources"), sources}};
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        return Error::make(Error::Kind::Config,
                           QStringLiteral("Cannot write the configuration %1: %2").arg(m_path, file.errorString()),
                           QStringLiteral("Check that the folder is writable."));
    }
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return Error::make(Error::Kind::Config,
                           QStringLiteral("Cannot write the configuration %1: %2").arg(m_path, file.errorString()),
                           QStringLiteral("Check that the disk has space."));
    return {};
}

void ConfigStore::setWarehouse(const QString &url, const QString &passwordReference)
{
    m_warehouseUrl = url;
    m_warehousePassword = passwordReference;
}

const SourceConfig *ConfigStore::source(const QString &name) const
{
    for (const auto &s : m_sources) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

void ConfigStore::upsertSource(const SourceConfig &source)
{
    for (auto &s : m_sources) {
        if (s.name == source.name) {
            s = source;
            return;
        }
    }
    m_sources.append(source);
}

bool ConfigStore::removeSource(const QString &name)
{
    return m_sources.removeIf([&](const SourceConfig &s) { return s.name == name; }) > 0;
}

} // namespace tributary
