#pragma once

#include "core/RunSummary.h"

#include <QMainWindow>

#include <memory>

namespace Ui {
class MainWindow;
}

namespace tributary {

class RunProgressModel;
class RunSession;
class SourceListModel;
class SourceService;

// The seed of the desktop app: the configured sources with their last run, and Sync now with
// live progress that never freezes the window (the run goes on a worker thread).
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(SourceService &service, QWidget *parent = nullptr);
    ~MainWindow() override;

    RunSession *session() const { return m_session; }

private:
    QString selectedSource() const;
    void updateActions();
    void syncNow();
    void onFinished(const RunSummary &summary);

    std::unique_ptr<Ui::MainWindow> m_ui;
    SourceService &m_service;
    SourceListModel *m_sources = nullptr;
    RunProgressModel *m_progress = nullptr;
    RunSession *m_session = nullptr;
};

} // namespace tributary
