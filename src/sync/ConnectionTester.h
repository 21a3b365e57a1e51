#pragma once

#include "core/Error.h"
#include "sync/ConnectorManifest.h"

#include <QMap>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace tributary {

// "Test connection" in the source wizard and settings: one cheap call, the manifest's `check`
// path (Stripe GET /v1/account), with the credentials as they would be used by a sync. Tells
// apart a wrong key, a key without enough permission, a host that cannot be reached, a secure
// connection that failed, and success with the account's name.
class RestSource;

class ConnectionTester final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionTester)

public:
    enum class Status {
        Connected,              // 2xx
        WrongCredentials,       // 401
        NotPermitted,           // 403: missingPermission names what is missing when the API says
        Unreachable,            // no connection: DNS, refused, timeout, offline
        SecureConnectionFailed, // TLS handshake or certificate
        Failed,                 // anything else (bad settings, 404, 5xx, ...)
    };
    Q_ENUM(Status)

    struct Outcome
    {
        Status status = Status::Failed;
        QString accountName;       // Connected: from check.account_name (else the account id, if any)
        QString missingPermission; // NotPermitted
        QString message;           // in the user's words
        QString hint;              // what to do about it (empty when Connected)
        int httpStatus = 0;
    };

    using Done = std::function<void(const Outcome &)>;

    explicit ConnectionTester(QObject *parent = nullptr);
    ~ConnectionTester() override;

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }

    // settings hold resolved values (secrets included: they only go into the request's headers).
    // done is called exactly once, never from inside test().
    void test(const ConnectorManifest &manifest, const QMap<QString, QString> &settings, const QUrl &baseUrl,
              Done done);
    void abort();

private:
    void onFinished(QNetworkReply *reply, const RestSource &source);
    void finish(Outcome outcome);

    QNetworkAccessManager *m_network = nullptr;
    QPointer<QNetworkReply> m_reply;
    Done m_done;
    int m_timeoutMs = 20000;
};

} // namespace tributary
