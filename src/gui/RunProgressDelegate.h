#pragma once

#include <QStyledItemDelegate>

namespace tributary {

// Draws RunProgressModel's Progress column as a progress bar: determinate (received of expected)
// when the API said how many records come, busy while it runs otherwise, nothing when neither.
class RunProgressDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunProgressDelegate)

public:
    explicit RunProgressDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace tributary
