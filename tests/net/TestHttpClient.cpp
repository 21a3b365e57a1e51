#include "net/HttpClient.h"

#include "fakes/FakeHttpServer.h"

#include <QElapsedTimer>
#include <QLocale>
#include <QLoggingCategory>
#include <QMutex>
#include <QPointer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#ifdef Q_OS_LINUX
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#include <memory>
#include <optional>

using namespace tributary;
using tributary::test::FakeHttpServer;
using tributary::test::FakeRequest;
using tributary::test::FakeResponder;

namespace {

// What a callback received, and how often it was called (it must be exactly once).
struct Outcome
{
    std::optional<Result<HttpResponse>> result;
    int calls = 0;

    bool done() const { return calls > 0; }
    bool ok() const { return result && result->ok(); }
    const HttpResponse &response() const { return result->value(); }
    const Error &error() const { return result->error(); }
};

std::shared_ptr<Outcome> sendTo(HttpClient &client, const QUrl &url, const QByteArray &method = "GET",
                                const QByteArray &body = {})
{
    auto outcome = std::make_shared<Outcome>();
    HttpRequest request;
    request.method = method;
    request.url = url;
    request.body = body;
    client.send(request, [outcome](Result<HttpResponse> result) {
        ++outcome->calls;
        outcome->result.emplace(std::move(result));
    });
    return outcome;
}

HttpClientOptions fastOptions()
{
    HttpClientOptions options;
    options.connectTimeoutMs = 5000;
    options.readTimeoutMs = 5000;
    options.retry.maxAttempts = 5;
    options.retry.baseDelayMs = 20;
    options.retry.maxDelayMs = 100;
    return options;
}

QByteArray httpDate(const QDateTime &when)
{
    return QLocale::c().toString(when.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
}

QStringList g_log;
QMutex g_logMutex;

void captureMessages(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    const QMutexLocker locker(&g_logMutex);
    g_log.append(QString::fromLatin1(context.category) + QLatin1String(": ") + message);
}

} // namespace

class TestHttpClient final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void success();
    void requestHeadersAndBody();
    void serverErrorsRetried();
    void retryAfterSeconds();
    void retryAfterHttpDate();
    void rateLimitWithoutRetryAfter();
    void retryAfterCapped();
    void stripeShouldRetryFalse();
    void stripeShouldRetryTrue();
    void notFoundNotRetried();
    void clientErrorsAreAnswers_data();
    void clientErrorsAreAnswers();
    void exhaustedRetriesReturnLastStatus();
    void hangingEndpointTimesOut();
    void droppedConnectionRetried();
    void connectionKeepsDropping();
    void connectionRefused();
    void connectTimeout();
    void tlsFailureNotRetried();
    void sameOriginRedirectFollowed();
    void otherOriginRedirectNotFollowed();
    void abortAllCancels();
    void callbackMaySendAgain();
    void destroyWithRequestsInFlight();
    void rateLimiting();
    void pacingAnnouncesLongWaits();
    void callCountCountsEveryAttempt();
    void logsHideSecrets();
    void redactedUrl_data();
    void redactedUrl();
    void requestId_data();
    void requestId();

private:
    QUrl url(const QString &path) const;

    std::unique_ptr<FakeHttpServer> m_server;
};

void TestHttpClient::init()
{
    m_server = std::make_unique<FakeHttpServer>();
    QVERIFY(m_server->listen());
}

void TestHttpClient::cleanup()
{
    m_server.reset();
}

QUrl TestHttpClient::url(const QString &path) const
{
    QUrl u = m_server->baseUrl();
    u.setPath(path);
    return u;
}

void TestHttpClient::success()
{
    m_server->setHandler([](const FakeRequest &, FakeResponder responder) {
        responder.respond(200, R"({"ok":true})", {{"Request-Id", "req_123"}, {"X-Custom-Thing", "yes"}});
    });
    HttpClient client(fastOptions());
    QSignalSpy calls(&client, &HttpClient::callMade);
    QSignalSpy replies(&client, &HttpClient::replyReceived);
    QSignalSpy waits(&client, &HttpClient::waiting);

    const auto outcome = sendTo(client, url(QStringLiteral("/v1/customers")));
    QTRY_VERIFY(outcome->done());
    QVERIFY(outcome->ok());
    QCOMPARE(outcome->calls, 1);
    QCOMPARE(outcome->response().status, 200);
    QCOMPARE(outcome->response().body, QByteArray(R"({"ok":true})"));
    QCOMPARE(outcome->response().attempts, 1);
    QCOMPARE(outcome->response().headers.value("x-custom-thing"), QByteArray("yes"));
    QCOMPARE(outcome->response().header("X-Custom-Thing"), QByteArray("yes"));
    QCOMPARE(outcome->response().header("content-type"), QByteArray("application/json"));
    QCOMPARE(outcome->response().requestId(), QStringLiteral("req_123"));
    QCOMPARE(client.callCount(), 1);
    QCOMPARE(calls.size(), 1);
    QCOMPARE(calls.at(0).at(0).toInt(), 1);
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies.at(0).at(0).toInt(), 200);
    QCOMPARE(waits.size(), 0);

    QCOMPARE(m_server->requestCount(), 1);
    const FakeRequest &seen = m_server->requests().at(0);
    QCOMPARE(seen.method, QByteArray("GET"));
    QCOMPARE(seen.path(), QStringLiteral("/v1/customers"));
    QCOMPARE(seen.header("user-agent"), QByteArray("Tributary/" TRIBUTARY_VERSION));
}

void TestHttpClient::requestHeadersAndBody()
{
    m_server->setHandler([](const FakeRequest &request, FakeResponder responder) {
        responder.respond(201, request.method + ' ' + request.body);
    });
    HttpClient client(fastOptions());

    HttpRequest post;
    post.method = "POST";
    post.url = url(QStringLiteral("/v1/things"));
    post.url.setQuery(QStringLiteral("expand=data"));
    post.headers = {{"Authorization", "Bearer sk_test_abc"}, {"Idempotency-Key", "k1"}};
    post.body = "name=a&value=b";
    std::optional<Result<HttpResponse>> posted;
    client.send(post, [&posted](Result<HttpResponse> r) { posted.emplace(std::move(r)); });
    QTRY_VERIFY(posted.has_value());
    QVERIFY(posted->ok());
    QCOMPARE(posted->value().status, 201);
    QCOMPARE(posted->value().body, QByteArray("POST name=a&value=b"));

    const auto patched = sendTo(client, url(QStringLiteral("/v1/things/1")), "PATCH", R"({"a":1})");
    QTRY_VERIFY(patched->done());
    QVERIFY(patched->ok());
    QCOMPARE(patched->response().body, QByteArray(R"(PATCH {"a":1})"));

    QCOMPARE(m_server->requestCount(), 2);
    const FakeRequest &first = m_server->requests().at(0);
    QCOMPARE(first.header("authorization"), QByteArray("Bearer sk_test_abc"));
    QCOMPARE(first.header("idempotency-key"), QByteArray("k1"));
    QCOMPARE(first.header("content-type"), QByteArray("application/x-www-form-urlencoded"));
    QCOMPARE(first.query().queryItemValue(QStringLiteral("expand")), QStringLiteral("data"));
}

void TestHttpClient::serverErrorsRetried()
{
    int count = 0;
    m_server->setHandler([&count](const FakeRequest &, FakeResponder responder) {
        if (++count <= 2)
            responder.respond(503, R"({"error":"busy"})");
        else
            responder.respond(200, "[]");
    });
    HttpClient client(fastOptions());
    QSignalSpy waits(&client, &HttpClient::waiting);
    QSignalSpy replies(&client, &HttpClient::replyReceived);
    QSignalSpy calls(&client, &HttpClient::callMade);

    const auto outcome = sendTo(client, url(QStringLiteral("/items")));
    QTRY_VERIFY(outcome->done());
    QVERIFY(outcome->ok());
    QCOMPARE(outcome->calls, 1);
    QCOMPARE(outcome->response().status, 200);
    QCOMPARE(outcome->response().attempts, 3);
    QCOMPARE(client.callCount(), 3);
    QCOMPARE(m_server->requestCount(), 3);
    QCOMPARE(calls.size(), 3);
    QCOMPARE(calls.at(2).at(0).toInt(), 3);
    QCOMPARE(replies.size(), 3);
    QCOMPARE(replies.at(0).at(0).toInt(), 503);
    QCOMPARE(replies.at(2).at(0).toInt(), 200);
    QCOMPARE(waits.size(), 2);
    QCOMPARE(waits.at(0).at(1).toString(), QStringLiteral("server error 503: retrying in 1 s, attempt 2 of 5"));
    QCOMPARE(waits.at(1).at(1).toString(), QStringLiteral("server error 503: retrying in 1 s, attempt 3 of 5"));
    const qint64 first = waits.at(0).at(0).toLongLong();
    const qint64 second = waits.at(1).at(0).toLongLong();
    QVERIFY(first >= 10 && first <= 20);   // [d/2, d], d = 20
    QVERIFY(second >= 20 && second <= 40); // d = 40
}

void TestHttpClient::retryAfterSeconds()
{
    int count = 0;
    m_server->setHandler([&count](const FakeRequest &, FakeResponder responder) {
        if (++count == 1)
            responder.respond(429, R"({"error":"APIRateLimitExceeded"})", {{"Retry-After", "1"}});
        else
            responder.respond(200, "{}");
    });
    HttpClient client(fastOptions());
    QSignalSpy waits(&client, &HttpClient::waiting);
    QElapsedTimer timer;
    timer.start();

    const auto outcome = sendTo(client, url(QStringLiteral("/api/v2/incremental/tickets.json")));
    QTRY_VERIFY_WITH_TIMEOUT(outcome->done(), 10000);
    QVERIFY(timer.elapsed() >= 900);
    QVERIFY(outcome->ok());
    QCOMPARE(outcome->response().status, 200);
    QCOMPARE(outcome->response().attempts, 2);
    QCOMPARE(waits.size(), 1);
    QCOMPARE(waits.at(0).at(0).toLongLong(), 1000);
    QCOMPARE(waits.at(0).at(1).toString(), QStringLiteral("Retry-After 1 s, attempt 2 of 5"));
}

void TestHttpClient::retryAfterHttpDate()
{
    const QByteArray when = httpDate(QDateTime::currentDateTimeUtc().addSecs(2));
    int count = 0;
    m_server->setHandler([&count, when](const FakeRequest &, FakeResponder responder) {
        if (++count == 1)
            responder.respond(503, "{}", {{"Retry-After", when}});
        else
            responder.respond(200, "{}");
    });
    HttpClient client(fastOptions());
    QSignalSpy waits(&client, &HttpClient::waiting);
    QElapsedTimer timer;
    timer.start();

    const auto outcome = sendTo(client, url(QStringLiteral("/later")));
    QTRY_VERIFY_WITH_TIMEOUT(outcome->done(), 10000);
    QVERIFY(outcome->ok());
    QCOMPARE(outcome->response().attempts, 2);
    QCOMPARE(waits.size(), 1);
    const qint64 waited = waits.at(0).at(0).toLongLong();
    // The date has whole seconds: two seconds from now, less the part of this second gone by.
    QVERIFY2(waited >= 900 && waited <= 2000, qPrintable(QString::number(waited)));
    QVERIFY(timer.elapsed() >= waited - 50);
    QVERIFY(waits.at(0).at(1).toString().startsWith(QStringLiteral("server error 503: retrying in ")));
}

void TestHttpClient::rateLimitWithoutRetryAfter()
{
    int count = 0;
    m_server->setHandler([&count](const FakeRequest &, FakeResponder responder) {
        if (++count == 1)
            responder.respond(429, R"({"error":{"type":"rate_limit_error"}})",
                              {{"Stripe-Rate-Limited-Reason", "global-rate"}});
        else
            responder.respond(200, "{}");
    });
    HttpClient client(fastOptions());
    QSignalSpy waits(&client, &HttpClient::waiting);

    const auto outcome = sendTo(client, url(QStringLiteral("/v1/charges")));
    QTRY_VERIFY(outcome->done());
    QVERIFY(outcome->ok());
    QCOMPARE(outcome->response().attempts, 2);
    QCOMPARE(waits.size(), 1);
    QCOMPARE(waits.at(0).at(1).toString(), QStringLiteral("rate limit: retrying in 1 s"));
}

void TestHttpClient::retryAfterCapped()
{
    int count = 0;
    m_server->setHandler([&count](const FakeRequest &, FakeResponder responder) {
        if (++count == 1)
            responder.respond(429, "{}", {{"Retry-After", "3600"}});
        else
            responder.respond(200, "{}");
    });
    HttpClientOptions options = fastOptions();
    options.retry.maxRetryAfterMs = 50;
    HttpClient client(options);
    QSignalSpy waits(&client, &HttpClient::waiting);

    const auto outcome = sendTo(client, url(QStringLiteral("/capped")));
    QTRY_VERIFY(outcome->done());
    QVERIFY(outcome->ok());
    QCOMPARE(waits.size(), 1);
    QCOMPARE(waits.at(0).at(0).toLongLong(), 50);
    QCOMPARE(waits.at(0).at(1).toString(), QStringLiteral("Retry-After 1 s, attempt 2 of 5"));
}

void TestHttpClient::stripeShouldRetryFalse()
{
    m_server->setHandler([](const FakeRequest &, FakeResponder responder) {
        responder.respond(500, R"({"error":{"type":"api_error"}})", {{"Stripe-Should-Retry", "false"}});
    });
    HttpClient client(fastOptions());
    QSignalSpy waits(&client, &HttpClient::waiting);

    const auto outcome = sendTo(client, url(QStringLiteral("/v1/charges")));
    QTRY_VERIFY(outcome->done());
    QVERIFY(outcome->ok());
    QCOMPARE(outcome->response().status, 500);
    QCOMPARE(outcome->response().attempts, 1);
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(client.callCount(), 1);
    QCOMPARE(waits.size(), 0);
}

void TestHttpClient::stripeShouldRetryTrue()
{
    int count = 0;
    m_server->setHandler([&count](const FakeRequest &, FakeResponder responder) {
        if (++count == 1)
            responder.respond(409, R"({"error":{"type":"idempotency_error"}})", {{"Stripe-Should-Retry", "true"}});
        else
            responder.respond(200, "{}");
    });
    HttpClient client(fastOptions());
    QSignalSpy waits(&client, &HttpClient::waiting);

    const auto outcome = sendTo(client, url(QStringLiteral("/v1/charges")));
    QTRY_VERIFY(outcome->done());
    QVERIFY(outcome->ok());
    QCOMPARE(outcome->response().status, 200);
    QCOMPARE(outcome->response().attempts, 2);
    QCOMPARE(waits.size(), 1);
    QCOMPARE(waits.at(0).at(1).toString(), QStringLiteral("HTTP 409: retrying in 1 s, attempt 2 of 5"));
}

void TestHttpClient::notFoundNotRetried()
{
    m_server->setHandler([](const FakeRequest &, FakeResponder responder) {
        responder.respond(404, R"({"error":"RecordNotFound"})", {{"X-Zendesk-Request-Id", "zd-1"}});
    });
    HttpClient client(fastOptions());
    QSignalSpy replies(&client, &HttpClient::replyReceived);

    const auto outcome = sendTo(client, url(QStringLiteral("/missing")));
    QTRY_VERIFY(outcome->done());
    QVERIFY(outcome->ok());
    QCOMPARE(outcome->response().status, 404);
    QCOMPARE(outcome->response().body, QByteArray(R"({"error":"RecordNotFound"})"));
    QCOMPARE(outcome->response().attempts, 1);
    QCOMPARE(outcome->response().requestId(), QStringLiteral("zd-1"));
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies.at(0).at(0).toInt(), 404);
}

void TestHttpClient::clientErrorsAreAnswers_data()
{
    QTest::addColumn<int>("status");
    for (int status : {400, 401, 402, 403, 404, 405, 409, 410, 422})
        QTest::addRow("%d", status) << status;
}

void TestHttpClient::clientErrorsAreAnswers()
{
    // Every 4xx is the upstream's answer (Qt reports some, such as 400, as protocol errors):
    // delivered once, with its body, for the connector to map; never a network failure.
    QFETCH(int, status);
    m_server->setHandler([status](const FakeRequest &, FakeResponder responder) {
        responder.respond(status, R"({"error":{"message":"nope","param":"starting_after"}})");
    });
    HttpClient client(fastOptions());
    const auto outcome = sendTo(client, url(QStringLiteral("/v1/customers")));
    QTRY_VERIFY(outcome->done());
    QVERIFY(outcome->ok());
    QCOMPARE(outcome->response().status, status);
    QVERIFY(outcome->response().body.contains("starting_after"));
    QCOMPARE(outcome->response().attempts, 1);
    QCOMPARE(m_server->requestCount(), 1);
}

void TestHttpClient::exhaustedRetriesReturnLastStatus()
{
    int count = 0;
    m_server->setHandler([&count](const FakeRequest &, FakeResponder responder) {
        ++count;
        responder.respond(502, "bad gateway " + QByteArray::number(count));
    });
    HttpClientOptions options = fastOptions();
    options.retry.maxAttempts = 3;
    HttpClient client(options);
    QSignalSpy waits(&client, &HttpClient::waiting);

    const auto outcome = sendTo(client, url(QStringLiteral("/flaky")));
    QTRY_VERIFY(outcome->done());
    QVERIFY(outcome->ok());
    QCOMPARE(outcome->response().status, 502);
    QCOMPARE(outcome->response().attempts, 3);
    QCOMPARE(outcome->response().body, QByteArray("bad gateway 3"));
    QCOMPARE(client.callCount(), 3);
    QCOMPARE(m_server->requestCount(), 3);
    QCOMPARE(waits.size(), 2);
    QCOMPARE(waits.at(1).at(1).toString(), QStringLiteral("server error 502: retrying in 1 s, attempt 3 of 3"));
}

void TestHttpClient::hangingEndpointTimesOut()
{
    m_server->setHandler([](const FakeRequest &, FakeResponder) {}); // never answers
    HttpClientOptions options = fastOptions();
    options.readTimeoutMs = 300;
    options.retry.maxAttempts = 2;
    HttpClient client(options);
    QSignalSpy waits(&client, &HttpClient::waiting);
    QSignalSpy replies(&client, &HttpClient::replyReceived);
    QElapsedTimer timer;
    timer.start();

    const auto outcome = sendTo(client, url(QStringLiteral("/hang")));
    QTRY_VERIFY_WITH_TIMEOUT(outcome->done(), 10000);
    QVERIFY(timer.elapsed() >= 550);
    QVERIFY(!outcome->ok());
    QCOMPARE(outcome->calls, 1);
    QCOMPARE(outcome->error().kind, Error::Kind::Http);
    QVERIFY(outcome->error().retryable);
    QCOMPARE(outcome->error().message, QStringLiteral("Could not reach 127.0.0.1: no reply for 0.3 s"));
    QCOMPARE(outcome->error().hint,
             QStringLiteral("Check your network connection and the source's address, then sync again."));
    QCOMPARE(client.callCount(), 2);
    QCOMPARE(m_server->requestCount(), 2);
    QCOMPARE(replies.size(), 0);
    QCOMPARE(waits.size(), 1);
    QCOMPARE(waits.at(0).at(1).toString(),
             QStringLiteral("network error (no reply for 0.3 s): retrying in 1 s, attempt 2 of 2"));
}

void TestHttpClient::droppedConnectionRetried()
{
    // Qt resends once by itself when a connection closes before any answer; the second drop
    // reaches the client, which retries.
    int count = 0;
    m_server->setHandler([&count](const FakeRequest &, FakeResponder responder) {
        if (++count <= 2)
            responder.drop();
        else
            responder.respond(200, "{}");
    });
    HttpClient client(fastOptions());
    QSignalSpy waits(&client, &HttpClient::waiting);

    const auto outcome = sendTo(client, url(QStringLiteral("/drop")));
    QTRY_VERIFY(outcome->done());
    QVERIFY(outcome->ok());
    QCOMPARE(outcome->response().status, 200);
    QCOMPARE(m_server->requestCount(), 3);
    QCOMPARE(outcome->response().attempts, 2);
    QCOMPARE(client.callCount(), 2);
    QCOMPARE(waits.size(), 1);
    QVERIFY(waits.at(0).at(1).toString().startsWith(QStringLiteral("network error (")));
}

void TestHttpClient::connectionKeepsDropping()
{
    m_server->setHandler([](const FakeRequest &, FakeResponder responder) { responder.drop(); });
    HttpClientOptions options = fastOptions();
    options.retry.maxAttempts = 2;
    HttpClient client(options);
    QSignalSpy waits(&client, &HttpClient::waiting);

    const auto outcome = sendTo(client, url(QStringLiteral("/drop")));
    QTRY_VERIFY(outcome->done());
    QVERIFY(!outcome->ok());
    QCOMPARE(outcome->error().kind, Error::Kind::Http);
    QVERIFY(outcome->error().retryable);
    QVERIFY2(outcome->error().message.startsWith(QStringLiteral("Could not reach 127.0.0.1: ")),
             qPrintable(outcome->error().message));
    QCOMPARE(client.callCount(), 2);
    QVERIFY(m_server->requestCount() >= 2);
    QCOMPARE(waits.size(), 1);
    QVERIFY(waits.at(0).at(1).toString().startsWith(QStringLiteral("network error (")));
}

void TestHttpClient::connectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    } // closed: nothing listens there now
    HttpClientOptions options = fastOptions();
    options.retry.maxAttempts = 2;
    HttpClient client(options);
    QSignalSpy waits(&client, &HttpClient::waiting);

    const auto outcome = sendTo(client, QUrl(QStringLiteral("http://127.0.0.1:%1/x").arg(port)));
    QTRY_VERIFY(outcome->done());
    QVERIFY(!outcome->ok());
    QCOMPARE(outcome->error().kind, Error::Kind::Http);
    QVERIFY(outcome->error().retryable);
    QVERIFY2(outcome->error().message.startsWith(QStringLiteral("Could not reach 127.0.0.1: ")),
             qPrintable(outcome->error().message));
    QCOMPARE(client.callCount(), 2);
    QCOMPARE(waits.size(), 1);
    QVERIFY(waits.at(0).at(1).toString().startsWith(QStringLiteral("network error (")));
}

void TestHttpClient::connectTimeout()
{
#ifdef Q_OS_LINUX
    // A listening socket that never accepts, its queue full: Linux drops further SYNs, so a new
    // connection hangs in connect().
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    const auto closeFd = qScopeGuard([fd] { ::close(fd); });
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
    QCOMPARE(::listen(fd, 0), 0);
    socklen_t length = sizeof address;
    QCOMPARE(::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length), 0);
    const quint16 port = ntohs(address.sin_port);
    QList<std::shared_ptr<QTcpSocket>> fillers;
    for (int i = 0; i < 4; ++i) {
        fillers.append(std::make_shared<QTcpSocket>());
        fillers.last()->connectToHost(QHostAddress::LocalHost, port);
    }
    QTRY_VERIFY(std::any_of(fillers.cbegin(), fillers.cend(),
                            [](const auto &socket) { return socket->state() == QAbstractSocket::ConnectedState; }));

    HttpClientOptions options = fastOptions();
    options.connectTimeoutMs = 300;
    options.retry.maxAttempts = 1;
    HttpClient client(options);
    QElapsedTimer timer;
    timer.start();
    const auto outcome = sendTo(client, QUrl(QStringLiteral("http://127.0.0.1:%1/x").arg(port)));
    QTRY_VERIFY_WITH_TIMEOUT(outcome->done(), 4000);
    if (outcome->ok() || !outcome->error().message.contains(QStringLiteral("could not connect")))
        QSKIP("this system did not hold the connection attempt");
    QVERIFY(timer.elapsed() >= 250);
    QCOMPARE(outcome->error().kind, Error::Kind::Http);
    QCOMPARE(outcome->error().message, QStringLiteral("Could not reach 127.0.0.1: could not connect within 0.3 s"));
    QVERIFY(outcome->error().retryable);
#else
    QSKIP("needs Linux's handling of a full listen queue");
#endif
}

void TestHttpClient::tlsFailureNotRetried()
{
    // A server that answers a TLS handshake with plain HTTP.
    QTcpServer plain;
    QVERIFY(plain.listen(QHostAddress::LocalHost));
    int connections = 0;
    connect(&plain, &QTcpServer::newConnection, this, [&plain, &connections] {
        while (QTcpSocket *socket = plain.nextPendingConnection()) {
            ++connections;
            socket->setParent(&plain);
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        }
    });
    HttpClient client(fastOptions());
    QSignalSpy waits(&client, &HttpClient::waiting);

    const auto outcome = sendTo(client, QUrl(QStringLiteral("https://127.0.0.1:%1/x").arg(plain.serverPort())));
    QTRY_VERIFY(outcome->done());
    QVERIFY(!outcome->ok());
    QCOMPARE(outcome->error().kind, Error::Kind::Http);
    QVERIFY(!outcome->error().retryable);
    QVERIFY2(outcome->error().message.startsWith(QStringLiteral("Secure connection to 127.0.0.1 failed: ")),
             qPrintable(outcome->error().message));
    QVERIFY(!outcome->error().hint.isEmpty());
    QCOMPARE(client.callCount(), 1);
    QCOMPARE(waits.size(), 0);
    QCOMPARE(connections, 1);
}

void TestHttpClient::sameOriginRedirectFollowed()
{
    const QByteArray target = url(QStringLiteral("/new")).toEncoded();
    m_server->setHandler([target](const FakeRequest &request, FakeResponder responder) {
        if (request.path() == QLatin1String("/old"))
            responder.respond(301, {}, {{"Location", target}});
        else
            responder.respond(200, "moved here");
    });
    HttpClient client(fastOptions());

    const auto outcome = sendTo(client, url(QStringLiteral("/old")));
    QTRY_VERIFY(outcome->done());
    QVERIFY(outcome->ok());
    QCOMPARE(outcome->response().status, 200);
    QCOMPARE(outcome->response().body, QByteArray("moved here"));
    QCOMPARE(m_server->requestCount(), 2);
}

void TestHttpClient::otherOriginRedirectNotFollowed()
{
    FakeHttpServer elsewhere;
    QVERIFY(elsewhere.listen());
    elsewhere.setHandler([](const FakeRequest &, FakeResponder responder) { responder.respond(200, "{}"); });
    const QByteArray target = elsewhere.baseUrl().toEncoded() + "/steal";
    m_server->setHandler([target](const FakeRequest &, FakeResponder responder) {
        responder.respond(302, {}, {{"Location", target}});
    });
    HttpClient client(fastOptions());

    HttpRequest request;
    request.url = url(QStringLiteral("/start"));
    request.headers = {{"Authorization", "Bearer secret"}};
    std::optional<Result<HttpResponse>> result;
    client.send(request, [&result](Result<HttpResponse> r) { result.emplace(std::move(r)); });
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->ok());
    QCOMPARE(result->value().status, 302);
    QCOMPARE(result->value().attempts, 1);
    QCOMPARE(elsewhere.requestCount(), 0);
}

void TestHttpClient::abortAllCancels()
{
    int busy = 0;
    m_server->setHandler([&busy](const FakeRequest &request, FakeResponder responder) {
        if (request.path() == QLatin1String("/busy")) {
            ++busy;
            responder.respond(503, "{}");
        }
        // anything else hangs
    });
    HttpClientOptions options = fastOptions();
    options.retry.baseDelayMs = 60000; // the retry of /busy waits long
    options.retry.maxDelayMs = 60000;
    HttpClient client(options);
    QSignalSpy waits(&client, &HttpClient::waiting);

    const auto hanging = sendTo(client, url(QStringLiteral("/hang")));
    const auto backingOff = sendTo(client, url(QStringLiteral("/busy")));
    QTRY_COMPARE(m_server->requestCount(), 2);
    QTRY_COMPARE(waits.size(), 1); // /busy waits for its retry

    client.abortAll();
    QVERIFY(hanging->done());
    QVERIFY(backingOff->done());
    for (const auto &outcome : {hanging, backingOff}) {
        QCOMPARE(outcome->calls, 1);
        QVERIFY(!outcome->ok());
        QCOMPARE(outcome->error().kind, Error::Kind::Cancelled);
        QCOMPARE(outcome->error().message, QStringLiteral("The sync was stopped."));
    }
    QCOMPARE(client.callCount(), 2);

    // The client stays usable after an abort.
    m_server->setHandler([](const FakeRequest &, FakeResponder responder) { responder.respond(200, "{}"); });
    const auto after = sendTo(client, url(QStringLiteral("/ok")));
    QTRY_VERIFY(after->done());
    QVERIFY(after->ok());
    QCOMPARE(busy, 1);
    QCOMPARE(hanging->calls, 1);
    QCOMPARE(backingOff->calls, 1);
}

void TestHttpClient::callbackMaySendAgain()
{
    m_server->setHandler([](const FakeRequest &request, FakeResponder responder) {
        responder.respond(200, request.path().toUtf8());
    });
    HttpClient client(fastOptions());
    QStringList bodies;
    std::function<void(Result<HttpResponse>)> onPage;
    onPage = [&](Result<HttpResponse> result) {
        QVERIFY(result.ok());
        bodies.append(QString::fromUtf8(result->body));
        if (bodies.size() < 3) {
            HttpRequest next;
            next.url = url(QStringLiteral("/page%1").arg(bodies.size() + 1));
            client.send(next, onPage); // from inside the callback
        }
    };
    HttpRequest first;
    first.url = url(QStringLiteral("/page1"));
    client.send(first, onPage);
    QTRY_COMPARE(bodies.size(), 3);
    QCOMPARE(bodies, QStringList({QStringLiteral("/page1"), QStringLiteral("/page2"), QStringLiteral("/page3")}));
    QCOMPARE(client.callCount(), 3);
}

void TestHttpClient::destroyWithRequestsInFlight()
{
    m_server->setHandler([](const FakeRequest &, FakeResponder) {});
    auto client = std::make_unique<HttpClient>(fastOptions());
    const auto outcome = sendTo(*client, url(QStringLiteral("/hang")));
    QTRY_COMPARE(m_server->requestCount(), 1);
    client.reset(); // no crash, no callback from a half-destroyed client
    QCoreApplication::processEvents();
    QVERIFY(!outcome->done());

    // A client deleted later by its owner from inside a callback.
    m_server->setHandler([](const FakeRequest &, FakeResponder responder) { responder.respond(200, "{}"); });
    QPointer<HttpClient> later = new HttpClient(fastOptions());
    bool called = false;
    HttpRequest request;
    request.url = url(QStringLiteral("/ok"));
    later->send(request, [&called, later](Result<HttpResponse>) {
        called = true;
        later->deleteLater();
    });
    QTRY_VERIFY(called);
    QTRY_VERIFY(later.isNull());
}

void TestHttpClient::rateLimiting()
{
    m_server->setHandler([](const FakeRequest &, FakeResponder responder) { responder.respond(200, "{}"); });
    HttpClientOptions options = fastOptions();
    options.requestsPerSecond = 10;
    options.burst = 1;
    HttpClient client(options);
    QSignalSpy waits(&client, &HttpClient::waiting);
    QElapsedTimer timer;
    timer.start();

    QList<std::shared_ptr<Outcome>> outcomes;
    for (int i = 0; i < 5; ++i)
        outcomes.append(sendTo(client, url(QStringLiteral("/r%1").arg(i))));
    QTRY_VERIFY(std::all_of(outcomes.cbegin(), outcomes.cend(), [](const auto &o) { return o->done(); }));
    const qint64 elapsed = timer.elapsed();
    QVERIFY2(elapsed >= 380, qPrintable(QString::number(elapsed))); // 4 waits of 100 ms
    for (const auto &outcome : std::as_const(outcomes))
        QVERIFY(outcome->ok());
    QCOMPARE(client.callCount(), 5);
    QCOMPARE(waits.size(), 0); // pauses under a second are not announced
}

void TestHttpClient::pacingAnnouncesLongWaits()
{
    m_server->setHandler([](const FakeRequest &, FakeResponder responder) { responder.respond(200, "{}"); });
    HttpClientOptions options = fastOptions();
    options.requestsPerSecond = 0.9; // the second request waits about 1.1 s
    HttpClient client(options);
    QSignalSpy waits(&client, &HttpClient::waiting);

    const auto first = sendTo(client, url(QStringLiteral("/a")));
    const auto second = sendTo(client, url(QStringLiteral("/b")));
    QCOMPARE(waits.size(), 1); // announced at once, before the wait
    QVERIFY(waits.at(0).at(0).toLongLong() >= 1000);
    QCOMPARE(waits.at(0).at(1).toString(), QStringLiteral("pacing to 0.9 requests/s"));
    QTRY_VERIFY_WITH_TIMEOUT(second->done(), 5000);
    QVERIFY(first->ok());
    QVERIFY(second->ok());
}

void TestHttpClient::callCountCountsEveryAttempt()
{
    int count = 0;
    m_server->setHandler([&count](const FakeRequest &request, FakeResponder responder) {
        if (request.path() == QLatin1String("/flaky") && ++count <= 3)
            responder.respond(500, "{}");
        else
            responder.respond(200, "{}");
    });
    HttpClient client(fastOptions());
    QSignalSpy calls(&client, &HttpClient::callMade);

    const auto a = sendTo(client, url(QStringLiteral("/flaky")));
    const auto b = sendTo(client, url(QStringLiteral("/steady")));
    const auto c = sendTo(client, url(QStringLiteral("/steady")));
    QTRY_VERIFY(a->done() && b->done() && c->done());
    QCOMPARE(a->response().attempts, 4);
    QCOMPARE(client.callCount(), 6);
    QCOMPARE(calls.size(), 6);
    for (int i = 0; i < calls.size(); ++i)
        QCOMPARE(calls.at(i).at(0).toInt(), i + 1);
}

void TestHttpClient::logsHideSecrets()
{
    m_server->setHandler([](const FakeRequest &, FakeResponder responder) {
        responder.respond(200, "{}", {{"Set-Cookie", "session=cookievalue"}});
    });
    QLoggingCategory::setFilterRules(QStringLiteral("tributary.net.http.debug=true"));
    g_log.clear();
    const QtMessageHandler previous = qInstallMessageHandler(captureMessages);

    HttpClient client(fastOptions());
    HttpRequest request;
    request.url = url(QStringLiteral("/api"));
    request.url.setQuery(QStringLiteral("page=2&api_key=sekrit1&access_token=sekrit2"));
    request.url.setUserName(QStringLiteral("me"));
    request.url.setPassword(QStringLiteral("sekrit3"));
    request.headers = {{"Authorization", "Bearer sekrit4"}};
    std::optional<Result<HttpResponse>> result;
    client.send(request, [&result](Result<HttpResponse> r) { result.emplace(std::move(r)); });
    QTRY_VERIFY(result.has_value());

    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());
    const QString log = g_log.join(QLatin1Char('\n'));
    QVERIFY2(log.contains(QStringLiteral("tributary.net.http: GET")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("page=2&api_key=***&access_token=***")), qPrintable(log));
    QVERIFY(log.contains(QStringLiteral(" 200 ")));
    QVERIFY2(!log.contains(QStringLiteral("sekrit")), qPrintable(log));
    QVERIFY(!log.contains(QStringLiteral("cookievalue")));
    QVERIFY(!log.contains(QStringLiteral("Authorization"), Qt::CaseInsensitive));
}

void TestHttpClient::redactedUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << QStringLiteral("https://api.stripe.com/v1/customers?limit=100")
                           << QStringLiteral("https://api.stripe.com/v1/customers?limit=100");
    QTest::newRow("no query") << QStringLiteral("https://x.zendesk.com/api/v2/tickets.json")
                              << QStringLiteral("https://x.zendesk.com/api/v2/tickets.json");
    QTest::newRow("token") << QStringLiteral("https://h/p?access_token=abc&limit=1")
                           << QStringLiteral("https://h/p?access_token=***&limit=1");
    QTest::newRow("code and secret") << QStringLiteral("https://h/cb?code=xyz&state=s1&client_secret=q")
                                     << QStringLiteral("https://h/cb?code=***&state=s1&client_secret=***");
    QTest::newRow("case") << QStringLiteral("https://h/p?API_KEY=abc&Password=pw")
                          << QStringLiteral("https://h/p?API_KEY=***&Password=***");
    QTest::newRow("encoded name") << QStringLiteral("https://h/p?refresh%5Ftoken=abc")
                                  << QStringLiteral("https://h/p?refresh_token=***");
    QTest::newRow("user info and fragment")
            << QStringLiteral("https://user:pw@h/p?a=1#frag") << QStringLiteral("https://h/p?a=1");
    QTest::newRow("name without value") << QStringLiteral("https://h/p?token&b=2")
                                        << QStringLiteral("https://h/p?token&b=2");
    QTest::newRow("cursor kept") << QStringLiteral("https://h/p?page%5Bafter%5D=abc%3D%3D")
                                 << QStringLiteral("https://h/p?page%5Bafter%5D=abc%3D%3D");
}

void TestHttpClient::redactedUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QCOMPARE(HttpClient::redactedUrl(QUrl(url)), expected);
}

void TestHttpClient::requestId_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("Stripe") << QByteArray("request-id") << QStringLiteral("v");
    QTest::newRow("generic") << QByteArray("x-request-id") << QStringLiteral("v");
    QTest::newRow("Zendesk") << QByteArray("x-zendesk-request-id") << QStringLiteral("v");
    QTest::newRow("Salesforce") << QByteArray("sforce-request-id") << QStringLiteral("v");
    QTest::newRow("none") << QByteArray("x-other") << QString();
}

void TestHttpClient::requestId()
{
    QFETCH(QByteArray, name);
    QFETCH(QString, expected);
    HttpResponse response;
    response.headers.insert(name, "v");
    QCOMPARE(response.requestId(), expected);
}

QTEST_GUILESS_MAIN(TestHttpClient)
#include "TestHttpClient.moc"
