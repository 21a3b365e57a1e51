#include "RunLog.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

namespace tributary {

RunLog::RunLog(const QString &path)
{
    if (path.isEmpty())
        return;
    QDir().mkpath(QFileInfo(path).absolutePath());
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::Append | QIODevice::Text))
        m_file.setFileName(QString());
}

void RunLog::write(const QString &line)
{
    if (!m_file.isOpen())
        return;
    m_file.write(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8() + ' ' + line.toUtf8() + '\n');
    m_file.flush();
}

} // namespace tributary
