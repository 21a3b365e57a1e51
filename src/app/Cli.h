#pragma once

#include "app/SourceService.h"

#include <QStringList>
#include <QTextStream>

namespace tributary {

// The headless command line (DESIGN.md "The CLI", a fixed contract). Needs a QCoreApplication;
// `sync` runs the application's event loop until the run ends.
class Cli
{
public:
    enum ExitCode {
        Ok = 0,
        Internal = 1,
        Usage = 2,
        Partial = 3,
        AccessDenied = 4,
        WarehouseFailed = 5,
        AlreadySyncing = 6,
    };

    // arguments without the program name and without --home (see takeHomeOption)
    Cli(QStringList arguments, const QString &home, CredentialStore &credentials);
    int exec();

    // Removes --home DIR / --home=DIR from the arguments and returns DIR (empty when absent).
    static QString takeHomeOption(QStringList *arguments);
    static QString usage();

private:
    int catalog();
    int warehouse();
    int sourceAdd();
    int sourceRemove();
    // The collections the source's upstream offers (one short exchange), for "all" on `source add`.
    Result<QStringList> discoverCollections(const QString &name);
    int sources();
    int sync();
    int history();
    int schedule();
    int fail(const Error &error, int code = Usage);
    int usageError(const QString &message);
    bool takeFlag(const QString &flag);
    bool takeOption(const QString &option, QString *value);
    QStringList takeOptions(const QString &option);
    bool checkNoExtra();

    QStringList m_args;
    SourceService m_service;
    QTextStream m_out;
    QTextStream m_err;
};

} // namespace tributary
