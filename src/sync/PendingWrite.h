#pragma once

#include "warehouse/Warehouse.h"

#include <QElapsedTimer>

namespace tributary {

// Consecutive pages of one collection gathered into one warehouse write. A write is one
// transaction with a fixed cost (the round trips, the staging table, the commit): a write of
// 1,000 records costs PostgreSQL about half what ten writes of 100 cost per record, and writes of
// 5,000 loaded 1,000,000 records 10-30% faster again than writes of 1,000, for ~40 MB more
// memory (docs/performance.md). Rows and the cursor still commit together: the pending write
// carries the rows of its pages and the cursor after the last of them, so a crash re-reads at
// most its pages, and nothing is counted before its write succeeds.
//
// Joining pages is exact: only pages whose kind, version column and replaceOnEqualVersion agree
// share a write, and BatchPlan resolves an object repeated across them as writing the pages one
// after another would (the later occurrence wins unless older; on equal versions a current-state
// read replaces and a repeated change event does not).
//
// SyncJob decides when to write: when the pending rows reach recordLimit(), when a page says it
// is the collection's last, when a page cannot join, after ageLimitMs() (so a slow upstream
// still commits its pages promptly), and before anything that ends the collection or the run.
class PendingWrite
{
public:
    static constexpr int kDefaultRecordLimit = 5000;
    static constexpr int kDefaultAgeLimitMs = 250;

    explicit PendingWrite(int recordLimit = kDefaultRecordLimit, int ageLimitMs = kDefaultAgeLimitMs);

    bool isEmpty() const { return m_pages == 0; }
    int pages() const { return m_pages; }
    qsizetype records() const { return m_request.rows.size(); }
    int recordLimit() const { return m_recordLimit; }
    int ageLimitMs() const { return m_ageLimitMs; }
    // The page numbers (1-based, in the collection) of the first and last page held.
    int firstPage() const { return m_firstPage; }
    int lastPage() const { return m_firstPage + m_pages - 1; }

    // Whether a page's write can share this one's transaction (always, when empty).
    bool accepts(const WriteRequest &page) const;
    // Adds a page that accepts() takes: its rows and deletion flags are appended, its cursor
    // replaces the held one. pageNumber is the page's number in the collection.
    void add(WriteRequest page, int pageNumber);
    // Whether the held pages should be written now, without waiting for more.
    bool isDue() const;
    // The write of every held page; the pending write is empty again.
    WriteRequest take();

private:
    int m_recordLimit;
    int m_ageLimitMs;
    WriteRequest m_request;
    int m_pages = 0;
    int m_firstPage = 0;
    QElapsedTimer m_age; // since the first held page came
};

} // namespace tributary
