#include "HistoryStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace tributary {

HistoryStore::HistoryStore(QString path) : m_path(std::move(path)) { }

Result<void> HistoryStore::append(const RunSummary &summary)
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QFile file(m_path);
    if (!file.open(QIODevice::Append))
        return Error::make(Error::Kind::Config,
                           QStringLiteral("Cannot write the history %1: %2").arg(m_path, file.errorString()),
                           QStringLiteral("Check that the folder is writable."));
    file.write(QJsonDocument(summary.toJson()).toJson(QJsonDocument::Compact) + '\n');
    return {};
}

QList<RunSummary> HistoryStore::runs() const
{
    QList<RunSummary> list;
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return list;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (doc.isObject())
            list.append(RunSummary::fromJson(doc.object()));
    }
    return list;
}

std::optional<RunSummary> HistoryStore::last() const
{
    const QList<RunSummary> all = runs();
    if (all.isEmpty())
        return std::nullopt;
    return all.last();
}

bool HistoryStore::remove()
{
    return QFile::remove(m_path);
}

} // namespace tributary
