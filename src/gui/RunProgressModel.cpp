#include "RunProgressModel.h"

#include "gui/RunHistoryModel.h"

#include <QDateTime>
#include <QIcon>

namespace tributary {

RunProgressModel::RunProgressModel(QObject *parent) : QAbstractTableModel(parent), m_ticker(new QTimer(this))
{
    // Once a second: elapsed times and wait countdowns move on their own between updates.
    m_ticker->setInterval(1000);
    connect(m_ticker, &QTimer::timeout, this, &RunProgressModel::tick);
}

void RunProgressModel::tick()
{
    bool active = false;
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).status == CollectionSummary::Status::Running) {
            active = true;
            Q_EMIT dataChanged(index(int(i), Elapsed), index(int(i), Waiting));
        }
    }
    if (!active)
        m_ticker->stop();
}

void RunProgressModel::reset(const RunSummary &summary)
{
    beginResetModel();
    m_runId = summary.runId;
    m_rows = summary.collections;
    m_waiting = QList<QString>(m_rows.size());
    m_waitUntil = QList<qint64>(m_rows.size(), 0);
    m_startedAt = QList<qint64>(m_rows.size(), 0);
    m_elapsed = QList<qint64>(m_rows.size(), -1);
    endResetModel();
}

int RunProgressModel::rowOf(const QString &collection) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).name == collection)
            return int(i);
    }
    return -1;
}

void RunProgressModel::update(const CollectionSummary &collection)
{
    const int row = rowOf(collection.name);
    if (row < 0)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (collection.status == CollectionSummary::Status::Running && m_startedAt[row] == 0) {
        m_startedAt[row] = now;
        m_ticker->start();
    }
    if (collection.status != CollectionSummary::Status::Running && m_startedAt[row] != 0 && m_elapsed[row] < 0)
        m_elapsed[row] = now - m_startedAt[row];
    if (collection.pages != m_rows[row].pages || collection.status != CollectionSummary::Status::Running) {
        m_waiting[row].clear();
        m_waitUntil[row] = 0;
    }
    m_rows[row] = collection;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void RunProgressModel::setWaiting(const QString &collection, const QString &reason, qint64 ms)
{
    const int row = rowOf(collection);
    if (row < 0)
        return;
    m_waiting[row] = reason;
    m_waitUntil[row] = ms > 0 ? QDateTime::currentMSecsSinceEpoch() + ms : 0;
    Q_EMIT dataChanged(index(row, Waiting), index(row, Waiting));
}

const CollectionSummary *RunProgressModel::collection(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int RunProgressModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunProgressModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunProgressModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CollectionSummary &c = m_rows.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Collection:
            return c.name;
        case Status:
            return CollectionSummary::statusName(c.status);
        case Progress:
            if (c.expectedRecords > 0)
                return tr("%1 %").arg(qMin<qint64>(100, qint64(c.received) * 100 / c.expectedRecords));
            if (c.expectedRecords == 0)
                return tr("nothing to read");
            return QString();
        case Records:
            return tr("%1 (%2 new, %3 updated)").arg(c.records).arg(c.inserted).arg(c.updated);
        case Pages:
            return c.pages;
        case ApiCalls:
            return c.apiCalls;
        case Elapsed: {
            qint64 ms = m_elapsed.at(index.row());
            if (ms < 0 && m_startedAt.at(index.row()) > 0)
                ms = QDateTime::currentMSecsSinceEpoch() - m_startedAt.at(index.row());
            if (ms < 0)
                return QString();
            const qint64 s = ms / 1000;
            return s < 60 ? tr("%1 s").arg(s) : tr("%1:%2 min").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
        }
        case Waiting: {
            if (c.error)
                return c.error->message;
            const qint64 until = m_waitUntil.at(index.row());
            const qint64 left = (until - QDateTime::currentMSecsSinceEpoch() + 999) / 1000;
            if (until > 0 && left > 0)
                return tr("%1 (%2 s left)").arg(m_waiting.at(index.row())).arg(left);
            return until > 0 ? QString() : m_waiting.at(index.row());
        }
        default:
            return {};
        }
    }
    if (index.column() == Progress && (role == ProgressValueRole || role == ProgressMaximumRole)) {
        // A bar while the collection runs, and after it when the total was known.
        const bool running = c.status == CollectionSummary::Status::Running;
        if (c.expectedRecords > 0)
            return role == ProgressValueRole ? qMin<qint64>(c.received, c.expectedRecords) : c.expectedRecords;
        if (running && c.expectedRecords < 0)
            return role == ProgressValueRole ? qint64(c.received) : qint64(0);
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == Progress && !c.error) {
        if (c.expectedRecords >= 0)
            return tr("%1 of %2 records received").arg(c.received).arg(c.expectedRecords);
        return c.status == CollectionSummary::Status::Running
                ? tr("%1 records received; the API does not say how many come").arg(c.received)
                : QVariant();
    }
    if (role == Qt::DecorationRole && index.column() == Status)
        return QIcon(statusIconPath(c.status));
    if (role == Qt::ToolTipRole && c.error)
        return QString(c.error->message + QLatin1Char('\n') + c.error->hint);
    // Whatever a narrow column clips (a long wait reason, the records breakdown) reads whole here.
    if (role == Qt::ToolTipRole && index.column() != Progress) {
        const QString text = data(index, Qt::DisplayRole).toString();
        return text.isEmpty() ? QVariant() : QVariant(text);
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Pages || index.column() == ApiCalls))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant RunProgressModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Collection:
        return tr("Collection");
    case Status:
        return tr("Status");
    case Progress:
        return tr("Progress");
    case Records:
        return tr("Records");
    case Pages:
        return tr("Pages");
    case ApiCalls:
        return tr("API calls");
    case Elapsed:
        return tr("Elapsed");
    case Waiting:
        return tr("Waiting for / error");
    default:
        return {};
    }
}

} // namespace tributary
