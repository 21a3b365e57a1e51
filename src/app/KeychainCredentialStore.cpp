#include "KeychainCredentialStore.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QLoggingCategory>
#include <QMutex>
#include <QThread>
#include <QWaitCondition>

#include <qt6keychain/keychain.h>

#include <functional>
#include <memory>

namespace tributary {

Q_LOGGING_CATEGORY(lcKeychain, "tributary.app.keychain")

namespace {

struct JobOutcome
{
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QString text; // a read's secret
};

// One thread for the whole process runs every keychain job: QtKeychain queues its jobs in a
// process-wide executor that must keep living in one thread with an event loop.
class KeychainThread
{
public:
    static KeychainThread &instance()
    {
        static KeychainThread *self = [] {
            auto *created = new KeychainThread;
            // Stop the thread while QCoreApplication still exists (its destructor runs this).
            qAddPostRoutine([] { instance().stop(); });
            return created;
        }();
        return *self;
    }

    QObject *context() { return m_context; }
    QThread *thread() { return &m_thread; }

private:
    KeychainThread()
    {
        m_thread.setObjectName(QStringLiteral("keychain"));
        m_context = new QObject;
        m_context->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
        m_thread.start();
    }

    void stop()
    {
        m_thread.quit();
        m_thread.wait();
    }

    QThread m_thread;
    QObject *m_context = nullptr;
};

struct Waiter
{
    QMutex mutex;
    QWaitCondition condition;
    bool done = false;
    JobOutcome outcome;
};

JobOutcome runJob(const std::function<QKeychain::Job *()> &makeJob, const std::function<void(QKeychain::Job *)> &onOk,
                  int timeoutMs)
{
    KeychainThread &keychain = KeychainThread::instance();
    if (QThread::currentThread() == keychain.thread())
        return {QKeychain::OtherError, QStringLiteral("keychain called from its own thread"), {}};
    auto waiter = std::make_shared<Waiter>();
    const bool queued = QMetaObject::invokeMethod(
            keychain.context(),
            [waiter, makeJob, onOk] {
                QKeychain::Job *job = makeJob();
                job->setAutoDelete(true);
                job->setInsecureFallback(false); // never a plain-text file
                QObject::connect(job, &QKeychain::Job::finished, job, [waiter, onOk](QKeychain::Job *finished) {
                    JobOutcome outcome;
                    outcome.error = finished->error();
                    outcome.errorString = finished->errorString();
                    if (outcome.error == QKeychain::NoError && onOk)
                        onOk(finished);
                    QMutexLocker lock(&waiter->mutex);
                    waiter->outcome = std::move(outcome);
                    waiter->done = true;
                    waiter->condition.wakeAll();
                });
                job->start();
            },
            Qt::QueuedConnection);
    if (!queued)
        return {QKeychain::OtherError, QStringLiteral("the keychain thread is not running"), {}};
    QMutexLocker lock(&waiter->mutex);
    QDeadlineTimer deadline(timeoutMs);
    while (!waiter->done) {
        if (!waiter->condition.wait(&waiter->mutex, deadline))
            return {QKeychain::OtherError,
                    QStringLiteral("the keychain did not answer within %1 s").arg(timeoutMs / 1000),
                    {}};
    }
    return waiter->outcome;
}

QString entryKey(const QString &source, const QString &key)
{
    return source + QLatin1Char('/') + key;
}

// The plain-words error for a keychain that failed (anything but a missing entry).
Error keychainError(const JobOutcome &outcome, const QString &action)
{
    switch (outcome.error) {
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return Error::make(
                Error::Kind::Config,
                QStringLiteral("The OS keychain refused to %1 (%2).").arg(action, outcome.errorString),
                QStringLiteral("Allow Tributary to use the keychain when the system asks, or give the secret as an "
                               "environment variable reference (env:VAR)."));
    default:
        return Error::make(
                Error::Kind::Config,
                QStringLiteral("No keychain available: could not %1 (%2).").arg(action, outcome.errorString),
                QStringLiteral("Tributary keeps secrets only in the OS keychain (on Linux the Secret Service: GNOME "
                               "Keyring or KWallet, which needs a D-Bus session). Start or unlock it, or give the "
                               "secret as an environment variable reference (env:VAR)."));
    }
}

} // namespace

QString KeychainCredentialStore::serviceFor(const QString &home, bool isDefaultHome)
{
    if (isDefaultHome || home.isEmpty())
        return QStringLiteral("Tributary");
    return QStringLiteral("Tributary (%1)").arg(QDir::cleanPath(QDir(home).absolutePath()));
}

KeychainCredentialStore::KeychainCredentialStore(QString service, int timeoutMs)
    : m_service(std::move(service)), m_timeoutMs(timeoutMs)
{ }

Result<void> KeychainCredentialStore::checkAvailable()
{
    const QString service = m_service;
    const JobOutcome outcome = runJob(
            [service] {
                auto *job = new QKeychain::ReadPasswordJob(service);
                job->setKey(QStringLiteral("tributary-keychain-probe"));
                return job;
            },
            {}, m_timeoutMs);
    if (outcome.error == QKeychain::NoError || outcome.error == QKeychain::EntryNotFound)
        return {};
    qCInfo(lcKeychain).noquote() << "keychain unavailable:" << outcome.error << outcome.errorString;
    return keychainError(outcome, QStringLiteral("reach it"));
}

Result<void> KeychainCredentialStore::write(const QString &source, const QString &key, const QString &secret)
{
    const QString service = m_service;
    const QString entry = entryKey(source, key);
    const JobOutcome outcome = runJob(
            [service, entry, secret] {
                auto *job = new QKeychain::WritePasswordJob(service);
                job->setKey(entry);
                job->setTextData(secret);
                return job;
            },
            {}, m_timeoutMs);
    qCDebug(lcKeychain).noquote() << "write" << entry << "->" << outcome.error;
    if (outcome.error != QKeychain::NoError)
        return keychainError(outcome, QStringLiteral("store the secret '%1' of '%2'").arg(key, source));
    return {};
}

Result<QString> KeychainCredentialStore::read(const QString &source, const QString &key)
{
    const QString service = m_service;
    const QString entry = entryKey(source, key);
    auto text = std::make_shared<QString>();
    const JobOutcome outcome = runJob(
            [service, entry] {
                auto *job = new QKeychain::ReadPasswordJob(service);
                job->setKey(entry);
                return job;
            },
            [text](QKeychain::Job *job) { *text = static_cast<QKeychain::ReadPasswordJob *>(job)->textData(); },
            m_timeoutMs);
    qCDebug(lcKeychain).noquote() << "read" << entry << "->" << outcome.error;
    if (outcome.error == QKeychain::EntryNotFound)
        return Error::make(Error::Kind::Auth,
                           QStringLiteral("The secret '%1' of '%2' is not in the keychain.").arg(key, source),
                           QStringLiteral("Enter it again in the source's settings (or reconnect), or give it as "
                                          "env:VAR."));
    if (outcome.error != QKeychain::NoError)
        return keychainError(outcome, QStringLiteral("read the secret '%1' of '%2'").arg(key, source));
    return *text;
}

Result<void> KeychainCredentialStore::remove(const QString &source, const QString &key)
{
    const QString service = m_service;
    const QString entry = entryKey(source, key);
    const JobOutcome outcome = runJob(
            [service, entry] {
                auto *job = new QKeychain::DeletePasswordJob(service);
                job->setKey(entry);
                return job;
            },
            {}, m_timeoutMs);
    qCDebug(lcKeychain).noquote() << "remove" << entry << "->" << outcome.error;
    if (outcome.error != QKeychain::NoError && outcome.error != QKeychain::EntryNotFound)
        return keychainError(outcome, QStringLiteral("delete the secret '%1' of '%2'").arg(key, source));
    return {};
}

} // namespace tributary
