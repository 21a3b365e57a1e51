#include "SyncRunner.h"

#include "sync/SyncJob.h"

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
    connect(&m_thread, &QThread::finished, job, &QObject::deleteLater);
    connect(job, &SyncJob::runStarted, this, &SyncRunner::runStarted);
    connect(job, &SyncJob::collectionUpdated, this, &SyncRunner::collectionUpdated);
    connect(job, &SyncJob::waiting, this, &SyncRunner::waiting);
    connect(job, &SyncJob::finished, this, [this](const RunSummary &summary) {
        m_running = false;
        m_thread.quit();
        Q_EMIT finished(summary);
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
