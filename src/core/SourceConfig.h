#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace tributary {

// One configured source, as kept in the configuration file. Setting values are plain values
// (subdomain, start_date) or references, never secrets: "env:VAR" (resolved at each run) or
// "keychain:" (the secret lives in the OS keychain under this source's name and the key).
struct SourceConfig
{
    QString name;
    QString connector; // connector slug
    QString schema;
    QUrl baseUrl; // empty: the connector's own
    QStringList collections;
    QMap<QString, QString> settings;
    QJsonObject schedule; // {"kind":"manual"} until the scheduler lands

    QJsonObject toJson() const;
    static SourceConfig fromJson(const QJsonObject &json);
};

} // namespace tributary
