#include "Normalizer.h"

#include "Identifier.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QSet>
#include <QStringView>

#include <optional>
#include <utility>

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
            switch (value.type()) {
            case QJsonValue::Object:
                flatten(value.toObject(), column, dropFields);
                break;
            case QJsonValue::Null:
            case QJsonValue::Undefined:
                add(column, ColumnType::Null, QVariant());
                break;
            case QJsonValue::Bool:
                add(column, ColumnType::Boolean, QVariant(value.toBool()));
                break;
            case QJsonValue::Double: {
                FlatField field = numberField(value);
                add(column, field.type, std::move(field.value));
                break;
            }
            case QJsonValue::String: {
                QString text = value.toString();
                if (std::optional<QDateTime> timestamp = parseTimestamp(text))
                    add(column, ColumnType::Timestamp, QVariant(*timestamp));
                else
                    add(column, ColumnType::Text, QVariant(std::move(text)));
                break;
            }
            case QJsonValue::Array:
                add(column, ColumnType::Json,
                    QVariant(QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact))));
                break;
            }
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

} // namespace

Normalizer::Normalizer(Options options) : m_options(std::move(options)) { }

Result<FlatRecord> Normalizer::normalize(const QJsonObject &record) const
{
    FlatRecord flat;
    if (!m_options.primaryKey.isEmpty()) {
        const QJsonValue key = record.value(m_options.primaryKey);
        if (key.type() == QJsonValue::String) {
            flat.id = key.toString();
        } else if (key.type() == QJsonValue::Double) {
            const FlatField number = numberField(key);
            if (number.type != ColumnType::Integer)
                return Error::make(Error::Kind::Parse, QStringLiteral("a record has an id that is not a whole number"),
                                   QStringLiteral("The upstream sent \"%1\": %2, which cannot be a primary key. "
                                                  "Report it to the upstream, or check the collection's primary "
                                                  "key in the connector.")
                                           .arg(m_options.primaryKey, QString::number(key.toDouble())));
            flat.id = QString::number(number.value.toLongLong());
        } else if (key.type() != QJsonValue::Null && key.type() != QJsonValue::Undefined) {
            return Error::make(Error::Kind::Parse, QStringLiteral("a record has an id that is not text or a number"),
                               QStringLiteral("The upstream's \"%1\" field is an object, array or boolean. Check "
                                              "the collection's primary key in the connector.")
                                       .arg(m_options.primaryKey));
        }
        if (flat.id.isEmpty())
            return Error::make(Error::Kind::Parse, QStringLiteral("a record has no id"),
                               QStringLiteral("The upstream sent a record whose primary key \"%1\" is missing, null "
                                              "or empty. Check the collection's primary key in the connector, or "
                                              "report it to the upstream.")
                                       .arg(m_options.primaryKey));
    }

    flat.fields.reserve(record.size());
    Flattener flattener(&flat);
    if (!m_options.primaryKey.isEmpty() && !m_options.dropFields.contains(m_options.primaryKey))
        flattener.reservePrimaryKey(m_options.primaryKey);
    flattener.flatten(record, QString(), &m_options.dropFields);
    return flat;
}

} // namespace tributary
