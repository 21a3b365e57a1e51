#include "MainWindow.h"
#include "ui_MainWindow.h"

#include "app/RunSession.h"
#include "app/SourceService.h"
#include "gui/RunProgressModel.h"
#include "gui/SourceListModel.h"

#include <QHeaderView>
#include <QItemSelectionModel>

namespace tributary {

MainWindow::MainWindow(SourceService &service, QWidget *parent)
    : QMainWindow(parent), m_ui(std::make_unique<Ui::MainWindow>()), m_service(service)
{
    m_ui->setupUi(this);
    m_sources = new SourceListModel(m_service, this);
    m_progress = new RunProgressModel(this);
    m_session = new RunSession(m_service, this);
    m_ui->sourcesView->setModel(m_sources);
    m_ui->progressView->setModel(m_progress);
    m_ui->sourcesView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->progressView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->progressView->horizontalHeader()->setStretchLastSection(true);
    m_ui->mainSplitter->setStretchFactor(1, 2);
    m_ui->mainSplitter->setSizes({420, 680});

    connect(m_ui->sourcesView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        const QString name = selectedSource();
        m_ui->sourceTitleLabel->setText(name.isEmpty() ? tr("No source selected") : name);
        updateActions();
    });
    connect(m_ui->syncNowButton, &QPushButton::clicked, this, &MainWindow::syncNow);
    connect(m_ui->stopButton, &QPushButton::clicked, m_session, &RunSession::cancel);
    connect(m_session, &RunSession::runStarted, m_progress, &RunProgressModel::reset);
    connect(m_session, &RunSession::collectionUpdated, this, [this](const CollectionSummary &c, int apiCalls) {
        m_progress->update(c);
        statusBar()->showMessage(
                tr("Syncing %1: %2 (%3 API calls so far)").arg(m_session->source(), c.name).arg(apiCalls));
    });
    connect(m_session, &RunSession::waiting, this, [this](const QString &collection, qint64, const QString &reason) {
        m_progress->setWaiting(collection, reason);
    });
    connect(m_session, &RunSession::finished, this, &MainWindow::onFinished);

    if (m_sources->rowCount() > 0)
        m_ui->sourcesView->selectRow(0);
    else
        statusBar()->showMessage(tr("No sources yet: add one with `tributary source add`."));
    updateActions();
}

MainWindow::~MainWindow() = default;

QString MainWindow::selectedSource() const
{
    return m_sources->sourceName(m_ui->sourcesView->currentIndex().row());
}

void MainWindow::updateActions()
{
    const bool running = m_session->isRunning();
    m_ui->syncNowButton->setEnabled(!running && !selectedSource().isEmpty());
    m_ui->stopButton->setEnabled(running);
}

void MainWindow::syncNow()
{
    const QString name = selectedSource();
    if (name.isEmpty())
        return;
    m_ui->runSummaryLabel->clear();
    if (auto started = m_session->start(name, {}); !started) {
        m_ui->runSummaryLabel->setText(started.error().message + QLatin1Char('\n') + started.error().hint);
        return;
    }
    statusBar()->showMessage(tr("Syncing %1...").arg(name));
    updateActions();
}

void MainWindow::onFinished(const RunSummary &summary)
{
    for (const auto &c : summary.collections)
        m_progress->update(c);
    QString text = tr("Run %1: %2 records, %3 API calls in %4 s.")
                           .arg(RunSummary::statusName(summary.status))
                           .arg(summary.records())
                           .arg(summary.apiCalls)
                           .arg(summary.startedAt.secsTo(summary.finishedAt));
    if (summary.error)
        text += QLatin1Char('\n') + summary.error->message + QLatin1Char('\n') + summary.error->hint;
    m_ui->runSummaryLabel->setText(text);
    statusBar()->showMessage(tr("%1: %2").arg(summary.source, RunSummary::statusName(summary.status)));
    const QString selected = selectedSource();
    m_sources->refresh();
    for (int row = 0; row < m_sources->rowCount(); ++row) {
        if (m_sources->sourceName(row) == selected)
            m_ui->sourcesView->selectRow(row);
    }
    updateActions();
}

} // namespace tributary
