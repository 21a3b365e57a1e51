#include "MainWindow.h"
#include "ui_MainWindow.h"

#include "app/DataBrowser.h"
#include "app/RunCoordinator.h"
#include "app/SignInSettings.h"
#include "app/SourceService.h"
#include "app/StarterQueries.h"
#include "core/ScheduleSpec.h"
#include "gui/CatalogDialog.h"
#include "gui/DataPanel.h"
#include "gui/ErrorPanel.h"
#include "gui/HistoryPanel.h"
#include "gui/ResyncFromDateDialog.h"
#include "gui/RunProgressDelegate.h"
#include "gui/RunProgressModel.h"
#include "gui/SettingsPanel.h"
#include "gui/SetupWizard.h"
#include "gui/SignInBox.h"
#include "gui/SourceListModel.h"
#include "gui/WarehouseDialog.h"
#include "sync/CollectionDiscovery.h"
#include "sync/ConnectionTester.h"
#include "sync/ConnectorRegistry.h"

#include <QActionGroup>
#include <QCloseEvent>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSystemTrayIcon>
#include <QThread>
#include <QTimer>

namespace tributary {

MainWindow::MainWindow(SourceService &service, QWidget *parent)
    : QMainWindow(parent), m_ui(std::make_unique<Ui::MainWindow>()), m_service(service)
{
    m_ui->setupUi(this);
    setWindowIcon(QIcon(QStringLiteral(":/icons/tributary.svg")));
    m_sources = new SourceListModel(m_service, this);
    m_progress = new RunProgressModel(this);
    m_coordinator = new RunCoordinator(m_service, {}, this);
    m_ui->sourcesView->setModel(m_sources);
    m_ui->progressView->setModel(m_progress);
    m_ui->progressView->setItemDelegateForColumn(RunProgressModel::Progress, new RunProgressDelegate(this));
    m_ui->sourcesView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->sourcesView->horizontalHeader()->setStretchLastSection(true);
    // Health (needs sign-in, access denied) must show at the default size: the connector is the
    // row's icon, its tooltip and the page's title, so its column gives Health the room.
    m_ui->sourcesView->setColumnHidden(SourceListModel::Connector, true);
    m_ui->progressView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->progressView->horizontalHeader()->setStretchLastSection(true);
    // One line per collection: a long error is elided and shown whole as the cell's tooltip.
    m_ui->progressView->setWordWrap(false);
    m_ui->mainSplitter->setStretchFactor(1, 2);
    m_ui->mainSplitter->setSizes({440, 740});
    openWarehouse();

    connect(m_ui->sourcesView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::showSource);
    connect(m_ui->actionSyncNow, &QAction::triggered, this, [this] { syncNow(); });
    connect(m_ui->actionStop, &QAction::triggered, this, [this] { m_coordinator->cancel(selectedSource()); });
    connect(m_ui->actionAddSource, &QAction::triggered, this, &MainWindow::addSource);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_coordinator, &RunCoordinator::runStarted, this, [this](const RunSummary &summary) {
        if (summary.source == selectedSource()) {
            m_progress->reset(summary);
            m_ui->runSummaryLabel->clear();
            m_ui->quotaLabel->clear();
        }
        updateActions();
    });
    connect(m_coordinator, &RunCoordinator::collectionUpdated, this,
            [this](const QString &source, const CollectionSummary &c, int apiCalls) {
                statusBar()->showMessage(tr("Syncing %1: %2 (%3 API calls so far)").arg(source, c.name).arg(apiCalls));
                if (source != selectedSource())
                    return;
                m_progress->update(c);
                if (c.quotaRemaining >= 0) {
                    const QLocale locale;
                    m_ui->quotaLabel->setText(
                            c.quotaLimit > 0
                                    ? tr("API quota: %1 calls left of %2 (%3 used)")
                                              .arg(locale.toString(qint64(c.quotaRemaining)),
                                                   locale.toString(qint64(c.quotaLimit)),
                                                   locale.toString(qint64(c.quotaLimit - c.quotaRemaining)))
                                    : tr("API quota: %1 calls left").arg(locale.toString(qint64(c.quotaRemaining))));
                }
            });
    connect(m_coordinator, &RunCoordinator::waiting, this,
            [this](const QString &source, const QString &collection, qint64 ms, const QString &reason) {
                if (source == selectedSource())
                    m_progress->setWaiting(collection, reason, ms);
            });
    connect(m_coordinator, &RunCoordinator::finished, this, &MainWindow::onFinished);
    connect(m_coordinator, &RunCoordinator::startFailed, this, [this](const QString &source, const QString &message) {
        if (source == selectedSource())
            m_ui->runSummaryLabel->setText(message);
        statusBar()->showMessage(tr("%1 could not start").arg(source));
        updateActions();
    });
    connect(m_coordinator, &RunCoordinator::queueChanged, this, &MainWindow::showQueue);
    // The list shows next runs: refresh it, keeping the selection (a bare model reset would lose it)
    // and without rebuilding the source's page (its chart is not cheap).
    connect(m_coordinator->scheduler(), &Scheduler::nextRunsChanged, this, &MainWindow::refreshSourceList);
    setUpTray();
    // At most K runs at once across sources (the rest queue): a setting (Source > Runs at once),
    // default 2.
    const int maxRuns
            = QSettings().value(QStringLiteral("sync/maxConcurrentRuns"), Scheduler::kDefaultMaxConcurrent).toInt();
    m_coordinator->scheduler()->setMaxConcurrent(maxRuns);
    // File > Warehouse...: the wizard's warehouse step, to revisit at any time.
    auto *warehouseAction = new QAction(tr("&Warehouse…"), this);
    warehouseAction->setObjectName(QStringLiteral("actionWarehouse"));
    m_ui->fileMenu->insertAction(m_ui->actionQuit, warehouseAction);
    connect(warehouseAction, &QAction::triggered, this, &MainWindow::editWarehouse);
    QMenu *runsMenu = m_ui->sourceMenu->addMenu(tr("&Runs at once"));
    runsMenu->setObjectName(QStringLiteral("runsAtOnceMenu"));
    auto *runsGroup = new QActionGroup(this);
    for (int k = 1; k <= 4; ++k) {
        QAction *action = runsMenu->addAction(QString::number(k));
        action->setCheckable(true);
        action->setChecked(k == m_coordinator->scheduler()->maxConcurrent());
        runsGroup->addAction(action);
        connect(action, &QAction::triggered, this, [this, k] {
            m_coordinator->scheduler()->setMaxConcurrent(k);
            QSettings().setValue(QStringLiteral("sync/maxConcurrentRuns"), k);
        });
    }
    m_coordinator->scheduler()->start();
    auto *retention = new QTimer(this);
    retention->setInterval(3600 * 1000);
    connect(retention, &QTimer::timeout, m_coordinator, &RunCoordinator::checkRetention);
    retention->start();
    QTimer::singleShot(2000, m_coordinator, &RunCoordinator::checkRetention);

    connect(m_ui->errorsTab, &ErrorPanel::retryRequested, this,
            [this](const QString &collection) { syncNow({collection}); });
    // Reconnect: the Settings tab's credentials section, saying what to do there.
    connect(m_ui->errorsTab, &ErrorPanel::reconnectRequested, this, [this] {
        const SourceConfig *source = m_service.config().source(selectedSource());
        const ConnectorManifest *manifest = source ? ConnectorRegistry::instance().find(source->connector) : nullptr;
        m_ui->sourceTabs->setCurrentWidget(m_ui->settingsTab);
        const bool signsIn = manifest && SignInSettings::signsIn(*manifest, source->settings);
        m_ui->settingsTab->showCredentialsMessage(
                signsIn ? tr("The sign-in is no longer accepted: click Sign in again, then sync again.")
                        : tr("Access was denied: enter a new key and Save, then sync again. For a key given as "
                             "env:VAR, export the new key instead."));
        m_ui->settingsTab->showCredentials();
    });
    setUpCredentials();
    connect(m_ui->settingsTab, &SettingsPanel::collectionsChosen, this, [this](const QStringList &collections) {
        const auto saved = m_service.setCollections(selectedSource(), collections);
        if (saved)
            m_collectionNotes.remove(selectedSource()); // what the setup found is the user's choice now
        m_ui->settingsTab->showMessage(
                saved ? tr("Saved: %n collection(s) will sync.", nullptr, int(collections.size()))
                      : saved.error().message + QLatin1Char('\n') + saved.error().hint);
    });
    connect(m_ui->settingsTab, &SettingsPanel::findCustomObjectsRequested, this, &MainWindow::findCustomObjects);
    connect(m_ui->settingsTab, &SettingsPanel::scheduleChosen, this, [this](const QString &text, bool keepSyncing) {
        const auto spec = ScheduleSpec::parse(text);
        if (!spec) {
            m_ui->settingsTab->showMessage(
                    tr("'%1' is not a schedule: use manual, every N hours (every 6h) or times of day "
                       "(at 06:00,18:00).")
                            .arg(text));
            return;
        }
        const QString source = selectedSource();
        const auto saved = m_service.saveSchedule(source, *spec, keepSyncing);
        if (!saved) {
            m_ui->settingsTab->showMessage(saved.error().message);
            return;
        }
        m_coordinator->reloadSources();
        refreshSources();
        m_ui->settingsTab->showMessage(tr("Sync times: %1.").arg(saved->toString()));
        // The OS schedule (systemctl --user and friends) may take seconds: off the GUI thread.
        const OsScheduleInstaller installer = m_service.osScheduleInstaller();
        const ScheduleSpec applied = *saved;
        QPointer<MainWindow> self(this);
        auto *worker = QThread::create([installer, source, applied, self] {
            auto report = applied.keepSyncingWhenClosed ? installer.install(source, applied) : installer.remove(source);
            if (!self)
                return;
            QMetaObject::invokeMethod(self.data(), [self, source, applied, report] {
                if (!self)
                    return;
                MainWindow *const w = self.data();
                w->m_ui->settingsTab->setBusy(false);
                if (!report) {
                    (void)w->m_service.saveSchedule(source, applied, false);
                    w->m_ui->settingsTab->showMessage(report.error().message + QLatin1Char('\n') + report.error().hint);
                    return;
                }
                if (applied.keepSyncingWhenClosed || !report->files.isEmpty())
                    w->m_ui->settingsTab->showMessage(
                            tr("Sync times: %1. %2").arg(applied.toString(), report->message));
            });
        });
        connect(worker, &QThread::finished, worker, &QObject::deleteLater);
        m_ui->settingsTab->setBusy(true);
        worker->start();
    });
    connect(m_ui->settingsTab, &SettingsPanel::resyncRequested, this, [this](const QString &collection) {
        const QString source = selectedSource();
        const auto answer = QMessageBox::question(
                this, tr("Re-sync %1 from scratch?").arg(collection),
                tr("Tributary will forget where it stopped in %1 and read all of it again from %2 on the next sync. "
                   "Rows already in the warehouse are updated, not duplicated; this costs one API call per page.")
                        .arg(collection, source));
        if (answer != QMessageBox::Yes)
            return;
        const auto reset = m_service.resetCursor(source, collection);
        m_ui->settingsTab->showMessage(reset ? tr("%1 will be read in full on the next sync.").arg(collection)
                                             : reset.error().message + QLatin1Char('\n') + reset.error().hint);
    });
    connect(m_ui->settingsTab, &SettingsPanel::resyncFromDateRequested, this, [this](const QString &collection) {
        const QString source = selectedSource();
        auto *dialog = new ResyncFromDateDialog(source, collection, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, this, [this, dialog, source, collection] {
            const QDate from = dialog->date();
            const auto set = m_service.resyncFrom(source, collection, from);
            m_ui->settingsTab->showMessage(set ? tr("%1 will be read again from %2 on the next sync.")
                                                           .arg(collection, from.toString(Qt::ISODate))
                                               : set.error().message + QLatin1Char('\n') + set.error().hint);
        });
        dialog->open();
    });
    connect(m_ui->settingsTab, &SettingsPanel::warehouseRequested, this, &MainWindow::editWarehouse);
    connect(m_ui->settingsTab, &SettingsPanel::removeRequested, this, [this] {
        const QString source = selectedSource();
        const auto answer = QMessageBox::question(this, tr("Remove %1?").arg(source),
                                                  tr("Tributary will forget %1, its saved positions, history and "
                                                     "secrets. Its tables stay in the warehouse.")
                                                          .arg(source));
        if (answer != QMessageBox::Yes)
            return;
        const auto removed = m_service.removeSource(source);
        if (!removed) {
            m_ui->settingsTab->showMessage(removed.error().message + QLatin1Char('\n') + removed.error().hint);
            return;
        }
        m_coordinator->reloadSources();
        refreshSources();
    });

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    m_ui->mainSplitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());

    if (m_sources->rowCount() > 0)
        m_ui->sourcesView->selectRow(0);
    else
        statusBar()->showMessage(tr("No sources yet: click Add source to connect one."));
    showSource();
}

MainWindow::~MainWindow() = default;

void MainWindow::editWarehouse()
{
    WarehouseDialog dialog(m_service, !m_coordinator->running().isEmpty(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    openWarehouse();
    refreshSourceList();
    statusBar()->showMessage(tr("Warehouse: %1").arg(m_service.config().warehouseUrl()), 8000);
}

void MainWindow::openWarehouse()
{
    auto connection = m_service.warehouseConnection();
    if (!connection || connection->first == m_browserUrl)
        return;
    delete m_browser; // the warehouse changed (the wizard may set PostgreSQL)
    m_browserUrl = connection->first;
    m_browser = new DataBrowser(connection->first, connection->second, this);
    m_ui->dataTab->setBrowser(m_browser);
}

QString MainWindow::selectedSource() const
{
    return m_sources->sourceName(m_ui->sourcesView->currentIndex().row());
}

void MainWindow::selectSource(const QString &name)
{
    for (int row = 0; row < m_sources->rowCount(); ++row) {
        if (m_sources->sourceName(row) == name)
            m_ui->sourcesView->selectRow(row);
    }
}

void MainWindow::refreshSources()
{
    // The page is shown once, below: quietly, or a new selection would show it a first time (it
    // was rebuilt twice at the end of every run).
    refreshSourceList();
    if (!m_ui->sourcesView->currentIndex().isValid() && m_sources->rowCount() > 0) {
        const QSignalBlocker blocker(m_ui->sourcesView->selectionModel());
        m_ui->sourcesView->selectRow(0);
        m_ui->sourcesView->viewport()->update();
    }
    showSource();
}

void MainWindow::refreshSourceList()
{
    const QString selected = selectedSource();
    const QSignalBlocker blocker(m_ui->sourcesView->selectionModel());
    m_sources->refresh();
    for (int row = 0; row < m_sources->rowCount(); ++row) {
        if (m_sources->sourceName(row) == selected)
            m_ui->sourcesView->setCurrentIndex(m_sources->index(row, 0));
    }
    m_ui->sourcesView->viewport()->update();
}

void MainWindow::showSource()
{
    const QString name = selectedSource();
    const SourceConfig *source = m_service.config().source(name);
    m_ui->sourceTabs->setEnabled(source != nullptr);
    if (!source) {
        m_ui->sourceTitleLabel->setText(m_sources->rowCount() == 0
                                                ? tr("No sources yet. Click Add source (Ctrl+N) to connect one.")
                                                : tr("No source selected"));
        updateActions();
        return;
    }
    const ConnectorManifest *manifest = ConnectorRegistry::instance().find(source->connector);
    m_ui->sourceTitleLabel->setText(
            tr("%1 — %2, schema %3").arg(name, manifest ? manifest->name : source->connector, source->schema));
    const QList<RunSummary> runs = m_service.history(name).runs();
    // The rows of the run just watched keep their elapsed times; another source's last run is loaded.
    if (!m_coordinator->isRunning(name) && (runs.isEmpty() || m_progress->runId() != runs.last().runId)) {
        m_progress->reset(runs.isEmpty() ? RunSummary {} : runs.last());
        m_ui->runSummaryLabel->clear();
        m_ui->quotaLabel->clear();
    }
    if (const auto warning = m_service.retentionWarning(name, QDateTime::currentDateTimeUtc()))
        m_ui->runSummaryLabel->setText(warning->message);
    const RunSummary last = runs.isEmpty() ? RunSummary {} : runs.last();
    m_ui->errorsTab->setRun(last, m_service.paths().logFile(name, last.runId));
    m_ui->sourceTabs->setTabText(m_ui->sourceTabs->indexOf(m_ui->errorsTab),
                                 m_ui->errorsTab->errorCount() ? tr("&Errors (%1)").arg(m_ui->errorsTab->errorCount())
                                                               : tr("&Errors"));
    m_ui->historyTab->setRuns(runs);
    m_ui->settingsTab->setSource(*source, manifest);
    m_ui->settingsTab->setFindingCollections(m_discovering.contains(name));
    m_ui->collectionsNoteLabel->setText(m_collectionNotes.value(name));
    m_ui->collectionsNoteLabel->setVisible(m_collectionNotes.contains(name));
    // Starter queries that fit the configured sources, with their tables' SQL names.
    auto connection = m_service.warehouseConnection();
    QList<StarterQueries::Query> queries;
    if (connection) {
        auto warehouse = Warehouse::create(connection->first, connection->second);
        if (warehouse) {
            const auto schemaOf = [this](const QString &connector) {
                for (const auto &s : m_service.config().sources()) {
                    if (s.connector == connector)
                        return s.schema;
                }
                return QString();
            };
            const auto tableSql = [&warehouse](const QString &schema, const QString &collection) {
                return warehouse.value()->sqlTableName(schema, collection);
            };
            queries = StarterQueries().resolved(schemaOf, tableSql);
        }
    }
    openWarehouse();
    m_ui->dataTab->setSource(source->schema, queries);
    updateActions();
}

void MainWindow::addSource()
{
    // Non-modal to the event loop (open(), not exec()): runs keep reporting while the user picks.
    auto *catalog = new CatalogDialog(this);
    catalog->setAttribute(Qt::WA_DeleteOnClose);
    connect(catalog, &QDialog::accepted, this, [this, catalog] { configure(catalog->chosenConnector()); });
    catalog->open();
}

void MainWindow::setUrlOpener(const OAuthSignIn::UrlOpener &opener)
{
    m_urlOpener = opener;
    m_ui->settingsTab->signInBox()->setUrlOpener(opener);
}

void MainWindow::setUpCredentials()
{
    SettingsPanel *panel = m_ui->settingsTab;
    connect(panel, &SettingsPanel::credentialsSaveRequested, this, [this](const QMap<QString, QString> &changes) {
        const QString name = selectedSource();
        if (const auto saved = m_service.updateSettings(name, changes); !saved) {
            m_ui->settingsTab->showCredentialsMessage(saved.error().message + QLatin1Char('\n') + saved.error().hint);
            return;
        }
        showSavedCredentials(name, changes);
    });
    connect(panel, &SettingsPanel::credentialsTestRequested, this, [this](const QMap<QString, QString> &changes) {
        const QString name = selectedSource();
        const SourceConfig *source = m_service.config().source(name);
        const ConnectorManifest *manifest = source ? ConnectorRegistry::instance().find(source->connector) : nullptr;
        if (!manifest)
            return;
        if (manifest->checkPath.isEmpty()) {
            m_ui->settingsTab->showCredentialsMessage(tr("%1 has no connection to test.").arg(manifest->name));
            return;
        }
        const auto settings = resolvedSettings(name, changes);
        if (!settings) {
            m_ui->settingsTab->showCredentialsMessage(settings.error().message + QLatin1Char('\n')
                                                      + settings.error().hint);
            return;
        }
        m_ui->settingsTab->showCredentialsMessage(tr("Testing the connection to %1…").arg(manifest->name));
        auto *tester = new ConnectionTester(this);
        tester->test(*manifest, settings.value(), source->baseUrl,
                     [this, tester, name](const ConnectionTester::Outcome &outcome) {
                         tester->deleteLater();
                         if (selectedSource() == name)
                             m_ui->settingsTab->showCredentialsMessage(
                                     outcome.hint.isEmpty() ? outcome.message
                                                            : outcome.message + QLatin1Char('\n') + outcome.hint);
                     });
    });
    panel->signInBox()->setProviderFactory([this]() -> Result<OAuthProvider> {
        const QString name = selectedSource();
        const SourceConfig *source = m_service.config().source(name);
        const ConnectorManifest *manifest = source ? ConnectorRegistry::instance().find(source->connector) : nullptr;
        if (!manifest)
            return Error::make(Error::Kind::Config, tr("Select a source first."));
        const auto settings = resolvedSettings(name, m_ui->settingsTab->credentialChanges());
        if (!settings)
            return settings.error();
        return SignInSettings::provider(*manifest, settings.value(), source->baseUrl);
    });
    connect(panel, &SettingsPanel::signedIn, this,
            [this](const OAuthTokens &tokens, const QMap<QString, QString> &changes) {
                const QString name = selectedSource();
                // A client id typed before signing in belongs with the new sign-in.
                if (!changes.isEmpty()) {
                    if (const auto saved = m_service.updateSettings(name, changes); !saved) {
                        m_ui->settingsTab->showCredentialsMessage(saved.error().message + QLatin1Char('\n')
                                                                  + saved.error().hint);
                        return;
                    }
                }
                if (const auto stored = m_service.storeSignIn(name, tokens); !stored) {
                    m_ui->settingsTab->showCredentialsMessage(stored.error().message + QLatin1Char('\n')
                                                              + stored.error().hint);
                    return;
                }
                showSavedCredentials(name, {});
                m_ui->settingsTab->showCredentialsMessage(
                        tr("%1 The next sync uses the new sign-in.").arg(SignInBox::signedInText(tokens)));
                refreshSourceList();
            });
}

void MainWindow::showSavedCredentials(const QString &name, const QMap<QString, QString> &changes)
{
    const SourceConfig *source = m_service.config().source(name);
    const ConnectorManifest *manifest = source ? ConnectorRegistry::instance().find(source->connector) : nullptr;
    if (!source)
        return;
    m_ui->settingsTab->forgetCredentialEdits();
    m_ui->settingsTab->setSource(*source, manifest);
    QStringList said;
    for (auto it = changes.cbegin(); it != changes.cend(); ++it) {
        const ConnectorManifest::Setting *setting = manifest ? manifest->setting(it.key()) : nullptr;
        const QString label = setting ? setting->label : it.key();
        const QString stored = source->settings.value(it.key());
        if (stored.isEmpty())
            said.append(tr("%1 removed").arg(label));
        else if (stored.startsWith(QLatin1String("env:")))
            said.append(tr("%1 read from $%2").arg(label, stored.mid(4)));
        else if (stored.startsWith(QLatin1String("keychain:")))
            said.append(m_service.credentials().isPersistent() ? tr("%1 stored in the keychain").arg(label)
                                                               : tr("%1 kept for this session").arg(label));
        else
            said.append(tr("%1 saved").arg(label));
    }
    if (!said.isEmpty())
        m_ui->settingsTab->showCredentialsMessage(tr("Saved: %1.").arg(said.join(QStringLiteral(", "))));
}

Result<QMap<QString, QString>> MainWindow::resolvedSettings(const QString &name, const QMap<QString, QString> &changes)
{
    const SourceConfig *source = m_service.config().source(name);
    if (!source)
        return Error::make(Error::Kind::Config, tr("Select a source first."));
    QMap<QString, QString> settings;
    for (auto it = source->settings.cbegin(); it != source->settings.cend(); ++it) {
        if (changes.contains(it.key()))
            continue;
        auto value = SecretReference::resolve(it.value(), name, it.key(), m_service.credentials());
        if (!value)
            return value.error();
        settings.insert(it.key(), value.value());
    }
    for (auto it = changes.cbegin(); it != changes.cend(); ++it) {
        QString value = it.value();
        if (value.startsWith(QLatin1String("env:")))
            value = qEnvironmentVariable(value.mid(4).toLocal8Bit().constData());
        if (!value.isEmpty())
            settings.insert(it.key(), value);
    }
    return settings;
}

void MainWindow::configure(const QString &connector)
{
    auto *wizard = new SetupWizard(m_service, connector, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    if (m_urlOpener)
        wizard->setUrlOpener(m_urlOpener);
    connect(wizard, &QDialog::accepted, this, [this, wizard] {
        const QString name = wizard->sourceName();
        const bool syncNowAfter = wizard->syncNowRequested();
        const bool findCustom = wizard->findsCustomCollections();
        m_coordinator->reloadSources();
        refreshSources();
        selectSource(name);
        showSource();
        if (findCustom)
            addCustomCollections(name, syncNowAfter); // "all" includes what only the upstream knows of
        else if (syncNowAfter)
            syncNow();
    });
    wizard->open();
}

void MainWindow::discoverCollections(const QString &name, const std::function<void(Result<QStringList>)> &done)
{
    auto plan = m_service.prepareRun(name, {});
    if (!plan) {
        QTimer::singleShot(0, this, [done, error = plan.error()] { done(error); });
        return;
    }
    // A few requests on this thread's event loop: the window stays responsive meanwhile. The
    // discovery dies with the window, and its answer with it.
    auto *discovery = new CollectionDiscovery(this);
    discovery->start(plan.value(), [discovery, done](Result<QStringList> found) {
        discovery->deleteLater();
        done(std::move(found));
    });
}

QStringList MainWindow::customCollections(const ConnectorManifest &manifest, const QStringList &offered)
{
    QStringList custom;
    for (const QString &name : offered) {
        if (!manifest.collection(name) && manifest.offersCollection(name) && !custom.contains(name))
            custom.append(name);
    }
    return custom;
}

QString MainWindow::foundText(const QStringList &custom)
{
    return custom.size() == 1
            ? tr("Found 1 custom object: %1.").arg(custom.first())
            : tr("Found %1 custom objects: %2.").arg(custom.size()).arg(custom.join(QStringLiteral(", ")));
}

void MainWindow::addCustomCollections(const QString &name, bool syncAfter)
{
    const SourceConfig *source = m_service.config().source(name);
    const ConnectorManifest *manifest = source ? ConnectorRegistry::instance().find(source->connector) : nullptr;
    if (!manifest)
        return;
    const QString asking = tr("Asking %1 which objects it offers…").arg(manifest->name);
    m_discovering.insert(name);
    m_collectionNotes.insert(name, asking);
    statusBar()->showMessage(asking);
    if (selectedSource() == name)
        showSource();
    discoverCollections(name, [this, name, syncAfter, manifest](Result<QStringList> found) {
        m_discovering.remove(name);
        QString note;
        if (!found) {
            note = tr("Could not ask %1 which objects it offers (%2), so only its standard collections were added. "
                      "Settings > Find custom objects asks again.")
                           .arg(manifest->name, found.error().message);
        } else if (const QStringList custom = customCollections(*manifest, found.value()); custom.isEmpty()) {
            note = tr("%1 offers no custom objects: its standard collections were added.").arg(manifest->name);
        } else if (const auto saved = m_service.setCollections(name, found.value()); !saved) {
            note = tr("Found custom objects (%1) but could not add them: %2")
                           .arg(custom.join(QStringLiteral(", ")), saved.error().message);
        } else {
            note = foundText(custom) + QLatin1Char(' ') + tr("They sync with the standard collections.");
        }
        m_collectionNotes.insert(name, note);
        statusBar()->showMessage(note, 15000);
        if (selectedSource() == name)
            showSource();
        updateActions();
        if (syncAfter)
            syncSource(name);
    });
}

void MainWindow::findCustomObjects()
{
    const QString name = selectedSource();
    const SourceConfig *source = m_service.config().source(name);
    const ConnectorManifest *manifest = source ? ConnectorRegistry::instance().find(source->connector) : nullptr;
    if (!manifest || m_discovering.contains(name))
        return;
    m_discovering.insert(name);
    m_ui->settingsTab->setFindingCollections(true);
    m_ui->settingsTab->showMessage(tr("Asking %1 which custom objects it offers…").arg(manifest->name));
    updateActions();
    discoverCollections(name, [this, name, manifest](Result<QStringList> found) {
        m_discovering.remove(name);
        updateActions();
        if (selectedSource() != name)
            return;
        m_ui->settingsTab->setFindingCollections(false);
        if (!found) {
            m_ui->settingsTab->showMessage(tr("Could not ask %1 which custom objects it offers: %2\n%3")
                                                   .arg(manifest->name, found.error().message, found.error().hint));
            return;
        }
        const QStringList custom = customCollections(*manifest, found.value());
        const QStringList added = m_ui->settingsTab->addFoundCollections(custom);
        if (custom.isEmpty())
            m_ui->settingsTab->showMessage(tr("%1 offers no custom objects.").arg(manifest->name));
        else if (added.isEmpty())
            m_ui->settingsTab->showMessage(tr("%1 Each is in the list already.").arg(foundText(custom)));
        else
            m_ui->settingsTab->showMessage(
                    tr("%1 Tick the ones to sync, then Save collections.").arg(foundText(added)));
    });
}

void MainWindow::updateActions()
{
    const QString source = selectedSource();
    const bool busy
            = m_coordinator->isRunning(source) || m_coordinator->isQueued(source) || m_discovering.contains(source);
    m_ui->actionSyncNow->setEnabled(!busy && !source.isEmpty());
    m_ui->actionStop->setEnabled(m_coordinator->isRunning(source));
}

void MainWindow::syncNow(const QStringList &collections)
{
    syncSource(selectedSource(), collections);
}

void MainWindow::syncSource(const QString &name, const QStringList &collections)
{
    if (name.isEmpty())
        return;
    const bool selected = name == selectedSource();
    if (selected)
        m_ui->runSummaryLabel->clear();
    if (!m_coordinator->syncNow(name, collections)) {
        if (selected)
            m_ui->runSummaryLabel->setText(tr("%1 is already syncing or waiting its turn.").arg(name));
        return;
    }
    if (selected)
        m_ui->sourceTabs->setCurrentWidget(m_ui->progressTab);
    if (!m_coordinator->isRunning(name))
        statusBar()->showMessage(tr("%1 waits its turn: at most %2 syncs run at once.")
                                         .arg(name)
                                         .arg(m_coordinator->scheduler()->maxConcurrent()));
    updateActions();
}

void MainWindow::onFinished(const RunSummary &summary)
{
    if (summary.source == selectedSource()) {
        for (const auto &c : summary.collections)
            m_progress->update(c);
    }
    const QLocale locale;
    QString text = tr("Run %1: %2 records, %3 API calls in %4 s.")
                           .arg(RunSummary::statusName(summary.status), locale.toString(qint64(summary.records())),
                                locale.toString(qint64(summary.apiCalls)))
                           .arg(summary.startedAt.secsTo(summary.finishedAt));
    if (summary.error)
        text += QLatin1Char('\n') + summary.error->message + QLatin1Char('\n') + summary.error->hint;
    statusBar()->showMessage(tr("%1: %2").arg(summary.source, RunSummary::statusName(summary.status)));
    refreshSources(); // the page, and with it the Data tab's tables
    if (selectedSource() == summary.source)
        m_ui->runSummaryLabel->setText(text);
    updateActions();
}

void MainWindow::setUpTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(QIcon(QStringLiteral(":/icons/tributary.svg")), this);
    m_tray->setToolTip(tr("Tributary"));
    auto *menu = new QMenu(this);
    menu->addAction(tr("&Show Tributary"), this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    menu->addAction(m_ui->actionQuit);
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger) {
            showNormal();
            raise();
        }
    });
    // A failed or partial scheduled run, or a lapsing change window: a click opens its errors.
    connect(m_coordinator, &RunCoordinator::notify, this,
            [this](const QString &source, const QString &title, const QString &text) {
                m_notifiedSource = source;
                m_tray->showMessage(title, text, QSystemTrayIcon::Warning, 15000);
            });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        showNormal();
        raise();
        selectSource(m_notifiedSource);
        m_ui->sourceTabs->setCurrentWidget(m_ui->errorsTab);
    });
    m_tray->show();
}

void MainWindow::showQueue(const QStringList &queued, const QStringList &running)
{
    QStringList parts;
    if (!running.isEmpty())
        parts.append(tr("syncing: %1").arg(running.join(QStringLiteral(", "))));
    if (!queued.isEmpty())
        parts.append(tr("waiting: %1").arg(queued.join(QStringLiteral(", "))));
    statusBar()->showMessage(parts.isEmpty() ? tr("Idle") : parts.join(QStringLiteral(" · ")));
    updateActions();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_coordinator->isBusy() && !m_quitting) {
        QMessageBox box(QMessageBox::Question, tr("A sync is running"),
                        tr("%1 is syncing. Pages already saved stay saved; the next sync continues from there.")
                                .arg(m_coordinator->running().join(QStringLiteral(", "))),
                        QMessageBox::NoButton, this);
        QPushButton *tray = m_tray ? box.addButton(tr("Keep syncing in the &tray"), QMessageBox::AcceptRole) : nullptr;
        QPushButton *stop = box.addButton(tr("&Stop and quit"), QMessageBox::DestructiveRole);
        box.addButton(QMessageBox::Cancel);
        box.exec(); // the user asked to close: a modal question is expected here
        if (tray && box.clickedButton() == tray) {
            hide();
            event->ignore();
            return;
        }
        if (box.clickedButton() != stop) {
            event->ignore();
            return;
        }
        for (const QString &source : m_coordinator->running())
            m_coordinator->cancel(source);
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/splitter"), m_ui->mainSplitter->saveState());
    event->accept();
}

} // namespace tributary
