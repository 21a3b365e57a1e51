#include "SalesforceDescribe.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace tributary {

namespace {

const QString kObject = QStringLiteral("object");
const QString kFields = QStringLiteral("fields");
const QString kDatetimes = QStringLiteral("datetimes");
const QString kCursorField = QStringLiteral("cursor_field");
const QString kHasIsDeleted = QStringLiteral("has_is_deleted");
const QString kFetchedAt = QStringLiteral("fetched_at");

QJsonArray toArray(const QStringList &list)
{
    QJsonArray array;
    for (const QString &s : list)
        array.append(s);
    return array;
}

QStringList toStrings(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &v : value.toArray())
        list.append(v.toString());
    return list;
}

} // namespace

Result<SalesforceDescribe> SalesforceDescribe::fromReply(const QJsonObject &describe, const QDateTime &now)
{
    SalesforceDescribe d;
    d.object = describe.value(QStringLiteral("name")).toString();
    d.fetchedAt = now.toUTC();
    if (d.object.isEmpty() || !describe.value(QStringLiteral("fields")).isArray())
        return Error::make(Error::Kind::Parse, QStringLiteral("Salesforce sent a describe without a name or fields."),
                           QStringLiteral("This is usually temporary: sync again."), true);
    if (describe.contains(QStringLiteral("queryable")) && !describe.value(QStringLiteral("queryable")).toBool())
        return Error::make(Error::Kind::Permission,
                           QStringLiteral("Salesforce does not let this user query %1.").arg(d.object),
                           QStringLiteral("Give the user read access to %1 (a profile or permission set), or "
                                          "deselect this collection.")
                                   .arg(d.object));
    QStringList all;
    for (const QJsonValue &value : describe.value(QStringLiteral("fields")).toArray()) {
        const QJsonObject field = value.toObject();
        const QString name = field.value(QStringLiteral("name")).toString();
        const QString type = field.value(QStringLiteral("type")).toString();
        if (name.isEmpty() || d.fields.contains(name))
            continue;
        all.append(name);
        if (type == QLatin1String("base64"))
            continue;
        d.fields.append(name);
        if (type == QLatin1String("datetime"))
            d.datetimes.append(name);
    }
    // Id first: it is the primary key, and the first thing anyone looks for in a query.
    if (d.fields.removeAll(QStringLiteral("Id")) > 0)
        d.fields.prepend(QStringLiteral("Id"));
    if (d.fields.isEmpty())
        return Error::make(Error::Kind::Permission,
                           QStringLiteral("Salesforce shows this user no field of %1.").arg(d.object),
                           QStringLiteral("Give the user read access to the fields of %1 (field-level security), or "
                                          "deselect this collection.")
                                   .arg(d.object));
    for (const char *candidate : {"SystemModstamp", "LastModifiedDate", "CreatedDate"}) {
        const QString name = QLatin1String(candidate);
        if (d.datetimes.contains(name)) {
            d.cursorField = name;
            break;
        }
    }
    d.hasIsDeleted = d.fields.contains(QStringLiteral("IsDeleted"));
    return d;
}

SalesforceDescribe SalesforceDescribe::fromJson(const QJsonObject &json)
{
    SalesforceDescribe d;
    d.object = json.value(kObject).toString();
    d.fields = toStrings(json.value(kFields));
    d.datetimes = toStrings(json.value(kDatetimes));
    d.cursorField = json.value(kCursorField).toString();
    d.hasIsDeleted = json.value(kHasIsDeleted).toBool();
    d.fetchedAt = parseDateTime(json.value(kFetchedAt).toString());
    return d;
}

QJsonObject SalesforceDescribe::toJson() const
{
    return {{kObject, object},           {kFields, toArray(fields)},    {kDatetimes, toArray(datetimes)},
            {kCursorField, cursorField}, {kHasIsDeleted, hasIsDeleted}, {kFetchedAt, isoText(fetchedAt)}};
}

bool SalesforceDescribe::isFresh(const QDateTime &now) const
{
    if (!isValid() || !fetchedAt.isValid())
        return false;
    const qint64 age = fetchedAt.secsTo(now);
    return age >= 0 && age < kMaxAgeSeconds;
}

QString SalesforceDescribe::soql(const QDateTime &since) const
{
    QString q = QStringLiteral("SELECT ") + fields.join(QLatin1Char(',')) + QStringLiteral(" FROM ") + object;
    if (cursorField.isEmpty())
        return q;
    if (since.isValid())
        q += QStringLiteral(" WHERE ") + cursorField + QStringLiteral(" >= ") + soqlLiteral(since);
    q += QStringLiteral(" ORDER BY ") + cursorField + QStringLiteral(" ASC");
    return q;
}

QDateTime SalesforceDescribe::parseDateTime(const QString &text)
{
    // YYYY-MM-DDTHH:MM:SS[.fff](Z|+HHMM|+HH:MM|-HHMM|-HH:MM)
    static const QRegularExpression pattern(QStringLiteral(
            R"(^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):?(\d{2}))$)"));
    const QRegularExpressionMatch m = pattern.match(text);
    if (!m.hasMatch())
        return {};
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const QString fraction = QString(m.captured(7) + QStringLiteral("000")).left(3);
    const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt(), fraction.toInt());
    if (!date.isValid() || !time.isValid())
        return {};
    QDateTime utc(date, time, Qt::UTC);
    if (m.captured(8) != QLatin1String("Z")) {
        const int hours = m.captured(10).toInt();
        const int minutes = m.captured(11).toInt();
        if (hours > 23 || minutes > 59)
            return {};
        const int offset = (hours * 60 + minutes) * 60;
        utc = utc.addSecs(m.captured(9) == QLatin1String("-") ? offset : -offset);
    }
    return utc;
}

QString SalesforceDescribe::isoText(const QDateTime &utc)
{
    if (!utc.isValid())
        return {};
    return utc.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"));
}

QString SalesforceDescribe::soqlLiteral(const QDateTime &utc)
{
    const QDateTime t = utc.toUTC();
    return t.toString(t.time().msec() == 0 ? QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'")
                                           : QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"));
}

} // namespace tributary
