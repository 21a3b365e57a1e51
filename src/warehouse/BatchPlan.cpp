#include "BatchPlan.h"

#include <QDateTime>
#include <QHash>
#include <QLocale>

namespace tributary {

namespace {

QString renamedReceivedAtColumn()
{
    return QStringLiteral("_received_at");
}

// An upstream is_deleted value that marks the record deleted.
bool isTrue(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return false;
    switch (value.typeId()) {
    case QMetaType::Bool:
        return value.toBool();
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return value.toLongLong() != 0;
    case QMetaType::Double:
    case QMetaType::Float:
        return value.toDouble() != 0.0;
    case QMetaType::QString: {
        const QString text = value.toString().trimmed();
        return text.compare(QStringLiteral("true"), Qt::CaseInsensitive) == 0 || text == QStringLiteral("1");
    }
    default:
        return false;
    }
}

bool isIntegerType(int typeId)
{
    switch (typeId) {
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
        return true;
    default:
        return false;
    }
}

// A version value reduced to something comparable.
struct Comparable
{
    enum class Kind { Integer, Real, Time, Text };
    Kind kind = Kind::Text;
    qint64 integer = 0;
    double real = 0.0;
    QDateTime time;
    QString text;

    QString asText() const
    {
        switch (kind) {
        case Kind::Integer:
            return QString::number(integer);
        case Kind::Real:
            return QString::number(real, 'g', QLocale::FloatingPointShortest);
        case Kind::Time:
            return BatchPlan::timestampText(time);
        case Kind::Text:
            return text;
        }
        return text;
    }
};

Comparable comparable(const QVariant &value)
{
    Comparable c;
    const int typeId = value.typeId();
    if (isIntegerType(typeId)) {
        c.kind = Comparable::Kind::Integer;
        c.integer = typeId == QMetaType::Bool ? (value.toBool() ? 1 : 0) : value.toLongLong();
        return c;
    }
    if (typeId == QMetaType::Double || typeId == QMetaType::Float) {
        c.kind = Comparable::Kind::Real;
        c.real = value.toDouble();
        return c;
    }
    if (typeId == QMetaType::QDateTime) {
        c.kind = Comparable::Kind::Time;
        c.time = value.toDateTime().toUTC();
        return c;
    }
    c.text = value.toString();
    bool ok = false;
    c.integer = c.text.toLongLong(&ok);
    if (ok) {
        c.kind = Comparable::Kind::Integer;
        return c;
    }
    c.real = c.text.toDouble(&ok);
    if (ok) {
        c.kind = Comparable::Kind::Real;
        return c;
    }
    const QDateTime time = QDateTime::fromString(c.text, Qt::ISODateWithMs);
    if (time.isValid()) {
        c.kind = Comparable::Kind::Time;
        c.time = time.toUTC();
    }
    return c;
}

template<typename T> int order(const T &a, const T &b)
{
    if (a < b)
        return -1;
    if (b < a)
        return 1;
    return 0;
}

} // namespace

QStringList BatchPlan::systemColumns(CollectionKind kind)
{
    QStringList columns {idColumn(), receivedAtColumn()};
    if (kind == CollectionKind::Object)
        columns.append(isDeletedColumn());
    return columns;
}

namespace {

// Which fields of a record are written, and as which columns: the same for every record whose
// fields have the same column names (records of one page, or of pages the same Normalizer
// flattened, share the very strings: they compare by address).
struct RowShape
{
    const FlatRecord *of = nullptr; // the record it was worked out for
    QStringList columns;
    QList<qsizetype> fields;
    qsizetype isDeletedField = -1; // objects: the upstream's is_deleted field
    qsizetype versionField = -1;

    // The record's fields carry the same column names as those of the shape's record: true when
    // they are the same strings (the usual case); false otherwise, even when equal.
    bool sameStringsAs(const FlatRecord &record) const
    {
        if (!of || of->fields.size() != record.fields.size())
            return false;
        const FlatField *a = of->fields.constData();
        const FlatField *b = record.fields.constData();
        for (qsizetype i = 0; i < record.fields.size(); ++i) {
            if (a[i].column.constData() != b[i].column.constData() || a[i].column.size() != b[i].column.size())
                return false;
        }
        return true;
    }
};

} // namespace

Result<BatchPlan> BatchPlan::make(const WriteRequest &request)
{
    if (!request.deleted.isEmpty() && request.deleted.size() != request.rows.size()) {
        return Error::make(Error::Kind::Internal,
                           QStringLiteral("The batch of %1 has %2 deletion flags for %3 records.")
                                   .arg(request.collection)
                                   .arg(request.deleted.size())
                                   .arg(request.rows.size()),
                           QStringLiteral("This is a bug in Tributary; please report it."));
    }

    BatchPlan plan;
    plan.m_kind = request.kind;
    const bool objects = request.kind == CollectionKind::Object;
    const bool versioned = objects && !request.versionColumn.isEmpty();

    QHash<QString, qsizetype> slotOfId;
    plan.m_rows.reserve(request.rows.size());
    const QString id = idColumn();
    const QString receivedAt = receivedAtColumn();
    const QString isDeleted = isDeletedColumn();
    const QString renamedReceivedAt = renamedReceivedAtColumn();

    // The columns and fields of a record not shaped like the previous one.
    const auto shapeOf = [&](const FlatRecord &record) {
        RowShape shape;
        shape.of = &record;
        shape.columns.reserve(record.fields.size());
        shape.fields.reserve(record.fields.size());
        for (qsizetype f = 0; f < record.fields.size(); ++f) {
            const QString *column = &record.fields.at(f).column;
            if (*column == id)
                continue;
            if (*column == receivedAt) {
                column = &renamedReceivedAt;
                if (record.field(*column))
                    continue; // a literal "_received_at" keeps the column
            } else if (objects && *column == isDeleted) {
                shape.isDeletedField = f;
                continue;
            }
            if (versioned && *column == request.versionColumn)
                shape.versionField = f;
            shape.columns.append(*column);
            shape.fields.append(f);
        }
        return shape;
    };

    // Consecutive rows of one column list, with their types joined (widening is a join: the
    // order does not matter) while their fields are at hand. They give the schema unless a row
    // superseded another (then only the kept rows' types count: see below).
    struct Run
    {
        QStringList columns;
        QList<ColumnType> types;
    };
    std::vector<Run> runs;

    RowShape shape;
    for (qsizetype i = 0; i < request.rows.size(); ++i) {
        const FlatRecord &record = request.rows.at(i);
        if (record.id.isEmpty()) {
            return Error::make(Error::Kind::Internal,
                               QStringLiteral("A record of %1 has no id and cannot be saved.").arg(request.collection),
                               QStringLiteral("This is a bug in Tributary; please report it."));
        }
        if (shape.sameStringsAs(record)) {
            shape.of = &record;
        } else {
            RowShape next = shapeOf(record);
            // Equal lists are shared all the same (rows of one shape are grouped by address).
            if (next.columns == shape.columns)
                next.columns = shape.columns;
            if (next.fields == shape.fields)
                next.fields = shape.fields;
            shape = std::move(next);
        }
        Row row;
        row.index = int(i);
        row.id = record.id;
        row.record = &record;
        row.columns = shape.columns;
        row.fields = shape.fields;
        row.deleted = objects && !request.deleted.isEmpty() && request.deleted.at(i);
        if (shape.isDeletedField >= 0)
            row.deleted = row.deleted || isTrue(record.fields.at(shape.isDeletedField).value);
        if (shape.versionField >= 0)
            row.version = record.fields.at(shape.versionField).value;
        if (runs.empty() || runs.back().columns.constData() != shape.columns.constData()
            || runs.back().columns.size() != shape.columns.size()) {
            runs.push_back({shape.columns, QList<ColumnType>(shape.columns.size(), ColumnType::Null)});
        }
        QList<ColumnType> &types = runs.back().types;
        for (qsizetype k = 0; k < types.size(); ++k)
            types[k] = widenColumnType(types.at(k), row.type(k));

        if (objects) {
            const auto it = slotOfId.constFind(row.id);
            if (it != slotOfId.cend()) {
                ++plan.m_superseded;
                Row &kept = plan.m_rows[*it];
                if (versioned) {
                    const std::optional<int> cmp = compareVersions(kept.version, row.version);
                    // Older than the occurrence it would replace, or as old while the batch
                    // holds change events (a repeat): written one after the other, the first
                    // would have stayed too.
                    if (cmp && (*cmp > 0 || (*cmp == 0 && !request.replaceOnEqualVersion)))
                        continue;
                }
                kept = std::move(row);
                continue;
            }
            slotOfId.insert(row.id, plan.m_rows.size());
        }
        plan.m_rows.append(std::move(row));
    }

    plan.m_schema.addOrWiden(idColumn(), ColumnType::Text);
    plan.m_schema.addOrWiden(receivedAtColumn(), ColumnType::Timestamp);
    if (objects)
        plan.m_schema.addOrWiden(isDeletedColumn(), ColumnType::Boolean);
    // Each run's list goes into the schema once: the columns still come in first-seen order.
    if (plan.m_superseded == 0) {
        for (const Run &run : runs) {
            for (qsizetype c = 0; c < run.columns.size(); ++c)
                plan.m_schema.addOrWiden(run.columns.at(c), run.types.at(c));
        }
        return plan;
    }
    // A kept row sits where the first occurrence of its id was: the runs of the kept rows.
    QList<ColumnType> joined;
    for (qsizetype r = 0; r < plan.m_rows.size();) {
        const Row &first = plan.m_rows.at(r);
        const QStringList &columns = first.columns;
        joined.resize(columns.size());
        for (qsizetype c = 0; c < columns.size(); ++c)
            joined[c] = first.type(c);
        qsizetype next = r + 1;
        for (; next < plan.m_rows.size() && plan.m_rows.at(next).columns.constData() == columns.constData()
             && plan.m_rows.at(next).columns.size() == columns.size();
             ++next) {
            const Row &row = plan.m_rows.at(next);
            for (qsizetype c = 0; c < joined.size(); ++c)
                joined[c] = widenColumnType(joined.at(c), row.type(c));
        }
        for (qsizetype c = 0; c < columns.size(); ++c)
            plan.m_schema.addOrWiden(columns.at(c), joined.at(c));
        r = next;
    }
    return plan;
}

std::optional<int> BatchPlan::compareVersions(const QVariant &a, const QVariant &b)
{
    if (!a.isValid() || a.isNull() || !b.isValid() || b.isNull())
        return std::nullopt;
    const Comparable x = comparable(a);
    const Comparable y = comparable(b);
    using Kind = Comparable::Kind;
    if (x.kind == Kind::Integer && y.kind == Kind::Integer)
        return order(x.integer, y.integer);
    const bool xNumber = x.kind == Kind::Integer || x.kind == Kind::Real;
    const bool yNumber = y.kind == Kind::Integer || y.kind == Kind::Real;
    if (xNumber && yNumber) {
        const double dx = x.kind == Kind::Integer ? double(x.integer) : x.real;
        const double dy = y.kind == Kind::Integer ? double(y.integer) : y.real;
        return order(dx, dy);
    }
    if (x.kind == Kind::Time && y.kind == Kind::Time)
        return order(x.time, y.time);
    return order(QString::compare(x.asText(), y.asText()), 0);
}

QVariant BatchPlan::storedValue(const QVariant &value, ColumnType columnType)
{
    if (!value.isValid() || value.isNull())
        return {};
    const bool asText = columnType == ColumnType::Text || columnType == ColumnType::Json;
    switch (value.typeId()) {
    case QMetaType::Bool:
        if (asText)
            return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        return qint64(value.toBool() ? 1 : 0);
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort: {
        const qint64 n = value.toLongLong();
        if (asText || columnType == ColumnType::Timestamp)
            return QString::number(n);
        if (columnType == ColumnType::Real)
            return double(n);
        return n;
    }
    case QMetaType::Double:
    case QMetaType::Float: {
        const double d = value.toDouble();
        if (asText || columnType == ColumnType::Timestamp)
            return QString::number(d, 'g', QLocale::FloatingPointShortest);
        return d;
    }
    case QMetaType::QDateTime: {
        const QString text = timestampText(value.toDateTime());
        return text.isEmpty() ? QVariant() : QVariant(text);
    }
    case QMetaType::QString: {
        const QString text = value.toString();
        return text.isNull() ? QVariant() : QVariant(text);
    }
    default:
        return value.toString();
    }
}

QString BatchPlan::timestampText(const QDateTime &dateTime)
{
    if (!dateTime.isValid())
        return {};
    return dateTime.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"));
}

} // namespace tributary
