#include "app/OsScheduleInstaller.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace tributary;

namespace {

ScheduleSpec spec(const char *text)
{
    return *ScheduleSpec::parse(QString::fromLatin1(text));
}

QString readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

// The installer with stand-ins for systemctl, launchctl and schtasks: shell scripts that log their
// arguments (the real ones would change the machine running the test).
class TestOsScheduleInstaller : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // A fake tool that appends its arguments to log, prints `stderrText` and exits with `code`.
    QString fakeTool(const QString &name, int code, const QString &stderrText = {})
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(QStringLiteral("#!/bin/sh\nprintf '%s\\n' \"$*\" >> '%1'\n%2exit %3\n")
                        .arg(log(),
                             stderrText.isEmpty() ? QString() : QStringLiteral("echo '%1' >&2\n").arg(stderrText),
                             QString::number(code))
                        .toUtf8());
        f.close();
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        return path;
    }
    QString log() const { return m_dir.filePath(QStringLiteral("tool.log")); }
    QStringList calls() const { return readAll(log()).split(QLatin1Char('\n'), Qt::SkipEmptyParts); }

    OsScheduleInstaller::Options options(OsScheduleInstaller::Platform platform, const QString &tool)
    {
        OsScheduleInstaller::Options o;
        o.platform = platform;
        o.unitDir = m_dir.filePath(QStringLiteral("config/systemd/user"));
        o.tool = tool;
        o.program = QCoreApplication::applicationFilePath();
        o.home = m_dir.filePath(QStringLiteral("home"));
        return o;
    }

private Q_SLOTS:
    void init()
    {
        QFile::remove(log());
        QDir(m_dir.filePath(QStringLiteral("config"))).removeRecursively();
    }

    void systemdInstallEnablesAndRemoveDisables()
    {
        const OsScheduleInstaller installer(
                options(OsScheduleInstaller::Platform::Systemd, fakeTool(QStringLiteral("systemctl"), 0)));
        const auto report = installer.install(QStringLiteral("shop"), spec("every 6h"));
        QVERIFY(report);
        QVERIFY(report->installed);
        QVERIFY(report->active);
        const QString unitDir = m_dir.filePath(QStringLiteral("config/systemd/user"));
        const QString timer = unitDir + QStringLiteral("/tributary-sync-shop-");
        QVERIFY(installer.isInstalled(QStringLiteral("shop")));
        QCOMPARE(report->files.size(), 3);
        QVERIFY(report->files.first().startsWith(timer));
        QVERIFY(report->files.first().endsWith(QStringLiteral(".timer")));
        QVERIFY(readAll(report->files.at(0)).contains(QStringLiteral("OnCalendar=*-*-* 00/6:00:00")));
        QVERIFY(readAll(report->files.at(1)).contains(QStringLiteral("sync\" \"shop\"")));
        const QString timerName = QFileInfo(report->files.first()).fileName();
        QCOMPARE(calls(),
                 (QStringList {QStringLiteral("--user daemon-reload"),
                               QStringLiteral("--user enable --now ") + timerName}));

        // A new schedule rewrites the same files.
        QVERIFY(installer.install(QStringLiteral("shop"), spec("at 07:00")));
        QVERIFY(readAll(report->files.at(0)).contains(QStringLiteral("OnCalendar=*-*-* 07:00:00")));

        QFile::remove(log());
        const auto removed = installer.remove(QStringLiteral("shop"));
        QVERIFY(removed);
        QVERIFY(!removed->installed);
        QVERIFY(!installer.isInstalled(QStringLiteral("shop")));
        QVERIFY(!QFileInfo::exists(report->files.at(0)));
        QVERIFY(!QFileInfo::exists(report->files.at(1)));
        QCOMPARE(calls(),
                 (QStringList {QStringLiteral("--user disable --now ") + timerName,
                               QStringLiteral("--user daemon-reload")}));

        // Nothing installed: nothing to do, no tool called.
        QFile::remove(log());
        QVERIFY(installer.remove(QStringLiteral("shop")));
        QVERIFY(calls().isEmpty());
    }

    // As in a CI container: systemctl exists, but there is no user session to talk to.
    void withoutAUserSessionTheTimerIsLinkedForTheNextLogin()
    {
        const QString tool
                = fakeTool(QStringLiteral("systemctl"), 1, QStringLiteral("Failed to connect to bus: No medium found"));
        const OsScheduleInstaller installer(options(OsScheduleInstaller::Platform::Systemd, tool));
        const auto report = installer.install(QStringLiteral("shop"), spec("at 06:00 on mon-fri"));
        QVERIFY(report);
        QVERIFY(report->installed);
        QVERIFY(!report->active);
        QVERIFY2(report->message.contains(QStringLiteral("Failed to connect to bus")), qPrintable(report->message));
        QVERIFY2(report->message.contains(QStringLiteral("next login")), qPrintable(report->message));
        QVERIFY2(report->message.contains(QStringLiteral("systemctl --user enable --now")),
                 qPrintable(report->message));
        const QString link = report->files.last();
        QVERIFY(link.contains(QStringLiteral("/timers.target.wants/")));
        QVERIFY(QFileInfo(link).isSymLink());
        QCOMPARE(QFileInfo(link).symLinkTarget(), report->files.first());

        QVERIFY(installer.remove(QStringLiteral("shop")));
        QVERIFY(!QFileInfo(link).isSymLink());
        QVERIFY(!installer.isInstalled(QStringLiteral("shop")));
    }

    void withoutSystemctl()
    {
        const OsScheduleInstaller installer(options(OsScheduleInstaller::Platform::Systemd, QString()));
        const auto report = installer.install(QStringLiteral("shop"), spec("every 1h"));
        QVERIFY(report);
        QVERIFY(!report->active);
        QVERIFY2(report->message.contains(QStringLiteral("systemctl is not available")), qPrintable(report->message));
        QVERIFY(installer.isInstalled(QStringLiteral("shop")));
        QVERIFY(installer.remove(QStringLiteral("shop")));
        QVERIFY(!installer.isInstalled(QStringLiteral("shop")));
    }

    void manualRemoves()
    {
        const OsScheduleInstaller installer(options(OsScheduleInstaller::Platform::Systemd, QString()));
        QVERIFY(installer.install(QStringLiteral("shop"), spec("every 1h")));
        const auto report = installer.install(QStringLiteral("shop"), spec("manual"));
        QVERIFY(report);
        QVERIFY(!report->installed);
        QVERIFY(!installer.isInstalled(QStringLiteral("shop")));
    }

    void launchdLoadsTheAgent()
    {
        const OsScheduleInstaller installer(
                options(OsScheduleInstaller::Platform::Launchd, fakeTool(QStringLiteral("launchctl"), 0)));
        const auto report = installer.install(QStringLiteral("shop"), spec("at 06:00"));
        QVERIFY(report);
        QVERIFY(report->active);
        QCOMPARE(report->files.size(), 1);
        QVERIFY(report->files.first().endsWith(QStringLiteral(".plist")));
        QVERIFY(readAll(report->files.first()).contains(QStringLiteral("<key>StartCalendarInterval</key>")));
        QCOMPARE(calls(),
                 (QStringList {QStringLiteral("unload ") + report->files.first(),
                               QStringLiteral("load -w ") + report->files.first()}));
        QVERIFY(installer.remove(QStringLiteral("shop")));
        QVERIFY(!QFileInfo::exists(report->files.first()));
    }

    void schtasksRegistersTheTask()
    {
        const OsScheduleInstaller installer(
                options(OsScheduleInstaller::Platform::TaskScheduler, fakeTool(QStringLiteral("schtasks"), 0)));
        const auto report = installer.install(QStringLiteral("shop"), spec("every 12h"));
        QVERIFY(report);
        QVERIFY(report->active);
        const QString xml = report->files.first();
        QVERIFY(xml.endsWith(QStringLiteral(".xml")));
        const QString taskName = QStringLiteral("\\Tributary\\") + QFileInfo(xml).completeBaseName();
        QCOMPARE(calls(),
                 QStringList {QStringLiteral("/Create /TN ") + taskName + QStringLiteral(" /XML ") + xml
                              + QStringLiteral(" /F")});
        QFile::remove(log());
        QVERIFY(installer.remove(QStringLiteral("shop")));
        QCOMPARE(calls(), QStringList {QStringLiteral("/Delete /TN ") + taskName + QStringLiteral(" /F")});
        QVERIFY(!QFileInfo::exists(xml));
    }
};

QTEST_GUILESS_MAIN(TestOsScheduleInstaller)
#include "TestOsScheduleInstaller.moc"
