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
#include <QTimeZone>
#include <QValueAxis>

#include <algorithm>
#include <iterator>

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
    m_chartView = new QChartView(m_ui->chartContainer);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    buildChart();
    m_chartView->setAccessibleName(tr("Records and API calls per run"));
    m_ui->chartLayout->addWidget(m_chartView);
    connect(m_ui->runsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showRun(current.row()); });
}

HistoryPanel::~HistoryPanel() = default;

void HistoryPanel::setRuns(const QList<RunSummary> &oldestFirst)
{
    m_runs->setRuns(oldestFirst);
    if (m_runs->rowCount() > 0)
        m_ui->runsView->selectRow(0);
    else
        m_detail->reset({});
    // The chart follows when it can be seen: laying it out takes a while, and the window
    // refreshes this page at the end of every run, mostly with another tab in front.
    m_chartRuns = oldestFirst;
    m_chartStale = true;
    if (isVisible())
        updateChart();
}

void HistoryPanel::showEvent(QShowEvent *event)
{
    if (m_chartStale)
        updateChart();
    QWidget::showEvent(event);
}

void HistoryPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange && m_chart)
        applyPalette();
    QWidget::changeEvent(event);
}

void HistoryPanel::showRun(int row)
{
    const RunSummary *run = m_runs->run(row);
    m_detail->reset(run ? *run : RunSummary {});
}

void HistoryPanel::setIntegerRange(QValueAxis *axis, qint64 max)
{
    // Ticks 1, 2 or 5 times a power of ten apart, at most 5 of them: every label a distinct
    // whole number (0, 1 rather than 1, 0, 0, 0, 0).
    qint64 step = 1;
    for (qint64 power = 1;; power *= 10) {
        const qint64 candidates[] = {power, 2 * power, 5 * power};
        const auto fits = std::find_if(std::begin(candidates), std::end(candidates),
                                       [max](qint64 s) { return (max + s - 1) / s <= 4; });
        if (fits != std::end(candidates)) {
            step = *fits;
            break;
        }
    }
    const qint64 intervals = qMax<qint64>(1, (max + step - 1) / step);
    axis->setRange(0, qreal(step * intervals));
    axis->setTickCount(int(intervals) + 1);
    axis->setMinorTickCount(0);
    axis->setLabelFormat(QStringLiteral("%d"));
}

void HistoryPanel::buildChart()
{
    // One chart for the panel's life: a run only changes its points and ranges (building a chart
    // and handing it to the view costs several milliseconds).
    m_chart = new QChart;
    m_chart->setTitle(tr("Records and API calls per run"));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setBackgroundRoundness(0);
    m_records = new QLineSeries;
    m_records->setName(tr("Records"));
    m_calls = new QLineSeries;
    m_calls->setName(tr("API calls"));
    m_recordDots = new QScatterSeries;
    m_recordDots->setMarkerSize(7);
    m_callDots = new QScatterSeries;
    m_callDots->setMarkerSize(7);
    m_chart->addSeries(m_records);
    m_chart->addSeries(m_recordDots);
    m_chart->addSeries(m_calls);
    m_chart->addSeries(m_callDots);
    m_recordDots->setColor(m_records->color());
    m_callDots->setColor(m_calls->color());
    m_timeAxis = new QDateTimeAxis;
    m_timeAxis->setFormat(QStringLiteral("dd MMM HH:mm"));
    m_emptyTimeRange = {m_timeAxis->min(), m_timeAxis->max()};
    m_emptyTimeTicks = m_timeAxis->tickCount();
    m_recordAxis = new QValueAxis;
    m_recordAxis->setTitleText(tr("Records"));
    setIntegerRange(m_recordAxis, 1);
    m_callAxis = new QValueAxis;
    m_callAxis->setTitleText(tr("API calls"));
    setIntegerRange(m_callAxis, 1);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_recordAxis, Qt::AlignLeft);
    m_chart->addAxis(m_callAxis, Qt::AlignRight);
    for (QAbstractSeries *s :
         {static_cast<QAbstractSeries *>(m_records), static_cast<QAbstractSeries *>(m_recordDots)}) {
        s->attachAxis(m_timeAxis);
        s->attachAxis(m_recordAxis);
    }
    for (QAbstractSeries *s : {static_cast<QAbstractSeries *>(m_calls), static_cast<QAbstractSeries *>(m_callDots)}) {
        s->attachAxis(m_timeAxis);
        s->attachAxis(m_callAxis);
    }
    const auto markers = m_chart->legend()->markers();
    for (QLegendMarker *marker : markers) {
        if (marker->series() == m_recordDots || marker->series() == m_callDots)
            marker->setVisible(false);
    }
    applyPalette();
    m_chartView->setChart(m_chart);
}

void HistoryPanel::applyPalette()
{
    // Follow the window's palette (light or dark).
    m_chart->setBackgroundBrush(palette().base());
    m_chart->setTitleBrush(palette().text());
    m_chart->legend()->setLabelColor(palette().text().color());
    m_timeAxis->setLabelsBrush(palette().text());
    for (QValueAxis *axis : {m_recordAxis, m_callAxis}) {
        axis->setLabelsBrush(palette().text());
        axis->setTitleBrush(palette().text());
    }
}

void HistoryPanel::updateChart()
{
    m_chartStale = false;
    QList<QPointF> records;
    QList<QPointF> calls;
    qint64 maxRecords = 1;
    qint64 maxCalls = 1;
    for (const RunSummary &r : std::as_const(m_chartRuns)) {
        const qreal x = qreal(r.startedAt.toMSecsSinceEpoch());
        records.append({x, qreal(r.records())});
        calls.append({x, qreal(r.apiCalls)});
        maxRecords = qMax<qint64>(maxRecords, r.records());
        maxCalls = qMax<qint64>(maxCalls, r.apiCalls);
    }
    m_records->replace(records);
    m_recordDots->replace(records);
    m_calls->replace(calls);
    m_callDots->replace(calls);
    if (m_chartRuns.isEmpty()) {
        m_timeAxis->setTickCount(m_emptyTimeTicks);
        m_timeAxis->setRange(m_emptyTimeRange.first, m_emptyTimeRange.second);
    } else {
        // Whole minutes, at least one between ticks: no label twice (07:01, 07:01).
        const auto minute = [](const QDateTime &t) {
            return QDateTime::fromSecsSinceEpoch(t.toSecsSinceEpoch() / 60 * 60, t.timeZone());
        };
        const QDateTime first = minute(m_chartRuns.first().startedAt.toLocalTime().addSecs(-60));
        const qint64 minutes = (first.secsTo(m_chartRuns.last().startedAt.toLocalTime()) + 60 + 59) / 60;
        const int intervals = int(qBound<qint64>(qint64(1), minutes, qint64(4)));
        const qint64 step = (minutes + intervals - 1) / intervals; // minutes between ticks
        m_timeAxis->setTickCount(intervals + 1);
        m_timeAxis->setRange(first, first.addSecs(step * intervals * 60));
    }
    setIntegerRange(m_recordAxis, maxRecords);
    setIntegerRange(m_callAxis, maxCalls);
}

} // namespace tributary
