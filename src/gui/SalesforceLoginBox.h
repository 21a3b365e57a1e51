#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

namespace tributary {

// Where a Salesforce source signs in: Production, Sandbox or a My Domain, as the wizard and
// Settings > Credentials offer it. The value is kept as the login address the connector's
// login_url setting takes: https://login.salesforce.com, https://test.salesforce.com or the
// My Domain's address (https://acme.my.salesforce.com).
class SalesforceLoginBox final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SalesforceLoginBox)

public:
    explicit SalesforceLoginBox(QWidget *parent = nullptr);
    ~SalesforceLoginBox() override;

    QComboBox *combo() const { return m_combo; }
    QLineEdit *domainEdit() const { return m_domainEdit; }
    bool isMyDomain() const;
    // The login address; for My Domain the text as typed when it names no My Domain (the caller's
    // check then says so), empty when nothing is typed.
    QString value() const;
    // Shows a stored login_url (empty or "production": Production; "sandbox": Sandbox).
    void setValue(const QString &loginUrl);
    // The source's API address (a base URL override), where sign-ins then go whatever the choice:
    // said under it. Empty: none, the choice decides.
    void setApiAddress(const QString &address);

Q_SIGNALS:
    void edited(); // the user chose another place or typed in the My Domain field

private:
    QComboBox *m_combo = nullptr;
    QLineEdit *m_domainEdit = nullptr;
    QLabel *m_addressLabel = nullptr;
};

} // namespace tributary
