#include "OAuthLoopbackHandler.h"

#include <QHostAddress>
#include <QNetworkReply>

namespace tributary {

OAuthLoopbackHandler::OAuthLoopbackHandler(quint16 port, QObject *parent)
    : QOAuthHttpServerReplyHandler(QHostAddress::LocalHost, port, parent)
{ }

void OAuthLoopbackHandler::networkReplyFinished(QNetworkReply *reply)
{
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int status = statusAttribute.isValid() ? statusAttribute.toInt() : 0;
    const QByteArray body = reply->readAll();
    // Never the body in a message: it holds the tokens.
    const QString networkError = status == 0 ? reply->errorString() : QString();
    Q_EMIT tokenReplyReceived(status, body, networkError);
}

} // namespace tributary
