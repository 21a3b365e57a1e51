#include "PostgresCopyFormat.h"

#include "warehouse/BatchPlan.h"

#include <charconv>
#include <cstring>

namespace tributary::PostgresCopyFormat {

namespace {

// QByteArray::append(const char *, qsizetype) goes through insert(); this is about twice as fast,
// and a COPY row calls it for most of its columns.
inline void put(QByteArray &out, const char *bytes, qsizetype count)
{
    const qsizetype size = out.size();
    out.resize(size + count); // grows geometrically
    std::memcpy(out.data() + size, bytes, size_t(count));
}

void appendUtf8(QByteArray &out, char32_t code)
{
    if (code < 0x80) {
        out.append(char(code));
    } else if (code < 0x800) {
        const char bytes[] = {char(0xc0 | (code >> 6)), char(0x80 | (code & 0x3f))};
        put(out, bytes, 2);
    } else if (code < 0x10000) {
        const char bytes[] = {char(0xe0 | (code >> 12)), char(0x80 | ((code >> 6) & 0x3f)), char(0x80 | (code & 0x3f))};
        put(out, bytes, 3);
    } else {
        const char bytes[] = {char(0xf0 | (code >> 18)), char(0x80 | ((code >> 12) & 0x3f)),
                              char(0x80 | ((code >> 6) & 0x3f)), char(0x80 | (code & 0x3f))};
        put(out, bytes, 4);
    }
}

void appendTwoDigits(char *to, int value)
{
    to[0] = char('0' + value / 10);
    to[1] = char('0' + value % 10);
}

} // namespace

void appendNull(QByteArray &out)
{
    put(out, "\\N", 2);
}

void appendText(QByteArray &out, QStringView text)
{
    const char16_t *data = text.utf16();
    const qsizetype size = text.size();
    qsizetype run = 0; // start of the pending plain-ASCII run
    qsizetype i = 0;
    const auto flush = [&](qsizetype end) {
        if (end > run) {
            const qsizetype start = out.size();
            out.resize(start + (end - run));
            char *to = out.data() + start;
            for (qsizetype k = run; k < end; ++k)
                *to++ = char(data[k]);
        }
    };
    while (i < size) {
        const char16_t c = data[i];
        if (c >= 0x20 && c < 0x80 && c != u'\\') {
            ++i;
            continue;
        }
        flush(i);
        switch (c) {
        case u'\\':
            put(out, "\\\\", 2);
            break;
        case u'\n':
            put(out, "\\n", 2);
            break;
        case u'\r':
            put(out, "\\r", 2);
            break;
        case u'\t':
            put(out, "\\t", 2);
            break;
        case 0:
            appendUtf8(out, 0xfffd);
            break;
        default:
            if (c < 0x80) {
                out.append(char(c)); // other control characters are literal in COPY text
            } else if (QChar::isHighSurrogate(c) && i + 1 < size && QChar::isLowSurrogate(data[i + 1])) {
                appendUtf8(out, QChar::surrogateToUcs4(c, data[i + 1]));
                ++i;
            } else if (QChar::isSurrogate(c)) {
                appendUtf8(out, 0xfffd);
            } else {
                appendUtf8(out, c);
            }
        }
        ++i;
        run = i;
    }
    flush(size);
}

void appendJson(QByteArray &out, QStringView json)
{
    static const QString nul = QStringLiteral("\\u0000");
    if (!json.contains(nul)) {
        appendText(out, json);
        return;
    }
    QString fixed;
    fixed.reserve(json.size());
    for (qsizetype i = 0; i < json.size(); ++i) {
        const QChar c = json.at(i);
        if (c == u'\\' && i + 1 < json.size()) {
            if (json.sliced(i).startsWith(nul)) {
                fixed += QStringLiteral("\\ufffd");
                i += nul.size() - 1;
            } else {
                fixed += c;
                fixed += json.at(++i); // the escaped character, whatever it is
            }
            continue;
        }
        fixed += c;
    }
    appendText(out, fixed);
}

void appendInteger(QByteArray &out, qint64 value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    put(out, buffer, result.ptr - buffer);
}

void appendReal(QByteArray &out, double value)
{
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    put(out, buffer, result.ptr - buffer);
}

void appendTimestamp(QByteArray &out, const QDateTime &value)
{
    if (!value.isValid()) {
        appendNull(out);
        return;
    }
    const QDateTime utc = value.timeSpec() == Qt::UTC ? value : value.toUTC();
    const QDate date = utc.date();
    const QTime time = utc.time();
    const int year = date.year();
    if (year < 1000 || year > 9999) {
        appendText(out, BatchPlan::timestampText(utc));
        return;
    }
    char buffer[] = "0000-00-00T00:00:00.000Z"; // 24 characters and the terminating NUL
    buffer[0] = char('0' + year / 1000);
    buffer[1] = char('0' + year / 100 % 10);
    appendTwoDigits(buffer + 2, year % 100);
    appendTwoDigits(buffer + 5, date.month());
    appendTwoDigits(buffer + 8, date.day());
    appendTwoDigits(buffer + 11, time.hour());
    appendTwoDigits(buffer + 14, time.minute());
    appendTwoDigits(buffer + 17, time.second());
    const int ms = time.msec();
    buffer[20] = char('0' + ms / 100);
    appendTwoDigits(buffer + 21, ms % 100);
    put(out, buffer, 24);
}

void appendValue(QByteArray &out, const QVariant &value, ColumnType columnType)
{
    if (!value.isValid() || value.isNull()) {
        appendNull(out);
        return;
    }
    const bool asText = columnType == ColumnType::Text || columnType == ColumnType::Null;
    switch (value.typeId()) {
    case QMetaType::Bool:
        if (asText)
            out.append(value.toBool() ? "true" : "false");
        else
            out.append(value.toBool() ? 't' : 'f');
        return;
    case QMetaType::LongLong: // what the Normalizer gives
        appendInteger(out, *static_cast<const qlonglong *>(value.constData()));
        return;
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Short:
    case QMetaType::UShort:
        appendInteger(out, value.toLongLong());
        return;
    case QMetaType::ULongLong:
        out.append(QByteArray::number(value.toULongLong()));
        return;
    case QMetaType::Double:
    case QMetaType::Float:
        appendReal(out, value.toDouble());
        return;
    case QMetaType::QDateTime:
        appendTimestamp(out, value.toDateTime());
        return;
    case QMetaType::QString: {
        const QString &text = *static_cast<const QString *>(value.constData());
        if (columnType == ColumnType::Json)
            appendJson(out, text);
        else
            appendText(out, text);
        return;
    }
    default:
        appendText(out, value.toString());
        return;
    }
}

QString sqlType(ColumnType type)
{
    switch (type) {
    case ColumnType::Boolean:
        return QStringLiteral("boolean");
    case ColumnType::Integer:
        return QStringLiteral("bigint");
    case ColumnType::Real:
        return QStringLiteral("double precision");
    case ColumnType::Timestamp:
        return QStringLiteral("timestamp with time zone");
    case ColumnType::Json:
        return QStringLiteral("jsonb");
    case ColumnType::Null:
    case ColumnType::Text:
        return QStringLiteral("text");
    }
    return QStringLiteral("text");
}

ColumnType columnTypeOf(const QString &type)
{
    if (type == QLatin1String("boolean"))
        return ColumnType::Boolean;
    if (type == QLatin1String("bigint") || type == QLatin1String("integer") || type == QLatin1String("smallint"))
        return ColumnType::Integer;
    if (type == QLatin1String("double precision") || type == QLatin1String("real"))
        return ColumnType::Real;
    if (type == QLatin1String("timestamp with time zone"))
        return ColumnType::Timestamp;
    if (type == QLatin1String("jsonb") || type == QLatin1String("json"))
        return ColumnType::Json;
    return ColumnType::Text;
}

} // namespace tributary::PostgresCopyFormat
