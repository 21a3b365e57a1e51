#pragma once

#include "core/RunSummary.h"

#include <QWidget>

#include <memory>

namespace Ui {
class HistoryPanel;
}

class QChart;
class QChartView;
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

    void setRuns(const QList<RunSummary> &oldestFirst);
    RunHistoryModel *runsModel() const { return m_runs; }

    // From 0 to at least max in whole-number ticks (API calls: 0, 1; records: 0, 2000, 4000, 6000).
    static void setIntegerRange(QValueAxis *axis, qint64 max);

private:
    void updateChart(const QList<RunSummary> &oldestFirst);
    void showRun(int row);

    std::unique_ptr<Ui::HistoryPanel> m_ui;
    RunHistoryModel *m_runs = nullptr;
    RunProgressModel *m_detail = nullptr;
    QChartView *m_chartView = nullptr;
};

} // namespace tributary
