#pragma once

#include "core/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace tributary {

// What Tributary keeps of one object's describe (GET /sobjects/{Name}/describe): the fields the
// user can see, which of them are datetimes, and the field that orders changes. Cached in the
// collection's saved state (toJson/fromJson) for a day, so a sync costs one describe per object
// per day at most. Also builds the object's SOQL.
struct SalesforceDescribe
{
    static constexpr qint64 kMaxAgeSeconds = 24 * 3600;

    QString object;        // the API name as Salesforce spells it ("Account", "Invoice__c")
    QStringList fields;    // selected: every field but base64 (a blob URL that shrinks batches)
    QStringList datetimes; // fields of type datetime, converted to ISO 8601 on the way
    QString cursorField;   // SystemModstamp, else LastModifiedDate, else CreatedDate, else empty
    bool hasIsDeleted = false;
    QDateTime fetchedAt; // UTC, when the describe was read

    // Parses a describe reply. Fails (kind Permission) when the object cannot be queried.
    static Result<SalesforceDescribe> fromReply(const QJsonObject &describe, const QDateTime &now);
    static SalesforceDescribe fromJson(const QJsonObject &json); // invalid (no object) when absent
    QJsonObject toJson() const;

    bool isValid() const { return !object.isEmpty() && !fields.isEmpty(); }
    // Read at most kMaxAgeSeconds before now (and not in the future: a clock set back).
    bool isFresh(const QDateTime &now) const;

    // SELECT every field FROM the object, from `since` on (>=, inclusive: the caller drops the
    // records already read on that instant) in the cursor field's order. Without a cursor field
    // the whole object, unordered; an invalid since means from the beginning.
    QString soql(const QDateTime &since = {}) const;

    // "2024-01-01T12:34:56.000+0000" (Salesforce) -> a UTC QDateTime (invalid when not a datetime).
    static QDateTime parseDateTime(const QString &text);
    // A UTC instant as ISO 8601 with milliseconds and Z: "2024-01-01T12:34:56.000Z".
    static QString isoText(const QDateTime &utc);
    // A SOQL datetime literal, unquoted: "2024-01-01T12:34:56Z" ("...56.123Z" when there are
    // milliseconds). The Z form needs no '+', which a query string would turn into a space.
    static QString soqlLiteral(const QDateTime &utc);
};

} // namespace tributary
