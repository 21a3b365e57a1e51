#include "HttpClient.h"

#include "net/OAuthTokenProvider.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#if QT_CONFIG(ssl)
#include <QSslError>
#endif

#include <algorithm>
#include <chrono>
#include <utility>

namespace tributary {

Q_LOGGING_CATEGORY(lcHttp, "tributary.net.http")

namespace {

// Whole seconds, rounded up: a wait of 200 ms reads "1 s", never "0 s".
QString roundedUpSeconds(qint64 ms)
{
    return QString::number((std::max<qint64>(0, ms) + 999) / 1000);
}

// A timeout for a message: "0.3 s", "15 s".
QString timeoutSeconds(int ms)
{
    return QString::number(ms / 1000.0, 'g', 3);
}

bool isSecretName(const QString &name)
{
    const QString lower = name.toLower();
    for (const QLatin1String word : {QLatin1String("token"), QLatin1String("key"), QLatin1String("secret"),
                                     QLatin1String("password"), QLatin1String("code"), QLatin1String("signature")}) {
        if (lower.contains(word))
            return true;
    }
    return false;
}

// An HTTP answer whose status the caller maps (Qt reports 4xx and 5xx as errors too, and a
// redirect we refused to follow as a redirect error), as opposed to a failed transport.
bool isHttpOutcome(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::NoError:
    case QNetworkReply::ProtocolInvalidOperationError: // Qt's name for a 400 answer
    case QNetworkReply::TooManyRedirectsError:
    case QNetworkReply::InsecureRedirectError:
        return true;
    default:
        return (error >= QNetworkReply::ContentAccessDenied && error <= QNetworkReply::UnknownContentError)
                || (error >= QNetworkReply::InternalServerError && error <= QNetworkReply::UnknownServerError);
    }
}

// Transport failures that another attempt cannot fix.
bool isPermanentNetworkError(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
    case QNetworkReply::TooManyRedirectsError:
    case QNetworkReply::InsecureRedirectError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
    case QNetworkReply::BackgroundRequestNotAllowedError:
        return true;
    default:
        return false;
    }
}

} // namespace

struct HttpClient::Pending
{
    enum class Phase {
        Pacing,     // waiting for a token of the rate limiter
        Backoff,    // waiting before a retry
        Connecting, // sent, the socket is connecting: the connect timeout runs
        InFlight,   // sent, waiting for or reading the reply: the transfer timeout runs
        Refreshing, // waiting for the token provider to refresh the access token
    };

    HttpRequest request;
    Callback callback;
    int attempt = 0; // attempts sent so far
    Phase phase = Phase::Pacing;
    QTimer *timer = nullptr; // one timer for whichever wait the phase is in
    QPointer<QNetworkReply> reply;
    QElapsedTimer sentAt;
    QString timeoutText; // set when the client itself gave up on the reply
    QStringList sslErrors;
    bool refreshed = false; // the token was refreshed for this request (at most once)
};

QString HttpResponse::requestId() const
{
    static const QByteArray names[] = {
            QByteArrayLiteral("request-id"),   // Stripe
            QByteArrayLiteral("x-request-id"), // Zendesk and many others
            QByteArrayLiteral("x-zendesk-request-id"),
            QByteArrayLiteral("sforce-request-id"), // Salesforce
            QByteArrayLiteral("x-sfdc-request-id"),
    };
    for (const QByteArray &name : names) {
        const QByteArray value = headers.value(name).trimmed();
        if (!value.isEmpty())
            return QString::fromLatin1(value);
    }
    return {};
}

HttpClient::HttpClient(HttpClientOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_network(new QNetworkAccessManager(this))
    , m_bucket(m_options.requestsPerSecond, m_options.burst)
{
    // Redirects within the same scheme, host and port are followed; one elsewhere is not (the
    // caller gets the 3xx), so credentials never travel to a host nobody configured.
    m_network->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
}

HttpClient::~HttpClient()
{
    // Callbacks are not called from here: whoever owns them may be half destroyed by now.
    // Call abortAll() first to hear about every request.
    for (const auto &pending : std::as_const(m_pending))
        release(*pending);
    m_pending.clear();
}

QString HttpClient::redactedUrl(const QUrl &url)
{
    QUrl copy = url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveFragment);
    if (copy.hasQuery()) {
        QStringList items = copy.query(QUrl::FullyEncoded).split(QLatin1Char('&'));
        for (QString &item : items) {
            const qsizetype equals = item.indexOf(QLatin1Char('='));
            const QString name = QUrl::fromPercentEncoding(item.left(equals < 0 ? item.size() : equals).toLatin1());
            if (equals >= 0 && isSecretName(name))
                item = item.left(equals + 1) + QStringLiteral("***");
        }
        copy.setQuery(items.join(QLatin1Char('&')), QUrl::StrictMode);
    }
    return copy.toDisplayString();
}

void HttpClient::send(const HttpRequest &request, Callback callback)
{
    auto pending = std::make_shared<Pending>();
    pending->request = request;
    pending->callback = std::move(callback);
    pending->timer = new QTimer(this);
    pending->timer->setSingleShot(true);
    const std::weak_ptr<Pending> weak = pending;
    connect(pending->timer, &QTimer::timeout, this, [this, weak] {
        if (const auto p = weak.lock())
            onTimer(p);
    });
    m_pending.append(pending);
    start(pending);
}

void HttpClient::abortAll()
{
    const QList<std::shared_ptr<Pending>> pending = std::exchange(m_pending, {});
    for (const auto &p : pending)
        release(*p);
    const Error cancelled = Error::make(Error::Kind::Cancelled, tr("The sync was stopped."));
    // Only local data from here on: a callback may send() again or even end this client.
    for (const auto &p : pending) {
        const Callback callback = std::exchange(p->callback, {});
        if (callback)
            callback(cancelled);
    }
}

// Before every attempt: take a token, and wait for it when the bucket is empty.
void HttpClient::start(const std::shared_ptr<Pending> &pending)
{
    if (m_tokens && !pending->refreshed && m_tokens->needsRefresh(QDateTime::currentDateTimeUtc())) {
        refreshThenStart(pending);
        return;
    }
    const qint64 wait = m_bucket.reserve();
    if (wait <= 0) {
        dispatch(pending);
        return;
    }
    pending->phase = Pending::Phase::Pacing;
    pending->timer->start(std::chrono::milliseconds(wait));
    if (wait >= 1000) // short pauses are the normal rhythm, not news
        Q_EMIT waiting(wait, tr("pacing to %1 requests/s").arg(m_bucket.rate(), 0, 'g', 3));
}

void HttpClient::refreshThenStart(const std::shared_ptr<Pending> &pending)
{
    pending->refreshed = true;
    pending->phase = Pending::Phase::Refreshing;
    const std::weak_ptr<Pending> weak = pending;
    const QPointer<HttpClient> self(this);
    m_tokens->refresh([self, weak](Result<void> refreshed) {
        const auto p = weak.lock();
        if (!self || !p || !self->m_pending.contains(p) || p->phase != Pending::Phase::Refreshing)
            return; // aborted meanwhile
        if (!refreshed) {
            self->finish(p, refreshed.error());
            return;
        }
        self->start(p);
    });
}

void HttpClient::dispatch(const std::shared_ptr<Pending> &pending)
{
    const HttpRequest &request = pending->request;
    QNetworkRequest networkRequest(request.url);
    for (const auto &[name, value] : request.headers)
        networkRequest.setRawHeader(name, value);
    if (m_tokens)
        networkRequest.setRawHeader("Authorization", "Bearer " + m_tokens->accessToken().revealUtf8());
    if (!networkRequest.hasRawHeader("User-Agent"))
        networkRequest.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("Tributary/" TRIBUTARY_VERSION));
    if (request.url.scheme() == QLatin1String("http"))
        networkRequest.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    networkRequest.setTransferTimeout(std::max(0, m_options.readTimeoutMs)); // 0: none

    const QByteArray method = request.method.toUpper();
    const bool hasBody = !request.body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH";
    if (hasBody && !networkRequest.hasRawHeader("Content-Type"))
        networkRequest.setHeader(QNetworkRequest::ContentTypeHeader,
                                 QByteArrayLiteral("application/x-www-form-urlencoded"));

    QNetworkReply *reply = nullptr;
    if (method == "GET" && request.body.isEmpty())
        reply = m_network->get(networkRequest);
    else if (method == "HEAD")
        reply = m_network->head(networkRequest);
    else if (method == "DELETE" && request.body.isEmpty())
        reply = m_network->deleteResource(networkRequest);
    else if (method == "POST")
        reply = m_network->post(networkRequest, request.body);
    else if (method == "PUT")
        reply = m_network->put(networkRequest, request.body);
    else
        reply = m_network->sendCustomRequest(networkRequest, method, request.body);

    ++pending->attempt;
    pending->phase = Pending::Phase::InFlight;
    pending->reply = reply;
    pending->timeoutText.clear();
    pending->sslErrors.clear();
    pending->sentAt.start();

    const std::weak_ptr<Pending> weak = pending;
    // The connect timeout runs from the socket starting to connect until the request is out. A
    // reused keep-alive connection emits neither signal: the transfer timeout covers that case.
    connect(reply, &QNetworkReply::socketStartedConnecting, this, [this, weak] {
        const auto p = weak.lock();
        if (!p || p->phase != Pending::Phase::InFlight || m_options.connectTimeoutMs <= 0)
            return;
        p->phase = Pending::Phase::Connecting;
        p->timer->start(std::chrono::milliseconds(m_options.connectTimeoutMs));
    });
    connect(reply, &QNetworkReply::requestSent, this, [weak] {
        const auto p = weak.lock();
        if (!p || p->phase != Pending::Phase::Connecting)
            return;
        p->timer->stop();
        p->phase = Pending::Phase::InFlight;
    });
#if QT_CONFIG(ssl)
    connect(reply, &QNetworkReply::sslErrors, this, [weak](const QList<QSslError> &errors) {
        if (const auto p = weak.lock()) {
            for (const QSslError &error : errors)
                p->sslErrors.append(error.errorString());
        }
    });
#endif
    connect(reply, &QNetworkReply::finished, this, [this, weak] {
        if (const auto p = weak.lock())
            onFinished(p);
    });

    ++m_callCount;
    qCDebug(lcHttp).noquote() << method << redactedUrl(request.url) << "attempt" << pending->attempt;
    Q_EMIT callMade(m_callCount);
}

void HttpClient::onTimer(const std::shared_ptr<Pending> &pending)
{
    if (!m_pending.contains(pending))
        return;
    switch (pending->phase) {
    case Pending::Phase::Pacing:
        dispatch(pending);
        break;
    case Pending::Phase::Backoff:
        start(pending);
        break;
    case Pending::Phase::Connecting:
        pending->timeoutText = tr("could not connect within %1 s").arg(timeoutSeconds(m_options.connectTimeoutMs));
        if (pending->reply)
            pending->reply->abort(); // finishes it, synchronously: onFinished() takes over
        break;
    case Pending::Phase::InFlight:
    case Pending::Phase::Refreshing:
        break;
    }
}

void HttpClient::onFinished(const std::shared_ptr<Pending> &pending)
{
    if (!m_pending.contains(pending) || !pending->reply)
        return;
    QNetworkReply *reply = pending->reply;
    pending->reply = nullptr;
    pending->timer->stop();
    reply->disconnect(this);
    reply->deleteLater();

    const HttpRequest &request = pending->request;
    const qint64 elapsedMs = pending->sentAt.elapsed();
    const int maxAttempts = std::max(1, m_options.retry.maxAttempts);
    const QNetworkReply::NetworkError error = reply->error();
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int status = statusAttribute.isValid() ? statusAttribute.toInt() : 0;

    if (status > 0 && isHttpOutcome(error)) {
        HttpResponse response;
        response.status = status;
        response.body = reply->readAll();
        response.attempts = pending->attempt;
        for (const auto &[name, value] : reply->rawHeaderPairs()) {
            const QByteArray key = name.toLower();
            const auto it = response.headers.find(key);
            if (it == response.headers.end())
                response.headers.insert(key, value);
            else
                *it += ", " + value;
        }
        qCDebug(lcHttp).noquote() << request.method << redactedUrl(request.url) << status << elapsedMs << "ms";
        const QPointer<HttpClient> self(this);
        Q_EMIT replyReceived(status);
        if (!self || !m_pending.contains(pending))
            return; // a slot stopped everything
        if (status == 401 && m_tokens && !pending->refreshed) {
            qCDebug(lcHttp).noquote() << "401: refreshing the access token once";
            refreshThenStart(pending);
            return;
        }

        // Stripe-Should-Retry overrides the status: "false" never, "true" also for a 409 and the like.
        const QByteArray shouldRetry = response.header("stripe-should-retry").trimmed().toLower();
        const bool retry = shouldRetry == "true" ? status >= 400
                                                 : shouldRetry != "false" && m_options.retry.shouldRetryStatus(status);
        if (!retry || pending->attempt >= maxAttempts) {
            finish(pending, std::move(response));
            return;
        }
        const std::optional<qint64> retryAfter
                = RetryPolicy::parseRetryAfterMs(response.header("retry-after"), QDateTime::currentDateTimeUtc());
        const qint64 delay = retryAfter ? std::min<qint64>(*retryAfter, std::max(0, m_options.retry.maxRetryAfterMs))
                                        : m_options.retry.backoffMs(pending->attempt);
        const int next = pending->attempt + 1;
        QString reason;
        if (status == 429 && retryAfter)
            reason = tr("Retry-After %1 s, attempt %2 of %3").arg(roundedUpSeconds(delay)).arg(next).arg(maxAttempts);
        else if (status == 429)
            reason = tr("rate limit: retrying in %1 s").arg(roundedUpSeconds(delay));
        else if (status >= 500)
            reason = tr("server error %1: retrying in %2 s, attempt %3 of %4")
                             .arg(status)
                             .arg(roundedUpSeconds(delay))
                             .arg(next)
                             .arg(maxAttempts);
        else
            reason = tr("HTTP %1: retrying in %2 s, attempt %3 of %4")
                             .arg(status)
                             .arg(roundedUpSeconds(delay))
                             .arg(next)
                             .arg(maxAttempts);
        retryLater(pending, delay, reason);
        return;
    }

    // No usable HTTP answer: the transport failed.
    QString detail = pending->timeoutText;
    if (detail.isEmpty() && (error == QNetworkReply::OperationCanceledError || error == QNetworkReply::TimeoutError)) {
        // Nobody else aborts a reply still in the list: the transfer timeout did.
        detail = tr("no reply for %1 s").arg(timeoutSeconds(m_options.readTimeoutMs));
    }
    if (detail.isEmpty()) {
        // Some of Qt's messages quote the URL: never with its secrets.
        detail = reply->errorString()
                         .replace(request.url.toString(), redactedUrl(request.url))
                         .replace(QString::fromLatin1(request.url.toEncoded()), redactedUrl(request.url));
    }
    const QString host = request.url.host().isEmpty() ? request.url.toDisplayString() : request.url.host();
    qCDebug(lcHttp).noquote() << request.method << redactedUrl(request.url) << "failed:" << detail << elapsedMs << "ms";

    if (error == QNetworkReply::SslHandshakeFailedError) {
        const QString why = pending->sslErrors.isEmpty() ? detail : pending->sslErrors.join(QStringLiteral("; "));
        finish(pending,
               Error::make(Error::Kind::Http, tr("Secure connection to %1 failed: %2").arg(host, why),
                           tr("Check the source's address and the computer's date and time. If a proxy or "
                              "security software inspects secure connections, its certificate must be trusted "
                              "by the system."),
                           false));
        return;
    }
    const bool permanent = isPermanentNetworkError(error);
    if (permanent || pending->attempt >= maxAttempts) {
        finish(pending,
               Error::make(Error::Kind::Http, tr("Could not reach %1: %2").arg(host, detail),
                           tr("Check your network connection and the source's address, then sync again."), !permanent));
        return;
    }
    const qint64 delay = m_options.retry.backoffMs(pending->attempt);
    retryLater(pending, delay,
               tr("network error (%1): retrying in %2 s, attempt %3 of %4")
                       .arg(detail, roundedUpSeconds(delay))
                       .arg(pending->attempt + 1)
                       .arg(maxAttempts));
}

void HttpClient::retryLater(const std::shared_ptr<Pending> &pending, qint64 delayMs, const QString &reason)
{
    qCDebug(lcHttp).noquote() << reason;
    pending->phase = Pending::Phase::Backoff;
    pending->timer->start(std::chrono::milliseconds(std::max<qint64>(0, delayMs)));
    Q_EMIT waiting(delayMs, reason);
}

void HttpClient::finish(const std::shared_ptr<Pending> &pending, Result<HttpResponse> result)
{
    m_pending.removeOne(pending);
    release(*pending);
    const Callback callback = std::exchange(pending->callback, {});
    if (callback)
        callback(std::move(result)); // last: the callback may send() again or end this client
}

// Stops the timer and a reply in flight without telling anyone.
void HttpClient::release(Pending &pending)
{
    if (pending.timer) {
        pending.timer->stop();
        pending.timer->disconnect(this);
        pending.timer->deleteLater();
        pending.timer = nullptr;
    }
    if (QNetworkReply *reply = pending.reply) {
        pending.reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

} // namespace tributary
