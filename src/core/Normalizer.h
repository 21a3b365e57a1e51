#pragma once

#include "FlatRecord.h"
#include "Result.h"

#include <QJsonObject>
#include <QStringList>

namespace tributary {

// Flattens one upstream JSON record into typed snake_case columns (DESIGN.md "Warehouse tables"):
// nested objects flattened at every level with '_', an empty object adds no column, arrays become
// compact JSON text (type Json), envelope fields listed in dropFields are dropped (at top level),
// integers that fit in 64 bits are Integer, other numbers Real, ISO-8601 date-time strings
// Timestamp, other strings Text, true/false Boolean, null Null.
class Normalizer
{
public:
    struct Options
    {
        QString primaryKey = QStringLiteral("id"); // a JSON field name; the empty string means none
        QStringList dropFields;                    // top-level upstream names, e.g. "attributes"
    };

    Normalizer() = default;
    explicit Normalizer(Options options);

    // Fails (kind Parse) when the primary key is required and missing, null or empty; the id of
    // a numeric key is its decimal text.
    Result<FlatRecord> normalize(const QJsonObject &record) const;

private:
    Options m_options;
};

} // namespace tributary
