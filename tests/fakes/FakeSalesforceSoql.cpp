#include "FakeSalesforceSoql.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTimeZone>

namespace tributary::test::soql {

namespace {

struct Token
{
    enum class Kind { Word, Number, String, Date, DateTime, Op, Comma, Open, Close, End };
    Kind kind = Kind::End;
    QString text;
    int column = 0;
    Literal literal; // Number, String, Date, DateTime
};

struct Lexed
{
    QList<Token> tokens;
    std::optional<Error> error;
};

bool isNameStart(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
            || c == QLatin1Char('_');
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || c.isDigit() || c == QLatin1Char('.');
}

Lexed lex(const QString &text)
{
    static const QRegularExpression dateTime(QStringLiteral(
            "\\G(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,3}))?(Z|[+-]\\d{2}:\\d{2})"));
    static const QRegularExpression date(QStringLiteral("\\G(\\d{4})-(\\d{2})-(\\d{2})(?![\\dT:])"));
    static const QRegularExpression number(QStringLiteral("\\G-?\\d+(?:\\.\\d+)?(?![\\w.])"));
    Lexed out;
    qsizetype i = 0;
    const qsizetype n = text.size();
    auto fail = [&](qsizetype at, const QString &message) {
        out.error = Error {int(at + 1), message};
        return out;
    };
    while (i < n) {
        const QChar c = text.at(i);
        if (c.isSpace()) {
            ++i;
            continue;
        }
        Token t;
        t.column = int(i + 1);
        if (isNameStart(c)) {
            qsizetype j = i;
            while (j < n && isNameChar(text.at(j)))
                ++j;
            t.kind = Token::Kind::Word;
            t.text = text.mid(i, j - i);
            i = j;
        } else if (c.isDigit() || (c == QLatin1Char('-') && i + 1 < n && text.at(i + 1).isDigit())) {
            QRegularExpressionMatch m = dateTime.match(text, i);
            if (m.hasMatch()) {
                const QString zone = m.captured(8);
                QString iso = m.captured(1) + QLatin1Char('-') + m.captured(2) + QLatin1Char('-') + m.captured(3)
                        + QLatin1Char('T') + m.captured(4) + QLatin1Char(':') + m.captured(5) + QLatin1Char(':')
                        + m.captured(6) + QLatin1Char('.') + m.captured(7).leftJustified(3, QLatin1Char('0'));
                iso += zone;
                const QDateTime parsed = QDateTime::fromString(iso, Qt::ISODateWithMs);
                if (!parsed.isValid() || m.captured(4).toInt() > 23)
                    return fail(i, QStringLiteral("invalid date: %1").arg(m.captured(0)));
                t.kind = Token::Kind::DateTime;
                t.text = m.captured(0);
                t.literal.kind = Literal::Kind::DateTime;
                t.literal.msecs = parsed.toMSecsSinceEpoch();
                i += m.capturedLength();
            } else if ((m = date.match(text, i)).hasMatch()) {
                const QDate parsed = QDate::fromString(m.captured(0), Qt::ISODate);
                if (!parsed.isValid())
                    return fail(i, QStringLiteral("invalid date: %1").arg(m.captured(0)));
                t.kind = Token::Kind::Date;
                t.text = m.captured(0);
                t.literal.kind = Literal::Kind::Date;
                i += m.capturedLength();
            } else if ((m = number.match(text, i)).hasMatch()) {
                t.kind = Token::Kind::Number;
                t.text = m.captured(0);
                t.literal.kind = Literal::Kind::Number;
                t.literal.number = t.text.toDouble();
                i += m.capturedLength();
            } else {
                qsizetype j = i + 1;
                while (j < n && !text.at(j).isSpace() && text.at(j) != QLatin1Char(','))
                    ++j;
                return fail(i, QStringLiteral("unexpected token: '%1'").arg(text.mid(i, j - i)));
            }
            t.literal.text = t.text;
        } else if (c == QLatin1Char('\'')) {
            QString value;
            qsizetype j = i + 1;
            bool closed = false;
            while (j < n) {
                const QChar d = text.at(j);
                if (d == QLatin1Char('\\')) {
                    if (j + 1 >= n)
                        break;
                    const QChar e = text.at(j + 1);
                    static const QString simple = QStringLiteral("'\"\\_%");
                    if (e == QLatin1Char('n'))
                        value += QLatin1Char('\n');
                    else if (e == QLatin1Char('t'))
                        value += QLatin1Char('\t');
                    else if (e == QLatin1Char('r'))
                        value += QLatin1Char('\r');
                    else if (simple.contains(e))
                        value += e;
                    else
                        return fail(j,
                                    QStringLiteral("Invalid string literal '%1'. Illegal character sequence "
                                                   "'\\%2' in string literal.")
                                            .arg(text.mid(i + 1, j - i - 1), e));
                    j += 2;
                    continue;
                }
                if (d == QLatin1Char('\'')) {
                    closed = true;
                    break;
                }
                value += d;
                ++j;
            }
            if (!closed)
                return fail(i, QStringLiteral("line 1:%1 mismatched character '<EOF>' expecting '''").arg(n));
            t.kind = Token::Kind::String;
            t.text = text.mid(i, j + 1 - i);
            t.literal.kind = Literal::Kind::String;
            t.literal.text = value;
            i = j + 1;
        } else if (c == QLatin1Char(',')) {
            t.kind = Token::Kind::Comma;
            t.text = c;
            ++i;
        } else if (c == QLatin1Char('(')) {
            t.kind = Token::Kind::Open;
            t.text = c;
            ++i;
        } else if (c == QLatin1Char(')')) {
            t.kind = Token::Kind::Close;
            t.text = c;
            ++i;
        } else if (QStringLiteral("=!<>").contains(c)) {
            const QString two = text.mid(i, 2);
            if (two == QLatin1String("!=") || two == QLatin1String("<=") || two == QLatin1String(">=")
                || two == QLatin1String("<>")) {
                t.text = two;
                i += 2;
            } else if (c == QLatin1Char('!')) {
                return fail(i, QStringLiteral("unexpected token: '!'"));
            } else {
                t.text = c;
                ++i;
            }
            t.kind = Token::Kind::Op;
        } else {
            return fail(i, QStringLiteral("unexpected token: '%1'").arg(c));
        }
        out.tokens.append(t);
    }
    Token end;
    end.column = int(n + 1);
    out.tokens.append(end);
    return out;
}

bool isKeyword(const QString &word)
{
    static const QStringList keywords {
            QStringLiteral("SELECT"), QStringLiteral("FROM"),  QStringLiteral("WHERE"), QStringLiteral("AND"),
            QStringLiteral("OR"),     QStringLiteral("NOT"),   QStringLiteral("ORDER"), QStringLiteral("BY"),
            QStringLiteral("ASC"),    QStringLiteral("DESC"),  QStringLiteral("NULLS"), QStringLiteral("FIRST"),
            QStringLiteral("LAST"),   QStringLiteral("LIMIT"), QStringLiteral("TRUE"),  QStringLiteral("FALSE"),
            QStringLiteral("NULL"),   QStringLiteral("IN"),    QStringLiteral("LIKE"),  QStringLiteral("OFFSET"),
            QStringLiteral("GROUP"),  QStringLiteral("HAVING")};
    return keywords.contains(word.toUpper());
}

class Parser
{
public:
    explicit Parser(QList<Token> tokens) : m_tokens(std::move(tokens)) { }

    std::variant<Query, Error> run()
    {
        Query q;
        if (!keyword("SELECT"))
            return unexpected();
        do {
            if (!nameInto(&q.fields))
                return unexpected();
        } while (take(Token::Kind::Comma));
        if (!keyword("FROM"))
            return unexpected();
        QList<Name> object;
        if (!nameInto(&object))
            return unexpected();
        q.object = object.first();
        if (q.object.text.contains(QLatin1Char('.')))
            return Error {q.object.column, QStringLiteral("unexpected token: '%1'").arg(q.object.text)};
        if (keyword("WHERE")) {
            auto expr = orExpr();
            if (!expr)
                return *m_error;
            q.where = std::move(*expr);
        }
        if (keyword("ORDER")) {
            if (!keyword("BY"))
                return unexpected();
            do {
                QList<Name> field;
                if (!nameInto(&field))
                    return unexpected();
                OrderItem item;
                item.field = field.first();
                if (keyword("DESC"))
                    item.descending = true;
                else
                    keyword("ASC");
                item.nullsFirst = !item.descending;
                if (keyword("NULLS")) {
                    if (keyword("FIRST"))
                        item.nullsFirst = true;
                    else if (keyword("LAST"))
                        item.nullsFirst = false;
                    else
                        return unexpected();
                }
                q.orderBy.append(item);
            } while (take(Token::Kind::Comma));
        }
        if (keyword("LIMIT")) {
            const Token &t = peek();
            bool ok = false;
            const int n = t.text.toInt(&ok);
            if (t.kind != Token::Kind::Number || !ok || n < 0)
                return unexpected();
            q.limit = n;
            ++m_pos;
        }
        if (peek().kind != Token::Kind::End)
            return unexpected();
        return q;
    }

private:
    const Token &peek() const { return m_tokens.at(m_pos); }

    bool take(Token::Kind kind)
    {
        if (peek().kind != kind)
            return false;
        ++m_pos;
        return true;
    }

    bool keyword(const char *word)
    {
        if (peek().kind != Token::Kind::Word || peek().text.compare(QLatin1String(word), Qt::CaseInsensitive) != 0)
            return false;
        ++m_pos;
        return true;
    }

    bool nameInto(QList<Name> *names)
    {
        const Token &t = peek();
        if (t.kind != Token::Kind::Word || isKeyword(t.text) || t.text.endsWith(QLatin1Char('.'))
            || t.text.contains(QLatin1String("..")))
            return false;
        names->append({t.text, t.column});
        ++m_pos;
        return true;
    }

    Error unexpected() const
    {
        const Token &t = peek();
        if (t.kind == Token::Kind::End)
            return {t.column, QStringLiteral("unexpected token: <EOF>")};
        return {t.column, QStringLiteral("unexpected token: '%1'").arg(t.text)};
    }

    std::optional<Expr> orExpr()
    {
        auto first = andExpr();
        if (!first)
            return std::nullopt;
        if (!(peek().kind == Token::Kind::Word && peek().text.compare(QLatin1String("OR"), Qt::CaseInsensitive) == 0))
            return first;
        Expr e;
        e.kind = Expr::Kind::Or;
        e.children.push_back(std::move(*first));
        while (keyword("OR")) {
            auto next = andExpr();
            if (!next)
                return std::nullopt;
            e.children.push_back(std::move(*next));
        }
        return e;
    }

    std::optional<Expr> andExpr()
    {
        auto first = unary();
        if (!first)
            return std::nullopt;
        if (!(peek().kind == Token::Kind::Word && peek().text.compare(QLatin1String("AND"), Qt::CaseInsensitive) == 0))
            return first;
        Expr e;
        e.kind = Expr::Kind::And;
        e.children.push_back(std::move(*first));
        while (keyword("AND")) {
            auto next = unary();
            if (!next)
                return std::nullopt;
            e.children.push_back(std::move(*next));
        }
        return e;
    }

    std::optional<Expr> unary()
    {
        if (keyword("NOT")) {
            auto inner = unary();
            if (!inner)
                return std::nullopt;
            Expr e;
            e.kind = Expr::Kind::Not;
            e.children.push_back(std::move(*inner));
            return e;
        }
        if (take(Token::Kind::Open)) {
            auto inner = orExpr();
            if (!inner)
                return std::nullopt;
            if (!take(Token::Kind::Close)) {
                m_error = unexpected();
                return std::nullopt;
            }
            return inner;
        }
        return comparison();
    }

    std::optional<Expr> comparison()
    {
        QList<Name> field;
        if (!nameInto(&field)) {
            m_error = unexpected();
            return std::nullopt;
        }
        if (peek().kind != Token::Kind::Op) {
            m_error = unexpected();
            return std::nullopt;
        }
        Expr e;
        e.field = field.first();
        e.op = peek().text == QLatin1String("<>") ? QStringLiteral("!=") : peek().text;
        ++m_pos;
        const Token &t = peek();
        switch (t.kind) {
        case Token::Kind::Number:
        case Token::Kind::String:
        case Token::Kind::Date:
        case Token::Kind::DateTime:
            e.value = t.literal;
            break;
        case Token::Kind::Word:
            if (t.text.compare(QLatin1String("TRUE"), Qt::CaseInsensitive) == 0
                || t.text.compare(QLatin1String("FALSE"), Qt::CaseInsensitive) == 0) {
                e.value.kind = Literal::Kind::Boolean;
                e.value.boolean = t.text.compare(QLatin1String("TRUE"), Qt::CaseInsensitive) == 0;
            } else if (t.text.compare(QLatin1String("NULL"), Qt::CaseInsensitive) == 0) {
                e.value.kind = Literal::Kind::Null;
            } else {
                m_error = unexpected();
                return std::nullopt;
            }
            e.value.text = t.text;
            break;
        default:
            m_error = unexpected();
            return std::nullopt;
        }
        e.value.column = t.column;
        ++m_pos;
        return e;
    }

    QList<Token> m_tokens;
    qsizetype m_pos = 0;
    std::optional<Error> m_error;
};

} // namespace

std::variant<Query, Error> parse(const QString &text)
{
    Lexed lexed = lex(text);
    if (lexed.error)
        return *lexed.error;
    return Parser(std::move(lexed.tokens)).run();
}

QString positioned(const QString &text, int column)
{
    return QStringLiteral("\n") + text + QStringLiteral("\n") + QString(qMax(0, column - 1), QLatin1Char(' '))
            + QStringLiteral("^\nERROR at Row:1:Column:") + QString::number(column) + QLatin1Char('\n');
}

} // namespace tributary::test::soql
