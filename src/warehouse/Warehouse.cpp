#include "Warehouse.h"

#include "warehouse/PostgresWarehouse.h"
#include "warehouse/SqliteWarehouse.h"

#include <QDir>
#include <QUrl>

namespace tributary {

namespace {

QString usageHint()
{
    return QStringLiteral("Use sqlite:PATH (a file, absolute or relative to the current folder) or "
                          "postgresql://USER@HOST:PORT/DB, for example `tributary warehouse set "
                          "sqlite:/home/me/tributary.db`.");
}

// The URL as it may be shown: without a password someone put in it.
QString displayed(const QString &url)
{
    const QUrl parsed(url);
    if (parsed.isValid() && !parsed.scheme().isEmpty() && !parsed.password().isEmpty())
        return parsed.toDisplayString(QUrl::RemovePassword);
    return url;
}

} // namespace

Result<std::unique_ptr<Warehouse>> Warehouse::create(const QString &url, const QString &password)
{
    const QString trimmed = url.trimmed();
    const QString sqliteScheme = QStringLiteral("sqlite:");
    if (trimmed.startsWith(sqliteScheme, Qt::CaseInsensitive)) {
        QString path = trimmed.mid(sqliteScheme.size());
        if (path.startsWith(QStringLiteral("///")))
            path = path.mid(2); // sqlite:///abs/file.db
        if (path == QStringLiteral("~") || path.startsWith(QStringLiteral("~/")))
            path = QDir::homePath() + path.mid(1);
        if (path.isEmpty()) {
            return Error::make(Error::Kind::Config, QStringLiteral("The warehouse URL %1 names no file.").arg(trimmed),
                               usageHint());
        }
        const QString absolute = QDir::cleanPath(QDir::current().absoluteFilePath(path));
        return std::unique_ptr<Warehouse>(std::make_unique<SqliteWarehouse>(absolute));
    }
    if (trimmed.startsWith(QStringLiteral("postgresql://"), Qt::CaseInsensitive)
        || trimmed.startsWith(QStringLiteral("postgres://"), Qt::CaseInsensitive)) {
        if (Result<void> valid = PostgresWarehouse::checkUrl(trimmed); !valid)
            return valid.error();
        return std::unique_ptr<Warehouse>(std::make_unique<PostgresWarehouse>(trimmed, password));
    }
    return Error::make(Error::Kind::Config,
                       QStringLiteral("The warehouse URL %1 is not one Tributary can use.").arg(displayed(trimmed)),
                       usageHint());
}

Result<QString> Warehouse::testConnection(const QString &url, const QString &password, ConnectionProblem *problem)
{
    if (problem)
        *problem = ConnectionProblem::None;
    const QString trimmed = url.trimmed();
    if (trimmed.startsWith(QStringLiteral("postgresql://"), Qt::CaseInsensitive)
        || trimmed.startsWith(QStringLiteral("postgres://"), Qt::CaseInsensitive))
        return PostgresWarehouse::testConnection(trimmed, password, problem);

    Result<std::unique_ptr<Warehouse>> warehouse = create(trimmed, password);
    if (!warehouse) {
        if (problem)
            *problem = ConnectionProblem::InvalidUrl;
        return warehouse.error();
    }
    if (Result<void> opened = (*warehouse)->open(); !opened) {
        if (problem)
            *problem = ConnectionProblem::Other;
        return opened.error();
    }
    Result<QueryResult> version = (*warehouse)->query(QStringLiteral("SELECT sqlite_version()"), 1);
    (*warehouse)->close();
    if (!version || version->rows.isEmpty())
        return QStringLiteral("SQLite");
    return QString(QStringLiteral("SQLite ") + version->rows.first().first().toString());
}

void Warehouse::keepWriteResult(Result<WriteStats> result)
{
    if (m_begun) {
        m_begun = Error::make(Error::Kind::Internal, QStringLiteral("beginWrite() before the previous finishWrite()."),
                              QStringLiteral("This is a bug in Tributary; please report it."));
        return;
    }
    m_begun = std::move(result);
}

Result<WriteStats> Warehouse::finishWrite()
{
    if (!m_begun)
        return Error::make(Error::Kind::Internal, QStringLiteral("finishWrite() without beginWrite()."),
                           QStringLiteral("This is a bug in Tributary; please report it."));
    return *std::exchange(m_begun, std::nullopt);
}

} // namespace tributary
