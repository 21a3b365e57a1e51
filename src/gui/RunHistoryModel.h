#pragma once

#include "core/RunSummary.h"

#include <QAbstractTableModel>

namespace tributary {

// A source's runs, newest first: start, duration, status, records, API calls.
class RunHistoryModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunHistoryModel)

public:
    enum Column { Started, Duration, Status, Records, ApiCalls, ColumnCount };

    explicit RunHistoryModel(QObject *parent = nullptr);

    void setRuns(const QList<RunSummary> &oldestFirst);
    const RunSummary *run(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<RunSummary> m_runs; // newest first
};

QString statusIconPath(RunSummary::Status status);
QString statusIconPath(CollectionSummary::Status status);

} // namespace tributary
