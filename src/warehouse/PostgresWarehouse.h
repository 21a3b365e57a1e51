#pragma once

#include "warehouse/Warehouse.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace tributary {

class BatchPlan;
class PostgresConnection;

// A PostgreSQL server (or one that speaks its protocol), through libpq. One schema per source and
// one table per collection, "<schema>"."<collection>", each name shortened to 63 bytes by
// Identifier::shorten (columns too); every identifier quoted. Tributary's own tables live in the
// schema "_tributary":
//   state(source, collection, state jsonb, updated_at)        the saved cursors
//   tables(table_schema, table_name, source_schema, collection) which tables are a source's
//   columns(table_schema, table_name, column_name, type, position) each column's logical type
//                                                               (ColumnType names, creation order)
// Column types: boolean, bigint, double precision, timestamptz, text, jsonb (arrays); a column
// that has only seen nulls is text until a value gives it a type. Types widen with ALTER COLUMN
// TYPE ... USING, keeping every value (bigint -> double precision -> text; a timestamp becomes the
// text the warehouse writes for one, yyyy-MM-ddTHH:mm:ss.zzzZ; jsonb becomes its text).
// System columns and the rules for colliding upstream fields: see BatchPlan.h.
//
// A write is one transaction: evolve the table (new columns, widening: DDL is transactional in
// PostgreSQL), COPY the rows into a temporary staging table (the same table for every batch of a
// column set: ON COMMIT DELETE ROWS), then one
//   INSERT ... SELECT ... ON CONFLICT (id) DO UPDATE   (objects; a row sets only the columns it
//                                                       carries, the rest keep their values)
//   INSERT ... SELECT ... ON CONFLICT (id) DO NOTHING  (events: the first row of an id wins)
// (prepared once per staging table and column set) and the cursor upserted into
// "_tributary"."state"; then COMMIT. When the table needs no change, BEGIN, the COPY, the INSERT,
// the cursor and COMMIT go as one query: two round trips per batch. With a version column the
// stored versions of the batch's ids are read first and older rows are left out (counted as
// skipped), as SqliteWarehouse does (BatchPlan::compareVersions).
//
// Used from one thread (the one that opens it); each instance has its own connection. Any number
// of instances (other sources, other processes) may write to one server at once.
class PostgresWarehouse final : public Warehouse
{
public:
    // url: postgresql://USER@HOST:PORT/DB[?sslmode=...] (any libpq URI parameter); a password in
    // the URL is used unless one is given apart.
    explicit PostgresWarehouse(const QString &url, const QString &password = {});
    ~PostgresWarehouse() override;
    Q_DISABLE_COPY_MOVE(PostgresWarehouse)

    // Whether url is a postgresql:// (or postgres://) URL libpq can read; the reason when not.
    static Result<void> checkUrl(const QString &url);
    // Connects and reports what is wrong (see Warehouse::testConnection), or the server's version.
    static Result<QString> testConnection(const QString &url, const QString &password, ConnectionProblem *problem);

    bool isOpen() const;

    QString url() const override;
    Result<void> open() override;
    void close() override;
    QString tableName(const QString &schema, const QString &collection) const override;
    QString sqlTableName(const QString &schema, const QString &collection) const override;
    Result<QJsonObject> readState(const QString &source, const QString &collection) override;
    Result<WriteStats> write(const WriteRequest &request) override;
    // A known table that needs no change (the common case after a collection's first write):
    // beginWrite() returns once the rows are sent, and the server inserts them, saves the cursor
    // and commits while the caller goes on; any other write is done at once.
    void beginWrite(const WriteRequest &request) override;
    Result<WriteStats> finishWrite() override;
    Result<void> clearState(const QString &source, const QString &collection = {}) override;
    Result<QList<TableInfo>> tables(const QString &schema) override;
    Result<QueryResult> query(const QString &sql, int maxRows) override;

    static QString metadataSchema() { return QStringLiteral("_tributary"); }
    static constexpr int maxIdentifierBytes = 63;

    // For tests: called inside each write's transaction after the rows are in the table and the
    // cursor is saved, just before COMMIT.
    void setBeforeCommitHook(std::function<void()> hook) { m_beforeCommit = std::move(hook); }
    // The server process serving this instance's connection (0 when not connected).
    int backendPid() const;

private:
    struct Column
    {
        QString name;
        ColumnType type = ColumnType::Null; // logical
        QString sqlType;                    // physical, format_type's spelling
    };
    struct TableState
    {
        bool exists = false;
        QList<Column> columns;
        QHash<QString, int> index; // name -> position in columns
        const Column *column(const QString &name) const;
        void add(const Column &column);
    };
    struct Staging
    {
        QString name;        // pg_temp."..."
        QStringList columns; // in COPY order
    };

    // Whether the table must be created, get a column or widen one for this batch.
    static bool needsChange(const TableState &state, const TableSchema &batchSchema);
    // Whether the server can compare the request's versions itself (the stored column is a
    // number or a timestamp, which order as BatchPlan::compareVersions orders them), so no stored
    // versions are read first.
    bool versionsComparedByServer(const WriteRequest &request, const TableState &state) const;
    Result<void> ensureOpen();
    bool setUpSession();
    bool ensureMetadata();
    bool loadTable(const QString &schema, const QString &table, TableState &state);
    bool evolveTable(const WriteRequest &request, const QString &schema, const QString &table,
                     const TableSchema &batchSchema, TableState &state);
    // Writes the rows, the cursor and (without a before-commit hook) COMMIT; with begin, the
    // transaction is not open yet and starts in the same round trip as the COPY.
    // With send (and begin, and no before-commit hook), the statements are only sent: m_sent
    // holds what finishWrite() needs to complete them.
    bool writeRows(const WriteRequest &request, const BatchPlan &plan, const QString &schema, const QString &table,
                   const TableState &state, bool begin, WriteStats &stats, bool send = false);
    Result<WriteStats> writeBatch(const WriteRequest &request, bool send);
    // Collects the results of the sent write.
    Result<WriteStats> completeSentWrite();
    // Rolls the failed write back and forgets what the rollback undoes; the error to report.
    Error rollBack(const QString &collection, const QString &key);
    bool commitWithState(const WriteRequest &request, bool begin);
    QString stateStatement(const WriteRequest &request) const;
    bool preparedStatement(const QString &sql, QString &name);
    bool readStoredVersions(const QString &qualified, const QString &versionColumn, const TableState &state,
                            const QStringList &ids, QHash<QString, QVariant> &versions);
    bool stagingTable(const QStringList &columns, const QStringList &types, Staging &staging);
    void forgetSession();

    Error failure(const QString &what) const;
    QString serverName() const;

    QString m_url;
    QString m_password;
    std::unique_ptr<PostgresConnection> m_connection;
    QHash<QString, TableState> m_tables; // qualified name -> committed state
    QHash<QString, Staging> m_stagings;  // column list and types -> temporary table of this session
    int m_stagingCounter = 0;
    QHash<QString, QString> m_statements; // INSERT ... ON CONFLICT text -> its prepared statement
    int m_statementCounter = 0;
    std::function<void()> m_beforeCommit;
    // A write whose statements are sent and whose results are not collected yet.
    struct SentWrite
    {
        QString collection;
        QString key; // qualified table name
        bool objects = true;
        int written = 0;
        WriteStats stats; // what is known before the results (skipped rows)
    };
    std::optional<SentWrite> m_sent;
};

} // namespace tributary
