#pragma once

#include "core/RunSummary.h"
#include "sync/SyncPlan.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <optional>

namespace tributary {

class SyncJob;

// Runs one SyncJob on its own QThread and relays its signals (queued) to the thread that owns the
// runner: the GUI thread or the CLI's main thread. One runner, one run.
class SyncRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncRunner)

public:
    explicit SyncRunner(QObject *parent = nullptr);
    ~SyncRunner() override; // cancels a run still going and waits for its thread

    void start(SyncPlan plan);
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void runStarted(const tributary::RunSummary &summary);
    void collectionUpdated(const tributary::CollectionSummary &collection, int runApiCalls);
    void waiting(const QString &collection, qint64 milliseconds, const QString &reason);
    void finished(const tributary::RunSummary &summary);

private:
    QThread m_thread;
    QPointer<SyncJob> m_job;
    std::optional<RunSummary> m_summary; // the job's, from its end until its thread's
    bool m_running = false;
};

} // namespace tributary
