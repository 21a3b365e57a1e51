#pragma once

#include "core/Result.h"
#include "core/SourceConfig.h"

#include <QList>
#include <QString>

namespace tributary {

// The configuration file (JSON, versioned): the warehouse and the sources. Holds no secret: a
// secret setting is stored as a reference ("env:VAR" or "keychain:").
class ConfigStore
{
public:
    static constexpr int kVersion = 1;

    explicit ConfigStore(QString path, QString defaultWarehouseUrl);

    Result<void> load();       // a missing file is an empty configuration
    Result<void> save() const; // atomic (QSaveFile)

    QString warehouseUrl() const { return m_warehouseUrl.isEmpty() ? m_defaultWarehouseUrl : m_warehouseUrl; }
    QString warehousePassword() const { return m_warehousePassword; } // a reference or empty
    void setWarehouse(const QString &url, const QString &passwordReference);

    const QList<SourceConfig> &sources() const { return m_sources; }
    const SourceConfig *source(const QString &name) const;
    void upsertSource(const SourceConfig &source);
    bool removeSource(const QString &name);

private:
    QString m_path;
    QString m_defaultWarehouseUrl;
    QString m_warehouseUrl;
    QString m_warehousePassword;
    QList<SourceConfig> m_sources;
};

} // namespace tributary
