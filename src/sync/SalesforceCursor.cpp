#include "SalesforceCursor.h"

#include "sync/SalesforceDescribe.h"

#include <QJsonArray>

namespace tributary {

namespace {

const QString kSince = QStringLiteral("since");
const QString kBoundary = QStringLiteral("boundary");

} // namespace

SalesforceCursor::SalesforceCursor(QDateTime since, QSet<QString> boundary)
    : m_since(std::move(since)), m_boundary(std::move(boundary))
{ }

bool SalesforceCursor::accept(const QString &id, const QDateTime &changedAt)
{
    if (!changedAt.isValid())
        return true;
    if (m_since.isValid() && changedAt < m_since)
        return true; // out of order (should not happen): keep it, and keep the cursor
    if (m_since.isValid() && changedAt == m_since) {
        if (m_boundary.contains(id))
            return false;
        m_boundary.insert(id);
        return true;
    }
    m_since = changedAt;
    m_boundary = {id};
    return true;
}

void SalesforceCursor::writeTo(QJsonObject *state) const
{
    if (!m_since.isValid())
        return;
    QStringList ids(m_boundary.cbegin(), m_boundary.cend());
    ids.sort();
    QJsonArray boundary;
    for (const QString &id : std::as_const(ids))
        boundary.append(id);
    state->insert(kSince, SalesforceDescribe::isoText(m_since));
    state->insert(kBoundary, boundary);
}

SalesforceCursor SalesforceCursor::readFrom(const QJsonObject &state)
{
    const QDateTime since = SalesforceDescribe::parseDateTime(state.value(kSince).toString());
    if (!since.isValid())
        return {};
    QSet<QString> boundary;
    for (const QJsonValue &v : state.value(kBoundary).toArray())
        boundary.insert(v.toString());
    return {since, boundary};
}

} // namespace tributary
