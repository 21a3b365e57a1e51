#include "StarterQueries.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace tributary {

namespace {
const QRegularExpression &placeholder()
{
    static const QRegularExpression re(QStringLiteral("\\{([a-z][a-z0-9_]*)\\.([a-z0-9_]+)\\}"));
    return re;
}
} // namespace

StarterQueries::StarterQueries(const QString &folder)
{
    const QDir dir(folder);
    for (const QString &name : dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name)) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        Query q;
        q.file = name;
        const QString text = QString::fromUtf8(file.readAll());
        for (const QString &line : text.split(QLatin1Char('\n'))) {
            if (line.startsWith(QLatin1String("-- title:")))
                q.title = line.mid(9).trimmed();
        }
        // The statement without its comment lines (a warehouse runs one bare statement).
        QStringList statement;
        for (const QString &line : text.split(QLatin1Char('\n'))) {
            if (!line.trimmed().startsWith(QLatin1String("--")))
                statement.append(line);
        }
        q.sql = statement.join(QLatin1Char('\n')).trimmed();
        auto it = placeholder().globalMatch(text);
        while (it.hasNext()) {
            const QString connector = it.next().captured(1);
            if (!q.connectors.contains(connector))
                q.connectors.append(connector);
        }
        if (q.title.isEmpty())
            q.title = name;
        m_queries.append(q);
    }
}

QList<StarterQueries::Query>
StarterQueries::resolved(const std::function<QString(const QString &)> &schemaOf,
                         const std::function<QString(const QString &, const QString &)> &tableSql) const
{
    QList<Query> out;
    for (const Query &q : m_queries) {
        bool complete = true;
        for (const QString &c : q.connectors)
            complete = complete && !schemaOf(c).isEmpty();
        if (!complete)
            continue;
        Query r = q;
        QString sql;
        qsizetype last = 0;
        auto it = placeholder().globalMatch(q.sql);
        while (it.hasNext()) {
            const auto m = it.next();
            sql += q.sql.mid(last, m.capturedStart() - last);
            sql += tableSql(schemaOf(m.captured(1)), m.captured(2));
            last = m.capturedEnd();
        }
        sql += q.sql.mid(last);
        r.sql = sql;
        out.append(r);
    }
    return out;
}

} // namespace tributary
