#include "JsonPage.h"

#include "JsonPage_p.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <string>

namespace tributary {

namespace json {

QJsonValue toQJsonValue(simdjson::dom::element element)
{
    using Type = simdjson::dom::element_type;
    switch (element.type()) {
    case Type::NULL_VALUE:
        return QJsonValue(QJsonValue::Null);
    case Type::BOOL:
        return QJsonValue(bool(element.get_bool().value_unsafe()));
    case Type::INT64:
        return QJsonValue(qint64(element.get_int64().value_unsafe()));
    case Type::UINT64:
        return QJsonValue(double(element.get_uint64().value_unsafe()));
    case Type::DOUBLE:
        return QJsonValue(element.get_double().value_unsafe());
    case Type::STRING: {
        const std::string_view text = element.get_string().value_unsafe();
        return QJsonValue(QString::fromUtf8(text.data(), qsizetype(text.size())));
    }
    case Type::ARRAY:
    case Type::OBJECT: {
        // Qt parses the minified text of the value: what it holds is then what QJsonDocument
        // gives for the page (key order, duplicate keys, number kinds).
        const std::string text = simdjson::to_string(element);
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(text.data(), qsizetype(text.size())));
        return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    }
    }
    return QJsonValue(QJsonValue::Undefined);
}

} // namespace json

JsonRecord::JsonRecord(QJsonObject object) : m_object(std::move(object)) { }

QJsonObject JsonRecord::object() const
{
    if (!m_raw)
        return m_object;
    QJsonObject whole = json::toQJsonValue(m_raw->element).toObject();
    for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it)
        whole.insert(it.key(), it.value());
    return whole;
}

QJsonValue JsonRecord::value(const QString &key) const
{
    if (!m_raw || m_object.contains(key))
        return m_object.value(key);
    const QByteArray utf8 = key.toUtf8();
    // Qt keeps the last of repeated keys: so does this.
    QJsonValue found(QJsonValue::Undefined);
    simdjson::dom::object object;
    if (m_raw->element.get_object().get(object) != simdjson::SUCCESS)
        return found;
    for (const auto field : object) {
        if (field.key == std::string_view(utf8.constData(), size_t(utf8.size())))
            found = json::toQJsonValue(field.value);
    }
    return found;
}

void JsonRecord::insert(const QString &key, const QJsonValue &value)
{
    m_object.insert(key, value);
}

std::optional<JsonPage> JsonPage::read(const QByteArray &body, const QString &recordsPointer)
{
    if (!recordsPointer.startsWith(QLatin1Char('/')) || recordsPointer.indexOf(QLatin1Char('/'), 1) >= 0
        || recordsPointer.contains(QLatin1Char('~')))
        return std::nullopt;
    const QByteArray recordsKey = recordsPointer.mid(1).toUtf8();
    const std::string_view recordsKeyView(recordsKey.constData(), size_t(recordsKey.size()));

    // The parser's buffers are reused page after page; each page gets its own document, which
    // its records keep alive.
    thread_local simdjson::dom::parser parser;
    auto document = std::make_shared<simdjson::dom::document>();
    simdjson::dom::element root;
    if (parser.parse_into_document(*document, body.constData(), size_t(body.size())).get(root) != simdjson::SUCCESS)
        return std::nullopt;
    simdjson::dom::object rootObject;
    if (root.get_object().get(rootObject) != simdjson::SUCCESS)
        return std::nullopt;

    JsonPage page;
    QSet<QByteArray> keys;
    simdjson::dom::array records;
    bool haveRecords = false;
    for (const auto field : rootObject) {
        const QByteArray key(field.key.data(), qsizetype(field.key.size()));
        if (keys.contains(key))
            return std::nullopt; // Qt would keep the last: not worth doing here
        keys.insert(key);
        if (field.key == recordsKeyView) {
            if (field.value.get_array().get(records) != simdjson::SUCCESS)
                return std::nullopt;
            haveRecords = true;
            page.m_envelope.insert(QString::fromUtf8(key), QJsonArray());
            continue;
        }
        page.m_envelope.insert(QString::fromUtf8(key), json::toQJsonValue(field.value));
    }
    if (!haveRecords)
        return std::nullopt;
    std::shared_ptr<const simdjson::dom::document> shared = std::move(document);
    page.m_records.reserve(qsizetype(records.size()));
    for (const simdjson::dom::element item : records) {
        if (!item.is_object())
            return std::nullopt;
        JsonRecord record;
        record.m_raw = std::make_shared<const JsonRecord::InPage>(JsonRecord::InPage {shared, item});
        page.m_records.append(std::move(record));
    }
    return page;
}

} // namespace tributary
