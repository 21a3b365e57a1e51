#pragma once

#include "core/RunSummary.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace tributary {

struct ConnectorManifest;

// Whether a source's incremental window is about to lapse. Some APIs keep their change feed for a
// limited time (the manifest's event_feed.window_days: Stripe keeps events 30 days); a source that
// has not synced a feed collection successfully for longer loses the changes in between and must
// read everything again. Warn kMarginDays before that.
class RetentionCheck
{
public:
    static constexpr int kMarginDays = 5;

    struct Warning
    {
        int windowDays = 0;
        int daysSince = 0; // since the oldest last success of a feed collection
        int daysLeft = 0;  // before the window lapses; 0 when it has
        bool lapsed = false;
        QString message; // in the user's words
    };

    // The collections of `selected` (all when empty) that read the feed: incremental event_feed, or
    // the feed's own path. Each one's last success is the start of the latest run in `history`
    // where it succeeded; the oldest of those counts. No warning before the first success.
    static std::optional<Warning> check(const ConnectorManifest &manifest, const QStringList &selected,
                                        const QList<RunSummary> &history, const QDateTime &now);
    // The rule alone.
    static std::optional<Warning> check(const QString &connectorName, int windowDays, const QDateTime &lastSuccess,
                                        const QDateTime &now);
};

} // namespace tributary
