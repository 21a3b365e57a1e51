#pragma once

#include "core/ScheduleSpec.h"

#include <QWizard>

#include <memory>
#include <optional>

class QLineEdit;

namespace Ui {
class SetupWizard;
}

namespace tributary {

class ConnectionTester;
class SourceService;
struct ConnectorManifest;

// Connects one source, step by step, each step checked before Next: the source and its schema,
// credentials, collections (with the API calls they will cost), sync times, the warehouse, and a
// summary. Finish adds the source; "Sync now" asks the main window to run it at once.
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
    std::optional<ScheduleSpec> schedule() const;

protected:
    bool validateCurrentPage() override;
    void initializePage(int id) override;

private:
    void buildSettingsForm();
    void testConnection();
    void testWarehouse();
    QString warehousePassword() const;
    QMap<QString, QString> enteredSettings(bool resolveReferences) const;
    void updateEstimate();
    bool addSource();

    std::unique_ptr<Ui::SetupWizard> m_ui;
    SourceService &m_service;
    const ConnectorManifest *m_manifest = nullptr;
    QList<QPair<QString, QLineEdit *>> m_settingEdits;
    ConnectionTester *m_tester = nullptr;
    bool m_warehouseTested = false;
};

} // namespace tributary
