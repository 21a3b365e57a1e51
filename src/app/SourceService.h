#pragma once

#include "app/AppPaths.h"
#include "app/ConfigStore.h"
#include "app/CredentialStore.h"
#include "app/HistoryStore.h"
#include "core/Result.h"
#include "core/ScheduleSpec.h"
#include "sync/SyncPlan.h"

#include <QMap>
#include <QStringList>

namespace tributary {

struct ConnectorManifest;

// What the CLI and the GUI both do with sources: validate and add them, remove them with their
// secrets and cursors, and prepare a run (secrets resolved, collections checked).
class SourceService
{
public:
    struct AddRequest
    {
        QString connector;
        QString name;
        QString schema;                  // empty: the connector's slug
        QUrl baseUrl;                    // empty: the connector's own
        QStringList collections;         // empty: all
        QMap<QString, QString> settings; // values as the user gave them (env:VAR allowed)
    };

    struct RunOptions
    {
        QStringList collections; // empty: the source's own
        bool fullRefresh = false;
        int stallTimeoutSeconds = 300;
    };

    SourceService(AppPaths paths, CredentialStore &credentials);

    Result<void> load();
    const AppPaths &paths() const { return m_paths; }
    const ConfigStore &config() const { return m_config; }
    CredentialStore &credentials() { return m_credentials; }

    Result<SourceConfig> addSource(const AddRequest &request);
    Result<void> removeSource(const QString &name);
    Result<void> setSchedule(const QString &name, const ScheduleSpec &schedule);
    Result<void> setWarehouse(const QString &url, const QString &passwordReference);
    Result<SyncPlan> prepareRun(const QString &name, const RunOptions &options);

    HistoryStore history(const QString &name) const { return HistoryStore(m_paths.historyFile(name)); }
    // "never synced", "healthy", "partial", "failing" or "access denied", from the last run.
    QString health(const QString &name) const;

    static bool isValidName(const QString &name);
    static bool isValidSchema(const QString &schema);
    static QString newRunId();

private:
    Result<QString> resolveWarehousePassword();

    AppPaths m_paths;
    ConfigStore m_config;
    CredentialStore &m_credentials;
};

} // namespace tributary
