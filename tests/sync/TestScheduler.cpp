#include "sync/Scheduler.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace tributary;

namespace {

// The clocks, moved by hand: advance() moves both (time passes while awake); sleep() moves only
// the wall clock (the monotonic clock stands still in suspend); setWall() changes the wall clock.
class FakeClock final : public Scheduler::Clock
{
public:
    QDateTime now() const override { return m_wall; }
    qint64 monotonicMs() const override { return m_monotonic; }
    QTimeZone timeZone() const override { return QTimeZone("Europe/Berlin"); }

    void advance(qint64 ms)
    {
        m_wall = m_wall.addMSecs(ms);
        m_monotonic += ms;
    }
    void sleep(qint64 ms) { m_wall = m_wall.addMSecs(ms); }
    void setWall(const QDateTime &wall) { m_wall = wall; }

private:
    QDateTime m_wall = QDateTime(QDate(2026, 6, 10), QTime(12, 0), Qt::UTC);
    qint64 m_monotonic = 1000000;
};

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;

ScheduleSpec spec(const char *text)
{
    return *ScheduleSpec::parse(QString::fromLatin1(text));
}

// Records the launcher's calls; answers with `result`.
struct Launches
{
    QStringList sources;
    QList<Scheduler::Trigger> triggers;
    Scheduler::StartResult result = Scheduler::StartResult::Started;

    Scheduler::Launcher launcher()
    {
        return [this](const QString &source, Scheduler::Trigger trigger, QString *error) {
            sources.append(source);
            triggers.append(trigger);
            if (result == Scheduler::StartResult::Failed)
                *error = QStringLiteral("no credentials");
            return result;
        };
    }
};

} // namespace

class TestScheduler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dueRunStartsOnTime()
    {
        auto clock = std::make_shared<FakeClock>();
        Scheduler scheduler(clock);
        Launches launches;
        scheduler.setLauncher(launches.launcher());
        scheduler.setSource(QStringLiteral("stripe"), spec("every 1h"), clock->now().addSecs(-59 * 60));
        scheduler.start();
        QVERIFY(launches.sources.isEmpty());
        QCOMPARE(scheduler.nextRun(QStringLiteral("stripe"))->toUTC(), clock->now().addSecs(60));
        clock->advance(kMinute);
        scheduler.check();
        QCOMPARE(launches.sources, QStringList {QStringLiteral("stripe")});
        QCOMPARE(launches.triggers.first(), Scheduler::Trigger::OnTime);
        QVERIFY(scheduler.isRunning(QStringLiteral("stripe")));
    }

    // With the real clocks: the timer wakes for the due time itself, not at the next poll.
    void theTimerFiresAtTheDueTime()
    {
        Scheduler scheduler;
        Launches launches;
        scheduler.setLauncher(launches.launcher());
        QSignalSpy started(&scheduler, &Scheduler::runStarted);
        QElapsedTimer elapsed;
        elapsed.start();
        scheduler.setSource(QStringLiteral("stripe"), spec("every 1h"),
                            QDateTime::currentDateTimeUtc().addMSecs(-kHour + 300));
        scheduler.start();
        QCOMPARE(started.count(), 0);
        QVERIFY(started.wait(5000));
        QVERIFY2(elapsed.elapsed() >= 250, qPrintable(QString::number(elapsed.elapsed())));
        QVERIFY2(elapsed.elapsed() < 3000, qPrintable(QString::number(elapsed.elapsed())));
    }

    void catchUpAfterThreeDaysAsleepIsOneRunPerSource()
    {
        auto clock = std::make_shared<FakeClock>();
        Scheduler scheduler(clock);
        Launches launches;
        scheduler.setLauncher(launches.launcher());
        QSignalSpy jumped(&scheduler, &Scheduler::clockJumped);
        QSignalSpy due(&scheduler, &Scheduler::runDue);
        scheduler.setSource(QStringLiteral("hourly"), spec("every 1h"), clock->now());
        scheduler.setSource(QStringLiteral("twice-a-day"), spec("at 06:00,18:00"), clock->now());
        scheduler.setSource(QStringLiteral("by-hand"), spec("manual"), clock->now());
        scheduler.start();
        QVERIFY(launches.sources.isEmpty());

        clock->advance(kMinute);
        scheduler.check();
        clock->sleep(3 * kDay); // 72 hourly slots and 6 twice-daily slots missed
        scheduler.check();

        QCOMPARE(jumped.count(), 1);
        QVERIFY(jumped.first().first().toLongLong() >= 3 * kDay - kMinute);
        QCOMPARE(due.count(), 2);
        QStringList started = launches.sources;
        started.sort();
        QCOMPARE(started, (QStringList {QStringLiteral("hourly"), QStringLiteral("twice-a-day")}));
        QCOMPARE(launches.triggers,
                 (QList<Scheduler::Trigger> {Scheduler::Trigger::CatchUp, Scheduler::Trigger::CatchUp}));

        // Nothing more while they run, nor right after they end.
        clock->advance(kMinute);
        scheduler.check();
        QCOMPARE(launches.sources.size(), 2);
        scheduler.runEnded(QStringLiteral("hourly"), Scheduler::Outcome::Succeeded);
        scheduler.runEnded(QStringLiteral("twice-a-day"), Scheduler::Outcome::Succeeded);
        QCOMPARE(launches.sources.size(), 2);
        QCOMPARE(scheduler.nextRun(QStringLiteral("hourly"))->toUTC(), clock->now().addSecs(3600 - 60));
    }

    void noOverlapWhenARunOutlastsItsInterval()
    {
        auto clock = std::make_shared<FakeClock>();
        Scheduler scheduler(clock);
        Launches launches;
        scheduler.setLauncher(launches.launcher());
        QSignalSpy finished(&scheduler, &Scheduler::runFinished);
        scheduler.setSource(QStringLiteral("stripe"), spec("every 1h"), QDateTime());
        scheduler.start(); // never ran: due at once
        QCOMPARE(launches.sources.size(), 1);

        for (int i = 0; i < 15; ++i) { // 2.5 hours of a slow run, checked every 10 minutes
            clock->advance(10 * kMinute);
            scheduler.check();
        }
        QCOMPARE(launches.sources.size(), 1);
        QVERIFY(scheduler.queue().isEmpty());
        QVERIFY(!scheduler.requestRun(QStringLiteral("stripe"))); // not even by hand

        // It ends: the missed slots make one run, at once.
        scheduler.runEnded(QStringLiteral("stripe"), Scheduler::Outcome::Partial,
                           QStringLiteral("1 collection failed"));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(1).value<Scheduler::Outcome>(), Scheduler::Outcome::Partial);
        QCOMPARE(launches.sources.size(), 2);
        QCOMPARE(launches.triggers.last(), Scheduler::Trigger::CatchUp);
        scheduler.check();
        QCOMPARE(launches.sources.size(), 2);
    }

    void theConcurrencyLimitQueuesInOrder()
    {
        auto clock = std::make_shared<FakeClock>();
        Scheduler scheduler(clock);
        QCOMPARE(scheduler.maxConcurrent(), 2);
        Launches launches;
        scheduler.setLauncher(launches.launcher());
        QSignalSpy queueChanged(&scheduler, &Scheduler::queueChanged);
        // Due 4, 3, 2 and 1 minutes ago: d first, a last (names are not the order).
        const QDateTime now = clock->now();
        scheduler.setSource(QStringLiteral("a"), spec("every 1h"), now.addSecs(-3600 - 60));
        scheduler.setSource(QStringLiteral("b"), spec("every 1h"), now.addSecs(-3600 - 120));
        scheduler.setSource(QStringLiteral("c"), spec("every 1h"), now.addSecs(-3600 - 180));
        scheduler.setSource(QStringLiteral("d"), spec("every 1h"), now.addSecs(-3600 - 240));
        scheduler.start();

        QCOMPARE(launches.sources, (QStringList {QStringLiteral("d"), QStringLiteral("c")}));
        QCOMPARE(scheduler.queue(), (QStringList {QStringLiteral("b"), QStringLiteral("a")}));
        QCOMPARE(scheduler.running(), (QStringList {QStringLiteral("c"), QStringLiteral("d")}));
        QVERIFY(!queueChanged.isEmpty());
        QCOMPARE(queueChanged.last().at(0).toStringList(), (QStringList {QStringLiteral("b"), QStringLiteral("a")}));

        // A manual request joins the end of the queue.
        scheduler.setSource(QStringLiteral("e"), spec("manual"));
        QVERIFY(scheduler.requestRun(QStringLiteral("e")));
        QCOMPARE(scheduler.queue().last(), QStringLiteral("e"));

        scheduler.runEnded(QStringLiteral("c"), Scheduler::Outcome::Succeeded);
        QCOMPARE(launches.sources.last(), QStringLiteral("b"));
        QCOMPARE(scheduler.queue(), (QStringList {QStringLiteral("a"), QStringLiteral("e")}));
        scheduler.runEnded(QStringLiteral("d"), Scheduler::Outcome::Succeeded);
        scheduler.runEnded(QStringLiteral("b"), Scheduler::Outcome::Succeeded);
        QCOMPARE(launches.sources,
                 (QStringList {QStringLiteral("d"), QStringLiteral("c"), QStringLiteral("b"), QStringLiteral("a"),
                               QStringLiteral("e")}));
        QCOMPARE(launches.triggers.last(), Scheduler::Trigger::Manual);
        QVERIFY(scheduler.queue().isEmpty());
        QCOMPARE(scheduler.running().size(), 2);

        // A higher limit starts what waits at once.
        scheduler.runEnded(QStringLiteral("a"), Scheduler::Outcome::Succeeded);
        scheduler.runEnded(QStringLiteral("e"), Scheduler::Outcome::Succeeded);
        scheduler.setMaxConcurrent(1);
        clock->advance(kHour);
        scheduler.check();
        QCOMPARE(scheduler.running().size(), 1);
        QCOMPARE(scheduler.queue().size(), 3);
        scheduler.setMaxConcurrent(3);
        QCOMPARE(scheduler.running().size(), 3);
        QCOMPARE(scheduler.queue().size(), 1);
    }

    void aRunElsewhereStandsForTheSlot()
    {
        auto clock = std::make_shared<FakeClock>();
        Scheduler scheduler(clock);
        Launches launches;
        launches.result = Scheduler::StartResult::AlreadyRunning; // the CLI or an OS timer has it
        scheduler.setLauncher(launches.launcher());
        QSignalSpy finished(&scheduler, &Scheduler::runFinished);
        scheduler.setSource(QStringLiteral("stripe"), spec("every 6h"), clock->now().addSecs(-7 * 3600));
        scheduler.start();
        QCOMPARE(launches.sources.size(), 1);
        QCOMPARE(finished.count(), 0); // nothing to tell the user
        clock->advance(kHour);
        scheduler.check();
        QCOMPARE(launches.sources.size(), 1);
        clock->advance(5 * kHour);
        scheduler.check();
        QCOMPARE(launches.sources.size(), 2);
    }

    void aRunThatCannotStartIsReported()
    {
        auto clock = std::make_shared<FakeClock>();
        Scheduler scheduler(clock);
        Launches launches;
        launches.result = Scheduler::StartResult::Failed;
        scheduler.setLauncher(launches.launcher());
        QSignalSpy finished(&scheduler, &Scheduler::runFinished);
        scheduler.setSource(QStringLiteral("stripe"), spec("every 1h"));
        scheduler.start();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(1).value<Scheduler::Outcome>(), Scheduler::Outcome::Failed);
        QCOMPARE(finished.first().at(2).toString(), QStringLiteral("no credentials"));
        QVERIFY(scheduler.running().isEmpty());
        scheduler.check(); // not retried at once: at the next slot
        QCOMPARE(launches.sources.size(), 1);
    }

    void aClockSetBackDoesNotPostponeRuns()
    {
        auto clock = std::make_shared<FakeClock>();
        Scheduler scheduler(clock);
        Launches launches;
        scheduler.setLauncher(launches.launcher());
        QSignalSpy jumped(&scheduler, &Scheduler::clockJumped);
        scheduler.setSource(QStringLiteral("stripe"), spec("every 1h"), clock->now());
        scheduler.start();
        clock->setWall(clock->now().addDays(-1));
        scheduler.check();
        QCOMPARE(jumped.count(), 1);
        QVERIFY(jumped.first().first().toLongLong() < 0);
        QCOMPARE(scheduler.nextRun(QStringLiteral("stripe"))->toUTC(), clock->now().addSecs(3600));
        clock->advance(kHour);
        scheduler.check();
        QCOMPARE(launches.sources.size(), 1);
    }

    void atTimesFollowTheWallClockAcrossDst()
    {
        auto clock = std::make_shared<FakeClock>();
        clock->setWall(QDateTime(QDate(2026, 3, 28), QTime(12, 0), Qt::UTC));
        Scheduler scheduler(clock);
        Launches launches;
        scheduler.setLauncher(launches.launcher());
        scheduler.setSource(QStringLiteral("stripe"), spec("at 06:00"), clock->now());
        scheduler.start();
        // 06:00 CEST on the spring-forward Sunday is 04:00 UTC.
        QCOMPARE(scheduler.nextRun(QStringLiteral("stripe"))->toUTC(),
                 QDateTime(QDate(2026, 3, 29), QTime(4, 0), Qt::UTC));
        clock->advance(16 * kHour - kMinute);
        scheduler.check();
        QVERIFY(launches.sources.isEmpty());
        clock->advance(kMinute);
        scheduler.check();
        QCOMPARE(launches.sources.size(), 1);
        QCOMPARE(launches.triggers.first(), Scheduler::Trigger::OnTime);
    }

    void removingASourceDropsItFromTheQueue()
    {
        auto clock = std::make_shared<FakeClock>();
        Scheduler scheduler(clock);
        scheduler.setMaxConcurrent(1);
        Launches launches;
        scheduler.setLauncher(launches.launcher());
        scheduler.setSource(QStringLiteral("a"), spec("every 1h"), clock->now().addSecs(-7200));
        scheduler.setSource(QStringLiteral("b"), spec("every 1h"), clock->now().addSecs(-3600));
        scheduler.start();
        QCOMPARE(scheduler.queue(), QStringList {QStringLiteral("b")});
        scheduler.removeSource(QStringLiteral("b"));
        QVERIFY(scheduler.queue().isEmpty());
        scheduler.runEnded(QStringLiteral("a"), Scheduler::Outcome::Succeeded);
        QCOMPARE(launches.sources, QStringList {QStringLiteral("a")});
    }
};

QTEST_GUILESS_MAIN(TestScheduler)
#include "TestScheduler.moc"
