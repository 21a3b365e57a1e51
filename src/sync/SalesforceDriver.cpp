#include "SalesforceDriver.h"

#include "net/HttpClient.h"
#include "net/OAuthTokenProvider.h"
#include "sync/ConnectorManifest.h"
#include "sync/SalesforceApi.h"
#include "sync/SalesforceNames.h"
#include "sync/SalesforceReader.h"

#include <QJsonDocument>

namespace tributary {

SalesforceDriver::SalesforceDriver(const ConnectorManifest &manifest, DriverContext context, int reservePercent)
    : m_manifest(manifest), m_context(std::move(context)), m_reservePercent(reservePercent)
{ }

SalesforceDriver::~SalesforceDriver() = default;

Result<std::unique_ptr<SourceDriver>> SalesforceDriver::create(const ConnectorManifest &manifest,
                                                               const DriverContext &context)
{
    int reserve = SalesforceApi::kDefaultReservePercent;
    const QString text = context.settings.value(QStringLiteral("api_reserve_percent")).trimmed();
    if (!text.isEmpty()) {
        bool ok = false;
        reserve = text.toInt(&ok);
        if (!ok || reserve < 0 || reserve > 100)
            return Error::make(Error::Kind::Config,
                               QStringLiteral("Salesforce's api_reserve_percent must be a whole number from 0 to "
                                              "100, not '%1'.")
                                       .arg(text),
                               QStringLiteral("Set it with --set api_reserve_percent=10, or leave it out (10%)."));
    }
    if (!context.auth && context.settings.value(QStringLiteral("access_token")).isEmpty()) {
        const bool signedIn = !context.settings.value(QStringLiteral("refresh_token")).isEmpty();
        return Error::make(signedIn ? Error::Kind::Auth : Error::Kind::Config,
                           signedIn ? QStringLiteral("Salesforce's sign-in could not be used for this run.")
                                    : QStringLiteral("Salesforce needs a sign-in or a session token."),
                           signedIn ? QStringLiteral("Reconnect Salesforce (sign in again).")
                                    : QStringLiteral("Sign in to Salesforce (client_id, client_secret and the "
                                                     "sign-in's refresh_token), or set access_token and "
                                                     "instance_url (--set KEY=env:VAR)."));
    }
    return std::unique_ptr<SourceDriver>(new SalesforceDriver(manifest, context, reserve));
}

Result<void> SalesforceDriver::bindApi()
{
    QUrl origin = m_context.baseUrl;
    if (origin.isEmpty() && m_context.auth)
        origin = m_context.auth->instanceUrl();
    if (origin.isEmpty())
        origin = QUrl(m_context.settings.value(QStringLiteral("instance_url")));
    origin = origin.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
    if (!origin.isValid() || origin.host().isEmpty()
        || (origin.scheme() != QLatin1String("https") && origin.scheme() != QLatin1String("http")))
        return Error::make(Error::Kind::Config,
                           QStringLiteral("Salesforce's instance URL is not known ('%1').").arg(origin.toString()),
                           m_context.auth ? QStringLiteral("Reconnect Salesforce (sign in again): the sign-in gives "
                                                           "the org's address.")
                                          : QStringLiteral("Set instance_url to the org's address "
                                                           "(https://acme.my.salesforce.com) with the access_token."));
    const Secret token = m_context.auth ? Secret() : Secret(m_context.settings.value(QStringLiteral("access_token")));
    m_api = std::make_shared<SalesforceApi>(m_context.http, origin, token, m_reservePercent);
    return {};
}

void SalesforceDriver::prepare(Done done)
{
    OAuthTokenProvider *auth = m_context.auth;
    if (auth && (auth->needsRefresh(m_context.now) || auth->accessToken().isEmpty())) {
        // A fresh access token first: its reply names the org's instance.
        auth->refresh([this, done = std::move(done)](Result<void> refreshed) {
            if (!refreshed) {
                Error e = refreshed.error();
                if (e.kind == Error::Kind::Auth && e.hint.isEmpty())
                    e.hint = QStringLiteral("Reconnect Salesforce (sign in again).");
                done(e);
                return;
            }
            done(bindApi());
        });
        return;
    }
    done(bindApi());
}

std::optional<CollectionKind> SalesforceDriver::collectionKind(const QString &collection) const
{
    if (!m_manifest.findCollection(collection) || SalesforceNames::objectFor(collection).isEmpty())
        return std::nullopt;
    return CollectionKind::Object;
}

Result<std::unique_ptr<CollectionReader>> SalesforceDriver::createReader(const QString &collection,
                                                                         const QJsonObject &state)
{
    if (!collectionKind(collection))
        return Error::make(Error::Kind::Config, QStringLiteral("Salesforce has no collection '%1'.").arg(collection),
                           QStringLiteral("Choose among: %1, or a custom object (invoice__c).")
                                   .arg(m_manifest.collectionNames().join(QStringLiteral(", "))));
    if (!m_api)
        return Error::make(Error::Kind::Internal, QStringLiteral("The Salesforce driver was not prepared."));
    SalesforceReader::Options options;
    options.collection = collection;
    options.object = SalesforceNames::objectFor(collection);
    options.now = m_context.now;
    options.fullRefresh = m_context.fullRefresh;
    options.startDate = m_context.startDate;
    return std::unique_ptr<CollectionReader>(new SalesforceReader(m_api, options, state));
}

void SalesforceDriver::discoverCollections(std::function<void(Result<QStringList>)> done)
{
    if (!m_api) {
        done(Error::make(Error::Kind::Internal, QStringLiteral("The Salesforce driver was not prepared.")));
        return;
    }
    const std::shared_ptr<SalesforceApi> api = m_api;
    api->http()->send(api->request(QStringLiteral("sobjects/")),
                      [api, done = std::move(done)](Result<HttpResponse> reply) {
                          if (!reply) {
                              done(reply.error());
                              return;
                          }
                          api->noteReply(reply.value());
                          if (reply->status < 200 || reply->status > 299) {
                              done(api->errorFor(reply.value(), QStringLiteral("the list of objects")));
                              return;
                          }
                          done(SalesforceNames::offeredCollections(QJsonDocument::fromJson(reply->body).object()));
                      });
}

} // namespace tributary
