#pragma once

#include "core/JsonRecord.h"
#include "core/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace tributary {

// One page of a collection, ready to normalize and load with its cursor.
struct Page
{
    QList<JsonRecord> records;   // QJsonObjects, or records of a page read by JsonPage
    QList<bool> deleted;         // same length as records
    QJsonObject state;           // the cursor after this page: saved in the same transaction as its records
    bool done = false;           // no page follows
    QString notice;              // something the user should know (a full re-read, a restart)
    std::optional<qint64> total; // the collection's record count, when the API says
    bool currentState = false;   // records are the current state (a list read), not change events
    // The upstream's request quota after this page, when it says (Zendesk X-Rate-Limit-Remaining
    // and X-Rate-Limit): what the run may show as "quota left".
    std::optional<qint64> quotaRemaining;
    std::optional<qint64> quotaLimit;
};

// Reads one collection page by page. fetchNext() is called again only after the previous
// callback, and never after a page with done set.
class CollectionReader
{
public:
    using Callback = std::function<void(Result<Page>)>;

    virtual ~CollectionReader() = default;
    virtual void fetchNext(Callback callback) = 0;
    // The column that orders versions of one object (empty: plain upsert).
    virtual QString versionColumn() const { return {}; }
};

} // namespace tributary
