#include "sync/SalesforceDescribe.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using namespace tributary;
using namespace Qt::StringLiterals;

namespace {

QJsonObject accountDescribe()
{
    return QJsonDocument::fromJson(R"({"name": "Account", "queryable": true, "fields": [
        {"name": "IsDeleted", "type": "boolean"},
        {"name": "Id", "type": "id"},
        {"name": "Name", "type": "string"},
        {"name": "BillingAddress", "type": "address"},
        {"name": "BillingCity", "type": "string"},
        {"name": "Logo", "type": "base64"},
        {"name": "AnnualRevenue", "type": "currency"},
        {"name": "CreatedDate", "type": "datetime"},
        {"name": "LastModifiedDate", "type": "datetime"},
        {"name": "SystemModstamp", "type": "datetime"},
        {"name": "LastActivityDate", "type": "date"},
        {"name": "Region__c", "type": "picklist"}]})")
            .object();
}

const QDateTime kNow(QDate(2026, 3, 1), QTime(8, 0), Qt::UTC);

} // namespace

class TestSalesforceDescribe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsTheFieldsTheUserCanSee()
    {
        const auto d = SalesforceDescribe::fromReply(accountDescribe(), kNow);
        QVERIFY(d);
        QCOMPARE(d->object, QStringLiteral("Account"));
        QCOMPARE(d->fields,
                 (QStringList {u"Id"_s, u"IsDeleted"_s, u"Name"_s, u"BillingAddress"_s, u"BillingCity"_s,
                               u"AnnualRevenue"_s, u"CreatedDate"_s, u"LastModifiedDate"_s, u"SystemModstamp"_s,
                               u"LastActivityDate"_s, u"Region__c"_s}));
        QCOMPARE(d->datetimes, (QStringList {u"CreatedDate"_s, u"LastModifiedDate"_s, u"SystemModstamp"_s}));
        QCOMPARE(d->cursorField, QStringLiteral("SystemModstamp"));
        QVERIFY(d->hasIsDeleted);
        QCOMPARE(d->fetchedAt, kNow);
    }

    void cursorFieldFallsBack_data()
    {
        QTest::addColumn<QStringList>("datetimes");
        QTest::addColumn<QString>("cursor");
        QTest::newRow("all") << QStringList {u"CreatedDate"_s, u"LastModifiedDate"_s, u"SystemModstamp"_s}
                             << u"SystemModstamp"_s;
        QTest::newRow("no SystemModstamp")
                << QStringList {u"CreatedDate"_s, u"LastModifiedDate"_s} << u"LastModifiedDate"_s;
        QTest::newRow("append-only") << QStringList {u"CreatedDate"_s} << u"CreatedDate"_s;
        QTest::newRow("none") << QStringList {u"ActivityDate"_s} << u""_s;
    }
    void cursorFieldFallsBack()
    {
        QFETCH(QStringList, datetimes);
        QFETCH(QString, cursor);
        QJsonArray fields {QJsonObject {{u"name"_s, u"Id"_s}, {u"type"_s, u"id"_s}}};
        for (const QString &name : std::as_const(datetimes))
            fields.append(QJsonObject {{u"name"_s, name}, {u"type"_s, u"datetime"_s}});
        const auto d = SalesforceDescribe::fromReply({{u"name"_s, u"Thing__c"_s}, {u"fields"_s, fields}}, kNow);
        QVERIFY(d);
        QCOMPARE(d->cursorField, cursor);
        QCOMPARE(d->soql().contains(QLatin1String("ORDER BY")), !cursor.isEmpty());
    }

    void refusesWhatCannotBeQueried()
    {
        QJsonObject o = accountDescribe();
        o.insert(QStringLiteral("queryable"), false);
        const auto d = SalesforceDescribe::fromReply(o, kNow);
        QVERIFY(!d);
        QCOMPARE(d.error().kind, Error::Kind::Permission);
        QVERIFY(d.error().hint.contains(QLatin1String("Account")));
        const auto empty
                = SalesforceDescribe::fromReply({{u"name"_s, u"Account"_s}, {u"fields"_s, QJsonArray()}}, kNow);
        QVERIFY(!empty);
        QCOMPARE(empty.error().kind, Error::Kind::Permission);
        const auto broken = SalesforceDescribe::fromReply({{u"fields"_s, QJsonArray()}}, kNow);
        QVERIFY(!broken);
        QCOMPARE(broken.error().kind, Error::Kind::Parse);
    }

    void buildsSoql()
    {
        const auto d = SalesforceDescribe::fromReply(accountDescribe(), kNow);
        QVERIFY(d);
        const QString fields = QStringLiteral("Id,IsDeleted,Name,BillingAddress,BillingCity,AnnualRevenue,"
                                              "CreatedDate,LastModifiedDate,SystemModstamp,LastActivityDate,Region__c");
        QCOMPARE(d->soql(), QStringLiteral("SELECT %1 FROM Account ORDER BY SystemModstamp ASC").arg(fields));
        QCOMPARE(d->soql(QDateTime(QDate(2024, 1, 1), QTime(12, 34, 56), Qt::UTC)),
                 QStringLiteral("SELECT %1 FROM Account WHERE SystemModstamp >= 2024-01-01T12:34:56Z ORDER BY "
                                "SystemModstamp ASC")
                         .arg(fields));
        QCOMPARE(d->soql(QDateTime(QDate(2024, 1, 1), QTime(12, 34, 56, 7), Qt::UTC)),
                 QStringLiteral("SELECT %1 FROM Account WHERE SystemModstamp >= 2024-01-01T12:34:56.007Z ORDER BY "
                                "SystemModstamp ASC")
                         .arg(fields));
        // A since given in another zone is written in UTC.
        const QDateTime local(QDate(2024, 1, 1), QTime(14, 0), QTimeZone(7200));
        QVERIFY(d->soql(local).contains(QLatin1String(">= 2024-01-01T12:00:00Z ")));
    }

    void parseDateTime_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("iso"); // empty: not a datetime
        QTest::newRow("salesforce") << u"2024-01-01T12:34:56.000+0000"_s << u"2024-01-01T12:34:56.000Z"_s;
        QTest::newRow("milliseconds") << u"2024-01-01T12:34:56.789+0000"_s << u"2024-01-01T12:34:56.789Z"_s;
        QTest::newRow("Z") << u"2024-01-01T12:34:56Z"_s << u"2024-01-01T12:34:56.000Z"_s;
        QTest::newRow("offset with colon") << u"2024-01-01T12:34:56.000+02:00"_s << u"2024-01-01T10:34:56.000Z"_s;
        QTest::newRow("negative offset") << u"2024-01-01T22:34:56.000-0500"_s << u"2024-01-02T03:34:56.000Z"_s;
        QTest::newRow("more digits") << u"2024-01-01T12:34:56.1234567Z"_s << u"2024-01-01T12:34:56.123Z"_s;
        QTest::newRow("one digit") << u"2024-01-01T12:34:56.5Z"_s << u"2024-01-01T12:34:56.500Z"_s;
        QTest::newRow("date only") << u"2024-01-01"_s << u""_s;
        QTest::newRow("no zone") << u"2024-01-01T12:34:56.000"_s << u""_s;
        QTest::newRow("month 13") << u"2024-13-01T12:34:56.000+0000"_s << u""_s;
        QTest::newRow("time only") << u"12:34:56.000Z"_s << u""_s;
        QTest::newRow("empty") << u""_s << u""_s;
    }
    void parseDateTime()
    {
        QFETCH(QString, text);
        QFETCH(QString, iso);
        const QDateTime t = SalesforceDescribe::parseDateTime(text);
        QCOMPARE(t.isValid(), !iso.isEmpty());
        QCOMPARE(SalesforceDescribe::isoText(t), iso);
    }

    void cachesForADay()
    {
        const auto d = SalesforceDescribe::fromReply(accountDescribe(), kNow);
        QVERIFY(d);
        const SalesforceDescribe back = SalesforceDescribe::fromJson(d->toJson());
        QCOMPARE(back.object, d->object);
        QCOMPARE(back.fields, d->fields);
        QCOMPARE(back.datetimes, d->datetimes);
        QCOMPARE(back.cursorField, d->cursorField);
        QCOMPARE(back.hasIsDeleted, d->hasIsDeleted);
        QCOMPARE(back.fetchedAt, d->fetchedAt);
        QVERIFY(back.isFresh(kNow));
        QVERIFY(back.isFresh(kNow.addSecs(23 * 3600)));
        QVERIFY(!back.isFresh(kNow.addSecs(24 * 3600)));
        QVERIFY(!back.isFresh(kNow.addSecs(-60))); // a clock set back: read it again
        QVERIFY(!SalesforceDescribe::fromJson({}).isValid());
        QVERIFY(!SalesforceDescribe::fromJson({}).isFresh(kNow));
    }
};

QTEST_GUILESS_MAIN(TestSalesforceDescribe)
#include "TestSalesforceDescribe.moc"
