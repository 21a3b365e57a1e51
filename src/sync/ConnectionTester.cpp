#include "ConnectionTester.h"

#include "sync/RestSource.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>

namespace tributary {

Q_LOGGING_CATEGORY(lcTester, "tributary.sync.tester")

namespace {

bool isUnreachable(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // the transfer timeout
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
        return true;
    default:
        return false;
    }
}

} // namespace

ConnectionTester::ConnectionTester(QObject *parent) : QObject(parent), m_network(new QNetworkAccessManager(this))
{
    // The check call follows no redirect to another host: credentials stay where they were sent.
    m_network->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
}

ConnectionTester::~ConnectionTester()
{
    m_done = {};
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void ConnectionTester::test(const ConnectorManifest &manifest, const QMap<QString, QString> &settings,
                            const QUrl &baseUrl, Done done)
{
    abort();
    m_done = std::move(done);
    auto source = RestSource::create(manifest, settings, baseUrl);
    if (!source || manifest.checkPath.isEmpty()) {
        Outcome outcome;
        outcome.status = Status::Failed;
        outcome.message
                = source ? QStringLiteral("%1 has no connection check.").arg(manifest.name) : source.error().message;
        outcome.hint = source ? QStringLiteral("Run a sync to try the credentials.") : source.error().hint;
        QTimer::singleShot(0, this, [this, outcome] { finish(outcome); });
        return;
    }
    const HttpRequest request = source->request(manifest.checkPath);
    QNetworkRequest networkRequest(request.url);
    for (const auto &[name, value] : request.headers)
        networkRequest.setRawHeader(name, value);
    networkRequest.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("Tributary/" TRIBUTARY_VERSION));
    networkRequest.setTransferTimeout(m_timeoutMs);
    if (request.url.scheme() == QLatin1String("http"))
        networkRequest.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    qCDebug(lcTester).noquote() << "GET" << HttpClient::redactedUrl(request.url);
    QNetworkReply *reply = m_network->get(networkRequest);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, rest = std::move(source).value()] { onFinished(reply, rest); });
}

void ConnectionTester::abort()
{
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_done = {};
}

void ConnectionTester::onFinished(QNetworkReply *reply, const RestSource &source)
{
    const ConnectorManifest &manifest = source.manifest();
    reply->deleteLater();
    if (reply != m_reply)
        return;
    m_reply = nullptr;
    const QString name = manifest.name;
    const QString host = reply->url().host();
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int status = statusAttribute.isValid() ? statusAttribute.toInt() : 0;
    const QNetworkReply::NetworkError error = reply->error();
    Outcome outcome;
    outcome.httpStatus = status;
    qCDebug(lcTester).noquote() << "check" << HttpClient::redactedUrl(reply->url()) << status << error;

    if (status == 0) {
        if (error == QNetworkReply::SslHandshakeFailedError) {
            outcome.status = Status::SecureConnectionFailed;
            outcome.message = QStringLiteral("A secure connection to %1 could not be made (%2).")
                                      .arg(host, reply->errorString());
            outcome.hint = QStringLiteral(
                    "Check the address and the computer's date and time. If a proxy or security software inspects "
                    "secure connections, its certificate must be trusted by the system.");
        } else if (isUnreachable(error)) {
            outcome.status = Status::Unreachable;
            outcome.message = QStringLiteral("%1 could not be reached at %2 (%3).")
                                      .arg(name, host,
                                           error == QNetworkReply::OperationCanceledError
                                                   ? QStringLiteral("no answer within %1 s").arg(m_timeoutMs / 1000)
                                                   : reply->errorString());
            outcome.hint = QStringLiteral("Check your network connection and the source's address.");
        } else {
            outcome.status = Status::Failed;
            outcome.message = QStringLiteral("The connection to %1 failed (%2).").arg(host, reply->errorString());
            outcome.hint = QStringLiteral("Check the source's address and your network settings.");
        }
        outcome.message.replace(reply->url().toString(), HttpClient::redactedUrl(reply->url()));
        finish(outcome);
        return;
    }

    const QByteArray body = reply->readAll();
    if (status >= 200 && status < 300) {
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        const QJsonValue root = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
        QString account;
        if (!manifest.checkAccountName.isEmpty())
            account = jsonPointer(root, manifest.checkAccountName).toString();
        if (account.isEmpty())
            account = jsonPointer(root, QStringLiteral("/id")).toString();
        outcome.status = Status::Connected;
        outcome.accountName = account;
        outcome.message = account.isEmpty() ? QStringLiteral("Connected to %1.").arg(name)
                                            : QStringLiteral("Connected to %1 as %2.").arg(name, account);
        finish(outcome);
        return;
    }

    // The sync's own wording for failed replies, so that Test connection and a run agree.
    HttpResponse response;
    response.status = status;
    response.body = body;
    for (const auto &[headerName, value] : reply->rawHeaderPairs())
        response.headers.insert(headerName.toLower(), value);
    const Error e = source.errorFor(response, nullptr);
    const QString upstream = source.upstreamMessage(body);
    switch (status) {
    case 401:
        outcome.status = Status::WrongCredentials;
        outcome.message = QStringLiteral("%1 did not accept the credentials: they are wrong, revoked or expired%2.")
                                  .arg(name, upstream.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(upstream));
        outcome.hint = e.hint;
        break;
    case 403: {
        outcome.status = Status::NotPermitted;
        if (!manifest.permissionPattern.isEmpty()) {
            const auto match = QRegularExpression(manifest.permissionPattern).match(upstream);
            if (match.hasMatch())
                outcome.missingPermission = match.captured(1);
        }
        outcome.message = outcome.missingPermission.isEmpty()
                ? QStringLiteral("The credentials are valid, but %1 does not let them read the account%2.")
                          .arg(name, upstream.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(upstream))
                : QStringLiteral("The credentials are valid, but they lack the '%1' permission.")
                          .arg(outcome.missingPermission);
        outcome.hint = e.hint;
        break;
    }
    default:
        outcome.status = Status::Failed;
        outcome.message = e.message;
        outcome.hint = e.hint;
        break;
    }
    finish(outcome);
}

void ConnectionTester::finish(Outcome outcome)
{
    const Done done = std::exchange(m_done, {});
    if (done)
        done(outcome);
}

} // namespace tributary
