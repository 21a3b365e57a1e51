#pragma once

#include "core/SourceConfig.h"
#include "net/HttpClient.h"

#include <QDateTime>
#include <QMap>
#include <QString>
#include <QStringList>

namespace tributary {

// Everything one run needs, resolved before it starts (secrets included: the plan lives only in
// memory and is never written anywhere).
struct SyncPlan
{
    QString runId;
    SourceConfig source;
    QMap<QString, QString> settings; // resolved values
    QStringList collections;         // this run's collections, in order
    bool fullRefresh = false;
    int stallTimeoutSeconds = 300;
    QString warehouseUrl;
    QString warehousePassword;
    QString logPath;
    HttpClientOptions http; // timeouts and retries; the rate limit comes from the connector
};

} // namespace tributary
