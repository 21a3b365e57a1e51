#pragma once

#include "warehouse/Warehouse.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>

#include <memory>
#include <unordered_map>

namespace tributary {

class BatchPlan;

// The embedded default warehouse: one SQLite file (WAL journal) holding every source's tables,
// named "<schema>_<collection>", and two metadata tables:
//   _tributary_state(source, collection, state, updated_at)  the saved cursors (compact JSON)
//   _tributary_columns(table_name, column_name, type, position)  each table's logical schema
//                                                             (ColumnType names, creation order)
// System columns and the rules for upstream fields that collide with them: see BatchPlan.h
// (id TEXT PRIMARY KEY; received_at; is_deleted for objects; an upstream "received_at" is stored
// as "_received_at"; an upstream "is_deleted" of an object is the is_deleted column).
//
// Columns are declared INTEGER (boolean, integer), REAL, TEXT (timestamp, json, text) or without
// a type (only nulls seen so far: SQLite then stores values as written). Widening is recorded in
// _tributary_columns and stored values stay as they are, with one exception: a column declared
// INTEGER or REAL that widens to text would make SQLite turn new numeric-looking text into numbers
// ("02134" into 2134), so the table is rebuilt once with that column declared without a type
// (values copied unchanged; the user's indexes and triggers on it are recreated).
//
// Objects: the existing ids (and versions) of the batch are read first; a row replaces a stored
// one unless versionColumn is set and the stored version is greater (BatchPlan::compareVersions).
// A replacing row sets the columns it carries (and received_at, is_deleted); columns the record
// does not carry at all keep their stored values. Events: INSERT ... ON CONFLICT DO NOTHING.
//
// Used from one thread (the one that opens it); each instance has its own connection.
class SqliteWarehouse final : public Warehouse
{
public:
    // path: the database file, absolute (Warehouse::create makes a relative one absolute).
    explicit SqliteWarehouse(const QString &path);
    ~SqliteWarehouse() override;
    Q_DISABLE_COPY_MOVE(SqliteWarehouse)

    QString path() const { return m_path; }
    bool isOpen() const;

    QString url() const override;
    Result<void> open() override;
    void close() override;
    QString tableName(const QString &schema, const QString &collection) const override;
    Result<QJsonObject> readState(const QString &source, const QString &collection) override;
    Result<WriteStats> write(const WriteRequest &request) override;
    Result<void> clearState(const QString &source, const QString &collection = {}) override;
    Result<QList<TableInfo>> tables(const QString &schema) override;
    Result<QueryResult> query(const QString &sql, int maxRows) override;

    static QString stateTableName() { return QStringLiteral("_tributary_state"); }
    static QString columnsTableName() { return QStringLiteral("_tributary_columns"); }

private:
    // What this instance knows of one table: its logical schema and declared SQLite types.
    struct TableState
    {
        bool exists = false;
        bool metadataIncomplete = false;       // columns found in the table but not in _tributary_columns
        TableSchema schema;                    // the logical schema, from _tributary_columns
        QHash<QString, QString> declaredTypes; // column -> declared SQLite type, upper case ("" for none)
    };
    struct StatementKeyHash
    {
        size_t operator()(const QStringList &key) const { return qHash(key); }
    };

    // The helpers below return false on a failed statement, with its text in m_lastError.
    bool prepare(QSqlQuery &query, const QString &sql);
    bool exec(QSqlQuery &query, const QString &sql = {});
    void noteFailure(const QSqlQuery &query, const QString &sql);
    bool dropStaleCache();
    bool loadTable(const QString &table, TableState &state);
    bool writeRows(const WriteRequest &request, const BatchPlan &plan, const QString &table, TableState &state,
                   WriteStats &stats);
    bool evolveTable(const QString &table, const BatchPlan &plan, TableState &state);
    bool rebuildTable(const QString &table, const TableState &old, TableState &state);
    bool saveColumns(const QString &table, const TableSchema &schema, const QStringList &columns, bool replaceAll);
    bool readStoredVersions(const QString &table, const BatchPlan &plan, const QString &versionColumn,
                            const TableSchema &schema, QHash<QString, QVariant> &versions);
    QSqlQuery *rowStatement(const QString &table, CollectionKind kind, const QStringList &columns);

    Result<void> ensureOpen() const;
    Error writeError(const QString &collection, const QString &detail, bool retryable) const;

    QString m_path;
    QString m_connectionName;
    QSqlDatabase m_db;
    qint64 m_dataVersion = -1;           // PRAGMA data_version when the cache was last known good
    QHash<QString, TableState> m_tables; // loaded lazily, committed state only
    std::unordered_map<QStringList, std::unique_ptr<QSqlQuery>, StatementKeyHash> m_statements;
    QString m_lastError;          // the database's text for the last failed statement
    bool m_lastErrorBusy = false; // it failed because the file was locked: worth retrying
};

} // namespace tributary
