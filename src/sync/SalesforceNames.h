#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace tributary {

// The fixed naming rule of DESIGN.md between Salesforce objects and Tributary's collections
// (each the table name under the source's schema): the common standard objects by snake_case
// plural (Account -> accounts, OpportunityLineItem -> opportunity_line_items, Product2 ->
// products), a custom object by its API name in lower case (Invoice__c -> invoice__c).
namespace SalesforceNames {

// The standard objects offered, in the manifest's order: {collection, object}.
const QList<QPair<QString, QString>> &standardObjects();

// The collection of an object, or empty when the object is neither a listed standard object nor
// a custom object (name ending in "__c").
QString collectionFor(const QString &objectName);

// The object's API name as far as the collection tells it: the standard object, or the custom
// collection's name itself (Salesforce matches object names without regard to case; the
// driver learns the exact spelling from describe).
QString objectFor(const QString &collection);

bool isCustomObject(const QString &objectName);

// The collections a describeGlobal reply offers: the standard objects it lists as queryable, in
// the manifest's order, then every queryable custom object, sorted.
QStringList offeredCollections(const QJsonObject &describeGlobal);

} // namespace SalesforceNames
} // namespace tributary
