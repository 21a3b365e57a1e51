#pragma once

#include "core/RunSummary.h"

#include <QAbstractTableModel>

namespace tributary {

// One row per collection of the run going (or the last one): status, records, pages, API calls,
// and what it waits for.
class RunProgressModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunProgressModel)

public:
    enum Column { Collection, Status, Records, Pages, ApiCalls, Waiting, ColumnCount };

    explicit RunProgressModel(QObject *parent = nullptr);

    void reset(const RunSummary &summary);
    void update(const CollectionSummary &collection);
    void setWaiting(const QString &collection, const QString &reason);
    const CollectionSummary *collection(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    int rowOf(const QString &collection) const;

    QList<CollectionSummary> m_rows;
    QList<QString> m_waiting;
};

} // namespace tributary
