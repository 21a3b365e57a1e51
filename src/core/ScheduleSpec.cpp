#include "ScheduleSpec.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>

namespace tributary {

std::optional<ScheduleSpec> ScheduleSpec::parse(const QString &text)
{
    const QString t = text.simplified();
    ScheduleSpec spec;
    if (t == QLatin1String("manual"))
        return spec;
    static const QRegularExpression every(QStringLiteral("^every (\\d+)h$"));
    if (const auto m = every.match(t); m.hasMatch()) {
        const int hours = m.captured(1).toInt();
        static const QList<int> allowed {1, 2, 3, 6, 8, 12, 24};
        if (!allowed.contains(hours))
            return std::nullopt;
        spec.kind = Kind::Every;
        spec.hours = hours;
        return spec;
    }
    static const QRegularExpression at(QStringLiteral("^at (\\d{2}:\\d{2}(?:, ?\\d{2}:\\d{2})*)$"));
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
        return QStringLiteral("at ") + parts.join(QLatin1Char(','));
    }
    }
    return QStringLiteral("manual");
}

QJsonObject ScheduleSpec::toJson() const
{
    return {{QStringLiteral("kind"),
             kind == Kind::Manual ? QStringLiteral("manual")
                                  : (kind == Kind::Every ? QStringLiteral("every") : QStringLiteral("at"))},
            {QStringLiteral("spec"), toString()}};
}

ScheduleSpec ScheduleSpec::fromJson(const QJsonObject &json)
{
    return parse(json.value(QStringLiteral("spec")).toString()).value_or(ScheduleSpec {});
}

std::optional<QDateTime> ScheduleSpec::nextRun(const QDateTime &lastRun, const QDateTime &after) const
{
    switch (kind) {
    case Kind::Manual:
        return std::nullopt;
    case Kind::Every: {
        if (!lastRun.isValid())
            return after.addSecs(1);
        const QDateTime due = lastRun.addSecs(qint64(hours) * 3600);
        return due > after ? due : after.addSecs(1);
    }
    case Kind::At: {
        const QDateTime local = after.toLocalTime();
        for (int day = 0; day <= 1; ++day) {
            for (const QTime &t : times) {
                const QDateTime candidate(local.date().addDays(day), t, Qt::LocalTime);
                if (candidate > local)
                    return candidate;
            }
        }
        return std::nullopt;
    }
    }
    return std::nullopt;
}

} // namespace tributary
