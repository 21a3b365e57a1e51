#pragma once

#include <QJsonObject>
#include <QString>

namespace tributary {

// An error at a layer boundary: what happened in the user's words, what to do about it, and
// whether trying again may help. Errors are values; nothing throws across threads or signals.
struct Error
{
    enum class Kind {
        Auth,       // credentials rejected: the whole run stops
        Permission, // credentials valid, not allowed to read this collection
        RateLimit,  // upstream quota exhausted
        Http,       // any other HTTP or network failure
        Parse,      // upstream sent something we cannot read
        Warehouse,  // the warehouse failed: the whole run stops
        Stalled,    // no progress for the stall timeout
        Cancelled,  // the user (or a signal) stopped the run
        Config,     // bad configuration or usage
        Internal,   // a bug
    };

    Kind kind = Kind::Internal;
    QString message;
    QString hint;
    bool retryable = false;
    int httpStatus = 0;
    QString requestId;

    static Error make(Kind kind, const QString &message, const QString &hint = {}, bool retryable = false)
    {
        Error e;
        e.kind = kind;
        e.message = message;
        e.hint = hint;
        e.retryable = retryable;
        return e;
    }

    // The fixed names of DESIGN.md: auth|permission|rate_limit|http|parse|warehouse|stalled|cancelled.
    static QString kindName(Kind kind);
    static Kind kindFromName(const QString &name);
    QString kindName() const { return kindName(kind); }

    QJsonObject toJson() const;
    static Error fromJson(const QJsonObject &json);
};

} // namespace tributary
