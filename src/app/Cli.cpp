#include "Cli.h"

#include "app/RunSession.h"
#include "core/ScheduleSpec.h"
#include "sync/CollectionDiscovery.h"
#include "sync/ConnectorRegistry.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace tributary {

namespace {

int g_signalFds[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalFds[0], &byte, 1);
}

QString printJson(const QJsonValue &value)
{
    const QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}

// A column of a plain-text table: at least one space follows, however long the text.
QString padded(const QString &text, int width)
{
    return text.size() < width ? text.leftJustified(width) : text + QLatin1Char(' ');
}

QString localTime(const QDateTime &time)
{
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QStringLiteral("-");
}

} // namespace

Cli::Cli(QStringList arguments, const QString &home, CredentialStore &credentials)
    : m_args(std::move(arguments)), m_service(AppPaths(home), credentials), m_out(stdout), m_err(stderr)
{ }

QString Cli::takeHomeOption(QStringList *arguments)
{
    QString home;
    for (qsizetype i = 0; i < arguments->size(); ++i) {
        const QString &a = arguments->at(i);
        if (a == QLatin1String("--home") && i + 1 < arguments->size()) {
            home = arguments->at(i + 1);
            arguments->remove(i, 2);
            --i;
        } else if (a.startsWith(QLatin1String("--home="))) {
            home = a.mid(7);
            arguments->remove(i);
            --i;
        }
    }
    return home;
}

QString Cli::usage()
{
    return QStringLiteral(
            "Usage: tributary [--home DIR] [COMMAND]\n"
            "With no command, opens the desktop app.\n\n"
            "  catalog [--json]                       connectors and their collections\n"
            "  warehouse set URL [--set password=env:VAR]\n"
            "                                         sqlite:PATH | postgresql://USER@HOST:PORT/DB\n"
            "  source add CONNECTOR --name NAME [--schema S] [--base-url URL] [--collections a,b,c]\n"
            "             [--set KEY=VALUE]...        VALUE may be env:VAR, resolved at each run\n"
            "  source remove NAME\n"
            "  sources [--json]                       with last run, next scheduled run, health\n"
            "  sync NAME [--collections a,b] [--full-refresh] [--stall-timeout SECONDS] [--json]\n"
            "  history NAME [--json]\n"
            "  schedule NAME (manual | every Nh | at HH:MM[,HH:MM...] [on DAYS])\n"
            "               [--keep-syncing-when-closed | --no-keep-syncing-when-closed]\n"
            "  webhooks serve [--host 127.0.0.1] [--port N]\n\n"
            "Exit codes of sync: 0 all succeeded; 3 some collection failed, stalled or skipped; 4 access denied;\n"
            "5 warehouse failed; 2 usage or configuration error; 6 the source is already syncing; 1 internal error.\n");
}

int Cli::exec()
{
    if (m_args.isEmpty() || m_args.first() == QLatin1String("--help") || m_args.first() == QLatin1String("help")) {
        m_out << usage();
        return m_args.isEmpty() ? Usage : Ok;
    }
    if (m_args.first() == QLatin1String("--version")) {
        m_out << "tributary " << TRIBUTARY_VERSION << "\n";
        return Ok;
    }
    if (auto loaded = m_service.load(); !loaded)
        return fail(loaded.error());
    const QString command = m_args.takeFirst();
    if (command == QLatin1String("catalog"))
        return catalog();
    if (command == QLatin1String("warehouse"))
        return warehouse();
    if (command == QLatin1String("source")) {
        const QString sub = m_args.isEmpty() ? QString() : m_args.takeFirst();
        if (sub == QLatin1String("add"))
            return sourceAdd();
        if (sub == QLatin1String("remove"))
            return sourceRemove();
        return usageError(QStringLiteral("`source` takes `add` or `remove`."));
    }
    if (command == QLatin1String("sources"))
        return sources();
    if (command == QLatin1String("sync"))
        return sync();
    if (command == QLatin1String("history"))
        return history();
    if (command == QLatin1String("schedule"))
        return schedule();
    if (command == QLatin1String("webhooks"))
        return fail(Error::make(Error::Kind::Config,
                                QStringLiteral("Webhook streaming is not available in this version yet."),
                                QStringLiteral("Use scheduled or manual syncs for now.")));
    return usageError(QStringLiteral("Unknown command '%1'.").arg(command));
}

int Cli::fail(const Error &error, int code)
{
    m_err << "error: " << error.message << "\n";
    if (!error.hint.isEmpty())
        m_err << "hint: " << error.hint << "\n";
    m_err.flush();
    return code;
}

int Cli::usageError(const QString &message)
{
    m_err << "error: " << message << "\n\n" << usage();
    m_err.flush();
    return Usage;
}

bool Cli::takeFlag(const QString &flag)
{
    return m_args.removeAll(flag) > 0;
}

bool Cli::takeOption(const QString &option, QString *value)
{
    for (qsizetype i = 0; i < m_args.size(); ++i) {
        if (m_args.at(i) == option) {
            if (i + 1 >= m_args.size())
                return false;
            *value = m_args.at(i + 1);
            m_args.remove(i, 2);
            return true;
        }
        if (m_args.at(i).startsWith(option + QLatin1Char('='))) {
            *value = m_args.at(i).mid(option.size() + 1);
            m_args.remove(i);
            return true;
        }
    }
    return false;
}

QStringList Cli::takeOptions(const QString &option)
{
    QStringList values;
    QString value;
    while (takeOption(option, &value))
        values.append(value);
    return values;
}

bool Cli::checkNoExtra()
{
    if (m_args.isEmpty())
        return true;
    usageError(QStringLiteral("Unexpected argument '%1'.").arg(m_args.first()));
    return false;
}

int Cli::catalog()
{
    const bool json = takeFlag(QStringLiteral("--json"));
    if (!checkNoExtra())
        return Usage;
    const auto &connectors = ConnectorRegistry::instance().connectors();
    if (json) {
        QJsonArray list;
        for (const auto &c : connectors) {
            QJsonArray collections;
            for (const auto &col : c.collections)
                collections.append(QJsonObject {
                        {QStringLiteral("name"), col.name},
                        {QStringLiteral("kind"),
                         col.kind == CollectionKind::Event ? QStringLiteral("event") : QStringLiteral("object")},
                        {QStringLiteral("description"), col.description}});
            QJsonArray settings;
            for (const auto &s : c.settings)
                settings.append(QJsonObject {{QStringLiteral("key"), s.key},
                                             {QStringLiteral("label"), s.label},
                                             {QStringLiteral("secret"), s.secret},
                                             {QStringLiteral("required"), s.required}});
            list.append(QJsonObject {{QStringLiteral("slug"), c.slug},
                                     {QStringLiteral("name"), c.name},
                                     {QStringLiteral("description"), c.description},
                                     {QStringLiteral("auth"), c.authSummary()},
                                     {QStringLiteral("settings"), settings},
                                     {QStringLiteral("collections"), collections}});
        }
        m_out << printJson(list);
        return Ok;
    }
    for (const auto &c : connectors) {
        m_out << c.slug << " - " << c.name << ": " << c.description << "\n";
        m_out << "  authentication: " << c.authSummary() << "\n";
        for (const auto &s : c.settings)
            m_out << "  --set " << s.key << "=" << (s.secret ? "env:VAR" : "VALUE")
                  << (s.required ? "  (required) " : "  ") << s.label << "\n";
        m_out << "  collections:\n";
        qsizetype width = 0;
        for (const auto &col : c.collections)
            width = qMax(width, col.name.size());
        for (const auto &col : c.collections)
            m_out << "    " << padded(col.name, int(width) + 2)
                  << padded(col.kind == CollectionKind::Event ? QStringLiteral("event") : QStringLiteral("object"), 8)
                  << col.description << "\n";
    }
    return Ok;
}

int Cli::warehouse()
{
    if (m_args.isEmpty() || m_args.first() != QLatin1String("set"))
        return usageError(QStringLiteral("`warehouse` takes `set URL`."));
    m_args.removeFirst();
    QString password;
    for (const QString &s : takeOptions(QStringLiteral("--set"))) {
        if (!s.startsWith(QLatin1String("password=")))
            return usageError(QStringLiteral("`warehouse set` knows only --set password=env:VAR."));
        password = s.mid(9);
    }
    if (m_args.size() != 1)
        return usageError(QStringLiteral("`warehouse set` takes one URL."));
    if (auto set = m_service.setWarehouse(m_args.first(), password); !set)
        return fail(set.error());
    m_out << "Warehouse: " << m_service.config().warehouseUrl() << "\n";
    return Ok;
}

int Cli::sourceAdd()
{
    SourceService::AddRequest request;
    QString baseUrl;
    QString collections;
    if (!takeOption(QStringLiteral("--name"), &request.name))
        return usageError(QStringLiteral("`source add` needs --name NAME."));
    takeOption(QStringLiteral("--schema"), &request.schema);
    if (takeOption(QStringLiteral("--base-url"), &baseUrl))
        request.baseUrl = QUrl(baseUrl, QUrl::StrictMode);
    if (takeOption(QStringLiteral("--collections"), &collections))
        request.collections = collections.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &s : takeOptions(QStringLiteral("--set"))) {
        const qsizetype eq = s.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return usageError(QStringLiteral("--set takes KEY=VALUE, not '%1'.").arg(s));
        request.settings.insert(s.left(eq), s.mid(eq + 1));
    }
    if (m_args.size() != 1)
        return usageError(QStringLiteral("`source add` takes one CONNECTOR."));
    request.connector = m_args.takeFirst();
    auto added = m_service.addSource(request);
    if (!added)
        return fail(added.error());
    const ConnectorManifest *manifest = ConnectorRegistry::instance().find(added->connector);
    if (request.collections.isEmpty() && manifest && !manifest->customCollectionPattern.isEmpty()) {
        // "All" collections includes those only the upstream knows of (Salesforce's custom objects).
        const auto found = discoverCollections(added->name);
        if (found && !found->isEmpty() && m_service.setCollections(added->name, found.value()))
            added->collections = found.value();
        else if (!found)
            m_err << "Note: could not ask " << manifest->name << " which objects it offers (" << found.error().message
                  << "), so only its standard collections were added. Name others with --collections.\n";
    }
    m_out << "Added " << added->name << " (" << added->connector << "), schema " << added->schema << ", "
          << added->collections.size() << " collections. Sync it with: tributary sync " << added->name << "\n";
    return Ok;
}

Result<QStringList> Cli::discoverCollections(const QString &name)
{
    auto plan = m_service.prepareRun(name, {});
    if (!plan)
        return plan.error();
    std::optional<Result<QStringList>> found;
    QEventLoop loop;
    CollectionDiscovery discovery;
    discovery.start(plan.value(), [&](Result<QStringList> result) {
        found.emplace(std::move(result));
        loop.quit();
    });
    loop.exec();
    return found.value_or(Error::make(Error::Kind::Internal, QStringLiteral("No answer from the discovery.")));
}

int Cli::sourceRemove()
{
    if (m_args.size() != 1)
        return usageError(QStringLiteral("`source remove` takes one NAME."));
    const QString name = m_args.takeFirst();
    if (auto removed = m_service.removeSource(name); !removed)
        return fail(removed.error());
    m_out << "Removed " << name << " (its tables stay in the warehouse).\n";
    return Ok;
}

int Cli::sources()
{
    const bool json = takeFlag(QStringLiteral("--json"));
    if (!checkNoExtra())
        return Usage;
    QJsonArray list;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!json && !m_service.config().sources().isEmpty())
        m_out << padded(QStringLiteral("NAME"), 20) << padded(QStringLiteral("CONNECTOR"), 11)
              << padded(QStringLiteral("LAST RUN"), 18) << padded(QStringLiteral("STATUS"), 11)
              << padded(QStringLiteral("NEXT RUN"), 18) << "HEALTH\n";
    for (const auto &s : m_service.config().sources()) {
        const auto last = m_service.history(s.name).last();
        const ScheduleSpec schedule = ScheduleSpec::fromJson(s.schedule);
        const auto next = schedule.nextRun(last ? last->startedAt : QDateTime(), now);
        const auto retention = m_service.retentionWarning(s.name, now);
        QString health = m_service.health(s.name);
        if (retention)
            health += QStringLiteral(" - ")
                    + (retention->lapsed ? QStringLiteral("window lapsed: ") : QStringLiteral("warning: "))
                    + retention->message;
        if (json) {
            list.append(QJsonObject {
                    {QStringLiteral("name"), s.name},
                    {QStringLiteral("connector"), s.connector},
                    {QStringLiteral("schema"), s.schema},
                    {QStringLiteral("collections"), QJsonArray::fromStringList(s.collections)},
                    {QStringLiteral("schedule"), schedule.toString()},
                    {QStringLiteral("last_run"), last ? QJsonValue(last->toJson()) : QJsonValue(QJsonValue::Null)},
                    {QStringLiteral("next_run"),
                     next ? QJsonValue(next->toUTC().toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null)},
                    {QStringLiteral("keep_syncing_when_closed"), schedule.keepSyncingWhenClosed},
                    {QStringLiteral("health"), health},
                    {QStringLiteral("retention_warning"),
                     retention ? QJsonValue(retention->message) : QJsonValue(QJsonValue::Null)}});
            continue;
        }
        m_out << padded(s.name, 20) << padded(s.connector, 11)
              << padded(last ? localTime(last->startedAt) : QStringLiteral("never"), 18)
              << padded(last ? RunSummary::statusName(last->status) : QStringLiteral("-"), 11)
              << padded(next ? (*next <= now ? QStringLiteral("due now") : localTime(*next)) : schedule.toString(), 18)
              << health << "\n";
    }
    if (json)
        m_out << printJson(list);
    else if (m_service.config().sources().isEmpty())
        m_out << "No sources yet. Add one with: tributary source add CONNECTOR --name NAME ...\n";
    return Ok;
}

int Cli::sync()
{
    SourceService::RunOptions options;
    const bool json = takeFlag(QStringLiteral("--json"));
    options.fullRefresh = takeFlag(QStringLiteral("--full-refresh"));
    QString value;
    if (takeOption(QStringLiteral("--collections"), &value))
        options.collections = value.split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (takeOption(QStringLiteral("--stall-timeout"), &value)) {
        bool ok = false;
        options.stallTimeoutSeconds = value.toInt(&ok);
        if (!ok || options.stallTimeoutSeconds <= 0)
            return usageError(QStringLiteral("--stall-timeout takes a number of seconds above 0."));
    }
    if (m_args.size() != 1)
        return usageError(QStringLiteral("`sync` takes one source NAME."));
    const QString name = m_args.takeFirst();
    RunSession session(m_service);
    RunSession::StartError reason = RunSession::StartError::None;
    if (auto started = session.start(name, options, &reason); !started)
        return fail(started.error(), reason == RunSession::StartError::AlreadySyncing ? AlreadySyncing : Usage);

    // SIGINT and SIGTERM stop the run cleanly: committed pages stay committed.
    std::unique_ptr<QSocketNotifier> notifier;
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) == 0) {
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
        notifier = std::make_unique<QSocketNotifier>(g_signalFds[1], QSocketNotifier::Read);
        QObject::connect(notifier.get(), &QSocketNotifier::activated, &session, [&session] {
            char byte;
            [[maybe_unused]] const auto n = ::read(g_signalFds[1], &byte, 1);
            session.cancel();
        });
    }
    RunSummary result;
    if (!json) {
        m_err << "Syncing " << name << " (" << session.collectionCount() << " collections)...\n";
        m_err.flush();
        QObject::connect(&session, &RunSession::collectionUpdated, &session, [this](const CollectionSummary &c, int) {
            if (c.status == CollectionSummary::Status::Running && c.pages == 0 && c.apiCalls == 0) {
                m_err << "  " << c.name << "...\n";
                m_err.flush();
            }
        });
        QObject::connect(&session, &RunSession::waiting, &session,
                         [this](const QString &c, qint64, const QString &reason) {
                             m_err << "  " << c << ": " << reason << "\n";
                             m_err.flush();
                         });
    }
    QObject::connect(&session, &RunSession::finished, &session, [&result](const RunSummary &summary) {
        result = summary;
        QCoreApplication::exit(0);
    });
    const QString logPath = session.logPath();
    QCoreApplication::exec();

    if (json) {
        m_out << printJson(result.toJson());
        return result.exitCode();
    }
    for (const auto &c : std::as_const(result.collections)) {
        m_out << "  " << padded(c.name, 22) << padded(CollectionSummary::statusName(c.status), 10)
              << QStringLiteral("%1 records (%2 new, %3 updated), %4 API calls")
                         .arg(c.records)
                         .arg(c.inserted)
                         .arg(c.updated)
                         .arg(c.apiCalls)
              << "\n";
        if (!c.notice.isEmpty())
            m_out << "      note: " << c.notice << "\n";
        if (c.error && c.status != CollectionSummary::Status::Skipped) {
            m_out << "      " << c.error->message << "\n";
            if (!c.error->hint.isEmpty())
                m_out << "      hint: " << c.error->hint << "\n";
        }
    }
    const qint64 seconds = result.startedAt.secsTo(result.finishedAt);
    m_out << "Run " << RunSummary::statusName(result.status) << ": " << result.records() << " records, "
          << result.apiCalls << " API calls in " << seconds << " s.\n";
    if (result.error)
        m_out << result.error->message << "\n"
              << (result.error->hint.isEmpty() ? QString()
                                               : QStringLiteral("hint: ") + result.error->hint + QLatin1Char('\n'));
    m_out << "Log: " << logPath << "\n";
    return result.exitCode();
}

int Cli::history()
{
    const bool json = takeFlag(QStringLiteral("--json"));
    if (m_args.size() != 1)
        return usageError(QStringLiteral("`history` takes one source NAME."));
    const QString name = m_args.takeFirst();
    if (!m_service.config().source(name))
        return fail(Error::make(Error::Kind::Config, QStringLiteral("There is no source named '%1'.").arg(name),
                                QStringLiteral("`tributary sources` lists them.")));
    const QList<RunSummary> runs = m_service.history(name).runs();
    if (json) {
        QJsonArray list;
        for (const auto &r : runs)
            list.append(r.toJson());
        m_out << printJson(list);
        return Ok;
    }
    if (runs.isEmpty()) {
        m_out << name << " has not synced yet.\n";
        return Ok;
    }
    m_out << padded(QStringLiteral("STARTED"), 18) << padded(QStringLiteral("DURATION"), 10)
          << padded(QStringLiteral("STATUS"), 11) << padded(QStringLiteral("RECORDS"), 9) << "API CALLS\n";
    for (const auto &r : runs) {
        m_out << padded(localTime(r.startedAt), 18)
              << padded(QStringLiteral("%1 s").arg(r.startedAt.secsTo(r.finishedAt)), 10)
              << padded(RunSummary::statusName(r.status), 11) << padded(QString::number(r.records()), 9) << r.apiCalls
              << "\n";
    }
    return Ok;
}

int Cli::schedule()
{
    // Extra flags beyond the fixed contract: whether an OS schedule keeps it syncing while the app
    // is closed (unset: as before).
    std::optional<bool> keep;
    if (takeFlag(QStringLiteral("--keep-syncing-when-closed")))
        keep = true;
    if (takeFlag(QStringLiteral("--no-keep-syncing-when-closed"))) {
        if (keep)
            return usageError(QStringLiteral("Choose --keep-syncing-when-closed or --no-keep-syncing-when-closed."));
        keep = false;
    }
    if (m_args.size() < 2)
        return usageError(QStringLiteral("`schedule` takes NAME and (manual | every Nh | at HH:MM[,HH:MM...] "
                                         "[on mon-fri])."));
    const QString name = m_args.takeFirst();
    const auto spec = ScheduleSpec::parse(m_args.join(QLatin1Char(' ')));
    if (!spec)
        return usageError(QStringLiteral("'%1' is not a schedule: use manual, every Nh (N = 1, 2, 3, 6, 8, 12 or 24) "
                                         "or at HH:MM[,HH:MM...], optionally followed by on DAYS (on mon-fri, "
                                         "on sat,sun).")
                                  .arg(m_args.join(QLatin1Char(' '))));
    const SourceConfig *source = m_service.config().source(name);
    if (!source)
        return fail(Error::make(Error::Kind::Config, QStringLiteral("There is no source named '%1'.").arg(name),
                                QStringLiteral("`tributary sources` lists them.")));
    if (keep.value_or(false) && spec->kind == ScheduleSpec::Kind::Manual)
        return usageError(QStringLiteral("A manual schedule has nothing to keep running: give times to keep "
                                         "syncing when Tributary is closed."));
    auto set = m_service.setSchedule(name, *spec, keep);
    if (!set)
        return fail(set.error());
    const ScheduleSpec saved = ScheduleSpec::fromJson(m_service.config().source(name)->schedule);
    m_out << name << ": " << saved.toString() << "\n";
    if (saved.kind != ScheduleSpec::Kind::Manual) {
        const auto last = m_service.history(name).last();
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (const auto next = saved.nextRun(last ? last->startedAt : QDateTime(), now))
            m_out << "Next run: " << (*next <= now ? QStringLiteral("due now") : localTime(*next)) << "\n";
    }
    if (saved.keepSyncingWhenClosed) {
        m_out << "Keeps syncing when Tributary is closed, through:\n";
        for (const QString &file : std::as_const(set->files))
            m_out << "  " << file << "\n";
        if (set->active) {
            m_out << set->message << "\n";
        } else {
            m_err << "warning: " << set->message << "\n";
            m_err.flush();
        }
    } else if (!set->files.isEmpty()) {
        m_out << "Syncs only while Tributary is open. " << set->message << "\n";
    }
    return Ok;
}

} // namespace tributary
