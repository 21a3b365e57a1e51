#pragma once

#include "ColumnType.h"

#include <QList>
#include <QString>
#include <QVariant>

namespace tributary {

// One column value of a normalized record.
// value holds: bool (Boolean), qint64 (Integer), double (Real), QDateTime in UTC (Timestamp),
// QString (Text, and Json as compact JSON text), or a null QVariant (Null, any type).
struct FlatField
{
    QString column;
    ColumnType type = ColumnType::Null;
    QVariant value;
};

// A record flattened into typed columns, in first-seen column order; column names are unique.
struct FlatRecord
{
    QString id; // the primary key as text (empty when the record has none)
    QList<FlatField> fields;

    const FlatField *field(const QString &column) const;
};

} // namespace tributary

// QString, QVariant and QList move by memcpy: so do fields and records (a QList of them grows
// without a constructor call per element).
Q_DECLARE_TYPEINFO(tributary::FlatField, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(tributary::FlatRecord, Q_RELOCATABLE_TYPE);
