#pragma once

#include "core/RunSummary.h"

#include <QAbstractTableModel>
#include <QTimer>

namespace tributary {

// One row per collection of the run going (or the last one): status, how far it is (a bar:
// determinate when the API said how many records come, busy otherwise), records, pages, API calls,
// and what it waits for.
class RunProgressModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunProgressModel)

public:
    enum Column { Collection, Status, Progress, Records, Pages, ApiCalls, Elapsed, Waiting, ColumnCount };
    // The Progress column's bar (RunProgressDelegate draws it).
    enum Role {
        ProgressValueRole = Qt::UserRole + 1, // records received this run
        ProgressMaximumRole,                  // records expected: > 0 determinate, 0 busy; no bar when null
    };

    explicit RunProgressModel(QObject *parent = nullptr);

    void reset(const RunSummary &summary);
    QString runId() const { return m_runId; }
    void update(const CollectionSummary &collection);
    // A wait of ms milliseconds starts now; the row counts it down.
    void setWaiting(const QString &collection, const QString &reason, qint64 ms = 0);
    const CollectionSummary *collection(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    int rowOf(const QString &collection) const;

    void tick();

    QString m_runId;
    QList<CollectionSummary> m_rows;
    QList<QString> m_waiting;
    QList<qint64> m_waitUntil; // ms since the epoch; 0: not waiting
    QList<qint64> m_startedAt; // ms since the epoch when the collection started running; 0: not yet
    QList<qint64> m_elapsed;   // ms, frozen when the collection ends
    QTimer *m_ticker = nullptr;
};

} // namespace tributary
