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
        // Whole minutes, at least one between ticks: no label twice (07:01, 07:01).
        const auto minute = [](const QDateTime &t) {
            return QDateTime::fromSecsSinceEpoch(t.toSecsSinceEpoch() / 60 * 60, t.timeZone());
        };
        const QDateTime first = minute(oldestFirst.first().startedAt.toLocalTime().addSecs(-60));
        const qint64 minutes = (first.secsTo(oldestFirst.last().startedAt.toLocalTime()) + 60 + 59) / 60;
        const int intervals = int(qBound<qint64>(qint64(1), minutes, qint64(4)));
        const qint64 step = (minutes + intervals - 1) / intervals; // minutes between ticks
        time->setTickCount(intervals + 1);
        time->setRange(first, first.addSecs(step * intervals * 60));
    }
    auto *recordAxis = new QValueAxis;
    recordAxis->setTitleText(tr("Records"));
    setIntegerRange(recordAxis, maxRecords);
    recordAxis->setLabelsBrush(palette().text());
    recordAxis->setTitleBrush(palette().text());
    auto *callAxis = new QValueAxis;
    callAxis->setTitleText(tr("API calls"));
    setIntegerRange(callAxis, maxCalls);
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
