#pragma once

#include <QLockFile>
#include <QString>

#include <memory>

namespace tributary {

// Runs of one source never overlap, whoever starts them (GUI, scheduler, another CLI): a lock
// file per source. A lock left by a killed process is stale and taken over.
class RunLock
{
public:
    explicit RunLock(const QString &path);
    bool tryLock();
    void unlock();
    bool isLocked() const { return m_lock && m_lock->isLocked(); }
    // Who holds it, as "pid on host" (empty when unknown).
    QString holder() const;

private:
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace tributary
