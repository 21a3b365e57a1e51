#pragma once

#include "core/Result.h"
#include "core/RunSummary.h"
#include "net/OAuthSignIn.h"

#include <QHash>
#include <QMap>
#include <QSet>

#include <QMainWindow>

#include <functional>
#include <memory>

namespace Ui {
class MainWindow;
}

class QSystemTrayIcon;

namespace tributary {

class ConnectionTester;
class DataBrowser;
class RunProgressModel;
class RunCoordinator;
class SourceListModel;
class SourceService;
struct ConnectorManifest;

// The main window: sources on the left; the selected source's Progress, Errors, History, Data and
// Settings on the right; Add source, Sync now and Stop in the toolbar. Runs go on worker threads:
// the window only shows and asks.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(SourceService &service, QWidget *parent = nullptr);
    ~MainWindow() override;

    RunCoordinator *coordinator() const { return m_coordinator; }
    void selectSource(const QString &name);
    // Opens the catalog (Add source): the wizard follows for the connector chosen.
    void showCatalog() { addSource(); }
    QString selectedSource() const;
    // How Sign in with browser opens the browser, in the wizard and in Settings (default:
    // QDesktopServices); tests pass a fake browser.
    void setUrlOpener(const OAuthSignIn::UrlOpener &opener);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void updateActions();
    void syncNow(const QStringList &collections = {});
    void syncSource(const QString &name, const QStringList &collections = {});
    void onFinished(const RunSummary &summary);
    void showSource();
    void refreshSources();
    void refreshSourceList(); // the list only (next runs, health), keeping the selection quietly
    void editWarehouse();
    void openWarehouse();
    void setUpTray();
    void showQueue(const QStringList &queued, const QStringList &running);
    void addSource();
    void configure(const QString &connector);
    void setUpCredentials();
    // The selected source's settings resolved (keychain, env:VAR), with the changes typed in
    // Settings over them: what Test connection and Sign in again use.
    Result<QMap<QString, QString>> resolvedSettings(const QString &name, const QMap<QString, QString> &changes);
    void showSavedCredentials(const QString &name, const QMap<QString, QString> &changes);
    // Asks the source's upstream which collections it offers (CollectionDiscovery, asynchronous
    // on this thread): Salesforce's standard objects the org lets the user query and its custom ones.
    void discoverCollections(const QString &name, const std::function<void(Result<QStringList>)> &done);
    // A source just added with every collection: extends them with the custom ones found upstream,
    // says so, then syncs when the wizard asked to.
    void addCustomCollections(const QString &name, bool syncAfter);
    void findCustomObjects(); // Settings > Find custom objects
    // The offered collections the manifest does not list (custom objects).
    static QStringList customCollections(const ConnectorManifest &manifest, const QStringList &offered);
    static QString foundText(const QStringList &custom);

    std::unique_ptr<Ui::MainWindow> m_ui;
    SourceService &m_service;
    SourceListModel *m_sources = nullptr;
    RunProgressModel *m_progress = nullptr;
    RunCoordinator *m_coordinator = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QString m_notifiedSource; // the source of the last tray message, for its click
    bool m_quitting = false;
    DataBrowser *m_browser = nullptr;
    QString m_browserUrl;                      // the warehouse the Data tab reads
    OAuthSignIn::UrlOpener m_urlOpener;        // empty: QDesktopServices
    QSet<QString> m_discovering;               // sources whose upstream is being asked for collections
    QHash<QString, QString> m_collectionNotes; // source -> what the last discovery found (Progress tab)
};

} // namespace tributary
