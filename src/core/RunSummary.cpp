#include "RunSummary.h"

#include <QJsonArray>

namespace tributary {

namespace {

QString isoUtc(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

QJsonValue errorJson(const std::optional<Error> &error)
{
    return error ? QJsonValue(error->toJson()) : QJsonValue(QJsonValue::Null);
}

std::optional<Error> errorFromJson(const QJsonValue &value)
{
    if (!value.isObject())
        return std::nullopt;
    return Error::fromJson(value.toObject());
}

} // namespace

QString CollectionSummary::statusName(Status status)
{
    switch (status) {
    case Status::Pending:
        return QStringLiteral("pending");
    case Status::Running:
        return QStringLiteral("running");
    case Status::Succeeded:
        return QStringLiteral("succeeded");
    case Status::Failed:
        return QStringLiteral("failed");
    case Status::Stalled:
        return QStringLiteral("stalled");
    case Status::Skipped:
        return QStringLiteral("skipped");
    }
    return QStringLiteral("failed");
}

CollectionSummary::Status CollectionSummary::statusFromName(const QString &name)
{
    for (Status s :
         {Status::Pending, Status::Running, Status::Succeeded, Status::Failed, Status::Stalled, Status::Skipped}) {
        if (statusName(s) == name)
            return s;
    }
    return Status::Failed;
}

QJsonObject CollectionSummary::toJson() const
{
    QJsonObject o {{QStringLiteral("name"), name},
                   {QStringLiteral("table"), table},
                   {QStringLiteral("status"), statusName(status)},
                   {QStringLiteral("records"), records},
                   {QStringLiteral("inserted"), inserted},
                   {QStringLiteral("updated"), updated},
                   {QStringLiteral("pages"), pages},
                   {QStringLiteral("api_calls"), apiCalls},
                   {QStringLiteral("error"), errorJson(error)}};
    if (!notice.isEmpty())
        o.insert(QStringLiteral("notice"), notice);
    if (quotaRemaining >= 0)
        o.insert(QStringLiteral("quota_remaining"), double(quotaRemaining));
    if (quotaLimit >= 0)
        o.insert(QStringLiteral("quota_limit"), double(quotaLimit));
    o.insert(QStringLiteral("received"), received);
    if (expectedRecords >= 0)
        o.insert(QStringLiteral("expected_records"), double(expectedRecords));
    return o;
}

CollectionSummary CollectionSummary::fromJson(const QJsonObject &json)
{
    CollectionSummary c;
    c.name = json.value(QStringLiteral("name")).toString();
    c.table = json.value(QStringLiteral("table")).toString();
    c.status = statusFromName(json.value(QStringLiteral("status")).toString());
    c.records = json.value(QStringLiteral("records")).toInt();
    c.inserted = json.value(QStringLiteral("inserted")).toInt();
    c.updated = json.value(QStringLiteral("updated")).toInt();
    c.pages = json.value(QStringLiteral("pages")).toInt();
    c.apiCalls = json.value(QStringLiteral("api_calls")).toInt();
    c.notice = json.value(QStringLiteral("notice")).toString();
    c.quotaRemaining = json.value(QStringLiteral("quota_remaining")).toInteger(-1);
    c.quotaLimit = json.value(QStringLiteral("quota_limit")).toInteger(-1);
    c.received = json.value(QStringLiteral("received")).toInt();
    c.expectedRecords = json.value(QStringLiteral("expected_records")).toInteger(-1);
    c.error = errorFromJson(json.value(QStringLiteral("error")));
    return c;
}

int RunSummary::records() const
{
    int total = 0;
    for (const auto &c : collections)
        total += c.records;
    return total;
}

QString RunSummary::statusName(Status status)
{
    switch (status) {
    case Status::Running:
        return QStringLiteral("running");
    case Status::Succeeded:
        return QStringLiteral("succeeded");
    case Status::Partial:
        return QStringLiteral("partial");
    case Status::Aborted:
        return QStringLiteral("aborted");
    }
    return QStringLiteral("aborted");
}

RunSummary::Status RunSummary::statusFromName(const QString &name)
{
    for (Status s : {Status::Running, Status::Succeeded, Status::Partial, Status::Aborted}) {
        if (statusName(s) == name)
            return s;
    }
    return Status::Aborted;
}

int RunSummary::exitCode() const
{
    switch (status) {
    case Status::Succeeded:
        return 0;
    case Status::Partial:
        return 3;
    case Status::Aborted:
        if (error && error->kind == Error::Kind::Auth)
            return 4;
        if (error && error->kind == Error::Kind::Warehouse)
            return 5;
        return 3;
    case Status::Running:
        return 1;
    }
    return 1;
}

QJsonObject RunSummary::toJson() const
{
    QJsonArray cols;
    for (const auto &c : collections)
        cols.append(c.toJson());
    return QJsonObject {{QStringLiteral("run_id"), runId},
                        {QStringLiteral("source"), source},
                        {QStringLiteral("status"), statusName(status)},
                        {QStringLiteral("error"), errorJson(error)},
                        {QStringLiteral("records"), records()},
                        {QStringLiteral("api_calls"), apiCalls},
                        {QStringLiteral("started_at"), isoUtc(startedAt)},
                        {QStringLiteral("finished_at"), isoUtc(finishedAt)},
                        {QStringLiteral("collections"), cols}};
}

RunSummary RunSummary::fromJson(const QJsonObject &json)
{
    RunSummary r;
    r.runId = json.value(QStringLiteral("run_id")).toString();
    r.source = json.value(QStringLiteral("source")).toString();
    r.status = statusFromName(json.value(QStringLiteral("status")).toString());
    r.error = errorFromJson(json.value(QStringLiteral("error")));
    r.apiCalls = json.value(QStringLiteral("api_calls")).toInt();
    r.startedAt = QDateTime::fromString(json.value(QStringLiteral("started_at")).toString(), Qt::ISODate);
    r.finishedAt = QDateTime::fromString(json.value(QStringLiteral("finished_at")).toString(), Qt::ISODate);
    const QJsonArray cols = json.value(QStringLiteral("collections")).toArray();
    for (const auto &c : cols)
        r.collections.append(CollectionSummary::fromJson(c.toObject()));
    return r;
}

} // namespace tributary
