// Loads the same N Stripe-shaped charges into PostgreSQL twice, side by side in one run:
//   raw       one COPY ... FROM STDIN of the already-flattened rows (generated before the clock starts)
//             into a table like the pipeline's (same columns, types and primary key), one commit;
//   pipeline  what a sync does with each page: read the API's JSON page (JsonPage, as
//             RestCollectionReader reads list pages; --parser qt: QJsonDocument, as before), add
//             Stripe's version column "updated" to each record as the reader does, Normalizer
//             (one for the collection, as SyncJob keeps), pages gathered into writes as SyncJob gathers them
//             (PendingWrite: up to --records-per-write records, default 1000; 0 = one write per page),
//             then PostgresWarehouse::write (BatchPlan, COPY into the staging table, INSERT ... ON
//             CONFLICT, cursor, COMMIT). Pages hold --batch records (default 100, Stripe's largest page).
// The pipeline's time is the wall time of all that work, freeing what it is done with included;
// building the fake API pages is not timed. Prints records/s for each and the ratio pipeline / raw
// (DESIGN.md's target: at least 0.5).
//
//   eval "$(scripts/pg-test-server.sh start)"
//   build/pg-release/tests/bench/pg_load_bench [--records 1000000] [--batch 100] [--records-per-write 1000]
//                                              [--parser simdjson|qt] [--no-overlap] [--normalizer-per-page]
//                                              [--skip-raw] [--url URL]
#include "core/JsonPage.h"
#include "core/Normalizer.h"
#include "sync/PendingWrite.h"
#include "warehouse/BatchPlan.h"
#include "warehouse/PostgresConnection.h"
#include "warehouse/PostgresCopyFormat.h"
#include "warehouse/PostgresWarehouse.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <cstdio>
#include <ctime>
#include <limits>
#include <optional>

#include <unistd.h>

using namespace tributary;
using namespace Qt::StringLiterals;

namespace {

QJsonObject charge(const QJsonObject &shape, qint64 n)
{
    QJsonObject c = shape;
    c[u"id"_s] = u"ch_%1"_s.arg(n, 10, 10, QLatin1Char('0'));
    c[u"amount"_s] = 100 + n % 100000;
    c[u"amount_captured"_s] = 100 + n % 100000;
    c[u"created"_s] = 1700000000 + n;
    c[u"captured"_s] = n % 3 != 0;
    c[u"customer"_s] = u"cus_%1"_s.arg(n % 50000);
    c[u"description"_s] = u"Charge %1 for order #%2"_s.arg(n).arg(n * 7);
    c[u"receipt_number"_s] = QString::number(1000000 + n);
    QJsonObject metadata;
    metadata[u"order_id"_s] = QString::number(n * 7);
    c[u"metadata"_s] = metadata;
    return c;
}

// Stripe's version column (connectors/stripe: events_feed.version_column), which the reader adds
// to every record of a list page, with the upstream's time.
const QString kVersionColumn = u"updated"_s;
constexpr double kListedAt = 1764400000.0;

QJsonObject listed(QJsonObject record)
{
    record.insert(kVersionColumn, kListedAt);
    return record;
}

// A write of charges into schema (source "bench-<schema>"), versioned as a list page's records are.
WriteRequest chargesWrite(const QString &schema, const QDateTime &receivedAt)
{
    WriteRequest request;
    request.source = QString(schema).replace(u'_', u'-');
    request.schema = schema;
    request.collection = u"charges"_s;
    request.receivedAt = receivedAt;
    request.versionColumn = kVersionColumn;
    request.replaceOnEqualVersion = true;
    return request;
}

void fail(const QString &what)
{
    std::fprintf(stderr, "pg_load_bench: %s\n", qPrintable(what));
    std::exit(1);
}

// CPU seconds (user + system) a process has used, from /proc (-1 when unreadable: a server on
// another machine, or no /proc).
double processCpuSeconds(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return -1.0;
    const QByteArray text = stat.readAll();
    // Fields after the command name (which is in parentheses and may hold spaces): state is 3rd,
    // utime the 14th, stime the 15th.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1.0;
    return double(fields.at(11).toLongLong() + fields.at(12).toLongLong()) / double(sysconf(_SC_CLK_TCK));
}

// The process's peak resident memory in MB, from /proc (-1 when unreadable).
double peakRssMb()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1.0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return double(line.mid(6).trimmed().split(' ').first().toLongLong()) / 1024.0;
    }
    return -1.0;
}

double threadCpuSeconds()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

// "12.3 us/record", or "n/a".
QByteArray perRecord(double seconds, qint64 records)
{
    if (seconds < 0)
        return "n/a";
    return QByteArray::number(seconds * 1e6 / double(records), 'f', 1) + " us/record";
}

double rate(qint64 records, qint64 ms)
{
    return ms > 0 ? double(records) * 1000.0 / double(ms) : 0.0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"tributary.*.debug=false\ntributary.*.info=false"_s);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({u"records"_s, u"Records to load (default 1000000)."_s, u"N"_s, u"1000000"_s});
    parser.addOption({u"batch"_s, u"Records per API page in the pipeline (default 100)."_s, u"N"_s, u"100"_s});
    parser.addOption({u"records-per-write"_s,
                      u"Pages are gathered into writes of up to N records, as SyncJob does (default %1; 0: one write "
                      "per page)."_s.arg(PendingWrite::kDefaultRecordLimit),
                      u"N"_s, QString::number(PendingWrite::kDefaultRecordLimit)});
    parser.addOption({u"parser"_s,
                      u"How pages are read: simdjson (JsonPage, what a sync does) or qt (QJsonDocument)."_s, u"NAME"_s,
                      u"simdjson"_s});
    parser.addOption({u"url"_s, u"Server URL with password (default $TRIBUTARY_TEST_PG_URL)."_s, u"URL"_s});
    parser.addOption({u"no-overlap"_s, u"Wait for each write to finish before reading the next page."_s});
    parser.addOption({u"normalizer-per-page"_s,
                      u"A new Normalizer for each page (as SyncJob did before it kept one per collection)."_s});
    parser.addOption({u"skip-raw"_s, u"Time the pipeline only (for profiling)."_s});
    parser.process(app);
    const bool skipRaw = parser.isSet(u"skip-raw"_s);
    const qint64 records = parser.value(u"records"_s).toLongLong();
    const int batch = parser.value(u"batch"_s).toInt();
    const int recordsPerWrite = parser.value(u"records-per-write"_s).toInt();
    const bool qtParser = parser.value(u"parser"_s) == u"qt"_s;
    const bool overlap = !parser.isSet(u"no-overlap"_s);
    const bool normalizerPerPage = parser.isSet(u"normalizer-per-page"_s);
    const QString url = parser.isSet(u"url"_s) ? parser.value(u"url"_s) : qEnvironmentVariable("TRIBUTARY_TEST_PG_URL");
    if (url.isEmpty() || records <= 0 || batch <= 0 || recordsPerWrite < 0)
        fail(u"give --url (or TRIBUTARY_TEST_PG_URL), positive --records and --batch, and --records-per-write >= 0"_s);

    QFile file(QStringLiteral(TRIBUTARY_SOURCE_DIR "/tests/fakes/stripe/charge.json"));
    if (!file.open(QIODevice::ReadOnly))
        fail(u"cannot read "_s + file.fileName());
    const QJsonObject shape = QJsonDocument::fromJson(file.readAll()).object();
    const Normalizer normalizer; // for the probe and the raw rows, untimed
    const QDateTime receivedAt = QDateTime::currentDateTimeUtc();

    PostgresConnection admin;
    if (!admin.connect(url, {}))
        fail(admin.failure().message);
    const auto run = [&admin](const QString &sql) {
        if (!admin.exec(sql))
            fail(sql + u": "_s + admin.failure().message);
    };
    PostgresWarehouse warehouse(url, {});
    if (Result<void> opened = warehouse.open(); !opened)
        fail(opened.error().message);
    for (const char *schema : {"bench_probe", "bench_raw", "bench_pipeline"})
        run(u"DROP SCHEMA IF EXISTS "_s + QString::fromLatin1(schema) + u" CASCADE"_s);
    run(u"DELETE FROM _tributary.tables WHERE table_schema LIKE 'bench%'"_s);
    run(u"DELETE FROM _tributary.columns WHERE table_schema LIKE 'bench%'"_s);
    run(u"DELETE FROM _tributary.state WHERE source LIKE 'bench%'"_s);

    // The table's shape, from one record written by the warehouse itself.
    WriteRequest probe = chargesWrite(u"bench_probe"_s, receivedAt);
    probe.rows.append(*normalizer.normalize(listed(charge(shape, 0))));
    if (Result<WriteStats> written = warehouse.write(probe); !written)
        fail(written.error().message);
    PostgresConnection::Rows columns;
    if (!admin.exec(u"SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                    "'bench_probe.charges'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"_s,
                    &columns))
        fail(admin.failure().message);
    QStringList names;
    QList<ColumnType> types;
    for (int r = 0; r < columns.rowCount(); ++r) {
        names.append(columns.text(r, 0));
        types.append(PostgresCopyFormat::columnTypeOf(columns.text(r, 1)));
    }
    std::printf("PostgreSQL %s, %lld Stripe-shaped charges of %lld columns; pipeline pages of %d records read by %s, "
                "writes of up to %d records\n",
                qPrintable(admin.serverVersionText()), records, qint64(names.size()), batch,
                qtParser ? "QJsonDocument" : "JsonPage (simdjson)", std::max(recordsPerWrite, batch));

    // Raw: the rows flattened and formatted before the clock starts.
    std::printf("preparing the raw rows...\n");
    std::fflush(stdout);
    QList<QByteArray> chunks(1);
    const QString receivedText = BatchPlan::timestampText(receivedAt);
    for (qint64 n = 0; n < (skipRaw ? 0 : records); ++n) {
        const FlatRecord flat = *normalizer.normalize(listed(charge(shape, n)));
        QByteArray &out = chunks.last();
        for (qsizetype c = 0; c < names.size(); ++c) {
            if (c > 0)
                out += '\t';
            const QString &name = names.at(c);
            if (name == u"received_at"_s) {
                out += receivedText.toLatin1();
            } else if (name == u"is_deleted"_s) {
                out += 'f';
            } else {
                const FlatField *field = flat.field(name);
                if (field)
                    PostgresCopyFormat::appendValue(out, field->value, types.at(c));
                else
                    PostgresCopyFormat::appendNull(out);
            }
        }
        out += '\n';
        if (out.size() > (64 << 20))
            chunks.append(QByteArray());
    }
    qint64 rawBytes = 0;
    for (const QByteArray &chunk : std::as_const(chunks))
        rawBytes += chunk.size();

    run(u"CREATE SCHEMA bench_raw"_s);
    run(u"CREATE TABLE bench_raw.charges (LIKE bench_probe.charges INCLUDING ALL)"_s);
    PostgresConnection::Rows adminPid;
    if (!admin.exec(u"SELECT pg_backend_pid()"_s, &adminPid))
        fail(admin.failure().message);
    const qint64 rawServerPid = adminPid.value(0, 0).toLongLong();
    const double rawServerCpu0 = processCpuSeconds(rawServerPid);
    const double rawClientCpu0 = threadCpuSeconds();
    QElapsedTimer timer;
    timer.start();
    qint64 rawMs = 0;
    if (skipRaw) {
        std::printf("raw COPY:  skipped\n");
    } else {
        timer.start();
        run(u"BEGIN"_s);
        for (const QByteArray &chunk : std::as_const(chunks)) {
            // copyIn sends one payload; one COPY per 64 MB chunk, all in one transaction.
            if (!admin.copyIn(u"COPY bench_raw.charges FROM STDIN"_s, chunk))
                fail(admin.failure().message);
        }
        run(u"COMMIT"_s);
        rawMs = timer.elapsed();
        const double rawClientCpu = threadCpuSeconds() - rawClientCpu0;
        const double rawServerCpu = rawServerCpu0 < 0 ? -1.0 : processCpuSeconds(rawServerPid) - rawServerCpu0;
        chunks.clear();
        std::printf("raw COPY:  %10lld records in %8.2f s = %10.0f records/s (%.0f MB of COPY text)\n", records,
                    double(rawMs) / 1000.0, rate(records, rawMs), double(rawBytes) / 1e6);
        std::printf("  CPU: client %s, server %s\n", perRecord(rawClientCpu, records).constData(),
                    perRecord(rawServerCpu, records).constData());
    }
    std::fflush(stdout);

    // Pipeline: read + normalize per page, pages gathered into writes as SyncJob gathers them,
    // then BatchPlan + COPY/INSERT/cursor/COMMIT per write.
    qint64 parseNs = 0;
    qint64 normalizeNs = 0;
    qint64 writeNs = 0;
    qint64 pipelineNs = 0; // all of it: the phases above and freeing pages, records and requests
    qint64 written = 0;
    double clientCpu = 0.0;
    const qint64 serverPid = warehouse.backendPid();
    const double serverCpu0 = processCpuSeconds(serverPid);
    PendingWrite pending(recordsPerWrite, std::numeric_limits<int>::max());
    // As SyncJob does: a write is begun, and finished only when the next one is due (PostgreSQL
    // inserts and commits it meanwhile); --no-overlap finishes each write at once.
    bool inFlight = false;
    const auto finish = [&]() {
        if (!inFlight)
            return;
        timer.restart();
        const Result<WriteStats> stats = warehouse.finishWrite();
        if (!stats)
            fail(stats.error().message);
        written += stats->inserted;
        inFlight = false;
        writeNs += timer.nsecsElapsed();
    };
    const auto write = [&](WriteRequest request) {
        finish();
        timer.restart();
        warehouse.beginWrite(request);
        inFlight = true;
        writeNs += timer.nsecsElapsed();
        if (!overlap)
            finish();
    };
    constexpr qint64 kPagesPerRound = 50;                        // pages built (untimed) ahead of the timed work
    std::optional<Normalizer> pipelineNormalizer(std::in_place); // SyncJob keeps one per collection
    int pageNumber = 0;
    for (qint64 start = 0; start < records; start += kPagesPerRound * batch) {
        QList<QByteArray> bodies;
        for (qint64 first = start; first < std::min(records, start + kPagesPerRound * batch); first += batch) {
            QJsonArray data;
            for (qint64 n = first; n < std::min(records, first + batch); ++n)
                data.append(charge(shape, n));
            bodies.append(
                    QJsonDocument(QJsonObject {{u"object"_s, u"list"_s}, {u"data"_s, data}, {u"has_more"_s, true}})
                            .toJson(QJsonDocument::Compact));
        }
        const double cpu0 = threadCpuSeconds();
        QElapsedTimer round;
        round.start();
        for (const QByteArray &body : std::as_const(bodies)) {
            timer.restart();
            QList<JsonRecord> page;
            if (qtParser) {
                const QJsonArray array = QJsonDocument::fromJson(body).object().value(u"data"_s).toArray();
                for (const QJsonValue &value : array)
                    page.append(value.toObject());
            } else {
                std::optional<JsonPage> read = JsonPage::read(body, u"/data"_s);
                if (!read)
                    fail(u"JsonPage refused a page"_s);
                page = read->records();
            }
            // As RestCollectionReader does with a list page of an events-feed collection: each
            // record gets the version column (the upstream's clock: every record is current).
            for (JsonRecord &record : page)
                record.insert(kVersionColumn, kListedAt);
            parseNs += timer.nsecsElapsed();
            timer.restart();
            WriteRequest request = chargesWrite(u"bench_pipeline"_s, receivedAt);
            request.rows.reserve(page.size());
            if (normalizerPerPage)
                pipelineNormalizer.emplace();
            for (const JsonRecord &record : std::as_const(page)) {
                Result<FlatRecord> flat = pipelineNormalizer->normalize(record);
                if (!flat)
                    fail(flat.error().message);
                request.rows.append(std::move(*flat));
            }
            request.state = QJsonObject {{u"starting_after"_s, request.rows.last().id}};
            normalizeNs += timer.nsecsElapsed();
            if (!pending.accepts(request))
                write(pending.take());
            pending.add(std::move(request), ++pageNumber);
            if (pending.isDue())
                write(pending.take());
        }
        if (start + kPagesPerRound * batch >= records) {
            if (!pending.isEmpty())
                write(pending.take());
            finish();
        }
        pipelineNs += round.nsecsElapsed();
        clientCpu += threadCpuSeconds() - cpu0;
    }
    const double serverCpu = serverCpu0 < 0 ? -1.0 : processCpuSeconds(serverPid) - serverCpu0;
    const qint64 pipelineMs = pipelineNs / 1000000;
    if (written != records)
        fail(u"the pipeline inserted %1 records, not %2"_s.arg(written).arg(records));
    std::printf("pipeline:  %10lld records in %8.2f s = %10.0f records/s\n", records, double(pipelineMs) / 1000.0,
                rate(records, pipelineMs));
    const qint64 otherNs = pipelineNs - parseNs - normalizeNs - writeNs;
    std::printf("  read (%s) %.2f s = %.1f us/record, normalize %.2f s = %.1f us/record, "
                "write %.2f s = %.1f us/record, freeing and the rest %.2f s = %.1f us/record\n",
                qtParser ? "QJsonDocument" : "JsonPage", double(parseNs) / 1e9, double(parseNs) / 1e3 / double(records),
                double(normalizeNs) / 1e9, double(normalizeNs) / 1e3 / double(records), double(writeNs) / 1e9,
                double(writeNs) / 1e3 / double(records), double(otherNs) / 1e9,
                double(otherNs) / 1e3 / double(records));
    std::printf("  CPU: client %s (parse, normalize, plan, format, free), server %s\n",
                perRecord(clientCpu, records).constData(), perRecord(serverCpu, records).constData());
    std::printf("peak RSS of the process: %.0f MB%s\n", peakRssMb(),
                skipRaw ? " (the pipeline's)"
                        : " (mostly the raw rows prepared in memory; --skip-raw for the pipeline's)");
    std::printf("ratio pipeline / raw COPY: %.2f (target >= 0.5)\n",
                rawMs > 0 && pipelineMs > 0 ? rate(records, pipelineMs) / rate(records, rawMs) : 0.0);
    return 0;
}
