#include "SignInHelpDialog.h"
#include "ui_SignInHelpDialog.h"

#include "gui/SignInBox.h"
#include "sync/ConnectorRegistry.h"

#include <QPushButton>

namespace tributary {

QString SignInHelpDialog::helpText(const QString &provider)
{
    const QString callback = SignInBox::redirectUri().toString();
    // The fields as the connector's form names them (Salesforce: Consumer key and secret).
    const ConnectorManifest *manifest = ConnectorRegistry::instance().find(provider);
    const auto label = [manifest](const QString &key, const QString &fallback) {
        const ConnectorManifest::Setting *setting = manifest ? manifest->setting(key) : nullptr;
        return setting ? setting->label : fallback;
    };
    const QString clientId = label(QStringLiteral("client_id"), tr("OAuth client id"));
    const QString clientSecret = label(QStringLiteral("client_secret"), tr("OAuth client secret"));
    if (provider == QLatin1String("salesforce"))
        return tr("<ol>"
                  "<li>In Salesforce, open <b>Setup &gt; App Manager &gt; New Connected App</b>.</li>"
                  "<li>Give it a name (Tributary) and a contact email, and tick <b>Enable OAuth Settings</b>.</li>"
                  "<li>Callback URL: <b>%1</b></li>"
                  "<li>Selected OAuth scopes: <b>Manage user data via APIs (api)</b> and <b>Perform requests at any "
                  "time (refresh_token, offline_access)</b>.</li>"
                  "<li>Tick <b>Require Proof Key for Code Exchange (PKCE)</b>, then Save. A new app may take a few "
                  "minutes to work.</li>"
                  "<li>Under <b>Manage Consumer Details</b>, copy the <b>Consumer Key</b> into <i>%2</i> (and "
                  "the <b>Consumer Secret</b> into <i>%3</i>).</li>"
                  "</ol>"
                  "<p>Sign in to a sandbox with <i>Sandbox</i>, or to your org's own address with <i>My "
                  "Domain</i>.</p>")
                .arg(callback, clientId, clientSecret);
    if (provider == QLatin1String("zendesk"))
        return tr("<ol>"
                  "<li>In Zendesk, open <b>Admin Center &gt; Apps and integrations &gt; APIs &gt; Zendesk API &gt; "
                  "OAuth Clients &gt; Add OAuth client</b>.</li>"
                  "<li>Give it a name (Tributary) and the redirect URL <b>%1</b></li>"
                  "<li>Save, then copy the <b>Unique identifier</b> into <i>%2</i> and the <b>Secret</b> "
                  "(shown once) into <i>%3</i>.</li>"
                  "</ol>"
                  "<p>Sign in as an admin: incremental exports need one.</p>")
                .arg(callback, clientId, clientSecret);
    return {};
}

SignInHelpDialog::SignInHelpDialog(const QString &provider, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::SignInHelpDialog>())
{
    m_ui->setupUi(this);
    m_ui->salesforceHelpLabel->setText(helpText(QStringLiteral("salesforce")));
    m_ui->zendeskHelpLabel->setText(helpText(QStringLiteral("zendesk")));
    if (provider == QLatin1String("zendesk"))
        m_ui->providerTabs->setCurrentWidget(m_ui->zendeskTab);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

SignInHelpDialog::~SignInHelpDialog() = default;

QString SignInHelpDialog::currentProvider() const
{
    return m_ui->providerTabs->currentWidget() == m_ui->zendeskTab ? QStringLiteral("zendesk")
                                                                   : QStringLiteral("salesforce");
}

} // namespace tributary
