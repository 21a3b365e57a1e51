#include "CredentialStore.h"

namespace tributary {

namespace {
QString storeKey(const QString &source, const QString &key)
{
    return source + QLatin1Char('\n') + key;
}
} // namespace

Result<void> SessionCredentialStore::write(const QString &source, const QString &key, const QString &secret)
{
    QMutexLocker lock(&m_mutex);
    m_secrets.insert(storeKey(source, key), secret);
    return {};
}

Result<QString> SessionCredentialStore::read(const QString &source, const QString &key)
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_secrets.constFind(storeKey(source, key));
    if (it == m_secrets.cend())
        return Error::make(Error::Kind::Auth,
                           QStringLiteral("The secret '%1' of '%2' is not available.").arg(key, source),
                           QStringLiteral("Enter it again in the source's settings, or give it as env:VAR."));
    return *it;
}

Result<void> SessionCredentialStore::remove(const QString &source, const QString &key)
{
    QMutexLocker lock(&m_mutex);
    m_secrets.remove(storeKey(source, key));
    return {};
}

namespace SecretReference {

bool isReference(const QString &value)
{
    return value.startsWith(QLatin1String("env:")) || value == keychain();
}

QString keychain()
{
    return QStringLiteral("keychain:");
}

Result<QString> resolve(const QString &value, const QString &source, const QString &key, CredentialStore &store)
{
    if (value.startsWith(QLatin1String("env:"))) {
        const QString variable = value.mid(4);
        const QByteArray name = variable.toLocal8Bit();
        if (variable.isEmpty() || !qEnvironmentVariableIsSet(name.constData()))
            return Error::make(
                    Error::Kind::Config,
                    QStringLiteral("The setting '%1' of '%2' comes from the environment variable %3, which is not set.")
                            .arg(key, source, variable),
                    QStringLiteral("Export %1 before running Tributary, or change the setting.").arg(variable));
        return qEnvironmentVariable(name.constData());
    }
    if (value == keychain())
        return store.read(source, key);
    return value;
}

} // namespace SecretReference

} // namespace tributary
