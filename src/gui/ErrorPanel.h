#pragma once

#include "core/RunSummary.h"

#include <QWidget>

#include <memory>

class QStandardItemModel;

namespace Ui {
class ErrorPanel;
}

namespace tributary {

// The failed collections of a source's last run, in plain words, with what to do about them.
class ErrorPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ErrorPanel)

public:
    explicit ErrorPanel(QWidget *parent = nullptr);
    ~ErrorPanel() override;

    void setRun(const RunSummary &run, const QString &logPath);
    int errorCount() const;
    // The redacted text "Copy details" puts on the clipboard for the selected error.
    QString detailsText() const;

Q_SIGNALS:
    void retryRequested(const QString &collection);
    void reconnectRequested();

private:
    void showSelected();
    const CollectionSummary *selected() const;

    std::unique_ptr<Ui::ErrorPanel> m_ui;
    QStandardItemModel *m_model = nullptr;
    RunSummary m_run;
    QList<CollectionSummary> m_failed;
    QString m_logPath;
};

} // namespace tributary
