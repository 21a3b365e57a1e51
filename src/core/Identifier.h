#pragma once

#include <QString>

namespace tributary {

// Naming rules fixed by DESIGN.md.
namespace Identifier {

// snake_case: '_' inserted where a lower-case letter or digit meets an upper-case one, then lower
// case; existing underscores kept; any character but ASCII letter, digit or '_' becomes '_'; a
// leading digit gets a leading '_'. "LastModifiedDate" -> "last_modified_date",
// "Amount__c" -> "amount__c", "address.city" stays a job of the Normalizer.
QString toSnakeCase(const QString &name);

// A name longer than maxBytes (UTF-8) becomes its first (maxBytes - 9) bytes cut at a character
// boundary, '_', and the first 8 hex digits of the SHA-1 of the full name. PostgreSQL: 63.
// The hex digits are lower case; a maxBytes below 9 still gives '_' and 8 digits (9 bytes).
QString shorten(const QString &name, int maxBytes);

// Double-quoted SQL identifier with embedded quotes doubled.
QString quote(const QString &name);

} // namespace Identifier
} // namespace tributary
