#include "PostgresConnection.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QTimeZone>

#include <libpq-fe.h>

#include <charconv>
#include <vector>

namespace tributary {

namespace {

Q_LOGGING_CATEGORY(lcPgConnection, "tributary.warehouse.postgres.connection")

// Type OIDs from pg_type.dat (stable across versions).
constexpr unsigned int kBoolOid = 16;
constexpr unsigned int kInt8Oid = 20;
constexpr unsigned int kInt2Oid = 21;
constexpr unsigned int kInt4Oid = 23;
constexpr unsigned int kOidOid = 26;
constexpr unsigned int kFloat4Oid = 700;
constexpr unsigned int kFloat8Oid = 701;
constexpr unsigned int kTimestampOid = 1114;
constexpr unsigned int kTimestampTzOid = 1184;

QString oneLine(const char *text)
{
    QStringList lines = QString::fromUtf8(text).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (QString &line : lines)
        line = line.simplified();
    lines.removeAll(QString());
    return lines.join(QLatin1String(" "));
}

// "2026-01-02 03:04:05.678+00" (DateStyle ISO, TimeZone UTC) or the same without a zone.
QVariant timestampValue(const QByteArray &text)
{
    QByteArray iso = text;
    if (iso.size() > 10 && iso.at(10) == ' ')
        iso[10] = 'T';
    const qsizetype zone = std::max(iso.lastIndexOf('+'), iso.lastIndexOf('-'));
    if (zone > 10 && iso.size() - zone == 3)
        iso += ":00";
    else if (zone <= 10)
        iso += 'Z';
    const QDateTime parsed = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs);
    if (!parsed.isValid())
        return QString::fromUtf8(text); // infinity, BC dates...
    return parsed.toUTC();
}

} // namespace

PostgresConnection::Rows::Rows() = default;

PostgresConnection::Rows::~Rows()
{
    if (m_result)
        PQclear(m_result);
}

PostgresConnection::Rows::Rows(Rows &&other) noexcept : m_result(std::exchange(other.m_result, nullptr)) { }

PostgresConnection::Rows &PostgresConnection::Rows::operator=(Rows &&other) noexcept
{
    if (this != &other) {
        if (m_result)
            PQclear(m_result);
        m_result = std::exchange(other.m_result, nullptr);
    }
    return *this;
}

int PostgresConnection::Rows::rowCount() const
{
    return m_result ? PQntuples(m_result) : 0;
}

int PostgresConnection::Rows::columnCount() const
{
    return m_result ? PQnfields(m_result) : 0;
}

QString PostgresConnection::Rows::columnName(int column) const
{
    return QString::fromUtf8(PQfname(m_result, column));
}

unsigned int PostgresConnection::Rows::columnType(int column) const
{
    return PQftype(m_result, column);
}

bool PostgresConnection::Rows::isNull(int row, int column) const
{
    return PQgetisnull(m_result, row, column) != 0;
}

QByteArray PostgresConnection::Rows::bytes(int row, int column) const
{
    return QByteArray(PQgetvalue(m_result, row, column), PQgetlength(m_result, row, column));
}

QString PostgresConnection::Rows::text(int row, int column) const
{
    if (isNull(row, column))
        return {};
    return QString::fromUtf8(PQgetvalue(m_result, row, column), PQgetlength(m_result, row, column));
}

QVariant PostgresConnection::Rows::value(int row, int column) const
{
    if (isNull(row, column))
        return {};
    const char *data = PQgetvalue(m_result, row, column);
    const int length = PQgetlength(m_result, row, column);
    switch (columnType(column)) {
    case kBoolOid:
        return length > 0 && data[0] == 't';
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
        qint64 n = 0;
        const auto [end, error] = std::from_chars(data, data + length, n);
        if (error == std::errc() && end == data + length)
            return n;
        break;
    }
    case kFloat4Oid:
    case kFloat8Oid: {
        bool ok = false;
        const double d = QByteArray::fromRawData(data, length).toDouble(&ok);
        if (ok)
            return d;
        break;
    }
    case kTimestampOid:
    case kTimestampTzOid:
        return timestampValue(QByteArray(data, length));
    default:
        break;
    }
    return QString::fromUtf8(data, length);
}

qint64 PostgresConnection::Rows::affectedRows() const
{
    if (!m_result)
        return 0;
    return QByteArray(PQcmdTuples(m_result)).toLongLong();
}

PostgresConnection::PostgresConnection() = default;

PostgresConnection::~PostgresConnection()
{
    disconnect();
}

QList<QByteArray> PostgresConnection::connectionParameters(const QString &url, const QString &password)
{
    // Earlier keywords are overridden by what the URI says; later ones override the URI.
    QList<QByteArray> pairs {
            "connect_timeout",
            "10",
            "keepalives",
            "1",
            "keepalives_idle",
            "30",
            "keepalives_interval",
            "10",
            "keepalives_count",
            "3",
            "dbname",
            url.toUtf8(),
            "client_encoding",
            "UTF8",
            "fallback_application_name",
            "tributary",
    };
    if (!password.isEmpty())
        pairs << "password" << password.toUtf8();
    return pairs;
}

namespace {

struct Parameters
{
    QList<QByteArray> pairs;
    std::vector<const char *> keywords;
    std::vector<const char *> values;

    Parameters(const QString &url, const QString &password)
        : pairs(PostgresConnection::connectionParameters(url, password))
    {
        for (qsizetype i = 0; i + 1 < pairs.size(); i += 2) {
            keywords.push_back(pairs.at(i).constData());
            values.push_back(pairs.at(i + 1).constData());
        }
        keywords.push_back(nullptr);
        values.push_back(nullptr);
    }
};

} // namespace

PostgresConnection::Ping PostgresConnection::ping(const QString &url, const QString &password)
{
    const Parameters parameters(url, password);
    switch (PQpingParams(parameters.keywords.data(), parameters.values.data(), 1)) {
    case PQPING_OK:
        return Ping::Ok;
    case PQPING_REJECT:
        return Ping::Rejected;
    case PQPING_NO_RESPONSE:
        return Ping::NoResponse;
    case PQPING_NO_ATTEMPT:
        return Ping::NoAttempt;
    }
    return Ping::NoAttempt;
}

bool PostgresConnection::neededPassword() const
{
    return m_conn && PQconnectionNeedsPassword(m_conn);
}

bool PostgresConnection::connect(const QString &url, const QString &password)
{
    disconnect();
    m_failure = {};
    const Parameters parameters(url, password);
    m_conn = PQconnectdbParams(parameters.keywords.data(), parameters.values.data(), 1);
    if (!m_conn) {
        noteFailure(QStringLiteral("out of memory"), {});
        return false;
    }
    if (PQstatus(m_conn) != CONNECTION_OK) {
        noteFailure(oneLine(PQerrorMessage(m_conn)), {});
        m_failure.connectionLost = true;
        return false;
    }
    return setUpSession();
}

bool PostgresConnection::setUpSession()
{
    return exec(QStringLiteral("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; "
                               "SET extra_float_digits = 1; SET client_min_messages = 'warning'"));
}

void PostgresConnection::disconnect()
{
    if (m_conn) {
        PQfinish(m_conn);
        m_conn = nullptr;
    }
    m_sent = m_sentDone = m_sentCopied = false;
    m_sentOk = true;
    m_sentResults.clear();
}

bool PostgresConnection::isConnected() const
{
    return m_conn && PQstatus(m_conn) == CONNECTION_OK;
}

bool PostgresConnection::isBroken() const
{
    return !m_conn || PQstatus(m_conn) != CONNECTION_OK;
}

bool PostgresConnection::reset()
{
    if (!m_conn)
        return false;
    PQreset(m_conn);
    m_sent = m_sentDone = m_sentCopied = false;
    m_sentOk = true;
    m_sentResults.clear();
    if (PQstatus(m_conn) != CONNECTION_OK) {
        noteFailure(oneLine(PQerrorMessage(m_conn)), {});
        m_failure.connectionLost = true;
        return false;
    }
    m_failure = {};
    return setUpSession();
}

bool PostgresConnection::exec(const QString &sql, Rows *rows)
{
    if (!m_conn) {
        noteFailure(QStringLiteral("not connected"), {});
        return false;
    }
    return checkResult(PQexec(m_conn, sql.toUtf8().constData()), -1, rows, sql);
}

bool PostgresConnection::exec(const QString &sql, const QList<QByteArray> &params, Rows *rows)
{
    if (!m_conn) {
        noteFailure(QStringLiteral("not connected"), {});
        return false;
    }
    std::vector<const char *> values;
    values.reserve(params.size());
    for (const QByteArray &param : params)
        values.push_back(param.isNull() ? nullptr : param.constData());
    return checkResult(PQexecParams(m_conn, sql.toUtf8().constData(), int(values.size()), nullptr, values.data(),
                                    nullptr, nullptr, 0),
                       -1, rows, sql);
}

bool PostgresConnection::copyIn(const QString &sql, const QByteArray &data)
{
    if (!m_conn) {
        noteFailure(QStringLiteral("not connected"), {});
        return false;
    }
    if (!checkResult(PQexec(m_conn, sql.toUtf8().constData()), PGRES_COPY_IN, nullptr, sql))
        return false;
    constexpr qsizetype kChunk = 1 << 20;
    for (qsizetype offset = 0; offset < data.size(); offset += kChunk) {
        const int length = int(std::min(kChunk, data.size() - offset));
        if (PQputCopyData(m_conn, data.constData() + offset, length) != 1) {
            noteFailure(oneLine(PQerrorMessage(m_conn)), {});
            m_failure.connectionLost = isBroken();
            m_failure.retryable = m_failure.connectionLost;
            // Collect whatever the server says so the connection is usable (or known dead).
            while (PGresult *result = PQgetResult(m_conn))
                PQclear(result);
            return false;
        }
    }
    if (PQputCopyEnd(m_conn, nullptr) != 1) {
        noteFailure(oneLine(PQerrorMessage(m_conn)), {});
        m_failure.connectionLost = isBroken();
        m_failure.retryable = m_failure.connectionLost;
        while (PGresult *result = PQgetResult(m_conn))
            PQclear(result);
        return false;
    }
    bool ok = true;
    while (PGresult *result = PQgetResult(m_conn)) {
        if (ok)
            ok = checkResult(result, PGRES_COMMAND_OK, nullptr, sql);
        else
            PQclear(result);
    }
    return ok;
}

bool PostgresConnection::execWithCopy(const QString &script, const QByteArray &data, std::vector<Rows> *results)
{
    return sendWithCopy(script, data) && collectResults(results);
}

bool PostgresConnection::sendWithCopy(const QString &script, const QByteArray &data)
{
    if (m_sent) {
        noteFailure(QStringLiteral("the results of the previous statements were not collected"), {});
        return false;
    }
    if (!m_conn) {
        noteFailure(QStringLiteral("not connected"), {});
        return false;
    }
    if (PQsendQuery(m_conn, script.toUtf8().constData()) != 1) {
        noteFailure(oneLine(PQerrorMessage(m_conn)), {});
        return false;
    }
    m_sent = true;
    m_sentScript = script;
    m_sentOk = true;
    m_sentResults.clear();
    // The results up to the COPY's, then the payload: the statements after it run on the server
    // until collectResults() reads their results.
    while (PGresult *result = PQgetResult(m_conn)) {
        if (PQresultStatus(result) == PGRES_COPY_IN) {
            PQclear(result);
            if (!m_sentOk) {
                (void)PQputCopyEnd(m_conn, "an earlier statement failed");
                continue;
            }
            constexpr qsizetype kChunk = 1 << 20;
            for (qsizetype offset = 0; m_sentOk && offset < data.size(); offset += kChunk) {
                const int length = int(std::min(kChunk, data.size() - offset));
                if (PQputCopyData(m_conn, data.constData() + offset, length) != 1)
                    noteSentFailure();
            }
            if (PQputCopyEnd(m_conn, m_sentOk ? nullptr : "the payload could not be sent") != 1)
                noteSentFailure();
            m_sentCopied = true;
            return m_sentOk || collectResults(nullptr);
        }
        takeSentResult(result);
        if (isBroken())
            break;
    }
    // No COPY came (an earlier statement failed): every result is in.
    m_sentDone = true;
    collectResults(nullptr);
    return false;
}

void PostgresConnection::noteSentFailure()
{
    if (m_sentOk) {
        noteFailure(oneLine(PQerrorMessage(m_conn)), {});
        m_sentOk = false;
    }
}

void PostgresConnection::takeSentResult(PGresult *result)
{
    if (!m_sentOk) {
        PQclear(result);
        return;
    }
    if (PQresultStatus(result) == PGRES_TUPLES_OK) {
        Rows rows;
        m_sentOk = checkResult(result, PGRES_TUPLES_OK, &rows, m_sentScript);
        m_sentResults.push_back(std::move(rows));
    } else {
        m_sentOk = checkResult(result, -1, nullptr, m_sentScript);
    }
}

bool PostgresConnection::collectResults(std::vector<Rows> *results)
{
    if (!m_sent) {
        noteFailure(QStringLiteral("no statements were sent"), {});
        return false;
    }
    if (!m_sentDone) {
        while (PGresult *result = PQgetResult(m_conn)) {
            if (PQresultStatus(result) == PGRES_COPY_IN) { // a second COPY: refused
                PQclear(result);
                (void)PQputCopyEnd(m_conn, "unexpected COPY");
                continue;
            }
            takeSentResult(result);
            if (isBroken())
                break;
        }
    }
    bool ok = m_sentOk;
    if (ok && !m_sentCopied) {
        noteFailure(QStringLiteral("the statements held no COPY FROM STDIN"), {});
        ok = false;
    }
    if (!ok) {
        m_failure.connectionLost = m_failure.connectionLost || isBroken();
        m_failure.retryable = m_failure.retryable || m_failure.connectionLost;
    }
    if (results)
        *results = std::move(m_sentResults);
    m_sent = false;
    m_sentDone = false;
    m_sentCopied = false;
    m_sentResults.clear();
    m_sentScript.clear();
    return ok;
}

QString PostgresConnection::literal(const QByteArray &utf8) const
{
    if (m_conn) {
        if (char *escaped = PQescapeLiteral(m_conn, utf8.constData(), size_t(utf8.size()))) {
            QString text = QString::fromUtf8(escaped);
            PQfreemem(escaped);
            return text;
        }
    }
    // Without a connection (or out of memory): standard_conforming_strings, quotes doubled, and
    // backslashes in an E'' literal.
    QByteArray out = utf8;
    out.replace('\\', "\\\\");
    out.replace('\'', "''");
    return QStringLiteral("E'") + QString::fromUtf8(out) + QLatin1Char('\'');
}

bool PostgresConnection::checkResult(pg_result *result, int expected, Rows *rows, const QString &sql)
{
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    const bool ok = expected >= 0 ? status == expected : (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK);
    if (!ok) {
        QString message;
        QString state;
        if (result) {
            const char *primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
            const char *code = PQresultErrorField(result, PG_DIAG_SQLSTATE);
            message = primary ? oneLine(primary) : oneLine(PQresultErrorMessage(result));
            state = code ? QString::fromLatin1(code) : QString();
        }
        if (message.isEmpty())
            message = oneLine(PQerrorMessage(m_conn));
        if (message.isEmpty())
            message = QStringLiteral("unexpected result %1").arg(QString::fromLatin1(PQresStatus(status)));
        noteFailure(message, state);
        qCDebug(lcPgConnection).noquote() << "Statement failed:" << sql.left(300) << "--" << message << state;
        if (result)
            PQclear(result);
        return false;
    }
    if (rows) {
        if (rows->m_result)
            PQclear(rows->m_result);
        rows->m_result = result;
    } else {
        PQclear(result);
    }
    return true;
}

void PostgresConnection::noteFailure(const QString &message, const QString &sqlState)
{
    m_failure.message = message;
    m_failure.sqlState = sqlState;
    m_failure.connectionLost = isBroken() || isConnectionState(sqlState);
    m_failure.retryable = m_failure.connectionLost || sqlState == QLatin1String("40001")
            || sqlState == QLatin1String("40P01") || sqlState == QLatin1String("55P03");
}

bool PostgresConnection::isConnectionState(const QString &sqlState)
{
    // 08: connection exception; 57P01..57P03: the server shut down, crashed or is starting.
    return sqlState.startsWith(QLatin1String("08")) || sqlState == QLatin1String("57P01")
            || sqlState == QLatin1String("57P02") || sqlState == QLatin1String("57P03");
}

int PostgresConnection::serverVersion() const
{
    return m_conn ? PQserverVersion(m_conn) : 0;
}

QString PostgresConnection::serverVersionText() const
{
    if (!m_conn)
        return {};
    const char *version = PQparameterStatus(m_conn, "server_version");
    return version ? QString::fromUtf8(version) : QString::number(PQserverVersion(m_conn));
}

QString PostgresConnection::checkUrl(const QString &url)
{
    char *error = nullptr;
    PQconninfoOption *options = PQconninfoParse(url.toUtf8().constData(), &error);
    QString message;
    if (!options)
        message = error ? oneLine(error) : QStringLiteral("the URL could not be read");
    for (PQconninfoOption *option = options; option && option->keyword; ++option) {
        if (qstrcmp(option->keyword, "port") != 0 || !option->val)
            continue;
        // libpq reads the port only when connecting; one per host, comma-separated.
        for (const QByteArray &port : QByteArray(option->val).split(',')) {
            bool ok = false;
            const int number = port.toInt(&ok);
            if (!port.isEmpty() && (!ok || number < 1 || number > 65535))
                message = QStringLiteral("invalid port number: \"%1\"").arg(QString::fromUtf8(port));
        }
    }
    if (options)
        PQconninfoFree(options);
    if (error)
        PQfreemem(error);
    return message;
}

} // namespace tributary
