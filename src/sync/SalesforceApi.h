#pragma once

#include "core/Error.h"
#include "core/Secret.h"
#include "net/HttpClient.h"

#include <QString>
#include <QUrl>

#include <optional>

namespace tributary {

class OAuthTokenProvider;

// The org's REST API for one run, shared by the driver and every collection reader: builds
// requests for the instance (with the session token when no OAuth session signs them), reads the
// daily API usage from every reply (Sforce-Limit-Info) and keeps the user's reserve, and turns
// Salesforce's error replies ([{"message", "errorCode"}]) into errors in the user's words.
class SalesforceApi
{
public:
    static constexpr int kDefaultReservePercent = 10;
    static constexpr int kBatchSize = 2000; // the largest Sforce-Query-Options allows
    static QString version() { return QStringLiteral("v62.0"); }

    struct Usage
    {
        qint64 used = 0;
        qint64 limit = 0;
    };

    // origin: the instance (or the --base-url override). accessToken: sent as Bearer when there
    // is no OAuth session (the HttpClient signs requests itself when there is one).
    SalesforceApi(HttpClient *http, QUrl origin, Secret accessToken, int reservePercent);

    HttpClient *http() const { return m_http; }
    const QUrl &origin() const { return m_origin; }
    int reservePercent() const { return m_reservePercent; }

    // GET /services/data/vNN.0/<path>.
    HttpRequest request(const QString &path) const;
    // A query (queryAll: deleted and archived rows too) at the largest batch size.
    HttpRequest query(const QString &soql, bool all = true) const;
    // A nextRecordsUrl: its path and query on the instance, never on another host.
    HttpRequest next(const QString &nextRecordsUrl) const;

    // "api-usage=USED/LIMIT" from a reply's Sforce-Limit-Info (nullopt when there is none).
    static std::optional<Usage> parseLimitInfo(const QByteArray &header);
    // Reads a reply's usage (every REST reply carries it), and remembers a refusal for the daily
    // limit (REQUEST_LIMIT_EXCEEDED): the calls that would follow are not sent.
    void noteReply(const HttpResponse &response);
    const std::optional<Usage> &usage() const { return m_usage; }
    std::optional<qint64> remaining() const;
    // The calls kept for other tools: reservePercent of the daily allocation, rounded up.
    qint64 reserveCalls() const;
    // Before each request: a clean stop (RateLimit, not retryable) when the last reply showed the
    // daily allocation used down to the reserve, or refused a call for the daily limit. Nothing
    // before the first reply.
    std::optional<Error> reserveReached() const;

    // The error of a reply that is not 2xx; what names the collection ("accounts (Account)").
    Error errorFor(const HttpResponse &response, const QString &what) const;
    // The first errorCode / message of an error body (empty when none).
    static QString errorCode(const QByteArray &body);
    static QString errorMessage(const QByteArray &body);

private:
    HttpClient *m_http;
    QUrl m_origin;
    Secret m_accessToken;
    int m_reservePercent;
    std::optional<Usage> m_usage;
    std::optional<Error> m_refused; // the daily limit was reached: stop before the next call
};

} // namespace tributary
