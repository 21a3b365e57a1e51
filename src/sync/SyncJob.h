#pragma once

#include "core/Normalizer.h"
#include "core/RunSummary.h"
#include "sync/PendingWrite.h"
#include "sync/SyncPlan.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace tributary {

class CollectionReader;
class HttpClient;
class OAuthSession;
class SourceDriver;
class RunLog;
class StallWatchdog;
class Warehouse;
struct ConnectorManifest;
struct Page;

// One sync run of one source, on a worker thread (DESIGN.md "The flow of one sync"). Talks to
// the GUI and the CLI by signals only; start() and cancel() are invoked through queued calls.
class SyncJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncJob)

public:
    explicit SyncJob(SyncPlan plan, QObject *parent = nullptr);
    ~SyncJob() override;

public Q_SLOTS:
    void start();
    void cancel();

Q_SIGNALS:
    void runStarted(const tributary::RunSummary &summary);
    // A collection's counters changed: at most a few times per second per collection, and at once
    // when its status changes.
    void collectionUpdated(const tributary::CollectionSummary &collection, int runApiCalls);
    void waiting(const QString &collection, qint64 milliseconds, const QString &reason);
    void finished(const tributary::RunSummary &summary);

private:
    void nextCollection();
    void retireReader();
    void fetch();
    void onPage(quint64 generation, Result<Page> page);
    void onStalled(qint64 idleMs);
    // Starts the write of the pages held in m_pending (rows and cursor in one transaction),
    // after the write in flight has finished; with wait, waits for it too. The warehouse's error
    // when a write failed (the caller aborts the run).
    std::optional<Error> writePending(bool wait);
    // writePending(); when it fails, the run is aborted with the warehouse's error (false).
    bool writeOrAbort(bool wait);
    // Waits for the write in flight, if any, and counts its rows.
    std::optional<Error> finishWrite();
    // Writes the held pages first; a failed write aborts the run instead.
    void finishCollection(CollectionSummary::Status status, std::optional<Error> error = std::nullopt);
    void abortRun(const Error &error);
    void finishRun();
    // Marks every collection not started yet skipped, with why (the run ends early).
    void skipRemaining(const Error &why);
    void publish(bool now);
    CollectionSummary &current() { return m_summary.collections[m_index]; }

    SyncPlan m_plan;
    const ConnectorManifest *m_manifest = nullptr;
    RunSummary m_summary;
    std::unique_ptr<Warehouse> m_warehouse;
    std::unique_ptr<SourceDriver> m_driver;
    std::unique_ptr<RunLog> m_log;
    HttpClient *m_http = nullptr;
    OAuthSession *m_auth = nullptr;   // when the source signs in with OAuth
    std::optional<Error> m_quotaStop; // set when the upstream's quota ended the run early
    StallWatchdog *m_watchdog = nullptr;
    std::unique_ptr<CollectionReader> m_reader;
    std::unique_ptr<CollectionReader> m_retiredReader;
    // One per collection: it remembers the collection's key paths from page to page, and pages
    // of one shape share their column names (a write then compares them by address).
    std::optional<Normalizer> m_normalizer;
    PendingWrite m_pending; // pages of the current collection not written yet
    struct WriteInFlight
    {
        int firstPage = 0;
        int lastPage = 0;
        qsizetype records = 0;
    };
    std::optional<WriteInFlight> m_inFlight; // begun, not finished (Warehouse::beginWrite)
    QTimer *m_writeTimer = nullptr;          // writes held pages after PendingWrite::ageLimitMs()
    qsizetype m_index = -1;
    quint64 m_generation = 0;
    int m_callsAtCollectionStart = 0;
    int m_pagesRead = 0; // of the current collection, written or not
    bool m_cancelRequested = false;
    bool m_stalling = false;
    bool m_finished = false;
    bool m_dirty = false;
    QTimer *m_publishTimer = nullptr; // a child: it moves to the worker thread with the job
};

} // namespace tributary

Q_DECLARE_METATYPE(tributary::RunSummary)
Q_DECLARE_METATYPE(tributary::CollectionSummary)
