#pragma once

#include "JsonRecord.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

#include <optional>

namespace tributary {

// An API page read with simdjson: the records of the array under one top-level key as
// JsonRecords sharing the parsed page, and everything else (has_more, next links, counts) as a
// QJsonObject. Readers use it for list pages and fall back to QJsonDocument whenever read()
// says no, so every error message still comes from one place.
class JsonPage
{
public:
    // Reads body when it is a valid JSON object without repeated keys at the top level whose
    // member recordsPointer ("/data": one level, no escapes) is an array of objects. nullopt
    // otherwise (invalid JSON or UTF-8, another shape, a deeper pointer): parse with Qt then.
    static std::optional<JsonPage> read(const QByteArray &body, const QString &recordsPointer);

    // The page without its records: the array under their key is empty.
    const QJsonObject &envelope() const { return m_envelope; }
    const QList<JsonRecord> &records() const { return m_records; }

private:
    QJsonObject m_envelope;
    QList<JsonRecord> m_records;
};

} // namespace tributary
