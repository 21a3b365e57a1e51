#pragma once

#include <QDialog>

#include <memory>

namespace Ui {
class WarehouseDialog;
}

namespace tributary {

class SourceService;

// The warehouse step of the setup wizard, to revisit later: the embedded SQLite file or a
// PostgreSQL server, with Test connection. Save changes it for every source (refused while a run
// goes); loaded tables stay where they are and each source's next sync reads everything again.
class WarehouseDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WarehouseDialog)

public:
    WarehouseDialog(SourceService &service, bool runGoing, QWidget *parent = nullptr);
    ~WarehouseDialog() override;

    void accept() override;

private:
    void testConnection();
    QString chosenUrl() const;
    QString enteredPassword() const; // env:VAR resolved; empty: the stored one

    std::unique_ptr<Ui::WarehouseDialog> m_ui;
    SourceService &m_service;
    bool m_runGoing = false;
};

} // namespace tributary
