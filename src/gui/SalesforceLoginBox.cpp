#include "SalesforceLoginBox.h"

#include "net/OAuthProvider.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QUrl>
#include <QVBoxLayout>

namespace tributary {

namespace {

const QString kProduction = QStringLiteral("production");
const QString kSandbox = QStringLiteral("sandbox");

QString loginUrl(OAuthProvider::SalesforceLogin login)
{
    return OAuthProvider::salesforceLoginUrl(login)->toString();
}

} // namespace

SalesforceLoginBox::SalesforceLoginBox(QWidget *parent) : QWidget(parent)
{
    m_combo = new QComboBox(this);
    m_combo->setAccessibleName(tr("Where to sign in"));
    m_combo->addItem(tr("Production (login.salesforce.com)"), kProduction);
    m_combo->addItem(tr("Sandbox (test.salesforce.com)"), kSandbox);
    m_combo->addItem(tr("My Domain"), QString());
    m_domainEdit = new QLineEdit(this);
    m_domainEdit->setAccessibleName(tr("My Domain"));
    m_domainEdit->setPlaceholderText(tr("acme or https://acme.my.salesforce.com"));
    m_domainEdit->setEnabled(false);
    m_addressLabel = new QLabel(this);
    m_addressLabel->setObjectName(QStringLiteral("signInAddressLabel"));
    m_addressLabel->setWordWrap(true);
    m_addressLabel->setTextFormat(Qt::PlainText);
    m_addressLabel->hide();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout;
    row->addWidget(m_combo);
    row->addWidget(m_domainEdit, 1);
    layout->addLayout(row);
    layout->addWidget(m_addressLabel);
    setFocusProxy(m_combo);
    connect(m_combo, &QComboBox::currentIndexChanged, this, [this] { m_domainEdit->setEnabled(isMyDomain()); });
    connect(m_combo, &QComboBox::activated, this, &SalesforceLoginBox::edited);
    connect(m_domainEdit, &QLineEdit::textEdited, this, &SalesforceLoginBox::edited);
}

SalesforceLoginBox::~SalesforceLoginBox() = default;

bool SalesforceLoginBox::isMyDomain() const
{
    return m_combo->currentData().toString().isEmpty();
}

QString SalesforceLoginBox::value() const
{
    const QString choice = m_combo->currentData().toString();
    if (choice == kProduction)
        return loginUrl(OAuthProvider::SalesforceLogin::Production);
    if (choice == kSandbox)
        return loginUrl(OAuthProvider::SalesforceLogin::Sandbox);
    const QString domain = m_domainEdit->text().trimmed();
    const auto url = OAuthProvider::salesforceLoginUrl(OAuthProvider::SalesforceLogin::MyDomain, domain);
    return url && !domain.isEmpty() ? url->toString() : domain;
}

void SalesforceLoginBox::setValue(const QString &loginUrl)
{
    const QString given = loginUrl.trimmed();
    const QString host = QUrl(given).host().toLower();
    int index = 2;
    if (given.isEmpty() || given == kProduction || host == QLatin1String("login.salesforce.com"))
        index = 0;
    else if (given == kSandbox || host == QLatin1String("test.salesforce.com"))
        index = 1;
    m_combo->setCurrentIndex(index);
    m_domainEdit->setText(index == 2 ? given : QString());
    m_domainEdit->setEnabled(index == 2);
}

void SalesforceLoginBox::setApiAddress(const QString &address)
{
    const QString given = address.trimmed();
    m_addressLabel->setVisible(!given.isEmpty());
    m_addressLabel->setText(given.isEmpty() ? QString()
                                            : tr("Sign in at %1: the API address set for this source takes the "
                                                 "place of this choice.")
                                                      .arg(given));
    m_combo->setToolTip(given.isEmpty()
                                ? QString()
                                : tr("Used when the source has no API address; now sign-ins go to %1.").arg(given));
}

} // namespace tributary
