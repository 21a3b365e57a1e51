// The seed window, driven as a user would: pick the source, click Sync now, watch the rows.
#include "app/CredentialStore.h"
#include "app/RunCoordinator.h"
#include "app/SourceService.h"
#include "fakes/FakeStripeServer.h"
#include "gui/MainWindow.h"
#include "gui/ResyncFromDateDialog.h"
#include "gui/RunProgressDelegate.h"
#include "gui/RunProgressModel.h"
#include "sync/Scheduler.h"

#include "core/ScheduleSpec.h"
#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace tributary;
using namespace tributary::test;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsSourcesAndSyncsWithLiveProgress();
    void stopCancelsTheRun();
    void scheduleThroughTheWindow();
    void resyncFromADate();
    void progressBarsWhereTheTotalIsKnown();

private:
    void configure(SourceService &service, FakeStripeServer &fake, const QString &collections);
};

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
}

void TestMainWindow::stopCancelsTheRun()
{
    QTemporaryDir home;
    FakeStripeServer fake;
    QVERIFY(fake.listen());
    fake.populate(QHash<QString, int> {{QStringLiteral("customers"), 900}}, 4);
    fake.setSlow(QStringLiteral("customers"), 200);
    SessionCredentialStore credentials;
    SourceService service(AppPaths(home.path()), credentials);
    configure(service, fake, QStringLiteral("customers"));

    MainWindow window(service);
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

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
