#include "Warehouse.h"

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
    Q_UNUSED(password) // for PostgreSQL
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
        return Error::make(Error::Kind::Config, QStringLiteral("PostgreSQL warehouses are not available yet"),
                           QStringLiteral("Use a SQLite warehouse for now: `tributary warehouse set sqlite:PATH`."));
    }
    return Error::make(Error::Kind::Config,
                       QStringLiteral("The warehouse URL %1 is not one Tributary can use.").arg(displayed(trimmed)),
                       usageHint());
}

} // namespace tributary
