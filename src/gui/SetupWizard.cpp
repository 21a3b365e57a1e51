#include "SetupWizard.h"
#include "ui_SetupWizard.h"

#include "app/SignInSettings.h"
#include "app/SourceService.h"
#include "gui/SalesforceLoginBox.h"
#include "gui/SignInBox.h"
#include "gui/WarehouseCheck.h"
#include "sync/ConnectionTester.h"
#include "sync/ConnectorRegistry.h"
#include "warehouse/Warehouse.h"

#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QPointer>
#include <QRegularExpression>
#include <QThread>

namespace tributary {

SetupWizard::SetupWizard(SourceService &service, const QString &connector, QWidget *parent)
    : QWizard(parent)
    , m_ui(std::make_unique<Ui::SetupWizard>())
    , m_service(service)
    , m_manifest(ConnectorRegistry::instance().find(connector))
{
    m_ui->setupUi(this);
    setOption(QWizard::NoBackButtonOnStartPage);
    Q_ASSERT(m_manifest);
    setWindowTitle(tr("Connect %1").arg(m_manifest->name));
    m_ui->connectorLabel->setText(m_manifest->name + QStringLiteral(": ") + m_manifest->description);
    // Defaults that work: the connector's slug as name and schema, made unique.
    QString name = m_manifest->slug;
    for (int n = 2; m_service.config().source(name); ++n)
        name = m_manifest->slug + QStringLiteral("-%1").arg(n);
    m_ui->nameEdit->setText(name);
    QString schema = m_manifest->slug;
    const auto schemaTaken = [this](const QString &s) {
        for (const auto &other : m_service.config().sources()) {
            if (other.schema == s)
                return true;
        }
        return false;
    };
    for (int n = 2; schemaTaken(schema); ++n)
        schema = m_manifest->slug + QStringLiteral("_%1").arg(n);
    m_ui->schemaEdit->setText(schema);
    buildSettingsForm();

    for (const ConnectorManifest::Collection &c : m_manifest->collections) {
        auto *item = new QTreeWidgetItem(m_ui->collectionsTree);
        item->setText(0, c.name);
        item->setCheckState(0, Qt::Checked);
        item->setText(1, c.kind == CollectionKind::Event ? tr("event") : tr("object"));
        item->setText(2, tr("1 per %1 records").arg(m_manifest->pagination.pageSize));
        item->setText(4, c.description);
        item->setToolTip(4, c.description);
    }
    for (int i = 0; i < 4; ++i)
        m_ui->collectionsTree->resizeColumnToContents(i);
    connect(m_ui->collectionsTree, &QTreeWidget::itemChanged, this, &SetupWizard::updateEstimate);
    connect(m_ui->selectAllButton, &QPushButton::clicked, this, [this] {
        for (int i = 0; i < m_ui->collectionsTree->topLevelItemCount(); ++i)
            m_ui->collectionsTree->topLevelItem(i)->setCheckState(0, Qt::Checked);
    });
    connect(m_ui->selectNoneButton, &QPushButton::clicked, this, [this] {
        for (int i = 0; i < m_ui->collectionsTree->topLevelItemCount(); ++i)
            m_ui->collectionsTree->topLevelItem(i)->setCheckState(0, Qt::Unchecked);
    });
    for (int hours : {1, 2, 3, 6, 8, 12, 24})
        m_ui->everyCombo->addItem(tr("%n hour(s)", nullptr, hours), hours);
    m_ui->everyCombo->setCurrentIndex(3);
    connect(m_ui->everyCombo, &QComboBox::currentIndexChanged, this, [this] { m_ui->everyRadio->setChecked(true); });
    connect(m_ui->atEdit, &QLineEdit::textEdited, this, [this] { m_ui->atRadio->setChecked(true); });
    m_tester = new ConnectionTester(this);
    // One cheap call where the connector names one (Salesforce's goes to the signed-in instance);
    // none to offer otherwise.
    m_ui->testConnectionButton->setVisible(!m_manifest->checkPath.isEmpty());
    // The API address overrides the connector's own; a connector without one (the Sample Store,
    // made on this computer) has nothing to override.
    m_ui->baseUrlLabel->setVisible(!m_manifest->baseUrl.isEmpty());
    m_ui->baseUrlEdit->setVisible(!m_manifest->baseUrl.isEmpty());
    if (!needsCredentials()) {
        // No key and no sign-in: the step holds the connector's options only.
        m_ui->credentialsPage->setTitle(tr("Options"));
        m_ui->credentialsPage->setSubTitle(
                m_manifest->settings.isEmpty()
                        ? tr("%1 needs no key and no network.").arg(m_manifest->name)
                        : tr("Every option of %1 has a default: leave it empty to use it.").arg(m_manifest->name));
    } else if (m_manifest->oauthProvider.isEmpty()) {
        m_ui->credentialsPage->setSubTitle(
                tr("Paste a key. A value such as env:%1_KEY reads it from the environment at each run.")
                        .arg(m_manifest->slug.toUpper()));
    }
    connect(m_ui->testConnectionButton, &QPushButton::clicked, this, &SetupWizard::testConnection);
    // The warehouse: the embedded default or PostgreSQL, chosen when the first source is added.
    const bool postgres = m_service.config().warehouseUrl().startsWith(QLatin1String("postgres"));
    m_ui->postgresRadio->setChecked(postgres);
    if (postgres)
        m_ui->postgresUrlEdit->setText(m_service.config().warehouseUrl());
    m_ui->postgresForm->setEnabled(postgres);
    connect(m_ui->postgresRadio, &QRadioButton::toggled, m_ui->postgresForm, &QWidget::setEnabled);
    connect(m_ui->postgresUrlEdit, &QLineEdit::textEdited, this, [this] { m_warehouseTested = false; });
    connect(m_ui->postgresPasswordEdit, &QLineEdit::textEdited, this, [this] { m_warehouseTested = false; });
    connect(m_ui->testWarehouseButton, &QPushButton::clicked, this, &SetupWizard::testWarehouse);
    updateEstimate();
}

SetupWizard::~SetupWizard() = default;

bool SetupWizard::needsCredentials() const
{
    if (!m_manifest->auth.isEmpty() || !m_manifest->oauthProvider.isEmpty())
        return true;
    for (const ConnectorManifest::Setting &s : m_manifest->settings) {
        if (s.secret)
            return true;
    }
    return false;
}

QString SetupWizard::placeholderFor(const ConnectorManifest::Setting &setting) const
{
    if (setting.required)
        return tr("required");
    const bool signsIn = !m_manifest->oauthProvider.isEmpty();
    // The OAuth client: what Sign in with browser needs.
    if (signsIn && setting.key == QLatin1String("client_id"))
        return tr("needed to sign in with the browser");
    if (signsIn && setting.key == QLatin1String("client_secret"))
        return tr("if your OAuth client has a secret");
    // One of the ways in: needed with its partners (email and API token), unless another way is taken.
    for (const ConnectorManifest::AuthMode &mode : m_manifest->auth) {
        if (!mode.requiredSettings.contains(setting.key))
            continue;
        QStringList partners;
        for (const QString &key : mode.requiredSettings) {
            if (key == setting.key)
                continue;
            const ConnectorManifest::Setting *other = m_manifest->setting(key);
            partners.append(other ? other->label : key);
        }
        const bool otherWays = m_manifest->auth.size() > 1;
        if (partners.isEmpty())
            return signsIn      ? tr("needed unless you sign in with the browser")
                    : otherWays ? tr("one way in")
                                : tr("required");
        const QString with = partners.join(tr(" and "));
        return signsIn ? tr("with the %1, unless you sign in with the browser").arg(with)
                       : tr("needed with the %1").arg(with);
    }
    return tr("optional");
}

bool SetupWizard::isSignInSetting(const QString &key)
{
    static const QStringList keys {QStringLiteral("access_token"), QStringLiteral("refresh_token"),
                                   QStringLiteral("token_expires_at"), QStringLiteral("instance_url")};
    return keys.contains(key);
}

void SetupWizard::buildSettingsForm()
{
    const bool signsIn = !m_manifest->oauthProvider.isEmpty();
    // Where the sign-in goes: after the last of the settings it needs (client id, secret, login).
    int signInAfter = -1;
    for (qsizetype i = 0; i < m_manifest->settings.size(); ++i) {
        const QString &key = m_manifest->settings.at(i).key;
        if (key == QLatin1String("client_id") || key == QLatin1String("client_secret")
            || key == QLatin1String("login_url"))
            signInAfter = int(i);
    }
    for (qsizetype i = 0; i < m_manifest->settings.size(); ++i) {
        const ConnectorManifest::Setting &s = m_manifest->settings.at(i);
        if (signsIn && isSignInSetting(s.key))
            continue; // kept by Sign in with browser, never typed
        // Salesforce: where to sign in; the field takes the My Domain only.
        const bool login = signsIn && s.key == QLatin1String("login_url");
        if (login) {
            m_loginBox = new SalesforceLoginBox(m_ui->settingsForm);
            m_loginBox->setObjectName(QStringLiteral("loginBox"));
            m_loginBox->combo()->setObjectName(QStringLiteral("loginCombo"));
        }
        QLineEdit *edit = login ? m_loginBox->domainEdit() : new QLineEdit(m_ui->settingsForm);
        edit->setObjectName(s.key + QStringLiteral("Edit"));
        edit->setToolTip(s.help);
        if (login) {
            m_ui->settingsFormLayout->addRow(tr("Sign in to:"), m_loginBox);
        } else {
            edit->setAccessibleName(s.label);
            edit->setPlaceholderText(placeholderFor(s));
            if (s.secret)
                edit->setEchoMode(QLineEdit::PasswordEchoOnEdit);
            m_ui->settingsFormLayout->addRow(s.label + QLatin1Char(':'), edit);
        }
        m_settingEdits.append({s.key, edit});
        if (signsIn && i == signInAfter) {
            m_signInBox = new SignInBox(m_ui->settingsForm);
            m_signInBox->setObjectName(QStringLiteral("signInBox"));
            m_ui->settingsFormLayout->addRow(QString(), m_signInBox);
        }
    }
    if (signsIn && !m_signInBox) {
        m_signInBox = new SignInBox(m_ui->settingsForm);
        m_signInBox->setObjectName(QStringLiteral("signInBox"));
        m_ui->settingsFormLayout->addRow(QString(), m_signInBox);
    }
    if (!m_signInBox)
        return;
    m_ui->credentialsPage->setSubTitle(tr("Sign in with your browser (enter your OAuth client first), or paste a "
                                          "key. A value such as env:VAR reads it from the environment at each run."));
    m_signInBox->setOAuthProvider(m_manifest->oauthProvider);
    m_signInBox->setProviderFactory([this] {
        QMap<QString, QString> settings = enteredSettings(true);
        const QString base = m_ui->baseUrlEdit->text().trimmed();
        return SignInSettings::provider(*m_manifest, settings, base.isEmpty() ? QUrl() : QUrl(base, QUrl::StrictMode));
    });
    connect(m_signInBox, &SignInBox::signedIn, this, [this](const OAuthTokens &tokens) {
        m_signInSettings.clear();
        const QMap<QString, QString> kept = SignInSettings::settingsFor(tokens);
        for (auto it = kept.cbegin(); it != kept.cend(); ++it) {
            if (m_manifest->setting(it.key()))
                m_signInSettings.insert(it.key(), it.value());
        }
        m_ui->credentialsMessageLabel->clear();
    });
}

QString SetupWizard::settingValue(const QString &key, const QLineEdit *edit) const
{
    if (m_loginBox && key == QLatin1String("login_url"))
        return m_loginBox->value(); // the login address (the manifest's pattern asks for one)
    return edit->text().trimmed();
}

QMap<QString, QString> SetupWizard::enteredSettings(bool resolveReferences) const
{
    QMap<QString, QString> settings;
    for (const auto &[key, edit] : m_settingEdits) {
        QString value = settingValue(key, edit);
        if (resolveReferences && value.startsWith(QLatin1String("env:")))
            value = qEnvironmentVariable(value.mid(4).toLocal8Bit().constData());
        if (!value.isEmpty())
            settings.insert(key, value);
    }
    // A sign-in's tokens, as literal values: SourceService keeps the secrets in the keychain.
    for (auto it = m_signInSettings.cbegin(); it != m_signInSettings.cend(); ++it)
        settings.insert(it.key(), it.value());
    return settings;
}

bool SetupWizard::authSatisfied(const QMap<QString, QString> &settings) const
{
    if (m_manifest->auth.isEmpty())
        return true;
    for (const ConnectorManifest::AuthMode &mode : m_manifest->auth) {
        bool all = true;
        for (const QString &key : mode.requiredSettings)
            all = all && !settings.value(key).isEmpty();
        if (all)
            return true;
    }
    return false;
}

void SetupWizard::setUrlOpener(const OAuthSignIn::UrlOpener &opener)
{
    if (m_signInBox)
        m_signInBox->setUrlOpener(opener);
}

QString SetupWizard::warehousePassword() const
{
    const QString text = m_ui->postgresPasswordEdit->text();
    return text.startsWith(QLatin1String("env:")) ? qEnvironmentVariable(text.mid(4).toLocal8Bit().constData()) : text;
}

void SetupWizard::testWarehouse()
{
    const QString url = m_ui->postgresUrlEdit->text().trimmed();
    const QString password = warehousePassword();
    m_ui->testWarehouseButton->setEnabled(false);
    m_ui->warehouseMessageLabel->setText(tr("Connecting to %1…").arg(url));
    checkWarehouseInBackground(this, url, password, [this](const Result<QString> &result) {
        m_ui->testWarehouseButton->setEnabled(true);
        m_warehouseTested = result.ok();
        m_ui->warehouseMessageLabel->setText(warehouseCheckText(result));
    });
}

void SetupWizard::testConnection()
{
    m_ui->testConnectionButton->setEnabled(false);
    m_ui->credentialsMessageLabel->setText(tr("Testing the connection to %1…").arg(m_manifest->name));
    const QString base = m_ui->baseUrlEdit->text().trimmed();
    m_tester->test(*m_manifest, enteredSettings(true), base.isEmpty() ? QUrl() : QUrl(base, QUrl::StrictMode),
                   [this](const ConnectionTester::Outcome &outcome) {
                       m_ui->testConnectionButton->setEnabled(true);
                       m_ui->credentialsMessageLabel->setText(outcome.hint.isEmpty() ? outcome.message
                                                                                     : outcome.message
                                                                              + QLatin1Char('\n') + outcome.hint);
                   });
}

QString SetupWizard::sourceName() const
{
    return m_ui->nameEdit->text().trimmed();
}

bool SetupWizard::syncNowRequested() const
{
    return m_ui->syncNowCheck->isChecked();
}

QStringList SetupWizard::checkedCollections() const
{
    QStringList names;
    for (int i = 0; i < m_ui->collectionsTree->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_ui->collectionsTree->topLevelItem(i);
        if (item->checkState(0) == Qt::Checked)
            names.append(item->text(0));
    }
    return names;
}

bool SetupWizard::allCollectionsChecked() const
{
    return checkedCollections().size() == m_ui->collectionsTree->topLevelItemCount();
}

bool SetupWizard::findsCustomCollections() const
{
    return !m_manifest->customCollectionPattern.isEmpty() && allCollectionsChecked();
}

std::optional<ScheduleSpec> SetupWizard::schedule() const
{
    if (m_ui->everyRadio->isChecked())
        return ScheduleSpec::parse(QStringLiteral("every %1h").arg(m_ui->everyCombo->currentData().toInt()));
    if (m_ui->atRadio->isChecked())
        return ScheduleSpec::parse(QStringLiteral("at ") + m_ui->atEdit->text().remove(QLatin1Char(' ')));
    return ScheduleSpec::parse(QStringLiteral("manual"));
}

void SetupWizard::updateEstimate()
{
    const auto spec = schedule();
    int perDay = 1;
    if (spec && spec->kind == ScheduleSpec::Kind::Every)
        perDay = 24 / qMax(1, spec->hours);
    else if (spec && spec->kind == ScheduleSpec::Kind::At)
        perDay = int(spec->times.size());
    const int collections = int(checkedCollections().size());
    for (int i = 0; i < m_ui->collectionsTree->topLevelItemCount(); ++i)
        m_ui->collectionsTree->topLevelItem(i)->setText(3, tr("≈ %1").arg(perDay));
    m_ui->estimateLabel->setText(tr("%1 selected · first sync: %2 calls + 1 per %3 records · daily: ≈ %4 calls")
                                         .arg(collections)
                                         .arg(collections)
                                         .arg(m_manifest->pagination.pageSize)
                                         .arg(collections * perDay));
}

void SetupWizard::initializePage(int id)
{
    if (id == CredentialsPage && m_loginBox)
        m_loginBox->setApiAddress(m_ui->baseUrlEdit->text().trimmed());
    if (id == CollectionsPage)
        updateEstimate();
    if (id == WarehousePage) {
        const bool shared = !m_service.config().sources().isEmpty();
        m_ui->warehouseLabel->setText(
                shared ? tr("Every source shares one warehouse; yours is %1.").arg(m_service.config().warehouseUrl())
                       : tr("Where should the tables go? You can change it later with "
                            "`tributary warehouse set`."));
        // Once sources exist, their warehouse stays: moving tables is not a wizard's job.
        m_ui->embeddedRadio->setEnabled(!shared);
        m_ui->postgresRadio->setEnabled(!shared);
        m_ui->postgresForm->setEnabled(!shared && m_ui->postgresRadio->isChecked());
    }
    if (id == SummaryPage) {
        const auto spec = schedule();
        QString collections = checkedCollections().join(QStringLiteral(", "));
        if (findsCustomCollections())
            collections += tr(", and the custom objects %1 offers (looked up when you finish)").arg(m_manifest->name);
        m_ui->summaryLabel->setText(tr("Source: %1 (%2)\nSchema: %3\nCollections: %4\nSync times: %5\nWarehouse: %6")
                                            .arg(sourceName(), m_manifest->name, m_ui->schemaEdit->text(), collections,
                                                 spec ? spec->toString() : QString(),
                                                 m_service.config().warehouseUrl()));
    }
    QWizard::initializePage(id);
}

bool SetupWizard::validateCurrentPage()
{
    switch (currentId()) {
    case SourcePage: {
        const QString name = sourceName();
        const QString schema = m_ui->schemaEdit->text().trimmed();
        QString problem;
        if (!SourceService::isValidName(name))
            problem = tr("Use letters, digits, '-', '_' or '.' for the name, starting with a letter or digit.");
        else if (m_service.config().source(name))
            problem = tr("A source named '%1' exists already.").arg(name);
        else if (!SourceService::isValidSchema(schema))
            problem = tr("Use lower-case letters, digits and '_' for the schema, starting with a letter or '_'.");
        else if (const QUrl url(m_ui->baseUrlEdit->text().trimmed(), QUrl::StrictMode);
                 !m_ui->baseUrlEdit->text().trimmed().isEmpty()
                 && (!url.isValid() || url.host().isEmpty() || !url.scheme().startsWith(QLatin1String("http"))))
            problem = tr("The API address must be an origin such as https://api.example.com or http://127.0.0.1:8080.");
        m_ui->sourceMessageLabel->setText(problem);
        return problem.isEmpty();
    }
    case CredentialsPage: {
        if (m_signInBox && m_signInBox->isSigningIn()) {
            m_ui->credentialsMessageLabel->setText(tr("Finish signing in in your browser first, or cancel it."));
            return false;
        }
        if (m_loginBox && m_loginBox->isMyDomain() && m_loginBox->value().isEmpty()) {
            m_ui->credentialsMessageLabel->setText(
                    tr("Enter your My Domain (acme or https://acme.my.salesforce.com), or choose Production or "
                       "Sandbox."));
            m_loginBox->domainEdit()->setFocus();
            return false;
        }
        for (const auto &[key, edit] : std::as_const(m_settingEdits)) {
            const ConnectorManifest::Setting *s = m_manifest->setting(key);
            const QString value = settingValue(key, edit);
            if (s->required && value.isEmpty()) {
                m_ui->credentialsMessageLabel->setText(tr("%1 is needed.").arg(s->label));
                edit->setFocus();
                return false;
            }
            if (!value.isEmpty() && !value.startsWith(QLatin1String("env:")) && !s->pattern.isEmpty()
                && !QRegularExpression(s->pattern).match(value).hasMatch()) {
                m_ui->credentialsMessageLabel->setText(tr("The %1 does not look right. %2").arg(s->label, s->help));
                edit->setFocus();
                return false;
            }
        }
        if (m_signInBox && !authSatisfied(enteredSettings(false))) {
            // The ways in that need no sign-in: "Admin email and API token".
            QStringList keyed;
            for (const ConnectorManifest::AuthMode &mode : m_manifest->auth) {
                QStringList labels;
                bool viaSignIn = false;
                for (const QString &key : mode.requiredSettings) {
                    viaSignIn = viaSignIn || isSignInSetting(key);
                    labels.append(m_manifest->setting(key) ? m_manifest->setting(key)->label : key);
                }
                if (!viaSignIn && !labels.isEmpty())
                    keyed.append(labels.join(tr(" and ")));
            }
            m_ui->credentialsMessageLabel->setText(
                    keyed.isEmpty()
                            ? tr("Sign in with your browser first.")
                            : tr("Sign in with your browser, or enter the %1.").arg(keyed.join(tr(" or the "))));
            return false;
        }
        m_ui->credentialsMessageLabel->clear();
        return true;
    }
    case CollectionsPage:
        if (checkedCollections().isEmpty()) {
            m_ui->estimateLabel->setText(tr("Choose at least one collection."));
            return false;
        }
        return true;
    case SchedulePage:
        if (!schedule()) {
            m_ui->scheduleMessageLabel->setText(tr("Give times as HH:MM, separated by commas (06:00,18:00)."));
            return false;
        }
        m_ui->scheduleMessageLabel->clear();
        return true;
    case WarehousePage:
        if (m_ui->postgresRadio->isChecked() && m_ui->postgresRadio->isEnabled() && !m_warehouseTested) {
            m_ui->warehouseMessageLabel->setText(tr("Test the connection first: Tributary checks it can create the "
                                                    "source's schema there."));
            return false;
        }
        return true;
    case SummaryPage:
        return addSource();
    default:
        return true;
    }
}

bool SetupWizard::addSource()
{
    SourceService::AddRequest request;
    request.connector = m_manifest->slug;
    request.name = sourceName();
    request.schema = m_ui->schemaEdit->text().trimmed();
    request.collections = checkedCollections();
    if (!m_ui->baseUrlEdit->text().trimmed().isEmpty())
        request.baseUrl = QUrl(m_ui->baseUrlEdit->text().trimmed(), QUrl::StrictMode);
    request.settings = enteredSettings(false);
    if (m_ui->postgresRadio->isChecked() && m_ui->postgresRadio->isEnabled()) {
        const QString password = m_ui->postgresPasswordEdit->text();
        if (auto set = m_service.setWarehouse(m_ui->postgresUrlEdit->text().trimmed(), password); !set) {
            m_ui->finishMessageLabel->setText(set.error().message + QLatin1Char('\n') + set.error().hint);
            return false;
        }
    }
    auto added = m_service.addSource(request);
    if (!added) {
        m_ui->finishMessageLabel->setText(added.error().message + QLatin1Char('\n') + added.error().hint);
        return false;
    }
    if (const auto spec = schedule(); spec && spec->kind != ScheduleSpec::Kind::Manual)
        (void)m_service.setSchedule(request.name, *spec);
    return true;
}

} // namespace tributary
