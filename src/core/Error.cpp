#include "Error.h"

namespace tributary {

QString Error::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Auth:
        return QStringLiteral("auth");
    case Kind::Permission:
        return QStringLiteral("permission");
    case Kind::RateLimit:
        return QStringLiteral("rate_limit");
    case Kind::Http:
        return QStringLiteral("http");
    case Kind::Parse:
        return QStringLiteral("parse");
    case Kind::Warehouse:
        return QStringLiteral("warehouse");
    case Kind::Stalled:
        return QStringLiteral("stalled");
    case Kind::Cancelled:
        return QStringLiteral("cancelled");
    case Kind::Config:
        return QStringLiteral("config");
    case Kind::Internal:
        return QStringLiteral("internal");
    }
    return QStringLiteral("internal");
}

Error::Kind Error::kindFromName(const QString &name)
{
    for (Kind k : {Kind::Auth, Kind::Permission, Kind::RateLimit, Kind::Http, Kind::Parse, Kind::Warehouse,
                   Kind::Stalled, Kind::Cancelled, Kind::Config}) {
        if (kindName(k) == name)
            return k;
    }
    return Kind::Internal;
}

QJsonObject Error::toJson() const
{
    QJsonObject o {
            {QStringLiteral("kind"), kindName()}, {QStringLiteral("message"), message}, {QStringLiteral("hint"), hint}};
    if (httpStatus)
        o.insert(QStringLiteral("http_status"), httpStatus);
    if (!requestId.isEmpty())
        o.insert(QStringLiteral("request_id"), requestId);
    return o;
}

Error Error::fromJson(const QJsonObject &json)
{
    Error e;
    e.kind = kindFromName(json.value(QStringLiteral("kind")).toString());
    e.message = json.value(QStringLiteral("message")).toString();
    e.hint = json.value(QStringLiteral("hint")).toString();
    e.httpStatus = json.value(QStringLiteral("http_status")).toInt();
    e.requestId = json.value(QStringLiteral("request_id")).toString();
    return e;
}

} // namespace tributary
