#pragma once

#include "core/Result.h"
#include "net/HttpClient.h"
#include "sync/ConnectorManifest.h"
#include "sync/RateWindow.h"

#include <QMap>
#include <QUrl>
#include <QUrlQuery>

#include <memory>
#include <optional>

namespace tributary {

// A manifest-described REST API bound to one source's settings: builds authenticated requests
// and turns failed replies into errors in the user's words.
class RestSource
{
public:
    // settings hold resolved values (secrets included); baseUrlOverride replaces the API's origin.
    static Result<RestSource> create(const ConnectorManifest &manifest, const QMap<QString, QString> &settings,
                                     const QUrl &baseUrlOverride = {});

    const ConnectorManifest &manifest() const { return *m_manifest; }
    const QUrl &baseUrl() const { return m_baseUrl; }
    HttpRequest request(const QString &path, const QUrlQuery &query = {}) const;
    // A request for a next-page link the upstream sent: its path and query on our own origin, so
    // credentials never travel to a host nobody configured.
    HttpRequest requestForLink(const QString &link) const;
    // The limiter of a rate group (shared by every reader of this run), or null.
    RateWindow *rateWindow(const QString &group) const;

    struct Quota
    {
        std::optional<qint64> remaining;
        std::optional<qint64> limit;
    };
    // The requests left, from the manifest's quota headers (none when the reply has none).
    Quota quota(const HttpResponse &response) const;

    // The error of a reply that is not 2xx. collection may be null (a source-wide call).
    Error errorFor(const HttpResponse &response, const ConnectorManifest::Collection *collection) const;
    // The upstream's own message in an error body (empty when none).
    QString upstreamMessage(const QByteArray &body) const;

private:
    RestSource() = default;

    const ConnectorManifest *m_manifest = nullptr;
    QUrl m_baseUrl;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    std::shared_ptr<QMap<QString, std::shared_ptr<RateWindow>>> m_rateWindows;
};

// "{key}" templates filled from settings.
QString expandTemplate(const QString &text, const QMap<QString, QString> &settings);

} // namespace tributary
