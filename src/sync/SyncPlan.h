#pragma once

#include "core/SourceConfig.h"
#include "net/HttpClient.h"
#include "net/OAuthProvider.h"
#include "net/OAuthTokens.h"

#include <QDateTime>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

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
    // A source signed in with OAuth: its provider and tokens. The run refreshes them as needed and
    // hands every new pair to tokensChanged at once, from the run's thread (the old refresh token
    // may be dead already): it must store them before returning.
    std::optional<OAuthProvider> oauth;
    OAuthTokens oauthTokens;
    std::function<void(const OAuthTokens &)> tokensChanged;
};

} // namespace tributary
