#include "SyncRunner.h"

#include "sync/SyncJob.h"

#include <utility>

namespace tributary {

SyncRunner::SyncRunner(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<tributary::RunSummary>();
    qRegisterMetaType<tributary::CollectionSummary>();
    m_thread.setObjectName(QStringLiteral("sync"));
}

SyncRunner::~SyncRunner()
{
    cancel();
    m_thread.quit();
    m_thread.wait();
}

void SyncRunner::start(SyncPlan plan)
{
    Q_ASSERT(!m_running);
    m_running = true;
    auto *job = new SyncJob(std::move(plan));
    job->moveToThread(&m_thread);
    m_job = job;
    connect(&m_thread, &QThread::finished, job, &QObject::deleteLater); // a run cancelled by the destructor
    connect(job, &SyncJob::runStarted, this, &SyncRunner::runStarted);
    connect(job, &SyncJob::collectionUpdated, this, &SyncRunner::collectionUpdated);
    connect(job, &SyncJob::waiting, this, &SyncRunner::waiting);
    // When the run ends, the job (its HTTP client, readers, warehouse) is deleted on its own thread,
    // which then ends; only then does the run end here. Whoever deletes the runner after it said
    // finished finds the thread done and never waits for it (on the GUI thread, a wait is a stall).
    connect(job, &SyncJob::finished, job, &QObject::deleteLater, Qt::DirectConnection);
    connect(job, &QObject::destroyed, &m_thread, &QThread::quit, Qt::DirectConnection);
    connect(job, &SyncJob::finished, this, [this](const RunSummary &summary) { m_summary = summary; });
    connect(&m_thread, &QThread::finished, this, [this] {
        if (!m_summary)
            return;
        m_running = false;
        Q_EMIT finished(*std::exchange(m_summary, std::nullopt));
    });
    m_thread.start();
    QMetaObject::invokeMethod(job, &SyncJob::start, Qt::QueuedConnection);
}

void SyncRunner::cancel()
{
    if (m_job)
        QMetaObject::invokeMethod(m_job.data(), &SyncJob::cancel, Qt::QueuedConnection);
}

} // namespace tributary
