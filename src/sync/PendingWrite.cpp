#include "PendingWrite.h"

namespace tributary {

PendingWrite::PendingWrite(int recordLimit, int ageLimitMs) : m_recordLimit(recordLimit), m_ageLimitMs(ageLimitMs) { }

bool PendingWrite::accepts(const WriteRequest &page) const
{
    if (isEmpty())
        return true;
    return page.source == m_request.source && page.schema == m_request.schema && page.collection == m_request.collection
            && page.kind == m_request.kind && page.versionColumn == m_request.versionColumn
            && page.replaceOnEqualVersion == m_request.replaceOnEqualVersion && page.receivedAt == m_request.receivedAt;
}

void PendingWrite::add(WriteRequest page, int pageNumber)
{
    Q_ASSERT(accepts(page));
    if (isEmpty()) {
        // deleted has either no entry or one per row: keep it so when pages join.
        if (page.deleted.isEmpty() && !page.rows.isEmpty())
            page.deleted.fill(false, page.rows.size());
        m_request = std::move(page);
        m_pages = 1;
        m_firstPage = pageNumber;
        m_age.start();
        return;
    }
    m_request.rows.reserve(m_request.rows.size() + page.rows.size());
    for (FlatRecord &row : page.rows)
        m_request.rows.append(std::move(row));
    if (page.deleted.isEmpty())
        m_request.deleted.resize(m_request.rows.size(), false);
    else
        m_request.deleted.append(page.deleted);
    m_request.state = std::move(page.state);
    ++m_pages;
}

bool PendingWrite::isDue() const
{
    return !isEmpty() && (records() >= m_recordLimit || m_age.elapsed() >= m_ageLimitMs);
}

WriteRequest PendingWrite::take()
{
    m_pages = 0;
    m_firstPage = 0;
    m_age.invalidate();
    return std::exchange(m_request, WriteRequest {});
}

} // namespace tributary
