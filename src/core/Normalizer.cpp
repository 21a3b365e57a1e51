#include "Normalizer.h"

#include "Identifier.h"
#include "JsonPage_p.h"

#include <QCborMap>
#include <QCborValue>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QSet>
#include <QStringView>

#include <algorithm>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

namespace tributary {

namespace {

// Reads count ASCII digits at pos; false when any is not a digit.
bool readDigits(QStringView text, qsizetype pos, qsizetype count, int *value)
{
    int v = 0;
    for (qsizetype i = pos; i < pos + count; ++i) {
        const char16_t c = text[i].unicode();
        if (c < u'0' || c > u'9')
            return false;
        v = v * 10 + (c - u'0');
    }
    *value = v;
    return true;
}

// An RFC 3339 / ISO-8601 date-time with a zone, in UTC:
//   YYYY-MM-DDTHH:MM:SS[.fraction](Z | +HH:MM | +HHMM | -HH:MM | -HHMM)
// 'T' and 'Z' may be lower case; the fraction has any number of digits, kept to the millisecond
// (truncated). Anything else, including a date alone, a date-time without a zone, or impossible
// values (month 13, 25:00, 23:59:60, Feb 30) is not a timestamp.
std::optional<QDateTime> parseTimestamp(QStringView text)
{
    const qsizetype size = text.size();
    if (size < 20 || size > 64)
        return std::nullopt;
    if (text[4] != u'-' || text[7] != u'-' || (text[10] != u'T' && text[10] != u't') || text[13] != u':'
        || text[16] != u':')
        return std::nullopt;
    int year, month, day, hour, minute, second;
    if (!readDigits(text, 0, 4, &year) || !readDigits(text, 5, 2, &month) || !readDigits(text, 8, 2, &day)
        || !readDigits(text, 11, 2, &hour) || !readDigits(text, 14, 2, &minute) || !readDigits(text, 17, 2, &second))
        return std::nullopt;

    qsizetype pos = 19;
    int msec = 0;
    if (text[pos] == u'.') {
        ++pos;
        const qsizetype start = pos;
        while (pos < size && text[pos].unicode() >= u'0' && text[pos].unicode() <= u'9') {
            if (pos - start < 3)
                msec = msec * 10 + (text[pos].unicode() - u'0');
            ++pos;
        }
        const qsizetype digits = pos - start;
        if (digits == 0)
            return std::nullopt;
        for (qsizetype d = digits; d < 3; ++d)
            msec *= 10;
    }

    if (pos >= size)
        return std::nullopt; // no zone: local time of an unknown place
    int offsetSeconds = 0;
    const char16_t zone = text[pos].unicode();
    if (zone == u'Z' || zone == u'z') {
        ++pos;
    } else if (zone == u'+' || zone == u'-') {
        ++pos;
        int offsetHours, offsetMinutes;
        if (pos + 2 > size || !readDigits(text, pos, 2, &offsetHours))
            return std::nullopt;
        pos += 2;
        if (pos < size && text[pos] == u':')
            ++pos;
        if (pos + 2 > size || !readDigits(text, pos, 2, &offsetMinutes))
            return std::nullopt;
        pos += 2;
        if (offsetHours > 23 || offsetMinutes > 59)
            return std::nullopt;
        offsetSeconds = (offsetHours * 60 + offsetMinutes) * 60 * (zone == u'-' ? -1 : 1);
    } else {
        return std::nullopt;
    }
    if (pos != size)
        return std::nullopt;

    const QDate date(year, month, day);
    const QTime time(hour, minute, second, msec);
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    return QDateTime(date, time, Qt::UTC).addSecs(-offsetSeconds);
}

// Integer when the number is whole and fits in 64 bits, otherwise Real. Qt's JSON parser keeps
// integers exactly (9007199254740993 stays itself) but not whether the text had a fraction or an
// exponent, so 3.0, 1e3 and 1e16 are Integer too: toInteger() returns its default for anything else.
FlatField numberField(const QJsonValue &value)
{
    const qint64 whole = value.toInteger(0);
    if (whole == value.toInteger(1))
        return {{}, ColumnType::Integer, QVariant(whole)};
    return {{}, ColumnType::Real, QVariant(value.toDouble())};
}

// A string: Timestamp when it reads as one, Text otherwise.
FlatField textField(QString text)
{
    if (std::optional<QDateTime> timestamp = parseTimestamp(text))
        return {{}, ColumnType::Timestamp, QVariant(*timestamp)};
    return {{}, ColumnType::Text, QVariant(std::move(text))};
}

// The field of one non-object value (column left empty).
FlatField valueField(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
    case QJsonValue::Object:
        break;
    case QJsonValue::Bool:
        return {{}, ColumnType::Boolean, QVariant(value.toBool())};
    case QJsonValue::Double:
        return numberField(value);
    case QJsonValue::String:
        return textField(value.toString());
    case QJsonValue::Array:
        return {{},
                ColumnType::Json,
                QVariant(QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)))};
    }
    return {{}, ColumnType::Null, QVariant()};
}

// The general path: every column name through toSnakeCase and a set of the names in use, with
// the suffix rules for collisions.
class Flattener
{
public:
    explicit Flattener(FlatRecord *record) : m_record(record) { }

    // The primary key's column is its own even when another key sorts first and maps to the same
    // name ("ID" and "id"): the others get the suffixes.
    void reservePrimaryKey(const QString &key)
    {
        m_primaryKey = key;
        m_used.insert(Identifier::toSnakeCase(key));
    }

    // topLevel: only top-level keys are dropped or can be the primary key.
    void flatten(const QJsonObject &object, const QString &prefix, const QStringList *dropFields)
    {
        const bool topLevel = prefix.isEmpty();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const QString key = it.key();
            if (topLevel && dropFields->contains(key))
                continue;
            m_isPrimaryKey = topLevel && !m_primaryKey.isNull() && key == m_primaryKey;
            const QString column
                    = topLevel ? Identifier::toSnakeCase(key) : prefix + u'_' + Identifier::toSnakeCase(key);
            const QJsonValue value = it.value();
            if (value.type() == QJsonValue::Object) {
                flatten(value.toObject(), column, dropFields);
                continue;
            }
            FlatField field = valueField(value);
            add(column, field.type, std::move(field.value));
        }
    }

private:
    // A column name already taken gets the first free suffix _2, _3...
    void add(QString column, ColumnType type, QVariant value)
    {
        if (m_isPrimaryKey) {
            m_isPrimaryKey = false; // its name is already in m_used
        } else if (m_used.contains(column)) {
            for (int n = 2;; ++n) {
                QString candidate = column + u'_' + QString::number(n);
                if (!m_used.contains(candidate)) {
                    column = std::move(candidate);
                    break;
                }
            }
        }
        m_used.insert(column);
        m_record->fields.append(FlatField {std::move(column), type, std::move(value)});
    }

    FlatRecord *m_record;
    QSet<QString> m_used;
    QString m_primaryKey; // null when there is none
    bool m_isPrimaryKey = false;
};

// Beyond this many remembered key paths (an upstream whose keys are data, such as ids), the
// memory starts again.
constexpr qsizetype kMaxCachedPaths = 20000;

} // namespace

// Each nested object position (a key path) is a node; each key seen there an entry with its
// column name (or, for an object, the prefix of its fields). Entries keep the order they were
// first seen in, so the next record's keys are compared one by one against it.
struct Normalizer::Cache
{
    struct Entry
    {
        QCborValue key;       // as QCborMap's keys compare
        QByteArray utf8;      // as a parsed page's keys compare
        QString column;       // the snake_case path
        int columnId = 0;     // the same for every entry of the same column name
        int child = -1;       // the node of the object under this key, once one was seen
        bool dropped = false; // top level: one of dropFields
    };
    struct Node
    {
        QString prefix; // empty at the top level
        QList<Entry> entries;
        QHash<QString, int> byKey;
        // A parsed page's last object here: its keys' entries in the order they came, and the
        // positions in that order of its keys sorted.
        bool orderKnown = false;
        std::vector<int> docOrder;
        std::vector<int> sortedPositions;
    };

    std::vector<Node> nodes = std::vector<Node>(1);
    QHash<QString, int> columnIds;
    std::vector<quint32> stamps; // per column id: the serial of the last record that used it
    quint32 serial = 0;
    qsizetype paths = 0;
    qsizetype lastFieldCount = 0;

    int addEntry(int nodeIndex, const QString &key, const Options &options)
    {
        Node &node = nodes[size_t(nodeIndex)];
        Entry entry;
        entry.key = QCborValue(key);
        entry.utf8 = key.toUtf8();
        const QString name = Identifier::toSnakeCase(key);
        entry.column = node.prefix.isEmpty() ? name : node.prefix + u'_' + name;
        entry.dropped = nodeIndex == 0 && options.dropFields.contains(key);
        const auto found = columnIds.constFind(entry.column);
        if (found != columnIds.cend()) {
            entry.columnId = *found;
        } else {
            entry.columnId = int(stamps.size());
            columnIds.insert(entry.column, entry.columnId);
            stamps.push_back(0);
        }
        const int index = int(node.entries.size());
        node.byKey.insert(key, index);
        node.entries.append(std::move(entry));
        ++paths;
        return index;
    }

    // The entry of a record's key at a node: the expected one when it matches, else the one
    // found by the key's text (made only then), else a new one.
    template<typename KeyText>
    int entryFor(int nodeIndex, int expected, bool matches, KeyText keyText, const Options &options)
    {
        if (matches)
            return expected;
        const QString text = keyText();
        const int index = nodes[size_t(nodeIndex)].byKey.value(text, -1);
        return index >= 0 ? index : addEntry(nodeIndex, text, options);
    }

    // Marks a column name used by the current record; false when it already is (two key paths
    // give one name: the general path decides).
    bool claimColumn(int columnId)
    {
        quint32 &stamp = stamps[size_t(columnId)];
        if (stamp == serial)
            return false;
        stamp = serial;
        return true;
    }

    // The node of the object under an entry, made the first time one is seen there.
    int childOf(int nodeIndex, int index)
    {
        int child = nodes[size_t(nodeIndex)].entries.at(index).child;
        if (child < 0) {
            child = int(nodes.size());
            Node node;
            node.prefix = nodes[size_t(nodeIndex)].entries.at(index).column;
            nodes.push_back(std::move(node));
            nodes[size_t(nodeIndex)].entries[index].child = child;
        }
        return child;
    }

    // The fields of object at node nodeIndex appended to record; false as soon as two key paths
    // give one column name (the caller then takes the general path). The object is read through
    // a QCborMap sharing its data (QCborMap::fromJsonObject copies nothing): its keys compare
    // with the remembered ones without a QString each, and its values convert without a
    // QJsonValue each. Arrays and nested objects are taken from the QJsonObject, in step.
    bool flatten(const QJsonObject &object, int nodeIndex, const Options &options, FlatRecord &record)
    {
        const QCborMap map = QCborMap::fromJsonObject(object);
        int expected = 0;
        auto json = object.constBegin();
        const auto end = map.constEnd();
        for (auto it = map.constBegin(); it != end; ++it, ++json) {
            const QCborValue key = it.key();
            const Node &node = nodes[size_t(nodeIndex)];
            const bool matches = expected < node.entries.size() && node.entries.at(expected).key == key;
            const int index = entryFor(
                    nodeIndex, expected, matches, [&] { return key.toString(); }, options);
            expected = index + 1;
            const Entry &entry = nodes[size_t(nodeIndex)].entries.at(index);
            if (entry.dropped)
                continue;
            const QCborValueConstRef value = it.value();
            const QCborValue::Type type = value.type();
            if (type == QCborValue::Map) {
                const int child = childOf(nodeIndex, index);
                if (!flatten(json.value().toObject(), child, options, record))
                    return false;
                continue;
            }
            if (!claimColumn(entry.columnId))
                return false;
            FlatField field;
            switch (type) {
            case QCborValue::Null:
            case QCborValue::Undefined:
                break;
            case QCborValue::False:
            case QCborValue::True:
                field = {{}, ColumnType::Boolean, QVariant(type == QCborValue::True)};
                break;
            case QCborValue::Integer:
                field = {{}, ColumnType::Integer, QVariant(value.toInteger())};
                break;
            case QCborValue::Double:
                field = numberField(QJsonValue(value.toDouble()));
                break;
            case QCborValue::String:
                field = textField(value.toString());
                break;
            default: // arrays, and anything a JSON document cannot hold: as QJsonValue says
                field = valueField(json.value());
                break;
            }
            field.column = entry.column;
            record.fields.append(std::move(field));
        }
        return true;
    }

    // One member of an object in a parsed page, or a field JsonRecord::insert() set (top level).
    struct Member
    {
        std::string_view key;
        simdjson::dom::element value;
        const QJsonValue *inserted = nullptr;
        int position = 0; // in the order the keys came (the general path sorts members)
    };
    // Per depth of nesting, the members of the object being flattened (kept to spare an
    // allocation per object; a deque, so growing it leaves the outer levels' lists in place).
    std::deque<std::vector<Member>> memberScratch;

    // flatten() for an object of a parsed page: the same columns in the same order. Its keys
    // come in the upstream's order; Qt's QJsonObject sorts them by code point (for keys without
    // characters beyond U+FFFF, the order of their UTF-8 bytes), so they are taken in that order.
    // A node remembers the order its keys came in last time and the sorted order of those: a
    // record with the same keys in the same order (each page of an API, record after record)
    // costs one comparison per key. False for the general path: two key paths giving one name, a
    // repeated key or a key beyond U+FFFF (Qt orders those by UTF-16), or an inserted object.
    bool flattenInPage(simdjson::dom::object object, int nodeIndex,
                       const std::vector<std::pair<QByteArray, QJsonValue>> *inserted, const Options &options,
                       FlatRecord &record, size_t depth = 0)
    {
        if (memberScratch.size() <= depth)
            memberScratch.resize(depth + 1);
        std::vector<Member> &members = memberScratch[depth];
        members.clear();
        members.reserve(object.size() + (inserted ? inserted->size() : 0));
        for (const auto field : object)
            members.push_back({field.key, field.value, nullptr});
        if (inserted) {
            for (const auto &[utf8, value] : *inserted) {
                const std::string_view key(utf8.constData(), size_t(utf8.size()));
                std::erase_if(members, [&](const Member &m) { return m.key == key; });
                if (value.isObject())
                    return false;
                members.push_back({key, {}, &value});
            }
        }

        // The same keys in the same order as last time: their entries and order are known.
        bool same = nodes[size_t(nodeIndex)].orderKnown && members.size() == nodes[size_t(nodeIndex)].docOrder.size();
        for (size_t i = 0; same && i < members.size(); ++i) {
            const QByteArray &utf8 = nodes[size_t(nodeIndex)].entries.at(nodes[size_t(nodeIndex)].docOrder[i]).utf8;
            same = std::string_view(utf8.constData(), size_t(utf8.size())) == members[i].key;
        }
        if (same) {
            for (size_t k = 0; k < members.size(); ++k) {
                const int position = nodes[size_t(nodeIndex)].sortedPositions[k];
                const int index = nodes[size_t(nodeIndex)].docOrder[size_t(position)];
                if (!flattenMember(members[size_t(position)], nodeIndex, index, options, record, depth))
                    return false;
            }
            return true;
        }

        for (size_t i = 0; i < members.size(); ++i) {
            for (const char c : members[i].key) {
                if (uchar(c) >= 0xF0)
                    return false;
            }
            members[i].position = int(i);
        }
        const auto byKey = [](const Member &a, const Member &b) { return a.key < b.key; };
        if (!std::is_sorted(members.begin(), members.end(), byKey))
            std::sort(members.begin(), members.end(), byKey);
        for (size_t m = 1; m < members.size(); ++m) {
            if (members[m].key == members[m - 1].key)
                return false;
        }
        std::vector<int> docOrder(members.size());
        std::vector<int> sortedPositions(members.size());
        int expected = 0;
        for (size_t k = 0; k < members.size(); ++k) {
            const Member &member = members[k];
            const Node &node = nodes[size_t(nodeIndex)];
            const bool matches = expected < node.entries.size()
                    && std::string_view(node.entries.at(expected).utf8.constData(),
                                        size_t(node.entries.at(expected).utf8.size()))
                            == member.key;
            const int index = entryFor(
                    nodeIndex, expected, matches,
                    [&] { return QString::fromUtf8(member.key.data(), qsizetype(member.key.size())); }, options);
            expected = index + 1;
            docOrder[size_t(member.position)] = index;
            sortedPositions[k] = member.position;
            if (!flattenMember(member, nodeIndex, index, options, record, depth))
                return false;
        }
        Node &node = nodes[size_t(nodeIndex)];
        node.docOrder = std::move(docOrder);
        node.sortedPositions = std::move(sortedPositions);
        node.orderKnown = true;
        return true;
    }

    // One member of a parsed page's object, whose entry is index at the node: its field appended
    // to record (or, for an object, the fields under it). False for the general path.
    bool flattenMember(const Member &member, int nodeIndex, int index, const Options &options, FlatRecord &record,
                       size_t depth)
    {
        const Entry &entry = nodes[size_t(nodeIndex)].entries.at(index);
        if (entry.dropped)
            return true;
        using Type = simdjson::dom::element_type;
        if (!member.inserted && member.value.type() == Type::OBJECT) {
            const int child = childOf(nodeIndex, index);
            simdjson::dom::object nested;
            return member.value.get_object().get(nested) == simdjson::SUCCESS
                    && flattenInPage(nested, child, nullptr, options, record, depth + 1);
        }
        if (!claimColumn(entry.columnId))
            return false;
        // Each field is built in place at the end of the record.
        FlatField &field = record.fields.emplaceBack();
        field.column = entry.column;
        if (member.inserted) {
            FlatField inserted = valueField(*member.inserted);
            field.type = inserted.type;
            field.value = std::move(inserted.value);
            return true;
        }
        const simdjson::dom::element value = member.value;
        switch (value.type()) {
        case Type::NULL_VALUE:
        case Type::OBJECT:
            break;
        case Type::BOOL:
            field.type = ColumnType::Boolean;
            field.value.setValue(bool(value.get_bool().value_unsafe()));
            break;
        case Type::INT64:
            field.type = ColumnType::Integer;
            field.value.setValue(qint64(value.get_int64().value_unsafe()));
            break;
        case Type::UINT64: // beyond qint64: a double, as Qt reads it
        case Type::DOUBLE: {
            const double number = value.type() == Type::DOUBLE ? value.get_double().value_unsafe()
                                                               : double(value.get_uint64().value_unsafe());
            FlatField numeric = numberField(QJsonValue(number));
            field.type = numeric.type;
            field.value = std::move(numeric.value);
            break;
        }
        case Type::STRING: {
            const std::string_view text = value.get_string().value_unsafe();
            QString string = QString::fromUtf8(text.data(), qsizetype(text.size()));
            if (std::optional<QDateTime> timestamp = parseTimestamp(string)) {
                field.type = ColumnType::Timestamp;
                field.value.setValue(*timestamp);
            } else {
                field.type = ColumnType::Text;
                field.value.setValue(std::move(string));
            }
            break;
        }
        case Type::ARRAY:
            if (value.get_array().value_unsafe().size() == 0) {
                field.type = ColumnType::Json;
                field.value.setValue(QStringLiteral("[]"));
            } else {
                FlatField json = valueField(json::toQJsonValue(value));
                field.type = json.type;
                field.value = std::move(json.value);
            }
            break;
        }
        return true;
    }

    // Starts a record: a new serial for the column stamps.
    void beginRecord()
    {
        if (paths > kMaxCachedPaths)
            *this = Cache();
        if (++serial == 0) {
            std::fill(stamps.begin(), stamps.end(), 0);
            serial = 1;
        }
    }
};

Normalizer::Normalizer() : m_cache(std::make_unique<Cache>()) { }

Normalizer::Normalizer(Options options) : m_options(std::move(options)), m_cache(std::make_unique<Cache>()) { }

Normalizer::~Normalizer() = default;

Normalizer::Normalizer(const Normalizer &other) : m_options(other.m_options), m_cache(std::make_unique<Cache>()) { }

Normalizer &Normalizer::operator=(const Normalizer &other)
{
    if (this != &other) {
        m_options = other.m_options;
        m_cache = std::make_unique<Cache>();
    }
    return *this;
}

Normalizer::Normalizer(Normalizer &&other) noexcept
    : m_options(std::move(other.m_options)), m_cache(std::exchange(other.m_cache, std::make_unique<Cache>()))
{ }

Normalizer &Normalizer::operator=(Normalizer &&other) noexcept
{
    if (this != &other) {
        m_options = std::move(other.m_options);
        std::swap(m_cache, other.m_cache);
        *other.m_cache = Cache();
    }
    return *this;
}

qsizetype Normalizer::cachedPathCount() const
{
    return m_cache->paths;
}

std::optional<Error> Normalizer::readId(const QJsonValue &key, FlatRecord *flat) const
{
    if (!m_options.primaryKey.isEmpty()) {
        if (key.type() == QJsonValue::String) {
            flat->id = key.toString();
        } else if (key.type() == QJsonValue::Double) {
            const FlatField number = numberField(key);
            if (number.type != ColumnType::Integer)
                return Error::make(Error::Kind::Parse, QStringLiteral("a record has an id that is not a whole number"),
                                   QStringLiteral("The upstream sent \"%1\": %2, which cannot be a primary key. "
                                                  "Report it to the upstream, or check the collection's primary "
                                                  "key in the connector.")
                                           .arg(m_options.primaryKey, QString::number(key.toDouble())));
            flat->id = QString::number(number.value.toLongLong());
        } else if (key.type() != QJsonValue::Null && key.type() != QJsonValue::Undefined) {
            return Error::make(Error::Kind::Parse, QStringLiteral("a record has an id that is not text or a number"),
                               QStringLiteral("The upstream's \"%1\" field is an object, array or boolean. Check "
                                              "the collection's primary key in the connector.")
                                       .arg(m_options.primaryKey));
        }
        if (flat->id.isEmpty())
            return Error::make(Error::Kind::Parse, QStringLiteral("a record has no id"),
                               QStringLiteral("The upstream sent a record whose primary key \"%1\" is missing, null "
                                              "or empty. Check the collection's primary key in the connector, or "
                                              "report it to the upstream.")
                                       .arg(m_options.primaryKey));
    }

    return std::nullopt;
}

Result<FlatRecord> Normalizer::normalize(const QJsonObject &record) const
{
    FlatRecord flat;
    if (std::optional<Error> failed = readId(record.value(m_options.primaryKey), &flat))
        return *failed;
    flat.fields.reserve(qMax(m_cache->lastFieldCount, record.size()));
    m_cache->beginRecord();
    // Without a repeated column name no suffix is given, and the primary key's reservation
    // changes nothing: the general path would give the same columns.
    if (!m_cache->flatten(record, 0, m_options, flat)) {
        flat.fields.clear();
        Flattener flattener(&flat);
        if (!m_options.primaryKey.isEmpty() && !m_options.dropFields.contains(m_options.primaryKey))
            flattener.reservePrimaryKey(m_options.primaryKey);
        flattener.flatten(record, QString(), &m_options.dropFields);
    }
    m_cache->lastFieldCount = flat.fields.size();
    return flat;
}

Result<FlatRecord> Normalizer::normalize(const JsonRecord &record) const
{
    const JsonRecord::InPage *inPage = record.inPage();
    if (!inPage)
        return normalize(record.insertedFields());
    FlatRecord flat;
    if (std::optional<Error> failed = readId(record.value(m_options.primaryKey), &flat))
        return *failed;
    const QJsonObject &insertedFields = record.insertedFields();
    std::vector<std::pair<QByteArray, QJsonValue>> inserted;
    inserted.reserve(size_t(insertedFields.size()));
    for (auto it = insertedFields.constBegin(); it != insertedFields.constEnd(); ++it)
        inserted.emplace_back(it.key().toUtf8(), it.value());
    flat.fields.reserve(m_cache->lastFieldCount);
    m_cache->beginRecord();
    simdjson::dom::object object;
    if (inPage->element.get_object().get(object) != simdjson::SUCCESS
        || !m_cache->flattenInPage(object, 0, &inserted, m_options, flat))
        return normalize(record.object());
    m_cache->lastFieldCount = flat.fields.size();
    return flat;
}

} // namespace tributary
