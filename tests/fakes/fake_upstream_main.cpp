// fake-upstream: a fake upstream API as a process, for manual runs, screenshots and process-level
// tests. Prints "listening on http://127.0.0.1:PORT" and serves until killed.
//
//   fake-upstream stripe [--port N] [--seed S] [--count N] [--key sk_test_...]...
//                        [--restricted-key rk_test_...=customers,charges]... [--rate-limit N]
//                        [--retry-after S] [--fail-fraction F] [--hang customers]...
//                        [--slow customers=MS]... [--now UNIX] [--quiet]
//   fake-upstream salesforce [--port N] [--seed S] [--records Account=N]... [--client-id ID]
//                        [--client-secret S] [--daily-limit N] [--rotate] [--now UNIX] [--quiet]
//   fake-upstream zendesk [--port N] [--seed S] [--count N] [--client-id ID] [--client-secret S]
//                        [--quiet]
//
// The salesforce fake then prints its connected app and a freshly issued token pair, one per line
// ("client id: ", "client secret: ", "refresh token: ", "access token: ", "instance url: "), so a
// by-hand CLI run can use them without the browser flow. The zendesk fake prints an admin's email and
// API token, an agent's, and its OAuth client (Sign in with browser: redirect to
// http://127.0.0.1:8765/callback, any subdomain with --base-url pointing here).

#include "fakes/FakeSalesforceServer.h"
#include "fakes/FakeStripeServer.h"
#include "fakes/FakeZendeskServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>

#include <cstdio>

using tributary::test::FakeSalesforceServer;
using tributary::test::FakeStripeServer;
using tributary::test::FakeZendeskServer;

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "fake-upstream: %s\n", qPrintable(message));
    return 2;
}

// A non-negative whole number option; *ok turns false (and stays so) when it is not one.
qint64 optionNumber(const QCommandLineParser &parser, const QCommandLineOption &option, bool *ok)
{
    bool parsed = false;
    const qint64 n = parser.value(option).toLongLong(&parsed);
    *ok = *ok && parsed && n >= 0;
    return n;
}

void logRequests(QObject *server, QCoreApplication *app)
{
    const auto print = [](const QByteArray &method, const QString &path, int status) {
        std::fprintf(stderr, "%s %s %d\n", method.constData(), qPrintable(path), status);
    };
    if (auto *stripe = qobject_cast<FakeStripeServer *>(server))
        QObject::connect(stripe, &FakeStripeServer::requestServed, app, print);
    else if (auto *salesforce = qobject_cast<FakeSalesforceServer *>(server))
        QObject::connect(salesforce, &FakeSalesforceServer::requestServed, app, print);
    else if (auto *zendesk = qobject_cast<FakeZendeskServer *>(server))
        QObject::connect(zendesk, &FakeZendeskServer::requestServed, app, print);
}

struct SalesforceOptions
{
    QCommandLineOption port, seed, now, quiet, records, clientId, clientSecret, dailyLimit, rotate;
};

int runSalesforce(QCoreApplication &app, const QCommandLineParser &parser, const SalesforceOptions &o,
                  const QList<QCommandLineOption> &stripeOnly)
{
    for (const QCommandLineOption &option : stripeOnly) {
        if (parser.isSet(option))
            return fail(QStringLiteral("--%1 is for stripe only").arg(option.names().constFirst()));
    }
    bool ok = true;
    const auto number = [&](const QCommandLineOption &option) { return optionNumber(parser, option, &ok); };
    const qint64 portNumber = number(o.port);
    const qint64 seedNumber = number(o.seed);
    const qint64 limit = number(o.dailyLimit);
    const qint64 nowSeconds = parser.isSet(o.now) ? number(o.now) : 0;
    if (!ok || portNumber > 65535 || limit > 1000000000)
        return fail(QStringLiteral("invalid number in the options (see --help)"));
    QHash<QString, int> counts;
    for (const QString &spec : parser.values(o.records)) {
        const qsizetype eq = spec.indexOf(QLatin1Char('='));
        bool parsed = false;
        const int n = eq > 0 ? spec.mid(eq + 1).toInt(&parsed) : 0;
        const QString object = spec.left(eq);
        if (!parsed || n < 0 || n > 100000 || !FakeSalesforceServer::queryableObjects().contains(object))
            return fail(QStringLiteral("--records wants Object=N with one of %1: %2")
                                .arg(FakeSalesforceServer::queryableObjects().join(QLatin1Char(',')), spec));
        counts.insert(object, n);
    }

    FakeSalesforceServer server;
    if (parser.isSet(o.now))
        server.setNow(QDateTime::fromSecsSinceEpoch(nowSeconds, Qt::UTC));
    const QString id = parser.value(o.clientId);
    const QString secret = parser.value(o.clientSecret);
    server.addClient(id, secret);
    server.setDailyApiLimit(int(limit));
    server.setRefreshTokenRotation(parser.isSet(o.rotate));
    server.populate(counts, quint32(seedNumber));
    if (!parser.isSet(o.quiet))
        logRequests(&server, &app);
    if (!server.listen(quint16(portNumber)))
        return fail(QStringLiteral("cannot listen on 127.0.0.1:%1").arg(portNumber));
    const FakeSalesforceServer::Tokens tokens = server.issueTokens(id);
    std::printf("listening on http://127.0.0.1:%u\n", unsigned(server.port()));
    std::printf("client id: %s\n", qPrintable(id));
    std::printf("client secret: %s\n", qPrintable(secret));
    std::printf("refresh token: %s\n", qPrintable(tokens.refreshToken));
    std::printf("access token: %s\n", qPrintable(tokens.accessToken));
    std::printf("instance url: %s\n", qPrintable(tokens.instanceUrl));
    std::fflush(stdout);
    return app.exec();
}

int runZendesk(QCoreApplication &app, const QCommandLineParser &parser, const QCommandLineOption &port,
               const QCommandLineOption &seed, const QCommandLineOption &count, const QCommandLineOption &quiet,
               const QCommandLineOption &clientId, const QCommandLineOption &clientSecret)
{
    bool ok = true;
    const auto number = [&](const QCommandLineOption &option) { return optionNumber(parser, option, &ok); };
    const qint64 portNumber = number(port);
    const qint64 seedNumber = number(seed);
    const qint64 tickets = number(count);
    if (!ok || portNumber > 65535 || tickets > 100000)
        return fail(QStringLiteral("invalid number in the options (see --help)"));
    const QString id = parser.isSet(clientId) ? parser.value(clientId) : QStringLiteral("tributary_desktop");
    const QString secret = parser.isSet(clientSecret) ? parser.value(clientSecret) : QStringLiteral("zd-client-secret");
    FakeZendeskServer server;
    server.populate(int(tickets), int(tickets / 2 + 1), int(tickets / 10 + 1), 12, quint32(seedNumber));
    server.addUser(QStringLiteral("admin@example.com"), QStringLiteral("adminToken123"), QStringLiteral("admin"));
    server.addUser(QStringLiteral("agent@example.com"), QStringLiteral("agentToken456"), QStringLiteral("agent"));
    server.addOAuthClient(id, secret);
    if (!parser.isSet(quiet))
        logRequests(&server, &app);
    if (!server.listen(quint16(portNumber)))
        return fail(QStringLiteral("cannot listen on 127.0.0.1:%1").arg(portNumber));
    std::printf("listening on http://127.0.0.1:%u\n", unsigned(server.port()));
    std::printf("admin: admin@example.com adminToken123\n");
    std::printf("agent: agent@example.com agentToken456\n");
    std::printf("client id: %s\n", qPrintable(id));
    std::printf("client secret: %s\n", qPrintable(secret));
    std::fflush(stdout);
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fake-upstream"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A strict local fake of an upstream API, on 127.0.0.1."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("api"),
                                 QStringLiteral("The API to fake: stripe, zendesk or salesforce."));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Port to listen on (0: a free one)."),
                                  QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of the generated data."),
                                  QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("Records per collection."),
                                   QStringLiteral("N"), QStringLiteral("50"));
    const QCommandLineOption key(QStringLiteral("key"),
                                 QStringLiteral("A full-access key (repeatable; default sk_test_tributary)."),
                                 QStringLiteral("KEY"));
    const QCommandLineOption restricted(QStringLiteral("restricted-key"),
                                        QStringLiteral("A restricted key and the resources it may read (repeatable)."),
                                        QStringLiteral("KEY=res,res"));
    const QCommandLineOption rateLimit(QStringLiteral("rate-limit"), QStringLiteral("Requests per second (0: none)."),
                                       QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption retryAfter(QStringLiteral("retry-after"),
                                        QStringLiteral("Retry-After seconds on rate-limit answers."),
                                        QStringLiteral("S"), QStringLiteral("0"));
    const QCommandLineOption failFraction(QStringLiteral("fail-fraction"),
                                          QStringLiteral("Fraction of requests answered 500 or 503."),
                                          QStringLiteral("F"), QStringLiteral("0"));
    const QCommandLineOption hang(QStringLiteral("hang"), QStringLiteral("A path never answered (repeatable)."),
                                  QStringLiteral("PATH"));
    const QCommandLineOption slow(QStringLiteral("slow"), QStringLiteral("A path answered late (repeatable)."),
                                  QStringLiteral("PATH=MS"));
    const QCommandLineOption now(QStringLiteral("now"), QStringLiteral("Fix the fake's clock (unix seconds)."),
                                 QStringLiteral("UNIX"));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("Do not log requests on stderr."));
    const QCommandLineOption records(QStringLiteral("records"),
                                     QStringLiteral("salesforce: records of an object (repeatable; others keep their "
                                                    "default count)."),
                                     QStringLiteral("Object=N"));
    const QCommandLineOption clientId(QStringLiteral("client-id"),
                                      QStringLiteral("salesforce: the connected app's consumer key."),
                                      QStringLiteral("ID"), FakeSalesforceServer::defaultClientId());
    const QCommandLineOption clientSecret(QStringLiteral("client-secret"),
                                          QStringLiteral("salesforce: its consumer secret (empty: a public client)."),
                                          QStringLiteral("S"), FakeSalesforceServer::defaultClientSecret());
    const QCommandLineOption dailyLimit(QStringLiteral("daily-limit"),
                                        QStringLiteral("salesforce: daily API requests allowed."), QStringLiteral("N"),
                                        QStringLiteral("100000"));
    const QCommandLineOption rotate(QStringLiteral("rotate"), QStringLiteral("salesforce: rotate refresh tokens."));
    parser.addOptions({port, seed, count, key, restricted, rateLimit, retryAfter, failFraction, hang, slow, now, quiet,
                       records, clientId, clientSecret, dailyLimit, rotate});
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    if (positional == QStringList {QStringLiteral("salesforce")})
        return runSalesforce(app, parser, {port, seed, now, quiet, records, clientId, clientSecret, dailyLimit, rotate},
                             {count, key, restricted, rateLimit, retryAfter, failFraction, hang, slow});
    if (positional == QStringList {QStringLiteral("zendesk")}) {
        for (const QCommandLineOption &option :
             {key, restricted, rateLimit, retryAfter, failFraction, hang, slow, now, records, dailyLimit, rotate}) {
            if (parser.isSet(option))
                return fail(QStringLiteral("--%1 is not for zendesk").arg(option.names().constFirst()));
        }
        return runZendesk(app, parser, port, seed, count, quiet, clientId, clientSecret);
    }
    if (positional != QStringList {QStringLiteral("stripe")})
        return fail(QStringLiteral("name one API to fake: stripe, zendesk or salesforce"));
    for (const QCommandLineOption &option : {records, clientId, clientSecret, dailyLimit, rotate}) {
        if (parser.isSet(option))
            return fail(QStringLiteral("--%1 is for salesforce only").arg(option.names().constFirst()));
    }

    bool ok = true;
    const auto number = [&](const QCommandLineOption &option) { return optionNumber(parser, option, &ok); };
    FakeStripeServer server;
    if (parser.isSet(now))
        server.setNow(number(now));
    const qint64 portNumber = number(port);
    const qint64 seedNumber = number(seed);
    const qint64 countNumber = number(count);
    const qint64 rate = number(rateLimit);
    const qint64 retry = number(retryAfter);
    bool fractionOk = false;
    const double fraction = parser.value(failFraction).toDouble(&fractionOk);
    if (!ok || !fractionOk || portNumber > 65535 || countNumber > 100000 || fraction < 0 || fraction > 1)
        return fail(QStringLiteral("invalid number in the options (see --help)"));

    QStringList keys = parser.values(key);
    if (keys.isEmpty())
        keys.append(QStringLiteral("sk_test_tributary"));
    for (const QString &k : std::as_const(keys))
        server.addKey(k);
    for (const QString &spec : parser.values(restricted)) {
        const qsizetype eq = spec.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return fail(QStringLiteral("--restricted-key wants KEY=resource,resource: %1").arg(spec));
        server.addRestrictedKey(spec.left(eq), spec.mid(eq + 1).split(QLatin1Char(','), Qt::SkipEmptyParts));
    }
    server.setRateLimit(int(rate));
    server.setRetryAfter(int(retry));
    if (fraction > 0)
        server.failRandomly(fraction, quint32(seedNumber));
    for (const QString &path : parser.values(hang))
        server.setHanging(path);
    for (const QString &spec : parser.values(slow)) {
        const qsizetype eq = spec.indexOf(QLatin1Char('='));
        const int ms = eq > 0 ? spec.mid(eq + 1).toInt() : 0;
        if (ms <= 0)
            return fail(QStringLiteral("--slow wants PATH=MS: %1").arg(spec));
        server.setSlow(spec.left(eq), ms);
    }
    server.populate(int(countNumber), quint32(seedNumber));

    if (!parser.isSet(quiet))
        logRequests(&server, &app);
    if (!server.listen(quint16(portNumber)))
        return fail(QStringLiteral("cannot listen on 127.0.0.1:%1").arg(portNumber));
    std::printf("listening on http://127.0.0.1:%u\n", unsigned(server.port()));
    std::fflush(stdout);
    return app.exec();
}
