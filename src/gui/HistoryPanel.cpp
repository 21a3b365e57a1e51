#include "HistoryPanel.h"
#include "ui_HistoryPanel.h"

#include "gui/RunHistoryModel.h"
#include "gui/RunProgressModel.h"

#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QHeaderView>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

namespace tributary {

HistoryPanel::HistoryPanel(QWidget *parent) : QWidget(parent), m_ui(std::make_unique<Ui::HistoryPanel>())
{
    m_ui->setupUi(this);
    m_runs = new RunHistoryModel(this);
    m_detail = new RunProgressModel(this);
    m_ui->runsView->setModel(m_runs);
    m_ui->runDetailView->setModel(m_detail);
    m_ui->runsView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->runDetailView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->runDetailView->horizontalHeader()->setStretchLastSection(true);
    m_chartView = new QChartView(new QChart, m_ui->chartContainer);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setAccessibleName(tr("Records and API calls per run"));
    m_ui->chartLayout->addWidget(m_chartView);
    connect(m_ui->runsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showRun(current.row()); });
}

HistoryPanel::~HistoryPanel() = default;

void HistoryPanel::setRuns(const QList<RunSummary> &oldestFirst)
{
    m_runs->setRuns(oldestFirst);
    updateChart(oldestFirst);
    if (m_runs->rowCount() > 0)
        m_ui->runsView->selectRow(0);
    else
        m_detail->reset({});
}

void HistoryPanel::showRun(int row)
{
    const RunSummary *run = m_runs->run(row);
    m_detail->reset(run ? *run : RunSummary {});
}

void HistoryPanel::updateChart(const QList<RunSummary> &oldestFirst)
{
    auto *chart = new QChart;
    chart->setTitle(tr("Records and API calls per run"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setBackgroundRoundness(0);
    // Follow the window's palette (light or dark).
    chart->setBackgroundBrush(palette().base());
    chart->setTitleBrush(palette().text());
    chart->legend()->setLabelColor(palette().text().color());
    auto *records = new QLineSeries;
    records->setName(tr("Records"));
    auto *calls = new QLineSeries;
    calls->setName(tr("API calls"));
    auto *recordDots = new QScatterSeries;
    recordDots->setMarkerSize(7);
    auto *callDots = new QScatterSeries;
    callDots->setMarkerSize(7);
    qint64 maxRecords = 1;
    qint64 maxCalls = 1;
    for (const RunSummary &r : oldestFirst) {
        const qreal x = qreal(r.startedAt.toMSecsSinceEpoch());
        records->append(x, r.records());
        recordDots->append(x, r.records());
        calls->append(x, r.apiCalls);
        callDots->append(x, r.apiCalls);
        maxRecords = qMax<qint64>(maxRecords, r.records());
        maxCalls = qMax<qint64>(maxCalls, r.apiCalls);
    }
    chart->addSeries(records);
    chart->addSeries(recordDots);
    chart->addSeries(calls);
    chart->addSeries(callDots);
    recordDots->setColor(records->color());
    callDots->setColor(calls->color());
    auto *time = new QDateTimeAxis;
    time->setFormat(QStringLiteral("dd MMM HH:mm"));
    time->setLabelsBrush(palette().text());
    if (!oldestFirst.isEmpty()) {
        const QDateTime first = oldestFirst.first().startedAt.toLocalTime();
        const QDateTime last = oldestFirst.last().startedAt.toLocalTime();
        time->setRange(first.addSecs(-60), last.addSecs(60));
    }
    auto *recordAxis = new QValueAxis;
    recordAxis->setTitleText(tr("Records"));
    recordAxis->setRange(0, maxRecords * 1.1);
    recordAxis->setLabelFormat(QStringLiteral("%d"));
    recordAxis->setLabelsBrush(palette().text());
    recordAxis->setTitleBrush(palette().text());
    auto *callAxis = new QValueAxis;
    callAxis->setTitleText(tr("API calls"));
    callAxis->setRange(0, maxCalls * 1.1);
    callAxis->setLabelFormat(QStringLiteral("%d"));
    callAxis->setLabelsBrush(palette().text());
    callAxis->setTitleBrush(palette().text());
    chart->addAxis(time, Qt::AlignBottom);
    chart->addAxis(recordAxis, Qt::AlignLeft);
    chart->addAxis(callAxis, Qt::AlignRight);
    for (QAbstractSeries *s : {static_cast<QAbstractSeries *>(records), static_cast<QAbstractSeries *>(recordDots)}) {
        s->attachAxis(time);
        s->attachAxis(recordAxis);
    }
    for (QAbstractSeries *s : {static_cast<QAbstractSeries *>(calls), static_cast<QAbstractSeries *>(callDots)}) {
        s->attachAxis(time);
        s->attachAxis(callAxis);
    }
    const auto markers = chart->legend()->markers();
    for (QLegendMarker *marker : markers) {
        if (marker->series() == recordDots || marker->series() == callDots)
            marker->setVisible(false);
    }
    QChart *old = m_chartView->chart();
    m_chartView->setChart(chart);
    delete old;
}

} // namespace tributary
