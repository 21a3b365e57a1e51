#include "DataPanel.h"
#include "ui_DataPanel.h"

#include "app/DataBrowser.h"
#include "gui/QueryResultModel.h"

#include <QHeaderView>
#include <QStandardItemModel>
#include <QTime>

#include <utility>

namespace tributary {

DataPanel::DataPanel(QWidget *parent) : QWidget(parent), m_ui(std::make_unique<Ui::DataPanel>())
{
    m_ui->setupUi(this);
    m_tables = new QStandardItemModel(0, 3, this);
    m_tables->setHorizontalHeaderLabels({tr("Table"), tr("Rows"), tr("Columns")});
    m_rows = new QueryResultModel(this);
    m_query = new QueryResultModel(this);
    m_ui->tablesView->setModel(m_tables);
    m_ui->rowsView->setModel(m_rows);
    m_ui->queryResultView->setModel(m_query);
    m_ui->tablesView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->dataSplitter->setSizes({260, 640});
    // The preview takes the height until a query has run; the result then gets its share.
    m_ui->dataVerticalSplitter->setStretchFactor(0, 1);
    m_ui->dataVerticalSplitter->setStretchFactor(1, 0);
    m_ui->queryResultView->hide();
    connect(m_ui->tablesView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showTable(current.row()); });
    connect(m_ui->previousPageButton, &QPushButton::clicked, this, [this] { loadPage(qMax(0, m_offset - kPageSize)); });
    connect(m_ui->nextPageButton, &QPushButton::clicked, this, [this] { loadPage(m_offset + kPageSize); });
    connect(m_ui->runQueryButton, &QPushButton::clicked, this, &DataPanel::runSelectedQuery);
    connect(m_ui->queryCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_ui->queryCombo->setToolTip(index >= 0 && index < m_queries.size() ? m_queries.at(index).sql : QString());
    });
    m_ui->previousPageButton->setEnabled(false);
    m_ui->nextPageButton->setEnabled(false);
}

DataPanel::~DataPanel() = default;

void DataPanel::setBrowser(DataBrowser *browser)
{
    m_browser = browser;
    connect(browser, &DataBrowser::tablesListed, this, [this](const QList<TableInfo> &tables) {
        // The table shown stays shown, at its page, when it is still there.
        const int current = m_ui->tablesView->currentIndex().row();
        const QString shown
                = current >= 0 && current < m_tableInfos.size() ? m_tableInfos.at(current).collection : QString();
        int select = 0;
        for (qsizetype i = 0; i < tables.size(); ++i) {
            if (!shown.isEmpty() && tables.at(i).collection == shown) {
                select = int(i);
                m_restoreOffset = m_offset;
            }
        }
        m_tableInfos = tables;
        m_tables->removeRows(0, m_tables->rowCount());
        for (const TableInfo &t : tables) {
            auto *name = new QStandardItem(t.table);
            auto *rows = new QStandardItem(QLocale().toString(t.rowCount));
            rows->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            auto *columns = new QStandardItem(QString::number(t.schema.columns().size()));
            columns->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_tables->appendRow({name, rows, columns});
        }
        m_ui->dataMessageLabel->setText(tables.isEmpty() ? tr("No tables yet: sync the source first.")
                                                         : m_queryMessage);
        if (!tables.isEmpty())
            m_ui->tablesView->selectRow(select);
        m_restoreOffset = 0;
    });
    connect(browser, &DataBrowser::rowsReady, this, [this](const QueryResult &result, int offset) {
        m_offset = offset;
        m_rows->setResult(result, offset + 1);
        m_ui->previousPageButton->setEnabled(offset > 0);
        m_ui->nextPageButton->setEnabled(result.truncated);
        m_ui->pageLabel->setText(result.rows.isEmpty()
                                         ? tr("no rows")
                                         : tr("rows %1–%2").arg(offset + 1).arg(offset + result.rows.size()));
    });
    connect(browser, &DataBrowser::queryFinished, this, [this](const QueryResult &result) {
        m_query->setResult(result);
        if (m_ui->queryResultView->isHidden()) {
            m_ui->queryResultView->show();
            const int total = m_ui->dataVerticalSplitter->height();
            m_ui->dataVerticalSplitter->setSizes({total * 3 / 5, total - total * 3 / 5});
        }
        const QString ranAt = QLocale().toString(QTime::currentTime(), QLocale::ShortFormat);
        m_queryMessage = result.truncated
                ? tr("Showing the first %1 rows (ran at %2).").arg(result.rows.size()).arg(ranAt)
                : tr("%n row(s) (ran at %1).", nullptr, int(result.rows.size())).arg(ranAt);
        m_ui->dataMessageLabel->setText(m_queryMessage);
    });
    connect(browser, &DataBrowser::failed, this, [this](const QString &message, const QString &hint) {
        m_ui->dataMessageLabel->setText(message + QLatin1Char('\n') + hint);
    });
}

void DataPanel::setSource(const QString &schema, const QList<StarterQueries::Query> &queries)
{
    const auto sameQueries = [&] {
        if (queries.size() != m_queries.size())
            return false;
        for (qsizetype i = 0; i < queries.size(); ++i) {
            if (queries.at(i).title != m_queries.at(i).title || queries.at(i).sql != m_queries.at(i).sql)
                return false;
        }
        return true;
    };
    if (schema == m_schema && sameQueries()) {
        refresh(); // the same source: what is shown stays
        return;
    }
    m_schema = schema;
    m_queries = queries;
    m_ui->queryCombo->clear();
    for (const auto &q : queries)
        m_ui->queryCombo->addItem(q.title);
    m_ui->runQueryButton->setEnabled(!queries.isEmpty());
    m_tableInfos.clear();
    m_tables->removeRows(0, m_tables->rowCount());
    m_rows->setResult({});
    m_query->setResult({});
    m_queryMessage.clear();
    m_ui->queryResultView->hide(); // until a query runs for this source
    refresh();
}

void DataPanel::refresh()
{
    if (m_browser && !m_schema.isEmpty())
        m_browser->listTables(m_schema);
}

void DataPanel::showTable(int row)
{
    if (row < 0 || row >= m_tableInfos.size())
        return;
    QStringList columns;
    for (const auto &c : m_tableInfos.at(row).schema.columns())
        columns.append(QStringLiteral("%1 (%2)").arg(c.name, columnTypeName(c.type)));
    m_ui->columnsLabel->setText(tr("Columns: %1").arg(columns.join(QStringLiteral(", "))));
    loadPage(std::exchange(m_restoreOffset, 0));
}

void DataPanel::loadPage(int offset)
{
    const int row = m_ui->tablesView->currentIndex().row();
    if (!m_browser || row < 0 || row >= m_tableInfos.size())
        return;
    m_browser->preview(m_schema, m_tableInfos.at(row).collection, offset, kPageSize);
}

void DataPanel::runSelectedQuery()
{
    const int index = m_ui->queryCombo->currentIndex();
    if (!m_browser || index < 0 || index >= m_queries.size())
        return;
    m_ui->dataMessageLabel->setText(tr("Running…"));
    m_browser->runQuery(m_queries.at(index).sql, 1000);
}

} // namespace tributary
