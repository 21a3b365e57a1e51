#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStringList>
#include <QUuid>
#include <QVariant>

namespace tributary::test {

// Reads the SQLite warehouse file directly, as an analyst would, on a connection of its own.
class WarehouseReader
{
public:
    explicit WarehouseReader(const QString &path) : m_name(QUuid::createUuid().toString())
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~WarehouseReader() { QSqlDatabase::removeDatabase(m_name); }
    WarehouseReader(const WarehouseReader &) = delete;
    WarehouseReader &operator=(const WarehouseReader &) = delete;

    QSqlDatabase db() const { return QSqlDatabase::database(m_name); }

    // The ids of a table, sorted as text (optionally filtered).
    QStringList ids(const QString &table, const QString &where = {}) const
    {
        QStringList list;
        QSqlQuery q(db());
        q.exec(QStringLiteral("SELECT id FROM \"%1\"%2 ORDER BY id")
                       .arg(table, where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where));
        while (q.next())
            list.append(q.value(0).toString());
        return list;
    }
    // The first column of the first row (null when none).
    QVariant value(const QString &sql) const
    {
        QSqlQuery q(db());
        if (!q.exec(sql) || !q.next())
            return {};
        return q.value(0);
    }
    qint64 count(const QString &sql) const
    {
        const QVariant v = value(sql);
        return v.isNull() ? -1 : v.toLongLong();
    }
    bool exec(const QString &sql) const
    {
        QSqlQuery q(db());
        return q.exec(sql);
    }
    // Every row but received_at (the sync's time), one line per row, ordered by id.
    QString dump(const QString &table) const
    {
        QSqlQuery q(db());
        q.exec(QStringLiteral("SELECT * FROM \"%1\" ORDER BY id").arg(table));
        QString out;
        while (q.next()) {
            for (int i = 0; i < q.record().count(); ++i) {
                if (q.record().fieldName(i) != QLatin1String("received_at"))
                    out += q.value(i).toString() + QLatin1Char('|');
            }
            out += QLatin1Char('\n');
        }
        return out;
    }

private:
    QString m_name;
};

// The summary of one collection in a `sync --json` object.
inline QJsonObject collectionOf(const QJsonObject &summary, const QString &name)
{
    for (const auto &c : summary.value(QStringLiteral("collections")).toArray()) {
        if (c.toObject().value(QStringLiteral("name")).toString() == name)
            return c.toObject();
    }
    return {};
}

} // namespace tributary::test
