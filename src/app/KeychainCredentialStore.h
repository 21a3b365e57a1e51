#pragma once

#include "app/CredentialStore.h"

#include <QString>

namespace tributary {

// Secrets in the OS keychain through QtKeychain (Secret Service on Linux, Keychain on macOS,
// Credential Manager on Windows), one entry per source and setting: service serviceFor(home),
// key "<source>/<setting>" (the warehouse password is source "warehouse").
//
// QtKeychain is asynchronous and needs an event loop in the thread that runs its jobs; the
// CredentialStore interface is synchronous. Every job therefore runs on one process-wide keychain
// thread and the caller waits for its answer (no nested event loop in the caller). A call blocks
// for one D-Bus round trip, or while the system shows an unlock prompt, at most timeoutMs.
// Safe to use from any thread.
class KeychainCredentialStore final : public CredentialStore
{
public:
    // The service name of the entries: "Tributary" for the default home, "Tributary (<path>)"
    // for a --home or TRIBUTARY_HOME folder, so that two homes never share secrets.
    static QString serviceFor(const QString &home, bool isDefaultHome);

    explicit KeychainCredentialStore(QString service = QStringLiteral("Tributary"), int timeoutMs = 120000);

    const QString &service() const { return m_service; }

    // Whether the keychain answers: a read of an entry that does not exist. The error says, in
    // plain words, that no keychain is available and why.
    Result<void> checkAvailable();

    bool isPersistent() const override { return true; }
    Result<void> write(const QString &source, const QString &key, const QString &secret) override;
    Result<QString> read(const QString &source, const QString &key) override;
    Result<void> remove(const QString &source, const QString &key) override; // a missing entry is fine

private:
    QString m_service;
    int m_timeoutMs;
};

} // namespace tributary
