#pragma once

#include "app/SourceService.h"
#include "core/RunSummary.h"
#include "sync/RunLock.h"
#include "sync/SyncRunner.h"

#include <QObject>

#include <memory>

namespace tributary {

// One run of one source as the user starts it: takes the source's run lock (runs never overlap),
// starts the job on its worker thread, relays progress, and when it ends records the summary in
// the history and releases the lock. Used by the CLI and the GUI alike.
class RunSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunSession)

public:
    enum class StartError { None, Config, AlreadySyncing };

    explicit RunSession(SourceService &service, QObject *parent = nullptr);
    ~RunSession() override;

    // Fails with kind Config when the run cannot be prepared; *reason tells "already syncing" apart.
    Result<void> start(const QString &source, const SourceService::RunOptions &options, StartError *reason = nullptr);
    void cancel();
    bool isRunning() const { return m_runner && m_runner->isRunning(); }
    QString source() const { return m_source; }
    QString logPath() const { return m_logPath; }
    int collectionCount() const { return m_collectionCount; }

Q_SIGNALS:
    void runStarted(const tributary::RunSummary &summary);
    void collectionUpdated(const tributary::CollectionSummary &collection, int runApiCalls);
    void waiting(const QString &collection, qint64 milliseconds, const QString &reason);
    void finished(const tributary::RunSummary &summary);

private:
    SourceService &m_service;
    std::unique_ptr<RunLock> m_lock;
    std::unique_ptr<SyncRunner> m_runner;
    QString m_source;
    QString m_logPath;
    int m_collectionCount = 0;
};

} // namespace tributary
