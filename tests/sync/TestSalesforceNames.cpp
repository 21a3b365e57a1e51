#include "sync/ConnectorRegistry.h"
#include "sync/SalesforceNames.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace tributary;
using namespace Qt::StringLiterals;

class TestSalesforceNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void collectionFor_data()
    {
        QTest::addColumn<QString>("object");
        QTest::addColumn<QString>("collection");
        QTest::newRow("Account") << u"Account"_s << u"accounts"_s;
        QTest::newRow("Contact") << u"Contact"_s << u"contacts"_s;
        QTest::newRow("Lead") << u"Lead"_s << u"leads"_s;
        QTest::newRow("Opportunity") << u"Opportunity"_s << u"opportunities"_s;
        QTest::newRow("OpportunityLineItem") << u"OpportunityLineItem"_s << u"opportunity_line_items"_s;
        QTest::newRow("Case") << u"Case"_s << u"cases"_s;
        QTest::newRow("CaseComment") << u"CaseComment"_s << u"case_comments"_s;
        QTest::newRow("Campaign") << u"Campaign"_s << u"campaigns"_s;
        QTest::newRow("CampaignMember") << u"CampaignMember"_s << u"campaign_members"_s;
        QTest::newRow("Task") << u"Task"_s << u"tasks"_s;
        QTest::newRow("Event") << u"Event"_s << u"events"_s;
        QTest::newRow("User") << u"User"_s << u"users"_s;
        QTest::newRow("Product2") << u"Product2"_s << u"products"_s;
        QTest::newRow("Pricebook2") << u"Pricebook2"_s << u"price_books"_s;
        QTest::newRow("PricebookEntry") << u"PricebookEntry"_s << u"price_book_entries"_s;
        QTest::newRow("Contract") << u"Contract"_s << u"contracts"_s;
        QTest::newRow("Note") << u"Note"_s << u"notes"_s;
        QTest::newRow("any case") << u"opportunitylineitem"_s << u"opportunity_line_items"_s;
        QTest::newRow("custom") << u"Invoice__c"_s << u"invoice__c"_s;
        QTest::newRow("custom with namespace") << u"acme__Shipment_Line__c"_s << u"acme__shipment_line__c"_s;
        QTest::newRow("custom digits") << u"Region2__c"_s << u"region2__c"_s;
        QTest::newRow("other standard") << u"AccountHistory"_s << u""_s;
        QTest::newRow("metadata type") << u"Setting__mdt"_s << u""_s;
        QTest::newRow("platform event") << u"Order__e"_s << u""_s;
        QTest::newRow("bare suffix") << u"__c"_s << u""_s;
        QTest::newRow("not ASCII") << u"Rechnung\u00e9__c"_s << u""_s;
    }
    void collectionFor()
    {
        QFETCH(QString, object);
        QFETCH(QString, collection);
        QCOMPARE(SalesforceNames::collectionFor(object), collection);
    }

    void objectForRoundTrips()
    {
        for (const auto &[collection, object] : SalesforceNames::standardObjects()) {
            QCOMPARE(SalesforceNames::objectFor(collection), object);
            QCOMPARE(SalesforceNames::collectionFor(object), collection);
        }
        QCOMPARE(SalesforceNames::objectFor(QStringLiteral("invoice__c")), QStringLiteral("invoice__c"));
        QCOMPARE(SalesforceNames::objectFor(QStringLiteral("account")), QString());
        QCOMPARE(SalesforceNames::objectFor(QStringLiteral("Account")), QString());
    }

    void manifestListsTheStandardObjects()
    {
        const ConnectorManifest *m = ConnectorRegistry::instance().find(QStringLiteral("salesforce"));
        QVERIFY(m);
        QVERIFY2(ConnectorRegistry::instance().errors().isEmpty(),
                 qPrintable(ConnectorRegistry::instance().errors().join(QLatin1Char('\n'))));
        QStringList expected;
        for (const auto &[collection, object] : SalesforceNames::standardObjects())
            expected.append(collection);
        QCOMPARE(m->collectionNames(), expected);
        QCOMPARE(m->engine, QStringLiteral("salesforce"));
        QCOMPARE(m->oauthProvider, QStringLiteral("salesforce"));
        QCOMPARE(m->primaryKey, QStringLiteral("Id"));
        QVERIFY(m->dropFields.contains(QStringLiteral("attributes")));
        QVERIFY(m->offersCollection(QStringLiteral("invoice__c")));
        QVERIFY(!m->offersCollection(QStringLiteral("Invoice__c")));
        QVERIFY(!m->offersCollection(QStringLiteral("account_history")));
        for (const char *key : {"login_url", "client_id", "client_secret", "refresh_token", "access_token",
                                "instance_url", "api_reserve_percent", "start_date"})
            QVERIFY2(m->setting(QLatin1String(key)), key);
        for (const char *key : {"client_secret", "refresh_token", "access_token"})
            QVERIFY2(m->setting(QLatin1String(key))->secret, key);
        for (const auto &c : m->collections) {
            QCOMPARE(c.kind, CollectionKind::Object);
            QVERIFY(!c.description.isEmpty());
        }
    }

    void offeredCollections()
    {
        const QJsonObject global = QJsonDocument::fromJson(R"({"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": [
            {"name": "Account", "queryable": true, "custom": false},
            {"name": "AccountHistory", "queryable": true, "custom": false},
            {"name": "Lead", "queryable": false, "custom": false},
            {"name": "Zeta__c", "queryable": true, "custom": true},
            {"name": "Invoice__c", "queryable": true, "custom": true},
            {"name": "Hidden__c", "queryable": false, "custom": true},
            {"name": "Contact", "queryable": true, "custom": false},
            {"name": "Setting__mdt", "queryable": true, "custom": true}]})")
                                           .object();
        QCOMPARE(SalesforceNames::offeredCollections(global),
                 (QStringList {QStringLiteral("accounts"), QStringLiteral("contacts"), QStringLiteral("invoice__c"),
                               QStringLiteral("zeta__c")}));
    }
};

QTEST_GUILESS_MAIN(TestSalesforceNames)
#include "TestSalesforceNames.moc"
