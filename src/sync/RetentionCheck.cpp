#include "RetentionCheck.h"

#include "sync/ConnectorManifest.h"

namespace tributary {

std::optional<RetentionCheck::Warning> RetentionCheck::check(const QString &connectorName, int windowDays,
                                                             const QDateTime &lastSuccess, const QDateTime &now)
{
    if (windowDays <= 0 || !lastSuccess.isValid())
        return std::nullopt;
    const qint64 seconds = lastSuccess.secsTo(now);
    const qint64 warnAfter = qint64(windowDays - kMarginDays) * 86400;
    if (seconds <= warnAfter)
        return std::nullopt;
    Warning w;
    w.windowDays = windowDays;
    w.daysSince = int(seconds / 86400);
    const qint64 left = qint64(windowDays) * 86400 - seconds;
    w.lapsed = left <= 0;
    w.daysLeft = w.lapsed ? 0 : int((left + 86399) / 86400);
    if (w.lapsed)
        w.message = QStringLiteral("The last successful sync was %1 days ago, beyond %2's %3-day change window: "
                                   "the next sync reads everything again.")
                            .arg(w.daysSince)
                            .arg(connectorName)
                            .arg(windowDays);
    else
        w.message = QStringLiteral("%1 keeps changes for %2 days and the last successful sync was %3 days ago: "
                                   "sync within %4 %5, or the next sync must read everything again.")
                            .arg(connectorName)
                            .arg(windowDays)
                            .arg(w.daysSince)
                            .arg(w.daysLeft)
                            .arg(w.daysLeft == 1 ? QStringLiteral("day") : QStringLiteral("days"));
    return w;
}

std::optional<RetentionCheck::Warning> RetentionCheck::check(const ConnectorManifest &manifest,
                                                             const QStringList &selected,
                                                             const QList<RunSummary> &history, const QDateTime &now)
{
    QStringList feedCollections;
    for (const auto &c : manifest.collections) {
        if (!selected.isEmpty() && !selected.contains(c.name))
            continue;
        if (c.incremental == QLatin1String("event_feed")
            || (!manifest.eventFeed.path.isEmpty() && c.path == manifest.eventFeed.path))
            feedCollections.append(c.name);
    }
    if (feedCollections.isEmpty())
        return std::nullopt;
    QDateTime oldest;
    bool anySuccess = false;
    for (const QString &name : std::as_const(feedCollections)) {
        QDateTime last;
        for (auto run = history.crbegin(); run != history.crend() && !last.isValid(); ++run) {
            for (const auto &c : run->collections) {
                if (c.name == name && c.status == CollectionSummary::Status::Succeeded) {
                    last = run->startedAt;
                    break;
                }
            }
        }
        if (!last.isValid())
            continue; // never synced: its first sync reads the whole history anyway
        anySuccess = true;
        if (!oldest.isValid() || last < oldest)
            oldest = last;
    }
    if (!anySuccess)
        return std::nullopt;
    return check(manifest.name, manifest.eventFeed.windowDays, oldest, now);
}

} // namespace tributary
