#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace tributary {

// The starter queries shipped in resources/queries/*.sql: a "-- title:" line, then SQL with
// placeholders {connector.collection} that stand for that collection's table.
class StarterQueries
{
public:
    struct Query
    {
        QString file;
        QString title;
        QString sql;            // with placeholders
        QStringList connectors; // every connector the query needs
    };

    // Loads the queries under a folder (default: the resources).
    explicit StarterQueries(const QString &folder = QStringLiteral(":/queries"));
    const QList<Query> &all() const { return m_queries; }

    // The queries whose connectors all have a schema; each placeholder becomes the table's SQL name.
    // schemaOf: the schema of the (first) source of a connector, or empty when none is configured.
    // tableSql: the quoted SQL name of a schema's collection in the warehouse.
    QList<Query>
    resolved(const std::function<QString(const QString &connector)> &schemaOf,
             const std::function<QString(const QString &schema, const QString &collection)> &tableSql) const;

private:
    QList<Query> m_queries;
};

} // namespace tributary
