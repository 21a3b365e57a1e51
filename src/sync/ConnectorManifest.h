#pragma once

#include "core/Result.h"
#include "warehouse/Warehouse.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace tributary {

// A connector described as data (docs/connectors.md): read by the one generic engine.
struct ConnectorManifest
{
    struct Setting
    {
        QString key;
        QString label;
        QString help;
        QString pattern; // a regular expression the value must match (when not a reference)
        bool secret = false;
        bool required = false;
    };

    // One way to authenticate: used when every setting in `requires` (requiredSettings) has a value.
    struct AuthMode
    {
        QStringList requiredSettings;
        QString type;     // "bearer" or "basic"
        QString token;    // bearer: a template such as "{api_key}"
        QString username; // basic: templates
        QString password;
    };

    struct Pagination
    {
        QString style = QStringLiteral("cursor_param"); // the only style so far; see docs/connectors.md
        int pageSize = 100;
        QString pageSizeParam = QStringLiteral("limit");
        QString cursorParam = QStringLiteral("starting_after");
        QString cursorField = QStringLiteral("id");    // the field of the last record that is the next cursor
        QString hasMore = QStringLiteral("/has_more"); // JSON pointer to a boolean
    };

    struct TimeFilter
    {
        QString param; // e.g. created[gte]
        QString field; // record field holding the time
        QString format = QStringLiteral("unix");
    };

    struct EventFeed
    {
        QString path;
        QString typesParam;
        int maxTypes = 20;
        QString record;      // JSON pointer to the changed object inside an event
        QString typeField;   // event field with the event type
        QString timeField;   // event field with the event time (unix seconds)
        QString objectField; // field of the changed object naming its type
        QString deletedSuffix;
        int windowDays = 30;
        QString versionColumn; // column written with the change time; newer wins
    };

    struct Collection
    {
        QString name;
        QString description;
        CollectionKind kind = CollectionKind::Object;
        QString path;
        QMap<QString, QString> params;
        QString permission;
        QString incremental;           // "event_feed", "time_filter" or "" (always a full read)
        QString object;                // event_feed: the changed object's type
        QStringList types;             // event_feed: event types
        bool deletionIsStatus = false; // event_feed: a deletion event only changes a status (kept, not flagged)
        QStringList jsonFields;        // top-level fields kept whole as JSON text (not flattened)
    };

    QString slug;
    QString engine = QStringLiteral("rest"); // the driver that reads it (SourceDriver.h)
    QString name;
    QString description;
    QString documentation;
    QString icon;
    QString baseUrl; // may hold {setting} templates
    QList<Setting> settings;
    QList<AuthMode> auth;
    QMap<QString, QString> headers;
    double requestsPerSecond = 0;
    int burst = 1;
    QString checkPath;
    QString checkAccountName;
    QString errorMessage;      // JSON pointer
    QString errorParam;        // JSON pointer
    QString permissionPattern; // regex with one capture: the missing permission's name
    QString permissionHint;    // template with {permission}
    QString authHint;
    QString records; // JSON pointer to the records array
    QString primaryKey = QStringLiteral("id");
    QStringList dropFields;
    int cursorOverlapSeconds = 0; // incremental passes re-read this much before the last one (repeats are deduplicated)
    Pagination pagination;
    TimeFilter timeFilter;
    EventFeed eventFeed;
    QList<Collection> collections;

    static Result<ConnectorManifest> fromJson(const QJsonObject &json);
    const Collection *collection(const QString &name) const;
    const Setting *setting(const QString &key) const;
    QStringList collectionNames() const;
    QString authSummary() const; // "API key", "OAuth 2"... for the catalog
};

// RFC 6901 JSON pointer lookup ("/data/object"); "" is the whole value.
QJsonValue jsonPointer(const QJsonValue &root, const QString &pointer);

} // namespace tributary
