#pragma once

#include "core/Result.h"
#include "net/RetryPolicy.h"
#include "net/TokenBucket.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace tributary {
class OAuthTokenProvider;
}

namespace tributary {

struct HttpRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
};

struct HttpResponse
{
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // names in lower case
    int attempts = 1;                      // how many times the request was sent

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QString requestId() const; // Request-Id / X-Request-Id / X-Zendesk-Request-Id when present
};

struct HttpClientOptions
{
    int connectTimeoutMs = 15000; // from starting to connect until the request is sent
    int readTimeoutMs = 60000;    // longest silence while waiting for or reading the reply
    RetryPolicy retry;
    double requestsPerSecond = 0; // token-bucket rate; 0 means unlimited
    int burst = 1;                // token-bucket capacity
};

// Asynchronous HTTP for one sync run, used from the thread it lives in. Every request passes the
// token-bucket rate limiter; network errors, timeouts, 5xx and 429 are retried with exponential
// backoff and jitter, honouring Retry-After (seconds or HTTP date) and Stripe-Should-Retry.
// The callback gets the final response (any status; the caller maps statuses to errors) or an
// Error (kind Http for network failures after the last attempt, Cancelled after abortAll()).
class HttpClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpClient)

public:
    using Callback = std::function<void(Result<HttpResponse>)>;

    explicit HttpClient(HttpClientOptions options = {}, QObject *parent = nullptr);
    ~HttpClient() override;

    void send(const HttpRequest &request, Callback callback);
    // Signs every request with the provider's bearer token (replacing any Authorization header):
    // refreshed first when it is missing or about to expire, and once more when a reply is 401
    // (the request is then sent again). A refresh that fails ends the request with its error (an
    // Auth error when the sign-in is gone). Null: requests go out as given. Not owned.
    void setTokenProvider(OAuthTokenProvider *provider) { m_tokens = provider; }
    // Aborts every request in flight or waiting; their callbacks get a Cancelled error.
    void abortAll();

    int callCount() const { return m_callCount; } // every request actually sent, retries included
    const HttpClientOptions &options() const { return m_options; }

    // The URL as log lines may show it: no user info or fragment, and the values of query
    // parameters named like a secret (token, key, secret, password, code, signature) as ***.
    static QString redactedUrl(const QUrl &url);

Q_SIGNALS:
    // A wait is starting: why ("rate limit: retrying in 12 s", "Retry-After 30 s, attempt 2 of 5",
    // "pacing to 25 requests/s") and for how long.
    void waiting(qint64 milliseconds, const QString &reason);
    void callMade(int total);
    // Any HTTP reply arrived (the watchdog counts it as progress).
    void replyReceived(int status);

private:
    struct Pending;
    void start(const std::shared_ptr<Pending> &pending);
    void dispatch(const std::shared_ptr<Pending> &pending);
    void finish(const std::shared_ptr<Pending> &pending, Result<HttpResponse> result);
    void onTimer(const std::shared_ptr<Pending> &pending);
    void onFinished(const std::shared_ptr<Pending> &pending);
    void retryLater(const std::shared_ptr<Pending> &pending, qint64 delayMs, const QString &reason);
    void release(Pending &pending);
    void refreshThenStart(const std::shared_ptr<Pending> &pending);

    HttpClientOptions m_options;
    QNetworkAccessManager *m_network = nullptr;
    TokenBucket m_bucket;
    QList<std::shared_ptr<Pending>> m_pending;
    int m_callCount = 0;
    OAuthTokenProvider *m_tokens = nullptr;
};

} // namespace tributary
