#pragma once

#include "core/Result.h"
#include "core/RunSummary.h"

#include <QList>
#include <QString>

#include <optional>

namespace tributary {

// The history of a source's runs: one JSON summary per line, oldest first.
class HistoryStore
{
public:
    explicit HistoryStore(QString path);

    Result<void> append(const RunSummary &summary);
    QList<RunSummary> runs() const; // unreadable lines are skipped
    std::optional<RunSummary> last() const;
    bool remove();

private:
    QString m_path;
};

} // namespace tributary
