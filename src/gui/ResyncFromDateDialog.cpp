#include "ResyncFromDateDialog.h"
#include "ui_ResyncFromDateDialog.h"

namespace tributary {

ResyncFromDateDialog::ResyncFromDateDialog(const QString &source, const QString &collection, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::ResyncFromDateDialog>()), m_source(source), m_collection(collection)
{
    m_ui->setupUi(this);
    setWindowTitle(tr("Re-sync %1 from a date").arg(collection));
    m_ui->fromDateEdit->setMaximumDate(QDate::currentDate());
    m_ui->fromDateEdit->setDate(QDate::currentDate().addMonths(-1));
    connect(m_ui->fromDateEdit, &QDateEdit::dateChanged, this, &ResyncFromDateDialog::explain);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    explain();
}

ResyncFromDateDialog::~ResyncFromDateDialog() = default;

QDate ResyncFromDateDialog::date() const
{
    return m_ui->fromDateEdit->date();
}

void ResyncFromDateDialog::setDate(const QDate &date)
{
    m_ui->fromDateEdit->setDate(date);
}

void ResyncFromDateDialog::explain()
{
    m_ui->explanationLabel->setText(
            tr("On its next sync, %1 reads again every %2 record created since %3 (one API call per page); rows "
               "already in the warehouse are updated, not duplicated. Later syncs go on reading only what changed.")
                    .arg(m_source, m_collection, QLocale().toString(date(), QLocale::LongFormat)));
}

} // namespace tributary
