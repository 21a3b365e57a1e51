#include "SalesforceNames.h"

#include <QJsonArray>
#include <QSet>

namespace tributary::SalesforceNames {

const QList<QPair<QString, QString>> &standardObjects()
{
    static const QList<QPair<QString, QString>> objects {
            {QStringLiteral("accounts"), QStringLiteral("Account")},
            {QStringLiteral("contacts"), QStringLiteral("Contact")},
            {QStringLiteral("leads"), QStringLiteral("Lead")},
            {QStringLiteral("opportunities"), QStringLiteral("Opportunity")},
            {QStringLiteral("opportunity_line_items"), QStringLiteral("OpportunityLineItem")},
            {QStringLiteral("cases"), QStringLiteral("Case")},
            {QStringLiteral("case_comments"), QStringLiteral("CaseComment")},
            {QStringLiteral("campaigns"), QStringLiteral("Campaign")},
            {QStringLiteral("campaign_members"), QStringLiteral("CampaignMember")},
            {QStringLiteral("tasks"), QStringLiteral("Task")},
            {QStringLiteral("events"), QStringLiteral("Event")},
            {QStringLiteral("users"), QStringLiteral("User")},
            {QStringLiteral("products"), QStringLiteral("Product2")},
            {QStringLiteral("price_books"), QStringLiteral("Pricebook2")},
            {QStringLiteral("price_book_entries"), QStringLiteral("PricebookEntry")},
            {QStringLiteral("contracts"), QStringLiteral("Contract")},
            {QStringLiteral("notes"), QStringLiteral("Note")},
    };
    return objects;
}

bool isCustomObject(const QString &objectName)
{
    // Letters, digits and '_' (a namespace prefix "ns__" included), ending in "__c".
    if (objectName.size() <= 3 || !objectName.endsWith(QLatin1String("__c"), Qt::CaseInsensitive))
        return false;
    for (const QChar c : objectName) {
        if (!(c.isDigit() || c == u'_' || (c.unicode() < 128 && c.isLetter())))
            return false;
    }
    return true;
}

QString collectionFor(const QString &objectName)
{
    for (const auto &[collection, object] : standardObjects()) {
        if (object.compare(objectName, Qt::CaseInsensitive) == 0)
            return collection;
    }
    return isCustomObject(objectName) ? objectName.toLower() : QString();
}

QString objectFor(const QString &collection)
{
    for (const auto &[name, object] : standardObjects()) {
        if (name == collection)
            return object;
    }
    return isCustomObject(collection) ? collection : QString();
}

QStringList offeredCollections(const QJsonObject &describeGlobal)
{
    QSet<QString> queryable;
    QStringList custom;
    for (const QJsonValue &value : describeGlobal.value(QStringLiteral("sobjects")).toArray()) {
        const QJsonObject o = value.toObject();
        if (!o.value(QStringLiteral("queryable")).toBool())
            continue;
        const QString name = o.value(QStringLiteral("name")).toString();
        queryable.insert(name.toLower());
        if (isCustomObject(name))
            custom.append(name.toLower());
    }
    QStringList offered;
    for (const auto &[collection, object] : standardObjects()) {
        if (queryable.contains(object.toLower()))
            offered.append(collection);
    }
    custom.sort();
    custom.removeDuplicates();
    return offered + custom;
}

} // namespace tributary::SalesforceNames
