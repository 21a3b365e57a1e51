#include "RunProgressDelegate.h"

#include "gui/RunProgressModel.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QEvent>
#include <QPainter>
#include <QStyleOptionProgressBar>

#include <algorithm>

namespace tributary {

RunProgressDelegate::RunProgressDelegate(QObject *parent) : QStyledItemDelegate(parent) { }

void RunProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariant maximum = index.data(RunProgressModel::ProgressMaximumRole);
    if (!maximum.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // The row's selection background first, then the bar inside the cell.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);

    QStyleOptionProgressBar bar;
    if (widget)
        bar.initFrom(widget);
    bar.rect = option.rect.adjusted(3, 3, -3, -3);
    bar.state = (option.state & QStyle::State_Enabled) | QStyle::State_Horizontal;
    bar.direction = option.direction;
    bar.fontMetrics = option.fontMetrics;
    bar.palette = option.palette;
    const qint64 expected = maximum.toLongLong();
    const qint64 received = index.data(RunProgressModel::ProgressValueRole).toLongLong();
    if (expected > 0) {
        // Scaled to a permille: record counts may pass an int.
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = int(std::clamp<qint64>(received * 1000 / expected, 0, 1000));
    } else {
        bar.minimum = bar.maximum = bar.progress = 0; // busy
    }
    bar.text = index.data(Qt::DisplayRole).toString();
    bar.textVisible = !bar.text.isEmpty();
    bar.textAlignment = Qt::AlignCenter;
    if (auto *view = qobject_cast<QAbstractItemView *>(const_cast<QWidget *>(widget))) {
        m_view = view;
        m_column = index.column();
        bar.styleObject = const_cast<RunProgressDelegate *>(this); // see event()
    }
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

bool RunProgressDelegate::isBusy(const QModelIndex &index)
{
    const QVariant maximum = index.data(RunProgressModel::ProgressMaximumRole);
    return maximum.isValid() && maximum.toLongLong() <= 0;
}

bool RunProgressDelegate::event(QEvent *event)
{
    if (event->type() != QEvent::StyleAnimationUpdate)
        return QStyledItemDelegate::event(event);
    // The style's next frame: the busy cells are repainted; none left (or the view hidden), the
    // event goes unaccepted and the style ends the animation.
    bool busy = false;
    if (m_view && m_view->isVisible() && m_view->model()) {
        const QAbstractItemModel *model = m_view->model();
        for (int row = 0; row < model->rowCount(m_view->rootIndex()); ++row) {
            const QModelIndex cell = model->index(row, m_column, m_view->rootIndex());
            if (isBusy(cell)) {
                m_view->update(cell);
                busy = true;
            }
        }
    }
    event->setAccepted(busy);
    return true;
}

QSize RunProgressDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QSize hint = QStyledItemDelegate::sizeHint(option, index);
    return {qMax(hint.width(), 120), hint.height()};
}

} // namespace tributary
