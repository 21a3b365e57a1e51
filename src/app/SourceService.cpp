#include "SourceService.h"

#include "app/SignInSettings.h"
#include "sync/ConnectorRegistry.h"
#include "sync/RunLock.h"
#include "warehouse/Warehouse.h"

#include <QCoreApplication>
#include <QDebug>
#include <QDir>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace tributary {

namespace {

Error configError(const QString &message, const QString &hint)
{
    return Error::make(Error::Kind::Config, message, hint);
}

} // namespace

SourceService::SourceService(AppPaths paths, CredentialStore &credentials)
    : m_paths(std::move(paths))
    , m_config(m_paths.configFile(), m_paths.defaultWarehouseUrl())
    , m_credentials(credentials)
{ }

Result<void> SourceService::load()
{
    return m_config.load();
}

bool SourceService::isValidName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$"));
    return re.match(name).hasMatch();
}

bool SourceService::isValidSchema(const QString &schema)
{
    static const QRegularExpression re(QStringLiteral("^[a-z_][a-z0-9_]{0,39}$"));
    return re.match(schema).hasMatch();
}

QString SourceService::newRunId()
{
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")) + QLatin1Char('-')
            + QString::number(QRandomGenerator::global()->bounded(0x10000), 16).rightJustified(4, QLatin1Char('0'));
}

Result<SourceConfig> SourceService::addSource(const AddRequest &request)
{
    const ConnectorManifest *manifest = ConnectorRegistry::instance().find(request.connector);
    if (!manifest) {
        QStringList slugs;
        for (const auto &c : ConnectorRegistry::instance().connectors())
            slugs.append(c.slug);
        return configError(
                QStringLiteral("There is no connector '%1'.").arg(request.connector),
                QStringLiteral("Choose one of: %1 (see `tributary catalog`).").arg(slugs.join(QStringLiteral(", "))));
    }
    if (!isValidName(request.name))
        return configError(
                QStringLiteral("'%1' is not a valid source name.").arg(request.name),
                QStringLiteral("Use letters, digits, '-', '_' or '.', starting with a letter or digit (at most 63)."));
    if (m_config.source(request.name))
        return configError(QStringLiteral("A source named '%1' exists already.").arg(request.name),
                           QStringLiteral("Choose another name, or remove it first with `tributary source remove %1`.")
                                   .arg(request.name));
    SourceConfig source;
    source.name = request.name;
    source.connector = manifest->slug;
    source.schema = request.schema.isEmpty() ? manifest->slug : request.schema;
    if (!isValidSchema(source.schema))
        return configError(
                QStringLiteral("'%1' is not a valid schema name.").arg(source.schema),
                QStringLiteral("Use lower-case letters, digits and '_', starting with a letter or '_' (at most 40)."));
    for (const auto &other : m_config.sources()) {
        if (other.schema == source.schema)
            return configError(QStringLiteral("The schema '%1' is used by the source '%2' already.")
                                       .arg(source.schema, other.name),
                               QStringLiteral("Give this source its own schema with --schema."));
    }
    if (!request.baseUrl.isEmpty()) {
        const QUrl &url = request.baseUrl;
        if (!url.isValid() || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))
            || url.host().isEmpty() || (!url.path().isEmpty() && url.path() != QLatin1String("/")))
            return configError(QStringLiteral("'%1' is not an origin.").arg(url.toString()),
                               QStringLiteral("--base-url takes scheme://host[:port], such as http://127.0.0.1:8080."));
        source.baseUrl = url.adjusted(QUrl::StripTrailingSlash);
    }
    source.collections = request.collections.isEmpty() ? manifest->collectionNames() : request.collections;
    for (const QString &c : std::as_const(source.collections)) {
        if (!manifest->offersCollection(c))
            return configError(
                    QStringLiteral("%1 has no collection '%2'.").arg(manifest->name, c),
                    QStringLiteral("Choose among: %1.").arg(manifest->collectionNames().join(QStringLiteral(", "))));
    }
    auto secrets = applySettings(*manifest, request.settings, source);
    if (!secrets)
        return secrets.error();
    for (auto it = secrets->cbegin(); it != secrets->cend(); ++it) {
        if (auto written = m_credentials.write(source.name, it.key(), it.value()); !written)
            return written.error();
    }
    m_config.upsertSource(source);
    if (auto saved = m_config.save(); !saved)
        return saved.error();
    return source;
}

Result<QMap<QString, QString>> SourceService::applySettings(const ConnectorManifest &manifest,
                                                            const QMap<QString, QString> &given, SourceConfig &source)
{
    QMap<QString, QString> secrets;
    for (auto it = given.cbegin(); it != given.cend(); ++it) {
        const ConnectorManifest::Setting *setting = manifest.setting(it.key());
        if (!setting) {
            QStringList keys;
            for (const auto &s : manifest.settings)
                keys.append(s.key);
            return configError(QStringLiteral("%1 has no setting '%2'.").arg(manifest.name, it.key()),
                               QStringLiteral("Its settings are: %1.").arg(keys.join(QStringLiteral(", "))));
        }
        const QString &value = it.value();
        if (value.isEmpty()) {
            source.settings.remove(it.key());
            continue;
        }
        if (value.startsWith(QLatin1String("env:"))) {
            source.settings.insert(it.key(), value);
            continue;
        }
        if (!setting->pattern.isEmpty() && !QRegularExpression(setting->pattern).match(value).hasMatch())
            return configError(QStringLiteral("The %1 given does not look right.").arg(setting->label),
                               setting->help.isEmpty() ? QStringLiteral("Check the value.") : setting->help);
        if (setting->secret) {
            if (!m_credentials.isPersistent() && !m_keepSecretsForSession)
                return configError(
                        QStringLiteral("Tributary cannot keep the secret '%1': no keychain available, and it "
                                       "never writes secrets to a file.")
                                .arg(it.key()),
                        QStringLiteral("Give it as a reference to an environment variable instead: --set %1=env:VAR.")
                                .arg(it.key()));
            secrets.insert(it.key(), value);
            source.settings.insert(it.key(), SecretReference::keychain());
        } else {
            source.settings.insert(it.key(), value);
        }
    }
    for (const auto &setting : manifest.settings) {
        if (setting.required && !source.settings.contains(setting.key))
            return configError(
                    QStringLiteral("%1 needs the setting '%2' (%3).").arg(manifest.name, setting.key, setting.label),
                    QStringLiteral("Add --set %1=VALUE (VALUE may be env:VAR).").arg(setting.key));
    }
    return secrets;
}

Result<std::pair<const SourceConfig *, const ConnectorManifest *>>
SourceService::sourceAndConnector(const QString &name) const
{
    const SourceConfig *source = m_config.source(name);
    if (!source)
        return configError(QStringLiteral("There is no source named '%1'.").arg(name),
                           QStringLiteral("`tributary sources` lists them; `tributary source add` adds one."));
    const ConnectorManifest *manifest = ConnectorRegistry::instance().find(source->connector);
    if (!manifest)
        return configError(QStringLiteral("The source '%1' uses the connector '%2', which this version does not have.")
                                   .arg(name, source->connector),
                           QStringLiteral("Update Tributary, or remove the source."));
    return std::pair {source, manifest};
}

Result<void> SourceService::updateSettings(const QString &name, const QMap<QString, QString> &settings)
{
    auto found = sourceAndConnector(name);
    if (!found)
        return found.error();
    const auto [existing, manifest] = found.value();
    SourceConfig source = *existing;
    auto secrets = applySettings(*manifest, settings, source);
    if (!secrets)
        return secrets.error();
    for (auto it = secrets->cbegin(); it != secrets->cend(); ++it) {
        if (auto written = m_credentials.write(name, it.key(), it.value()); !written)
            return written.error();
    }
    // A secret no longer kept in the keychain leaves it.
    for (auto it = existing->settings.cbegin(); it != existing->settings.cend(); ++it) {
        if (it.value() == SecretReference::keychain() && source.settings.value(it.key()) != SecretReference::keychain())
            if (auto removed = m_credentials.remove(name, it.key()); !removed)
                return removed.error();
    }
    m_config.upsertSource(source);
    return m_config.save();
}

Result<void> SourceService::removeSource(const QString &name)
{
    const SourceConfig *source = m_config.source(name);
    if (!source)
        return configError(QStringLiteral("There is no source named '%1'.").arg(name),
                           QStringLiteral("`tributary sources` lists them."));
    RunLock lock(m_paths.lockFile(name));
    if (!lock.tryLock())
        return Error::make(Error::Kind::Config, QStringLiteral("'%1' is syncing right now.").arg(name),
                           QStringLiteral("Stop the run, or wait for it to end, then remove the source."));
    for (auto it = source->settings.cbegin(); it != source->settings.cend(); ++it) {
        if (it.value() == SecretReference::keychain())
            (void)m_credentials.remove(name, it.key());
    }
    // Forget the cursors so that a source added again under this name starts afresh; the tables
    // stay: they are the user's data.
    const auto resolved = resolveWarehousePassword();
    const QString password = resolved ? resolved.value() : QString();
    if (auto warehouse = Warehouse::create(m_config.warehouseUrl(), password); warehouse) {
        if (warehouse.value()->open())
            (void)warehouse.value()->clearState(name);
        warehouse.value()->close();
    }
    history(name).remove();
    (void)osScheduleInstaller().remove(name); // its OS schedule would only fail from now on
    m_config.removeSource(name);
    lock.unlock();
    QFile::remove(m_paths.lockFile(name));
    return m_config.save();
}

Result<ScheduleSpec> SourceService::saveSchedule(const QString &name, const ScheduleSpec &schedule,
                                                 std::optional<bool> keepSyncingWhenClosed)
{
    const SourceConfig *existing = m_config.source(name);
    if (!existing)
        return configError(QStringLiteral("There is no source named '%1'.").arg(name),
                           QStringLiteral("`tributary sources` lists them."));
    SourceConfig source = *existing;
    const ScheduleSpec previous = ScheduleSpec::fromJson(source.schedule);
    ScheduleSpec spec = schedule;
    spec.since
            = spec.sameTimes(previous) && previous.since.isValid() ? previous.since : QDateTime::currentDateTimeUtc();
    spec.keepSyncingWhenClosed
            = spec.kind != ScheduleSpec::Kind::Manual && keepSyncingWhenClosed.value_or(previous.keepSyncingWhenClosed);
    source.schedule = spec.toJson();
    m_config.upsertSource(source);
    if (auto saved = m_config.save(); !saved)
        return saved.error();
    return spec;
}

Result<OsScheduleInstaller::Report> SourceService::setSchedule(const QString &name, const ScheduleSpec &schedule,
                                                               std::optional<bool> keepSyncingWhenClosed)
{
    auto saved = saveSchedule(name, schedule, keepSyncingWhenClosed);
    if (!saved)
        return saved.error();
    const OsScheduleInstaller installer = osScheduleInstaller();
    auto report = saved->keepSyncingWhenClosed ? installer.install(name, *saved) : installer.remove(name);
    if (!report && saved->keepSyncingWhenClosed)
        (void)saveSchedule(name, *saved, false); // not installed: say so in the configuration too
    return report;
}

OsScheduleInstaller SourceService::osScheduleInstaller() const
{
    return OsScheduleInstaller(OsScheduleInstaller::defaults(m_paths, QCoreApplication::applicationFilePath()));
}

std::optional<RetentionCheck::Warning> SourceService::retentionWarning(const QString &name, const QDateTime &now) const
{
    const SourceConfig *source = m_config.source(name);
    const ConnectorManifest *manifest = source ? ConnectorRegistry::instance().find(source->connector) : nullptr;
    if (!manifest)
        return std::nullopt;
    return RetentionCheck::check(*manifest, source->collections, history(name).runs(), now);
}

Result<void> SourceService::setWarehouse(const QString &url, const QString &passwordReference)
{
    QString resolvedUrl = url;
    if (url.startsWith(QLatin1String("sqlite:"))) {
        const QString path = url.mid(7);
        if (path.isEmpty())
            return configError(QStringLiteral("The SQLite warehouse needs a file path."),
                               QStringLiteral("Use sqlite:PATH, for example sqlite:./warehouse.sqlite."));
        resolvedUrl = QStringLiteral("sqlite:") + QDir::current().absoluteFilePath(path);
    }
    auto warehouse = Warehouse::create(resolvedUrl);
    if (!warehouse)
        return warehouse.error();
    QString reference = passwordReference;
    if (!reference.isEmpty() && !SecretReference::isReference(reference)) {
        // A password given as it is goes to the keychain, never to the configuration file.
        if (!m_credentials.isPersistent() && !m_keepSecretsForSession)
            return configError(
                    QStringLiteral("Tributary cannot keep the warehouse password here: no OS keychain is available."),
                    QStringLiteral("Give it as a reference to an environment variable: --set password=env:VAR."));
        if (auto written = m_credentials.write(QStringLiteral("warehouse"), QStringLiteral("password"), reference);
            !written)
            return written.error();
        reference = SecretReference::keychain();
    }
    m_config.setWarehouse(resolvedUrl, reference);
    return m_config.save();
}

Result<QString> SourceService::resolveWarehousePassword()
{
    const QString reference = m_config.warehousePassword();
    if (reference.isEmpty())
        return QString();
    return SecretReference::resolve(reference, QStringLiteral("warehouse"), QStringLiteral("password"), m_credentials);
}

Result<SyncPlan> SourceService::prepareRun(const QString &name, const RunOptions &options)
{
    auto found = sourceAndConnector(name);
    if (!found)
        return found.error();
    const auto [source, manifest] = found.value();
    SyncPlan plan;
    plan.runId = newRunId();
    plan.source = *source;
    plan.fullRefresh = options.fullRefresh;
    plan.stallTimeoutSeconds = options.stallTimeoutSeconds;
    plan.collections = options.collections.isEmpty() ? source->collections : options.collections;
    for (const QString &c : std::as_const(plan.collections)) {
        if (!manifest->offersCollection(c))
            return configError(
                    QStringLiteral("%1 has no collection '%2'.").arg(manifest->name, c),
                    QStringLiteral("Choose among: %1.").arg(manifest->collectionNames().join(QStringLiteral(", "))));
    }
    for (auto it = source->settings.cbegin(); it != source->settings.cend(); ++it) {
        auto value = SecretReference::resolve(it.value(), name, it.key(), m_credentials);
        if (!value)
            return value.error();
        plan.settings.insert(it.key(), value.value());
    }
    auto password = resolveWarehousePassword();
    if (!password)
        return password.error();
    plan.warehouseUrl = m_config.warehouseUrl();
    plan.warehousePassword = password.value();
    plan.logPath = m_paths.logFile(name, plan.runId);
    if (SignInSettings::signsIn(*manifest, plan.settings)) {
        auto provider = SignInSettings::provider(*manifest, plan.settings, source->baseUrl);
        if (!provider)
            return provider.error();
        plan.oauth = provider.value();
        plan.oauthTokens = SignInSettings::tokens(plan.settings);
        // Called on the run's thread; the credential stores are thread-safe. A token the source
        // reads from an environment variable cannot be updated: the log says so instead.
        const QMap<QString, QString> references = source->settings;
        CredentialStore *store = &m_credentials;
        plan.tokensChanged = [store, name, references](const OAuthTokens &tokens) {
            const QMap<QString, QString> values = SignInSettings::settingsFor(tokens);
            for (const QString &key : {QStringLiteral("access_token"), QStringLiteral("refresh_token")}) {
                if (values.contains(key) && references.value(key) == SecretReference::keychain()) {
                    if (auto written = store->write(name, key, values.value(key)); !written)
                        qWarning().noquote() << "Could not store the refreshed" << key << "of" << name << ":"
                                             << written.error().message;
                }
            }
        };
    }
    bool ok = false;
    const int retryBase = qEnvironmentVariableIntValue("TRIBUTARY_RETRY_BASE_MS", &ok);
    if (ok && retryBase > 0)
        plan.http.retry.baseDelayMs = retryBase;
    return plan;
}

QString SourceService::health(const QString &name) const
{
    const auto last = history(name).last();
    if (!last)
        return QStringLiteral("never synced");
    switch (last->status) {
    case RunSummary::Status::Succeeded:
        return QStringLiteral("healthy");
    case RunSummary::Status::Partial:
        return QStringLiteral("partial");
    case RunSummary::Status::Aborted:
        if (last->error && last->error->kind == Error::Kind::Auth)
            return signsInWithBrowser(name) ? QStringLiteral("needs sign-in") : QStringLiteral("access denied");
        if (last->error && last->error->kind == Error::Kind::Cancelled)
            return QStringLiteral("stopped");
        return QStringLiteral("failing");
    case RunSummary::Status::Running:
        return QStringLiteral("running");
    }
    return QStringLiteral("failing");
}

Result<void> SourceService::resetCursor(const QString &name, const QString &collection)
{
    if (!m_config.source(name))
        return configError(QStringLiteral("There is no source named '%1'.").arg(name),
                           QStringLiteral("`tributary sources` lists them."));
    return withCursors(name, [&](Warehouse &warehouse) { return warehouse.clearState(name, collection); });
}

Result<void> SourceService::resyncFrom(const QString &name, const QString &collection, const QDate &from)
{
    const SourceConfig *source = m_config.source(name);
    if (!source)
        return configError(QStringLiteral("There is no source named '%1'.").arg(name),
                           QStringLiteral("`tributary sources` lists them."));
    const ConnectorManifest *manifest = ConnectorRegistry::instance().find(source->connector);
    const auto spec = manifest ? manifest->findCollection(collection) : std::nullopt;
    if (!spec || !from.isValid())
        return configError(QStringLiteral("%1 has no collection '%2' to read again.").arg(name, collection),
                           QStringLiteral("Choose one of the source's collections and a valid date."));
    // The cursor alone (no rows), in the warehouse's own transaction.
    WriteRequest request;
    request.source = name;
    request.schema = source->schema;
    request.collection = collection;
    request.kind = spec->kind;
    request.receivedAt = QDateTime::currentDateTimeUtc();
    request.state
            = QJsonObject {{QStringLiteral("mode"), QStringLiteral("from")},
                           {QStringLiteral("from"), double(QDateTime(from, QTime(0, 0), Qt::UTC).toSecsSinceEpoch())}};
    return withCursors(name, [&](Warehouse &warehouse) -> Result<void> {
        auto written = warehouse.write(request);
        if (!written)
            return written.error();
        return {};
    });
}

Result<void> SourceService::withCursors(const QString &name, const std::function<Result<void>(Warehouse &)> &change)
{
    // Cursors change only while no run of the source can read or write them.
    RunLock lock(m_paths.lockFile(name));
    if (!lock.tryLock())
        return configError(QStringLiteral("'%1' is syncing right now.").arg(name),
                           QStringLiteral("Stop the run, or wait for it to end, then try again."));
    auto connection = warehouseConnection();
    if (!connection)
        return connection.error();
    auto warehouse = Warehouse::create(connection->first, connection->second);
    if (!warehouse)
        return warehouse.error();
    if (auto opened = warehouse.value()->open(); !opened)
        return opened.error();
    auto changed = change(*warehouse.value());
    warehouse.value()->close();
    return changed;
}

Result<void> SourceService::setCollections(const QString &name, const QStringList &collections)
{
    const SourceConfig *existing = m_config.source(name);
    if (!existing)
        return configError(QStringLiteral("There is no source named '%1'.").arg(name),
                           QStringLiteral("`tributary sources` lists them."));
    const ConnectorManifest *manifest = ConnectorRegistry::instance().find(existing->connector);
    if (collections.isEmpty())
        return configError(QStringLiteral("Choose at least one collection."),
                           QStringLiteral("Tick the collections to sync."));
    for (const QString &c : collections) {
        if (manifest && !manifest->offersCollection(c))
            return configError(
                    QStringLiteral("%1 has no collection '%2'.").arg(manifest->name, c),
                    QStringLiteral("Choose among: %1.").arg(manifest->collectionNames().join(QStringLiteral(", "))));
    }
    SourceConfig source = *existing;
    source.collections = collections;
    m_config.upsertSource(source);
    return m_config.save();
}

Result<QPair<QString, QString>> SourceService::warehouseConnection()
{
    auto password = resolveWarehousePassword();
    if (!password)
        return password.error();
    return qMakePair(m_config.warehouseUrl(), password.value());
}

bool SourceService::signsInWithBrowser(const QString &name) const
{
    const SourceConfig *source = m_config.source(name);
    const ConnectorManifest *manifest = source ? ConnectorRegistry::instance().find(source->connector) : nullptr;
    return manifest && SignInSettings::signsIn(*manifest, source->settings);
}

Result<void> SourceService::storeSignIn(const QString &name, const OAuthTokens &tokens)
{
    const SourceConfig *existing = m_config.source(name);
    const ConnectorManifest *manifest = existing ? ConnectorRegistry::instance().find(existing->connector) : nullptr;
    if (existing && (!manifest || manifest->oauthProvider.isEmpty()))
        return configError(QStringLiteral("%1 has no browser sign-in.").arg(name),
                           QStringLiteral("Paste its API key in the source's settings instead."));
    QMap<QString, QString> settings;
    const QMap<QString, QString> values = SignInSettings::settingsFor(tokens);
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (manifest && manifest->setting(it.key()))
            settings.insert(it.key(), it.value());
    }
    // A sign-in without an expiry replaces one with: the old expiry would no longer be true.
    if (manifest && manifest->setting(QStringLiteral("token_expires_at")) && !tokens.expiresAt.isValid())
        settings.insert(QStringLiteral("token_expires_at"), QString());
    return updateSettings(name, settings);
}

} // namespace tributary
