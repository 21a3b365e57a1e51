#pragma once

#include "core/ScheduleSpec.h"
#include "net/OAuthSignIn.h"
#include "sync/ConnectorManifest.h"

#include <QWizard>

#include <memory>
#include <optional>

class QComboBox;
class QLineEdit;

namespace Ui {
class SetupWizard;
}

namespace tributary {

class ConnectionTester;
class SalesforceLoginBox;
class SignInBox;
class SourceService;

// Connects one source, step by step, each step checked before Next: the source and its schema,
// credentials (a key, or Sign in with browser for connectors with an OAuth provider), collections
// (with the API calls they will cost), sync times, the warehouse, and a summary. Finish adds the
// source; "Sync now" asks the main window to run it at once.
class SetupWizard final : public QWizard
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SetupWizard)

public:
    enum Page { SourcePage, CredentialsPage, CollectionsPage, SchedulePage, WarehousePage, SummaryPage };

    SetupWizard(SourceService &service, const QString &connector, QWidget *parent = nullptr);
    ~SetupWizard() override;

    QString sourceName() const;
    bool syncNowRequested() const;
    QStringList checkedCollections() const;
    bool allCollectionsChecked() const;
    // Every listed collection is ticked and the connector offers more upstream (Salesforce's custom
    // objects): the window looks them up once the source is added, as `source add` does.
    bool findsCustomCollections() const;
    std::optional<ScheduleSpec> schedule() const;
    // How Sign in with browser opens the browser (default: QDesktopServices); tests pass a fake one.
    void setUrlOpener(const OAuthSignIn::UrlOpener &opener);
    bool isSignedIn() const { return !m_signInSettings.isEmpty(); }

    // The settings a sign-in keeps (tokens): not shown as fields where the connector signs in.
    static bool isSignInSetting(const QString &key);

protected:
    bool validateCurrentPage() override;
    void initializePage(int id) override;

private:
    void buildSettingsForm();
    // A key, a secret or a sign-in to give: the step is "Credentials", else "Options".
    bool needsCredentials() const;
    // What a field's placeholder says: required, what it is needed with, or optional.
    QString placeholderFor(const ConnectorManifest::Setting &setting) const;
    void testConnection();
    void testWarehouse();
    QString warehousePassword() const;
    QMap<QString, QString> enteredSettings(bool resolveReferences) const;
    QString settingValue(const QString &key, const QLineEdit *edit) const;
    bool authSatisfied(const QMap<QString, QString> &settings) const;
    void updateEstimate();
    bool addSource();

    std::unique_ptr<Ui::SetupWizard> m_ui;
    SourceService &m_service;
    const ConnectorManifest *m_manifest = nullptr;
    QList<QPair<QString, QLineEdit *>> m_settingEdits;
    ConnectionTester *m_tester = nullptr;
    SignInBox *m_signInBox = nullptr;         // for connectors with an OAuth provider
    SalesforceLoginBox *m_loginBox = nullptr; // Salesforce: production, sandbox or My Domain
    QMap<QString, QString> m_signInSettings;  // the tokens of a successful sign-in
    bool m_warehouseTested = false;
};

} // namespace tributary
