#include "TableSchema.h"

namespace tributary {

ColumnType TableSchema::type(const QString &name) const
{
    const int i = indexOf(name);
    return i < 0 ? ColumnType::Null : m_columns.at(i).type;
}

int TableSchema::indexOf(const QString &name) const
{
    return m_index.value(name, -1);
}

bool TableSchema::addOrWiden(const QString &name, ColumnType type, Change *change)
{
    const int i = indexOf(name);
    if (i < 0) {
        m_index.insert(name, int(m_columns.size()));
        m_columns.append(Column {name, type});
        if (change)
            change->added.append(Column {name, type});
        return true;
    }

    Column &column = m_columns[i];
    const ColumnType wider = widenColumnType(column.type, type);
    if (wider == column.type)
        return false;
    column.type = wider;
    if (change) {
        // A Change is the net difference: a column added or already widened in this same Change
        // is updated in place rather than reported twice.
        for (QList<Column> *list : {&change->added, &change->widened}) {
            for (Column &c : *list) {
                if (c.name == name) {
                    c.type = wider;
                    return true;
                }
            }
        }
        change->widened.append(Column {name, wider});
    }
    return true;
}

TableSchema::Change TableSchema::merge(const FlatRecord &record)
{
    Change change;
    for (const FlatField &field : record.fields)
        addOrWiden(field.column, field.type, &change);
    return change;
}

} // namespace tributary
