#pragma once

#include "core/Result.h"
#include "core/TableSchema.h"
#include "warehouse/Warehouse.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantList>

#include <optional>

namespace tributary {

// What one WriteRequest asks of its table, independent of the SQL dialect: the columns the batch
// needs and the rows to write, with the system columns and the collision rules applied. Every
// warehouse builds one per write, so all of them store a batch the same way.
//
// System columns, first in every table:
//   id          Text, the primary key: the record's id (FlatRecord::id). An upstream field named
//               "id" is not stored again (the record id already is its value).
//   received_at Timestamp, WriteRequest::receivedAt. An upstream field named "received_at" is
//               stored as "_received_at" (unless the record also has a field literally named
//               "_received_at": that one keeps the column and the renamed value is dropped).
//   is_deleted  Boolean, objects only: WriteRequest::deleted[i]. An upstream field named
//               "is_deleted" is the same column (DESIGN.md: Salesforce IsDeleted): the row is
//               deleted when either the request flags it or that field is true (a boolean true,
//               a non-zero number, or the text "true"/"1"). In events, "is_deleted" is an
//               ordinary column.
//
// Objects are deduplicated by id within the batch: the last occurrence wins (with a version
// column: the last one that is not older than the one it replaces; on equal versions the later
// one replaces only when replaceOnEqualVersion is set, as it would in the table), so a batch
// gives what writing its rows one write at a time would give, and each superseded
// occurrence counts as skipped, so inserted + updated + skipped always equals the batch size.
// Events keep every row: the warehouse skips those whose id it already holds (the first wins).
class BatchPlan
{
public:
    struct Row
    {
        int index = 0; // in WriteRequest::rows
        QString id;
        bool deleted = false; // objects: the is_deleted value
        QStringList columns;  // the data columns the row carries, in its order (system columns excluded)
        // Parallel to columns: where each one's field is in the record. Rows of one shape share
        // both lists (and the same QStringList data: compare constData() to group them).
        QList<qsizetype> fields;
        const FlatRecord *record = nullptr; // in the request, which must outlive the plan
        QVariant version;                   // the row's value of WriteRequest::versionColumn (null when none)

        // The value of columns.at(k) as it came (not copied).
        const QVariant &value(qsizetype k) const { return record->fields.at(fields.at(k)).value; }
        ColumnType type(qsizetype k) const { return record->fields.at(fields.at(k)).type; }
    };

    // Fails (kind Internal) when a row has an empty id or deleted has neither 0 nor rows.size() entries.
    static Result<BatchPlan> make(const WriteRequest &request);

    CollectionKind kind() const { return m_kind; }
    // The columns this batch needs with the types its values need: system columns first.
    const TableSchema &schema() const { return m_schema; }
    // Objects: one row per id, in first-seen order; events: every row, in order.
    const QList<Row> &rows() const { return m_rows; }
    // Objects: occurrences superseded by a later one of the same id (counted as skipped).
    int superseded() const { return m_superseded; }

    static QString idColumn() { return QStringLiteral("id"); }
    static QString receivedAtColumn() { return QStringLiteral("received_at"); }
    static QString isDeletedColumn() { return QStringLiteral("is_deleted"); }
    // id, received_at and (objects) is_deleted.
    static QStringList systemColumns(CollectionKind kind);

    // Orders two version values: negative when a < b, 0 when equal, positive when a > b; nullopt
    // when either is null (a null version never blocks a write). Numbers (bool, integers, reals,
    // or text that parses as a number) compare numerically; date-times (QDateTime, or ISO-8601
    // text) chronologically; anything else, or a mix of kinds, as text.
    static std::optional<int> compareVersions(const QVariant &a, const QVariant &b);

    // The value as the warehouse stores it in a column of the given logical type: bool as 0/1
    // (as "true"/"false" in a Text column), qint64, double (as shortest round-trip text in a Text
    // column, qint64 widened to double in a Real one), QDateTime as ISO-8601 UTC text with
    // milliseconds and 'Z', QString as is, a null or invalid value as a null QVariant.
    static QVariant storedValue(const QVariant &value, ColumnType columnType);
    // "yyyy-MM-ddTHH:mm:ss.zzzZ" in UTC; empty for an invalid date-time.
    static QString timestampText(const QDateTime &dateTime);

private:
    CollectionKind m_kind = CollectionKind::Object;
    TableSchema m_schema;
    QList<Row> m_rows;
    int m_superseded = 0;
};

} // namespace tributary
