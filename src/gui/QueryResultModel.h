#pragma once

#include "warehouse/Warehouse.h"

#include <QAbstractTableModel>

namespace tributary {

// Rows of a query or a table preview, read-only.
class QueryResultModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueryResultModel)

public:
    explicit QueryResultModel(QObject *parent = nullptr);

    void setResult(const QueryResult &result, int firstRowNumber = 1);
    const QueryResult &result() const { return m_result; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QueryResult m_result;
    int m_firstRowNumber = 1;
};

} // namespace tributary
