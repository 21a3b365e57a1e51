#include "app/AppPaths.h"
#include "app/HistoryStore.h"
#include "e2e/CliProcess.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace tributary;
using tributary::test::CliProcess;

namespace {

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

} // namespace

// `tributary schedule` and `tributary sources` through the real binary, with a private home, TZ=UTC
// and a private XDG_CONFIG_HOME for the OS schedule (no real systemctl is called).
class TestScheduleCli : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<CliProcess> m_cli;

    QString home() const { return m_dir->filePath(QStringLiteral("home")); }
    QString unitDir() const { return m_dir->filePath(QStringLiteral("config/systemd/user")); }

    void addRun(const QDateTime &startedAt)
    {
        RunSummary run;
        run.runId = QStringLiteral("test-run");
        run.source = QStringLiteral("shop");
        run.status = RunSummary::Status::Succeeded;
        run.startedAt = startedAt;
        run.finishedAt = startedAt.addSecs(30);
        CollectionSummary customers;
        customers.name = QStringLiteral("customers");
        customers.table = QStringLiteral("stripe_customers");
        customers.status = CollectionSummary::Status::Succeeded;
        run.collections.append(customers);
        QVERIFY(HistoryStore(AppPaths(home()).historyFile(QStringLiteral("shop"))).append(run));
    }

    QJsonObject sourceJson()
    {
        const auto listed = m_cli->run({QStringLiteral("sources"), QStringLiteral("--json")});
        return QJsonDocument::fromJson(listed.out).array().first().toObject();
    }

    QStringList timerFiles() const
    {
        return QDir(unitDir()).entryList({QStringLiteral("tributary-sync-shop-*")}, QDir::Files);
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_cli = std::make_unique<CliProcess>(home());
        m_cli->setEnv(QStringLiteral("TZ"), QStringLiteral("UTC"));
        m_cli->setEnv(QStringLiteral("XDG_CONFIG_HOME"), m_dir->filePath(QStringLiteral("config")));
        m_cli->setEnv(QStringLiteral("TRIBUTARY_OS_SCHEDULER_TOOL"), QString()); // none: as without systemd
        const auto added = m_cli->run({QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("stripe"),
                                       QStringLiteral("--name"), QStringLiteral("shop"), QStringLiteral("--set"),
                                       QStringLiteral("api_key=env:TRIBUTARY_TEST_STRIPE_KEY")});
        QVERIFY2(added.exitCode == 0, added.err.constData());
    }

    void everySixHoursShowsTheNextRun()
    {
        auto set = m_cli->run(
                {QStringLiteral("schedule"), QStringLiteral("shop"), QStringLiteral("every"), QStringLiteral("6h")});
        QVERIFY2(set.exitCode == 0, set.err.constData());
        QVERIFY(text(set.out).startsWith(QStringLiteral("shop: every 6h\n")));
        QVERIFY2(text(set.out).contains(QStringLiteral("Next run: due now")), set.out.constData()); // never synced
        QVERIFY(timerFiles().isEmpty()); // no OS schedule unless asked for

        auto listed = m_cli->run({QStringLiteral("sources")});
        QCOMPARE(listed.exitCode, 0);
        QVERIFY2(text(listed.out).contains(QStringLiteral("NEXT RUN")), listed.out.constData());
        QVERIFY2(text(listed.out).contains(QStringLiteral("due now")), listed.out.constData());

        // Synced an hour ago: the next run is six hours after that run's start.
        const QDateTime started
                = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch() / 60 * 60 - 3600, Qt::UTC);
        addRun(started);
        const QDateTime next = started.addSecs(6 * 3600);
        listed = m_cli->run({QStringLiteral("sources")});
        QCOMPARE(listed.exitCode, 0);
        const QString line = text(listed.out).split(QLatin1Char('\n')).filter(QStringLiteral("shop")).value(0);
        QVERIFY2(line.contains(next.toString(QStringLiteral("yyyy-MM-dd HH:mm"))), qPrintable(text(listed.out)));
        QVERIFY2(line.contains(QStringLiteral("healthy")), qPrintable(line));

        const QJsonObject json = sourceJson();
        QCOMPARE(json.value(QStringLiteral("schedule")).toString(), QStringLiteral("every 6h"));
        QCOMPARE(json.value(QStringLiteral("next_run")).toString(), next.toString(Qt::ISODate));
        QCOMPARE(json.value(QStringLiteral("keep_syncing_when_closed")).toBool(), false);
        QVERIFY(json.value(QStringLiteral("retention_warning")).isNull());

        // Times of day, on weekdays (an extension of the contract's form).
        set = m_cli->run({QStringLiteral("schedule"), QStringLiteral("shop"), QStringLiteral("at"),
                          QStringLiteral("06:00,18:00"), QStringLiteral("on"), QStringLiteral("mon-fri")});
        QVERIFY2(set.exitCode == 0, set.err.constData());
        QVERIFY(text(set.out).startsWith(QStringLiteral("shop: at 06:00,18:00 on mon-fri\n")));
        const QDateTime at
                = QDateTime::fromString(sourceJson().value(QStringLiteral("next_run")).toString(), Qt::ISODate);
        QVERIFY(at > QDateTime::currentDateTimeUtc());
        QVERIFY(at.toUTC().time() == QTime(6, 0) || at.toUTC().time() == QTime(18, 0));
        QVERIFY(at.toUTC().date().dayOfWeek() <= 5);
    }

    void invalidSchedulesExitTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("every 5h") << QStringList {QStringLiteral("shop"), QStringLiteral("every"),
                                                  QStringLiteral("5h")};
        QTest::newRow("at 25:00") << QStringList {QStringLiteral("shop"), QStringLiteral("at"),
                                                  QStringLiteral("25:00")};
        QTest::newRow("bad day") << QStringList {QStringLiteral("shop"), QStringLiteral("at"), QStringLiteral("06:00"),
                                                 QStringLiteral("on"), QStringLiteral("someday")};
        QTest::newRow("no spec") << QStringList {QStringLiteral("shop")};
        QTest::newRow("unknown source") << QStringList {QStringLiteral("nosuch"), QStringLiteral("every"),
                                                        QStringLiteral("6h")};
        QTest::newRow("both flags") << QStringList {QStringLiteral("shop"), QStringLiteral("every"),
                                                    QStringLiteral("6h"), QStringLiteral("--keep-syncing-when-closed"),
                                                    QStringLiteral("--no-keep-syncing-when-closed")};
        QTest::newRow("manual kept running") << QStringList {QStringLiteral("shop"), QStringLiteral("manual"),
                                                             QStringLiteral("--keep-syncing-when-closed")};
    }

    void invalidSchedulesExitTwo()
    {
        QFETCH(QStringList, arguments);
        const auto set = m_cli->run(QStringList {QStringLiteral("schedule")} + arguments);
        QCOMPARE(set.exitCode, 2);
        QVERIFY(text(set.err).startsWith(QStringLiteral("error: ")));
        QCOMPARE(sourceJson().value(QStringLiteral("schedule")).toString(), QStringLiteral("manual"));
    }

    void keepSyncingWhenClosedInstallsTheTimer()
    {
        auto set = m_cli->run({QStringLiteral("schedule"), QStringLiteral("shop"), QStringLiteral("every"),
                               QStringLiteral("6h"), QStringLiteral("--keep-syncing-when-closed")});
        QVERIFY2(set.exitCode == 0, set.err.constData());
        // No systemctl here: said clearly, and the timer is linked for the next login.
        QVERIFY2(text(set.err).contains(QStringLiteral("systemctl is not available")), set.err.constData());
        QVERIFY2(text(set.out).contains(QStringLiteral("Keeps syncing when Tributary is closed")), set.out.constData());
        QStringList files = timerFiles();
        QCOMPARE(files.size(), 2);
        const QString timer = unitDir() + QLatin1Char('/') + files.filter(QStringLiteral(".timer")).first();
        QVERIFY(QFileInfo(unitDir() + QStringLiteral("/timers.target.wants/") + QFileInfo(timer).fileName())
                        .isSymLink());
        QFile f(timer);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString unit = QString::fromUtf8(f.readAll());
        f.close();
        QVERIFY(unit.contains(QStringLiteral("OnCalendar=*-*-* 00/6:00:00")));
        QVERIFY(unit.contains(QStringLiteral("Persistent=true")));
        QVERIFY(sourceJson().value(QStringLiteral("keep_syncing_when_closed")).toBool());

        // A new time keeps the choice and rewrites the timer.
        set = m_cli->run(
                {QStringLiteral("schedule"), QStringLiteral("shop"), QStringLiteral("at"), QStringLiteral("07:30")});
        QCOMPARE(set.exitCode, 0);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(f.readAll()).contains(QStringLiteral("OnCalendar=*-*-* 07:30:00")));
        f.close();

        // Manual removes it.
        set = m_cli->run({QStringLiteral("schedule"), QStringLiteral("shop"), QStringLiteral("manual")});
        QCOMPARE(set.exitCode, 0);
        QVERIFY(timerFiles().isEmpty());
        QVERIFY(!sourceJson().value(QStringLiteral("keep_syncing_when_closed")).toBool());

        // So does removing the source.
        set = m_cli->run({QStringLiteral("schedule"), QStringLiteral("shop"), QStringLiteral("every"),
                          QStringLiteral("1h"), QStringLiteral("--keep-syncing-when-closed")});
        QCOMPARE(set.exitCode, 0);
        QCOMPARE(timerFiles().size(), 2);
        const auto removed = m_cli->run({QStringLiteral("source"), QStringLiteral("remove"), QStringLiteral("shop")});
        QVERIFY2(removed.exitCode == 0, removed.err.constData());
        QVERIFY(timerFiles().isEmpty());
        QVERIFY(QDir(unitDir() + QStringLiteral("/timers.target.wants")).isEmpty());
    }

    void aLapsingChangeWindowIsAWarning()
    {
        addRun(QDateTime::currentDateTimeUtc().addDays(-27));
        const auto listed = m_cli->run({QStringLiteral("sources")});
        QCOMPARE(listed.exitCode, 0);
        QVERIFY2(text(listed.out).contains(QStringLiteral("healthy - warning: Stripe keeps changes for 30 days")),
                 listed.out.constData());
        QVERIFY(text(listed.out).contains(QStringLiteral("sync within 3 days")));
        QVERIFY(!sourceJson().value(QStringLiteral("retention_warning")).isNull());
    }
};

QTEST_GUILESS_MAIN(TestScheduleCli)
#include "TestScheduleCli.moc"
