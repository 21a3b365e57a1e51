#pragma once

#include <QString>

namespace tributary {

// The logical type of a warehouse column. Types only ever widen:
//   Null < Boolean, Integer < Real, Timestamp, Json; any two other types meet at Text.
enum class ColumnType {
    Null, // only null seen so far: no information yet
    Boolean,
    Integer,   // 64-bit signed
    Real,      // double
    Timestamp, // ISO-8601 date-time string upstream; stored as UTC
    Json,      // an array, stored as compact JSON text (jsonb in PostgreSQL)
    Text,
};

// The narrowest type that holds every value of both a and b (inline: writes call it per value).
constexpr ColumnType widenColumnType(ColumnType a, ColumnType b)
{
    if (a == b)
        return a;
    if (a == ColumnType::Null)
        return b;
    if (b == ColumnType::Null)
        return a;
    if ((a == ColumnType::Integer && b == ColumnType::Real) || (a == ColumnType::Real && b == ColumnType::Integer))
        return ColumnType::Real;
    // Every other mixed pair (Boolean with Integer, Timestamp with Text, Json with anything...)
    // only fits losslessly in text.
    return ColumnType::Text;
}
// "null", "boolean", "integer", "real", "timestamp", "json", "text"
QString columnTypeName(ColumnType type);
// The inverse of columnTypeName; an unknown name gives Text, which holds every value.
ColumnType columnTypeFromName(const QString &name);

} // namespace tributary
