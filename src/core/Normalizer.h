#pragma once

#include "FlatRecord.h"
#include "JsonRecord.h"
#include "Result.h"

#include <QJsonObject>
#include <QStringList>

#include <memory>
#include <optional>

namespace tributary {

// Flattens one upstream JSON record into typed snake_case columns (DESIGN.md "Warehouse tables"):
// nested objects flattened at every level with '_', an empty object adds no column, arrays become
// compact JSON text (type Json), envelope fields listed in dropFields are dropped (at top level),
// integers that fit in 64 bits are Integer, other numbers Real, ISO-8601 date-time strings
// Timestamp, other strings Text, true/false Boolean, null Null.
//
// Details other code may rely on:
// - Column names: each path segment through Identifier::toSnakeCase, joined with '_'
//   ({"BillingAddress": {"PostalCode": 1}} -> billing_address_postal_code). No shortening here:
//   that is the warehouse's job (Identifier::shorten).
// - Order: the QJsonObject's iteration order (Qt keeps keys sorted by Unicode code point, so
//   "A" < "a" < "é"), depth first: the fields of a nested object come where its key sorts.
// - Collisions: when a column name is already taken in the record (e.g. "A_B", "a.b" and "a_b"
//   all give a_b), the first keeps it and later ones get the first free suffix "_2", "_3"...:
//   a_b, a_b_2, a_b_3. Deterministic for a given set of keys. One exception: the primary key's
//   own column always keeps its name ({"ID": 1, "id": 2} with key "id": id_2 = 1, id = 2).
// - Numbers: Integer (qint64) when the value is whole and fits in 64 bits; Qt parses integer text
//   exactly (2^53 + 1 stays itself) but forgets a fraction or exponent, so 3.0, 1e3 and 1e16 are
//   Integer too. Everything else (1.5, -0.001, 2^63, 1e300) is Real (double).
// - Timestamps: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|+HHMM|-HH:MM|-HHMM), 'T'/'Z' in either
//   case, any number of fraction digits truncated to milliseconds; the value is a QDateTime in
//   UTC. A date alone, a date-time without a zone, or one with impossible fields stays Text.
// - Json: the array as compact JSON text (objects inside it with sorted keys).
// - The primary key field stays a column too; FlatRecord::id is its text (integer -> decimal).
//
// Speed: an instance remembers the column name of every key path it has seen (a tree of the
// record's nested objects, each key with its snake_case path) and the order keys came in, so a
// record shaped like the previous ones costs one key comparison per field, no toSnakeCase and no
// set of used names. A record in which two key paths give one name takes the general path (the
// suffix rules above). normalize() is const but updates that memory: use an instance from one
// thread at a time (copies start with an empty memory of their own).
class Normalizer
{
public:
    struct Options
    {
        QString primaryKey = QStringLiteral("id"); // a JSON field name; the empty string means none
        QStringList dropFields;                    // top-level upstream names, e.g. "attributes"
    };

    Normalizer();
    explicit Normalizer(Options options);
    ~Normalizer();
    Normalizer(const Normalizer &other);
    Normalizer &operator=(const Normalizer &other);
    Normalizer(Normalizer &&other) noexcept;
    Normalizer &operator=(Normalizer &&other) noexcept;

    // Fails (kind Parse) when the primary key is required and missing, null or empty; the id of
    // a numeric key is its decimal text.
    Result<FlatRecord> normalize(const QJsonObject &record) const;
    // The same for a record of either kind: one in a parsed page (JsonPage) is flattened from the
    // page itself, with the same result as normalize(record.object()).
    Result<FlatRecord> normalize(const JsonRecord &record) const;

    // For tests: how many key paths the instance remembers.
    qsizetype cachedPathCount() const;

private:
    struct Cache;

    // Sets flat->id from the primary key's value; the error when it cannot be one.
    std::optional<Error> readId(const QJsonValue &key, FlatRecord *flat) const;

    Options m_options;
    std::unique_ptr<Cache> m_cache; // never null
};

} // namespace tributary
