#include "WarehouseDialog.h"
#include "ui_WarehouseDialog.h"

#include "app/SourceService.h"
#include "gui/WarehouseCheck.h"

#include <QPushButton>

namespace tributary {

WarehouseDialog::WarehouseDialog(SourceService &service, bool runGoing, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::WarehouseDialog>()), m_service(service), m_runGoing(runGoing)
{
    m_ui->setupUi(this);
    const QString current = m_service.config().warehouseUrl();
    const bool postgres = current.startsWith(QLatin1String("postgres"));
    m_ui->embeddedRadio->setText(
            tr("&Embedded SQLite file (%1)").arg(m_service.paths().defaultWarehouseUrl().mid(int(qstrlen("sqlite:")))));
    m_ui->introLabel->setText(tr("Every source loads into one warehouse. Now: %1.").arg(current));
    m_ui->postgresRadio->setChecked(postgres);
    m_ui->embeddedRadio->setChecked(!postgres);
    if (postgres)
        m_ui->postgresUrlEdit->setText(current);
    if (!m_service.config().warehousePassword().isEmpty())
        m_ui->postgresPasswordEdit->setPlaceholderText(tr("stored; type to replace"));
    m_ui->postgresForm->setEnabled(postgres);
    connect(m_ui->postgresRadio, &QRadioButton::toggled, m_ui->postgresForm, &QWidget::setEnabled);
    connect(m_ui->testButton, &QPushButton::clicked, this, &WarehouseDialog::testConnection);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &WarehouseDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (m_runGoing) {
        m_ui->buttonBox->button(QDialogButtonBox::Save)->setEnabled(false);
        m_ui->messageLabel->setText(tr("A sync is running: change the warehouse once it has ended."));
    }
}

WarehouseDialog::~WarehouseDialog() = default;

QString WarehouseDialog::chosenUrl() const
{
    return m_ui->postgresRadio->isChecked() ? m_ui->postgresUrlEdit->text().trimmed()
                                            : m_service.paths().defaultWarehouseUrl();
}

QString WarehouseDialog::enteredPassword() const
{
    const QString text = m_ui->postgresPasswordEdit->text();
    return text.startsWith(QLatin1String("env:")) ? qEnvironmentVariable(text.mid(4).toLocal8Bit().constData()) : text;
}

void WarehouseDialog::testConnection()
{
    const QString url = chosenUrl();
    QString password = enteredPassword();
    if (password.isEmpty() && url == m_service.config().warehouseUrl()) {
        if (auto stored = m_service.warehouseConnection())
            password = stored->second;
    }
    m_ui->testButton->setEnabled(false);
    m_ui->messageLabel->setText(tr("Connecting to %1…").arg(url));
    checkWarehouseInBackground(this, url, password, [this](const Result<QString> &result) {
        m_ui->testButton->setEnabled(true);
        m_ui->messageLabel->setText(warehouseCheckText(result));
    });
}

void WarehouseDialog::accept()
{
    if (m_runGoing)
        return;
    const QString url = chosenUrl();
    if (url == m_service.config().warehouseUrl() && m_ui->postgresPasswordEdit->text().isEmpty()) {
        QDialog::accept(); // nothing changed
        return;
    }
    // The password as typed (a literal goes to the keychain, env:VAR stays a reference); empty
    // keeps the stored one for the same server.
    QString password = m_ui->postgresPasswordEdit->text();
    if (password.isEmpty() && url == m_service.config().warehouseUrl())
        password = m_service.config().warehousePassword();
    if (!m_ui->postgresRadio->isChecked())
        password.clear();
    if (auto set = m_service.setWarehouse(url, password); !set) {
        m_ui->messageLabel->setText(set.error().message + QLatin1Char('\n') + set.error().hint);
        return;
    }
    QDialog::accept();
}

} // namespace tributary
