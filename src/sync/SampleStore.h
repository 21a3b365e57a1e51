#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace tributary {

// The offline "Sample Store": a small shop generated from a seed, with no network and no key.
// Generation 0 is its history (90 days before `anchor`); every later generation is one more
// sync's worth of activity an hour apart (new customers and orders, updated customers, order
// status changes, new and solved tickets, deletions, page views), so incremental syncs have
// something to show. The same seed, generation and anchor always give the same shop.
class SampleStore
{
public:
    struct Record
    {
        QJsonObject data;
        int changedIn = 0;    // the generation that last changed it
        bool deleted = false; // flagged is_deleted (the last values are kept)
    };

    static std::shared_ptr<const SampleStore> build(quint32 seed, int generation, qint64 anchor);
    // customers, orders, order_items, tickets (objects) and page_views (events), in DESIGN.md order.
    static QStringList collections();
    static bool isEvent(const QString &collection) { return collection == QLatin1String("page_views"); }

    const QList<Record> &records(const QString &collection) const;
    int generation() const { return m_generation; }

private:
    SampleStore() = default;

    QHash<QString, QList<Record>> m_records;
    int m_generation = 0;
};

} // namespace tributary
