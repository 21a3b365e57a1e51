#pragma once

#include "core/Result.h"

#include <QHash>
#include <QMutex>
#include <QString>

namespace tributary {

// Where secrets live, keyed by source and setting ("my-stripe", "api_key"). The OS keychain
// implementation arrives with the authentication work; until then the session store keeps a
// secret in memory only, and is honest about it. There is never a plain-text fallback.
class CredentialStore
{
public:
    virtual ~CredentialStore() = default;

    virtual bool isPersistent() const = 0; // false: secrets are forgotten when the process ends
    virtual Result<void> write(const QString &source, const QString &key, const QString &secret) = 0;
    virtual Result<QString> read(const QString &source, const QString &key) = 0;
    virtual Result<void> remove(const QString &source, const QString &key) = 0;
};

// Secrets in this process's memory only.
class SessionCredentialStore final : public CredentialStore
{
public:
    bool isPersistent() const override { return false; }
    Result<void> write(const QString &source, const QString &key, const QString &secret) override;
    Result<QString> read(const QString &source, const QString &key) override;
    Result<void> remove(const QString &source, const QString &key) override;

private:
    QMutex m_mutex;
    QHash<QString, QString> m_secrets;
};

// A setting value: a plain value, "env:VAR" (read from the environment at each run), or
// "keychain:" (read from the credential store).
namespace SecretReference {
bool isReference(const QString &value);
QString keychain();
Result<QString> resolve(const QString &value, const QString &source, const QString &key, CredentialStore &store);
} // namespace SecretReference

} // namespace tributary
