#include "RunLock.h"

#include <QDir>
#include <QFileInfo>

namespace tributary {

RunLock::RunLock(const QString &path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    m_lock = std::make_unique<QLockFile>(path);
    m_lock->setStaleLockTime(0); // a lock is stale only when its process is gone
}

bool RunLock::tryLock()
{
    return m_lock->tryLock(0);
}

void RunLock::unlock()
{
    m_lock->unlock();
}

QString RunLock::holder() const
{
    qint64 pid = 0;
    QString host;
    QString app;
    if (!m_lock->getLockInfo(&pid, &host, &app))
        return {};
    return QStringLiteral("process %1 on %2").arg(pid).arg(host);
}

} // namespace tributary
