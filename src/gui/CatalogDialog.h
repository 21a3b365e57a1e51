#pragma once

#include <QDialog>

#include <memory>

class QSortFilterProxyModel;
class QStandardItemModel;

namespace Ui {
class CatalogDialog;
}

namespace tributary {

// A searchable grid of every connector: icon, name, one-line description, how it authenticates
// and how many collections it offers. Configure (or a double click, or Enter) picks one.
class CatalogDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CatalogDialog)

public:
    explicit CatalogDialog(QWidget *parent = nullptr);
    ~CatalogDialog() override;

    QString chosenConnector() const { return m_chosen; }
    QSortFilterProxyModel *filterModel() const { return m_filter; }

private:
    QString currentSlug() const;
    void showCurrent();

    std::unique_ptr<Ui::CatalogDialog> m_ui;
    QStandardItemModel *m_model = nullptr;
    QSortFilterProxyModel *m_filter = nullptr;
    QPushButton *m_configure = nullptr;
    QString m_chosen;
};

} // namespace tributary
