#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QVariant>

#include <memory>
#include <vector>

struct pg_conn;
struct pg_result;

namespace tributary {

// One libpq connection (PGconn) with the few operations the PostgreSQL warehouse needs: plain and
// parameterised statements, COPY FROM STDIN, and failures kept as values (message, SQLSTATE,
// whether the connection is gone). Used from one thread at a time.
class PostgresConnection
{
public:
    // One statement's result rows, all as text (NULL kept apart).
    class Rows
    {
    public:
        Rows();
        ~Rows();
        Rows(Rows &&other) noexcept;
        Rows &operator=(Rows &&other) noexcept;
        Q_DISABLE_COPY(Rows)

        int rowCount() const;
        int columnCount() const;
        QString columnName(int column) const;
        unsigned int columnType(int column) const; // the type's OID
        bool isNull(int row, int column) const;
        QByteArray bytes(int row, int column) const;
        QString text(int row, int column) const;
        // The value as a QVariant of the column type: bool, qint64, double, QDateTime (UTC) or QString.
        QVariant value(int row, int column) const;
        qint64 affectedRows() const; // INSERT/UPDATE/DELETE/COPY: the command's row count

    private:
        friend class PostgresConnection;
        pg_result *m_result = nullptr;
    };

    struct Failure
    {
        QString message;  // the server's (or libpq's) text, one line
        QString sqlState; // five characters, empty when libpq failed locally
        bool connectionLost = false;
        bool retryable = false; // a lost connection, a serialization failure or a deadlock
    };

    PostgresConnection();
    ~PostgresConnection();
    Q_DISABLE_COPY_MOVE(PostgresConnection)

    // Connects to a postgresql:// URI (libpq syntax: every libpq parameter, sslmode among them, may
    // be given in its query); a non-empty password replaces one in the URI. The session then runs
    // in UTC with ISO dates and UTF-8.
    bool connect(const QString &url, const QString &password);
    void disconnect();
    bool isConnected() const;
    // Whether the server is gone (a statement failed because the connection broke).
    bool isBroken() const;
    // Tries once to connect again after the connection broke.
    bool reset();

    bool exec(const QString &sql, Rows *rows = nullptr);
    // $1, $2... bound to params: a null QByteArray is SQL NULL, anything else text in UTF-8.
    bool exec(const QString &sql, const QList<QByteArray> &params, Rows *rows = nullptr);
    // COPY ... FROM STDIN with the whole text-format payload.
    bool copyIn(const QString &sql, const QByteArray &data);
    // Several statements sent as one query (the simple protocol: no $n parameters), exactly one
    // of them COPY ... FROM STDIN, whose payload follows: two round trips for all of them. The
    // server stops at the first failing statement (inside BEGIN, the transaction is then
    // aborted). results, when given, gets the rows of each statement that returns rows, in order.
    bool execWithCopy(const QString &script, const QByteArray &data, std::vector<Rows> *results = nullptr);
    // execWithCopy() in two halves: sendWithCopy() returns once the payload is sent (the server
    // then runs the statements after the COPY while the caller goes on), collectResults() waits
    // for them. Nothing else may use the connection in between. A failure seen while sending
    // collects at once and returns false.
    bool sendWithCopy(const QString &script, const QByteArray &data);
    bool collectResults(std::vector<Rows> *results = nullptr);
    // Whether statements were sent whose results are not collected yet.
    bool hasSentStatements() const { return m_sent; }
    // A string as an SQL literal ('...', or E'...' with backslashes), for execWithCopy's scripts.
    QString literal(const QByteArray &utf8) const;

    const Failure &failure() const { return m_failure; }
    int serverVersion() const; // e.g. 150020
    QString serverVersionText() const;
    pg_conn *handle() const { return m_conn; }

    // Validates a postgresql:// URI without connecting; the libpq message when it is malformed.
    static QString checkUrl(const QString &url);
    // Whether the SQLSTATE means the connection or the server went away.
    static bool isConnectionState(const QString &sqlState);

    // The libpq keyword/value pairs this connection uses for url and password.
    static QList<QByteArray> connectionParameters(const QString &url, const QString &password);

    // Whether a server answers at the URL's address (PQpingParams), without logging in.
    enum class Ping { Ok, Rejected, NoResponse, NoAttempt };
    static Ping ping(const QString &url, const QString &password);
    // After a failed connect: the server asked for a password and none was given.
    bool neededPassword() const;

private:
    bool checkResult(pg_result *result, int expected, Rows *rows, const QString &sql);
    void takeSentResult(pg_result *result);
    void noteSentFailure();
    void noteFailure(const QString &message, const QString &sqlState);
    bool setUpSession();

    pg_conn *m_conn = nullptr;
    Failure m_failure;
    // Statements sent by sendWithCopy() whose results collectResults() has not read yet.
    bool m_sent = false;
    bool m_sentDone = false;   // every result is read already
    bool m_sentCopied = false; // the payload went
    bool m_sentOk = true;
    QString m_sentScript;
    std::vector<Rows> m_sentResults;
};

} // namespace tributary
