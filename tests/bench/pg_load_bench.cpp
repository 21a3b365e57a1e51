// Loads the same N Stripe-shaped charges into PostgreSQL twice, side by side in one run:
//   raw       one COPY ... FROM STDIN of the already-flattened rows (generated before the clock starts)
//             into a table like the pipeline's (same columns, types and primary key), one commit;
//   pipeline  what a sync does with each page: parse the API's JSON page, Normalizer, then
//             PostgresWarehouse::write (BatchPlan, COPY into the staging table, INSERT ... ON CONFLICT,
//             cursor, COMMIT) per batch of --batch records (default 100, Stripe's largest page).
// Only the work named above is timed (building the fake API pages is not). Prints records/s for each
// and the ratio pipeline / raw (DESIGN.md's target: at least 0.5).
//
//   eval "$(scripts/pg-test-server.sh start)"
//   build/pg/tests/bench/pg_load_bench [--records 1000000] [--batch 100] [--url URL]
#include "core/Normalizer.h"
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

void fail(const QString &what)
{
    std::fprintf(stderr, "pg_load_bench: %s\n", qPrintable(what));
    std::exit(1);
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
    parser.addOption({u"batch"_s, u"Records per write in the pipeline (default 100)."_s, u"N"_s, u"100"_s});
    parser.addOption({u"url"_s, u"Server URL with password (default $TRIBUTARY_TEST_PG_URL)."_s, u"URL"_s});
    parser.process(app);
    const qint64 records = parser.value(u"records"_s).toLongLong();
    const int batch = parser.value(u"batch"_s).toInt();
    const QString url = parser.isSet(u"url"_s) ? parser.value(u"url"_s) : qEnvironmentVariable("TRIBUTARY_TEST_PG_URL");
    if (url.isEmpty() || records <= 0 || batch <= 0)
        fail(u"give --url (or TRIBUTARY_TEST_PG_URL), and positive --records and --batch"_s);

    QFile file(QStringLiteral(TRIBUTARY_SOURCE_DIR "/tests/fakes/stripe/charge.json"));
    if (!file.open(QIODevice::ReadOnly))
        fail(u"cannot read "_s + file.fileName());
    const QJsonObject shape = QJsonDocument::fromJson(file.readAll()).object();
    const Normalizer normalizer;
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
    WriteRequest probe;
    probe.source = u"bench-probe"_s;
    probe.schema = u"bench_probe"_s;
    probe.collection = u"charges"_s;
    probe.receivedAt = receivedAt;
    probe.rows.append(*normalizer.normalize(charge(shape, 0)));
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
    std::printf("PostgreSQL %s, %lld Stripe-shaped charges of %lld columns; pipeline batches of %d records\n",
                qPrintable(admin.serverVersionText()), records, qint64(names.size()), batch);

    // Raw: the rows flattened and formatted before the clock starts.
    std::printf("preparing the raw rows...\n");
    std::fflush(stdout);
    QList<QByteArray> chunks(1);
    const QString receivedText = BatchPlan::timestampText(receivedAt);
    for (qint64 n = 0; n < records; ++n) {
        const FlatRecord flat = *normalizer.normalize(charge(shape, n));
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
    QElapsedTimer timer;
    timer.start();
    run(u"BEGIN"_s);
    QByteArray all;
    for (const QByteArray &chunk : std::as_const(chunks)) {
        // copyIn sends one payload; one COPY per 64 MB chunk, all in one transaction.
        if (!admin.copyIn(u"COPY bench_raw.charges FROM STDIN"_s, chunk))
            fail(admin.failure().message);
    }
    run(u"COMMIT"_s);
    const qint64 rawMs = timer.elapsed();
    chunks.clear();
    std::printf("raw COPY:  %10lld records in %8.2f s = %10.0f records/s (%.0f MB of COPY text)\n", records,
                double(rawMs) / 1000.0, rate(records, rawMs), double(rawBytes) / 1e6);
    std::fflush(stdout);

    // Pipeline: parse + normalize + BatchPlan + COPY/INSERT/cursor/COMMIT per batch.
    qint64 pipelineMs = 0;
    qint64 normalizeMs = 0;
    qint64 written = 0;
    for (qint64 start = 0; start < records; start += batch) {
        const qint64 end = std::min(records, start + batch);
        QJsonArray data;
        for (qint64 n = start; n < end; ++n)
            data.append(charge(shape, n));
        const QByteArray body
                = QJsonDocument(QJsonObject {{u"object"_s, u"list"_s}, {u"data"_s, data}, {u"has_more"_s, true}})
                          .toJson(QJsonDocument::Compact);
        timer.restart();
        const QJsonArray page = QJsonDocument::fromJson(body).object().value(u"data"_s).toArray();
        WriteRequest request;
        request.source = u"bench-pipeline"_s;
        request.schema = u"bench_pipeline"_s;
        request.collection = u"charges"_s;
        request.receivedAt = receivedAt;
        request.rows.reserve(page.size());
        for (const QJsonValue &value : page) {
            Result<FlatRecord> flat = normalizer.normalize(value.toObject());
            if (!flat)
                fail(flat.error().message);
            request.rows.append(std::move(*flat));
        }
        request.state = QJsonObject {{u"starting_after"_s, request.rows.last().id}};
        normalizeMs += timer.elapsed();
        const Result<WriteStats> stats = warehouse.write(request);
        if (!stats)
            fail(stats.error().message);
        written += stats->inserted;
        pipelineMs += timer.elapsed();
    }
    if (written != records)
        fail(u"the pipeline inserted %1 records, not %2"_s.arg(written).arg(records));
    std::printf("pipeline:  %10lld records in %8.2f s = %10.0f records/s (parse + normalize %.2f s, write %.2f s)\n",
                records, double(pipelineMs) / 1000.0, rate(records, pipelineMs), double(normalizeMs) / 1000.0,
                double(pipelineMs - normalizeMs) / 1000.0);
    std::printf("ratio pipeline / raw COPY: %.2f (target >= 0.5)\n",
                rawMs > 0 && pipelineMs > 0 ? rate(records, pipelineMs) / rate(records, rawMs) : 0.0);
    return 0;
}
