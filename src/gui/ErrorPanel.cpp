#include "ErrorPanel.h"
#include "ui_ErrorPanel.h"

#include "gui/RunHistoryModel.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QFile>
#include <QGuiApplication>
#include <QHeaderView>
#include <QStandardItemModel>
#include <QUrl>

namespace tributary {

ErrorPanel::ErrorPanel(QWidget *parent) : QWidget(parent), m_ui(std::make_unique<Ui::ErrorPanel>())
{
    m_ui->setupUi(this);
    m_model = new QStandardItemModel(0, 3, this);
    m_model->setHorizontalHeaderLabels({tr("Collection"), tr("What happened"), tr("When")});
    m_ui->errorsView->setModel(m_model);
    m_ui->errorsView->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    connect(m_ui->errorsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ErrorPanel::showSelected);
    connect(m_ui->retryButton, &QPushButton::clicked, this, [this] {
        if (const CollectionSummary *c = selected())
            Q_EMIT retryRequested(c->name);
    });
    connect(m_ui->reconnectButton, &QPushButton::clicked, this, &ErrorPanel::reconnectRequested);
    connect(m_ui->copyButton, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(detailsText()); });
    connect(m_ui->openLogButton, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(m_logPath)); });
    setRun({}, {});
}

ErrorPanel::~ErrorPanel() = default;

void ErrorPanel::setRun(const RunSummary &run, const QString &logPath)
{
    m_run = run;
    m_logPath = logPath;
    m_failed.clear();
    m_model->removeRows(0, m_model->rowCount());
    for (const CollectionSummary &c : run.collections) {
        if (!c.error || c.status == CollectionSummary::Status::Succeeded)
            continue;
        // A collection skipped because the run stopped is explained by the one that stopped it.
        if (c.status == CollectionSummary::Status::Skipped && run.status == RunSummary::Status::Aborted)
            continue;
        m_failed.append(c);
        // A refused sign-in or key is the source's, whichever collection met it first.
        const bool auth = c.error->kind == Error::Kind::Auth;
        auto *name = new QStandardItem(QIcon(statusIconPath(c.status)), auth ? tr("sign-in / key") : c.name);
        name->setToolTip(auth ? tr("Refused while reading %1; every collection needs it.").arg(c.name) : c.name);
        auto *what = new QStandardItem(c.error->message);
        what->setToolTip(c.error->message + QLatin1Char('\n') + c.error->hint);
        auto *when = new QStandardItem(QLocale().toString(run.finishedAt.toLocalTime(), QLocale::ShortFormat));
        m_model->appendRow({name, what, when});
    }
    const bool any = !m_failed.isEmpty();
    m_ui->emptyLabel->setVisible(!any);
    m_ui->errorsView->setVisible(any);
    m_ui->detailsLabel->clear();
    m_ui->openLogButton->setEnabled(!logPath.isEmpty() && QFile::exists(logPath));
    if (any)
        m_ui->errorsView->selectRow(0);
    showSelected();
}

int ErrorPanel::errorCount() const
{
    return int(m_failed.size());
}

const CollectionSummary *ErrorPanel::selected() const
{
    const int row = m_ui->errorsView->currentIndex().row();
    return row >= 0 && row < m_failed.size() ? &m_failed.at(row) : nullptr;
}

void ErrorPanel::showSelected()
{
    const CollectionSummary *c = selected();
    m_ui->retryButton->setEnabled(c != nullptr);
    m_ui->copyButton->setEnabled(c != nullptr);
    // Access denied: retrying one collection would meet the same refusal; reconnecting helps.
    const bool accessDenied = c && c->error && c->error->kind == Error::Kind::Auth;
    m_ui->reconnectButton->setVisible(accessDenied);
    m_ui->retryButton->setVisible(!accessDenied);
    if (!c) {
        m_ui->detailsLabel->clear();
        return;
    }
    const QString whose = accessDenied ? tr("This is about the source's sign-in or key, not the %1 collection: "
                                            "every collection stops at it until the source is reconnected.")
                                                 .arg(c->name)
                    + QStringLiteral("\n\n")
                                       : QString();
    m_ui->detailsLabel->setText(c->error->message + QStringLiteral("\n\n") + whose + tr("What to do: ")
                                + c->error->hint);
}

QString ErrorPanel::detailsText() const
{
    const CollectionSummary *c = selected();
    if (!c || !c->error)
        return {};
    QStringList lines;
    lines << tr("Source: %1").arg(m_run.source) << tr("Run: %1").arg(m_run.runId) << tr("Collection: %1").arg(c->name)
          << tr("Status: %1 (%2)").arg(CollectionSummary::statusName(c->status), c->error->kindName())
          << tr("HTTP status: %1").arg(c->error->httpStatus ? QString::number(c->error->httpStatus) : tr("none"))
          << tr("Request id: %1").arg(c->error->requestId.isEmpty() ? tr("none") : c->error->requestId)
          << tr("Message: %1").arg(c->error->message) << tr("Hint: %1").arg(c->error->hint);
    // The log holds no secret (RunLog is written with redacted text only); its lines about this
    // collection close the report.
    QFile log(m_logPath);
    if (log.open(QIODevice::ReadOnly)) {
        QStringList excerpt;
        const QString tag = QLatin1Char('[') + c->name + QLatin1Char(']');
        for (const QByteArray &line : log.readAll().split('\n')) {
            const QString text = QString::fromUtf8(line);
            if (text.contains(tag))
                excerpt.append(text);
        }
        lines << tr("Log excerpt:") << excerpt.mid(qMax<qsizetype>(0, excerpt.size() - 15));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace tributary
