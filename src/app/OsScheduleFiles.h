#pragma once

#include "core/ScheduleSpec.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace tributary {

// The OS schedule of one source, generated from its ScheduleSpec, that runs the headless CLI
// (`tributary --home HOME sync NAME`) while the app is closed:
// - Linux: a systemd user service + timer pair. OnCalendar= with Persistent=true, so a run missed
//   while the machine was off or asleep happens once at the next chance. Every N hours is the
//   wall-clock grid 00/N:00 (systemd cannot both count from the last run and catch up).
// - macOS: a launchd agent: StartCalendarInterval (runs once on wake for slots missed asleep) or
//   StartInterval for every N hours.
// - Windows: a Task Scheduler task (XML, schema 1.2): calendar triggers, StartWhenAvailable so a
//   missed run happens once, no second instance while one runs.
class OsScheduleFiles
{
public:
    OsScheduleFiles(QString source, ScheduleSpec spec, QString program, QString home);

    // A name unique per source and home, safe in unit names, labels and task names:
    // "tributary-sync-NAME-1a2b3c4d" (8 hex digits of the SHA-1 of the home folder).
    QString baseName() const;
    QString description() const;
    QStringList arguments() const; // --home HOME sync NAME

    QString systemdServiceName() const { return baseName() + QStringLiteral(".service"); }
    QString systemdTimerName() const { return baseName() + QStringLiteral(".timer"); }
    QString systemdService() const;
    QString systemdTimer() const;
    QStringList systemdOnCalendar() const; // one expression per OnCalendar= line

    QString launchdLabel() const; // org.tributary.sync.NAME.1a2b3c4d
    QString launchdPlist() const;

    QString windowsTaskName() const;    // \Tributary\tributary-sync-NAME-1a2b3c4d
    QString windowsTaskXml() const;     // declares UTF-16, as schtasks /XML expects
    QByteArray windowsTaskFile() const; // the XML as UTF-16LE with a byte-order mark

    // systemd's ExecStart= quoting: each word in double quotes, '\\' and '"' escaped, '%' doubled
    // (specifiers) and '$' doubled (variables).
    static QString systemdQuote(const QString &word);

private:
    QString m_source;
    ScheduleSpec m_spec;
    QString m_program;
    QString m_home;
};

} // namespace tributary
