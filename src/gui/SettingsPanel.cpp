#include "SettingsPanel.h"
#include "ui_SettingsPanel.h"

#include "core/ScheduleSpec.h"
#include "gui/SalesforceLoginBox.h"
#include "gui/SetupWizard.h"
#include "gui/SignInBox.h"
#include "sync/ConnectorManifest.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace tributary {

SettingsPanel::SettingsPanel(QWidget *parent) : QWidget(parent), m_ui(std::make_unique<Ui::SettingsPanel>())
{
    m_ui->setupUi(this);
    connect(m_ui->saveCollectionsButton, &QPushButton::clicked, this,
            [this] { Q_EMIT collectionsChosen(checkedCollections()); });
    connect(m_ui->findCustomObjectsButton, &QPushButton::clicked, this, &SettingsPanel::findCustomObjectsRequested);
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
    connect(m_ui->warehouseButton, &QPushButton::clicked, this, &SettingsPanel::warehouseRequested);
    // Greyed until a collection is picked, saying so.
    const QString resyncTip = m_ui->resyncButton->toolTip();
    const QString resyncFromDateTip = m_ui->resyncFromDateButton->toolTip();
    const auto enableResync = [this, resyncTip, resyncFromDateTip](int row) {
        const QString pick = tr("Pick a collection in the list first");
        m_ui->resyncButton->setEnabled(row >= 0);
        m_ui->resyncButton->setToolTip(row >= 0 ? resyncTip : pick);
        m_ui->resyncFromDateButton->setEnabled(row >= 0);
        m_ui->resyncFromDateButton->setToolTip(row >= 0 ? resyncFromDateTip : pick);
    };
    connect(m_ui->collectionsList, &QListWidget::currentRowChanged, this, enableResync);
    enableResync(-1);
    connect(m_ui->saveCredentialsButton, &QPushButton::clicked, this, [this] {
        if (m_loginBox && m_loginBox->isMyDomain() && m_loginBox->value().isEmpty()) {
            showCredentialsMessage(tr("Enter your My Domain (acme or https://acme.my.salesforce.com), or choose "
                                      "Production or Sandbox."));
            m_loginBox->domainEdit()->setFocus();
            return;
        }
        const auto changes = credentialChanges();
        if (changes.isEmpty()) {
            showCredentialsMessage(tr("Nothing to save: type a new value first."));
            return;
        }
        Q_EMIT credentialsSaveRequested(changes);
    });
    connect(m_ui->testCredentialsButton, &QPushButton::clicked, this,
            [this] { Q_EMIT credentialsTestRequested(credentialChanges()); });
    // One message at a time under Credentials: a new sign-in replaces what the last action said.
    connect(m_ui->signInBox, &SignInBox::attemptStarted, m_ui->credentialsStatusLabel, &QLabel::clear);
    connect(m_ui->signInBox, &SignInBox::signedIn, this,
            [this](const OAuthTokens &tokens) { Q_EMIT signedIn(tokens, credentialChanges()); });
}

SettingsPanel::~SettingsPanel() = default;

void SettingsPanel::setSource(const SourceConfig &source, const ConnectorManifest *manifest)
{
    // The same source shown again (after a run): what the user was typing or had found stays.
    const bool sameSource = source.name == m_source;
    if (!sameSource)
        m_found.clear();
    m_manifest = manifest;
    m_ui->collectionsList->clear();
    QStringList names = manifest ? manifest->collectionNames() : source.collections;
    // Custom collections (Salesforce's custom objects) the source syncs or the user found.
    for (const QString &name : source.collections + m_found) {
        if (!names.contains(name))
            names.append(name);
    }
    for (const QString &name : std::as_const(names))
        addCollectionItem(name, source.collections.contains(name));
    const bool findsCustom = manifest && !manifest->customCollectionPattern.isEmpty();
    m_ui->findCustomObjectsButton->setVisible(findsCustom);
    if (findsCustom)
        m_ui->findCustomObjectsButton->setToolTip(
                tr("Ask %1 which custom objects it offers and add them to the list, unticked").arg(manifest->name));
    const ScheduleSpec schedule = ScheduleSpec::fromJson(source.schedule);
    m_ui->scheduleEdit->setText(schedule.toString());
    m_ui->keepSyncingCheck->setChecked(schedule.keepSyncingWhenClosed);
    m_ui->settingsMessageLabel->clear();
    buildCredentialsForm(source, manifest, sameSource);
}

void SettingsPanel::addCollectionItem(const QString &name, bool checked)
{
    auto *item = new QListWidgetItem(name, m_ui->collectionsList);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    if (const auto c = m_manifest ? m_manifest->findCollection(name) : std::nullopt) {
        item->setToolTip(c->description + QStringLiteral(" (")
                         + (c->kind == CollectionKind::Event ? tr("event") : tr("object")) + QLatin1Char(')'));
    }
}

QStringList SettingsPanel::addFoundCollections(const QStringList &custom)
{
    QStringList added;
    for (const QString &name : custom) {
        if (!m_ui->collectionsList->findItems(name, Qt::MatchExactly).isEmpty())
            continue;
        addCollectionItem(name, false);
        m_found.append(name);
        added.append(name);
    }
    if (!added.isEmpty())
        m_ui->collectionsList->scrollToItem(m_ui->collectionsList->item(m_ui->collectionsList->count() - 1));
    return added;
}

void SettingsPanel::setFindingCollections(bool finding)
{
    m_ui->findCustomObjectsButton->setEnabled(!finding);
}

void SettingsPanel::buildCredentialsForm(const SourceConfig &source, const ConnectorManifest *manifest, bool sameSource)
{
    if (!sameSource) {
        m_edited.clear();
        m_ui->signInBox->clear();
        m_ui->credentialsStatusLabel->clear();
    }
    m_source = source.name;
    while (m_ui->credentialsFormLayout->rowCount() > 0)
        m_ui->credentialsFormLayout->removeRow(0);
    m_credentialEdits.clear();
    m_loginBox = nullptr;
    const bool signsIn = manifest && !manifest->oauthProvider.isEmpty();
    QStringList authKeys;
    if (manifest) {
        for (const auto &mode : manifest->auth)
            authKeys.append(mode.requiredSettings);
    }
    const QList<ConnectorManifest::Setting> settings
            = manifest ? manifest->settings : QList<ConnectorManifest::Setting> {};
    for (const ConnectorManifest::Setting &s : settings) {
        const bool credential = s.secret || authKeys.contains(s.key) || s.key == QLatin1String("client_id")
                || s.key == QLatin1String("login_url");
        if (!credential || (signsIn && SetupWizard::isSignInSetting(s.key)))
            continue;
        const QString stored = source.settings.value(s.key);
        if (signsIn && s.key == QLatin1String("login_url")) {
            // Salesforce: the wizard's choice of Production, Sandbox or a My Domain.
            m_loginBox = new SalesforceLoginBox(m_ui->credentialsForm);
            m_loginBox->setObjectName(QStringLiteral("loginCredentialBox"));
            m_loginBox->combo()->setObjectName(QStringLiteral("loginCredentialCombo"));
            m_loginBox->domainEdit()->setObjectName(s.key + QStringLiteral("CredentialEdit"));
            m_loginBox->domainEdit()->setToolTip(s.help);
            m_loginBox->setValue(m_edited.contains(s.key) ? m_edited.value(s.key) : stored);
            m_loginBox->setApiAddress(source.baseUrl.toString());
            connect(m_loginBox, &SalesforceLoginBox::edited, this,
                    [this, key = s.key] { m_edited.insert(key, m_loginBox->value()); });
            m_ui->credentialsFormLayout->addRow(tr("Sign in to:"), m_loginBox);
            m_credentialEdits.append({s.key, m_loginBox->domainEdit()});
            continue;
        }
        auto *edit = new QLineEdit(m_ui->credentialsForm);
        edit->setObjectName(s.key + QStringLiteral("CredentialEdit"));
        edit->setAccessibleName(s.label);
        edit->setToolTip(s.help);
        if (s.secret)
            edit->setEchoMode(QLineEdit::PasswordEchoOnEdit);
        // Never a stored secret: where it comes from instead.
        if (stored.startsWith(QLatin1String("env:")))
            edit->setPlaceholderText(tr("from $%1").arg(stored.mid(4)));
        else if (stored.startsWith(QLatin1String("keychain:")))
            edit->setPlaceholderText(tr("stored in the keychain"));
        else if (stored.isEmpty())
            edit->setPlaceholderText(tr("not set"));
        else if (!s.secret)
            edit->setText(stored);
        if (m_edited.contains(s.key))
            edit->setText(m_edited.value(s.key));
        connect(edit, &QLineEdit::textEdited, this,
                [this, key = s.key](const QString &text) { m_edited.insert(key, text); });
        m_ui->credentialsFormLayout->addRow(s.label + QLatin1Char(':'), edit);
        m_credentialEdits.append({s.key, edit});
    }
    m_ui->signInBox->setVisible(signsIn);
    if (signsIn) {
        m_ui->signInBox->setOAuthProvider(manifest->oauthProvider);
        const bool signedIn = source.settings.contains(QStringLiteral("refresh_token"))
                || source.settings.contains(QStringLiteral("access_token"));
        m_ui->signInBox->setButtonText(signedIn ? tr("Sign in &again") : tr("Sign in with &browser"));
        if (!m_ui->signInBox->isSigningIn()
            && (!sameSource
                || (m_ui->signInBox->statusText().isEmpty() && m_ui->credentialsStatusLabel->text().isEmpty()))) {
            const QString host = QUrl(source.settings.value(QStringLiteral("instance_url"))).host();
            m_ui->signInBox->setStatusText(
                    !signedIn                ? tr("Not signed in with the browser.")
                            : host.isEmpty() ? tr("Signed in; the tokens are stored in the keychain.")
                                             : tr("Signed in to %1; the tokens are stored in the keychain.").arg(host));
        }
    }
    const bool any = !m_credentialEdits.isEmpty();
    m_ui->credentialsForm->setVisible(any);
    m_ui->credentialsIntroLabel->setVisible(any);
    m_ui->saveCredentialsButton->setVisible(any);
    m_ui->credentialsGroup->setVisible(any || signsIn);
}

QMap<QString, QString> SettingsPanel::credentialChanges() const
{
    QMap<QString, QString> changes;
    for (const auto &[key, edit] : m_credentialEdits) {
        if (m_edited.contains(key))
            changes.insert(key, credentialValue(key, edit));
    }
    return changes;
}

QString SettingsPanel::credentialValue(const QString &key, const QLineEdit *edit) const
{
    if (m_loginBox && key == QLatin1String("login_url"))
        return m_loginBox->value();
    return edit->text().trimmed();
}

void SettingsPanel::showCredentialsMessage(const QString &text)
{
    // The newest action speaks alone: the sign-in box's last outcome (a time-out, "Signed in to…")
    // is replaced, unless a sign-in is still waiting for the browser.
    if (!m_ui->signInBox->isSigningIn())
        m_ui->signInBox->setStatusText({});
    m_ui->credentialsStatusLabel->setText(text);
}

QString SettingsPanel::credentialsMessage() const
{
    return m_ui->credentialsStatusLabel->text();
}

void SettingsPanel::showCredentials()
{
    m_ui->settingsScrollArea->ensureWidgetVisible(m_ui->credentialsGroup);
    if (m_ui->signInBox->isVisible())
        m_ui->signInBox->setFocus();
    else if (!m_credentialEdits.isEmpty())
        m_credentialEdits.first().second->setFocus();
}

SignInBox *SettingsPanel::signInBox() const
{
    return m_ui->signInBox;
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
