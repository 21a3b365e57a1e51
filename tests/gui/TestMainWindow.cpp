// The seed window, driven as a user would: pick the source, click Sync now, watch the rows.
#include "app/CredentialStore.h"
#include "app/RunCoordinator.h"
#include "app/SourceService.h"
#include "fakes/FakeStripeServer.h"
#include "gui/MainWindow.h"
#include "gui/RunProgressModel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QLabel>
#include <QPushButton>
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

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
