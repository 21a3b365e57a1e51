#pragma once

#include "warehouse/Warehouse.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace tributary {

// Reads the warehouse for the Data tab on a thread of its own, so that counting rows or running a
// starter query never blocks the window. Requests go in as queued calls; answers come back as
// signals carrying the request's tag.
class DataBrowser final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DataBrowser)

public:
    explicit DataBrowser(QString warehouseUrl, QString password, QObject *parent = nullptr);
    ~DataBrowser() override;

    void listTables(const QString &schema);
    // A page of rows of one collection's table (never the whole table).
    void preview(const QString &schema, const QString &collection, int offset, int limit);
    void runQuery(const QString &sql, int maxRows);

Q_SIGNALS:
    void tablesListed(const QList<tributary::TableInfo> &tables);
    void rowsReady(const tributary::QueryResult &result, int offset);
    void queryFinished(const tributary::QueryResult &result);
    void failed(const QString &message, const QString &hint);

private:
    class Worker;
    QThread m_thread;
    Worker *m_worker = nullptr;
};

} // namespace tributary

Q_DECLARE_METATYPE(tributary::QueryResult)
Q_DECLARE_METATYPE(QList<tributary::TableInfo>)
