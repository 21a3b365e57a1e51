#pragma once

#include <QDebug>
#include <QMetaType>
#include <QString>
#include <QTextStream>

namespace tributary {

// A credential held in memory: an API key, an OAuth token, a client secret, a password. It never
// prints itself: QDebug, QTextStream and toString() all give "***", so a Secret that slips into a
// log line, an error message or a crash report shows nothing. The value comes out only through
// reveal(), which is easy to search for in review.
class Secret
{
public:
    Secret() = default;
    explicit Secret(QString value) : m_value(std::move(value)) { }

    const QString &reveal() const { return m_value; }
    QByteArray revealUtf8() const { return m_value.toUtf8(); }
    bool isEmpty() const { return m_value.isEmpty(); }

    // What any text output shows.
    static QString mask() { return QStringLiteral("***"); }
    QString toString() const { return mask(); }

    // Constant time in the length of the longer value: no early exit on the first difference.
    bool operator==(const Secret &other) const
    {
        const qsizetype n = std::max(m_value.size(), other.m_value.size());
        char16_t diff = char16_t(m_value.size() != other.m_value.size());
        for (qsizetype i = 0; i < n; ++i) {
            const char16_t a = i < m_value.size() ? m_value.at(i).unicode() : 0;
            const char16_t b = i < other.m_value.size() ? other.m_value.at(i).unicode() : 0;
            diff |= char16_t(a ^ b);
        }
        return diff == 0;
    }
    bool operator!=(const Secret &other) const { return !(*this == other); }

    // Overwrites the value before it is released.
    void clear()
    {
        m_value.fill(QLatin1Char('\0'));
        m_value.clear();
    }

private:
    QString m_value;
};

inline QDebug operator<<(QDebug debug, const Secret &)
{
    QDebugStateSaver saver(debug);
    debug.noquote() << Secret::mask();
    return debug;
}

inline QTextStream &operator<<(QTextStream &stream, const Secret &)
{
    return stream << Secret::mask();
}

} // namespace tributary

Q_DECLARE_METATYPE(tributary::Secret)
