#pragma once

#include "app/StarterQueries.h"
#include "warehouse/Warehouse.h"

#include <QWidget>

#include <memory>

class QStandardItemModel;

namespace Ui {
class DataPanel;
}

namespace tributary {

class DataBrowser;
class QueryResultModel;

// A source's warehouse tables with row counts and column types, a paged preview of the selected
// table (never the whole table), and the starter queries that fit the configured sources.
class DataPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DataPanel)

public:
    static constexpr int kPageSize = 100;

    explicit DataPanel(QWidget *parent = nullptr);
    ~DataPanel() override;

    void setBrowser(DataBrowser *browser);
    // The source whose tables to show, and the starter queries already resolved for this warehouse.
    // The same source again (its page rebuilt, as at the end of a run) keeps the table shown, its
    // page, the chosen query and its result (whose message says when it ran); the tables and their
    // row counts are read again.
    void setSource(const QString &schema, const QList<StarterQueries::Query> &queries);
    void refresh();

    QStandardItemModel *tablesModel() const { return m_tables; }
    QueryResultModel *rowsModel() const { return m_rows; }
    QueryResultModel *queryModel() const { return m_query; }

private:
    void showTable(int row);
    void loadPage(int offset);
    void runSelectedQuery();

    std::unique_ptr<Ui::DataPanel> m_ui;
    DataBrowser *m_browser = nullptr;
    QStandardItemModel *m_tables = nullptr;
    QueryResultModel *m_rows = nullptr;
    QueryResultModel *m_query = nullptr;
    QList<TableInfo> m_tableInfos;
    QList<StarterQueries::Query> m_queries;
    QString m_schema;
    int m_offset = 0;
    int m_restoreOffset = 0; // the page to show when the table list comes back with the same table
    QString m_queryMessage;  // what the shown query result is: its row count and when it ran
};

} // namespace tributary
