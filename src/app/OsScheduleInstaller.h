#pragma once

#include "app/OsScheduleFiles.h"
#include "core/Result.h"
#include "core/ScheduleSpec.h"

#include <QString>
#include <QStringList>

namespace tributary {

class AppPaths;

// Installs and removes the OS schedule (OsScheduleFiles) of a source, so that it keeps syncing
// while Tributary is closed. Linux: the unit pair goes to $XDG_CONFIG_HOME/systemd/user (default
// ~/.config/systemd/user) and is enabled and started with `systemctl --user`; without systemctl or
// a user session (CI containers, some SSH logins) the timer is linked into timers.target.wants by
// hand, so the user manager starts it at the next login, and the report says so. macOS: the agent
// goes to ~/Library/LaunchAgents and is loaded with launchctl. Windows: the task is registered with
// schtasks from an XML file kept in the home folder.
//
// Runs the OS tool synchronously (a few short calls with a timeout): call it from the CLI or a
// worker thread, not the GUI thread.
class OsScheduleInstaller
{
public:
    enum class Platform { Systemd, Launchd, TaskScheduler };

    struct Options
    {
        Platform platform = Platform::Systemd;
        QString unitDir; // where the unit files, agent plist or task XML go
        QString tool;    // systemctl, launchctl or schtasks (a path); empty: none available
        QString program; // the tributary executable the schedule runs
        QString home;    // its --home
        int toolTimeoutMs = 15000;
    };

    struct Report
    {
        bool installed = false; // the files are in place (false after a removal)
        bool active = false;    // the OS scheduler took them up now
        QStringList files;      // written or removed
        QString message;        // what happened, in the user's words
    };

    explicit OsScheduleInstaller(Options options);
    // This platform's defaults. TRIBUTARY_OS_SCHEDULER_TOOL overrides the tool (empty: none), for
    // tests and for systems where it lives elsewhere.
    static Options defaults(const AppPaths &paths, const QString &program);
    static Platform currentPlatform();

    Result<Report> install(const QString &source, const ScheduleSpec &spec) const;
    // Removes what install() put in place; nothing to remove is no error.
    Result<Report> remove(const QString &source) const;
    bool isInstalled(const QString &source) const;
    QStringList filesFor(const QString &source) const;

private:
    struct ToolRun
    {
        bool ok = false;
        QString output; // stderr, else stdout, trimmed
    };

    OsScheduleFiles files(const QString &source, const ScheduleSpec &spec = {}) const;
    ToolRun runTool(const QStringList &arguments) const;
    Result<void> writeFile(const QString &path, const QByteArray &data) const;
    Result<Report> installSystemd(const OsScheduleFiles &f) const;
    Result<Report> installLaunchd(const OsScheduleFiles &f) const;
    Result<Report> installTaskScheduler(const OsScheduleFiles &f) const;
    QString wantsLink(const OsScheduleFiles &f) const;

    Options m_options;
};

} // namespace tributary
