// FakeSalesforceServer: the objects and their fields, ids, generated records, value formats.

#include "FakeSalesforcePrivate.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QTimeZone>

namespace tributary::test::sf {

namespace {

QString str(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

QStringList list(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *i : items)
        out.append(str(i));
    return out;
}

// A small builder for the schema table below.
class Builder
{
public:
    Builder(const char *name, const char *label, const char *plural, const char *prefix, bool custom = false)
    {
        m_object.name = str(name);
        m_object.label = str(label);
        m_object.labelPlural = str(plural);
        m_object.keyPrefix = prefix ? str(prefix) : QString();
        m_object.custom = custom;
        add("Id", "id", "Record ID", 18);
        m_object.fields.last().nillable = false;
        m_object.fields.last().updateable = false;
        m_object.fields.last().createable = false;
        add("IsDeleted", "boolean", "Deleted");
        m_object.fields.last().updateable = false;
        m_object.fields.last().createable = false;
    }

    Builder &add(const char *name, const char *type, const char *label, int length = 0)
    {
        Field f;
        f.name = str(name);
        f.type = str(type);
        f.label = str(label);
        f.length = length;
        f.custom = f.name.endsWith(QLatin1String("__c"));
        if (f.type == QLatin1String("boolean"))
            f.nillable = false;
        if (f.type == QLatin1String("textarea") && length > 255)
            f.filterable = f.sortable = false;
        if (f.type == QLatin1String("double") || f.type == QLatin1String("currency")
            || f.type == QLatin1String("percent")) {
            f.precision = 18;
            f.scale = 2;
        }
        if (f.type == QLatin1String("int"))
            f.precision = 9;
        m_object.fields.append(f);
        return *this;
    }
    Builder &ref(const char *name, const char *label, std::initializer_list<const char *> to, const char *relationship)
    {
        add(name, "reference", label, 18);
        m_object.fields.last().referenceTo = list(to);
        m_object.fields.last().relationshipName = str(relationship);
        return *this;
    }
    Builder &pick(const char *name, const char *label, std::initializer_list<const char *> values)
    {
        add(name, "picklist", label, 255);
        m_object.fields.last().picklist = list(values);
        return *this;
    }
    Builder &required()
    {
        m_object.fields.last().nillable = false;
        return *this;
    }
    Builder &readOnly()
    {
        m_object.fields.last().updateable = false;
        m_object.fields.last().createable = false;
        return *this;
    }
    Builder &owner() { return ref("OwnerId", "Owner ID", {"User"}, "Owner").required(); }
    // street (textarea), city, state, postal code, country, latitude, longitude and the compound.
    Builder &address(const char *prefix, const char *label)
    {
        const QString p = str(prefix);
        const QString compound = p + QStringLiteral("Address");
        const QList<QPair<QString, QString>> parts {{QStringLiteral("Street"), QStringLiteral("textarea")},
                                                    {QStringLiteral("City"), QStringLiteral("string")},
                                                    {QStringLiteral("State"), QStringLiteral("string")},
                                                    {QStringLiteral("PostalCode"), QStringLiteral("string")},
                                                    {QStringLiteral("Country"), QStringLiteral("string")},
                                                    {QStringLiteral("Latitude"), QStringLiteral("double")},
                                                    {QStringLiteral("Longitude"), QStringLiteral("double")}};
        for (const auto &[part, type] : parts) {
            Field f;
            f.name = p + part;
            f.type = type;
            f.label = (p.isEmpty() ? QString() : str(label) + QLatin1Char(' ')) + part;
            f.length = type == QLatin1String("textarea") ? 255 : (type == QLatin1String("string") ? 80 : 0);
            if (type == QLatin1String("double")) {
                f.precision = 18;
                f.scale = 15;
            }
            f.compoundFieldName = compound;
            m_object.fields.append(f);
        }
        Field a;
        a.name = compound;
        a.type = QStringLiteral("address");
        a.label = str(label) + QStringLiteral(" Address");
        a.filterable = a.sortable = a.updateable = a.createable = false;
        m_object.fields.append(a);
        return *this;
    }
    Builder &notQueryable()
    {
        m_object.queryable = m_object.replicateable = m_object.searchable = m_object.createable = false;
        return *this;
    }
    Object build() const { return m_object; }

private:
    Object m_object;
};

void stamps(Builder &b)
{
    b.add("CreatedDate", "datetime", "Created Date").required().readOnly();
    b.ref("CreatedById", "Created By ID", {"User"}, "CreatedBy").required().readOnly();
    b.add("LastModifiedDate", "datetime", "Last Modified Date").required().readOnly();
    b.ref("LastModifiedById", "Last Modified By ID", {"User"}, "LastModifiedBy").required().readOnly();
    b.add("SystemModstamp", "datetime", "System Modstamp").required().readOnly();
}

QList<Object> buildSchema()
{
    QList<Object> out;
    {
        Builder b("Account", "Account", "Accounts", "001");
        b.add("Name", "string", "Account Name", 255).required();
        b.pick("Type", "Account Type", {"Prospect", "Customer - Direct", "Customer - Channel", "Partner", "Other"});
        b.ref("ParentId", "Parent Account ID", {"Account"}, "Parent");
        b.address("Billing", "Billing");
        b.address("Shipping", "Shipping");
        b.add("Phone", "phone", "Account Phone", 40);
        b.add("Website", "url", "Website", 255);
        b.pick("Industry", "Industry",
               {"Agriculture", "Banking", "Education", "Energy", "Healthcare", "Retail", "Technology"});
        b.add("AnnualRevenue", "currency", "Annual Revenue");
        b.add("NumberOfEmployees", "int", "Employees");
        b.pick("Rating", "Account Rating", {"Hot", "Warm", "Cold"});
        b.add("AccountNumber", "string", "Account Number", 40);
        b.add("Description", "textarea", "Account Description", 32000);
        b.pick("CustomerPriority__c", "Customer Priority", {"High", "Medium", "Low"});
        b.owner();
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("Contact", "Contact", "Contacts", "003");
        b.ref("AccountId", "Account ID", {"Account"}, "Account");
        b.add("FirstName", "string", "First Name", 40);
        b.add("LastName", "string", "Last Name", 80).required();
        b.add("Name", "string", "Full Name", 121).required().readOnly();
        b.add("Email", "email", "Email", 80);
        b.add("Phone", "phone", "Business Phone", 40);
        b.add("Title", "string", "Title", 128);
        b.add("Birthdate", "date", "Birthdate");
        b.address("Mailing", "Mailing");
        b.pick("LeadSource", "Lead Source", {"Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"});
        b.add("HasOptedOutOfEmail", "boolean", "Email Opt Out");
        b.add("Description", "textarea", "Contact Description", 32000);
        b.owner();
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("Lead", "Lead", "Leads", "00Q");
        b.add("FirstName", "string", "First Name", 40);
        b.add("LastName", "string", "Last Name", 80).required();
        b.add("Name", "string", "Full Name", 121).required().readOnly();
        b.add("Company", "string", "Company", 255).required();
        b.add("Email", "email", "Email", 80);
        b.pick("Status", "Status",
               {"Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"})
                .required();
        b.pick("LeadSource", "Lead Source", {"Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"});
        b.pick("Industry", "Industry",
               {"Agriculture", "Banking", "Education", "Energy", "Healthcare", "Retail", "Technology"});
        b.add("AnnualRevenue", "currency", "Annual Revenue");
        b.add("NumberOfEmployees", "int", "Employees");
        b.add("IsConverted", "boolean", "Converted");
        b.add("ConvertedDate", "date", "Converted Date");
        b.address("", "Lead");
        b.owner();
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("Opportunity", "Opportunity", "Opportunities", "006");
        b.ref("AccountId", "Account ID", {"Account"}, "Account");
        b.add("Name", "string", "Name", 120).required();
        b.pick("StageName", "Stage",
               {"Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review",
                "Closed Won", "Closed Lost"})
                .required();
        b.add("Amount", "currency", "Amount");
        b.add("Probability", "percent", "Probability (%)");
        b.add("CloseDate", "date", "Close Date").required();
        b.pick("Type", "Opportunity Type",
               {"New Customer", "Existing Customer - Upgrade", "Existing Customer - Replacement"});
        b.pick("LeadSource", "Lead Source", {"Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"});
        b.add("IsClosed", "boolean", "Closed").readOnly();
        b.add("IsWon", "boolean", "Won").readOnly();
        b.ref("CampaignId", "Campaign ID", {"Campaign"}, "Campaign");
        b.ref("Pricebook2Id", "Price Book ID", {"Pricebook2"}, "Pricebook2");
        b.add("Description", "textarea", "Description", 32000);
        b.owner();
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("OpportunityLineItem", "Opportunity Product", "Opportunity Product", "00k");
        b.ref("OpportunityId", "Opportunity ID", {"Opportunity"}, "Opportunity").required();
        b.ref("PricebookEntryId", "Price Book Entry ID", {"PricebookEntry"}, "PricebookEntry");
        b.ref("Product2Id", "Product ID", {"Product2"}, "Product2");
        b.add("Name", "string", "Opportunity Product Name", 376).readOnly();
        b.add("Quantity", "double", "Quantity").required();
        b.add("UnitPrice", "currency", "Sales Price");
        b.add("TotalPrice", "currency", "Total Price");
        b.add("ServiceDate", "date", "Date");
        b.add("Description", "string", "Line Description", 255);
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("Case", "Case", "Cases", "500");
        b.add("CaseNumber", "string", "Case Number", 30).required().readOnly();
        b.ref("AccountId", "Account ID", {"Account"}, "Account");
        b.ref("ContactId", "Contact ID", {"Contact"}, "Contact");
        b.add("Subject", "string", "Subject", 255);
        b.pick("Status", "Status", {"New", "Working", "Escalated", "Closed"});
        b.pick("Priority", "Priority", {"High", "Medium", "Low"});
        b.pick("Origin", "Case Origin", {"Phone", "Email", "Web"});
        b.pick("Type", "Case Type", {"Mechanical", "Electrical", "Electronic", "Structural", "Other"});
        b.add("IsClosed", "boolean", "Closed").readOnly();
        b.add("ClosedDate", "datetime", "Closed Date").readOnly();
        b.add("Description", "textarea", "Description", 32000);
        b.owner();
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("CaseComment", "Case Comment", "Case Comments", "00a");
        b.ref("ParentId", "Parent ID", {"Case"}, "Parent").required();
        b.add("IsPublished", "boolean", "Published");
        b.add("CommentBody", "textarea", "Body", 4000);
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("Campaign", "Campaign", "Campaigns", "701");
        b.add("Name", "string", "Name", 80).required();
        b.pick("Type", "Type", {"Conference", "Webinar", "Trade Show", "Email", "Advertisement"});
        b.pick("Status", "Status", {"Planned", "In Progress", "Completed", "Aborted"});
        b.add("StartDate", "date", "Start Date");
        b.add("EndDate", "date", "End Date");
        b.add("BudgetedCost", "currency", "Budgeted Cost in Campaign");
        b.add("ActualCost", "currency", "Actual Cost in Campaign");
        b.add("IsActive", "boolean", "Active");
        b.add("NumberOfLeads", "int", "Leads in Campaign").readOnly();
        b.add("Description", "textarea", "Description", 32000);
        b.owner();
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("CampaignMember", "Campaign Member", "Campaign Members", "00v");
        b.ref("CampaignId", "Campaign ID", {"Campaign"}, "Campaign").required();
        b.ref("LeadId", "Lead ID", {"Lead"}, "Lead");
        b.ref("ContactId", "Contact ID", {"Contact"}, "Contact");
        b.pick("Status", "Status", {"Planned", "Received", "Responded"});
        b.add("HasResponded", "boolean", "Responded").readOnly();
        b.add("FirstRespondedDate", "date", "First Responded Date").readOnly();
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("Task", "Task", "Tasks", "00T");
        b.ref("WhoId", "Name ID", {"Contact", "Lead"}, "Who");
        b.ref("WhatId", "Related To ID", {"Account", "Opportunity", "Case"}, "What");
        b.add("Subject", "string", "Subject", 255);
        b.add("ActivityDate", "date", "Due Date Only");
        b.pick("Status", "Status", {"Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"})
                .required();
        b.pick("Priority", "Priority", {"High", "Normal", "Low"}).required();
        b.add("IsClosed", "boolean", "Closed").readOnly();
        b.pick("TaskSubtype", "Task Subtype", {"Task", "Email", "Call"});
        b.add("Description", "textarea", "Description", 32000);
        b.owner();
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("Event", "Event", "Events", "00U");
        b.ref("WhoId", "Name ID", {"Contact", "Lead"}, "Who");
        b.ref("WhatId", "Related To ID", {"Account", "Opportunity", "Case"}, "What");
        b.add("Subject", "string", "Subject", 255);
        b.add("Location", "string", "Location", 255);
        b.add("StartDateTime", "datetime", "Start Date Time");
        b.add("EndDateTime", "datetime", "End Date Time");
        b.add("ActivityDate", "date", "Due Date Only");
        b.add("DurationInMinutes", "int", "Duration");
        b.add("IsAllDayEvent", "boolean", "All-Day Event");
        b.add("Description", "textarea", "Description", 32000);
        b.owner();
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("User", "User", "Users", "005");
        b.add("Username", "string", "Username", 80).required();
        b.add("FirstName", "string", "First Name", 40);
        b.add("LastName", "string", "Last Name", 80).required();
        b.add("Name", "string", "Full Name", 121).required().readOnly();
        b.add("Email", "email", "Email", 128).required();
        b.add("Alias", "string", "Alias", 8).required();
        b.add("Title", "string", "Title", 80);
        b.add("Department", "string", "Department", 80);
        b.add("IsActive", "boolean", "Active");
        b.pick("TimeZoneSidKey", "Time Zone",
               {"America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Paris", "Asia/Tokyo"})
                .required();
        b.add("LastLoginDate", "datetime", "Last Login").readOnly();
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("Product2", "Product", "Products", "01t");
        b.add("Name", "string", "Product Name", 255).required();
        b.add("ProductCode", "string", "Product Code", 255);
        b.pick("Family", "Product Family", {"Hardware", "Software", "Services"});
        b.add("IsActive", "boolean", "Active");
        b.add("Description", "textarea", "Product Description", 4000);
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("Pricebook2", "Price Book", "Price Books", "01s");
        b.add("Name", "string", "Price Book Name", 255).required();
        b.add("IsActive", "boolean", "Active");
        b.add("IsStandard", "boolean", "Is Standard Price Book").readOnly();
        b.add("Description", "string", "Description", 255);
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("PricebookEntry", "Price Book Entry", "Price Book Entries", "01u");
        b.ref("Pricebook2Id", "Price Book ID", {"Pricebook2"}, "Pricebook2").required();
        b.ref("Product2Id", "Product ID", {"Product2"}, "Product2").required();
        b.add("Name", "string", "Product Name", 255).readOnly();
        b.add("ProductCode", "string", "Product Code", 255).readOnly();
        b.add("UnitPrice", "currency", "List Price").required();
        b.add("IsActive", "boolean", "Active");
        b.add("UseStandardPrice", "boolean", "Use Standard Price");
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("Contract", "Contract", "Contracts", "800");
        b.ref("AccountId", "Account ID", {"Account"}, "Account").required();
        b.add("ContractNumber", "string", "Contract Number", 30).required().readOnly();
        b.pick("Status", "Status", {"Draft", "In Approval Process", "Activated"}).required();
        b.add("StartDate", "date", "Contract Start Date");
        b.add("EndDate", "date", "Contract End Date").readOnly();
        b.add("ContractTerm", "int", "Contract Term");
        b.add("Description", "textarea", "Description", 32000);
        b.owner();
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("Note", "Note", "Notes", "002");
        b.ref("ParentId", "Parent ID", {"Account", "Contact", "Opportunity"}, "Parent").required();
        b.add("Title", "string", "Title", 80).required();
        b.add("IsPrivate", "boolean", "Private");
        b.add("Body", "textarea", "Body", 32000);
        b.owner();
        stamps(b);
        out.append(b.build());
    }
    {
        Builder b("Invoice__c", "Invoice", "Invoices", "a01", true);
        b.add("Name", "string", "Invoice Number", 80).required();
        b.ref("Account__c", "Account", {"Account"}, "Account__r");
        b.add("Amount__c", "currency", "Amount");
        b.pick("Status__c", "Status", {"Draft", "Sent", "Paid", "Void"});
        b.add("Due_Date__c", "date", "Due Date");
        b.add("Paid__c", "boolean", "Paid");
        b.add("Paid_At__c", "datetime", "Paid At");
        b.add("Line_Count__c", "double", "Line Count");
        b.add("Notes__c", "textarea", "Notes", 32768);
        b.owner();
        stamps(b);
        out.append(b.build());
    }
    for (const char *name : {"AggregateResult", "ActivityHistory", "OpenActivity"}) {
        const QString n = str(name);
        Builder b(name, name, name, nullptr);
        b.notQueryable();
        Object o = b.build();
        o.fields.resize(1); // Id only
        o.label = n == QLatin1String("AggregateResult") ? QStringLiteral("Aggregate Result")
                : n == QLatin1String("ActivityHistory") ? QStringLiteral("Activity History")
                                                        : QStringLiteral("Open Activity");
        o.labelPlural = o.label;
        out.append(o);
    }
    return out;
}

const char *const kFirstNames[] = {"Ada",      "Grace",  "Alan",  "Edsger", "Barbara", "Donald",  "Frances", "Ken",
                                   "Margaret", "Dennis", "Radia", "Linus",  "Hedy",    "Niklaus", "Sophie",  "Tim"};
const char *const kLastNames[]
        = {"Lovelace", "Hopper",  "Turing",  "Dijkstra", "Liskov", "Knuth", "Allen",  "Thompson",
           "Hamilton", "Ritchie", "Perlman", "Torvalds", "Lamarr", "Wirth", "Wilson", "Berners-Lee"};
const char *const kCompanies[] = {"Acme",   "Globex",    "Initech", "Umbrella", "Stark",    "Wayne",    "Wonka",
                                  "Tyrell", "Cyberdyne", "Soylent", "Hooli",    "Vandelay", "Aperture", "Gringotts"};
const char *const kSuffixes[] = {"Corp", "Inc", "Ltd", "GmbH", "Industries", "Labs", "Holdings", "Partners"};
const char *const kCities[] = {"San Francisco", "New York", "Chicago", "Austin", "Seattle", "Boston",
                               "Denver",        "London",   "Paris",   "Berlin", "Tokyo",   "Sydney"};
const char *const kStates[] = {"CA", "NY", "IL", "TX", "WA", "MA", "CO"};
const char *const kWords[] = {"quarterly", "review",  "renewal", "follow-up", "pricing", "contract", "onboarding",
                              "support",   "upgrade", "meeting", "proposal",  "invoice", "shipment", "demo"};

template<typename T, std::size_t N> QString pickFrom(QRandomGenerator *r, const T (&items)[N])
{
    return str(items[r->bounded(int(N))]);
}

QString sentence(QRandomGenerator *r, int words)
{
    QStringList out;
    for (int i = 0; i < words; ++i)
        out.append(pickFrom(r, kWords));
    QString s = out.join(QLatin1Char(' '));
    s[0] = s.at(0).toUpper();
    return s + QLatin1Char('.');
}

QString isoDate(qint64 msecs)
{
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).date().toString(Qt::ISODate);
}

} // namespace

QString Field::soapType() const
{
    if (type == QLatin1String("id") || type == QLatin1String("reference"))
        return QStringLiteral("tns:ID");
    if (type == QLatin1String("boolean"))
        return QStringLiteral("xsd:boolean");
    if (type == QLatin1String("double") || type == QLatin1String("currency") || type == QLatin1String("percent"))
        return QStringLiteral("xsd:double");
    if (type == QLatin1String("int"))
        return QStringLiteral("xsd:int");
    if (type == QLatin1String("date"))
        return QStringLiteral("xsd:date");
    if (type == QLatin1String("datetime"))
        return QStringLiteral("xsd:dateTime");
    if (type == QLatin1String("address"))
        return QStringLiteral("urn:address");
    return QStringLiteral("xsd:string");
}

QJsonObject Field::describe() const
{
    QJsonArray picklistValues;
    for (const QString &v : picklist)
        picklistValues.append(QJsonObject {{QStringLiteral("active"), true},
                                           {QStringLiteral("defaultValue"), false},
                                           {QStringLiteral("label"), v},
                                           {QStringLiteral("validFor"), QJsonValue::Null},
                                           {QStringLiteral("value"), v}});
    const bool isString = soapType() == QLatin1String("xsd:string") || type == QLatin1String("id")
            || type == QLatin1String("reference");
    return {{QStringLiteral("name"), name},
            {QStringLiteral("type"), type},
            {QStringLiteral("label"), label},
            {QStringLiteral("nillable"), nillable},
            {QStringLiteral("length"), isString ? length : 0},
            {QStringLiteral("byteLength"), isString ? length * 3 : 0},
            {QStringLiteral("precision"), precision},
            {QStringLiteral("scale"), scale},
            {QStringLiteral("digits"), type == QLatin1String("int") ? precision : 0},
            {QStringLiteral("referenceTo"), QJsonArray::fromStringList(referenceTo)},
            {QStringLiteral("relationshipName"),
             relationshipName.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(relationshipName)},
            {QStringLiteral("polymorphicForeignKey"), referenceTo.size() > 1},
            {QStringLiteral("picklistValues"), picklistValues},
            {QStringLiteral("defaultValue"), QJsonValue::Null},
            {QStringLiteral("defaultedOnCreate"), type == QLatin1String("id") || type == QLatin1String("boolean")},
            {QStringLiteral("custom"), custom},
            {QStringLiteral("calculated"), false},
            {QStringLiteral("autoNumber"), false},
            {QStringLiteral("filterable"), filterable},
            {QStringLiteral("sortable"), sortable},
            {QStringLiteral("groupable"), filterable && type != QLatin1String("double")},
            {QStringLiteral("idLookup"), type == QLatin1String("id")},
            {QStringLiteral("createable"), createable},
            {QStringLiteral("updateable"), updateable},
            {QStringLiteral("unique"), false},
            {QStringLiteral("externalId"), false},
            {QStringLiteral("htmlFormatted"), false},
            {QStringLiteral("compoundFieldName"),
             compoundFieldName.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(compoundFieldName)},
            {QStringLiteral("soapType"), soapType()}};
}

const Field *Object::field(const QString &fieldName) const
{
    for (const Field &f : fields) {
        if (f.name.compare(fieldName, Qt::CaseInsensitive) == 0)
            return &f;
    }
    return nullptr;
}

QJsonObject Object::describeGlobal(const QString &version) const
{
    const QString base = QStringLiteral("/services/data/") + version + QStringLiteral("/sobjects/") + name;
    return {{QStringLiteral("name"), name},
            {QStringLiteral("label"), label},
            {QStringLiteral("labelPlural"), labelPlural},
            {QStringLiteral("keyPrefix"), keyPrefix.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(keyPrefix)},
            {QStringLiteral("custom"), custom},
            {QStringLiteral("customSetting"), false},
            {QStringLiteral("createable"), createable},
            {QStringLiteral("deletable"), createable},
            {QStringLiteral("updateable"), createable},
            {QStringLiteral("queryable"), queryable},
            {QStringLiteral("replicateable"), replicateable},
            {QStringLiteral("retrieveable"), queryable},
            {QStringLiteral("searchable"), searchable},
            {QStringLiteral("layoutable"), queryable},
            {QStringLiteral("mergeable"),
             name == QLatin1String("Account") || name == QLatin1String("Contact") || name == QLatin1String("Lead")},
            {QStringLiteral("mruEnabled"), queryable},
            {QStringLiteral("feedEnabled"), false},
            {QStringLiteral("activateable"), false},
            {QStringLiteral("deprecatedAndHidden"), false},
            {QStringLiteral("hasSubtypes"), false},
            {QStringLiteral("isSubtype"), false},
            {QStringLiteral("triggerable"), queryable},
            {QStringLiteral("undeletable"), queryable},
            {QStringLiteral("urls"),
             QJsonObject {{QStringLiteral("sobject"), base},
                          {QStringLiteral("describe"), QString(base + QStringLiteral("/describe"))},
                          {QStringLiteral("rowTemplate"), QString(base + QStringLiteral("/{ID}"))}}}};
}

const QList<Object> &schema()
{
    static const QList<Object> objects = buildSchema();
    return objects;
}

const Object *object(const QString &name)
{
    for (const Object &o : schema()) {
        if (o.name.compare(name, Qt::CaseInsensitive) == 0)
            return &o;
    }
    return nullptr;
}

QString makeId(const QString &prefix, qint64 serial)
{
    static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QString tail(9, QLatin1Char('0'));
    qint64 n = serial;
    for (int i = 8; i >= 0 && n > 0; --i) {
        tail[i] = QLatin1Char(digits[n % 62]);
        n /= 62;
    }
    const QString id15 = prefix + QStringLiteral("5g0") + tail;
    static const char suffixChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    QString suffix;
    for (int chunk = 0; chunk < 3; ++chunk) {
        int flags = 0;
        for (int i = 0; i < 5; ++i) {
            const QChar c = id15.at(chunk * 5 + i);
            if (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
                flags |= 1 << i;
        }
        suffix += QLatin1Char(suffixChars[flags]);
    }
    return id15 + suffix;
}

QString formatDateTime(qint64 msecs)
{
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz"))
            + QStringLiteral("+0000");
}

QJsonValue apiValue(const Object &object, const Field &field, const QJsonObject &stored)
{
    if (field.type == QLatin1String("address")) {
        static const QList<QPair<QString, QString>> parts {{QStringLiteral("Street"), QStringLiteral("street")},
                                                           {QStringLiteral("City"), QStringLiteral("city")},
                                                           {QStringLiteral("State"), QStringLiteral("state")},
                                                           {QStringLiteral("PostalCode"), QStringLiteral("postalCode")},
                                                           {QStringLiteral("Country"), QStringLiteral("country")},
                                                           {QStringLiteral("Latitude"), QStringLiteral("latitude")},
                                                           {QStringLiteral("Longitude"), QStringLiteral("longitude")}};
        const QString prefix = field.name.chopped(7); // "Address"
        QJsonObject out {{QStringLiteral("geocodeAccuracy"), QJsonValue::Null}};
        bool any = false;
        for (const auto &[part, key] : parts) {
            const QJsonValue v = stored.value(prefix + part);
            any = any || !(v.isNull() || v.isUndefined());
            out.insert(key, v.isUndefined() ? QJsonValue(QJsonValue::Null) : v);
        }
        Q_UNUSED(object)
        return any ? QJsonValue(out) : QJsonValue(QJsonValue::Null);
    }
    const QJsonValue v = stored.value(field.name);
    if (v.isUndefined() || v.isNull())
        return QJsonValue::Null;
    if (field.type == QLatin1String("datetime"))
        return formatDateTime(qint64(v.toDouble()));
    return v;
}

std::optional<QJsonValue> storedValue(const Field &field, const QJsonValue &api)
{
    if (field.type == QLatin1String("address") || field.type == QLatin1String("id"))
        return std::nullopt;
    if (api.isNull())
        return field.nillable ? std::optional<QJsonValue>(QJsonValue::Null) : std::nullopt;
    const QString &t = field.type;
    if (t == QLatin1String("datetime")) {
        QString text = api.toString();
        if (text.endsWith(QLatin1String("+0000")))
            text = text.chopped(5) + QLatin1Char('Z');
        const QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!api.isString() || !parsed.isValid())
            return std::nullopt;
        return QJsonValue(double(parsed.toMSecsSinceEpoch() / 1000 * 1000));
    }
    if (t == QLatin1String("date")) {
        if (!api.isString() || !QDate::fromString(api.toString(), Qt::ISODate).isValid())
            return std::nullopt;
        return api;
    }
    if (t == QLatin1String("boolean"))
        return api.isBool() ? std::optional<QJsonValue>(api) : std::nullopt;
    if (t == QLatin1String("int"))
        return api.isDouble() && api.toDouble() == double(api.toInteger()) ? std::optional<QJsonValue>(api)
                                                                           : std::nullopt;
    if (t == QLatin1String("double") || t == QLatin1String("currency") || t == QLatin1String("percent"))
        return api.isDouble() ? std::optional<QJsonValue>(api) : std::nullopt;
    return api.isString() ? std::optional<QJsonValue>(api) : std::nullopt;
}

QJsonObject Generator::generate(const Object &object, const QString &id, qint64 createdMs, qint64 modifiedMs,
                                const QString &userId, int serial) const
{
    QRandomGenerator *r = random;
    QJsonObject out;
    const QString first = pickFrom(r, kFirstNames);
    const QString last = pickFrom(r, kLastNames);
    const QString company = pickFrom(r, kCompanies) + QLatin1Char(' ') + pickFrom(r, kSuffixes);
    auto refTo = [&](const Field &f) -> QJsonValue {
        if (f.referenceTo == QStringList {QStringLiteral("User")}) {
            const QStringList users = ids->value(QStringLiteral("User"));
            if (f.name == QLatin1String("OwnerId") && !users.isEmpty())
                return users.at(r->bounded(int(users.size())));
            return userId;
        }
        for (const QString &to : f.referenceTo) {
            const QStringList candidates = ids->value(to);
            if (!candidates.isEmpty()
                && (f.referenceTo.size() == 1 || r->bounded(2) == 0 || to == f.referenceTo.last()))
                return candidates.at(r->bounded(int(candidates.size())));
        }
        return f.nillable ? QJsonValue(QJsonValue::Null) : QJsonValue(userId);
    };
    const QString o = object.name;
    for (const Field &f : object.fields) {
        const QString &n = f.name;
        const QString &t = f.type;
        QJsonValue v;
        if (t == QLatin1String("address"))
            continue;
        if (n == QLatin1String("Id")) {
            v = id;
        } else if (n == QLatin1String("IsDeleted")) {
            v = false;
        } else if (n == QLatin1String("CreatedDate")) {
            v = double(createdMs);
        } else if (n == QLatin1String("LastModifiedDate") || n == QLatin1String("SystemModstamp")) {
            v = double(modifiedMs);
        } else if (t == QLatin1String("reference")) {
            v = refTo(f);
        } else if (n == QLatin1String("FirstName")) {
            v = first;
        } else if (n == QLatin1String("LastName")) {
            v = last;
        } else if (n == QLatin1String("Name")) {
            if (o == QLatin1String("Contact") || o == QLatin1String("Lead") || o == QLatin1String("User"))
                v = QString(first + QLatin1Char(' ') + last);
            else if (o == QLatin1String("Account"))
                v = QString(company + QStringLiteral(" #") + QString::number(serial));
            else if (o == QLatin1String("Invoice__c"))
                v = QStringLiteral("INV-%1").arg(serial, 5, 10, QLatin1Char('0'));
            else if (o == QLatin1String("Pricebook2"))
                v = serial == 1 ? QStringLiteral("Standard Price Book") : QStringLiteral("Price Book %1").arg(serial);
            else
                v = QString(object.label + QLatin1Char(' ') + sentence(r, 2).chopped(1) + QLatin1Char(' ')
                            + QString::number(serial));
        } else if (n == QLatin1String("Company")) {
            v = company;
        } else if (n == QLatin1String("Username")) {
            v = QString(first.toLower() + QLatin1Char('.') + last.toLower() + QString::number(serial)
                        + QStringLiteral("@tributary-fake.example"));
        } else if (n == QLatin1String("Alias")) {
            v = QString((first.left(1) + last.left(4)).toLower() + QString::number(serial % 100));
        } else if (t == QLatin1String("email")) {
            v = QString(first.toLower() + QLatin1Char('.') + last.toLower() + QString::number(serial)
                        + QStringLiteral("@example.com"));
        } else if (t == QLatin1String("phone")) {
            v = QStringLiteral("(555) 01%1-%2").arg(r->bounded(10)).arg(r->bounded(10000), 4, 10, QLatin1Char('0'));
        } else if (t == QLatin1String("url")) {
            v = QString(QStringLiteral("https://www.") + company.section(QLatin1Char(' '), 0, 0).toLower()
                        + QString::number(serial) + QStringLiteral(".example.com"));
        } else if (n == QLatin1String("CaseNumber") || n == QLatin1String("ContractNumber")) {
            v = QStringLiteral("%1").arg(serial, 8, 10, QLatin1Char('0'));
        } else if (n.endsWith(QLatin1String("City"))) {
            v = pickFrom(r, kCities);
        } else if (n.endsWith(QLatin1String("State"))) {
            v = pickFrom(r, kStates);
        } else if (n.endsWith(QLatin1String("PostalCode"))) {
            v = QStringLiteral("%1").arg(r->bounded(10000, 99999));
        } else if (n.endsWith(QLatin1String("Country"))) {
            v = QStringLiteral("USA");
        } else if (n.endsWith(QLatin1String("Street"))) {
            v = QStringLiteral("%1 %2 St").arg(r->bounded(1, 2000)).arg(pickFrom(r, kLastNames));
        } else if (n.endsWith(QLatin1String("Latitude"))) {
            v = double(r->bounded(-9000000, 9000000)) / 100000.0;
        } else if (n.endsWith(QLatin1String("Longitude"))) {
            v = double(r->bounded(-18000000, 18000000)) / 100000.0;
        } else if (t == QLatin1String("boolean")) {
            v = r->bounded(2) == 1;
        } else if (t == QLatin1String("int")) {
            v = r->bounded(1, 5000);
        } else if (t == QLatin1String("percent")) {
            v = double(r->bounded(11) * 10);
        } else if (t == QLatin1String("double")) {
            v = double(r->bounded(1, 50));
        } else if (t == QLatin1String("currency")) {
            v = double(r->bounded(100, 10000000)) / 100.0;
        } else if (t == QLatin1String("date")) {
            v = QString(isoDate(createdMs + qint64(r->bounded(-60, 120)) * 86400 * 1000));
        } else if (t == QLatin1String("datetime")) {
            v = double(createdMs + (modifiedMs > createdMs ? r->bounded(modifiedMs - createdMs) : 0) / 1000 * 1000);
        } else if (t == QLatin1String("picklist")) {
            v = f.picklist.at(r->bounded(int(f.picklist.size())));
        } else if (t == QLatin1String("textarea")) {
            v = QString(sentence(r, 4 + r->bounded(8)));
        } else if (n == QLatin1String("Title") && o != QLatin1String("Note")) {
            static const char *const titles[] = {"CEO", "CTO", "VP Sales", "Engineer", "Buyer", "Director"};
            v = pickFrom(r, titles);
        } else {
            v = sentence(r, 3).chopped(1);
        }
        // Optional values are sometimes empty, as in real orgs.
        if (f.nillable && f.updateable && !v.isNull() && t != QLatin1String("reference")
            && f.compoundFieldName.isEmpty() && n != QLatin1String("FirstName") && n != QLatin1String("Email")
            && r->bounded(10) == 0)
            v = QJsonValue::Null;
        out.insert(n, v);
    }
    return out;
}

QByteArray errorBody(const QString &errorCode, const QString &message)
{
    return QJsonDocument(QJsonArray {QJsonObject {{QStringLiteral("message"), message},
                                                  {QStringLiteral("errorCode"), errorCode}}})
            .toJson(QJsonDocument::Compact);
}

} // namespace tributary::test::sf
