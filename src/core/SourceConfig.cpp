#include "SourceConfig.h"

#include <QJsonArray>

namespace tributary {

QJsonObject SourceConfig::toJson() const
{
    QJsonObject settingsJson;
    for (auto it = settings.cbegin(); it != settings.cend(); ++it)
        settingsJson.insert(it.key(), it.value());
    QJsonObject o {{QStringLiteral("name"), name},
                   {QStringLiteral("connector"), connector},
                   {QStringLiteral("schema"), schema},
                   {QStringLiteral("collections"), QJsonArray::fromStringList(collections)},
                   {QStringLiteral("settings"), settingsJson},
                   {QStringLiteral("schedule"),
                    schedule.isEmpty() ? QJsonObject {{QStringLiteral("kind"), QStringLiteral("manual")}} : schedule}};
    if (!baseUrl.isEmpty())
        o.insert(QStringLiteral("base_url"), baseUrl.toString());
    return o;
}

SourceConfig SourceConfig::fromJson(const QJsonObject &json)
{
    SourceConfig s;
    s.name = json.value(QStringLiteral("name")).toString();
    s.connector = json.value(QStringLiteral("connector")).toString();
    s.schema = json.value(QStringLiteral("schema")).toString();
    s.baseUrl = QUrl(json.value(QStringLiteral("base_url")).toString());
    for (const auto &c : json.value(QStringLiteral("collections")).toArray())
        s.collections.append(c.toString());
    const QJsonObject settingsJson = json.value(QStringLiteral("settings")).toObject();
    for (auto it = settingsJson.begin(); it != settingsJson.end(); ++it)
        s.settings.insert(it.key(), it.value().toString());
    s.schedule = json.value(QStringLiteral("schedule")).toObject();
    return s;
}

} // namespace tributary
