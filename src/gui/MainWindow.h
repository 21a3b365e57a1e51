#pragma once

#include "core/Result.h"
#include "core/RunSummary.h"
#include "net/OAuthSignIn.h"

#include <QMap>

#include <QMainWindow>

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
    void onFinished(const RunSummary &summary);
    void showSource();
    void refreshSources();
    void refreshSourceList(); // the list only (next runs, health), keeping the selection quietly
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

    std::unique_ptr<Ui::MainWindow> m_ui;
    SourceService &m_service;
    SourceListModel *m_sources = nullptr;
    RunProgressModel *m_progress = nullptr;
    RunCoordinator *m_coordinator = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QString m_notifiedSource; // the source of the last tray message, for its click
    bool m_quitting = false;
    DataBrowser *m_browser = nullptr;
    QString m_browserUrl;               // the warehouse the Data tab reads
    OAuthSignIn::UrlOpener m_urlOpener; // empty: QDesktopServices
};

} // namespace tributary
