#pragma once

#include "sync/CollectionReader.h"
#include "sync/SalesforceCursor.h"
#include "sync/SalesforceDescribe.h"

#include <QDateTime>
#include <QObject>

#include <memory>

namespace tributary {

class SalesforceApi;
struct HttpRequest;
struct HttpResponse;

// Reads one Salesforce object with SOQL built from its describe: every field the user can see,
// through queryAll (deleted and archived rows too, flagged is_deleted), in SystemModstamp order
// (else LastModifiedDate, else CreatedDate), paged by nextRecordsUrl at 2,000 records a batch.
// A pass reads `stamp >= since`; the records already read on that instant are dropped
// (SalesforceCursor). The state saved with every page:
//   {"mode": "salesforce", "describe": {...}, "since": ISO, "boundary": [ids]}
// so a run stopped at any page (the API reserve, a crash) resumes from the last committed page,
// and the describe is read again only when a day old. `{"mode": "from", "from": unix}` (a
// re-sync from a date) starts a pass at that date.
class SalesforceReader final : public CollectionReader
{
public:
    struct Options
    {
        QString collection; // "accounts", "invoice__c"
        QString object;     // "Account", "invoice__c"
        QDateTime now;      // the run's start, UTC
        bool fullRefresh = false;
        QDateTime startDate; // first syncs read from here (invalid: everything)
    };

    SalesforceReader(std::shared_ptr<SalesforceApi> api, Options options, const QJsonObject &state);
    ~SalesforceReader() override;

    void fetchNext(Callback callback) override;

    // Turns a Salesforce record into the shape the Normalizer stores: no "attributes" envelope
    // (at any level), datetimes as ISO 8601 UTC ("...T12:34:56.000Z").
    static QJsonObject cleanRecord(QJsonObject record, const QStringList &datetimes);

private:
    void describe(const Callback &callback);
    void query(const Callback &callback);
    void send(const HttpRequest &request, std::function<void(const HttpResponse &)> handle, const Callback &callback);
    void later(const Callback &callback, Result<Page> result);
    Result<Page> handlePage(const HttpResponse &response);
    QJsonObject state() const;
    QString what() const;

    std::shared_ptr<SalesforceApi> m_api;
    Options m_options;
    SalesforceDescribe m_describe;
    SalesforceCursor m_cursor;
    QString m_next;              // nextRecordsUrl within a pass
    bool m_describedNow = false; // the describe was read in this run
    bool m_retried = false;      // a failed query was retried once (fresh describe, expired locator)
    QString m_notice;
    std::unique_ptr<QObject> m_timerContext;
};

} // namespace tributary
