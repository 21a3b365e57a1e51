#pragma once

#include "app/SourceService.h"
#include "core/RunSummary.h"
#include "sync/Scheduler.h"

#include <QHash>
#include <QObject>
#include <QSet>

namespace tributary {

class RunSession;

// Every run the desktop app starts, scheduled or by hand: the Scheduler decides when (sync times,
// catch-up, at most K at once, one run per source), and one RunSession per running source does
// the run. Signals carry the source in the summaries, so the window can follow any of them.
class RunCoordinator final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunCoordinator)

public:
    explicit RunCoordinator(SourceService &service, std::shared_ptr<Scheduler::Clock> clock = {},
                            QObject *parent = nullptr);
    ~RunCoordinator() override;

    Scheduler *scheduler() const { return m_scheduler; }
    // Reads every source's schedule and last run again (after a source or schedule changed).
    void reloadSources();
    // Sync now (all of the source's collections, or some of them): through the same queue and
    // limits as scheduled runs. False when the source is running or queued already.
    bool syncNow(const QString &source, const QStringList &collections = {});
    void cancel(const QString &source);
    bool isRunning(const QString &source) const;
    bool isQueued(const QString &source) const;
    bool isBusy() const;
    QStringList running() const;

    // Checks the change-window warnings (at most once a day per source) and emits notifications.
    void checkRetention();

Q_SIGNALS:
    void runStarted(const tributary::RunSummary &summary);
    void collectionUpdated(const QString &source, const tributary::CollectionSummary &collection, int runApiCalls);
    void waiting(const QString &source, const QString &collection, qint64 milliseconds, const QString &reason);
    void finished(const tributary::RunSummary &summary);
    void startFailed(const QString &source, const QString &message);
    void queueChanged(const QStringList &queued, const QStringList &running);
    // Something worth a desktop notification: a scheduled run that failed or was partial, or a
    // change window about to lapse. Successes are quiet.
    void notify(const QString &source, const QString &title, const QString &message);

private:
    Scheduler::StartResult launch(const QString &source, Scheduler::Trigger trigger, QString *error);

    SourceService &m_service;
    Scheduler *m_scheduler = nullptr;
    QHash<QString, RunSession *> m_sessions;
    QHash<QString, SourceService::RunOptions> m_pendingOptions;
    QHash<QString, QDate> m_retentionNotified;
};

} // namespace tributary
