#include "ColumnType.h"

namespace tributary {

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
