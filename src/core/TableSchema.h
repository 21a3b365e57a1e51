#pragma once

#include "ColumnType.h"
#include "FlatRecord.h"

#include <QHash>
#include <QList>
#include <QString>

namespace tributary {

// The columns of one warehouse table and their logical types, in creation order.
class TableSchema
{
public:
    struct Column
    {
        QString name;
        ColumnType type = ColumnType::Null;
        friend bool operator==(const Column &, const Column &) = default;
    };

    // What merging a record changed.
    struct Change
    {
        QList<Column> added;   // new columns, with their type
        QList<Column> widened; // existing columns, with their new wider type
        bool isEmpty() const { return added.isEmpty() && widened.isEmpty(); }
    };

    const QList<Column> &columns() const { return m_columns; }
    bool contains(const QString &name) const { return indexOf(name) >= 0; }
    ColumnType type(const QString &name) const; // Null when absent
    int indexOf(const QString &name) const;

    // Adds a column or widens an existing one; returns true when something changed. With a change,
    // the addition or widening is recorded there; a column already listed in that same change (added
    // or widened) has its type updated in place instead, so a Change is always the net difference.
    bool addOrWiden(const QString &name, ColumnType type, Change *change = nullptr);
    // Adds and widens for every field of the record (a Null value adds a Null-typed column).
    Change merge(const FlatRecord &record);

private:
    QList<Column> m_columns;
    QHash<QString, int> m_index; // name -> position in m_columns
};

} // namespace tributary
