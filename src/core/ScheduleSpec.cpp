#include "ScheduleSpec.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>

namespace tributary {

namespace {

const QStringList &dayNames()
{
    static const QStringList names {QStringLiteral("mon"), QStringLiteral("tue"), QStringLiteral("wed"),
                                    QStringLiteral("thu"), QStringLiteral("fri"), QStringLiteral("sat"),
                                    QStringLiteral("sun")};
    return names;
}

int dayNumber(const QString &name)
{
    return int(dayNames().indexOf(name.left(3))) + 1; // 0 when unknown
}

// "mon-fri", "sat,sun", "weekdays", "mon,wed-fri": days 1..7, sorted; empty optional when invalid.
std::optional<QList<int>> parseDays(const QString &text)
{
    QList<int> days;
    for (const QString &raw : text.split(QLatin1Char(','))) {
        const QString part = raw.trimmed();
        if (part == QLatin1String("weekdays")) {
            days << 1 << 2 << 3 << 4 << 5;
            continue;
        }
        if (part == QLatin1String("weekends")) {
            days << 6 << 7;
            continue;
        }
        if (part == QLatin1String("daily") || part == QLatin1String("every day")) {
            days << 1 << 2 << 3 << 4 << 5 << 6 << 7;
            continue;
        }
        const QStringList range = part.split(QLatin1Char('-'));
        if (range.size() > 2)
            return std::nullopt;
        const int from = dayNumber(range.first().trimmed());
        const int to = dayNumber(range.last().trimmed());
        static const QRegularExpression word(QStringLiteral("^(mon|tue|wed|thu|fri|sat|sun)[a-z]*$"));
        if (!from || !to || !word.match(range.first().trimmed()).hasMatch()
            || !word.match(range.last().trimmed()).hasMatch())
            return std::nullopt;
        for (int d = from;; d = d % 7 + 1) { // ranges may wrap: fri-mon
            days.append(d);
            if (d == to)
                break;
        }
    }
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    if (days.size() == 7)
        days.clear(); // every day
    return days;
}

QString daysToString(const QList<int> &days)
{
    QStringList parts;
    for (qsizetype i = 0; i < days.size();) {
        qsizetype j = i;
        while (j + 1 < days.size() && days.at(j + 1) == days.at(j) + 1)
            ++j;
        if (j - i >= 2) {
            parts.append(ScheduleSpec::weekdayName(days.at(i)) + QLatin1Char('-')
                         + ScheduleSpec::weekdayName(days.at(j)));
        } else {
            for (qsizetype k = i; k <= j; ++k)
                parts.append(ScheduleSpec::weekdayName(days.at(k)));
        }
        i = j + 1;
    }
    return parts.join(QLatin1Char(','));
}

} // namespace

const QList<int> &ScheduleSpec::allowedHours()
{
    static const QList<int> allowed {1, 2, 3, 6, 8, 12, 24};
    return allowed;
}

QString ScheduleSpec::weekdayName(int day)
{
    return day >= 1 && day <= 7 ? dayNames().at(day - 1) : QString();
}

std::optional<ScheduleSpec> ScheduleSpec::parse(const QString &text)
{
    const QString t = text.simplified().toLower();
    ScheduleSpec spec;
    if (t == QLatin1String("manual"))
        return spec;
    static const QRegularExpression every(QStringLiteral("^every (\\d+) ?h$"));
    if (const auto m = every.match(t); m.hasMatch()) {
        const int hours = m.captured(1).toInt();
        if (!allowedHours().contains(hours))
            return std::nullopt;
        spec.kind = Kind::Every;
        spec.hours = hours;
        return spec;
    }
    static const QRegularExpression at(
            QStringLiteral("^at (\\d{2}:\\d{2}(?: ?, ?\\d{2}:\\d{2})*)(?: on ([a-z, -]+))?$"));
    if (const auto m = at.match(t); m.hasMatch()) {
        spec.kind = Kind::At;
        for (const QString &part : m.captured(1).split(QLatin1Char(','))) {
            const QTime time = QTime::fromString(part.trimmed(), QStringLiteral("HH:mm"));
            if (!time.isValid())
                return std::nullopt;
            if (!spec.times.contains(time))
                spec.times.append(time);
        }
        std::sort(spec.times.begin(), spec.times.end());
        if (m.hasCaptured(2)) {
            const auto days = parseDays(m.captured(2));
            if (!days)
                return std::nullopt;
            spec.weekdays = *days;
        }
        return spec;
    }
    return std::nullopt;
}

QString ScheduleSpec::toString() const
{
    switch (kind) {
    case Kind::Manual:
        return QStringLiteral("manual");
    case Kind::Every:
        return QStringLiteral("every %1h").arg(hours);
    case Kind::At: {
        QStringList parts;
        for (const QTime &t : times)
            parts.append(t.toString(QStringLiteral("HH:mm")));
        QString text = QStringLiteral("at ") + parts.join(QLatin1Char(','));
        if (!weekdays.isEmpty())
            text += QStringLiteral(" on ") + daysToString(weekdays);
        return text;
    }
    }
    return QStringLiteral("manual");
}

QJsonObject ScheduleSpec::toJson() const
{
    QJsonObject json {{QStringLiteral("kind"),
                       kind == Kind::Manual ? QStringLiteral("manual")
                                            : (kind == Kind::Every ? QStringLiteral("every") : QStringLiteral("at"))},
                      {QStringLiteral("spec"), toString()}};
    if (since.isValid())
        json.insert(QStringLiteral("since"), since.toUTC().toString(Qt::ISODate));
    if (keepSyncingWhenClosed)
        json.insert(QStringLiteral("keep_syncing_when_closed"), true);
    return json;
}

ScheduleSpec ScheduleSpec::fromJson(const QJsonObject &json)
{
    ScheduleSpec spec = parse(json.value(QStringLiteral("spec")).toString()).value_or(ScheduleSpec {});
    spec.since = QDateTime::fromString(json.value(QStringLiteral("since")).toString(), Qt::ISODate);
    spec.keepSyncingWhenClosed = json.value(QStringLiteral("keep_syncing_when_closed")).toBool();
    return spec;
}

bool ScheduleSpec::sameTimes(const ScheduleSpec &other) const
{
    return kind == other.kind && hours == other.hours && times == other.times && weekdays == other.weekdays;
}

bool ScheduleSpec::runsOn(const QDate &date) const
{
    return weekdays.isEmpty() || weekdays.contains(date.dayOfWeek());
}

QDateTime ScheduleSpec::resolveLocal(const QDate &date, const QTime &time, const QTimeZone &zone)
{
    if (!zone.isValid())
        return QDateTime(date, time, Qt::LocalTime);
    // The wall time read as if it were UTC; the zone's offsets a day either side bound the ones
    // that can apply (zones change their offset at most once a day).
    const qint64 wall = QDateTime(date, time, Qt::UTC).toMSecsSinceEpoch();
    const qint64 day = 86400 * 1000LL;
    const int before = zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(wall - day, Qt::UTC));
    const int after = zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(wall + day, Qt::UTC));
    std::optional<qint64> best;
    for (const int offset : {before, after}) {
        const qint64 instant = wall - qint64(offset) * 1000;
        if (zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(instant, Qt::UTC)) == offset
            && (!best || instant < *best))
            best = instant; // the first occurrence of a repeated time
    }
    // In a gap: read with the offset from before it, which lands one gap later.
    const qint64 instant = best.value_or(wall - qint64(before) * 1000);
    return QDateTime::fromMSecsSinceEpoch(instant, zone);
}

std::optional<QDateTime> ScheduleSpec::slotAfter(const QDateTime &after, const QTimeZone &zone) const
{
    switch (kind) {
    case Kind::Manual:
        return std::nullopt;
    case Kind::Every:
        return after.addSecs(qint64(hours) * 3600);
    case Kind::At: {
        if (times.isEmpty())
            return std::nullopt;
        const QDate start = (zone.isValid() ? after.toTimeZone(zone) : after.toLocalTime()).date();
        // From the day before (a slot late at night may resolve past midnight) to a week ahead.
        for (int d = -1; d <= 8; ++d) {
            const QDate date = start.addDays(d);
            if (!runsOn(date))
                continue;
            std::optional<QDateTime> best;
            for (const QTime &t : times) {
                const QDateTime candidate = resolveLocal(date, t, zone);
                if (candidate > after && (!best || candidate < *best))
                    best = candidate;
            }
            if (best)
                return best;
        }
        return std::nullopt;
    }
    }
    return std::nullopt;
}

std::optional<QDateTime> ScheduleSpec::dueAt(const QDateTime &lastRun, const QDateTime &now,
                                             const QTimeZone &zone) const
{
    switch (kind) {
    case Kind::Manual:
        return std::nullopt;
    case Kind::Every:
        if (!lastRun.isValid())
            return since.isValid() && since < now ? since : now;
        return slotAfter(lastRun, zone);
    case Kind::At: {
        QDateTime reference = lastRun;
        if (since.isValid() && (!reference.isValid() || since > reference))
            reference = since;
        if (!reference.isValid())
            reference = now;
        return slotAfter(reference, zone);
    }
    }
    return std::nullopt;
}

std::optional<QDateTime> ScheduleSpec::nextRun(const QDateTime &lastRun, const QDateTime &after,
                                               const QTimeZone &zone) const
{
    const auto due = dueAt(lastRun, after, zone);
    if (!due)
        return std::nullopt;
    return *due > after ? *due : after;
}

} // namespace tributary
