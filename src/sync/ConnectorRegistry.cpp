#include "ConnectorRegistry.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcRegistry, "tributary.sync.registry")

namespace tributary {

const ConnectorRegistry &ConnectorRegistry::instance()
{
    static const ConnectorRegistry registry(QStringLiteral(":/connectors"));
    return registry;
}

ConnectorRegistry::ConnectorRegistry(const QString &folder)
{
    const QDir dir(folder);
    const QStringList slugs = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &slug : slugs) {
        QFile file(dir.filePath(slug + QStringLiteral("/manifest.json")));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (!doc.isObject()) {
            m_errors.append(QStringLiteral("%1: %2").arg(slug, parseError.errorString()));
            continue;
        }
        auto manifest = ConnectorManifest::fromJson(doc.object());
        if (!manifest) {
            m_errors.append(manifest.error().message);
            qCWarning(lcRegistry) << manifest.error().message;
            continue;
        }
        m_connectors.append(std::move(manifest).value());
    }
}

const ConnectorManifest *ConnectorRegistry::find(const QString &slug) const
{
    for (const auto &c : m_connectors) {
        if (c.slug == slug)
            return &c;
    }
    return nullptr;
}

} // namespace tributary
