// The seed window, driven as a user would: pick the source, click Sync now, watch the rows.
#include "app/CredentialStore.h"
#include "app/RunCoordinator.h"
#include "app/SourceService.h"
#include "fakes/FakeSalesforceServer.h"
#include "fakes/FakeStripeServer.h"
#include "gui/MainWindow.h"
#include "gui/ResyncFromDateDialog.h"
#include "gui/RunProgressDelegate.h"
#include "gui/RunProgressModel.h"
#include "gui/SourceListModel.h"
#include "sync/Scheduler.h"

#include "core/ScheduleSpec.h"
#include <QAbstractAnimation>
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace tributary;
using namespace tributary::test;

// A home with the Stripe source "shop" reading a fake Stripe server that holds counts records
// (each page of customers answered after slowMs), and the window's service for it.
struct StripeShop
{
    QTemporaryDir home;
    FakeStripeServer fake;
    SessionCredentialStore credentials;
    SourceService service {AppPaths(home.path()), credentials};
};

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsSourcesAndSyncsWithLiveProgress();
    void stopCancelsTheRun();
    void scheduleThroughTheWindow();
    void resyncFromADate();
    void progressBarsWhereTheTotalIsKnown();
    void busyBarsStopAnimatingWhenTheRunEnds();
    void salesforceSettingsFindCustomObjectsAndLogin();

private:
    void configure(SourceService &service, FakeStripeServer &fake, const QString &collections);
    // shop's fake listens and holds counts (seeded), customers slowed by slowMs; shop is configured.
    void open(StripeShop &shop, const QHash<QString, int> &counts, quint32 seed, int slowMs);
};

void TestMainWindow::open(StripeShop &shop, const QHash<QString, int> &counts, quint32 seed, int slowMs)
{
    QVERIFY(shop.fake.listen());
    shop.fake.populate(counts, seed);
    if (slowMs > 0)
        shop.fake.setSlow(QStringLiteral("customers"), slowMs);
    configure(shop.service, shop.fake, QStringList(counts.keys()).join(QLatin1Char(',')));
}

void TestMainWindow::configure(SourceService &service, FakeStripeServer &fake, const QString &collections)
{
    qputenv("GUI_TEST_STRIPE_KEY", "sk_test_guiKey1");
    fake.addKey(QStringLiteral("sk_test_guiKey1"));
    QVERIFY(service.load());
    SourceService::AddRequest request;
    request.connector = QStringLiteral("stripe");
    request.name = QStringLiteral("shop");
    request.baseUrl = fake.baseUrl();
    request.collections = collections.split(QLatin1Char(','));
    request.settings.insert(QStringLiteral("api_key"), QStringLiteral("env:GUI_TEST_STRIPE_KEY"));
    QVERIFY(service.addSource(request));
}

void TestMainWindow::listsSourcesAndSyncsWithLiveProgress()
{
    QTemporaryDir home;
    FakeStripeServer fake;
    QVERIFY(fake.listen());
    fake.populate(QHash<QString, int> {{QStringLiteral("customers"), 450}, {QStringLiteral("products"), 30}}, 3);
    fake.setSlow(QStringLiteral("customers"), 60);
    SessionCredentialStore credentials;
    SourceService service(AppPaths(home.path()), credentials);
    configure(service, fake, QStringLiteral("customers,products"));

    MainWindow window(service);
    window.show();
    auto *sources = window.findChild<QTableView *>(QStringLiteral("sourcesView"));
    auto *progress = window.findChild<QTableView *>(QStringLiteral("progressView"));
    auto *syncNow = window.findChild<QAction *>(QStringLiteral("actionSyncNow"));
    auto *stop = window.findChild<QAction *>(QStringLiteral("actionStop"));
    auto *summary = window.findChild<QLabel *>(QStringLiteral("runSummaryLabel"));
    QVERIFY(sources && progress && syncNow && stop && summary);
    QAbstractItemModelTester sourcesTester(sources->model());
    QAbstractItemModelTester progressTester(progress->model());

    QCOMPARE(sources->model()->rowCount(), 1);
    QCOMPARE(sources->model()->index(0, 0).data().toString(), QStringLiteral("shop"));
    QCOMPARE(sources->model()->index(0, 4).data().toString(), QStringLiteral("never synced"));
    QVERIFY(syncNow->isEnabled());
    QVERIFY(!stop->isEnabled());

    QSignalSpy finished(window.coordinator(), &RunCoordinator::finished);
    syncNow->trigger();
    QTRY_VERIFY(stop->isEnabled());
    QVERIFY(!syncNow->isEnabled());
    // Rows appear and count up while the run goes.
    QTRY_COMPARE(progress->model()->rowCount(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(progress->model()->index(0, RunProgressModel::Pages).data().toInt() >= 1, 20000);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(progress->model()->index(0, RunProgressModel::Status).data().toString(), QStringLiteral("running"));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);

    QCOMPARE(progress->model()->index(0, RunProgressModel::Status).data().toString(), QStringLiteral("succeeded"));
    QCOMPARE(progress->model()->index(0, RunProgressModel::Pages).data().toInt(), 5);
    QVERIFY(progress->model()
                    ->index(0, RunProgressModel::Records)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("450 ")));
    QCOMPARE(progress->model()->index(1, RunProgressModel::Status).data().toString(), QStringLiteral("succeeded"));
    QVERIFY(summary->text().contains(QStringLiteral("succeeded")));
    QVERIFY(summary->text().contains(QStringLiteral("480 records")));
    QCOMPARE(sources->model()->index(0, 4).data().toString(), QStringLiteral("healthy"));
    QVERIFY(syncNow->isEnabled());
    QVERIFY(!stop->isEnabled());

    // At the default size, with a last run listed, Health shows whole: room for "needs sign-in"
    // and its warning icon without scrolling sideways.
    window.resize(1180, 720); // MainWindow.ui's size
    QCoreApplication::processEvents();
    const QHeaderView *header = sources->horizontalHeader();
    QVERIFY(!header->isSectionHidden(SourceListModel::Health));
    const int needed = sources->fontMetrics().horizontalAdvance(QStringLiteral("needs sign-in"))
            + sources->iconSize().width() + 3 * sources->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 8;
    const int left = header->sectionViewportPosition(SourceListModel::Health);
    QVERIFY2(left >= 0 && left + needed <= sources->viewport()->width(),
             qPrintable(QStringLiteral("Health at %1, needs %2, viewport %3")
                                .arg(left)
                                .arg(needed)
                                .arg(sources->viewport()->width())));
    QVERIFY(left + header->sectionSize(SourceListModel::Health) <= sources->viewport()->width());
    QVERIFY(sources->model()->index(0, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("Stripe")));
    // Whatever a progress column clips reads whole in its tooltip.
    for (int column : {int(RunProgressModel::Collection), int(RunProgressModel::Records)}) {
        const QModelIndex cell = progress->model()->index(0, column);
        QCOMPARE(cell.data(Qt::ToolTipRole).toString(), cell.data().toString());
    }
}

void TestMainWindow::stopCancelsTheRun()
{
    StripeShop shop;
    open(shop, {{QStringLiteral("customers"), 900}}, 4, 200);
    if (QTest::currentTestFailed())
        return;

    MainWindow window(shop.service);
    window.show();
    auto *progress = window.findChild<QTableView *>(QStringLiteral("progressView"));
    auto *syncNow = window.findChild<QAction *>(QStringLiteral("actionSyncNow"));
    auto *stop = window.findChild<QAction *>(QStringLiteral("actionStop"));
    auto *summary = window.findChild<QLabel *>(QStringLiteral("runSummaryLabel"));
    QSignalSpy finished(window.coordinator(), &RunCoordinator::finished);
    syncNow->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(progress->model()->index(0, RunProgressModel::Pages).data().toInt() >= 1, 20000);
    stop->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    const auto result = finished.first().first().value<RunSummary>();
    QCOMPARE(result.status, RunSummary::Status::Aborted);
    QVERIFY(result.error && result.error->kind == Error::Kind::Cancelled);
    QVERIFY(result.collections.first().pages < 9);
    QVERIFY(summary->text().contains(QStringLiteral("aborted")));
    QVERIFY(syncNow->isEnabled());
}

void TestMainWindow::scheduleThroughTheWindow()
{
    // Sync times set in the Settings tab, with "keep syncing when closed": the source list shows
    // the next run and a systemd user timer is written (no systemctl here: the tool is off).
    QTemporaryDir home;
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
    qputenv("TRIBUTARY_OS_SCHEDULER_TOOL", "");
    FakeStripeServer fake;
    QVERIFY(fake.listen());
    SessionCredentialStore credentials;
    SourceService service(AppPaths(home.path()), credentials);
    configure(service, fake, QStringLiteral("customers"));
    MainWindow window(service);
    window.show();
    auto *sources = window.findChild<QTableView *>(QStringLiteral("sourcesView"));
    QCOMPARE(sources->model()->index(0, 3).data().toString(), QStringLiteral("manual"));
    auto *edit = window.findChild<QLineEdit *>(QStringLiteral("scheduleEdit"));
    auto *keep = window.findChild<QCheckBox *>(QStringLiteral("keepSyncingCheck"));
    auto *apply = window.findChild<QPushButton *>(QStringLiteral("applyScheduleButton"));
    auto *message = window.findChild<QLabel *>(QStringLiteral("settingsMessageLabel"));
    QVERIFY(edit && keep && apply && message);
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("every 7h"));
    QTest::mouseClick(apply, Qt::LeftButton);
    QVERIFY(message->text().contains(QStringLiteral("not a schedule")));
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("at 06:00,18:30"));
    keep->setChecked(true);
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_VERIFY(message->text().contains(QStringLiteral("at 06:00,18:30")));
    QTRY_VERIFY(window.findChild<QGroupBox *>(QStringLiteral("scheduleGroup"))->isEnabled());
    QVERIFY(sources->model()->index(0, 3).data().toString() != QStringLiteral("manual"));
    QCOMPARE(ScheduleSpec::fromJson(service.config().source(QStringLiteral("shop"))->schedule).toString(),
             QStringLiteral("at 06:00,18:30"));
    QDir units(config.path() + QStringLiteral("/systemd/user"));
    QStringList timers = units.entryList({QStringLiteral("tributary-sync-shop-*.timer")});
    QCOMPARE(timers.size(), 1);
    QFile timer(units.filePath(timers.first()));
    QVERIFY(timer.open(QIODevice::ReadOnly));
    const QByteArray unit = timer.readAll();
    QVERIFY(unit.contains("OnCalendar=*-*-* 06:00:00"));
    QVERIFY(unit.contains("OnCalendar=*-*-* 18:30:00"));
    // Manual again removes the OS schedule.
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("manual"));
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_COMPARE(units.entryList({QStringLiteral("tributary-sync-shop-*.timer")}).size(), 0);
    QTRY_VERIFY(window.findChild<QGroupBox *>(QStringLiteral("scheduleGroup"))->isEnabled());

    // How many runs at once: a setting in the Source menu, remembered.
    auto *runsMenu = window.findChild<QMenu *>(QStringLiteral("runsAtOnceMenu"));
    QVERIFY(runsMenu);
    runsMenu->actions().at(0)->trigger();
    QCOMPARE(window.coordinator()->scheduler()->maxConcurrent(), 1);
    QCOMPARE(QSettings().value(QStringLiteral("sync/maxConcurrentRuns")).toInt(), 1);
    runsMenu->actions().at(1)->trigger();
    QCOMPARE(window.coordinator()->scheduler()->maxConcurrent(), 2);
}

void TestMainWindow::resyncFromADate()
{
    // Settings > Re-sync from a date: the next sync reads the collection again from that date only.
    QTemporaryDir home;
    FakeStripeServer fake;
    QVERIFY(fake.listen());
    fake.populate(QHash<QString, int> {{QStringLiteral("customers"), 120}}, 9);
    SessionCredentialStore credentials;
    SourceService service(AppPaths(home.path()), credentials);
    configure(service, fake, QStringLiteral("customers"));
    MainWindow window(service);
    window.show();
    QSignalSpy finished(window.coordinator(), &RunCoordinator::finished);
    window.findChild<QAction *>(QStringLiteral("actionSyncNow"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);

    auto *list = window.findChild<QListWidget *>(QStringLiteral("collectionsList"));
    list->setCurrentRow(0);
    QCOMPARE(list->currentItem()->text(), QStringLiteral("customers"));
    QTest::mouseClick(window.findChild<QPushButton *>(QStringLiteral("resyncFromDateButton")), Qt::LeftButton);
    ResyncFromDateDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<ResyncFromDateDialog *>()) != nullptr);
    const QDate from = QDateTime::fromSecsSinceEpoch(fake.now(), Qt::UTC).date().addDays(-20);
    dialog->setDate(from);
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("explanationLabel"))
                    ->text()
                    .contains(QStringLiteral("customers")));
    dialog->accept();
    QTRY_VERIFY(window.findChild<QLabel *>(QStringLiteral("settingsMessageLabel"))
                        ->text()
                        .contains(from.toString(Qt::ISODate)));

    const qint64 since = QDateTime(from, QTime(0, 0), Qt::UTC).toSecsSinceEpoch();
    int expected = 0;
    for (const auto &c : fake.objects(QStringLiteral("customers")))
        expected += c.value(QStringLiteral("created")).toInteger() >= since ? 1 : 0;
    QVERIFY(expected > 0 && expected < 120);
    fake.clearRequests();
    window.findChild<QAction *>(QStringLiteral("actionSyncNow"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
    const auto run = finished.last().first().value<RunSummary>();
    QCOMPARE(run.status, RunSummary::Status::Succeeded);
    QCOMPARE(run.collections.first().updated, expected);
    QCOMPARE(run.collections.first().inserted, 0);
    QVERIFY(run.collections.first().notice.contains(from.toString(Qt::ISODate)));
    QCOMPARE(fake.requests().first().query().queryItemValue(QStringLiteral("created[gte]")), QString::number(since));

    // Re-sync from scratch (the confirmed action of the same tab): everything is read again.
    QVERIFY(service.resetCursor(QStringLiteral("shop"), QStringLiteral("customers")));
    fake.clearRequests();
    window.findChild<QAction *>(QStringLiteral("actionSyncNow"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 30000);
    const auto full = finished.last().first().value<RunSummary>();
    QCOMPARE(full.collections.first().updated, 120);
    QVERIFY(!fake.requests().first().query().hasQueryItem(QStringLiteral("created[gte]")));
}

void TestMainWindow::progressBarsWhereTheTotalIsKnown()
{
    // The Sample Store says how many records each collection has: its rows get a determinate bar
    // (received of expected); Stripe does not: a busy bar while it runs, no bar after.
    QTemporaryDir home;
    SessionCredentialStore credentials;
    SourceService service(AppPaths(home.path()), credentials);
    QVERIFY(service.load());
    SourceService::AddRequest request;
    request.connector = QStringLiteral("sample");
    request.name = QStringLiteral("demo");
    QVERIFY(service.addSource(request));
    MainWindow window(service);
    window.show();
    auto *progress = window.findChild<QTableView *>(QStringLiteral("progressView"));
    QAbstractItemModelTester progressTester(progress->model());
    QVERIFY(qobject_cast<RunProgressDelegate *>(progress->itemDelegateForColumn(RunProgressModel::Progress)));
    QSignalSpy finished(window.coordinator(), &RunCoordinator::finished);
    window.findChild<QAction *>(QStringLiteral("actionSyncNow"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const auto run = finished.first().first().value<RunSummary>();
    QCOMPARE(run.status, RunSummary::Status::Succeeded);
    QVERIFY(progress->model()->rowCount() > 0);
    for (int row = 0; row < progress->model()->rowCount(); ++row) {
        const QModelIndex bar = progress->model()->index(row, RunProgressModel::Progress);
        const CollectionSummary &c = run.collections.at(row);
        QVERIFY2(c.expectedRecords > 0, qPrintable(c.name));
        QCOMPARE(bar.data(RunProgressModel::ProgressMaximumRole).toLongLong(), c.expectedRecords);
        QCOMPARE(bar.data(RunProgressModel::ProgressValueRole).toLongLong(), qint64(c.received));
        QCOMPARE(bar.data().toString(), QStringLiteral("100 %"));
    }
    // Halfway through a collection of known size, and one of unknown size: the model's bar data.
    RunProgressModel model;
    QAbstractItemModelTester tester(&model);
    RunSummary live;
    CollectionSummary known;
    known.name = QStringLiteral("orders");
    known.status = CollectionSummary::Status::Running;
    known.received = 250;
    known.expectedRecords = 1000;
    CollectionSummary unknown;
    unknown.name = QStringLiteral("customers");
    unknown.status = CollectionSummary::Status::Running;
    unknown.received = 40;
    live.collections = {known, unknown};
    model.reset(live);
    QCOMPARE(model.index(0, RunProgressModel::Progress).data().toString(), QStringLiteral("25 %"));
    QCOMPARE(model.index(0, RunProgressModel::Progress).data(RunProgressModel::ProgressValueRole).toLongLong(), 250);
    QCOMPARE(model.index(1, RunProgressModel::Progress).data(RunProgressModel::ProgressMaximumRole).toLongLong(), 0);
    unknown.status = CollectionSummary::Status::Succeeded;
    model.update(unknown);
    QVERIFY(!model.index(1, RunProgressModel::Progress).data(RunProgressModel::ProgressMaximumRole).isValid());
    // The view paints the bars.
    progress->viewport()->grab();
}

void TestMainWindow::busyBarsStopAnimatingWhenTheRunEnds()
{
    // Stripe does not say how many records come: a busy bar while the collection runs, which the
    // Fusion style animates (moving stripes). The animation must end with the run: left running,
    // it repainted the whole Progress view about 60 times a second for as long as the tab showed.
    if (QApplication::style()->name() != QLatin1String("fusion"))
        QSKIP("only the Fusion style is known to animate busy bars");
    StripeShop shop;
    open(shop, {{QStringLiteral("customers"), 500}}, 4, 200);
    if (QTest::currentTestFailed())
        return;
    MainWindow window(shop.service);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *progress = window.findChild<QTableView *>(QStringLiteral("progressView"));
    QObject *delegate = progress->itemDelegateForColumn(RunProgressModel::Progress);
    const auto animations = [progress, delegate] {
        return progress->findChildren<QAbstractAnimation *>().size()
                + delegate->findChildren<QAbstractAnimation *>().size();
    };
    QSignalSpy finished(window.coordinator(), &RunCoordinator::finished);
    window.findChild<QAction *>(QStringLiteral("actionSyncNow"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(animations() > 0, 20000); // the busy bar, while the collection runs
    QCOMPARE(finished.count(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QCOMPARE(finished.first().first().value<RunSummary>().status, RunSummary::Status::Succeeded);
    QTRY_COMPARE(animations(), 0);
}

void TestMainWindow::salesforceSettingsFindCustomObjectsAndLogin()
{
    // Settings of a Salesforce source: Find custom objects asks the org and lists what it found,
    // unticked, for the user to choose (an unreachable org is said plainly); Credentials offers
    // the wizard's Production / Sandbox / My Domain choice for the login address.
    qputenv("TRIBUTARY_RETRY_BASE_MS", "20");
    FakeSalesforceServer sf;
    QVERIFY(sf.listen());
    const auto tokens = sf.issueTokens();
    QTemporaryDir home;
    SessionCredentialStore credentials;
    SourceService service(AppPaths(home.path()), credentials);
    service.setKeepSecretsForSession(true);
    QVERIFY(service.load());
    SourceService::AddRequest request;
    request.connector = QStringLiteral("salesforce");
    request.name = QStringLiteral("org");
    request.baseUrl = sf.baseUrl();
    request.collections = {QStringLiteral("accounts"), QStringLiteral("contacts")};
    request.settings = {{QStringLiteral("client_id"), sf.clientId()},
                        {QStringLiteral("client_secret"), sf.clientSecret()},
                        {QStringLiteral("access_token"), tokens.accessToken},
                        {QStringLiteral("refresh_token"), tokens.refreshToken},
                        {QStringLiteral("instance_url"), tokens.instanceUrl},
                        {QStringLiteral("login_url"), QStringLiteral("https://test.salesforce.com")}};
    QVERIFY(service.addSource(request));

    MainWindow window(service);
    window.show();
    window.selectSource(QStringLiteral("org"));
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("sourceTabs"));
    auto *settings = window.findChild<QWidget *>(QStringLiteral("settingsTab"));
    tabs->setCurrentWidget(settings);
    auto *list = settings->findChild<QListWidget *>(QStringLiteral("collectionsList"));
    auto *find = settings->findChild<QPushButton *>(QStringLiteral("findCustomObjectsButton"));
    // Re-sync waits for a collection, and says so.
    auto *resync = settings->findChild<QPushButton *>(QStringLiteral("resyncButton"));
    QVERIFY(resync && !resync->isEnabled());
    QCOMPARE(resync->toolTip(), QStringLiteral("Pick a collection in the list first"));
    list->setCurrentRow(0);
    QVERIFY(resync->isEnabled());
    QVERIFY(resync->toolTip().startsWith(QStringLiteral("Forget the saved position")));
    auto *message = settings->findChild<QLabel *>(QStringLiteral("settingsMessageLabel"));
    QVERIFY(list && find && message);
    QVERIFY(find->isVisible());
    const int standard = list->count();
    QVERIFY(list->findItems(QStringLiteral("invoice__c"), Qt::MatchExactly).isEmpty());

    // The org does not answer: said plainly, the list unchanged.
    sf.failNext(10, 503, FakeSalesforceServer::Endpoint::DescribeGlobal);
    QTest::mouseClick(find, Qt::LeftButton);
    QVERIFY(!find->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(find->isEnabled(), 20000);
    QVERIFY2(message->text().startsWith(QStringLiteral("Could not ask Salesforce which custom objects it offers")),
             qPrintable(message->text()));
    QCOMPARE(list->count(), standard);

    // It answers: invoice__c is offered, unticked, described as a custom object.
    sf.clearFaults();
    QTest::mouseClick(find, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(find->isEnabled(), 20000);
    QCOMPARE(message->text(),
             QStringLiteral("Found 1 custom object: invoice__c. Tick the ones to sync, then Save collections."));
    QCOMPARE(list->count(), standard + 1);
    const auto found = list->findItems(QStringLiteral("invoice__c"), Qt::MatchExactly);
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first()->checkState(), Qt::Unchecked);
    QCOMPARE(found.first()->toolTip(), QStringLiteral("A custom object found upstream. (object)"));
    QCOMPARE(service.config().source(QStringLiteral("org"))->collections.size(), 2); // nothing saved yet
    // Asking again adds nothing twice.
    QTest::mouseClick(find, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(find->isEnabled(), 20000);
    QVERIFY2(message->text().endsWith(QStringLiteral("Each is in the list already.")), qPrintable(message->text()));
    QCOMPARE(list->count(), standard + 1);
    found.first()->setCheckState(Qt::Checked);
    QTest::mouseClick(settings->findChild<QPushButton *>(QStringLiteral("saveCollectionsButton")), Qt::LeftButton);
    QCOMPARE(service.config().source(QStringLiteral("org"))->collections,
             QStringList({QStringLiteral("accounts"), QStringLiteral("contacts"), QStringLiteral("invoice__c")}));

    // Credentials: where to sign in, as in the wizard.
    auto *login = settings->findChild<QComboBox *>(QStringLiteral("loginCredentialCombo"));
    auto *domain = settings->findChild<QLineEdit *>(QStringLiteral("login_urlCredentialEdit"));
    auto *save = settings->findChild<QPushButton *>(QStringLiteral("saveCredentialsButton"));
    auto *status = settings->findChild<QLabel *>(QStringLiteral("credentialsStatusLabel"));
    QVERIFY(login && domain && save && status);
    QCOMPARE(login->currentIndex(), 1); // Sandbox
    QVERIFY(!domain->isEnabled());
    // The source has an API address: sign-ins go there, whatever the choice says.
    auto *address = settings->findChild<QLabel *>(QStringLiteral("signInAddressLabel"));
    QVERIFY(address && address->isVisible());
    QVERIFY2(address->text().startsWith(QStringLiteral("Sign in at %1").arg(sf.baseUrl().toString())),
             qPrintable(address->text()));
    login->setFocus();
    QTest::keyClick(login, Qt::Key_Down); // My Domain
    QCOMPARE(login->currentIndex(), 2);
    QVERIFY(domain->isEnabled());
    QTest::mouseClick(save, Qt::LeftButton); // no domain yet: refused
    QVERIFY2(status->text().startsWith(QStringLiteral("Enter your My Domain")), qPrintable(status->text()));
    QCOMPARE(service.config().source(QStringLiteral("org"))->settings.value(QStringLiteral("login_url")),
             QStringLiteral("https://test.salesforce.com"));
    QTest::keyClicks(domain, QStringLiteral("acme"));
    QTest::mouseClick(save, Qt::LeftButton);
    QCOMPARE(service.config().source(QStringLiteral("org"))->settings.value(QStringLiteral("login_url")),
             QStringLiteral("https://acme.my.salesforce.com"));
    // Shown again from what was stored.
    login = settings->findChild<QComboBox *>(QStringLiteral("loginCredentialCombo"));
    domain = settings->findChild<QLineEdit *>(QStringLiteral("login_urlCredentialEdit"));
    QCOMPARE(login->currentIndex(), 2);
    QCOMPARE(domain->text(), QStringLiteral("https://acme.my.salesforce.com"));
    login->setFocus();
    QTest::keyClick(login, Qt::Key_Up);
    QTest::keyClick(login, Qt::Key_Up); // Production
    QTest::mouseClick(save, Qt::LeftButton);
    QCOMPARE(service.config().source(QStringLiteral("org"))->settings.value(QStringLiteral("login_url")),
             QStringLiteral("https://login.salesforce.com"));
    QCOMPARE(settings->findChild<QComboBox *>(QStringLiteral("loginCredentialCombo"))->currentIndex(), 0);
    qunsetenv("TRIBUTARY_RETRY_BASE_MS");
}

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
