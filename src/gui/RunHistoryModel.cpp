#include "RunHistoryModel.h"

#include <QIcon>
#include <QLocale>

namespace tributary {

QString statusIconPath(RunSummary::Status status)
{
    switch (status) {
    case RunSummary::Status::Succeeded:
        return QStringLiteral(":/icons/ok.svg");
    case RunSummary::Status::Partial:
        return QStringLiteral(":/icons/warning.svg");
    case RunSummary::Status::Aborted:
        return QStringLiteral(":/icons/error.svg");
    case RunSummary::Status::Running:
        return QStringLiteral(":/icons/running.svg");
    }
    return {};
}

QString statusIconPath(CollectionSummary::Status status)
{
    switch (status) {
    case CollectionSummary::Status::Succeeded:
        return QStringLiteral(":/icons/ok.svg");
    case CollectionSummary::Status::Failed:
        return QStringLiteral(":/icons/error.svg");
    case CollectionSummary::Status::Stalled:
        return QStringLiteral(":/icons/warning.svg");
    case CollectionSummary::Status::Skipped:
        return QStringLiteral(":/icons/skipped.svg");
    case CollectionSummary::Status::Running:
        return QStringLiteral(":/icons/running.svg");
    case CollectionSummary::Status::Pending:
        return QStringLiteral(":/icons/pending.svg");
    }
    return {};
}

RunHistoryModel::RunHistoryModel(QObject *parent) : QAbstractTableModel(parent) { }

void RunHistoryModel::setRuns(const QList<RunSummary> &oldestFirst)
{
    beginResetModel();
    m_runs = oldestFirst;
    std::reverse(m_runs.begin(), m_runs.end());
    endResetModel();
}

const RunSummary *RunHistoryModel::run(int row) const
{
    return row >= 0 && row < m_runs.size() ? &m_runs.at(row) : nullptr;
}

int RunHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunSummary &r = m_runs.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Started:
            return QLocale().toString(r.startedAt.toLocalTime(), QLocale::ShortFormat);
        case Duration: {
            const qint64 s = r.startedAt.secsTo(r.finishedAt);
            return s < 60 ? tr("%1 s").arg(s) : tr("%1 min %2 s").arg(s / 60).arg(s % 60);
        }
        case Status:
            return RunSummary::statusName(r.status);
        case Records:
            return r.records();
        case ApiCalls:
            return r.apiCalls;
        default:
            return {};
        }
    }
    if (role == Qt::DecorationRole && index.column() == Status)
        return QIcon(statusIconPath(r.status));
    if (role == Qt::ToolTipRole && r.error)
        return QString(r.error->message + QLatin1Char('\n') + r.error->hint);
    if (role == Qt::TextAlignmentRole && (index.column() == Records || index.column() == ApiCalls))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Started:
        return tr("Started");
    case Duration:
        return tr("Duration");
    case Status:
        return tr("Status");
    case Records:
        return tr("Records");
    case ApiCalls:
        return tr("API calls");
    default:
        return {};
    }
}

} // namespace tributary
