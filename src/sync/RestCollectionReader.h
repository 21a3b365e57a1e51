#pragma once

#include "sync/CollectionReader.h"
#include "sync/RestSource.h"

#include <QDateTime>
#include <QObject>
#include <QSet>

#include <memory>

namespace tributary {

class HttpClient;

// The generic manifest-driven reader (docs/connectors.md). Five modes, kept in the cursor:
//  - "full":   the list endpoint, page by page (first sync, --full-refresh, or a lapsed window),
//              paged by the last record's id (cursor_param) or by the upstream's next link (next_link);
//  - "events": an event feed filtered by type since the last sync; each event's object is upserted,
//              deletion events flag it, and a version column keeps older events from winning;
//  - "time":   the list endpoint filtered by creation time since the last sync (append-only data);
//  - "export_cursor": an incremental export paged by an opaque cursor (Zendesk tickets, users): a
//              start time on the first request, the saved cursor ever after, until end_of_stream;
//  - "export_time": an incremental export paged by time (Zendesk organizations, ticket_events):
//              each page's end_time is the next start; records on that boundary second come again
//              and are skipped by id.
// A collection in a rate group waits for its turn before each request (RateWindow).
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
    enum class Mode { Full, Events, Time, ExportCursor, ExportTime };

    void send(const Callback &callback);
    HttpRequest requestForPage();
    QUrlQuery queryForPage() const;
    QString pathForPage() const;
    Result<Page> handleReply(const HttpResponse &response, bool *restart);
    Result<Page> handleExportReply(const HttpResponse &response, const QJsonObject &root,
                                   const QList<JsonRecord> &items, bool *restart);
    QJsonObject stateAfterPage(bool done) const;
    QJsonObject exportState() const;
    void readUpstreamClock(const HttpResponse &response);
    qint64 exportStart() const; // the start to send: never within the upstream's most recent minute
    bool isDeleted(const JsonRecord &record) const;
    JsonRecord withJsonFields(JsonRecord record) const;
    Error parseError(const HttpResponse &response, const QString &what) const;
    bool isExport() const { return m_mode == Mode::ExportCursor || m_mode == Mode::ExportTime; }

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
    // Incremental exports.
    qint64 m_start = 0;                      // the start time of the next request without a cursor
    qint64 m_sentStart = -1;                 // the start time of the request in flight (-1: it sent a cursor)
    QString m_cursor;                        // export_cursor: the cursor after the last page
    qint64 m_boundaryTime = 0;               // export_time: the last page's end_time
    qint64 m_lastCheckedAt = 0;              // the upstream's clock at the last pass (from the saved cursor)
    QSet<QString> m_boundary;                // export_time: ids of records at boundaryTime already read
    std::unique_ptr<QObject> m_timerContext; // owns the pacing timers: they die with the reader
};

} // namespace tributary
