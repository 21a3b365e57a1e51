#pragma once

// The SOQL subset of FakeSalesforceServer: a parser that knows nothing of the schema. Checking names
// and types against the schema, and running the query, are the server's job.

#include <QList>
#include <QString>

#include <memory>
#include <optional>
#include <variant>
#include <vector>

namespace tributary::test::soql {

struct Literal
{
    enum class Kind { String, Number, Boolean, Null, Date, DateTime };
    Kind kind = Kind::Null;
    QString text;      // strings unescaped; dates as YYYY-MM-DD; the source text otherwise
    double number = 0; // Number
    bool boolean = false;
    qint64 msecs = 0; // DateTime, UTC
    int column = 0;
};

struct Name
{
    QString text;
    int column = 0; // 1-based, in the query
};

struct Expr
{
    enum class Kind { And, Or, Not, Compare };
    Kind kind = Kind::Compare;
    std::vector<Expr> children; // And, Or: two or more; Not: one
    Name field;                 // Compare
    QString op;                 // = != < <= > >= (<> is read as !=)
    Literal value;
};

struct OrderItem
{
    Name field;
    bool descending = false;
    bool nullsFirst = true; // ASC: NULLS FIRST, DESC: NULLS LAST unless said
};

struct Query
{
    QList<Name> fields;
    Name object;
    std::optional<Expr> where;
    QList<OrderItem> orderBy;
    std::optional<int> limit;
};

struct Error
{
    int column = 1;
    QString message; // e.g. "unexpected token: 'FORM'"
};

std::variant<Query, Error> parse(const QString &text);

// The head of Salesforce's positioned messages: "\n<query>\n    ^\nERROR at Row:1:Column:N\n".
QString positioned(const QString &text, int column);

} // namespace tributary::test::soql
