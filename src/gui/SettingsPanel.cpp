#include "SettingsPanel.h"
#include "ui_SettingsPanel.h"

#include "core/ScheduleSpec.h"
#include "sync/ConnectorManifest.h"

namespace tributary {

SettingsPanel::SettingsPanel(QWidget *parent) : QWidget(parent), m_ui(std::make_unique<Ui::SettingsPanel>())
{
    m_ui->setupUi(this);
    connect(m_ui->saveCollectionsButton, &QPushButton::clicked, this,
            [this] { Q_EMIT collectionsChosen(checkedCollections()); });
    connect(m_ui->applyScheduleButton, &QPushButton::clicked, this,
            [this] { Q_EMIT scheduleChosen(m_ui->scheduleEdit->text(), m_ui->keepSyncingCheck->isChecked()); });
    connect(m_ui->scheduleEdit, &QLineEdit::returnPressed, m_ui->applyScheduleButton, &QPushButton::click);
    connect(m_ui->resyncButton, &QPushButton::clicked, this, [this] {
        if (!selectedCollection().isEmpty())
            Q_EMIT resyncRequested(selectedCollection());
    });
    connect(m_ui->resyncFromDateButton, &QPushButton::clicked, this, [this] {
        if (!selectedCollection().isEmpty())
            Q_EMIT resyncFromDateRequested(selectedCollection());
    });
    connect(m_ui->removeSourceButton, &QPushButton::clicked, this, &SettingsPanel::removeRequested);
    connect(m_ui->collectionsList, &QListWidget::currentRowChanged, this, [this](int row) {
        m_ui->resyncButton->setEnabled(row >= 0);
        m_ui->resyncFromDateButton->setEnabled(row >= 0);
    });
    m_ui->resyncButton->setEnabled(false);
    m_ui->resyncFromDateButton->setEnabled(false);
}

SettingsPanel::~SettingsPanel() = default;

void SettingsPanel::setSource(const SourceConfig &source, const ConnectorManifest *manifest)
{
    m_ui->collectionsList->clear();
    const QStringList names = manifest ? manifest->collectionNames() : source.collections;
    for (const QString &name : names) {
        auto *item = new QListWidgetItem(name, m_ui->collectionsList);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(source.collections.contains(name) ? Qt::Checked : Qt::Unchecked);
        if (manifest && manifest->collection(name)) {
            const auto *c = manifest->collection(name);
            item->setToolTip(c->description + QStringLiteral(" (")
                             + (c->kind == CollectionKind::Event ? tr("event") : tr("object")) + QLatin1Char(')'));
        }
    }
    const ScheduleSpec schedule = ScheduleSpec::fromJson(source.schedule);
    m_ui->scheduleEdit->setText(schedule.toString());
    m_ui->keepSyncingCheck->setChecked(schedule.keepSyncingWhenClosed);
    m_ui->settingsMessageLabel->clear();
}

void SettingsPanel::setBusy(bool busy)
{
    m_ui->scheduleGroup->setEnabled(!busy);
}

void SettingsPanel::showMessage(const QString &text)
{
    m_ui->settingsMessageLabel->setText(text);
}

QStringList SettingsPanel::checkedCollections() const
{
    QStringList checked;
    for (int i = 0; i < m_ui->collectionsList->count(); ++i) {
        if (m_ui->collectionsList->item(i)->checkState() == Qt::Checked)
            checked.append(m_ui->collectionsList->item(i)->text());
    }
    return checked;
}

QString SettingsPanel::selectedCollection() const
{
    const QListWidgetItem *item = m_ui->collectionsList->currentItem();
    return item ? item->text() : QString();
}

} // namespace tributary
