#pragma once

#include <QDate>
#include <QDialog>

#include <memory>

namespace Ui {
class ResyncFromDateDialog;
}

namespace tributary {

// Asks from which date to read a collection again, and says what will be fetched.
class ResyncFromDateDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResyncFromDateDialog)

public:
    ResyncFromDateDialog(const QString &source, const QString &collection, QWidget *parent = nullptr);
    ~ResyncFromDateDialog() override;

    QDate date() const;
    void setDate(const QDate &date);

private:
    void explain();

    std::unique_ptr<Ui::ResyncFromDateDialog> m_ui;
    QString m_source;
    QString m_collection;
};

} // namespace tributary
