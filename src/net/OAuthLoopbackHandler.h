#pragma once

#include <QByteArray>
#include <QOAuthHttpServerReplyHandler>
#include <QString>

namespace tributary {

// Qt's loopback reply handler (an HTTP server on 127.0.0.1 that receives the browser's redirect)
// with the token endpoint's reply handed over whole: Qt 6.4's own handling drops error bodies
// (a 400 invalid_grant becomes a warning and silence), so the sign-in parses replies itself.
class OAuthLoopbackHandler final : public QOAuthHttpServerReplyHandler
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OAuthLoopbackHandler)

public:
    explicit OAuthLoopbackHandler(quint16 port, QObject *parent = nullptr);

    void networkReplyFinished(QNetworkReply *reply) override;

Q_SIGNALS:
    // status 0 with a networkError: no HTTP answer (network, TLS, timeout).
    void tokenReplyReceived(int status, const QByteArray &body, const QString &networkError);
};

} // namespace tributary
