#pragma once

#include "Error.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace tributary {

// What one collection did in one run; status is succeeded|failed|stalled|skipped (|running while
// the run goes).
struct CollectionSummary
{
    enum class Status { Pending, Running, Succeeded, Failed, Stalled, Skipped };

    QString name;
    QString table;
    Status status = Status::Pending;
    int records = 0; // rows written
    int inserted = 0;
    int updated = 0;
    int pages = 0; // pages the API sent this run, like received (their rows may wait for a write)
    int apiCalls = 0;
    QString notice;             // something the user should know that is not an error (e.g. a full re-read)
    qint64 quotaRemaining = -1; // the upstream's request quota left after the last page (-1: not reported)
    qint64 quotaLimit = -1;
    int received = 0;            // records the API sent this run (written or not)
    qint64 expectedRecords = -1; // how many this run will receive, when the API says (-1: unknown)
    std::optional<Error> error;

    static QString statusName(Status status);
    static Status statusFromName(const QString &name);
    QJsonObject toJson() const;
    static CollectionSummary fromJson(const QJsonObject &json);
};

// The summary of one run, printed by `sync --json` and kept in history.
struct RunSummary
{
    enum class Status { Running, Succeeded, Partial, Aborted };

    QString runId;
    QString source;
    Status status = Status::Running;
    std::optional<Error> error; // the run-level error of an aborted run
    int apiCalls = 0;
    QDateTime startedAt;
    QDateTime finishedAt;
    QList<CollectionSummary> collections;

    int records() const;
    static QString statusName(Status status);
    static Status statusFromName(const QString &name);
    // The exit code fixed by DESIGN.md: 0, 3, 4 (access denied), 5 (warehouse failed).
    int exitCode() const;
    QJsonObject toJson() const;
    static RunSummary fromJson(const QJsonObject &json);
};

} // namespace tributary
