#pragma once

#include "core/Result.h"
#include "warehouse/Warehouse.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

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

    // How a collection's pages follow each other (docs/connectors.md lists the styles and their defaults).
    struct Pagination
    {
        QString style
                = QStringLiteral("cursor_param"); // cursor_param | next_link | incremental_cursor | incremental_time
        int pageSize = 100;
        QString pageSizeParam = QStringLiteral("limit");
        QString cursorParam = QStringLiteral("starting_after"); // cursor_param: the last record's id;
                                                                // incremental_cursor: the saved cursor
        QString cursorField
                = QStringLiteral("id"); // cursor_param: the field of the last record that is the next cursor
        QString hasMore = QStringLiteral("/has_more"); // JSON pointer to a boolean (cursor_param, next_link)
        QString next;                                  // next_link: JSON pointer to the next page's URL
        QString cursor;                                // incremental_cursor: JSON pointer to the cursor after this page
        QString startParam;                            // incremental_*: the parameter taking the start (unix seconds)
        QString endTime;       // incremental_time: JSON pointer to the next start (unix seconds)
        QString endOfStream;   // incremental_*: JSON pointer to the boolean that ends a pass
        QString timeField;     // incremental_time: the record field compared with the start (dedupe on the boundary)
        int minAgeSeconds = 0; // incremental_*: a start is never more recent than this

        bool isExport() const
        {
            return style == QLatin1String("incremental_cursor") || style == QLatin1String("incremental_time");
        }
        // The defaults of a style, before the manifest's own fields.
        static Pagination defaults(const QString &style);
    };

    // Requests paced together within a sliding window (e.g. Zendesk's incremental exports: 10 a minute).
    struct RateGroup
    {
        int requests = 0;
        int windowSeconds = 60;
        QString requestsSetting; // a setting that, when set to a number, replaces `requests` (an add-on)
    };

    // A record the API reports deleted: `field` equals `equals`, or (`present`) is there and not null.
    struct DeletedIf
    {
        QString field;
        QJsonValue equals;
        bool present = false;
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
        QString records;               // JSON pointer to the records array (default: the manifest's)
        Pagination pagination;         // default: the manifest's
        QList<DeletedIf> deletedIf;    // any of them flags a record is_deleted
        QString rateGroup;             // a key of rateGroups, or empty
        QString permissionHint;        // the hint of a 403 when the upstream names no permission

        bool isIncremental() const { return !incremental.isEmpty() || pagination.isExport(); }
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
    QMap<QString, RateGroup> rateGroups;
    QString quotaRemainingHeader; // a reply header with the requests left (shown as quota)
    QString quotaLimitHeader;     // a reply header with the allowance it counts down from
    QString checkPath;
    QString checkAccountName;
    QString errorMessage;      // JSON pointer (the first of errorMessages)
    QStringList errorMessages; // JSON pointers tried in order: the first that is a string is the message
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
    // Collections discovered upstream at run time (Salesforce custom objects, "invoice__c"): any
    // name matching this regular expression is offered too, as an object collection.
    QString customCollectionPattern;
    // The OAuth 2 provider a source signs in with ("salesforce", "zendesk"), or empty. Its settings
    // use fixed keys: client_id, client_secret, access_token, refresh_token, token_expires_at
    // (ISO UTC), instance_url and login_url (Salesforce), subdomain (Zendesk).
    QString oauthProvider;

    static Result<ConnectorManifest> fromJson(const QJsonObject &json);
    const Collection *collection(const QString &name) const;
    // True for a listed collection and for a name customCollectionPattern accepts.
    bool offersCollection(const QString &name) const;
    // The listed collection, or one built for a custom name (kind object), or nullopt.
    std::optional<Collection> findCollection(const QString &name) const;
    const Setting *setting(const QString &key) const;
    QStringList collectionNames() const;
    QString authSummary() const; // "API key", "OAuth 2"... for the catalog
};

// RFC 6901 JSON pointer lookup ("/data/object"); "" is the whole value.
QJsonValue jsonPointer(const QJsonValue &root, const QString &pointer);

} // namespace tributary
