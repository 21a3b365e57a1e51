#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>
#include <QUrlQuery>

#include <functional>

namespace tributary::test {

// One parsed HTTP/1.1 request.
struct FakeRequest
{
    QByteArray method;
    QUrl url;                              // path and query, relative
    QHash<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;

    QString path() const { return url.path(); }
    QUrlQuery query() const { return QUrlQuery(url); }
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

// Answers one request, now or later, or never (a hanging endpoint): the connection stays open.
class FakeResponder
{
public:
    FakeResponder() = default;
    explicit FakeResponder(QTcpSocket *socket) : m_socket(socket) { }

    void respond(int status, const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers = {},
                 const QByteArray &contentType = QByteArrayLiteral("application/json"));
    void respondJson(int status, const QByteArray &json, const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        respond(status, json, headers);
    }
    // Closes the connection without an answer (a reset).
    void drop();
    bool isValid() const { return !m_socket.isNull(); }

private:
    QPointer<QTcpSocket> m_socket;
};

// A minimal real HTTP/1.1 server on 127.0.0.1 and a free port, for fakes of upstream APIs.
// Keep-alive and Content-Length bodies; no chunked requests (no client of ours sends them).
class FakeHttpServer : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(const FakeRequest &, FakeResponder)>;

    explicit FakeHttpServer(QObject *parent = nullptr);
    ~FakeHttpServer() override;

    bool listen(quint16 port = 0);
    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:PORT
    void setHandler(Handler handler) { m_handler = std::move(handler); }

    int requestCount() const { return m_requests.size(); }
    const QList<FakeRequest> &requests() const { return m_requests; }
    void clearRequests() { m_requests.clear(); }

Q_SIGNALS:
    void requestReceived(const QByteArray &method, const QString &path);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);

    QTcpServer m_server;
    Handler m_handler;
    QList<FakeRequest> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

QByteArray reasonPhrase(int status);

} // namespace tributary::test
