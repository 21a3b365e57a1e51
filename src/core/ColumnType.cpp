#include "ColumnType.h"

namespace tributary {

ColumnType widenColumnType(ColumnType a, ColumnType b)
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

QString columnTypeName(ColumnType type)
{
    switch (type) {
    case ColumnType::Null:
        return QStringLiteral("null");
    case ColumnType::Boolean:
        return QStringLiteral("boolean");
    case ColumnType::Integer:
        return QStringLiteral("integer");
    case ColumnType::Real:
        return QStringLiteral("real");
    case ColumnType::Timestamp:
        return QStringLiteral("timestamp");
    case ColumnType::Json:
        return QStringLiteral("json");
    case ColumnType::Text:
        return QStringLiteral("text");
    }
    return QStringLiteral("text");
}

ColumnType columnTypeFromName(const QString &name)
{
    for (ColumnType type : {ColumnType::Null, ColumnType::Boolean, ColumnType::Integer, ColumnType::Real,
                            ColumnType::Timestamp, ColumnType::Json}) {
        if (columnTypeName(type) == name)
            return type;
    }
    // "text" and anything unknown: text holds every value.
    return ColumnType::Text;
}

} // namespace tributary
