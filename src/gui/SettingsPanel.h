#pragma once

#include "core/SourceConfig.h"
#include "net/OAuthTokens.h"

#include <QMap>
#include <QWidget>

#include <memory>

class QLineEdit;

namespace Ui {
class SettingsPanel;
}

namespace tributary {

class SalesforceLoginBox;
class SignInBox;
struct ConnectorManifest;

// A source's settings after setup: its collections, sync times, credentials (replace a key, or
// sign in again), cursor control and removal.
class SettingsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsPanel)

public:
    explicit SettingsPanel(QWidget *parent = nullptr);
    ~SettingsPanel() override;

    void setSource(const SourceConfig &source, const ConnectorManifest *manifest);
    void showMessage(const QString &text);
    void setBusy(bool busy); // while the OS schedule is being installed
    QStringList checkedCollections() const;
    QString selectedCollection() const;
    // Custom collections found upstream (Find custom objects): those not listed yet are added
    // unticked, for the user to choose. Returns the ones added.
    QStringList addFoundCollections(const QStringList &custom);
    void setFindingCollections(bool finding); // while the upstream is asked

    // Credentials: the values the user changed (key to new value; empty: remove it).
    QMap<QString, QString> credentialChanges() const;
    void forgetCredentialEdits() { m_edited.clear(); } // saved: the fields show the stored state again
    void showCredentialsMessage(const QString &text);
    QString credentialsMessage() const;
    // Brings the credentials section into view and focus (Reconnect).
    void showCredentials();
    SignInBox *signInBox() const;

Q_SIGNALS:
    void collectionsChosen(const QStringList &collections);
    void findCustomObjectsRequested();
    void scheduleChosen(const QString &spec, bool keepSyncingWhenClosed);
    void resyncRequested(const QString &collection);
    void resyncFromDateRequested(const QString &collection);
    void removeRequested();
    void warehouseRequested();
    void credentialsSaveRequested(const QMap<QString, QString> &changes);
    void credentialsTestRequested(const QMap<QString, QString> &changes);
    // A new browser sign-in, with the credential fields changed before it (a new client id...).
    void signedIn(const tributary::OAuthTokens &tokens, const QMap<QString, QString> &changes);

private:
    void buildCredentialsForm(const SourceConfig &source, const ConnectorManifest *manifest, bool sameSource);
    void addCollectionItem(const QString &name, bool checked);
    QString credentialValue(const QString &key, const QLineEdit *edit) const;

    std::unique_ptr<Ui::SettingsPanel> m_ui;
    QString m_source;
    const ConnectorManifest *m_manifest = nullptr;
    QStringList m_found;                      // custom collections found upstream, for the same source
    SalesforceLoginBox *m_loginBox = nullptr; // Salesforce: where to sign in (login_url)
    QList<QPair<QString, QLineEdit *>> m_credentialEdits;
    QMap<QString, QString> m_edited; // key -> the text typed (kept when the same source is shown again)
};

} // namespace tributary
