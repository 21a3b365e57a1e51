#pragma once

#include "core/RunSummary.h"

#include <QDateTime>
#include <QWidget>

#include <memory>

namespace Ui {
class HistoryPanel;
}

class QChart;
class QChartView;
class QDateTimeAxis;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace tributary {

class RunHistoryModel;
class RunProgressModel;

// A source's runs: a chart of records and API calls per run over time, the list of runs, and the
// per-collection summary of the selected one.
class HistoryPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryPanel)

public:
    explicit HistoryPanel(QWidget *parent = nullptr);
    ~HistoryPanel() override;

    // The list at once; the chart when the panel is shown (at once when it is visible).
    void setRuns(const QList<RunSummary> &oldestFirst);
    RunHistoryModel *runsModel() const { return m_runs; }

    // From 0 to at least max in whole-number ticks (API calls: 0, 1; records: 0, 2000, 4000, 6000).
    static void setIntegerRange(QValueAxis *axis, qint64 max);

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildChart();
    void applyPalette();
    void updateChart();
    void showRun(int row);

    std::unique_ptr<Ui::HistoryPanel> m_ui;
    RunHistoryModel *m_runs = nullptr;
    RunProgressModel *m_detail = nullptr;
    QChartView *m_chartView = nullptr;
    QChart *m_chart = nullptr;
    QLineSeries *m_records = nullptr;
    QLineSeries *m_calls = nullptr;
    QScatterSeries *m_recordDots = nullptr;
    QScatterSeries *m_callDots = nullptr;
    QDateTimeAxis *m_timeAxis = nullptr;
    QValueAxis *m_recordAxis = nullptr;
    QValueAxis *m_callAxis = nullptr;
    QPair<QDateTime, QDateTime> m_emptyTimeRange; // the axis's own range, for a source without runs
    int m_emptyTimeTicks = 0;
    QList<RunSummary> m_chartRuns; // what the chart shows, or will show when the panel is next shown
    bool m_chartStale = false;
};

} // namespace tributary
