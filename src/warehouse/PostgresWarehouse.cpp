#include "PostgresWarehouse.h"

#include "core/Identifier.h"
#include "warehouse/BatchPlan.h"
#include "warehouse/PostgresConnection.h"
#include "warehouse/PostgresCopyFormat.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QUrl>

#include <vector>

namespace tributary {

namespace {

// Counts the rows the upsert's result (inserted, written) says were inserted and updated.
void addWrittenCounts(const PostgresConnection::Rows &result, bool objects, int written, WriteStats &stats)
{
    const int inserted = int(result.value(0, 0).toLongLong());
    const int total = int(result.value(0, 1).toLongLong());
    stats.inserted += inserted;
    if (objects)
        stats.updated += total - inserted;
    // Rows the INSERT left out: duplicate events, objects not newer than the stored version.
    stats.skipped += written - total;
}

Q_LOGGING_CATEGORY(lcPostgres, "tributary.warehouse.postgres")

constexpr qsizetype kMaxCachedStagings = 16;
// pg_advisory_xact_lock key serialising the creation of Tributary's own tables.
constexpr qint64 kMetadataLockKey = 0x7472696275746172; // "tributar"

QString quote(const QString &name)
{
    return Identifier::quote(name);
}

QString shortName(const QString &name)
{
    return Identifier::shorten(name, PostgresWarehouse::maxIdentifierBytes);
}

QString qualified(const QString &schema, const QString &table)
{
    return quote(schema) + QLatin1Char('.') + quote(table);
}

QString metaTable(const char *name)
{
    return qualified(PostgresWarehouse::metadataSchema(), QString::fromLatin1(name));
}

QString quotedList(const QStringList &names, const QString &prefix = {})
{
    QStringList quoted;
    quoted.reserve(names.size());
    for (const QString &name : names)
        quoted.append(prefix + quote(name));
    return quoted.join(QStringLiteral(", "));
}

// A text[] literal for = ANY($1::text[]).
QByteArray textArray(const QStringList &values)
{
    QByteArray out("{");
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += ',';
        out += '"';
        for (const char c : values.at(i).toUtf8()) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    out += '}';
    return out;
}

QByteArray integerArray(const QList<int> &values)
{
    QByteArray out("{");
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += ',';
        out += QByteArray::number(values.at(i));
    }
    out += '}';
    return out;
}

// The expression that turns a column of type from into one of type to, keeping every value in the
// form the warehouse writes for the wider type.
QString widenExpression(const QString &column, ColumnType from, ColumnType to)
{
    const QString c = quote(column);
    if (to == ColumnType::Text && from == ColumnType::Timestamp)
        return QStringLiteral("to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')").arg(c);
    return c + QStringLiteral("::") + PostgresCopyFormat::sqlType(to);
}

Error configError(const QString &message, const QString &hint)
{
    return Error::make(Error::Kind::Config, message, hint);
}

Result<void> checkNames(const WriteRequest &request)
{
    const QString schema = shortName(request.schema);
    if (request.schema.isEmpty() || request.collection.isEmpty() || request.schema.contains(QChar(0))
        || request.collection.contains(QChar(0))) {
        return configError(QStringLiteral("The schema or table name of %1 is empty or holds a NUL character.")
                                   .arg(request.collection),
                           QStringLiteral("Give the source another schema name."));
    }
    if (schema == PostgresWarehouse::metadataSchema() || schema.startsWith(QLatin1String("pg_"))
        || schema == QLatin1String("information_schema")) {
        return configError(QStringLiteral("The schema name %1 is reserved in PostgreSQL or by Tributary.").arg(schema),
                           QStringLiteral("Give the source another schema name (`tributary source add ... --schema "
                                          "NAME`)."));
    }
    return {};
}

// The URL as it may be shown: without a password, even when QUrl cannot read the rest.
QString withoutPassword(const QString &url)
{
    const QUrl parsed(url);
    if (parsed.isValid())
        return parsed.password().isEmpty() ? url : parsed.toString(QUrl::RemovePassword);
    static const QRegularExpression password(QStringLiteral("^([A-Za-z]+://[^:@/]*):[^@/]*@"));
    QString shown = url;
    return shown.replace(password, QStringLiteral("\\1@"));
}

QByteArray utf8(const QString &text)
{
    return text.toUtf8();
}

// What opens a query when the transaction is not open yet.
QString beginPrefix(bool begin)
{
    return begin ? QStringLiteral("BEGIN; ") : QString();
}

} // namespace

bool PostgresWarehouse::versionsComparedByServer(const WriteRequest &request, const TableState &state) const
{
    if (request.kind != CollectionKind::Object || request.versionColumn.isEmpty())
        return false;
    const Column *version = state.column(shortName(request.versionColumn));
    return version
            && (version->type == ColumnType::Integer || version->type == ColumnType::Real
                || version->type == ColumnType::Timestamp);
}

bool PostgresWarehouse::needsChange(const TableState &state, const TableSchema &batchSchema)
{
    if (!state.exists)
        return true;
    for (const TableSchema::Column &wanted : batchSchema.columns()) {
        const Column *have = state.column(wanted.name);
        if (!have || widenColumnType(have->type, wanted.type) != have->type)
            return true;
    }
    return false;
}

const PostgresWarehouse::Column *PostgresWarehouse::TableState::column(const QString &name) const
{
    const auto found = index.constFind(name);
    return found == index.cend() ? nullptr : &columns.at(*found);
}

void PostgresWarehouse::TableState::add(const Column &column)
{
    const auto found = index.constFind(column.name);
    if (found != index.cend()) {
        columns[*found] = column;
        return;
    }
    index.insert(column.name, int(columns.size()));
    columns.append(column);
}

PostgresWarehouse::PostgresWarehouse(const QString &url, const QString &password)
    : m_url(url.trimmed()), m_password(password)
{ }

PostgresWarehouse::~PostgresWarehouse()
{
    close();
}

Result<void> PostgresWarehouse::checkUrl(const QString &url)
{
    const QString trimmed = url.trimmed();
    const QString problem = PostgresConnection::checkUrl(trimmed);
    if (problem.isEmpty())
        return {};
    return configError(
            QStringLiteral("The warehouse URL %1 cannot be read: %2").arg(withoutPassword(trimmed), problem),
            QStringLiteral("Use postgresql://USER@HOST:PORT/DB, optionally with ?sslmode=require (any libpq "
                           "connection parameter may follow), and give the password with --set password=env:VAR."));
}

Result<QString> PostgresWarehouse::testConnection(const QString &url, const QString &password,
                                                  ConnectionProblem *problem)
{
    const auto fail = [problem](ConnectionProblem what, Error error) -> Result<QString> {
        if (problem)
            *problem = what;
        return error;
    };
    if (problem)
        *problem = ConnectionProblem::None;
    if (Result<void> valid = checkUrl(url); !valid)
        return fail(ConnectionProblem::InvalidUrl, valid.error());

    const QUrl parsed(url.trimmed());
    const QString host = parsed.host().isEmpty() ? QStringLiteral("localhost") : parsed.host();
    const QString server = host + QLatin1Char(':') + QString::number(parsed.port(5432));
    const QString user = parsed.userName();
    const QString database = parsed.path().mid(1);

    PostgresConnection connection;
    if (connection.connect(url.trimmed(), password)) {
        const QString version = QStringLiteral("PostgreSQL ") + connection.serverVersionText();
        PostgresConnection::Rows rows;
        if (!connection.exec(QStringLiteral("SELECT has_database_privilege(current_database(), 'CREATE'), "
                                            "current_user, current_database()"),
                             &rows)
            || rows.rowCount() != 1) {
            return fail(
                    ConnectionProblem::Other,
                    Error::make(Error::Kind::Warehouse,
                                QStringLiteral("Connected to %1 at %2, but it could not say what the user may do: %3")
                                        .arg(version, server, connection.failure().message),
                                QStringLiteral("Check the server's log.")));
        }
        if (!rows.value(0, 0).toBool()) {
            const QString who = rows.text(0, 1);
            const QString db = rows.text(0, 2);
            return fail(ConnectionProblem::NoRightToCreateSchema,
                        Error::make(Error::Kind::Permission,
                                    QStringLiteral("Connected to %1, but the user %2 may not create schemas in the "
                                                   "database %3.")
                                            .arg(version, who, db),
                                    QStringLiteral("Ask the database's owner to run GRANT CREATE ON DATABASE %1 TO %2; "
                                                   "(Tributary creates one schema per source, and \"_tributary\" for "
                                                   "its own tables).")
                                            .arg(quote(db), quote(who))));
        }
        return version;
    }

    const QString message = connection.failure().message;
    const QString lower = message.toLower();
    const bool needsPassword = connection.neededPassword();
    connection.disconnect();
    switch (PostgresConnection::ping(url.trimmed(), password)) {
    case PostgresConnection::Ping::NoResponse:
        return fail(ConnectionProblem::Unreachable,
                    Error::make(Error::Kind::Warehouse,
                                QStringLiteral("No PostgreSQL server answers at %1: %2").arg(server, message),
                                QStringLiteral("Check the host and port, that the server is running and accepts TCP "
                                               "connections (listen_addresses), and that no firewall is in the way."),
                                true));
    case PostgresConnection::Ping::NoAttempt:
        return fail(ConnectionProblem::InvalidUrl,
                    configError(QStringLiteral("The warehouse URL cannot be used: %1").arg(message),
                                QStringLiteral("Use postgresql://USER@HOST:PORT/DB.")));
    case PostgresConnection::Ping::Rejected:
        return fail(ConnectionProblem::Unreachable,
                    Error::make(Error::Kind::Warehouse,
                                QStringLiteral("The PostgreSQL server at %1 is not accepting connections: %2")
                                        .arg(server, message),
                                QStringLiteral("It may be starting up or shutting down; try again in a moment."),
                                true));
    case PostgresConnection::Ping::Ok:
        break;
    }
    const bool authFailed = needsPassword || lower.contains(QLatin1String("authentication failed"))
            || lower.contains(QLatin1String("no password supplied")) || lower.contains(QLatin1String("pg_hba.conf"))
            || (lower.contains(QLatin1String("role \"")) && lower.contains(QLatin1String("does not exist")));
    if (authFailed) {
        return fail(ConnectionProblem::AuthenticationFailed,
                    Error::make(Error::Kind::Auth,
                                QStringLiteral("The PostgreSQL server at %1 did not accept the user %2: %3")
                                        .arg(server, user.isEmpty() ? QStringLiteral("(none given)") : user, message),
                                needsPassword && password.isEmpty()
                                        ? QStringLiteral("Give the password with --set password=env:VAR.")
                                        : QStringLiteral("Check the user name and the password.")));
    }
    bool databaseMissing
            = lower.contains(QLatin1String("database \"")) && lower.contains(QLatin1String("does not exist"));
    if (!databaseMissing && !database.isEmpty() && database != QLatin1String("postgres")) {
        // Messages may be translated: a login to the maintenance database tells whether ours is missing.
        QUrl maintenance = parsed;
        maintenance.setPath(QStringLiteral("/postgres"));
        PostgresConnection probe;
        databaseMissing = probe.connect(maintenance.toString(), password);
    }
    if (databaseMissing) {
        return fail(ConnectionProblem::DatabaseMissing,
                    configError(QStringLiteral("The PostgreSQL server at %1 has no database %2.").arg(server, database),
                                QStringLiteral("Create it (createdb %1, or CREATE DATABASE %2;) or name another one "
                                               "in the URL.")
                                        .arg(database, quote(database))));
    }
    return fail(ConnectionProblem::Other,
                Error::make(Error::Kind::Warehouse,
                            QStringLiteral("Could not connect to the PostgreSQL server at %1: %2").arg(server, message),
                            QStringLiteral("Check the URL and the server's log.")));
}

bool PostgresWarehouse::isOpen() const
{
    return m_connection && m_connection->isConnected();
}

int PostgresWarehouse::backendPid() const
{
    if (!m_connection || !m_connection->isConnected())
        return 0;
    PostgresConnection::Rows rows;
    if (!m_connection->exec(QStringLiteral("SELECT pg_backend_pid()"), &rows) || rows.rowCount() != 1)
        return 0;
    return int(rows.value(0, 0).toLongLong());
}

QString PostgresWarehouse::url() const
{
    return withoutPassword(m_url);
}

QString PostgresWarehouse::serverName() const
{
    const QUrl parsed(m_url);
    const QString host = parsed.host().isEmpty() ? QStringLiteral("localhost") : parsed.host();
    return host + QLatin1Char(':') + QString::number(parsed.port(5432)) + parsed.path();
}

Result<void> PostgresWarehouse::open()
{
    if (isOpen())
        return {};
    if (Result<void> valid = checkUrl(m_url); !valid)
        return valid;
    m_connection = std::make_unique<PostgresConnection>();
    if (!m_connection->connect(m_url, m_password)) {
        const PostgresConnection::Failure failure = m_connection->failure();
        m_connection.reset();
        return Error::make(Error::Kind::Warehouse,
                           QStringLiteral("The PostgreSQL warehouse %1 could not be opened: %2")
                                   .arg(serverName(), failure.message),
                           QStringLiteral("Check that the server is running and the URL, user and password are "
                                          "right (`tributary warehouse set postgresql://USER@HOST:PORT/DB --set "
                                          "password=env:VAR`)."),
                           true);
    }
    if (!setUpSession() || !ensureMetadata()) {
        const Error error = failure(QStringLiteral("prepare its own tables in schema \"_tributary\""));
        close();
        return error;
    }
    qCDebug(lcPostgres) << "Opened" << url() << "server" << m_connection->serverVersionText();
    return {};
}

void PostgresWarehouse::close()
{
    if (m_sent) {
        // Nobody asked for its result: it still ends (committed or rolled back) before the
        // connection does.
        if (Result<WriteStats> sent = completeSentWrite(); !sent)
            qCWarning(lcPostgres).noquote() << "A write finished after close() failed:" << sent.error().message;
    }
    forgetSession();
    m_connection.reset();
}

void PostgresWarehouse::forgetSession()
{
    m_tables.clear();
    m_stagings.clear();
    // Prepared statements outlive a rollback (they are not transactional), but may name staging
    // tables that did not: the caller deallocates them (DEALLOCATE ALL) once it can.
    m_statements.clear();
}

QString PostgresWarehouse::tableName(const QString &schema, const QString &collection) const
{
    return shortName(schema) + QLatin1Char('.') + shortName(collection);
}

QString PostgresWarehouse::sqlTableName(const QString &schema, const QString &collection) const
{
    return qualified(shortName(schema), shortName(collection));
}

Result<void> PostgresWarehouse::ensureOpen()
{
    // Anything else on the connection waits for a sent write first; its result waits for
    // finishWrite().
    if (m_sent)
        keepWriteResult(completeSentWrite());
    if (!m_connection) {
        return Error::make(Error::Kind::Warehouse,
                           QStringLiteral("The PostgreSQL warehouse %1 is not open.").arg(serverName()),
                           QStringLiteral("This is a bug in Tributary; please report it."));
    }
    if (m_connection->isBroken()) {
        forgetSession();
        if (!m_connection->reset() || !setUpSession() || !ensureMetadata())
            return failure(QStringLiteral("reconnect"));
        qCInfo(lcPostgres) << "Reconnected to" << serverName();
    }
    return {};
}

bool PostgresWarehouse::setUpSession()
{
    // Each write commits rows and cursor together, so a commit the server loses in a crash loses
    // both: the next run reads those pages again. Waiting for every commit's WAL flush would only
    // make each page wait for the disk (see docs/warehouses.md). A URL that sets
    // synchronous_commit itself (options=-c synchronous_commit=on) keeps its choice.
    if (m_url.contains(QLatin1String("synchronous_commit")))
        return true;
    return m_connection->exec(QStringLiteral("SET synchronous_commit = off"));
}

bool PostgresWarehouse::ensureMetadata()
{
    PostgresConnection &c = *m_connection;
    PostgresConnection::Rows rows;
    const QString check = QStringLiteral("SELECT to_regclass('%1') IS NOT NULL AND to_regclass('%2') IS NOT NULL "
                                         "AND to_regclass('%3') IS NOT NULL")
                                  .arg(metaTable("state"), metaTable("tables"), metaTable("columns"));
    if (!c.exec(check, &rows))
        return false;
    if (rows.rowCount() == 1 && rows.value(0, 0).toBool())
        return true;

    const QString schema = quote(metadataSchema());
    const QStringList steps {
            QStringLiteral("BEGIN"),
            QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(kMetadataLockKey),
            QStringLiteral("CREATE SCHEMA IF NOT EXISTS ") + schema,
            QStringLiteral("CREATE TABLE IF NOT EXISTS ") + metaTable("state")
                    + QStringLiteral(
                            " (source text NOT NULL, collection text NOT NULL, state jsonb NOT NULL, "
                            "updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (source, collection))"),
            QStringLiteral("CREATE TABLE IF NOT EXISTS ") + metaTable("tables")
                    + QStringLiteral(" (table_schema text NOT NULL, table_name text NOT NULL, source_schema text NOT "
                                     "NULL, collection text NOT NULL, PRIMARY KEY (table_schema, table_name))"),
            QStringLiteral("CREATE TABLE IF NOT EXISTS ") + metaTable("columns")
                    + QStringLiteral(" (table_schema text NOT NULL, table_name text NOT NULL, column_name text NOT "
                                     "NULL, type text NOT NULL, position integer NOT NULL, "
                                     "PRIMARY KEY (table_schema, table_name, column_name))"),
            QStringLiteral("COMMIT"),
    };
    for (const QString &sql : steps) {
        if (!c.exec(sql)) {
            // A successful ROLLBACK keeps the statement's failure in c.failure().
            if (!c.isBroken())
                (void)c.exec(QStringLiteral("ROLLBACK"));
            return false;
        }
    }
    return true;
}

Result<QJsonObject> PostgresWarehouse::readState(const QString &source, const QString &collection)
{
    if (Result<void> open = ensureOpen(); !open)
        return open.error();
    PostgresConnection::Rows rows;
    if (!m_connection->exec(QStringLiteral("SELECT state::text FROM ") + metaTable("state")
                                    + QStringLiteral(" WHERE source = $1 AND collection = $2"),
                            {utf8(source), utf8(collection)}, &rows))
        return failure(QStringLiteral("read the saved position of %1").arg(collection));
    if (rows.rowCount() == 0)
        return QJsonObject();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(rows.bytes(0, 0), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return Error::make(Error::Kind::Warehouse,
                           QStringLiteral("The saved position of %1 in the warehouse is damaged.").arg(collection),
                           QStringLiteral("Sync %1 again with --full-refresh to read it from the start.").arg(source));
    }
    return document.object();
}

Result<void> PostgresWarehouse::clearState(const QString &source, const QString &collection)
{
    if (Result<void> open = ensureOpen(); !open)
        return open.error();
    QString sql = QStringLiteral("DELETE FROM ") + metaTable("state") + QStringLiteral(" WHERE source = $1");
    QList<QByteArray> params {utf8(source)};
    if (!collection.isEmpty()) {
        sql += QStringLiteral(" AND collection = $2");
        params.append(utf8(collection));
    }
    if (!m_connection->exec(sql, params))
        return failure(
                QStringLiteral("forget the saved position of %1").arg(collection.isEmpty() ? source : collection));
    return {};
}

bool PostgresWarehouse::loadTable(const QString &schema, const QString &table, TableState &state)
{
    state = TableState();
    PostgresConnection::Rows rows;
    const QString sql = QStringLiteral("SELECT a.attname, format_type(a.atttypid, a.atttypmod), m.type "
                                       "FROM pg_catalog.pg_class c "
                                       "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                                       "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 "
                                       "AND NOT a.attisdropped "
                                       "LEFT JOIN %1 m ON m.table_schema = n.nspname AND m.table_name = c.relname "
                                       "AND m.column_name = a.attname "
                                       "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p') "
                                       "ORDER BY a.attnum")
                                .arg(metaTable("columns"));
    if (!m_connection->exec(sql, {utf8(schema), utf8(table)}, &rows))
        return false;
    for (int r = 0; r < rows.rowCount(); ++r) {
        Column column;
        column.name = rows.text(r, 0);
        column.sqlType = rows.text(r, 1);
        column.type = PostgresCopyFormat::columnTypeOf(column.sqlType);
        if (!rows.isNull(r, 2)) {
            const ColumnType recorded = columnTypeFromName(rows.text(r, 2));
            if (PostgresCopyFormat::sqlType(recorded) == column.sqlType)
                column.type = recorded;
        }
        state.add(column);
    }
    state.exists = !state.columns.isEmpty();
    return true;
}

Result<WriteStats> PostgresWarehouse::write(const WriteRequest &request)
{
    return writeBatch(request, false);
}

void PostgresWarehouse::beginWrite(const WriteRequest &request)
{
    if (m_sent) // finishWrite() was not called: the earlier write ends first
        keepWriteResult(completeSentWrite());
    if (hasWriteResult()) {
        keepWriteResult(WriteStats {}); // a second result waiting: kept as the misuse error
        return;
    }
    Result<WriteStats> written = writeBatch(request, true);
    if (!m_sent)
        keepWriteResult(std::move(written));
}

Result<WriteStats> PostgresWarehouse::finishWrite()
{
    return m_sent ? completeSentWrite() : Warehouse::finishWrite();
}

Result<WriteStats> PostgresWarehouse::completeSentWrite()
{
    const SentWrite sent = *std::exchange(m_sent, std::nullopt);
    std::vector<PostgresConnection::Rows> results;
    if (!m_connection->collectResults(&results) || results.size() != 1 || results.at(0).rowCount() != 1)
        return rollBack(sent.collection, sent.key);
    WriteStats stats = sent.stats;
    addWrittenCounts(results.at(0), sent.objects, sent.written, stats);
    qCDebug(lcPostgres).noquote() << "Wrote" << sent.key << ": inserted" << stats.inserted << "updated" << stats.updated
                                  << "skipped" << stats.skipped;
    return stats;
}

Error PostgresWarehouse::rollBack(const QString &collection, const QString &key)
{
    PostgresConnection &c = *m_connection;
    const Error error = failure(QStringLiteral("save %1").arg(collection));
    // Cached schemas and staging tables may be what the rollback undoes.
    forgetSession();
    if (!c.isBroken() && !c.exec(QStringLiteral("ROLLBACK")))
        qCWarning(lcPostgres) << "ROLLBACK failed:" << c.failure().message;
    if (!c.isBroken() && !c.exec(QStringLiteral("DEALLOCATE ALL")))
        qCWarning(lcPostgres) << "DEALLOCATE failed:" << c.failure().message;
    qCWarning(lcPostgres).noquote() << "Writing" << key << "failed and was rolled back:" << error.message;
    return error;
}

Result<WriteStats> PostgresWarehouse::writeBatch(const WriteRequest &request, bool send)
{
    if (Result<void> open = ensureOpen(); !open)
        return open.error();
    if (Result<void> names = checkNames(request); !names)
        return names.error();
    Result<BatchPlan> plan = BatchPlan::make(request);
    if (!plan)
        return plan.error();

    const QString schema = shortName(request.schema);
    const QString table = shortName(request.collection);
    const QString key = qualified(schema, table);
    // The batch's columns under their warehouse names.
    TableSchema batchSchema;
    for (const TableSchema::Column &column : plan->schema().columns())
        batchSchema.addOrWiden(shortName(column.name), column.type);

    PostgresConnection &c = *m_connection;
    WriteStats stats;
    TableState state;
    const auto run = [&]() -> bool {
        // The quick case, a known table that needs no change and no stored versions to read:
        // nothing to do before the COPY, which then opens the transaction itself.
        const auto cached = m_tables.constFind(key);
        const bool quick = cached != m_tables.cend() && !needsChange(*cached, batchSchema)
                && (request.kind != CollectionKind::Object || request.versionColumn.isEmpty()
                    || versionsComparedByServer(request, *cached));
        if (quick) {
            state = *cached;
            return writeRows(request, *plan, schema, table, state, true, stats, send);
        }
        if (!c.exec(QStringLiteral("BEGIN")))
            return false;
        if (cached != m_tables.cend())
            state = *cached;
        else if (!loadTable(schema, table, state))
            return false;
        if (!evolveTable(request, schema, table, batchSchema, state))
            return false;
        return writeRows(request, *plan, schema, table, state, false, stats);
    };
    if (!run())
        return rollBack(request.collection, key);
    m_tables.insert(key, state);
    qCDebug(lcPostgres).noquote() << "Wrote" << key << ": inserted" << stats.inserted << "updated" << stats.updated
                                  << "skipped" << stats.skipped;
    return stats;
}

bool PostgresWarehouse::evolveTable(const WriteRequest &request, const QString &schema, const QString &table,
                                    const TableSchema &batchSchema, TableState &state)
{
    if (!needsChange(state, batchSchema))
        return true;

    PostgresConnection &c = *m_connection;
    const QString target = qualified(schema, table);
    // Serialise schema changes of this table across connections, then look again: another writer
    // may have made them already.
    if (!c.exec(QStringLiteral("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))"), {utf8(target)}))
        return false;
    if (!loadTable(schema, table, state))
        return false;
    if (!needsChange(state, batchSchema))
        return true;

    QStringList changed;
    if (!state.exists) {
        PostgresConnection::Rows rows;
        if (!c.exec(QStringLiteral("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1"), {utf8(schema)}, &rows))
            return false;
        if (rows.rowCount() == 0 && !c.exec(QStringLiteral("CREATE SCHEMA IF NOT EXISTS ") + quote(schema)))
            return false;
        QStringList definitions;
        for (const TableSchema::Column &wanted : batchSchema.columns()) {
            Column column {wanted.name, wanted.type, PostgresCopyFormat::sqlType(wanted.type)};
            QString definition = quote(column.name) + QLatin1Char(' ') + column.sqlType;
            if (column.name == BatchPlan::idColumn())
                definition += QStringLiteral(" PRIMARY KEY");
            else if (column.name == BatchPlan::isDeletedColumn() && request.kind == CollectionKind::Object)
                definition += QStringLiteral(" NOT NULL DEFAULT false");
            definitions.append(definition);
            state.add(column);
            changed.append(column.name);
        }
        if (!c.exec(QStringLiteral("CREATE TABLE ") + target + QStringLiteral(" (")
                    + definitions.join(QStringLiteral(", ")) + QLatin1Char(')')))
            return false;
        state.exists = true;
        if (!c.exec(QStringLiteral("INSERT INTO ") + metaTable("tables")
                            + QStringLiteral(" (table_schema, table_name, source_schema, collection) "
                                             "VALUES ($1, $2, $3, $4) ON CONFLICT (table_schema, table_name) DO UPDATE "
                                             "SET source_schema = excluded.source_schema, "
                                             "collection = excluded.collection"),
                    {utf8(schema), utf8(table), utf8(request.schema), utf8(request.collection)}))
            return false;
        if (!c.exec(QStringLiteral("DELETE FROM ") + metaTable("columns")
                            + QStringLiteral(" WHERE table_schema = $1 AND table_name = $2"),
                    {utf8(schema), utf8(table)}))
            return false;
        qCInfo(lcPostgres).noquote() << "Created table" << target << "with" << state.columns.size() << "columns";
    } else {
        QStringList actions;
        for (const TableSchema::Column &wanted : batchSchema.columns()) {
            const Column *have = state.column(wanted.name);
            if (!have) {
                const Column column {wanted.name, wanted.type, PostgresCopyFormat::sqlType(wanted.type)};
                actions.append(QStringLiteral("ADD COLUMN IF NOT EXISTS ") + quote(column.name) + QLatin1Char(' ')
                               + column.sqlType);
                state.add(column);
                changed.append(column.name);
                qCInfo(lcPostgres).noquote()
                        << "Adding column" << column.name << columnTypeName(column.type) << "to" << target;
                continue;
            }
            const ColumnType widened = widenColumnType(have->type, wanted.type);
            if (widened == have->type)
                continue;
            const Column column {wanted.name, widened, PostgresCopyFormat::sqlType(widened)};
            if (column.sqlType != have->sqlType) {
                actions.append(QStringLiteral("ALTER COLUMN ") + quote(column.name) + QStringLiteral(" TYPE ")
                               + column.sqlType + QStringLiteral(" USING ")
                               + widenExpression(column.name, have->type, widened));
            }
            qCInfo(lcPostgres).noquote() << "Widening column" << column.name << "of" << target << "from"
                                         << columnTypeName(have->type) << "to" << columnTypeName(widened);
            state.add(column);
            changed.append(column.name);
        }
        if (!actions.isEmpty()
            && !c.exec(QStringLiteral("ALTER TABLE ") + target + QLatin1Char(' ') + actions.join(QStringLiteral(", "))))
            return false;
    }

    QStringList types;
    QList<int> positions;
    for (const QString &name : std::as_const(changed)) {
        types.append(columnTypeName(state.column(name)->type));
        positions.append(state.index.value(name));
    }
    return c.exec(QStringLiteral("INSERT INTO ") + metaTable("columns")
                          + QStringLiteral(" (table_schema, table_name, column_name, type, position) "
                                           "SELECT $1, $2, u.name, u.type, u.position FROM unnest($3::text[], "
                                           "$4::text[], $5::integer[]) AS u(name, type, position) "
                                           "ON CONFLICT (table_schema, table_name, column_name) DO UPDATE "
                                           "SET type = excluded.type, position = excluded.position"),
                  {utf8(schema), utf8(table), textArray(changed), textArray(types), integerArray(positions)});
}

bool PostgresWarehouse::readStoredVersions(const QString &qualifiedName, const QString &versionColumn,
                                           const TableState &state, const QStringList &ids,
                                           QHash<QString, QVariant> &versions)
{
    const Column *column = state.column(versionColumn);
    if (!column)
        return true;
    QString version = quote(versionColumn);
    if (column->type == ColumnType::Json)
        version += QStringLiteral("::text");
    PostgresConnection::Rows rows;
    if (!m_connection->exec(
                QStringLiteral("SELECT id, %1 FROM %2 WHERE id = ANY($1::text[])").arg(version, qualifiedName),
                {textArray(ids)}, &rows))
        return false;
    versions.reserve(rows.rowCount());
    for (int r = 0; r < rows.rowCount(); ++r)
        versions.insert(rows.text(r, 0), rows.value(r, 1));
    return true;
}

bool PostgresWarehouse::stagingTable(const QStringList &columns, const QStringList &types, Staging &staging)
{
    QString key = columns.join(QChar(0));
    key += QChar(1);
    key += types.join(QChar(0));
    const auto found = m_stagings.constFind(key);
    if (found != m_stagings.cend()) {
        staging = *found;
        return true;
    }
    PostgresConnection &c = *m_connection;
    if (m_stagings.size() >= kMaxCachedStagings) {
        for (const Staging &old : std::as_const(m_stagings)) {
            if (!c.exec(QStringLiteral("DROP TABLE IF EXISTS ") + old.name))
                return false;
        }
        m_stagings.clear();
        // The prepared INSERTs name those tables.
        if (!c.exec(QStringLiteral("DEALLOCATE ALL")))
            return false;
        m_statements.clear();
    }
    staging.name = QStringLiteral("pg_temp.") + quote(QStringLiteral("_tributary_staging_%1").arg(++m_stagingCounter));
    staging.columns = columns;
    QStringList definitions;
    for (qsizetype i = 0; i < columns.size(); ++i)
        definitions.append(quote(columns.at(i)) + QLatin1Char(' ') + types.at(i));
    // Rows vanish at each commit or rollback; the table stays for the session's next batches.
    if (!c.exec(QStringLiteral("CREATE TEMPORARY TABLE ") + staging.name + QStringLiteral(" (")
                + definitions.join(QStringLiteral(", ")) + QStringLiteral(") ON COMMIT DELETE ROWS")))
        return false;
    m_stagings.insert(key, staging);
    return true;
}

bool PostgresWarehouse::writeRows(const WriteRequest &request, const BatchPlan &plan, const QString &schema,
                                  const QString &table, const TableState &state, bool begin, WriteStats &stats,
                                  bool send)
{
    const bool objects = plan.kind() == CollectionKind::Object;
    const QString target = qualified(schema, table);
    const QList<BatchPlan::Row> &rows = plan.rows();
    stats.skipped += plan.superseded();

    // The data columns (system columns apart), under their warehouse names, and each one's type.
    const QStringList system = BatchPlan::systemColumns(plan.kind());
    QStringList dataColumns;
    QList<ColumnType> dataTypes;
    QStringList dataSqlTypes;
    QHash<QString, int> slotOf; // the batch's column name -> position in dataColumns
    for (const TableSchema::Column &column : plan.schema().columns()) {
        if (system.contains(column.name))
            continue;
        const QString name = shortName(column.name);
        if (!slotOf.contains(column.name)) {
            const Column *stored = state.column(name);
            slotOf.insert(column.name, int(dataColumns.size()));
            dataColumns.append(name);
            dataTypes.append(stored ? stored->type : ColumnType::Text);
            dataSqlTypes.append(stored ? stored->sqlType : QStringLiteral("text"));
        }
    }

    // With a version column, rows older than the stored ones are left out: by the INSERT's
    // ON CONFLICT condition when the server can compare them, otherwise here, after reading the
    // stored versions.
    const bool serverComparesVersions = versionsComparedByServer(request, state);
    std::vector<bool> skip(rows.size(), false);
    if (objects && !request.versionColumn.isEmpty() && !rows.isEmpty() && !serverComparesVersions) {
        QStringList ids;
        ids.reserve(rows.size());
        for (const BatchPlan::Row &row : rows)
            ids.append(row.id);
        QHash<QString, QVariant> stored;
        if (!readStoredVersions(target, shortName(request.versionColumn), state, ids, stored))
            return false;
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const auto found = stored.constFind(rows.at(i).id);
            if (found == stored.cend())
                continue;
            const std::optional<int> order = BatchPlan::compareVersions(*found, rows.at(i).version);
            if (order && (*order > 0 || (*order == 0 && !request.replaceOnEqualVersion))) {
                skip[i] = true;
                ++stats.skipped;
            }
        }
    }

    // Which row carries which column; a column some written rows lack is "partial" (objects: those
    // rows keep the stored value).
    std::vector<std::vector<int>> positions; // per distinct column list: slot -> index in row.columns
    std::vector<int> layoutOfRow(rows.size(), -1);
    std::vector<int> rowsOfLayout;
    int written = 0;
    {
        const QStringList *previous = nullptr;
        for (qsizetype i = 0; i < rows.size(); ++i) {
            if (skip[i])
                continue;
            const BatchPlan::Row &row = rows.at(i);
            if (!previous || row.columns != *previous) {
                std::vector<int> slots(dataColumns.size(), -1);
                for (qsizetype k = 0; k < row.columns.size(); ++k)
                    slots[slotOf.value(row.columns.at(k))] = int(k);
                positions.push_back(std::move(slots));
                rowsOfLayout.push_back(0);
                previous = &row.columns;
            }
            layoutOfRow[i] = int(positions.size() - 1);
            ++rowsOfLayout.back();
            ++written;
        }
    }
    std::vector<int> carriedCount(dataColumns.size(), 0);
    for (size_t layout = 0; layout < positions.size(); ++layout) {
        for (size_t s = 0; s < carriedCount.size(); ++s)
            carriedCount[s] += positions[layout][s] >= 0 ? rowsOfLayout[layout] : 0;
    }
    if (written == 0)
        return commitWithState(request, begin);
    QList<int> partial; // slots
    if (objects) {
        for (size_t s = 0; s < carriedCount.size(); ++s) {
            if (carriedCount[s] != written)
                partial.append(int(s));
        }
    }

    // Staging columns: events keep their order; objects carry is_deleted and, with partial
    // columns, which of those each row carries.
    const QString ordColumn = QStringLiteral("_tributary_ord");
    const QString carriedColumn = QStringLiteral("_tributary_carried");
    QStringList stagingColumns;
    QStringList stagingTypes;
    if (!objects) {
        stagingColumns << ordColumn;
        stagingTypes << QStringLiteral("integer");
    }
    stagingColumns << BatchPlan::idColumn();
    stagingTypes << (partial.isEmpty() ? QStringLiteral("text") : QStringLiteral("text PRIMARY KEY"));
    if (objects) {
        stagingColumns << BatchPlan::isDeletedColumn();
        stagingTypes << QStringLiteral("boolean");
    }
    stagingColumns += dataColumns;
    stagingTypes += dataSqlTypes;
    if (!partial.isEmpty()) {
        stagingColumns << carriedColumn;
        stagingTypes << QStringLiteral("boolean[]");
    }
    Staging staging;
    if (!stagingTable(stagingColumns, stagingTypes, staging))
        return false;

    QByteArray data;
    data.reserve(written * (64 + 24 * dataColumns.size()));
    int ord = 0;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (skip[i])
            continue;
        const BatchPlan::Row &row = rows.at(i);
        const std::vector<int> &slots = positions[layoutOfRow[i]];
        if (!objects) {
            PostgresCopyFormat::appendInteger(data, ord++);
            data += '\t';
        }
        PostgresCopyFormat::appendText(data, row.id);
        if (objects)
            data += row.deleted ? "\tt" : "\tf";
        for (size_t s = 0; s < slots.size(); ++s) {
            data += '\t';
            if (slots[s] < 0)
                PostgresCopyFormat::appendNull(data);
            else
                PostgresCopyFormat::appendValue(data, row.value(slots[s]), dataTypes.at(s));
        }
        if (!partial.isEmpty()) {
            data += "\t{";
            for (qsizetype p = 0; p < partial.size(); ++p) {
                if (p > 0)
                    data += ',';
                data += slots[partial.at(p)] >= 0 ? 't' : 'f';
            }
            data += '}';
        }
        data += '\n';
    }
    PostgresConnection &c = *m_connection;

    const QStringList systemTarget = BatchPlan::systemColumns(plan.kind());
    QStringList select {QStringLiteral("s.") + quote(BatchPlan::idColumn()), QStringLiteral("$1::timestamptz")};
    if (objects)
        select << QStringLiteral("s.") + quote(BatchPlan::isDeletedColumn());
    for (const QString &column : std::as_const(dataColumns))
        select << QStringLiteral("s.") + quote(column);
    QString sql = QStringLiteral("WITH w AS (INSERT INTO ") + target + QStringLiteral(" AS t (")
            + quotedList(systemTarget + dataColumns) + QStringLiteral(") SELECT ") + select.join(QStringLiteral(", "))
            + QStringLiteral(" FROM ") + staging.name + QStringLiteral(" s");
    if (objects) {
        QStringList assignments;
        for (const QString &column : systemTarget + dataColumns) {
            if (column == BatchPlan::idColumn())
                continue;
            const int slot = dataColumns.indexOf(column);
            if (slot >= 0 && partial.contains(slot))
                continue;
            assignments.append(quote(column) + QStringLiteral(" = excluded.") + quote(column));
        }
        if (!partial.isEmpty()) {
            QStringList names;
            QStringList choices;
            for (qsizetype p = 0; p < partial.size(); ++p) {
                const QString column = quote(dataColumns.at(partial.at(p)));
                names.append(column);
                choices.append(QStringLiteral("CASE WHEN p.%1[%2] THEN excluded.%3 ELSE t.%3 END")
                                       .arg(quote(carriedColumn))
                                       .arg(p + 1)
                                       .arg(column));
            }
            assignments.append(QStringLiteral("(") + names.join(QStringLiteral(", ")) + QStringLiteral(") = (SELECT ")
                               + choices.join(QStringLiteral(", ")) + QStringLiteral(" FROM ") + staging.name
                               + QStringLiteral(" p WHERE p.id = excluded.id)"));
        }
        sql += QStringLiteral(" ON CONFLICT (id) DO UPDATE SET ") + assignments.join(QStringLiteral(", "));
        if (serverComparesVersions) {
            // A null version never blocks a write; an older one never replaces, an equal one
            // only in a current-state read (BatchPlan::compareVersions' order for numbers and
            // timestamps).
            const QString version = quote(shortName(request.versionColumn));
            sql += QStringLiteral(" WHERE t.%1 IS NULL OR excluded.%1 IS NULL OR t.%1 %2 excluded.%1")
                           .arg(version, request.replaceOnEqualVersion ? QStringLiteral("<=") : QStringLiteral("<"));
        }
        sql += QStringLiteral(" RETURNING (t.xmax = 0) AS inserted) "
                              "SELECT count(*) FILTER (WHERE inserted), count(*) FROM w");
    } else {
        sql += QStringLiteral(" ORDER BY s.") + quote(ordColumn)
                + QStringLiteral(" ON CONFLICT (id) DO NOTHING RETURNING 1) SELECT count(*), count(*) FROM w");
    }
    QString statement;
    if (!preparedStatement(sql, statement))
        return false;

    // One query: [BEGIN;] COPY; the INSERT; the cursor; [COMMIT] (a before-commit hook runs
    // between the cursor and COMMIT).
    const QDateTime receivedAt = request.receivedAt.isValid() ? request.receivedAt : QDateTime::currentDateTimeUtc();
    // The staging table's columns are stagingColumns, in order: no column list to look up.
    QString script = beginPrefix(begin) + QStringLiteral("COPY ") + staging.name
            + QStringLiteral(" FROM STDIN; EXECUTE ") + statement + QLatin1Char('(')
            + c.literal(BatchPlan::timestampText(receivedAt).toUtf8()) + QStringLiteral("); ")
            + stateStatement(request);
    if (!m_beforeCommit)
        script += QStringLiteral("; COMMIT");
    if (send && begin && !m_beforeCommit) {
        // The server runs the INSERT, the cursor and COMMIT while the caller goes on.
        if (!c.sendWithCopy(script, data))
            return false;
        m_sent = SentWrite {request.collection, target, objects, written, stats};
        return true;
    }
    std::vector<PostgresConnection::Rows> results;
    if (!c.execWithCopy(script, data, &results) || results.size() != 1 || results.at(0).rowCount() != 1)
        return false;
    addWrittenCounts(results.at(0), objects, written, stats);
    if (m_beforeCommit) {
        m_beforeCommit();
        return c.exec(QStringLiteral("COMMIT"));
    }
    return true;
}

bool PostgresWarehouse::preparedStatement(const QString &sql, QString &name)
{
    const auto found = m_statements.constFind(sql);
    if (found != m_statements.cend()) {
        name = *found;
        return true;
    }
    name = QStringLiteral("_tributary_write_%1").arg(++m_statementCounter);
    // Prepared outside the transaction or in it: either way it stays for the session.
    if (!m_connection->exec(QStringLiteral("PREPARE ") + name + QStringLiteral(" (timestamptz) AS ") + sql))
        return false;
    m_statements.insert(sql, name);
    return true;
}

QString PostgresWarehouse::stateStatement(const WriteRequest &request) const
{
    const PostgresConnection &c = *m_connection;
    return QStringLiteral("INSERT INTO ") + metaTable("state")
            + QStringLiteral(" (source, collection, state, updated_at) VALUES (") + c.literal(utf8(request.source))
            + QStringLiteral(", ") + c.literal(utf8(request.collection)) + QStringLiteral(", ")
            + c.literal(QJsonDocument(request.state).toJson(QJsonDocument::Compact))
            + QStringLiteral("::jsonb, now()) ON CONFLICT (source, collection) DO UPDATE SET state = excluded.state, "
                             "updated_at = excluded.updated_at");
}

bool PostgresWarehouse::commitWithState(const WriteRequest &request, bool begin)
{
    PostgresConnection &c = *m_connection;
    if (!c.exec(beginPrefix(begin) + stateStatement(request)))
        return false;
    if (m_beforeCommit)
        m_beforeCommit();
    return c.exec(QStringLiteral("COMMIT"));
}

Result<QList<TableInfo>> PostgresWarehouse::tables(const QString &schema)
{
    if (Result<void> open = ensureOpen(); !open)
        return open.error();
    const QString shortSchema = shortName(schema);
    PostgresConnection &c = *m_connection;
    PostgresConnection::Rows names;
    if (!c.exec(QStringLiteral("SELECT table_name, collection FROM ") + metaTable("tables")
                        + QStringLiteral(" WHERE table_schema = $1 ORDER BY collection"),
                {utf8(shortSchema)}, &names))
        return failure(QStringLiteral("list the tables of %1").arg(schema));
    QList<TableInfo> result;
    for (int r = 0; r < names.rowCount(); ++r) {
        const QString table = names.text(r, 0);
        TableState state;
        if (!loadTable(shortSchema, table, state))
            return failure(QStringLiteral("list the tables of %1").arg(schema));
        if (!state.exists)
            continue;
        PostgresConnection::Rows count;
        if (!c.exec(QStringLiteral("SELECT count(*) FROM ") + qualified(shortSchema, table), &count))
            return failure(QStringLiteral("count the rows of %1").arg(table));
        TableInfo info;
        info.collection = names.text(r, 1);
        info.table = shortSchema + QLatin1Char('.') + table;
        info.rowCount = count.value(0, 0).toLongLong();
        for (const Column &column : std::as_const(state.columns))
            info.schema.addOrWiden(column.name, column.type);
        result.append(info);
    }
    return result;
}

Result<QueryResult> PostgresWarehouse::query(const QString &sql, int maxRows)
{
    if (Result<void> open = ensureOpen(); !open)
        return open.error();
    static const QRegularExpression readOnly(QStringLiteral("^(select|with)\\b"),
                                             QRegularExpression::CaseInsensitiveOption);
    QString body = sql.trimmed();
    while (body.endsWith(QLatin1Char(';')))
        body.chop(1);
    if (!readOnly.match(body).hasMatch() || body.contains(QLatin1Char(';')))
        return configError(QStringLiteral("Only one SELECT (or WITH ... SELECT) statement can run here."),
                           QStringLiteral("Remove anything that changes data, and keep to one statement."));
    PostgresConnection &c = *m_connection;
    PostgresConnection::Rows rows;
    // A read-only transaction: the server refuses anything that would write.
    const bool ok = c.exec(QStringLiteral("BEGIN READ ONLY"))
            && c.exec(QStringLiteral("SET LOCAL statement_timeout = '60s'"))
            && c.exec(QStringLiteral("DECLARE _tributary_query NO SCROLL CURSOR FOR ") + body)
            && c.exec(QStringLiteral("FETCH FORWARD %1 FROM _tributary_query").arg(qMax(0, maxRows) + 1), &rows);
    const PostgresConnection::Failure failed = c.failure();
    if (!c.isBroken())
        (void)c.exec(QStringLiteral("ROLLBACK"));
    if (!ok) {
        if (failed.connectionLost)
            return failure(QStringLiteral("run the query"));
        return Error::make(Error::Kind::Warehouse, QStringLiteral("The query failed: %1").arg(failed.message),
                           QStringLiteral("Check the table and column names (the Data tab lists them); tables are "
                                          "named \"schema\".\"collection\"."));
    }
    QueryResult result;
    for (int col = 0; col < rows.columnCount(); ++col)
        result.columns.append(rows.columnName(col));
    for (int r = 0; r < rows.rowCount(); ++r) {
        if (r >= maxRows) {
            result.truncated = true;
            break;
        }
        QVariantList row;
        row.reserve(rows.columnCount());
        for (int col = 0; col < rows.columnCount(); ++col)
            row.append(rows.value(r, col));
        result.rows.append(row);
    }
    return result;
}

Error PostgresWarehouse::failure(const QString &what) const
{
    PostgresConnection::Failure failed = m_connection ? m_connection->failure() : PostgresConnection::Failure {};
    if (failed.message.isEmpty())
        failed.message = QStringLiteral("not connected");
    QString hint;
    if (failed.connectionLost) {
        hint = QStringLiteral("The server %1 stopped answering; nothing of this batch was saved. Check that it is "
                              "running, then sync again: it resumes from the last saved page.")
                       .arg(serverName());
    } else if (failed.sqlState == QLatin1String("42501")) {
        hint = QStringLiteral("The warehouse's user needs the right to create schemas and tables (GRANT CREATE ON "
                              "DATABASE ... TO ...); nothing of this batch was saved.");
    } else if (failed.sqlState.startsWith(QLatin1String("53"))) {
        hint = QStringLiteral("The server %1 is out of disk space or memory; nothing of this batch was saved.")
                       .arg(serverName());
    } else if (failed.sqlState == QLatin1String("2BP01")) {
        hint = QStringLiteral("A view depends on a column whose type must widen: drop the view, sync, and create "
                              "it again; nothing of this batch was saved.");
    } else {
        hint = QStringLiteral("Nothing of this batch was saved. Check the server's log, then sync again.");
    }
    return Error::make(Error::Kind::Warehouse,
                       QStringLiteral("The PostgreSQL warehouse could not %1: %2").arg(what, failed.message), hint,
                       failed.retryable);
}

} // namespace tributary
