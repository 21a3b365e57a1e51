#include "QueryResultModel.h"

namespace tributary {

QueryResultModel::QueryResultModel(QObject *parent) : QAbstractTableModel(parent) { }

void QueryResultModel::setResult(const QueryResult &result, int firstRowNumber)
{
    beginResetModel();
    m_result = result;
    m_firstRowNumber = firstRowNumber;
    endResetModel();
}

int QueryResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_result.rows.size());
}

int QueryResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_result.columns.size());
}

QVariant QueryResultModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QVariant &value = m_result.rows.at(index.row()).value(index.column());
    if (role == Qt::DisplayRole) {
        if (value.isNull())
            return QStringLiteral("∅");
        const QString text = value.toString();
        return text.size() > 200 ? text.left(200) + QStringLiteral("…") : text;
    }
    if (role == Qt::ToolTipRole && !value.isNull()) {
        const QString text = value.toString();
        return text.size() > 2000 ? text.left(2000) + QStringLiteral("…") : text;
    }
    if (role == Qt::TextAlignmentRole
        && (value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Double
            || value.typeId() == QMetaType::Int))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant QueryResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal)
        return m_result.columns.value(section);
    return m_firstRowNumber + section;
}

} // namespace tributary
