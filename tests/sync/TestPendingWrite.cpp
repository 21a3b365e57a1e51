// Pages gathered into one write: which pages may join, what the joined write carries, and when
// it is due.
#include "sync/PendingWrite.h"

#include <QTest>
#include <QThread>

using namespace tributary;
using namespace Qt::StringLiterals;

namespace {

WriteRequest page(const QStringList &ids, const QString &after, QList<bool> deleted = {})
{
    WriteRequest request;
    request.source = u"shop"_s;
    request.schema = u"stripe"_s;
    request.collection = u"customers"_s;
    request.receivedAt = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
    request.versionColumn = u"updated"_s;
    request.replaceOnEqualVersion = true;
    for (const QString &id : ids) {
        FlatRecord row;
        row.id = id;
        row.fields.append(FlatField {u"id"_s, ColumnType::Text, id});
        request.rows.append(row);
    }
    request.deleted = std::move(deleted);
    request.state = QJsonObject {{u"after"_s, after}};
    return request;
}

QStringList ids(const WriteRequest &request)
{
    QStringList out;
    for (const FlatRecord &row : request.rows)
        out.append(row.id);
    return out;
}

} // namespace

class TestPendingWrite : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void joinsPagesInOrderWithTheLastCursor();
    void onlyPagesOfOneKindJoin();
    void dueAtTheRecordLimit();
    void dueAfterTheAgeLimit();
};

void TestPendingWrite::joinsPagesInOrderWithTheLastCursor()
{
    PendingWrite pending(1000, 60000);
    QVERIFY(pending.isEmpty());
    pending.add(page({u"a"_s, u"b"_s}, u"b"_s), 4); // no deletion flags
    pending.add(page({u"c"_s}, u"c"_s, {true}), 5);
    pending.add(page({}, u"c"_s), 6); // an empty page still moves the cursor along
    pending.add(page({u"d"_s}, u"d"_s), 7);
    QCOMPARE(pending.pages(), 4);
    QCOMPARE(pending.records(), 4);
    QCOMPARE(pending.firstPage(), 4);
    QCOMPARE(pending.lastPage(), 7);
    const WriteRequest joined = pending.take();
    QCOMPARE(ids(joined), (QStringList {u"a"_s, u"b"_s, u"c"_s, u"d"_s}));
    QCOMPARE(joined.deleted, (QList<bool> {false, false, true, false}));
    QCOMPARE(joined.state.value(u"after"_s).toString(), u"d"_s);
    QCOMPARE(joined.versionColumn, u"updated"_s);
    QVERIFY(joined.replaceOnEqualVersion);
    QVERIFY(pending.isEmpty());
    QCOMPARE(pending.records(), 0);
    QVERIFY(!pending.isDue());
}

void TestPendingWrite::onlyPagesOfOneKindJoin()
{
    PendingWrite pending;
    QVERIFY(pending.accepts(page({u"a"_s}, u"a"_s)));
    pending.add(page({u"a"_s}, u"a"_s), 1);
    QVERIFY(pending.accepts(page({u"b"_s}, u"b"_s)));
    WriteRequest events = page({u"b"_s}, u"b"_s);
    events.replaceOnEqualVersion = false; // change events after a list read: not in one write
    QVERIFY(!pending.accepts(events));
    WriteRequest unversioned = page({u"b"_s}, u"b"_s);
    unversioned.versionColumn.clear();
    QVERIFY(!pending.accepts(unversioned));
    WriteRequest other = page({u"b"_s}, u"b"_s);
    other.collection = u"charges"_s;
    QVERIFY(!pending.accepts(other));
    WriteRequest appended = page({u"b"_s}, u"b"_s);
    appended.kind = CollectionKind::Event;
    QVERIFY(!pending.accepts(appended));
}

void TestPendingWrite::dueAtTheRecordLimit()
{
    PendingWrite pending(3, 60000);
    pending.add(page({u"a"_s, u"b"_s}, u"b"_s), 1);
    QVERIFY(!pending.isDue());
    pending.add(page({u"c"_s}, u"c"_s), 2);
    QVERIFY(pending.isDue());
}

void TestPendingWrite::dueAfterTheAgeLimit()
{
    PendingWrite pending(1000, 50);
    pending.add(page({u"a"_s}, u"a"_s), 1);
    QVERIFY(!pending.isDue());
    QThread::msleep(80);
    QVERIFY(pending.isDue());
    pending.take();
    pending.add(page({u"b"_s}, u"b"_s), 2); // the age counts from the first page held again
    QVERIFY(!pending.isDue());
}

QTEST_GUILESS_MAIN(TestPendingWrite)
#include "TestPendingWrite.moc"
