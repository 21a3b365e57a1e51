#pragma once

// simdjson types behind JsonRecord and JsonPage: only for core's .cpp files.

#include "JsonRecord.h"

#include <QJsonValue>

#include <simdjson.h>

#include <memory>

namespace tributary {

struct JsonRecord::InPage
{
    std::shared_ptr<const simdjson::dom::document> document; // keeps the parsed page alive
    simdjson::dom::element element;                          // the record: an object
};

namespace json {

// A parsed value as QJsonValue holds it after QJsonDocument::fromJson of the same text: numbers
// beyond 64-bit integers are doubles; objects and arrays are parsed by Qt from their text.
QJsonValue toQJsonValue(simdjson::dom::element element);

} // namespace json

} // namespace tributary
