#include "Identifier.h"

#include <QByteArray>
#include <QCryptographicHash>

#include <algorithm>

namespace tributary::Identifier {

namespace {

bool isAsciiLower(char16_t c)
{
    return c >= u'a' && c <= u'z';
}

bool isAsciiUpper(char16_t c)
{
    return c >= u'A' && c <= u'Z';
}

bool isAsciiDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

// Already snake_case: only [a-z0-9_], not starting with a digit (most upstream names are).
bool isSnakeCase(QStringView name)
{
    if (name.isEmpty() || isAsciiDigit(name.front().unicode()))
        return false;
    for (QChar ch : name) {
        const char16_t c = ch.unicode();
        if (!isAsciiLower(c) && !isAsciiDigit(c) && c != u'_')
            return false;
    }
    return true;
}

} // namespace

QString toSnakeCase(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("_");
    if (isSnakeCase(name))
        return name; // shares the data: no allocation on the common path

    // At most one '_' before each character, and one leading '_'.
    const qsizetype size = name.size();
    QString out(2 * size + 1, Qt::Uninitialized);
    QChar *dst = out.data();
    const QChar *src = name.constData();
    bool previousLowerOrDigit = false;
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t c = src[i].unicode();
        if (isAsciiUpper(c)) {
            if (previousLowerOrDigit)
                *dst++ = u'_';
            *dst++ = QChar(char16_t(c - u'A' + u'a'));
            previousLowerOrDigit = false;
        } else if (isAsciiLower(c) || isAsciiDigit(c)) {
            *dst++ = QChar(c);
            previousLowerOrDigit = true;
        } else {
            // '_' stays; anything else becomes '_', one per code point (a surrogate pair is one).
            if (QChar::isHighSurrogate(c) && i + 1 < size && src[i + 1].isLowSurrogate())
                ++i;
            *dst++ = u'_';
            previousLowerOrDigit = false;
        }
    }
    out.truncate(dst - out.constData());
    if (isAsciiDigit(out.front().unicode()))
        out.prepend(u'_');
    return out;
}

QString shorten(const QString &name, int maxBytes)
{
    const QByteArray utf8 = name.toUtf8();
    if (utf8.size() <= maxBytes)
        return name;

    // Keep room for '_' and 8 hex digits, and never cut a multi-byte character in two: a UTF-8
    // continuation byte (10xxxxxx) at the cut means the character started before it.
    qsizetype cut = std::max(0, maxBytes - 9);
    while (cut > 0 && (static_cast<unsigned char>(utf8.at(cut)) & 0xC0) == 0x80)
        --cut;
    const QByteArray hash = QCryptographicHash::hash(utf8, QCryptographicHash::Sha1).toHex().left(8);
    return QString::fromUtf8(utf8.left(cut)) + u'_' + QString::fromLatin1(hash);
}

QString quote(const QString &name)
{
    QString escaped = name;
    escaped.replace(u'"', QStringLiteral("\"\""));
    return u'"' + escaped + u'"';
}

} // namespace tributary::Identifier
