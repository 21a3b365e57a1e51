#pragma once

#include "sync/ConnectorManifest.h"

#include <QList>
#include <QString>

namespace tributary {

// Every connector the build ships: the manifests embedded from connectors/ (":/connectors/<slug>/").
class ConnectorRegistry
{
public:
    // The shared registry, loaded once; a manifest that fails to parse is skipped with a warning.
    static const ConnectorRegistry &instance();

    // Loads the manifests found under a resource or file folder (one sub-folder per connector).
    explicit ConnectorRegistry(const QString &folder);

    const QList<ConnectorManifest> &connectors() const { return m_connectors; }
    const ConnectorManifest *find(const QString &slug) const;
    QStringList errors() const { return m_errors; }

private:
    QList<ConnectorManifest> m_connectors;
    QStringList m_errors;
};

} // namespace tributary
