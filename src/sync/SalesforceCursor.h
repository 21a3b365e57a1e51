#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QSet>
#include <QString>

namespace tributary {

// Where an object's incremental read stands: the newest change time read (the cursor field of
// the last record, SystemModstamp) and the ids read at exactly that instant. A pass asks for
// `cursor >= since` (many records can share one stamp, and a stamp can straddle two pages or two
// runs), and accept() drops the records on the boundary that were read already: none is lost,
// none is read twice.
class SalesforceCursor
{
public:
    SalesforceCursor() = default;
    SalesforceCursor(QDateTime since, QSet<QString> boundary);

    const QDateTime &since() const { return m_since; }
    const QSet<QString> &boundary() const { return m_boundary; }
    bool isEmpty() const { return !m_since.isValid(); }

    // A record in the order of its change time: false when it was read already (on the boundary);
    // otherwise it moves the cursor on. A record without a valid time is always accepted and
    // leaves the cursor alone.
    bool accept(const QString &id, const QDateTime &changedAt);

    // {"since": ISO, "boundary": [ids, sorted]}: added to the collection's state.
    void writeTo(QJsonObject *state) const;
    static SalesforceCursor readFrom(const QJsonObject &state);

private:
    QDateTime m_since; // UTC; invalid: nothing read yet
    QSet<QString> m_boundary;
};

} // namespace tributary
