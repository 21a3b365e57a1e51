#pragma once

#include "core/ColumnType.h"

#include <QByteArray>
#include <QDateTime>
#include <QStringView>
#include <QVariant>

namespace tributary {

// Values in PostgreSQL's COPY text format (tab-separated, \N for NULL, backslash escapes), written
// the way the warehouse stores them: a value goes into a column of its own type or of a wider one
// (BatchPlan::storedValue's rules: bool, qint64, double, QDateTime, QString), as
//   boolean      t / f (as true / false in a text column)
//   bigint       decimal digits
//   double       the shortest text that reads back as the same double
//   timestamptz  yyyy-MM-ddTHH:mm:ss.zzzZ (UTC, milliseconds; the same text in a text column)
//   text, jsonb  the string in UTF-8
// PostgreSQL's text and jsonb cannot hold U+0000: it becomes U+FFFD (in jsonb, "\u0000" becomes
// "\ufffd"); an unpaired surrogate becomes U+FFFD too.
namespace PostgresCopyFormat {

void appendNull(QByteArray &out);
void appendValue(QByteArray &out, const QVariant &value, ColumnType columnType);
// A string, escaped for COPY.
void appendText(QByteArray &out, QStringView text);
// JSON text (an array or object), escaped for COPY, with "\u0000" escapes replaced.
void appendJson(QByteArray &out, QStringView json);
void appendInteger(QByteArray &out, qint64 value);
void appendReal(QByteArray &out, double value);
void appendTimestamp(QByteArray &out, const QDateTime &value);
// The SQL type of a column of this logical type (Null: text, until a value says more).
QString sqlType(ColumnType type);
// The logical type a column of this SQL type (format_type's spelling) holds.
ColumnType columnTypeOf(const QString &sqlType);

} // namespace PostgresCopyFormat
} // namespace tributary
