#pragma once

#include "core/SourceConfig.h"

#include <QWidget>

#include <memory>

namespace Ui {
class SettingsPanel;
}

namespace tributary {

struct ConnectorManifest;

// A source's settings after setup: its collections, sync times, cursor control and removal.
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

Q_SIGNALS:
    void collectionsChosen(const QStringList &collections);
    void scheduleChosen(const QString &spec, bool keepSyncingWhenClosed);
    void resyncRequested(const QString &collection);
    void resyncFromDateRequested(const QString &collection);
    void removeRequested();

private:
    std::unique_ptr<Ui::SettingsPanel> m_ui;
};

} // namespace tributary
