#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QTime>

#include <optional>

namespace tributary {

// When a source syncs: manually only, every N hours, or at given local times of day.
// Text form (the CLI's): "manual", "every 6h", "at 06:00,18:30".
struct ScheduleSpec
{
    enum class Kind { Manual, Every, At };

    Kind kind = Kind::Manual;
    int hours = 0;      // Every: 1, 2, 3, 6, 8, 12 or 24
    QList<QTime> times; // At: sorted, distinct

    static std::optional<ScheduleSpec> parse(const QString &text);
    QString toString() const;
    QJsonObject toJson() const;
    static ScheduleSpec fromJson(const QJsonObject &json);

    // The first run due strictly after `after` (local time for At), given the last run's start
    // (invalid when never run). Manual has none.
    std::optional<QDateTime> nextRun(const QDateTime &lastRun, const QDateTime &after) const;
};

} // namespace tributary
