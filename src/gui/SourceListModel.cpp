#include "SourceListModel.h"

#include "app/SourceService.h"
#include "core/ScheduleSpec.h"
#include "sync/ConnectorRegistry.h"

#include <QBrush>
#include <QColor>
#include <QIcon>

namespace tributary {

SourceListModel::SourceListModel(const SourceService &service, QObject *parent)
    : QAbstractTableModel(parent), m_service(service)
{
    refresh();
}

void SourceListModel::refresh()
{
    beginResetModel();
    m_rows.clear();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const auto &s : m_service.config().sources()) {
        Row row;
        row.name = s.name;
        const ConnectorManifest *manifest = ConnectorRegistry::instance().find(s.connector);
        row.connector = manifest ? manifest->name : s.connector;
        const auto last = m_service.history(s.name).last();
        row.lastRun = last ? QLocale().toString(last->startedAt.toLocalTime(), QLocale::ShortFormat) : tr("never");
        const ScheduleSpec schedule = ScheduleSpec::fromJson(s.schedule);
        const auto next = schedule.nextRun(last ? last->startedAt : QDateTime(), now);
        row.nextRun = next ? QLocale().toString(next->toLocalTime(), QLocale::ShortFormat) : tr("manual");
        row.health = m_service.health(s.name);
        if (const auto warning = m_service.retentionWarning(s.name, now))
            row.health += warning->lapsed ? tr(" · change window lapsed")
                                          : tr(" · sync within %n day(s)", nullptr, warning->daysLeft);
        m_rows.append(row);
    }
    endResetModel();
}

bool SourceListModel::isAccessProblem(const QString &health)
{
    return health.startsWith(QLatin1String("access denied")) || health.startsWith(QLatin1String("needs sign-in"));
}

QString SourceListModel::sourceName(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).name : QString();
}

int SourceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SourceListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SourceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == Name)
        return tr("%1 (%2)").arg(row.name, row.connector);
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Name:
            return row.name;
        case Connector:
            return row.connector;
        case LastRun:
            return row.lastRun;
        case NextRun:
            return row.nextRun;
        case Health:
            return row.health;
        default:
            return {};
        }
    }
    // Access denied and a lapsed sign-in ask the user to act: the same warning look for both.
    if (index.column() == Health && isAccessProblem(row.health)) {
        if (role == Qt::DecorationRole)
            return QIcon(QStringLiteral(":/icons/warning.svg"));
        if (role == Qt::ForegroundRole)
            return QBrush(QColor(0xb0, 0x2a, 0x1e));
    }
    if (role == Qt::DecorationRole && index.column() == Name) {
        const SourceConfig *source = m_service.config().source(row.name);
        return source ? QIcon(QStringLiteral(":/connectors/%1/icon.svg").arg(source->connector)) : QIcon();
    }
    return {};
}

QVariant SourceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Source");
    case Connector:
        return tr("Connector");
    case LastRun:
        return tr("Last run");
    case NextRun:
        return tr("Next run");
    case Health:
        return tr("Health");
    default:
        return {};
    }
}

} // namespace tributary
