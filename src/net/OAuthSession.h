#pragma once

#include "net/OAuthProvider.h"
#include "net/OAuthTokenProvider.h"
#include "net/OAuthTokens.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

class QNetworkAccessManager;

namespace tributary {

// The tokens of one signed-in source during a run, refreshed with grant_type=refresh_token at
// the provider's token endpoint (its own QNetworkAccessManager: the token host is not the API's,
// and its 4xx answers must reach the parser whole). A refresh token that
// the provider rotates is handed to the tokens-changed handler at once, before anything else
// uses the new access token, so that the app can store it in the keychain: the old one is dead.
class OAuthSession final : public QObject, public OAuthTokenProvider
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OAuthSession)

public:
    using TokensChanged = std::function<void(const OAuthTokens &)>;

    static constexpr qint64 kRefreshMarginSeconds = 120;

    OAuthSession(OAuthProvider provider, OAuthTokens tokens, QObject *parent = nullptr);

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }

    void setTokensChangedHandler(TokensChanged handler) { m_tokensChanged = std::move(handler); }
    const OAuthTokens &tokens() const { return m_tokens; }
    const OAuthProvider &provider() const { return m_provider; }

    Secret accessToken() const override { return m_tokens.accessToken; }
    bool needsRefresh(const QDateTime &now) const override;
    void refresh(Done done) override;
    bool needsSignIn() const override { return m_needsSignIn; }
    QUrl instanceUrl() const override { return m_tokens.instanceUrl; }

private:
    void finish(const Result<void> &result);

    OAuthProvider m_provider;
    OAuthTokens m_tokens;
    QNetworkAccessManager *m_network = nullptr;
    int m_timeoutMs = 30000;
    TokensChanged m_tokensChanged;
    QList<Done> m_waiting; // non-empty while a refresh runs
    bool m_needsSignIn = false;
};

} // namespace tributary
