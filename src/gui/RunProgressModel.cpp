#include "RunProgressModel.h"

namespace tributary {

RunProgressModel::RunProgressModel(QObject *parent) : QAbstractTableModel(parent) { }

void RunProgressModel::reset(const RunSummary &summary)
{
    beginResetModel();
    m_rows = summary.collections;
    m_waiting = QList<QString>(m_rows.size());
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
    m_rows[row] = collection;
    if (collection.status != CollectionSummary::Status::Running || collection.pages > 0)
        m_waiting[row].clear();
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void RunProgressModel::setWaiting(const QString &collection, const QString &reason)
{
    const int row = rowOf(collection);
    if (row < 0)
        return;
    m_waiting[row] = reason;
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
        case Records:
            return tr("%1 (%2 new, %3 updated)").arg(c.records).arg(c.inserted).arg(c.updated);
        case Pages:
            return c.pages;
        case ApiCalls:
            return c.apiCalls;
        case Waiting:
            return c.error ? c.error->message : m_waiting.at(index.row());
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && c.error)
        return QString(c.error->message + QLatin1Char('\n') + c.error->hint);
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
    case Records:
        return tr("Records");
    case Pages:
        return tr("Pages");
    case ApiCalls:
        return tr("API calls");
    case Waiting:
        return tr("Waiting for / error");
    default:
        return {};
    }
}

} // namespace tributary
