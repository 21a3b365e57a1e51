#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <memory>

namespace tributary {

// One upstream record as a reader hands it on: a QJsonObject, or an object inside a page parsed
// by JsonPage (simdjson), which Qt never parses unless someone asks for the QJsonObject. The
// Normalizer flattens the second kind straight from the parsed page, without a QJsonDocument
// and a QJsonValue per field: that parse was the largest cost of a record on its way to the
// warehouse (docs/performance.md). Both kinds give the same FlatRecord.
class JsonRecord
{
public:
    JsonRecord() = default;
    JsonRecord(QJsonObject object); // NOLINT(google-explicit-constructor): every QJsonObject is a record

    // Whether the record lives in a parsed page (not yet a QJsonObject).
    bool isInPage() const { return m_raw != nullptr; }

    // The record as a QJsonObject, with the fields insert() set: parsed by Qt from the page's
    // text of the record when it lives in a page, so it is what QJsonDocument gives for it.
    QJsonObject object() const;
    // The value of a top-level field, as object().value(key) gives it (Undefined when missing).
    QJsonValue value(const QString &key) const;
    bool contains(const QString &key) const { return !value(key).isUndefined(); }
    // Sets a top-level field (replacing the upstream's).
    void insert(const QString &key, const QJsonValue &value);

    // For the Normalizer: the fields insert() set on a record in a page.
    const QJsonObject &insertedFields() const { return m_object; }

    struct InPage; // the parsed page and the object's place in it (JsonPage.cpp)
    const InPage *inPage() const { return m_raw.get(); }

private:
    friend class JsonPage;

    QJsonObject m_object;                // the record, or (in a page) the fields insert() set
    std::shared_ptr<const InPage> m_raw; // null for a QJsonObject record
};

} // namespace tributary
