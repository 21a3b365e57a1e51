#include "app/OsScheduleFiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace tributary;

namespace {

ScheduleSpec spec(const char *text)
{
    return *ScheduleSpec::parse(QString::fromLatin1(text));
}

// An executable that exists (systemd-analyze verify checks ExecStart): the real CLI when the test
// runs under ctest, else this test.
QString program()
{
    const QString cli = qEnvironmentVariable("TRIBUTARY_CLI");
    return QFileInfo(cli).isExecutable() ? cli : QCoreApplication::applicationFilePath();
}

// A home with a space, a '%' and a '$': ExecStart= quoting must survive them.
const QString kHome = QStringLiteral("/tmp/Tributary Home/100%/$HOME");

// The plist as a flat list of its elements and texts, checked for well-formedness on the way.
struct Xml
{
    QStringList elements;
    QStringList texts;
    QString namespaceUri;
    QString error;
};

Xml readXml(const QByteArray &bytes)
{
    Xml xml;
    QXmlStreamReader reader(bytes);
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement()) {
            xml.elements.append(reader.name().toString());
            if (xml.namespaceUri.isEmpty())
                xml.namespaceUri = reader.namespaceUri().toString();
        } else if (reader.isCharacters() && !reader.isWhitespace()) {
            xml.texts.append(reader.text().toString());
        }
    }
    if (reader.hasError())
        xml.error = reader.errorString() + QStringLiteral(" at line ") + QString::number(reader.lineNumber());
    return xml;
}

} // namespace

class TestOsScheduleFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesAreStablePerSourceAndHome()
    {
        const OsScheduleFiles a(QStringLiteral("my-stripe"), spec("every 6h"), program(), kHome);
        const OsScheduleFiles b(QStringLiteral("my-stripe"), spec("at 06:00"), program(), kHome);
        const OsScheduleFiles other(QStringLiteral("my-stripe"), spec("every 6h"), program(), QStringLiteral("/h2"));
        QCOMPARE(a.baseName(), b.baseName());
        QVERIFY(a.baseName() != other.baseName());
        QVERIFY(a.baseName().startsWith(QStringLiteral("tributary-sync-my-stripe-")));
        QCOMPARE(a.systemdTimerName(), a.baseName() + QStringLiteral(".timer"));
        QCOMPARE(a.arguments(),
                 (QStringList {QStringLiteral("--home"), kHome, QStringLiteral("sync"), QStringLiteral("my-stripe")}));
    }

    void onCalendar_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("every 1h") << "every 1h" << QStringList {QStringLiteral("*-*-* 00/1:00:00")};
        QTest::newRow("every 6h") << "every 6h" << QStringList {QStringLiteral("*-*-* 00/6:00:00")};
        QTest::newRow("every 24h") << "every 24h" << QStringList {QStringLiteral("*-*-* 00:00:00")};
        QTest::newRow("at two times") << "at 06:00,18:30"
                                      << QStringList {QStringLiteral("*-*-* 06:00:00"),
                                                      QStringLiteral("*-*-* 18:30:00")};
        QTest::newRow("on weekdays") << "at 09:15 on mon-fri"
                                     << QStringList {QStringLiteral("Mon,Tue,Wed,Thu,Fri *-*-* 09:15:00")};
        QTest::newRow("on weekends") << "at 00:00 on sat,sun" << QStringList {QStringLiteral("Sat,Sun *-*-* 00:00:00")};
    }

    void onCalendar()
    {
        QFETCH(QString, spec);
        QFETCH(QStringList, expected);
        const OsScheduleFiles files(QStringLiteral("s"), *ScheduleSpec::parse(spec), program(), kHome);
        QCOMPARE(files.systemdOnCalendar(), expected);
        const QString timer = files.systemdTimer();
        for (const QString &e : expected)
            QVERIFY(timer.contains(QStringLiteral("\nOnCalendar=") + e + QLatin1Char('\n')));
        QVERIFY(timer.contains(QStringLiteral("\nPersistent=true\n")));
        QVERIFY(timer.contains(QStringLiteral("\nUnit=") + files.systemdServiceName() + QLatin1Char('\n')));
        QVERIFY(timer.contains(QStringLiteral("\nWantedBy=timers.target\n")));
    }

    void execStartQuotesEveryWord()
    {
        QCOMPARE(OsScheduleFiles::systemdQuote(QStringLiteral("/tmp/A B/100%/$HOME/\"q\"\\")),
                 QStringLiteral("\"/tmp/A B/100%%/$$HOME/\\\"q\\\"\\\\\""));
        const OsScheduleFiles files(QStringLiteral("my-stripe"), spec("every 6h"), QStringLiteral("/usr/bin/tributary"),
                                    kHome);
        QVERIFY(files.systemdService().contains(QStringLiteral(
                "\nExecStart=\"/usr/bin/tributary\" \"--home\" \"/tmp/Tributary Home/100%%/$$HOME\" \"sync\" "
                "\"my-stripe\"\n")));
        QVERIFY(files.systemdService().contains(QStringLiteral("\nType=oneshot\n")));
    }

    // The real check: systemd's own parser. As user units, with a private runtime folder so that it
    // works without a user session (CI containers): `systemd-analyze --user --man=no verify`.
    // verify only warns about what it ignores (a bad OnCalendar=, an unknown key), so any output
    // fails the test, as does a failing exit status.
    void systemdAnalyzeVerifiesTheUnits_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::newRow("every 1h") << "every 1h";
        QTest::newRow("every 8h") << "every 8h";
        QTest::newRow("every 24h") << "every 24h";
        QTest::newRow("at times") << "at 06:00,12:30,23:59";
        QTest::newRow("at on days") << "at 07:45 on mon,wed-fri";
        QTest::newRow("at weekends") << "at 00:00 on weekends";
    }

    void systemdAnalyzeVerifiesTheUnits()
    {
        QFETCH(QString, spec);
        const QString analyze = QStandardPaths::findExecutable(QStringLiteral("systemd-analyze"));
        if (analyze.isEmpty())
            QFAIL("systemd-analyze is missing: `scripts/setup.sh --test` installs it (package systemd)");
        QTemporaryDir dir;
        QTemporaryDir runtime;
        QVERIFY(QFile::setPermissions(runtime.path(),
                                      QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        const OsScheduleFiles files(QStringLiteral("my-stripe.eu_1"), *ScheduleSpec::parse(spec), program(), kHome);
        const QString timer = dir.filePath(files.systemdTimerName());
        const QString service = dir.filePath(files.systemdServiceName());
        for (const auto &[path, text] :
             {std::pair {timer, files.systemdTimer()}, std::pair {service, files.systemdService()}}) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text.toUtf8());
        }
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime.path());
        env.insert(QStringLiteral("SYSTEMD_LOG_COLOR"), QStringLiteral("0"));
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(analyze,
                      {QStringLiteral("--user"), QStringLiteral("--man=no"), QStringLiteral("verify"), timer, service});
        QVERIFY(process.waitForFinished(15000));
        const QString output = QString::fromUtf8(process.readAll()).trimmed();
        QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0, qPrintable(output));
        QVERIFY2(output.isEmpty(), qPrintable(output));

        // Each OnCalendar= expression parses, as systemd normalises it.
        for (const QString &calendar : files.systemdOnCalendar()) {
            QProcess cal;
            cal.setProcessChannelMode(QProcess::MergedChannels);
            cal.start(analyze, {QStringLiteral("calendar"), calendar});
            QVERIFY(cal.waitForFinished(15000));
            const QString out = QString::fromUtf8(cal.readAll());
            QVERIFY2(cal.exitCode() == 0, qPrintable(out));
            QVERIFY2(out.contains(QStringLiteral("Next elapse:")), qPrintable(out));
        }
    }

    void launchdPlist_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QStringList>("scheduleTexts"); // the texts after ProcessType's arguments
        QTest::newRow("every 6h") << "every 6h"
                                  << QStringList {QStringLiteral("StartInterval"), QStringLiteral("21600")};
        QTest::newRow("at times") << "at 06:00,18:30"
                                  << QStringList {QStringLiteral("StartCalendarInterval"),
                                                  QStringLiteral("Hour"),
                                                  QStringLiteral("6"),
                                                  QStringLiteral("Minute"),
                                                  QStringLiteral("0"),
                                                  QStringLiteral("Hour"),
                                                  QStringLiteral("18"),
                                                  QStringLiteral("Minute"),
                                                  QStringLiteral("30")};
        // launchd counts weekdays from Sunday = 0.
        QTest::newRow("on days") << "at 07:00 on fri,sun"
                                 << QStringList {QStringLiteral("StartCalendarInterval"),
                                                 QStringLiteral("Hour"),
                                                 QStringLiteral("7"),
                                                 QStringLiteral("Minute"),
                                                 QStringLiteral("0"),
                                                 QStringLiteral("Weekday"),
                                                 QStringLiteral("5"),
                                                 QStringLiteral("Hour"),
                                                 QStringLiteral("7"),
                                                 QStringLiteral("Minute"),
                                                 QStringLiteral("0"),
                                                 QStringLiteral("Weekday"),
                                                 QStringLiteral("0")};
    }

    void launchdPlist()
    {
        QFETCH(QString, spec);
        QFETCH(QStringList, scheduleTexts);
        const OsScheduleFiles files(QStringLiteral("my-stripe"), *ScheduleSpec::parse(spec),
                                    QStringLiteral("/Applications/Tributary.app/Contents/MacOS/tributary"),
                                    QStringLiteral("/Users/ann/Library/Application Support/tributary <&>"));
        const QString text = files.launchdPlist();
        QVERIFY(text.startsWith(QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")));
        QVERIFY(text.contains(QStringLiteral("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\"")));
        const Xml xml = readXml(text.toUtf8());
        QVERIFY2(xml.error.isEmpty(), qPrintable(xml.error));
        QCOMPARE(xml.elements.first(), QStringLiteral("plist"));
        QCOMPARE(xml.texts.mid(0, 9),
                 (QStringList {QStringLiteral("Label"), files.launchdLabel(), QStringLiteral("ProgramArguments"),
                               QStringLiteral("/Applications/Tributary.app/Contents/MacOS/tributary"),
                               QStringLiteral("--home"),
                               QStringLiteral("/Users/ann/Library/Application Support/tributary <&>"),
                               QStringLiteral("sync"), QStringLiteral("my-stripe"), scheduleTexts.first()}));
        QCOMPARE(xml.texts.mid(8, scheduleTexts.size()), scheduleTexts);
        QVERIFY(xml.texts.contains(QStringLiteral("RunAtLoad")));
        QVERIFY(files.launchdLabel().startsWith(QStringLiteral("org.tributary.sync.my-stripe.")));
    }

    void windowsTask_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("triggers");
        QTest::addColumn<QStringList>("startBoundaries");
        QTest::addColumn<QString>("interval"); // empty: none
        QTest::addColumn<QStringList>("days"); // empty: ScheduleByDay
        QTest::newRow("every 6h") << "every 6h" << 1 << QStringList {QStringLiteral("2024-01-01T00:00:00")}
                                  << QStringLiteral("PT6H") << QStringList {};
        QTest::newRow("every 24h") << "every 24h" << 1 << QStringList {QStringLiteral("2024-01-01T00:00:00")}
                                   << QString() << QStringList {};
        QTest::newRow("at times") << "at 06:00,18:30" << 2
                                  << QStringList {QStringLiteral("2024-01-01T06:00:00"),
                                                  QStringLiteral("2024-01-01T18:30:00")}
                                  << QString() << QStringList {};
        QTest::newRow("on days") << "at 09:00 on mon,wed" << 1 << QStringList {QStringLiteral("2024-01-01T09:00:00")}
                                 << QString() << QStringList {QStringLiteral("Monday"), QStringLiteral("Wednesday")};
    }

    void windowsTask()
    {
        QFETCH(QString, spec);
        QFETCH(int, triggers);
        QFETCH(QStringList, startBoundaries);
        QFETCH(QString, interval);
        QFETCH(QStringList, days);
        const OsScheduleFiles files(QStringLiteral("my-stripe"), *ScheduleSpec::parse(spec),
                                    QStringLiteral("C:/Program Files/Tributary/tributary.exe"),
                                    QStringLiteral("C:/Users/Ann/AppData/Roaming/tributary"));
        const QByteArray bytes = files.windowsTaskFile();
        QVERIFY(bytes.startsWith(QByteArray("\xFF\xFE", 2))); // UTF-16LE with a BOM, as schtasks wants
        QVERIFY(files.windowsTaskXml().startsWith(QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-16\"?>")));

        QXmlStreamReader reader(bytes);
        QString taskNamespace;
        int calendarTriggers = 0;
        QStringList boundaries;
        QStringList weekDays;
        QString seenInterval;
        QMap<QString, QString> values;
        QString current;
        bool inDaysOfWeek = false;
        while (!reader.atEnd()) {
            reader.readNext();
            if (reader.isStartElement()) {
                current = reader.name().toString();
                if (current == QLatin1String("Task"))
                    taskNamespace = reader.namespaceUri().toString();
                if (current == QLatin1String("CalendarTrigger"))
                    ++calendarTriggers;
                if (inDaysOfWeek)
                    weekDays.append(current);
                if (current == QLatin1String("DaysOfWeek"))
                    inDaysOfWeek = true;
            } else if (reader.isEndElement()) {
                if (reader.name() == QLatin1String("DaysOfWeek"))
                    inDaysOfWeek = false;
            } else if (reader.isCharacters() && !reader.isWhitespace()) {
                const QString text = reader.text().toString();
                if (current == QLatin1String("StartBoundary"))
                    boundaries.append(text);
                else if (current == QLatin1String("Interval"))
                    seenInterval = text;
                else
                    values.insert(current, text);
            }
        }
        QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
        QCOMPARE(taskNamespace, QStringLiteral("http://schemas.microsoft.com/windows/2004/02/mit/task"));
        QCOMPARE(calendarTriggers, triggers);
        QCOMPARE(boundaries, startBoundaries);
        QCOMPARE(seenInterval, interval);
        QCOMPARE(weekDays, days);
        QCOMPARE(values.value(QStringLiteral("StartWhenAvailable")), QStringLiteral("true"));           // catch up once
        QCOMPARE(values.value(QStringLiteral("MultipleInstancesPolicy")), QStringLiteral("IgnoreNew")); // no overlap
        QCOMPARE(values.value(QStringLiteral("Command")),
                 QDir::toNativeSeparators(QStringLiteral("C:/Program Files/Tributary/tributary.exe")));
        QCOMPARE(values.value(QStringLiteral("Arguments")),
                 QStringLiteral("--home C:/Users/Ann/AppData/Roaming/tributary sync my-stripe"));
        QCOMPARE(values.value(QStringLiteral("URI")), files.windowsTaskName());
    }

    void windowsArgumentsAreQuoted()
    {
        const OsScheduleFiles files(QStringLiteral("s"), spec("every 1h"), QStringLiteral("C:/t.exe"),
                                    QStringLiteral("C:\\Users\\Ann \"Lee\"\\tributary\\"));
        QXmlStreamReader reader(files.windowsTaskFile());
        QString arguments;
        while (!reader.atEnd()) {
            if (reader.readNext() == QXmlStreamReader::StartElement && reader.name() == QLatin1String("Arguments"))
                arguments = reader.readElementText();
        }
        QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
        // CommandLineToArgvW: quotes around a word with a space, \" for a quote, backslashes doubled
        // only before a quote.
        QCOMPARE(arguments, QStringLiteral("--home \"C:\\Users\\Ann \\\"Lee\\\"\\tributary\\\\\" sync s"));
    }
};

QTEST_GUILESS_MAIN(TestOsScheduleFiles)
#include "TestOsScheduleFiles.moc"
