#pragma once

#include "app/AppPaths.h"
#include "app/ConfigStore.h"
#include "app/CredentialStore.h"
#include "app/HistoryStore.h"
#include "app/OsScheduleInstaller.h"
#include "core/Result.h"
#include "core/ScheduleSpec.h"
#include "net/OAuthTokens.h"
#include "sync/RetentionCheck.h"
#include "sync/SyncPlan.h"

#include <QMap>
#include <QStringList>

#include <functional>
#include <utility>

namespace tributary {

class Warehouse;
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
    // With no keychain available, the GUI keeps secrets the user types in memory for this session
    // (the store is not persistent); the CLI refuses them instead and asks for env:VAR.
    void setKeepSecretsForSession(bool keep) { m_keepSecretsForSession = keep; }

    Result<SourceConfig> addSource(const AddRequest &request);
    Result<void> removeSource(const QString &name);
    // Saves the schedule and installs, updates or removes its OS schedule: keepSyncingWhenClosed
    // chooses it (unset: as before); a manual schedule has none. The report says what the OS did.
    Result<OsScheduleInstaller::Report> setSchedule(const QString &name, const ScheduleSpec &schedule,
                                                    std::optional<bool> keepSyncingWhenClosed = std::nullopt);
    // The configuration half of setSchedule (fast, no OS call): returns the spec as saved. The GUI
    // then applies it to the OS off its thread with osScheduleInstaller().
    Result<ScheduleSpec> saveSchedule(const QString &name, const ScheduleSpec &schedule,
                                      std::optional<bool> keepSyncingWhenClosed = std::nullopt);
    OsScheduleInstaller osScheduleInstaller() const;
    Result<void> setWarehouse(const QString &url, const QString &passwordReference);
    Result<SyncPlan> prepareRun(const QString &name, const RunOptions &options);

    HistoryStore history(const QString &name) const { return HistoryStore(m_paths.historyFile(name)); }
    // "never synced", "healthy", "partial", "failing" or "access denied", from the last run.
    QString health(const QString &name) const;
    // Set when the source's change window (e.g. Stripe's 30 days of events) is about to lapse.
    std::optional<RetentionCheck::Warning> retentionWarning(const QString &name, const QDateTime &now) const;

    // Forgets a collection's cursor: its next run reads everything again (upserts keep it harmless).
    Result<void> resetCursor(const QString &name, const QString &collection);
    // Reads a collection again from a date on its next run (records created since then), as a first
    // sync with that start date would; rows already stored are updated, not duplicated.
    Result<void> resyncFrom(const QString &name, const QString &collection, const QDate &from);
    // Changes settings of an existing source (its credentials, from the Settings tab): values as
    // addSource takes them (literal secrets go to the keychain, env:VAR stays a reference); an
    // empty value removes the setting (and its keychain entry).
    Result<void> updateSettings(const QString &name, const QMap<QString, QString> &settings);
    // Keeps a new browser sign-in of an existing source (Reconnect): its tokens go to the keychain
    // (the settings then refer to it) and the instance URL and expiry to the configuration.
    Result<void> storeSignIn(const QString &name, const OAuthTokens &tokens);
    // Chooses the source's collections (Settings tab).
    Result<void> setCollections(const QString &name, const QStringList &collections);
    // The warehouse URL and its resolved password, for readers such as the Data tab.
    Result<QPair<QString, QString>> warehouseConnection();

    static bool isValidName(const QString &name);
    static bool isValidSchema(const QString &schema);
    static QString newRunId();

private:
    Result<QString> resolveWarehousePassword();
    bool signsInWithBrowser(const QString &name) const;
    // The source and its connector, or the error that says which is missing.
    Result<std::pair<const SourceConfig *, const ConnectorManifest *>> sourceAndConnector(const QString &name) const;
    // Validates given settings into source.settings (secrets as keychain references) and returns
    // the secrets to write; checks that every required setting is there.
    Result<QMap<QString, QString>> applySettings(const ConnectorManifest &manifest, const QMap<QString, QString> &given,
                                                 SourceConfig &source);
    // Under the source's run lock, with the warehouse open: for edits of its saved cursors.
    Result<void> withCursors(const QString &name, const std::function<Result<void>(Warehouse &)> &change);

    AppPaths m_paths;
    ConfigStore m_config;
    CredentialStore &m_credentials;
    bool m_keepSecretsForSession = false;
};

} // namespace tributary
