#pragma once

#include <QAbstractTableModel>

namespace tributary {

class SourceService;

// The configured sources with their connector, last run, next run and health.
class SourceListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SourceListModel)

public:
    enum Column { Name, Connector, LastRun, NextRun, Health, ColumnCount };

    explicit SourceListModel(const SourceService &service, QObject *parent = nullptr);

    void refresh();
    QString sourceName(int row) const;
    // "access denied" and "needs sign-in": shown with a warning, the user must act.
    static bool isAccessProblem(const QString &health);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString name;
        QString connector;
        QString lastRun;
        QString nextRun;
        QString health;
    };

    const SourceService &m_service;
    QList<Row> m_rows;
};

} // namespace tributary
