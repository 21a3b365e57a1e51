#include "CatalogDialog.h"
#include "ui_CatalogDialog.h"

#include "sync/ConnectorRegistry.h"

#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>

namespace tributary {

namespace {
constexpr int kSlugRole = Qt::UserRole + 1;
constexpr int kSearchRole = Qt::UserRole + 2;
} // namespace

CatalogDialog::CatalogDialog(QWidget *parent) : QDialog(parent), m_ui(std::make_unique<Ui::CatalogDialog>())
{
    m_ui->setupUi(this);
    m_model = new QStandardItemModel(this);
    for (const ConnectorManifest &c : ConnectorRegistry::instance().connectors()) {
        auto *item = new QStandardItem(
                QIcon(QStringLiteral(":/connectors/%1/%2").arg(c.slug, c.icon)),
                tr("%1\n%2 · %n collection(s)", nullptr, int(c.collections.size())).arg(c.name, c.authSummary()));
        item->setData(c.slug, kSlugRole);
        item->setData(QStringList {c.name, c.slug, c.description, c.collectionNames().join(QLatin1Char(' '))}.join(
                              QLatin1Char(' ')),
                      kSearchRole);
        item->setToolTip(c.description);
        item->setEditable(false);
        m_model->appendRow(item);
    }
    m_filter = new QSortFilterProxyModel(this);
    m_filter->setSourceModel(m_model);
    m_filter->setFilterRole(kSearchRole);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_ui->connectorsView->setModel(m_filter);
    m_configure = m_ui->buttonBox->addButton(tr("&Configure…"), QDialogButtonBox::AcceptRole);
    m_configure->setObjectName(QStringLiteral("configureButton"));
    connect(m_ui->searchEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setFilterFixedString(text);
        if (m_filter->rowCount() > 0)
            m_ui->connectorsView->setCurrentIndex(m_filter->index(0, 0));
        showCurrent();
    });
    connect(m_ui->connectorsView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &CatalogDialog::showCurrent);
    connect(m_ui->connectorsView, &QListView::activated, this, [this] { m_configure->click(); });
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, [this] {
        m_chosen = currentSlug();
        if (!m_chosen.isEmpty())
            accept();
    });
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // The Sample Store first: it is what a new user should try.
    m_filter->setSortRole(Qt::UserRole + 3);
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QString slug = m_model->item(row)->data(kSlugRole).toString();
        m_model->item(row)->setData(slug == QLatin1String("sample") ? QStringLiteral("0") : QStringLiteral("1") + slug,
                                    Qt::UserRole + 3);
    }
    m_filter->sort(0);
    if (m_filter->rowCount() > 0)
        m_ui->connectorsView->setCurrentIndex(m_filter->index(0, 0));
    showCurrent();
}

CatalogDialog::~CatalogDialog() = default;

QString CatalogDialog::currentSlug() const
{
    return m_ui->connectorsView->currentIndex().data(kSlugRole).toString();
}

void CatalogDialog::showCurrent()
{
    const ConnectorManifest *c = ConnectorRegistry::instance().find(currentSlug());
    m_configure->setEnabled(c != nullptr);
    if (!c) {
        m_ui->detailsLabel->setText(tr("No source matches your search."));
        return;
    }
    QStringList needs;
    for (const auto &s : c->settings) {
        if (s.required)
            needs.append(s.label);
    }
    m_ui->detailsLabel->setText(tr("%1: %2\nNeeds: %3.\nCollections: %4.")
                                        .arg(c->name, c->description,
                                             needs.isEmpty() ? tr("nothing") : needs.join(QStringLiteral(", ")),
                                             c->collectionNames().join(QStringLiteral(", "))));
}

} // namespace tributary
