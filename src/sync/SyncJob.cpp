#include "SyncJob.h"

#include "net/HttpClient.h"
#include "net/OAuthSession.h"
#include "sync/ConnectorRegistry.h"
#include "sync/RunLog.h"
#include "sync/SourceDriver.h"
#include "sync/StallWatchdog.h"
#include "warehouse/Warehouse.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcJob, "tributary.sync.job")

namespace tributary {

SyncJob::SyncJob(SyncPlan plan, QObject *parent) : QObject(parent), m_plan(std::move(plan))
{
    m_summary.runId = m_plan.runId;
    m_summary.source = m_plan.source.name;
    for (const QString &name : std::as_const(m_plan.collections)) {
        CollectionSummary c;
        c.name = name;
        m_summary.collections.append(c);
    }
    m_publishTimer = new QTimer(this);
    m_publishTimer->setInterval(200);
    connect(m_publishTimer, &QTimer::timeout, this, [this] { publish(false); });
    m_writeTimer = new QTimer(this);
    m_writeTimer->setSingleShot(true);
    m_writeTimer->setInterval(m_pending.ageLimitMs());
    connect(m_writeTimer, &QTimer::timeout, this, [this] {
        // A slow upstream: the pages already here are written while the next one is awaited.
        if (m_finished)
            return;
        writeOrAbort(true);
    });
}

SyncJob::~SyncJob()
{
    ++m_generation;
    if (m_http)
        m_http->abortAll();
    m_reader.reset();
}

void SyncJob::start()
{
    // Whole seconds: the run's start is also the received_at of every row and the next cursor.
    m_summary.startedAt = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
    m_log = std::make_unique<RunLog>(m_plan.logPath);
    m_log->write(QStringLiteral("run %1 of source '%2' (%3): %4")
                         .arg(m_plan.runId, m_plan.source.name, m_plan.source.connector,
                              m_plan.collections.join(QStringLiteral(", "))));
    Q_EMIT runStarted(m_summary);

    m_manifest = ConnectorRegistry::instance().find(m_plan.source.connector);
    if (!m_manifest) {
        abortRun(Error::make(Error::Kind::Config,
                             QStringLiteral("Unknown connector '%1'.").arg(m_plan.source.connector),
                             QStringLiteral("Run `tributary catalog` to see the connectors this version has.")));
        return;
    }
    auto warehouse = Warehouse::create(m_plan.warehouseUrl, m_plan.warehousePassword);
    if (!warehouse) {
        abortRun(warehouse.error());
        return;
    }
    m_warehouse = std::move(warehouse).value();
    if (auto opened = m_warehouse->open(); !opened) {
        abortRun(opened.error());
        return;
    }
    HttpClientOptions options = m_plan.http;
    options.requestsPerSecond = m_manifest->requestsPerSecond;
    options.burst = m_manifest->burst;
    m_http = new HttpClient(options, this);
    connect(m_http, &HttpClient::waiting, this, [this](qint64 ms, const QString &reason) {
        const QString collection = m_index >= 0 && m_index < m_summary.collections.size() ? current().name : QString();
        m_log->write(QStringLiteral("[%1] waiting %2 ms: %3").arg(collection).arg(ms).arg(reason));
        m_watchdog->kick();
        m_watchdog->allow(ms);
        Q_EMIT waiting(collection, ms, reason);
    });
    connect(m_http, &HttpClient::replyReceived, this, [this](int) { m_watchdog->kick(); });
    connect(m_http, &HttpClient::callMade, this, [this](int) { m_dirty = true; });

    if (m_plan.oauth) {
        m_auth = new OAuthSession(*m_plan.oauth, m_plan.oauthTokens, this);
        m_auth->setTokensChangedHandler([this](const OAuthTokens &tokens) {
            m_log->write(QStringLiteral("signed-in tokens refreshed"));
            if (m_plan.tokensChanged)
                m_plan.tokensChanged(tokens);
        });
        m_http->setTokenProvider(m_auth);
    }

    m_watchdog = new StallWatchdog(qint64(m_plan.stallTimeoutSeconds) * 1000, this);
    connect(m_watchdog, &StallWatchdog::stalled, this, &SyncJob::onStalled);

    DriverContext context;
    context.http = m_http;
    context.settings = m_plan.settings;
    context.baseUrl = m_plan.source.baseUrl;
    context.now = m_summary.startedAt;
    context.fullRefresh = m_plan.fullRefresh;
    context.auth = m_auth;
    const QString startDate = m_plan.settings.value(QStringLiteral("start_date"));
    if (!startDate.isEmpty())
        context.startDate = QDateTime(QDate::fromString(startDate, Qt::ISODate), QTime(0, 0), Qt::UTC);
    auto driver = DriverRegistry::create(*m_manifest, context);
    if (!driver) {
        abortRun(driver.error());
        return;
    }
    m_driver = std::move(driver).value();
    m_publishTimer->start();
    const quint64 generation = m_generation;
    m_driver->prepare([this, generation](Result<void> prepared) {
        if (generation != m_generation || m_finished)
            return;
        if (!prepared) {
            abortRun(prepared.error());
            return;
        }
        nextCollection();
    });
}

void SyncJob::cancel()
{
    if (m_finished || m_cancelRequested)
        return;
    m_cancelRequested = true;
    m_log->write(QStringLiteral("cancel requested"));
    if (m_http)
        m_http->abortAll(); // the pending callback reports Cancelled
}

void SyncJob::retireReader()
{
    // Kept until the next collection starts: its callback may still be on the stack.
    m_retiredReader = std::move(m_reader);
}

void SyncJob::nextCollection()
{
    m_retiredReader.reset();
    ++m_index;
    if (m_index >= m_summary.collections.size()) {
        finishRun();
        return;
    }
    if (m_cancelRequested) {
        abortRun(Error::make(Error::Kind::Cancelled, QStringLiteral("The sync was stopped."),
                             QStringLiteral("Sync again to continue where it stopped.")));
        return;
    }
    if (m_quotaStop) {
        skipRemaining(*m_quotaStop);
        finishRun();
        return;
    }
    CollectionSummary &c = current();
    c.table = m_warehouse->tableName(m_plan.source.schema, c.name);
    if (!m_driver->collectionKind(c.name)) {
        finishCollection(CollectionSummary::Status::Failed,
                         Error::make(Error::Kind::Config,
                                     QStringLiteral("%1 has no collection '%2'.").arg(m_manifest->name, c.name),
                                     QStringLiteral("Choose among: %1.")
                                             .arg(m_manifest->collectionNames().join(QStringLiteral(", ")))));
        return;
    }
    auto state = m_warehouse->readState(m_plan.source.name, c.name);
    if (!state) {
        abortRun(state.error());
        return;
    }
    auto reader = m_driver->createReader(c.name, state.value());
    if (!reader) {
        finishCollection(CollectionSummary::Status::Failed, reader.error());
        return;
    }
    m_reader = std::move(reader).value();
    Normalizer::Options options;
    options.primaryKey = m_manifest->primaryKey;
    options.dropFields = m_manifest->dropFields;
    m_normalizer.emplace(std::move(options));
    c.status = CollectionSummary::Status::Running;
    m_callsAtCollectionStart = m_http->callCount();
    m_pagesRead = 0;
    m_stalling = false;
    m_log->write(QStringLiteral("[%1] start (saved cursor: %2)")
                         .arg(c.name, state->isEmpty() ? QStringLiteral("none") : QStringLiteral("present")));
    publish(true);
    m_watchdog->start();
    fetch();
}

void SyncJob::fetch()
{
    const quint64 generation = m_generation;
    m_reader->fetchNext([this, generation](Result<Page> page) { onPage(generation, std::move(page)); });
}

void SyncJob::onPage(quint64 generation, Result<Page> page)
{
    if (generation != m_generation || m_finished)
        return;
    CollectionSummary &c = current();
    c.apiCalls = m_http->callCount() - m_callsAtCollectionStart;
    if (!page) {
        const Error &error = page.error();
        if (error.kind == Error::Kind::Cancelled && m_stalling) {
            const qint64 seconds = m_watchdog->timeoutMs() / 1000;
            finishCollection(
                    CollectionSummary::Status::Stalled,
                    Error::make(Error::Kind::Stalled,
                                QStringLiteral("%1 stopped answering: %2 was stopped after %3 s without progress.")
                                        .arg(m_manifest->name, c.name)
                                        .arg(seconds),
                                QStringLiteral("Sync again later; the pages saved before the stall are kept. "
                                               "If the API is only slow, raise the stall timeout (--stall-timeout)."),
                                true));
        } else if (error.kind == Error::Kind::Cancelled) {
            abortRun(Error::make(Error::Kind::Cancelled, QStringLiteral("The sync was stopped."),
                                 QStringLiteral("Sync again to continue where it stopped; saved pages are kept.")));
        } else if (error.kind == Error::Kind::Auth) {
            abortRun(error);
        } else if (error.kind == Error::Kind::RateLimit && !error.retryable) {
            // The source's quota (or the reserve the user keeps) is spent: stop cleanly, the
            // pages saved so far stay, and the next run resumes here.
            m_quotaStop = error;
            finishCollection(CollectionSummary::Status::Failed, error);
        } else {
            finishCollection(CollectionSummary::Status::Failed, error);
        }
        return;
    }

    Page &p = page.value();
    const int pageNumber = ++m_pagesRead;
    const Normalizer &normalizer = *m_normalizer;
    WriteRequest request;
    request.source = m_plan.source.name;
    request.schema = m_plan.source.schema;
    request.collection = c.name;
    request.kind = m_driver->collectionKind(c.name).value_or(CollectionKind::Object);
    request.state = p.state;
    request.receivedAt = m_summary.startedAt;
    request.versionColumn = m_reader->versionColumn();
    request.replaceOnEqualVersion = p.currentState;
    request.rows.reserve(p.records.size());
    for (qsizetype i = 0; i < p.records.size(); ++i) {
        auto row = normalizer.normalize(p.records.at(i));
        if (!row) {
            Error error = row.error();
            error.message = QStringLiteral("%1 sent a %2 record that cannot be stored (page %3, record %4): %5")
                                    .arg(m_manifest->name, c.name)
                                    .arg(pageNumber)
                                    .arg(i + 1)
                                    .arg(error.message);
            finishCollection(CollectionSummary::Status::Failed, error);
            return;
        }
        request.rows.append(std::move(row).value());
    }
    request.deleted = p.deleted;
    if (!m_pending.accepts(request) && !writeOrAbort(false))
        return;
    m_pending.add(std::move(request), pageNumber);
    c.pages = pageNumber;
    c.received += int(p.records.size());
    if (p.total)
        c.expectedRecords = std::max<qint64>(*p.total, c.received);
    if (p.quotaRemaining)
        c.quotaRemaining = *p.quotaRemaining;
    if (p.quotaLimit)
        c.quotaLimit = *p.quotaLimit;
    if (!p.notice.isEmpty()) {
        c.notice = c.notice.isEmpty() ? p.notice : c.notice + QLatin1Char(' ') + p.notice;
        m_log->write(QStringLiteral("[%1] %2").arg(c.name, p.notice));
    }
    m_watchdog->kick();
    m_dirty = true;
    if (p.done) {
        finishCollection(CollectionSummary::Status::Succeeded);
        return;
    }
    if (m_pending.isDue()) {
        if (!writeOrAbort(false))
            return;
    } else if (!m_writeTimer->isActive()) {
        m_writeTimer->start();
    }
    fetch();
}

std::optional<Error> SyncJob::writePending(bool wait)
{
    m_writeTimer->stop();
    if (std::optional<Error> failed = finishWrite()) {
        // The pages after a failed write are not written: their cursor would skip its rows.
        m_pending.take();
        return failed;
    }
    if (m_pending.isEmpty())
        return std::nullopt;
    m_inFlight = WriteInFlight {m_pending.firstPage(), m_pending.lastPage(), m_pending.records()};
    // PostgreSQL inserts and commits these rows while the next pages are read and normalized.
    m_warehouse->beginWrite(m_pending.take());
    return wait ? finishWrite() : std::nullopt;
}

bool SyncJob::writeOrAbort(bool wait)
{
    if (std::optional<Error> failed = writePending(wait)) {
        abortRun(*failed);
        return false;
    }
    return true;
}

std::optional<Error> SyncJob::finishWrite()
{
    if (!m_inFlight)
        return std::nullopt;
    const WriteInFlight write = *std::exchange(m_inFlight, std::nullopt);
    const auto written = m_warehouse->finishWrite();
    if (!written)
        return written.error();
    CollectionSummary &c = current();
    c.inserted += written->inserted;
    c.updated += written->updated;
    c.records = c.inserted + c.updated;
    m_log->write(QStringLiteral("[%1] %2: %3 records (%4 new, %5 updated, %6 unchanged or older)")
                         .arg(c.name,
                              write.firstPage == write.lastPage
                                      ? QStringLiteral("page %1").arg(write.firstPage)
                                      : QStringLiteral("pages %1-%2").arg(write.firstPage).arg(write.lastPage))
                         .arg(write.records)
                         .arg(written->inserted)
                         .arg(written->updated)
                         .arg(written->skipped));
    m_dirty = true;
    return std::nullopt;
}

void SyncJob::onStalled(qint64 idleMs)
{
    if (m_finished || !m_reader)
        return;
    m_log->write(QStringLiteral("[%1] no progress for %2 ms: stopping it").arg(current().name).arg(idleMs));
    m_stalling = true;
    m_http->abortAll();
}

void SyncJob::finishCollection(CollectionSummary::Status status, std::optional<Error> error)
{
    // The pages read before the end (a failure, a stall, the quota) are kept, as when each page
    // was written on arrival.
    if (!writeOrAbort(true))
        return;
    ++m_generation;
    m_watchdog->stop();
    if (m_http)
        m_http->abortAll();
    retireReader();
    CollectionSummary &c = current();
    c.status = status;
    c.error = error;
    c.apiCalls = m_http ? m_http->callCount() - m_callsAtCollectionStart : 0;
    m_log->write(QStringLiteral("[%1] %2: %3 records, %4 pages, %5 API calls%6")
                         .arg(c.name, CollectionSummary::statusName(status))
                         .arg(c.records)
                         .arg(c.pages)
                         .arg(c.apiCalls)
                         .arg(error ? QStringLiteral(" (%1: %2)").arg(error->kindName(), error->message) : QString()));
    publish(true);
    // Unwind first: this may run inside the reader's own callback.
    QMetaObject::invokeMethod(this, &SyncJob::nextCollection, Qt::QueuedConnection);
}

void SyncJob::abortRun(const Error &cause)
{
    // Pages read before a cancel or a refused sign-in are kept; when their write fails, that
    // failure is what the run reports.
    Error error = cause;
    if (std::optional<Error> failed = writePending(true))
        error = *failed;
    ++m_generation;
    if (m_watchdog)
        m_watchdog->stop();
    if (m_http)
        m_http->abortAll();
    retireReader();
    m_summary.error = error;
    for (qsizetype i = 0; i < m_summary.collections.size(); ++i) {
        CollectionSummary &c = m_summary.collections[i];
        if (m_warehouse && c.table.isEmpty())
            c.table = m_warehouse->tableName(m_plan.source.schema, c.name);
        if (i == m_index && c.status == CollectionSummary::Status::Running) {
            c.status = CollectionSummary::Status::Failed;
            c.error = error;
            if (m_http)
                c.apiCalls = m_http->callCount() - m_callsAtCollectionStart;
        } else if (c.status == CollectionSummary::Status::Pending || c.status == CollectionSummary::Status::Running) {
            c.status = CollectionSummary::Status::Skipped;
            c.error = Error::make(error.kind, QStringLiteral("Not synced: the run stopped before this collection."),
                                  error.hint);
        }
    }
    m_log->write(QStringLiteral("run aborted (%1): %2").arg(error.kindName(), error.message));
    m_summary.status = RunSummary::Status::Aborted;
    m_index = m_summary.collections.size();
    finishRun();
}

void SyncJob::skipRemaining(const Error &why)
{
    for (qsizetype i = std::max<qsizetype>(0, m_index); i < m_summary.collections.size(); ++i) {
        CollectionSummary &c = m_summary.collections[i];
        if (c.status != CollectionSummary::Status::Pending)
            continue;
        if (m_warehouse && c.table.isEmpty())
            c.table = m_warehouse->tableName(m_plan.source.schema, c.name);
        c.status = CollectionSummary::Status::Skipped;
        c.error = Error::make(why.kind, QStringLiteral("Not synced this time: %1").arg(why.message), why.hint);
        m_log->write(QStringLiteral("[%1] skipped: %2").arg(c.name, why.message));
        Q_EMIT collectionUpdated(c, m_http ? m_http->callCount() : 0);
    }
    m_index = m_summary.collections.size();
}

void SyncJob::finishRun()
{
    if (m_finished)
        return;
    m_finished = true;
    m_publishTimer->stop();
    if (m_watchdog)
        m_watchdog->stop();
    m_summary.apiCalls = m_http ? m_http->callCount() : 0;
    m_summary.finishedAt = QDateTime::currentDateTimeUtc();
    if (m_summary.status != RunSummary::Status::Aborted) {
        bool allGood = true;
        for (const auto &c : std::as_const(m_summary.collections))
            allGood = allGood && c.status == CollectionSummary::Status::Succeeded;
        m_summary.status = allGood ? RunSummary::Status::Succeeded : RunSummary::Status::Partial;
    }
    m_log->write(QStringLiteral("run %1: %2 records, %3 API calls")
                         .arg(RunSummary::statusName(m_summary.status))
                         .arg(m_summary.records())
                         .arg(m_summary.apiCalls));
    if (m_warehouse)
        m_warehouse->close();
    Q_EMIT finished(m_summary);
}

void SyncJob::publish(bool now)
{
    if (m_index < 0 || m_index >= m_summary.collections.size())
        return;
    if (!now && !m_dirty)
        return;
    m_dirty = false;
    CollectionSummary &c = current();
    if (m_http && c.status == CollectionSummary::Status::Running)
        c.apiCalls = m_http->callCount() - m_callsAtCollectionStart;
    Q_EMIT collectionUpdated(c, m_http ? m_http->callCount() : 0);
}

} // namespace tributary
