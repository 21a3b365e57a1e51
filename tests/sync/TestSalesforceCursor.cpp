#include "sync/SalesforceCursor.h"

#include <QJsonArray>
#include <QTest>

using namespace tributary;
using namespace Qt::StringLiterals;

namespace {

QDateTime at(int second)
{
    return QDateTime(QDate(2024, 5, 1), QTime(10, 0, second), Qt::UTC);
}

// The ids a pass accepts from records given as {id, second}.
QStringList pass(SalesforceCursor *cursor, const QList<QPair<QString, int>> &records)
{
    QStringList accepted;
    for (const auto &[id, second] : records) {
        if (cursor->accept(id, at(second)))
            accepted.append(id);
    }
    return accepted;
}

} // namespace

class TestSalesforceCursor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstPassAcceptsEverything()
    {
        SalesforceCursor c;
        QVERIFY(c.isEmpty());
        QCOMPARE(pass(&c, {{u"a"_s, 1}, {u"b"_s, 2}, {u"c"_s, 2}}), (QStringList {u"a"_s, u"b"_s, u"c"_s}));
        QCOMPARE(c.since(), at(2));
        QCOMPARE(c.boundary(), (QSet<QString> {u"b"_s, u"c"_s}));
    }

    void boundaryRecordsAreNotReadTwice()
    {
        // A run ends on second 2 with b and c; the next asks >= 2 and gets b, c again, plus d
        // (written on second 2 after the run) and e.
        SalesforceCursor c(at(2), {u"b"_s, u"c"_s});
        QCOMPARE(pass(&c, {{u"b"_s, 2}, {u"d"_s, 2}, {u"c"_s, 2}, {u"e"_s, 3}}), (QStringList {u"d"_s, u"e"_s}));
        QCOMPARE(c.since(), at(3));
        QCOMPARE(c.boundary(), (QSet<QString> {u"e"_s}));
        // Nothing new: only e comes back, and is dropped.
        QCOMPARE(pass(&c, {{u"e"_s, 3}}), QStringList());
        QCOMPARE(c.since(), at(3));
    }

    void aStampAcrossPagesKeepsEveryId()
    {
        SalesforceCursor c;
        QCOMPARE(pass(&c, {{u"a"_s, 5}, {u"b"_s, 5}}), (QStringList {u"a"_s, u"b"_s})); // page 1
        QCOMPARE(pass(&c, {{u"c"_s, 5}, {u"d"_s, 5}}), (QStringList {u"c"_s, u"d"_s})); // page 2, same instant
        QCOMPARE(c.boundary(), (QSet<QString> {u"a"_s, u"b"_s, u"c"_s, u"d"_s}));
        // The run stops here; the next re-reads >= 5 and keeps only what is new.
        SalesforceCursor resumed = SalesforceCursor::readFrom([&] {
            QJsonObject state;
            c.writeTo(&state);
            return state;
        }());
        QCOMPARE(pass(&resumed, {{u"a"_s, 5}, {u"b"_s, 5}, {u"c"_s, 5}, {u"d"_s, 5}, {u"e"_s, 5}}),
                 (QStringList {u"e"_s}));
    }

    void anUpdatedBoundaryRecordComesAgain()
    {
        SalesforceCursor c(at(2), {u"b"_s});
        QCOMPARE(pass(&c, {{u"b"_s, 2}, {u"b"_s, 9}}), (QStringList {u"b"_s})); // changed later: read again
        QCOMPARE(c.since(), at(9));
    }

    void recordsWithoutTimeAreKept()
    {
        SalesforceCursor c(at(2), {u"b"_s});
        QVERIFY(c.accept(QStringLiteral("x"), QDateTime()));
        QCOMPARE(c.since(), at(2));
    }

    void savesAndReads()
    {
        SalesforceCursor c(QDateTime(QDate(2024, 5, 1), QTime(10, 0, 1, 250), Qt::UTC), {u"z"_s, u"a"_s});
        QJsonObject state {{u"mode"_s, u"salesforce"_s}};
        c.writeTo(&state);
        QCOMPARE(state.value(u"since"_s).toString(), QStringLiteral("2024-05-01T10:00:01.250Z"));
        QCOMPARE(state.value(u"boundary"_s).toArray(), (QJsonArray {u"a"_s, u"z"_s}));
        const SalesforceCursor back = SalesforceCursor::readFrom(state);
        QCOMPARE(back.since(), c.since());
        QCOMPARE(back.boundary(), c.boundary());
        QJsonObject empty;
        SalesforceCursor().writeTo(&empty);
        QVERIFY(empty.isEmpty());
        QVERIFY(SalesforceCursor::readFrom({}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSalesforceCursor)
#include "TestSalesforceCursor.moc"
