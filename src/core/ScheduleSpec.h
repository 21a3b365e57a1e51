#pragma once

#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QTime>
#include <QTimeZone>

#include <optional>

namespace tributary {

// When a source syncs: manually only, every N hours, or at given local times of day, optionally on
// chosen weekdays. Text form (the CLI's): "manual", "every 6h", "at 06:00,18:30",
// "at 06:00 on mon-fri", "at 07:30 on mon,wed,sat".
//
// Every N hours counts elapsed time from the start of the last run, so a DST change neither
// shortens nor lengthens it. At-times are wall-clock times in the given zone: a time that a DST
// change skips (02:30 on a spring-forward night) runs when the clocks have moved on, one gap later
// (03:30); a time that happens twice (02:30 on a fall-back night) runs once, at its first
// occurrence. However many slots were missed (sleep, a closed app), one run is due: dueAt() is a
// single time that may lie in the past.
struct ScheduleSpec
{
    enum class Kind { Manual, Every, At };

    Kind kind = Kind::Manual;
    int hours = 0;       // Every: 1, 2, 3, 6, 8, 12 or 24
    QList<QTime> times;  // At: sorted, distinct
    QList<int> weekdays; // At: 1 (Monday) .. 7 (Sunday), sorted, distinct; empty: every day
    // When this schedule took effect (UTC): an At schedule counts its slots from the later of this
    // and the last run, so a new schedule does not run at once for slots before it existed.
    QDateTime since;
    bool keepSyncingWhenClosed = false; // an OS schedule runs the CLI while the app is closed

    static const QList<int> &allowedHours();
    static std::optional<ScheduleSpec> parse(const QString &text);
    QString toString() const;
    QJsonObject toJson() const;
    static ScheduleSpec fromJson(const QJsonObject &json);
    bool sameTimes(const ScheduleSpec &other) const; // kind, hours, times, weekdays

    bool runsOn(const QDate &date) const;
    // The first slot strictly after `after`: At, the next listed time on an allowed day in `zone`;
    // Every, `after` plus the interval. Manual has none.
    std::optional<QDateTime> slotAfter(const QDateTime &after, const QTimeZone &zone) const;
    // When the next run is due, given the last run's start (invalid when never run), seen at `now`.
    // May lie in the past: the run is due at once, one run however many slots were missed. A source
    // that never ran on an Every schedule is due at once; on an At schedule, at its first slot
    // after `since` (or after `now` when `since` is unknown).
    std::optional<QDateTime> dueAt(const QDateTime &lastRun, const QDateTime &now,
                                   const QTimeZone &zone = QTimeZone::systemTimeZone()) const;
    // The next run as seen at `after`: dueAt(), but never before `after` (an overdue run is due now).
    std::optional<QDateTime> nextRun(const QDateTime &lastRun, const QDateTime &after,
                                     const QTimeZone &zone = QTimeZone::systemTimeZone()) const;

    // The instant of a wall-clock time in `zone`, with the DST rules above.
    static QDateTime resolveLocal(const QDate &date, const QTime &time, const QTimeZone &zone);
    static QString weekdayName(int day); // "mon".."sun"
};

} // namespace tributary
