#include "SqliteWarehouse.h"

#include "core/Identifier.h"
#include "warehouse/BatchPlan.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlRecord>
#include <QUuid>

#include <algorithm>

namespace tributary {

namespace {

Q_LOGGING_CATEGORY(lcSqlite, "tributary.warehouse.sqlite")

constexpr qsizetype kMaxBoundIds = 500;          // ids per SELECT ... IN (...)
constexpr std::size_t kMaxCachedStatements = 64; // prepared row statements kept per instance

// The declared SQLite type of a new column of this logical type.
QString declaredType(ColumnType type)
{
    switch (type) {
    case ColumnType::Null:
        return {};
    case ColumnType::Boolean:
    case ColumnType::Integer:
        return QStringLiteral("INTEGER");
    case ColumnType::Real:
        return QStringLiteral("REAL");
    case ColumnType::Timestamp:
    case ColumnType::Json:
    case ColumnType::Text:
        return QStringLiteral("TEXT");
    }
    return {};
}

enum class Affinity { Integer, Text, Blob, Real, Numeric };

// SQLite's rules (https://www.sqlite.org/datatype3.html, 3.1).
Affinity affinityOf(const QString &declared)
{
    const QString upper = declared.toUpper();
    if (upper.contains(QStringLiteral("INT")))
        return Affinity::Integer;
    if (upper.contains(QStringLiteral("CHAR")) || upper.contains(QStringLiteral("CLOB"))
        || upper.contains(QStringLiteral("TEXT")))
        return Affinity::Text;
    if (upper.isEmpty() || upper.contains(QStringLiteral("BLOB")))
        return Affinity::Blob;
    if (upper.contains(QStringLiteral("REAL")) || upper.contains(QStringLiteral("FLOA"))
        || upper.contains(QStringLiteral("DOUB")))
        return Affinity::Real;
    return Affinity::Numeric;
}

// The logical type of a column found in the table but not in _tributary_columns.
ColumnType typeOfDeclared(const QString &declared)
{
    switch (affinityOf(declared)) {
    case Affinity::Integer:
        return ColumnType::Integer;
    case Affinity::Real:
        return ColumnType::Real;
    case Affinity::Blob:
        return ColumnType::Null;
    case Affinity::Text:
    case Affinity::Numeric:
        return ColumnType::Text;
    }
    return ColumnType::Text;
}

// Whether SQLite stores values of this logical type unchanged in a column declared so: a column
// with numeric affinity turns numeric-looking text into numbers.
bool keepsValues(const QString &declared, ColumnType type)
{
    switch (affinityOf(declared)) {
    case Affinity::Integer:
    case Affinity::Real:
    case Affinity::Numeric:
        return type == ColumnType::Null || type == ColumnType::Boolean || type == ColumnType::Integer
                || type == ColumnType::Real;
    case Affinity::Text:
    case Affinity::Blob:
        return true;
    }
    return true;
}

QString columnDefinition(const QString &name, const QString &declared)
{
    QString definition = Identifier::quote(name);
    if (!declared.isEmpty())
        definition += QLatin1Char(' ') + declared;
    if (name == BatchPlan::idColumn())
        definition += QStringLiteral(" PRIMARY KEY NOT NULL");
    return definition;
}

QString quotedList(const QStringList &names)
{
    QStringList quoted;
    quoted.reserve(names.size());
    for (const QString &name : names)
        quoted.append(Identifier::quote(name));
    return quoted.join(QStringLiteral(", "));
}

QString placeholders(qsizetype count)
{
    QString text;
    text.reserve(count * 3);
    for (qsizetype i = 0; i < count; ++i)
        text += i == 0 ? QStringLiteral("?") : QStringLiteral(", ?");
    return text;
}

QString databaseText(const QSqlError &error)
{
    const QString text = error.databaseText();
    return text.isEmpty() ? error.text() : text;
}

bool isBusy(const QString &nativeCode)
{
    // SQLITE_BUSY, SQLITE_LOCKED and their extended codes
    bool ok = false;
    const int code = nativeCode.toInt(&ok);
    return ok && ((code & 0xff) == 5 || (code & 0xff) == 6);
}

} // namespace

SqliteWarehouse::SqliteWarehouse(const QString &path) : m_path(path) { }

SqliteWarehouse::~SqliteWarehouse()
{
    close();
}

bool SqliteWarehouse::isOpen() const
{
    return !m_connectionName.isEmpty() && m_db.isOpen();
}

QString SqliteWarehouse::url() const
{
    return QStringLiteral("sqlite:") + m_path;
}

Result<void> SqliteWarehouse::open()
{
    if (isOpen())
        return {};
    const auto openError = [this](const QString &detail) {
        return Error::make(Error::Kind::Warehouse,
                           QStringLiteral("The warehouse file %1 could not be opened: %2").arg(m_path, detail),
                           QStringLiteral("Check that %1 is a SQLite database (or does not exist yet) in a folder you "
                                          "can write to, or choose another warehouse with `tributary warehouse set "
                                          "sqlite:PATH`.")
                                   .arg(m_path));
    };

    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath()))
        return openError(QStringLiteral("the folder %1 could not be created").arg(info.absolutePath()));

    m_connectionName = QStringLiteral("tributary-sqlite-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(m_path);
    if (!m_db.open()) {
        const QString detail = databaseText(m_db.lastError());
        close();
        return openError(detail);
    }

    const QStringList setup {
            QStringLiteral("PRAGMA busy_timeout = 10000"),
            QStringLiteral("PRAGMA journal_mode = WAL"),
            QStringLiteral("PRAGMA synchronous = NORMAL"),
            QStringLiteral("PRAGMA foreign_keys = OFF"),
            // A rebuilt table is renamed into place; views naming it stay as they are.
            QStringLiteral("PRAGMA legacy_alter_table = ON"),
            QStringLiteral("CREATE TABLE IF NOT EXISTS ") + Identifier::quote(stateTableName())
                    + QStringLiteral(" (source TEXT NOT NULL, collection TEXT NOT NULL, state TEXT NOT NULL, "
                                     "updated_at TEXT NOT NULL, PRIMARY KEY (source, collection))"),
            QStringLiteral("CREATE TABLE IF NOT EXISTS ") + Identifier::quote(columnsTableName())
                    + QStringLiteral(" (table_name TEXT NOT NULL, column_name TEXT NOT NULL, type TEXT NOT NULL, "
                                     "position INTEGER NOT NULL, PRIMARY KEY (table_name, column_name))"),
    };
    for (const QString &sql : setup) {
        QSqlQuery query(m_db);
        if (!exec(query, sql)) {
            const QString detail = m_lastError;
            close();
            return openError(detail);
        }
        if (sql.contains(QStringLiteral("journal_mode")) && query.next()
            && query.value(0).toString().compare(QStringLiteral("wal"), Qt::CaseInsensitive) != 0) {
            qCWarning(lcSqlite) << "The warehouse file" << m_path << "does not support WAL; journal mode is"
                                << query.value(0).toString();
        }
    }
    qCDebug(lcSqlite) << "Opened" << m_path << "as" << m_connectionName;
    return {};
}

void SqliteWarehouse::close()
{
    m_statements.clear();
    m_tables.clear();
    m_dataVersion = -1;
    if (m_connectionName.isEmpty())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    qCDebug(lcSqlite) << "Closed" << m_path;
    m_connectionName.clear();
}

QString SqliteWarehouse::tableName(const QString &schema, const QString &collection) const
{
    return schema + QLatin1Char('_') + collection;
}

Result<QJsonObject> SqliteWarehouse::readState(const QString &source, const QString &collection)
{
    if (Result<void> open = ensureOpen(); !open)
        return open.error();
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    bool ok = prepare(query,
                      QStringLiteral("SELECT state FROM ") + Identifier::quote(stateTableName())
                              + QStringLiteral(" WHERE source = ? AND collection = ?"));
    if (ok) {
        query.addBindValue(source);
        query.addBindValue(collection);
        ok = exec(query);
    }
    if (!ok) {
        return Error::make(Error::Kind::Warehouse,
                           QStringLiteral("The warehouse could not read the saved position of %1: %2")
                                   .arg(collection, m_lastError),
                           QStringLiteral("Check that the warehouse file %1 is readable, then sync again.").arg(m_path),
                           m_lastErrorBusy);
    }
    if (!query.next())
        return QJsonObject();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(query.value(0).toString().toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return Error::make(Error::Kind::Warehouse,
                           QStringLiteral("The saved position of %1 in the warehouse is damaged.").arg(collection),
                           QStringLiteral("Sync %1 again with --full-refresh to read it from the start.").arg(source));
    }
    return document.object();
}

Result<void> SqliteWarehouse::clearState(const QString &source, const QString &collection)
{
    if (Result<void> open = ensureOpen(); !open)
        return open.error();
    QSqlQuery query(m_db);
    QString sql = QStringLiteral("DELETE FROM ") + Identifier::quote(stateTableName())
            + QStringLiteral(" WHERE source = ?");
    if (!collection.isEmpty())
        sql += QStringLiteral(" AND collection = ?");
    bool ok = prepare(query, sql);
    if (ok) {
        query.addBindValue(source);
        if (!collection.isEmpty())
            query.addBindValue(collection);
        ok = exec(query);
    }
    if (!ok) {
        return Error::make(Error::Kind::Warehouse,
                           QStringLiteral("The warehouse could not forget the saved position of %1: %2")
                                   .arg(collection.isEmpty() ? source : collection, m_lastError),
                           QStringLiteral("Check that the warehouse file %1 is writable, then try again.").arg(m_path),
                           m_lastErrorBusy);
    }
    return {};
}

Result<QList<TableInfo>> SqliteWarehouse::tables(const QString &schema)
{
    if (Result<void> open = ensureOpen(); !open)
        return open.error();
    const auto listError = [&] {
        return Error::make(Error::Kind::Warehouse,
                           QStringLiteral("The warehouse could not list the tables of %1: %2").arg(schema, m_lastError),
                           QStringLiteral("Check that the warehouse file %1 is readable.").arg(m_path), true);
    };
    if (!dropStaleCache())
        return listError();

    QSqlQuery names(m_db);
    names.setForwardOnly(true);
    if (!exec(names,
              QStringLiteral("SELECT DISTINCT table_name FROM ") + Identifier::quote(columnsTableName())
                      + QStringLiteral(" ORDER BY table_name")))
        return listError();
    const QString prefix = schema + QLatin1Char('_');
    QStringList tableNames;
    while (names.next()) {
        const QString name = names.value(0).toString();
        if (name.startsWith(prefix) && name.size() > prefix.size())
            tableNames.append(name);
    }
    names.finish();

    QList<TableInfo> result;
    for (const QString &name : std::as_const(tableNames)) {
        TableState state;
        if (!loadTable(name, state))
            return listError();
        if (!state.exists)
            continue;
        QSqlQuery count(m_db);
        count.setForwardOnly(true);
        if (!exec(count, QStringLiteral("SELECT COUNT(*) FROM ") + Identifier::quote(name)) || !count.next())
            return listError();
        TableInfo info;
        info.collection = name.mid(prefix.size());
        info.table = name;
        info.rowCount = count.value(0).toLongLong();
        info.schema = state.schema;
        result.append(info);
    }
    return result;
}

Result<QueryResult> SqliteWarehouse::query(const QString &sql, int maxRows)
{
    if (auto opened = ensureOpen(); !opened)
        return opened.error();
    const QString statement = sql.trimmed();
    static const QRegularExpression readOnly(QStringLiteral("^(select|with)\\b"),
                                             QRegularExpression::CaseInsensitiveOption);
    QString body = statement;
    while (body.endsWith(QLatin1Char(';')))
        body.chop(1);
    if (!readOnly.match(body).hasMatch() || body.contains(QLatin1Char(';')))
        return Error::make(Error::Kind::Config,
                           QStringLiteral("Only one SELECT (or WITH ... SELECT) statement can run here."),
                           QStringLiteral("Remove anything that changes data, and keep to one statement."));
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery guard(db);
    exec(guard, QStringLiteral("PRAGMA query_only = ON"));
    QSqlQuery q(db);
    q.setForwardOnly(true);
    QueryResult result;
    const bool ok = q.exec(body);
    if (ok) {
        const QSqlRecord record = q.record();
        for (int i = 0; i < record.count(); ++i)
            result.columns.append(record.fieldName(i));
        while (q.next()) {
            if (result.rows.size() >= maxRows) {
                result.truncated = true;
                break;
            }
            QVariantList row;
            row.reserve(record.count());
            for (int i = 0; i < record.count(); ++i)
                row.append(q.value(i));
            result.rows.append(row);
        }
    }
    const QString failure = ok ? QString() : q.lastError().text();
    q.finish();
    exec(guard, QStringLiteral("PRAGMA query_only = OFF"));
    if (!ok)
        return Error::make(Error::Kind::Warehouse, QStringLiteral("The query failed: %1").arg(failure),
                           QStringLiteral("Check the table and column names (the Data tab lists them)."));
    return result;
}

Result<WriteStats> SqliteWarehouse::write(const WriteRequest &request)
{
    if (Result<void> open = ensureOpen(); !open)
        return open.error();
    Result<BatchPlan> plan = BatchPlan::make(request);
    if (!plan)
        return plan.error();
    const QString table = tableName(request.schema, request.collection);
    if (table.compare(stateTableName(), Qt::CaseInsensitive) == 0
        || table.compare(columnsTableName(), Qt::CaseInsensitive) == 0
        || table.startsWith(QStringLiteral("sqlite_"), Qt::CaseInsensitive)) {
        return Error::make(Error::Kind::Config,
                           QStringLiteral("The table name %1 is reserved in the warehouse.").arg(table),
                           QStringLiteral("Give the source another schema name."));
    }

    QSqlQuery transaction(m_db);
    if (!exec(transaction, QStringLiteral("BEGIN IMMEDIATE")))
        return writeError(request.collection, m_lastError, m_lastErrorBusy);

    WriteStats stats;
    TableState state;
    const bool ok = dropStaleCache() && loadTable(table, state) && writeRows(request, *plan, table, state, stats)
            && exec(transaction, QStringLiteral("COMMIT"));
    if (!ok) {
        const QString detail = m_lastError;
        const bool retryable = m_lastErrorBusy;
        // Statements and cached schemas may refer to what the rollback undoes.
        m_statements.clear();
        m_tables.remove(table);
        QSqlQuery rollback(m_db);
        if (!rollback.exec(QStringLiteral("ROLLBACK")))
            qCWarning(lcSqlite) << "ROLLBACK failed:" << databaseText(rollback.lastError());
        qCWarning(lcSqlite) << "Writing" << table << "failed and was rolled back:" << detail;
        return writeError(request.collection, detail, retryable);
    }
    m_tables.insert(table, state);
    qCDebug(lcSqlite) << "Wrote" << table << ": inserted" << stats.inserted << "updated" << stats.updated << "skipped"
                      << stats.skipped;
    return stats;
}

bool SqliteWarehouse::prepare(QSqlQuery &query, const QString &sql)
{
    if (query.prepare(sql))
        return true;
    noteFailure(query, sql);
    return false;
}

bool SqliteWarehouse::exec(QSqlQuery &query, const QString &sql)
{
    if (sql.isEmpty() ? query.exec() : query.exec(sql))
        return true;
    noteFailure(query, sql.isEmpty() ? query.lastQuery() : sql);
    return false;
}

void SqliteWarehouse::noteFailure(const QSqlQuery &query, const QString &sql)
{
    const QSqlError error = query.lastError();
    m_lastError = databaseText(error);
    m_lastErrorBusy = isBusy(error.nativeErrorCode());
    qCDebug(lcSqlite) << "Statement failed:" << sql << m_lastError;
}

bool SqliteWarehouse::dropStaleCache()
{
    // data_version changes when another connection commits: its schema changes void the cache.
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!exec(query, QStringLiteral("PRAGMA data_version")))
        return false;
    if (!query.next()) {
        m_lastError = QStringLiteral("PRAGMA data_version returned nothing");
        m_lastErrorBusy = false;
        return false;
    }
    const qint64 version = query.value(0).toLongLong();
    if (version != m_dataVersion) {
        m_tables.clear();
        m_dataVersion = version;
    }
    return true;
}

bool SqliteWarehouse::loadTable(const QString &table, TableState &state)
{
    const auto cached = m_tables.constFind(table);
    if (cached != m_tables.cend()) {
        state = *cached;
        return true;
    }
    state = TableState();

    QSqlQuery info(m_db);
    info.setForwardOnly(true);
    if (!prepare(info, QStringLiteral("SELECT name, type FROM pragma_table_info(?)")))
        return false;
    info.addBindValue(table);
    if (!exec(info))
        return false;
    QStringList physical;
    while (info.next()) {
        const QString name = info.value(0).toString();
        physical.append(name);
        state.declaredTypes.insert(name, info.value(1).toString().toUpper());
    }
    info.finish();

    if (!physical.isEmpty()) {
        state.exists = true;
        QSqlQuery columns(m_db);
        columns.setForwardOnly(true);
        if (!prepare(columns,
                     QStringLiteral("SELECT column_name, type FROM ") + Identifier::quote(columnsTableName())
                             + QStringLiteral(" WHERE table_name = ? ORDER BY position")))
            return false;
        columns.addBindValue(table);
        if (!exec(columns))
            return false;
        while (columns.next()) {
            const QString name = columns.value(0).toString();
            if (state.declaredTypes.contains(name))
                state.schema.addOrWiden(name, columnTypeFromName(columns.value(1).toString()));
        }
        for (const QString &name : std::as_const(physical)) {
            if (!state.schema.contains(name)) {
                state.schema.addOrWiden(name, typeOfDeclared(state.declaredTypes.value(name)));
                state.metadataIncomplete = true;
            }
        }
    }
    m_tables.insert(table, state);
    return true;
}

bool SqliteWarehouse::writeRows(const WriteRequest &request, const BatchPlan &plan, const QString &table,
                                TableState &state, WriteStats &stats)
{
    const bool existed = state.exists;
    if (!evolveTable(table, plan, state))
        return false;

    const bool objects = plan.kind() == CollectionKind::Object;
    const bool versioned = objects && !request.versionColumn.isEmpty();
    QHash<QString, QVariant> stored;
    if (objects && existed && !plan.rows().isEmpty()) {
        if (!readStoredVersions(table, plan, versioned ? request.versionColumn : QString(), state.schema, stored))
            return false;
    }

    const QString receivedAt = BatchPlan::timestampText(request.receivedAt.isValid() ? request.receivedAt
                                                                                     : QDateTime::currentDateTimeUtc());
    QSqlQuery *statement = nullptr;
    QStringList statementColumns;
    QList<ColumnType> statementTypes;
    for (const BatchPlan::Row &row : plan.rows()) {
        const auto storedRow = stored.constFind(row.id);
        const bool exists = storedRow != stored.cend();
        if (exists && versioned) {
            const std::optional<int> order = BatchPlan::compareVersions(*storedRow, row.version);
            // The stored row is newer (or as new, for a repeated change): skip this one.
            if (order && (*order > 0 || (*order == 0 && !request.replaceOnEqualVersion))) {
                ++stats.skipped;
                continue;
            }
        }
        if (!statement || row.columns != statementColumns) {
            statement = rowStatement(table, plan.kind(), row.columns);
            if (!statement)
                return false;
            statementColumns = row.columns;
            statementTypes.clear();
            for (const QString &column : row.columns)
                statementTypes.append(state.schema.type(column));
        }
        int position = 0;
        statement->bindValue(position++, row.id);
        statement->bindValue(position++, receivedAt);
        if (objects)
            statement->bindValue(position++, qint64(row.deleted ? 1 : 0));
        for (qsizetype c = 0; c < row.columns.size(); ++c)
            statement->bindValue(position++, BatchPlan::storedValue(row.value(c), statementTypes.at(c)));
        if (!exec(*statement))
            return false;
        if (objects)
            ++(exists ? stats.updated : stats.inserted);
        else
            ++(statement->numRowsAffected() > 0 ? stats.inserted : stats.skipped);
    }
    stats.skipped += plan.superseded();

    QSqlQuery saveState(m_db);
    if (!prepare(saveState,
                 QStringLiteral("INSERT INTO ") + Identifier::quote(stateTableName())
                         + QStringLiteral(" (source, collection, state, updated_at) VALUES (?, ?, ?, ?) "
                                          "ON CONFLICT (source, collection) DO UPDATE SET state = excluded.state, "
                                          "updated_at = excluded.updated_at")))
        return false;
    saveState.addBindValue(request.source);
    saveState.addBindValue(request.collection);
    saveState.addBindValue(QString::fromUtf8(QJsonDocument(request.state).toJson(QJsonDocument::Compact)));
    saveState.addBindValue(BatchPlan::timestampText(QDateTime::currentDateTimeUtc()));
    return exec(saveState);
}

bool SqliteWarehouse::evolveTable(const QString &table, const BatchPlan &plan, TableState &state)
{
    const TableState old = state;
    TableSchema::Change change;
    for (const TableSchema::Column &column : plan.schema().columns())
        state.schema.addOrWiden(column.name, column.type, &change);

    if (!old.exists) {
        QStringList definitions;
        for (const TableSchema::Column &column : state.schema.columns()) {
            const QString declared
                    = column.name == BatchPlan::idColumn() ? QStringLiteral("TEXT") : declaredType(column.type);
            definitions.append(columnDefinition(column.name, declared));
            state.declaredTypes.insert(column.name, declared);
        }
        QSqlQuery create(m_db);
        if (!exec(create,
                  QStringLiteral("CREATE TABLE ") + Identifier::quote(table) + QStringLiteral(" (")
                          + definitions.join(QStringLiteral(", ")) + QLatin1Char(')')))
            return false;
        state.exists = true;
        qCInfo(lcSqlite) << "Created table" << table << "with" << state.schema.columns().size() << "columns";
        QStringList all;
        for (const TableSchema::Column &column : state.schema.columns())
            all.append(column.name);
        return saveColumns(table, state.schema, all, true);
    }

    if (change.isEmpty() && !old.metadataIncomplete)
        return true;

    const bool rebuild = std::any_of(change.widened.cbegin(), change.widened.cend(), [&](const auto &column) {
        return !keepsValues(old.declaredTypes.value(column.name), column.type);
    });
    if (rebuild) {
        if (!rebuildTable(table, old, state))
            return false;
    } else {
        for (const TableSchema::Column &column : std::as_const(change.added)) {
            const QString declared = declaredType(column.type);
            QSqlQuery alter(m_db);
            if (!exec(alter,
                      QStringLiteral("ALTER TABLE ") + Identifier::quote(table) + QStringLiteral(" ADD COLUMN ")
                              + columnDefinition(column.name, declared)))
                return false;
            state.declaredTypes.insert(column.name, declared);
        }
    }
    for (const TableSchema::Column &column : std::as_const(change.added))
        qCInfo(lcSqlite) << "Added column" << column.name << columnTypeName(column.type) << "to" << table;
    for (const TableSchema::Column &column : std::as_const(change.widened))
        qCInfo(lcSqlite) << "Widened column" << column.name << "of" << table << "to" << columnTypeName(column.type);

    QStringList changed;
    if (old.metadataIncomplete) {
        for (const TableSchema::Column &column : state.schema.columns())
            changed.append(column.name);
    } else {
        for (const TableSchema::Column &column : std::as_const(change.added))
            changed.append(column.name);
        for (const TableSchema::Column &column : std::as_const(change.widened))
            changed.append(column.name);
    }
    state.metadataIncomplete = false;
    return saveColumns(table, state.schema, changed, false);
}

bool SqliteWarehouse::rebuildTable(const QString &table, const TableState &old, TableState &state)
{
    qCInfo(lcSqlite) << "Rebuilding" << table << "so that widened columns keep their values";
    const QString quotedTable = Identifier::quote(table);
    const QString rebuilt = Identifier::quote(table + QStringLiteral("__tributary_rebuild"));

    // The user's own indexes and triggers go with the old table: recreate them afterwards.
    QSqlQuery extras(m_db);
    extras.setForwardOnly(true);
    if (!prepare(extras,
                 QStringLiteral("SELECT sql FROM sqlite_master WHERE tbl_name = ? "
                                "AND type IN ('index', 'trigger') AND sql IS NOT NULL")))
        return false;
    extras.addBindValue(table);
    if (!exec(extras))
        return false;
    QStringList recreate;
    while (extras.next())
        recreate.append(extras.value(0).toString());
    extras.finish();

    QStringList definitions;
    for (const TableSchema::Column &column : state.schema.columns()) {
        QString declared = declaredType(column.type);
        const auto oldDeclared = old.declaredTypes.constFind(column.name);
        if (oldDeclared != old.declaredTypes.cend())
            declared = keepsValues(*oldDeclared, column.type) ? *oldDeclared : QString();
        definitions.append(columnDefinition(column.name, declared));
        state.declaredTypes.insert(column.name, declared);
    }
    QStringList copied;
    for (const TableSchema::Column &column : old.schema.columns())
        copied.append(column.name);
    const QString copiedList = quotedList(copied);

    QStringList steps {
            QStringLiteral("CREATE TABLE ") + rebuilt + QStringLiteral(" (") + definitions.join(QStringLiteral(", "))
                    + QLatin1Char(')'),
            QStringLiteral("INSERT INTO ") + rebuilt + QStringLiteral(" (") + copiedList + QStringLiteral(") SELECT ")
                    + copiedList + QStringLiteral(" FROM ") + quotedTable,
            QStringLiteral("DROP TABLE ") + quotedTable,
            QStringLiteral("ALTER TABLE ") + rebuilt + QStringLiteral(" RENAME TO ") + quotedTable,
    };
    steps += recreate;
    for (const QString &sql : std::as_const(steps)) {
        QSqlQuery step(m_db);
        if (!exec(step, sql))
            return false;
    }
    m_statements.clear();
    return true;
}

bool SqliteWarehouse::saveColumns(const QString &table, const TableSchema &schema, const QStringList &columns,
                                  bool replaceAll)
{
    if (replaceAll) {
        QSqlQuery clear(m_db);
        if (!prepare(clear,
                     QStringLiteral("DELETE FROM ") + Identifier::quote(columnsTableName())
                             + QStringLiteral(" WHERE table_name = ?")))
            return false;
        clear.addBindValue(table);
        if (!exec(clear))
            return false;
    }
    QSqlQuery save(m_db);
    if (!prepare(save,
                 QStringLiteral("INSERT INTO ") + Identifier::quote(columnsTableName())
                         + QStringLiteral(" (table_name, column_name, type, position) VALUES (?, ?, ?, ?) "
                                          "ON CONFLICT (table_name, column_name) DO UPDATE SET type = excluded.type, "
                                          "position = excluded.position")))
        return false;
    for (const QString &name : columns) {
        save.bindValue(0, table);
        save.bindValue(1, name);
        save.bindValue(2, columnTypeName(schema.type(name)));
        save.bindValue(3, qint64(schema.indexOf(name)));
        if (!exec(save))
            return false;
    }
    return true;
}

bool SqliteWarehouse::readStoredVersions(const QString &table, const BatchPlan &plan, const QString &versionColumn,
                                         const TableSchema &schema, QHash<QString, QVariant> &versions)
{
    const QString version = !versionColumn.isEmpty() && schema.contains(versionColumn)
            ? Identifier::quote(versionColumn)
            : QStringLiteral("NULL");
    const QString id = Identifier::quote(BatchPlan::idColumn());
    const QString select = QStringLiteral("SELECT ") + id + QStringLiteral(", ") + version + QStringLiteral(" FROM ")
            + Identifier::quote(table) + QStringLiteral(" WHERE ") + id + QStringLiteral(" IN (");
    const QList<BatchPlan::Row> &rows = plan.rows();
    versions.reserve(rows.size());
    for (qsizetype start = 0; start < rows.size(); start += kMaxBoundIds) {
        const qsizetype count = std::min(kMaxBoundIds, rows.size() - start);
        QSqlQuery query(m_db);
        query.setForwardOnly(true);
        if (!prepare(query, select + placeholders(count) + QLatin1Char(')')))
            return false;
        for (qsizetype i = 0; i < count; ++i)
            query.bindValue(int(i), rows.at(start + i).id);
        if (!exec(query))
            return false;
        while (query.next())
            versions.insert(query.value(0).toString(), query.value(1));
    }
    return true;
}

QSqlQuery *SqliteWarehouse::rowStatement(const QString &table, CollectionKind kind, const QStringList &columns)
{
    const bool objects = kind == CollectionKind::Object;
    QStringList key;
    key.reserve(columns.size() + 2);
    key << table << (objects ? QStringLiteral("object") : QStringLiteral("event"));
    key += columns;
    const auto found = m_statements.find(key);
    if (found != m_statements.end())
        return found->second.get();
    if (m_statements.size() >= kMaxCachedStatements)
        m_statements.clear();

    const QStringList all = BatchPlan::systemColumns(kind) + columns;
    QString sql = QStringLiteral("INSERT INTO ") + Identifier::quote(table) + QStringLiteral(" (") + quotedList(all)
            + QStringLiteral(") VALUES (") + placeholders(all.size()) + QStringLiteral(") ON CONFLICT (")
            + Identifier::quote(BatchPlan::idColumn()) + QStringLiteral(") DO ");
    if (objects) {
        QStringList assignments;
        for (const QString &column : all) {
            if (column == BatchPlan::idColumn())
                continue;
            const QString quoted = Identifier::quote(column);
            assignments.append(quoted + QStringLiteral(" = excluded.") + quoted);
        }
        sql += QStringLiteral("UPDATE SET ") + assignments.join(QStringLiteral(", "));
    } else {
        sql += QStringLiteral("NOTHING");
    }
    auto statement = std::make_unique<QSqlQuery>(m_db);
    if (!prepare(*statement, sql))
        return nullptr;
    QSqlQuery *result = statement.get();
    m_statements.emplace(std::move(key), std::move(statement));
    return result;
}

Result<void> SqliteWarehouse::ensureOpen() const
{
    if (isOpen())
        return {};
    return Error::make(Error::Kind::Warehouse, QStringLiteral("The warehouse %1 is not open.").arg(m_path),
                       QStringLiteral("This is a bug in Tributary; please report it."));
}

Error SqliteWarehouse::writeError(const QString &collection, const QString &detail, bool retryable) const
{
    return Error::make(
            Error::Kind::Warehouse, QStringLiteral("The warehouse could not save %1: %2").arg(collection, detail),
            QStringLiteral("Check that the warehouse file %1 is writable and the disk has space, then sync again; "
                           "nothing of this batch was saved.")
                    .arg(m_path),
            retryable);
}

} // namespace tributary
