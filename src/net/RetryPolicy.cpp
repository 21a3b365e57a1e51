#include "RetryPolicy.h"

#include <QDate>
#include <QLocale>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>
#include <QTime>

#include <algorithm>

namespace tributary {

namespace {

// delta-seconds beyond this (about 31 years) are read as this: the caller caps far lower anyway.
constexpr qint64 MaxDeltaSeconds = 1'000'000'000;

bool isAllDigits(const QByteArray &text)
{
    return !text.isEmpty() && std::all_of(text.cbegin(), text.cend(), [](char c) { return c >= '0' && c <= '9'; });
}

QDate parseDate(const QString &day, const QString &month, const QString &year)
{
    // QLocale::c(): English month names whatever the user's locale is.
    return QLocale::c().toDate(day + QLatin1Char(' ') + month + QLatin1Char(' ') + year, QStringLiteral("d MMM yyyy"));
}

QTime parseTime(const QString &text)
{
    return QLocale::c().toTime(text, QStringLiteral("HH:mm:ss"));
}

bool isGmt(const QString &zone)
{
    return zone == QLatin1String("GMT") || zone == QLatin1String("UTC");
}

bool isDayName(const QString &text)
{
    return text.size() >= 3 && std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.isLetter(); });
}

// The three HTTP-date forms of RFC 7231 section 7.1.1.1, always in GMT:
//   IMF-fixdate  Sun, 06 Nov 1994 08:49:37 GMT
//   RFC 850      Sunday, 06-Nov-94 08:49:37 GMT
//   asctime      Sun Nov  6 08:49:37 1994
QDateTime parseHttpDate(const QString &text, const QDateTime &now)
{
    const QStringList parts = text.simplified().split(QLatin1Char(' '));
    QDate date;
    QTime time;
    if (parts.size() == 6 && parts.at(0).endsWith(QLatin1Char(',')) && isDayName(parts.at(0).chopped(1))
        && isGmt(parts.at(5))) {
        if (parts.at(3).size() != 4)
            return {};
        date = parseDate(parts.at(1), parts.at(2), parts.at(3));
        time = parseTime(parts.at(4));
    } else if (parts.size() == 4 && parts.at(0).endsWith(QLatin1Char(',')) && isDayName(parts.at(0).chopped(1))
               && isGmt(parts.at(3))) {
        const QStringList dmy = parts.at(1).split(QLatin1Char('-'));
        if (dmy.size() != 3 || dmy.at(2).size() != 2)
            return {};
        bool ok = false;
        const int yy = dmy.at(2).toInt(&ok);
        if (!ok)
            return {};
        // RFC 7231: a two-digit year more than 50 years in the future means the most recent past
        // year with those digits.
        const int nowYear = now.toUTC().date().year();
        int year = nowYear - nowYear % 100 + yy;
        if (year > nowYear + 50)
            year -= 100;
        date = parseDate(dmy.at(0), dmy.at(1), QString::number(year));
        time = parseTime(parts.at(2));
    } else if (parts.size() == 5 && isDayName(parts.at(0))) {
        if (parts.at(4).size() != 4)
            return {};
        date = parseDate(parts.at(2), parts.at(1), parts.at(4));
        time = parseTime(parts.at(3));
    }
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC);
}

} // namespace

qint64 RetryPolicy::backoffMs(int attempt) const
{
    const qint64 cap = std::max(0, maxDelayMs);
    qint64 delay = std::max(0, baseDelayMs);
    for (int i = 1; i < attempt && delay < cap; ++i)
        delay *= 2; // stops doubling at the cap, so it cannot overflow
    delay = std::min(delay, cap);
    if (delay <= 0)
        return 0;
    const qint64 low = delay / 2;
    // bounded() excludes its upper bound: +1 makes 'delay' itself possible.
    return low + static_cast<qint64>(QRandomGenerator::global()->bounded(quint64(delay - low + 1)));
}

std::optional<qint64> RetryPolicy::parseRetryAfterMs(const QByteArray &value, const QDateTime &now)
{
    const QByteArray text = value.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    if (isAllDigits(text)) {
        bool ok = false;
        qint64 seconds = text.toLongLong(&ok);
        if (!ok || seconds > MaxDeltaSeconds)
            seconds = MaxDeltaSeconds; // only digits, just too many of them
        return seconds * 1000;
    }
    const QDateTime when = parseHttpDate(QString::fromLatin1(text), now);
    if (!when.isValid() || !now.isValid())
        return std::nullopt;
    return std::max<qint64>(0, now.msecsTo(when));
}

} // namespace tributary
