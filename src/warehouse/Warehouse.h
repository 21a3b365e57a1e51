#pragma once

#include "core/FlatRecord.h"
#include "core/Identifier.h"
#include "core/Result.h"
#include "core/TableSchema.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <memory>
#include <optional>

namespace tributary {

enum class CollectionKind {
    Object, // upserted by primary key "id"
    Event,  // appended, deduplicated by "id"
};

// One batch to load, together with the collection's new cursor: all of it commits or none.
struct WriteRequest
{
    QString source;     // the source's name (sync state is keyed by source + collection)
    QString schema;     // the source's schema (table naming)
    QString collection; // the collection (table naming)
    CollectionKind kind = CollectionKind::Object;
    QList<FlatRecord> rows; // each with a non-empty id
    QList<bool> deleted;    // same length as rows (or empty: none deleted); sets is_deleted
    QJsonObject state;      // the new cursor, written in the same transaction
    QDateTime receivedAt;   // UTC time of this sync: the received_at column
    // Objects only: when set, a row replaces a stored one only if its value in this column is
    // greater (older or repeated change events never overwrite newer data; they count as skipped).
    QString versionColumn;
    // When the versions are equal: true replaces (a fresh read of the current state), false skips
    // (a repeated change event).
    bool replaceOnEqualVersion = false;
};

struct WriteStats
{
    int inserted = 0; // new rows
    int updated = 0;  // existing rows replaced (objects)
    int skipped = 0;  // rows not written: duplicate events, or objects older than the stored version
};

struct TableInfo
{
    QString collection;
    QString table; // the name in the warehouse, as the user queries it
    qint64 rowCount = 0;
    TableSchema schema;
};

// The result of a read-only query: at most the rows asked for.
struct QueryResult
{
    QStringList columns;
    QList<QVariantList> rows;
    bool truncated = false; // more rows were there
};

// What Warehouse::testConnection found wrong, for a settings page to say which field to fix.
enum class ConnectionProblem {
    None,                  // connected (and, for PostgreSQL, allowed to create a schema)
    InvalidUrl,            // the URL cannot be read (Error::Kind::Config)
    Unreachable,           // no server answers at that host and port (Error::Kind::Warehouse, retryable)
    AuthenticationFailed,  // wrong user or password, or no password given (Error::Kind::Auth)
    DatabaseMissing,       // the server has no such database (Error::Kind::Config)
    NoRightToCreateSchema, // connected, but the user may not create schemas there (Error::Kind::Permission)
    Other,                 // anything else (Error::Kind::Warehouse)
};

// A SQL warehouse. An instance is used from one thread: open it in the thread that uses it.
// Every row gets received_at (timestamp) and objects get is_deleted (boolean, false unless the
// request flags it); identifiers are always quoted.
class Warehouse
{
public:
    virtual ~Warehouse() = default;

    // "sqlite:PATH" or "postgresql://USER@HOST:PORT/DB"; password, when needed, given apart.
    static Result<std::unique_ptr<Warehouse>> create(const QString &url, const QString &password = {});
    // "Test connection": connects to the warehouse at url (PostgreSQL: creating nothing; SQLite:
    // opens or creates the file) and gives a line for the user on success ("PostgreSQL 15.4",
    // "SQLite 3.40.1"), or an error whose kind and problem (when asked for) tell apart the failures
    // above. Blocks up to the connect timeout (10 s): call it from a worker thread, not the GUI thread.
    static Result<QString> testConnection(const QString &url, const QString &password = {},
                                          ConnectionProblem *problem = nullptr);

    virtual QString url() const = 0;
    virtual Result<void> open() = 0;
    virtual void close() = 0;

    // The table's name as the user queries it (SQLite: schema_collection; PostgreSQL: schema.collection).
    virtual QString tableName(const QString &schema, const QString &collection) const = 0;
    // The same name, quoted for use in SQL (PostgreSQL overrides it: "schema"."collection").
    virtual QString sqlTableName(const QString &schema, const QString &collection) const
    {
        return Identifier::quote(tableName(schema, collection));
    }

    // The saved cursor of a collection (an empty object when none).
    virtual Result<QJsonObject> readState(const QString &source, const QString &collection) = 0;
    // Writes rows and state in one transaction, creating or evolving the table as needed.
    virtual Result<WriteStats> write(const WriteRequest &request) = 0;
    // write() in two halves, for a caller with more to prepare meanwhile: beginWrite() may return
    // before the warehouse has finished (PostgreSQL: once the rows are sent, the server inserts
    // and commits them while the caller reads and normalizes the next pages); finishWrite() waits
    // for it and gives what write() would have. Call finishWrite() once after each beginWrite()
    // and before any other call. By default beginWrite() writes at once.
    virtual void beginWrite(const WriteRequest &request) { keepWriteResult(write(request)); }
    virtual Result<WriteStats> finishWrite();
    // Forgets the cursor of one collection (or of every collection of the source when empty).
    virtual Result<void> clearState(const QString &source, const QString &collection = {}) = 0;

    // The source's tables with row counts and column types.
    virtual Result<QList<TableInfo>> tables(const QString &schema) = 0;

    // Runs one read-only statement (SELECT or WITH ...) and returns at most maxRows rows. Anything
    // that would write is refused (kind Config). For previews and starter queries.
    virtual Result<QueryResult> query(const QString &sql, int maxRows) = 0;

protected:
    // Keeps what finishWrite() returns next (a write done at once, or an error); a result not
    // yet taken is replaced by an error: finishWrite() was not called.
    void keepWriteResult(Result<WriteStats> result);
    bool hasWriteResult() const { return m_begun.has_value(); }

private:
    std::optional<Result<WriteStats>> m_begun; // what finishWrite() returns next
};

} // namespace tributary
