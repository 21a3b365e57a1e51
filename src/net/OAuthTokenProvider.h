#pragma once

#include "core/Result.h"
#include "core/Secret.h"

#include <QDateTime>
#include <QUrl>

#include <functional>

namespace tributary {

// Where a sync run gets its bearer token from when a source signs in with OAuth (the engine's
// view; OAuthSession implements it). Used from the run's thread only.
class OAuthTokenProvider
{
public:
    using Done = std::function<void(Result<void>)>;

    virtual ~OAuthTokenProvider() = default;

    // The access token to send as "Authorization: Bearer ..." (empty until the first refresh
    // when only a refresh token is stored).
    virtual Secret accessToken() const = 0;
    // True when the token is missing or expires within the margin: refresh before the next call.
    virtual bool needsRefresh(const QDateTime &now) const = 0;
    // Gets a new access token. Calls made while one refresh runs share its answer. An Auth error
    // means the sign-in is gone for good (invalid_grant): needsSignIn() is then true, and the run
    // should abort as access denied with the error's Reconnect hint.
    virtual void refresh(Done done) = 0;
    virtual bool needsSignIn() const = 0;
    // Salesforce: the org's API host from the last token reply (empty when the provider has none).
    virtual QUrl instanceUrl() const { return {}; }
};

} // namespace tributary
