#pragma once

#include <QPointer>
#include <QStyledItemDelegate>

class QAbstractItemView;

namespace tributary {

// Draws RunProgressModel's Progress column as a progress bar: determinate (received of expected)
// when the API said how many records come, busy while it runs otherwise, nothing when neither.
// A style that animates busy bars (Fusion's moving stripes) animates them through the delegate:
// only the busy cells are repainted, and the animation ends with the last busy bar. Left to the
// view, it repainted the whole view about 60 times a second for as long as the view showed, long
// after the run had ended.
class RunProgressDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunProgressDelegate)

public:
    explicit RunProgressDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

protected:
    bool event(QEvent *event) override;

private:
    static bool isBusy(const QModelIndex &index);

    mutable QPointer<QAbstractItemView> m_view; // the view whose busy bars animate
    mutable int m_column = -1;
};

} // namespace tributary
