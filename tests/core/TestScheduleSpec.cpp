#include "core/ScheduleSpec.h"

#include <QTest>

using namespace tributary;

namespace {

QDateTime utc(const char *iso)
{
    QDateTime t = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
    t.setTimeSpec(Qt::UTC);
    return t;
}

const QTimeZone &berlin()
{
    static const QTimeZone zone("Europe/Berlin");
    return zone;
}

} // namespace

// Berlin in 2026: CET (+1) until 2026-03-29 01:00 UTC (02:00 local jumps to 03:00), CEST (+2) until
// 2026-10-25 01:00 UTC (03:00 local falls back to 02:00).
class TestScheduleSpec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(berlin().isValid(), "the test needs the tz database (tzdata)"); }

    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical"); // empty: invalid
        QTest::newRow("manual") << "manual"
                                << "manual";
        QTest::newRow("every 6h") << "every 6h"
                                  << "every 6h";
        QTest::newRow("every 1h") << "every 1h"
                                  << "every 1h";
        QTest::newRow("every 24h") << "every 24h"
                                   << "every 24h";
        QTest::newRow("every 6 h") << "every 6 h"
                                   << "every 6h";
        QTest::newRow("every 5h") << "every 5h"
                                  << "";
        QTest::newRow("every 0h") << "every 0h"
                                  << "";
        QTest::newRow("every 48h") << "every 48h"
                                   << "";
        QTest::newRow("at one") << "at 06:00"
                                << "at 06:00";
        QTest::newRow("at sorted, distinct") << "at 18:30,06:00,18:30"
                                             << "at 06:00,18:30";
        QTest::newRow("at with spaces") << "at 06:00, 18:30"
                                        << "at 06:00,18:30";
        QTest::newRow("at midnight") << "at 00:00,23:59"
                                     << "at 00:00,23:59";
        QTest::newRow("at 24:00") << "at 24:00"
                                  << "";
        QTest::newRow("at 25:00") << "at 25:00"
                                  << "";
        QTest::newRow("at 6:00") << "at 6:00"
                                 << "";
        QTest::newRow("at nothing") << "at"
                                    << "";
        QTest::newRow("weekdays range") << "at 09:00 on mon-fri"
                                        << "at 09:00 on mon-fri";
        QTest::newRow("weekdays word") << "at 09:00 on weekdays"
                                       << "at 09:00 on mon-fri";
        QTest::newRow("weekends") << "at 10:00 on Sat,Sun"
                                  << "at 10:00 on sat,sun";
        QTest::newRow("long names") << "at 10:00 on monday,wednesday"
                                    << "at 10:00 on mon,wed";
        QTest::newRow("wrapping range") << "at 10:00 on fri-mon"
                                        << "at 10:00 on mon,fri-sun";
        QTest::newRow("all days") << "at 10:00 on mon-sun"
                                  << "at 10:00";
        QTest::newRow("unknown day") << "at 10:00 on funday"
                                     << "";
        QTest::newRow("empty day") << "at 10:00 on mon,,tue"
                                   << "";
        QTest::newRow("days without times") << "on mon"
                                            << "";
        QTest::newRow("nonsense") << "sometimes"
                                  << "";
        QTest::newRow("empty") << ""
                               << "";
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        const auto spec = ScheduleSpec::parse(text);
        QCOMPARE(spec.has_value(), !canonical.isEmpty());
        if (!spec)
            return;
        QCOMPARE(spec->toString(), canonical);
        QCOMPARE(ScheduleSpec::parse(spec->toString())->toString(), canonical); // round trip
    }

    void jsonKeepsSinceAndTheOsOption()
    {
        auto spec = *ScheduleSpec::parse(QStringLiteral("at 06:00 on mon-fri"));
        spec.since = utc("2026-03-01T10:00:00Z");
        spec.keepSyncingWhenClosed = true;
        const ScheduleSpec back = ScheduleSpec::fromJson(spec.toJson());
        QVERIFY(back.sameTimes(spec));
        QCOMPARE(back.since, spec.since);
        QVERIFY(back.keepSyncingWhenClosed);
        QCOMPARE(spec.toJson().value(QStringLiteral("kind")).toString(), QStringLiteral("at"));
        // A configuration from before has only kind and spec.
        const ScheduleSpec old
                = ScheduleSpec::fromJson(QJsonObject {{QStringLiteral("kind"), QStringLiteral("every")},
                                                      {QStringLiteral("spec"), QStringLiteral("every 6h")}});
        QCOMPARE(old.hours, 6);
        QVERIFY(!old.since.isValid());
        QVERIFY(!old.keepSyncingWhenClosed);
    }

    void resolveLocal_data()
    {
        QTest::addColumn<QDate>("date");
        QTest::addColumn<QTime>("time");
        QTest::addColumn<QDateTime>("expected");
        QTest::newRow("winter") << QDate(2026, 1, 15) << QTime(6, 0) << utc("2026-01-15T05:00:00Z");
        QTest::newRow("summer") << QDate(2026, 7, 15) << QTime(6, 0) << utc("2026-07-15T04:00:00Z");
        QTest::newRow("before the gap") << QDate(2026, 3, 29) << QTime(1, 59) << utc("2026-03-29T00:59:00Z");
        // 02:30 does not exist that night: it runs one gap (an hour) later, at 03:30 CEST.
        QTest::newRow("in the gap") << QDate(2026, 3, 29) << QTime(2, 30) << utc("2026-03-29T01:30:00Z");
        QTest::newRow("after the gap") << QDate(2026, 3, 29) << QTime(3, 0) << utc("2026-03-29T01:00:00Z");
        // 02:30 happens twice: the first (CEST) one.
        QTest::newRow("repeated hour") << QDate(2026, 10, 25) << QTime(2, 30) << utc("2026-10-25T00:30:00Z");
        QTest::newRow("after the repeat") << QDate(2026, 10, 25) << QTime(3, 0) << utc("2026-10-25T02:00:00Z");
        QTest::newRow("midnight") << QDate(2026, 3, 29) << QTime(0, 0) << utc("2026-03-28T23:00:00Z");
    }

    void resolveLocal()
    {
        QFETCH(QDate, date);
        QFETCH(QTime, time);
        QFETCH(QDateTime, expected);
        QCOMPARE(ScheduleSpec::resolveLocal(date, time, berlin()).toUTC(), expected);
    }

    void nextRun_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QDateTime>("lastRun");
        QTest::addColumn<QDateTime>("after");
        QTest::addColumn<QDateTime>("expected"); // invalid: none

        // Every N hours is elapsed time: 6 real hours across the spring-forward night (06:30 on the
        // wall clock, not 05:30), 24 real hours across the fall-back night.
        QTest::newRow("every 6h across spring DST") << "every 6h" << utc("2026-03-28T22:30:00Z")
                                                    << utc("2026-03-28T22:31:00Z") << utc("2026-03-29T04:30:00Z");
        QTest::newRow("every 24h across fall DST") << "every 24h" << utc("2026-10-24T10:00:00Z")
                                                   << utc("2026-10-24T10:01:00Z") << utc("2026-10-25T10:00:00Z");
        QTest::newRow("every 1h across midnight") << "every 1h" << utc("2026-06-10T21:30:00Z")
                                                  << utc("2026-06-10T21:45:00Z") << utc("2026-06-10T22:30:00Z");
        QTest::newRow("every 6h never ran: now")
                << "every 6h" << QDateTime() << utc("2026-06-10T12:00:00Z") << utc("2026-06-10T12:00:00Z");
        QTest::newRow("every 6h overdue: now") << "every 6h" << utc("2026-06-01T00:00:00Z")
                                               << utc("2026-06-10T12:00:00Z") << utc("2026-06-10T12:00:00Z");

        // At-times are wall-clock times: 06:00 is 05:00 UTC in winter and 04:00 UTC in summer.
        QTest::newRow("at 06:00 across spring DST") << "at 06:00" << utc("2026-03-28T05:00:00Z")
                                                    << utc("2026-03-28T05:00:00Z") << utc("2026-03-29T04:00:00Z");
        QTest::newRow("at 06:00 across fall DST") << "at 06:00" << utc("2026-10-24T04:00:00Z")
                                                  << utc("2026-10-24T04:00:00Z") << utc("2026-10-25T05:00:00Z");
        QTest::newRow("at 02:30 in the spring gap") << "at 02:30" << utc("2026-03-28T12:00:00Z")
                                                    << utc("2026-03-28T12:00:00Z") << utc("2026-03-29T01:30:00Z");
        QTest::newRow("at 02:30 on the fall night: first occurrence")
                << "at 02:30" << utc("2026-10-24T12:00:00Z") << utc("2026-10-24T12:00:00Z")
                << utc("2026-10-25T00:30:00Z");
        QTest::newRow("at 02:30 on the fall night: not twice")
                << "at 02:30" << utc("2026-10-25T00:30:00Z") << utc("2026-10-25T00:30:00Z")
                << utc("2026-10-26T01:30:00Z");
        QTest::newRow("at 00:00 at midnight") << "at 00:00" << utc("2026-06-10T21:59:00Z")
                                              << utc("2026-06-10T21:59:00Z") << utc("2026-06-10T22:00:00Z");
        QTest::newRow("at 00:00 just after midnight") << "at 00:00" << utc("2026-06-10T22:00:00Z")
                                                      << utc("2026-06-10T22:00:00Z") << utc("2026-06-11T22:00:00Z");
        QTest::newRow("at 23:30,00:15 over midnight") << "at 23:30,00:15" << utc("2026-06-10T21:31:00Z")
                                                      << utc("2026-06-10T21:31:00Z") << utc("2026-06-10T22:15:00Z");
        QTest::newRow("at 06:00,18:00 same day") << "at 06:00,18:00" << utc("2026-06-10T05:00:00Z")
                                                 << utc("2026-06-10T05:00:00Z") << utc("2026-06-10T16:00:00Z");
        // 2026-06-12 is a Friday.
        QTest::newRow("mon-fri over the weekend") << "at 09:00 on mon-fri" << utc("2026-06-12T08:00:00Z")
                                                  << utc("2026-06-12T08:00:00Z") << utc("2026-06-15T07:00:00Z");
        QTest::newRow("mon-fri same day") << "at 09:00 on mon-fri" << utc("2026-06-11T08:00:00Z")
                                          << utc("2026-06-12T06:00:00Z") << utc("2026-06-12T07:00:00Z");
        // 2026-03-29, the spring-forward day, is a Sunday.
        QTest::newRow("sunday across spring DST") << "at 09:00 on sun" << utc("2026-03-22T08:00:00Z")
                                                  << utc("2026-03-28T12:00:00Z") << utc("2026-03-29T07:00:00Z");
        QTest::newRow("at overdue: now") << "at 06:00" << utc("2026-06-01T04:00:00Z") << utc("2026-06-10T12:00:00Z")
                                         << utc("2026-06-10T12:00:00Z");
        QTest::newRow("manual") << "manual" << utc("2026-06-01T04:00:00Z") << utc("2026-06-10T12:00:00Z")
                                << QDateTime();
    }

    void nextRun()
    {
        QFETCH(QString, spec);
        QFETCH(QDateTime, lastRun);
        QFETCH(QDateTime, after);
        QFETCH(QDateTime, expected);
        const auto parsed = ScheduleSpec::parse(spec);
        QVERIFY(parsed);
        const auto next = parsed->nextRun(lastRun, after, berlin());
        QCOMPARE(next.has_value(), expected.isValid());
        if (next)
            QCOMPARE(next->toUTC(), expected);
    }

    // Catch-up: however many slots a 3-day sleep missed, one run is due, at the first missed slot.
    void oneRunDueAfterThreeDaysAsleep_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QDateTime>("firstMissed");
        QTest::newRow("every 1h") << "every 1h" << utc("2026-06-10T13:00:00Z");
        QTest::newRow("at 06:00,18:00") << "at 06:00,18:00" << utc("2026-06-10T16:00:00Z");
        QTest::newRow("at 09:00 on mon-fri") << "at 09:00 on mon-fri" << utc("2026-06-11T07:00:00Z");
    }

    void oneRunDueAfterThreeDaysAsleep()
    {
        QFETCH(QString, spec);
        QFETCH(QDateTime, firstMissed);
        const auto parsed = *ScheduleSpec::parse(spec);
        const QDateTime lastRun = utc("2026-06-10T12:00:00Z");
        const QDateTime wake = lastRun.addDays(3);
        const auto due = parsed.dueAt(lastRun, wake, berlin());
        QVERIFY(due);
        QCOMPARE(due->toUTC(), firstMissed);
        QVERIFY(*due < wake);
        // After that one run (started at wake), the next is in the future again.
        QVERIFY(*parsed.dueAt(wake, wake, berlin()) > wake);
    }

    void aNewAtScheduleWaitsForItsFirstSlot()
    {
        auto spec = *ScheduleSpec::parse(QStringLiteral("at 06:00"));
        spec.since = utc("2026-06-10T10:00:00Z"); // set at noon, last synced a week before
        const auto due = spec.dueAt(utc("2026-06-03T10:00:00Z"), utc("2026-06-10T10:05:00Z"), berlin());
        QCOMPARE(due->toUTC(), utc("2026-06-11T04:00:00Z"));
        // Never synced, schedule set while the app was closed for two days: one catch-up run due.
        const auto missed = spec.dueAt(QDateTime(), utc("2026-06-12T10:00:00Z"), berlin());
        QCOMPARE(missed->toUTC(), utc("2026-06-11T04:00:00Z"));
    }
};

QTEST_GUILESS_MAIN(TestScheduleSpec)
#include "TestScheduleSpec.moc"
