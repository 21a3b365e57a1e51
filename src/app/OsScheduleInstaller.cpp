#include "OsScheduleInstaller.h"

#include "app/AppPaths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>

Q_LOGGING_CATEGORY(lcOsSchedule, "tributary.app.osschedule")

namespace tributary {

namespace {

Error fileError(const QString &path, const QString &why)
{
    return Error::make(Error::Kind::Config, QStringLiteral("Could not write %1: %2.").arg(path, why),
                       QStringLiteral("Check that the folder exists and is writable."));
}

} // namespace

OsScheduleInstaller::OsScheduleInstaller(Options options) : m_options(std::move(options)) { }

OsScheduleInstaller::Platform OsScheduleInstaller::currentPlatform()
{
#if defined(Q_OS_MACOS)
    return Platform::Launchd;
#elif defined(Q_OS_WIN)
    return Platform::TaskScheduler;
#else
    return Platform::Systemd;
#endif
}

OsScheduleInstaller::Options OsScheduleInstaller::defaults(const AppPaths &paths, const QString &program)
{
    Options o;
    o.platform = currentPlatform();
    o.program = program;
    o.home = paths.home();
    switch (o.platform) {
    case Platform::Systemd: {
        QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
        if (config.isEmpty() || QDir::isRelativePath(config))
            config = QDir::homePath() + QStringLiteral("/.config");
        o.unitDir = config + QStringLiteral("/systemd/user");
        o.tool = QStandardPaths::findExecutable(QStringLiteral("systemctl"));
        break;
    }
    case Platform::Launchd:
        o.unitDir = QDir::homePath() + QStringLiteral("/Library/LaunchAgents");
        o.tool = QStandardPaths::findExecutable(QStringLiteral("launchctl"));
        break;
    case Platform::TaskScheduler:
        o.unitDir = paths.home() + QStringLiteral("/os-schedule");
        o.tool = QStandardPaths::findExecutable(QStringLiteral("schtasks"));
        break;
    }
    if (qEnvironmentVariableIsSet("TRIBUTARY_OS_SCHEDULER_TOOL"))
        o.tool = qEnvironmentVariable("TRIBUTARY_OS_SCHEDULER_TOOL");
    return o;
}

OsScheduleFiles OsScheduleInstaller::files(const QString &source, const ScheduleSpec &spec) const
{
    return OsScheduleFiles(source, spec, m_options.program, m_options.home);
}

QString OsScheduleInstaller::wantsLink(const OsScheduleFiles &f) const
{
    return m_options.unitDir + QStringLiteral("/timers.target.wants/") + f.systemdTimerName();
}

QStringList OsScheduleInstaller::filesFor(const QString &source) const
{
    const OsScheduleFiles f = files(source);
    switch (m_options.platform) {
    case Platform::Systemd:
        return {m_options.unitDir + QLatin1Char('/') + f.systemdTimerName(),
                m_options.unitDir + QLatin1Char('/') + f.systemdServiceName(), wantsLink(f)};
    case Platform::Launchd:
        return {m_options.unitDir + QLatin1Char('/') + f.launchdLabel() + QStringLiteral(".plist")};
    case Platform::TaskScheduler:
        return {m_options.unitDir + QLatin1Char('/') + f.baseName() + QStringLiteral(".xml")};
    }
    return {};
}

bool OsScheduleInstaller::isInstalled(const QString &source) const
{
    for (const QString &path : filesFor(source)) {
        if (QFileInfo(path).exists() || QFileInfo(path).isSymLink())
            return true;
    }
    return false;
}

OsScheduleInstaller::ToolRun OsScheduleInstaller::runTool(const QStringList &arguments) const
{
    ToolRun run;
    if (m_options.tool.isEmpty())
        return run;
    QProcess process;
    process.start(m_options.tool, arguments);
    if (!process.waitForStarted(m_options.toolTimeoutMs)) {
        run.output = process.errorString();
        return run;
    }
    if (!process.waitForFinished(m_options.toolTimeoutMs)) {
        process.kill();
        process.waitForFinished(1000);
        run.output = QStringLiteral("%1 did not answer in time").arg(QFileInfo(m_options.tool).fileName());
        return run;
    }
    run.ok = process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    const QString err = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
    run.output = err.isEmpty() ? QString::fromLocal8Bit(process.readAllStandardOutput()).trimmed() : err;
    run.output = run.output.section(QLatin1Char('\n'), 0, 0);
    qCInfo(lcOsSchedule) << m_options.tool << arguments << (run.ok ? "ok" : "failed") << run.output;
    return run;
}

Result<void> OsScheduleInstaller::writeFile(const QString &path, const QByteArray &data) const
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return fileError(path, QStringLiteral("cannot create its folder"));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
        return fileError(path, file.errorString());
    return {};
}

Result<OsScheduleInstaller::Report> OsScheduleInstaller::install(const QString &source, const ScheduleSpec &spec) const
{
    if (spec.kind == ScheduleSpec::Kind::Manual)
        return remove(source);
    const OsScheduleFiles f = files(source, spec);
    switch (m_options.platform) {
    case Platform::Systemd:
        return installSystemd(f);
    case Platform::Launchd:
        return installLaunchd(f);
    case Platform::TaskScheduler:
        return installTaskScheduler(f);
    }
    return Report {};
}

Result<OsScheduleInstaller::Report> OsScheduleInstaller::installSystemd(const OsScheduleFiles &f) const
{
    Report report;
    const QString timer = m_options.unitDir + QLatin1Char('/') + f.systemdTimerName();
    const QString service = m_options.unitDir + QLatin1Char('/') + f.systemdServiceName();
    if (auto w = writeFile(service, f.systemdService().toUtf8()); !w)
        return w.error();
    if (auto w = writeFile(timer, f.systemdTimer().toUtf8()); !w)
        return w.error();
    report.installed = true;
    report.files = {timer, service};

    QString problem;
    if (m_options.tool.isEmpty()) {
        problem = QStringLiteral("systemctl is not available here");
    } else if (const ToolRun reload = runTool({QStringLiteral("--user"), QStringLiteral("daemon-reload")});
               !reload.ok) {
        problem = QStringLiteral("`systemctl --user` cannot reach a user session here (%1)").arg(reload.output);
    } else if (const ToolRun enable = runTool({QStringLiteral("--user"), QStringLiteral("enable"),
                                               QStringLiteral("--now"), f.systemdTimerName()});
               !enable.ok) {
        problem = QStringLiteral("`systemctl --user enable --now %1` failed (%2)")
                          .arg(f.systemdTimerName(), enable.output);
    }
    if (problem.isEmpty()) {
        report.active = true;
        report.files.append(wantsLink(f));
        report.message = QStringLiteral("Enabled the systemd user timer %1; `systemctl --user list-timers` shows "
                                        "its next run.")
                                 .arg(f.systemdTimerName());
        return report;
    }
    // What `systemctl enable` would have done: the user manager picks the timer up at the next login.
    const QString link = wantsLink(f);
    QDir().mkpath(QFileInfo(link).absolutePath());
    QFile::remove(link);
    if (QFile::link(timer, link)) {
        report.files.append(link);
        report.message = QStringLiteral("Installed the systemd user timer %1 and enabled it for your next login, "
                                        "but could not start it now: %2. Start it with: systemctl --user "
                                        "daemon-reload && systemctl --user enable --now %1")
                                 .arg(f.systemdTimerName(), problem);
    } else {
        report.message = QStringLiteral("Installed the systemd user timer %1, but could not enable it: %2. Enable "
                                        "it with: systemctl --user daemon-reload && systemctl --user enable --now %1")
                                 .arg(f.systemdTimerName(), problem);
    }
    return report;
}

Result<OsScheduleInstaller::Report> OsScheduleInstaller::installLaunchd(const OsScheduleFiles &f) const
{
    Report report;
    const QString plist = m_options.unitDir + QLatin1Char('/') + f.launchdLabel() + QStringLiteral(".plist");
    if (auto w = writeFile(plist, f.launchdPlist().toUtf8()); !w)
        return w.error();
    report.installed = true;
    report.files = {plist};
    if (m_options.tool.isEmpty()) {
        report.message = QStringLiteral("Installed the launchd agent %1; launchctl is not available here, so it "
                                        "starts at your next login.")
                                 .arg(f.launchdLabel());
        return report;
    }
    (void)runTool({QStringLiteral("unload"), plist}); // a previous version, if loaded
    const ToolRun load = runTool({QStringLiteral("load"), QStringLiteral("-w"), plist});
    report.active = load.ok;
    report.message = load.ok ? QStringLiteral("Loaded the launchd agent %1.").arg(f.launchdLabel())
                             : QStringLiteral("Installed the launchd agent %1, but `launchctl load` failed (%2); "
                                              "it starts at your next login.")
                                       .arg(f.launchdLabel(), load.output);
    return report;
}

Result<OsScheduleInstaller::Report> OsScheduleInstaller::installTaskScheduler(const OsScheduleFiles &f) const
{
    Report report;
    const QString xml = m_options.unitDir + QLatin1Char('/') + f.baseName() + QStringLiteral(".xml");
    if (auto w = writeFile(xml, f.windowsTaskFile()); !w)
        return w.error();
    report.installed = true;
    report.files = {xml};
    const ToolRun create = runTool({QStringLiteral("/Create"), QStringLiteral("/TN"), f.windowsTaskName(),
                                    QStringLiteral("/XML"), QDir::toNativeSeparators(xml), QStringLiteral("/F")});
    report.active = create.ok;
    report.message = create.ok
            ? QStringLiteral("Registered the scheduled task %1.").arg(f.windowsTaskName())
            : QStringLiteral("Wrote the task %1 but could not register it (%2). Register it with: schtasks /Create "
                             "/TN \"%1\" /XML \"%3\"")
                      .arg(f.windowsTaskName(),
                           m_options.tool.isEmpty() ? QStringLiteral("schtasks is not available") : create.output,
                           QDir::toNativeSeparators(xml));
    return report;
}

Result<OsScheduleInstaller::Report> OsScheduleInstaller::remove(const QString &source) const
{
    Report report;
    if (!isInstalled(source)) {
        report.message = QStringLiteral("No OS schedule to remove.");
        return report;
    }
    const OsScheduleFiles f = files(source);
    const QStringList paths = filesFor(source);
    switch (m_options.platform) {
    case Platform::Systemd:
        (void)runTool(
                {QStringLiteral("--user"), QStringLiteral("disable"), QStringLiteral("--now"), f.systemdTimerName()});
        break;
    case Platform::Launchd:
        (void)runTool({QStringLiteral("unload"), QStringLiteral("-w"), paths.first()});
        break;
    case Platform::TaskScheduler:
        (void)runTool({QStringLiteral("/Delete"), QStringLiteral("/TN"), f.windowsTaskName(), QStringLiteral("/F")});
        break;
    }
    QStringList left;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.exists() && !info.isSymLink())
            continue;
        if (QFile::remove(path))
            report.files.append(path);
        else
            left.append(path);
    }
    if (m_options.platform == Platform::Systemd)
        (void)runTool({QStringLiteral("--user"), QStringLiteral("daemon-reload")});
    if (!left.isEmpty())
        return Error::make(
                Error::Kind::Config,
                QStringLiteral("Could not remove the OS schedule file %1.").arg(left.join(QStringLiteral(", "))),
                QStringLiteral("Remove it by hand."));
    report.message = QStringLiteral("Removed the OS schedule (%1).").arg(f.baseName());
    return report;
}

} // namespace tributary
