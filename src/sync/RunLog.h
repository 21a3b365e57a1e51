#pragma once

#include <QFile>
#include <QString>

namespace tributary {

// The log of one run: a plain text file, one time-stamped line per event. Callers pass only
// redacted text: no secret ever reaches it (URLs are logged without their query string).
class RunLog
{
public:
    explicit RunLog(const QString &path); // an empty path logs nowhere
    void write(const QString &line);
    QString path() const { return m_file.fileName(); }

private:
    QFile m_file;
};

} // namespace tributary
