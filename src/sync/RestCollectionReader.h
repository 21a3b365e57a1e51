#pragma once

#include "sync/CollectionReader.h"
#include "sync/RestSource.h"

#include <QDateTime>
#include <QSet>

namespace tributary {

class HttpClient;

// The generic manifest-driven reader (docs/connectors.md). Three modes, kept in the cursor:
//  - "full":   the list endpoint, page by page (first sync, --full-refresh, or a lapsed window);
//  - "events": an event feed filtered by type since the last sync; each event's object is upserted,
//              deletion events flag it, and a version column keeps older events from winning;
//  - "time":   the list endpoint filtered by creation time since the last sync (append-only data).
class RestCollectionReader final : public CollectionReader
{
public:
    struct Context
    {
        HttpClient *http = nullptr;
        QDateTime now; // the run's start, UTC
        bool fullRefresh = false;
        QDateTime startDate; // first syncs read from here (invalid: everything)
    };

    RestCollectionReader(const RestSource &source, const ConnectorManifest::Collection &collection, Context context,
                         const QJsonObject &state);

    void fetchNext(Callback callback) override;
    QString versionColumn() const override;

private:
    enum class Mode { Full, Events, Time };

    QUrlQuery queryForPage() const;
    QString pathForPage() const;
    Result<Page> handleReply(const HttpResponse &response, bool *restart);
    QJsonObject stateAfterPage(bool done) const;
    void readUpstreamClock(const HttpResponse &response);

    RestSource m_source;
    const ConnectorManifest::Collection &m_collection;
    Context m_context;
    Mode m_mode = Mode::Full;
    qint64 m_since = 0;       // events/time: lower bound (unix s); full: when the full read started
    qint64 m_maxSeen = 0;     // events/time: the newest upstream time seen in this pass
    qint64 m_upstreamNow = 0; // the upstream's clock (Date header) at this pass's first reply
    bool m_freshFull = false; // a full read that starts now (not resumed)
    QString m_after;          // the pagination cursor within this pass
    QString m_notice;
    bool m_restarted = false;
    QSet<QString> m_seen; // events mode: objects already applied in this run (newest first)
};

} // namespace tributary
