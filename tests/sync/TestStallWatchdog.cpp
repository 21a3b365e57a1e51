#include "sync/StallWatchdog.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace tributary;

class TestStallWatchdog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firesAfterTheTimeoutWithoutKicks()
    {
        StallWatchdog dog(200);
        QSignalSpy stalled(&dog, &StallWatchdog::stalled);
        QElapsedTimer timer;
        timer.start();
        dog.start();
        QVERIFY(stalled.wait(2000));
        QVERIFY(timer.elapsed() >= 190);
        QVERIFY(stalled.first().first().toLongLong() >= 200);
    }

    void kicksKeepItQuiet()
    {
        StallWatchdog dog(300);
        QSignalSpy stalled(&dog, &StallWatchdog::stalled);
        dog.start();
        QTimer kicker;
        connect(&kicker, &QTimer::timeout, &dog, &StallWatchdog::kick);
        kicker.start(50);
        QTest::qWait(800); // the heartbeat itself is what is under test
        QCOMPARE(stalled.count(), 0);
        kicker.stop();
        QVERIFY(stalled.wait(2000));
    }

    void aKnownWaitExtendsTheAllowance()
    {
        StallWatchdog dog(150);
        QSignalSpy stalled(&dog, &StallWatchdog::stalled);
        dog.start();
        dog.allow(500);
        QTest::qWait(400);
        QCOMPARE(stalled.count(), 0);
        QVERIFY(stalled.wait(2000));
    }

    void stopSilencesIt()
    {
        StallWatchdog dog(100);
        QSignalSpy stalled(&dog, &StallWatchdog::stalled);
        dog.start();
        dog.stop();
        QTest::qWait(300);
        QCOMPARE(stalled.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestStallWatchdog)
#include "TestStallWatchdog.moc"
