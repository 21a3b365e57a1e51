// A new user's walk, driven through the real main window: catalog, wizard, Sync now, an error with
// its hint, Retry this collection, history, data preview and a starter query, access denied and a
// new key through Reconnect; and Zendesk's Sign in with browser against a fake authorization server.
#include "PgTestServer.h"
#include "app/CredentialStore.h"
#include "app/HistoryStore.h"
#include "app/RunCoordinator.h"
#include "app/SourceService.h"
#include "fakes/FakeHttpServer.h"
#include "fakes/FakeOAuthServer.h"
#include "fakes/FakeSalesforceServer.h"
#include "fakes/FakeStripeServer.h"
#include "fakes/FakeZendeskServer.h"
#include "gui/CatalogDialog.h"
#include "gui/DataPanel.h"
#include "gui/ErrorPanel.h"
#include "gui/HistoryPanel.h"
#include "gui/MainWindow.h"
#include "gui/QueryResultModel.h"
#include "gui/RunHistoryModel.h"
#include "gui/RunProgressModel.h"
#include "gui/SettingsPanel.h"
#include "gui/SetupWizard.h"
#include "gui/SignInBox.h"
#include "gui/SignInHelpDialog.h"
#include "gui/SourceListModel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QFile>
#include <QGroupBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QValueAxis>
#include <QWizardPage>
#include <QXYSeries>

using namespace tributary;
using namespace tributary::test;

namespace {

// One address for the fake Zendesk API and the fake authorization server, as on acme.zendesk.com:
// /oauth/* goes to the authorization server, the rest to the API. The access tokens the
// authorization server grants are made known to the API.
class ZendeskFront
{
public:
    ZendeskFront(FakeOAuthServer &oauth, FakeZendeskServer &api)
    {
        m_http.setHandler([this, &oauth, &api](const FakeRequest &request, FakeResponder responder) {
            const bool signIn = request.path().startsWith(QLatin1String("/oauth/"));
            if (m_revoked && !signIn) {
                responder.respondJson(401,
                                      R"({"error":"invalid_token","error_description":"The access token )"
                                      R"(provided is expired, revoked, malformed or invalid."})");
                return;
            }
            QUrl target = signIn ? oauth.baseUrl() : api.baseUrl();
            target.setPath(request.url.path());
            target.setQuery(request.url.query(QUrl::FullyEncoded), QUrl::StrictMode);
            QNetworkRequest forwarded(target);
            forwarded.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
            for (auto it = request.headers.cbegin(); it != request.headers.cend(); ++it) {
                if (it.key() != "host" && it.key() != "content-length")
                    forwarded.setRawHeader(it.key(), it.value());
            }
            QNetworkReply *reply = m_network.sendCustomRequest(forwarded, request.method, request.body);
            QObject::connect(reply, &QNetworkReply::finished, reply, [reply, responder, signIn, &api]() mutable {
                reply->deleteLater();
                const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                const QByteArray body = reply->readAll();
                if (signIn && status == 200) {
                    const QString token
                            = QJsonDocument::fromJson(body).object().value(QStringLiteral("access_token")).toString();
                    if (!token.isEmpty())
                        api.addOAuthToken(token);
                }
                QList<QPair<QByteArray, QByteArray>> headers;
                for (const auto &header : reply->rawHeaderPairs()) {
                    const QByteArray name = header.first.toLower();
                    if (name != "content-type" && name != "content-length" && name != "connection")
                        headers.append(header);
                }
                responder.respond(status, body, headers, reply->rawHeader("Content-Type"));
            });
        });
    }
    bool listen() { return m_http.listen(); }
    QUrl baseUrl() const { return m_http.baseUrl(); }
    // The API answers 401 to every token, as Zendesk does once the user revokes the app.
    void setRevoked(bool revoked) { m_revoked = revoked; }

private:
    FakeHttpServer m_http;
    QNetworkAccessManager m_network;
    bool m_revoked = false;
};

// The "browser" for the fake Salesforce (which is its own authorization server): follows the
// authorize URL and its redirect to the loopback callback, as FakeOAuthServer::browser() does, and
// remembers the authorization code of the last redirect (still percent-encoded).
class FollowingBrowser
{
public:
    FollowingBrowser() { m_network.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy); }
    OAuthSignIn::UrlOpener opener()
    {
        return [this](const QUrl &url) {
            QNetworkReply *reply = m_network.get(QNetworkRequest(url));
            QObject::connect(reply, &QNetworkReply::redirected, reply, [this](const QUrl &to) {
                const QString query = to.query(QUrl::FullyEncoded);
                const qsizetype at = query.indexOf(QLatin1String("code="));
                if (at >= 0)
                    m_code = query.mid(at + 5).section(QLatin1Char('&'), 0, 0);
            });
            QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
            return true;
        };
    }
    QString lastCode() const { return m_code; }

private:
    QNetworkAccessManager m_network;
    QString m_code;
};

} // namespace

class TestSetupFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void newUserWalk();
    void zendeskSignInWithBrowser();
    void salesforceWizardFindsCustomObjects();
    void signInHelp();
    void sampleSourceIntoPostgres();
    void credentialsStepFitsTheConnector();
};

void TestSetupFlow::newUserWalk()
{
    FakeStripeServer fake;
    QVERIFY(fake.listen());
    fake.populate(QHash<QString, int> {{QStringLiteral("customers"), 230},
                                       {QStringLiteral("charges"), 140},
                                       {QStringLiteral("products"), 12}},
                  21);
    const QString key = QStringLiteral("rk_test_flow42");
    QStringList allowed = FakeStripeServer::resources();
    allowed.removeAll(QStringLiteral("charges"));
    allowed.append(QStringLiteral("account"));
    fake.addRestrictedKey(key, allowed);
    qputenv("FLOW_TEST_KEY", key.toUtf8());
    QTemporaryDir home;
    SessionCredentialStore credentials;
    SourceService service(AppPaths(home.path()), credentials);
    QVERIFY(service.load());

    MainWindow window(service);
    window.show();
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("sourceTabs"));
    auto *progress = window.findChild<QTableView *>(QStringLiteral("progressView"));
    auto *sources = window.findChild<QTableView *>(QStringLiteral("sourcesView"));
    QVERIFY(tabs && progress && sources);
    QAbstractItemModelTester progressTester(progress->model());
    QAbstractItemModelTester sourcesTester(sources->model());
    QCOMPARE(sources->model()->rowCount(), 0);

    // 1. Add source: the catalog, searched.
    window.findChild<QAction *>(QStringLiteral("actionAddSource"))->trigger();
    CatalogDialog *catalog = nullptr;
    QTRY_VERIFY((catalog = window.findChild<CatalogDialog *>()) != nullptr);
    QAbstractItemModelTester catalogTester(catalog->filterModel());
    QTest::keyClicks(catalog->findChild<QLineEdit *>(QStringLiteral("searchEdit")), QStringLiteral("subscript"));
    QCOMPARE(catalog->filterModel()->rowCount(), 1); // Stripe offers subscriptions
    QTest::mouseClick(catalog->findChild<QPushButton *>(QStringLiteral("configureButton")), Qt::LeftButton);

    // 2. The wizard, step by step.
    SetupWizard *wizard = nullptr;
    QTRY_VERIFY((wizard = window.findChild<SetupWizard *>()) != nullptr);
    QCOMPARE(wizard->findChild<QLineEdit *>(QStringLiteral("nameEdit"))->text(), QStringLiteral("stripe"));
    wizard->findChild<QLineEdit *>(QStringLiteral("nameEdit"))->setText(QStringLiteral("shop"));
    QTest::keyClicks(wizard->findChild<QLineEdit *>(QStringLiteral("baseUrlEdit")), QStringLiteral("not a url"));
    wizard->next(); // refused: not an origin
    QCOMPARE(wizard->currentId(), int(SetupWizard::SourcePage));
    wizard->findChild<QLineEdit *>(QStringLiteral("baseUrlEdit"))->setText(fake.baseUrl().toString());
    wizard->next();
    QCOMPARE(wizard->currentId(), int(SetupWizard::CredentialsPage));
    wizard->next(); // the key is required: Next is refused
    QCOMPARE(wizard->currentId(), int(SetupWizard::CredentialsPage));
    QVERIFY(!wizard->findChild<QLabel *>(QStringLiteral("credentialsMessageLabel"))->text().isEmpty());
    QTest::keyClicks(wizard->findChild<QLineEdit *>(QStringLiteral("api_keyEdit")),
                     QStringLiteral("env:FLOW_TEST_KEY"));
    // Test connection: one cheap call, naming the account.
    auto *credentialsMessage = wizard->findChild<QLabel *>(QStringLiteral("credentialsMessageLabel"));
    QTest::mouseClick(wizard->findChild<QPushButton *>(QStringLiteral("testConnectionButton")), Qt::LeftButton);
    QTRY_VERIFY(credentialsMessage->text().contains(QStringLiteral("Connected to Stripe")));
    wizard->next();
    QCOMPARE(wizard->currentId(), int(SetupWizard::CollectionsPage));
    QTest::mouseClick(wizard->findChild<QPushButton *>(QStringLiteral("selectNoneButton")), Qt::LeftButton);
    wizard->next(); // nothing chosen: refused
    QCOMPARE(wizard->currentId(), int(SetupWizard::CollectionsPage));
    auto *tree = wizard->findChild<QTreeWidget *>(QStringLiteral("collectionsTree"));
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        const QString name = tree->topLevelItem(i)->text(0);
        if (name == QLatin1String("customers") || name == QLatin1String("charges") || name == QLatin1String("products"))
            tree->topLevelItem(i)->setCheckState(0, Qt::Checked);
    }
    QVERIFY(wizard->findChild<QLabel *>(QStringLiteral("estimateLabel"))
                    ->text()
                    .startsWith(QStringLiteral("3 selected")));
    wizard->next();
    QCOMPARE(wizard->currentId(), int(SetupWizard::SchedulePage));
    wizard->next();
    wizard->next();
    QCOMPARE(wizard->currentId(), int(SetupWizard::SummaryPage));
    QVERIFY(wizard->findChild<QLabel *>(QStringLiteral("summaryLabel"))
                    ->text()
                    .contains(QStringLiteral("customers, charges, products")));
    QVERIFY(wizard->findChild<QCheckBox *>(QStringLiteral("syncNowCheck"))->isChecked());
    QSignalSpy finished(window.coordinator(), &RunCoordinator::finished);
    wizard->accept();

    // 3. The run starts at once; its rows count up and end with the final counts.
    QCOMPARE(sources->model()->rowCount(), 1);
    QTRY_COMPARE(progress->model()->rowCount(), 3);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(progress->model()->index(0, RunProgressModel::Status).data().toString(), QStringLiteral("succeeded"));
    QVERIFY(progress->model()
                    ->index(0, RunProgressModel::Records)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("230 ")));
    QCOMPARE(progress->model()->index(1, RunProgressModel::Status).data().toString(), QStringLiteral("failed"));

    // 4. The forbidden collection is in the error panel, with its hint.
    auto *errors = window.findChild<ErrorPanel *>(QStringLiteral("errorsTab"));
    QCOMPARE(errors->errorCount(), 1);
    QCOMPARE(tabs->tabText(tabs->indexOf(errors)), QStringLiteral("&Errors (1)"));
    const QString details = errors->findChild<QLabel *>(QStringLiteral("detailsLabel"))->text();
    QVERIFY2(details.contains(QStringLiteral("rak_charge_read")), qPrintable(details));
    QVERIFY(errors->detailsText().contains(QStringLiteral("Collection: charges")));
    QVERIFY(!errors->detailsText().contains(key));
    QVERIFY(!errors->findChild<QPushButton *>(QStringLiteral("reconnectButton"))->isVisible());

    // 5. The key is given the permission; Retry this collection re-runs only it.
    fake.addRestrictedKey(key, FakeStripeServer::resources());
    fake.clearRequests();
    tabs->setCurrentWidget(errors);
    QTest::mouseClick(errors->findChild<QPushButton *>(QStringLiteral("retryButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
    const auto retried = finished.last().first().value<RunSummary>();
    QCOMPARE(retried.collections.size(), 1);
    QCOMPARE(retried.collections.first().name, QStringLiteral("charges"));
    QCOMPARE(retried.status, RunSummary::Status::Succeeded);
    for (const auto &r : fake.requests())
        QCOMPARE(r.path(), QStringLiteral("/v1/charges"));
    QCOMPARE(errors->errorCount(), 0);

    // 6. History gained the runs.
    auto *history = window.findChild<HistoryPanel *>(QStringLiteral("historyTab"));
    QAbstractItemModelTester historyTester(history->runsModel());
    QCOMPARE(history->runsModel()->rowCount(), 2);
    QCOMPARE(history->runsModel()->index(0, RunHistoryModel::Records).data().toInt(), 140);
    // The chart, drawn when the History tab is shown: one point per run, axes of whole numbers a
    // whole step apart (API calls 0, 1 and not 1, 0, 0, 0, 0), time labels at least a minute apart
    // (no 07:01 twice).
    tabs->setCurrentWidget(history);
    auto *chartView = history->findChild<QChartView *>();
    QVERIFY(chartView && chartView->chart());
    for (QAbstractSeries *series : chartView->chart()->series()) {
        auto *points = qobject_cast<QXYSeries *>(series);
        QVERIFY(points);
        QCOMPARE(points->count(), 2);
    }
    QCOMPARE(qobject_cast<QXYSeries *>(chartView->chart()->series().first())->at(1).y(), 140.0);
    const auto vertical = chartView->chart()->axes(Qt::Vertical);
    QCOMPARE(vertical.size(), 2);
    for (QAbstractAxis *axis : vertical) {
        auto *values = qobject_cast<QValueAxis *>(axis);
        QVERIFY(values);
        QCOMPARE(values->labelFormat(), QStringLiteral("%d"));
        QCOMPARE(values->min(), 0.0);
        QVERIFY(values->tickCount() >= 2);
        const qreal step = (values->max() - values->min()) / (values->tickCount() - 1);
        QVERIFY2(step >= 1 && step == qRound64(step), qPrintable(QString::number(step)));
    }
    const auto horizontal = chartView->chart()->axes(Qt::Horizontal);
    QCOMPARE(horizontal.size(), 1);
    auto *timeAxis = qobject_cast<QDateTimeAxis *>(horizontal.first());
    QVERIFY(timeAxis && timeAxis->tickCount() >= 2);
    QVERIFY(timeAxis->min().msecsTo(timeAxis->max()) / (timeAxis->tickCount() - 1) >= 60000);
    QCOMPARE(timeAxis->min().time().second(), 0);

    // 7. Data: tables with row counts, a paged preview, a starter query.
    auto *data = window.findChild<DataPanel *>(QStringLiteral("dataTab"));
    tabs->setCurrentWidget(data);
    QTRY_COMPARE(data->tablesModel()->rowCount(), 3);
    QStringList tables;
    for (int r = 0; r < 3; ++r)
        tables.append(data->tablesModel()->index(r, 0).data().toString() + QLatin1Char('=')
                      + data->tablesModel()->index(r, 1).data().toString());
    QVERIFY2(tables.contains(QStringLiteral("stripe_customers=230")), qPrintable(tables.join(QLatin1Char(' '))));
    QTRY_COMPARE(data->rowsModel()->rowCount(), DataPanel::kPageSize);
    QAbstractItemModelTester rowsTester(data->rowsModel());
    auto *next = data->findChild<QPushButton *>(QStringLiteral("nextPageButton"));
    QVERIFY(next->isEnabled());
    // No query has run: the preview has the height, no empty result table under it.
    auto *queryResult = data->findChild<QTableView *>(QStringLiteral("queryResultView"));
    QVERIFY(queryResult && !queryResult->isVisible());
    // Paging keeps Next where it was, whatever the width of "rows 101–140".
    const QPoint nextAt = next->mapTo(data, QPoint(0, 0));
    QTest::mouseClick(next, Qt::LeftButton);
    QTRY_VERIFY(data->findChild<QLabel *>(QStringLiteral("pageLabel"))->text().startsWith(QStringLiteral("rows 101–")));
    QCOMPARE(next->mapTo(data, QPoint(0, 0)), nextAt);
    auto *combo = data->findChild<QComboBox *>(QStringLiteral("queryCombo"));
    const int revenue = combo->findText(QStringLiteral("Revenue by month (Stripe)"));
    QVERIFY(revenue >= 0);
    QCOMPARE(combo->findText(QStringLiteral("Tickets by status (Zendesk)")), -1); // no Zendesk source
    combo->setCurrentIndex(revenue);
    QTest::mouseClick(data->findChild<QPushButton *>(QStringLiteral("runQueryButton")), Qt::LeftButton);
    QTRY_VERIFY2(data->queryModel()->rowCount() > 0,
                 qPrintable(data->findChild<QLabel *>(QStringLiteral("dataMessageLabel"))->text()));
    QCOMPARE(data->queryModel()->result().columns.first(), QStringLiteral("month"));
    QVERIFY(queryResult->isVisible());
    auto *tablesView = data->findChild<QTableView *>(QStringLiteral("tablesView"));
    const QString shownTable = tablesView->currentIndex().siblingAtColumn(0).data().toString();
    QVERIFY(!shownTable.isEmpty());
    QSignalSpy relisted(data->tablesModel(), &QAbstractItemModel::rowsInserted);

    // 8. Access denied: the key is revoked; the error offers Reconnect.
    fake.removeKey(key);
    window.findChild<QAction *>(QStringLiteral("actionSyncNow"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 60000);
    QCOMPARE(finished.last().first().value<RunSummary>().exitCode(), 4);
    // The run's end read the tables again; the Data tab kept what it showed: the table at its
    // page, the chosen query and its result, which says when it ran.
    QTRY_VERIFY(relisted.count() > 0);
    QTRY_VERIFY(data->findChild<QLabel *>(QStringLiteral("pageLabel"))->text().startsWith(QStringLiteral("rows 101–")));
    QCOMPARE(tablesView->currentIndex().siblingAtColumn(0).data().toString(), shownTable);
    QCOMPARE(combo->currentIndex(), revenue);
    QVERIFY(data->queryModel()->rowCount() > 0);
    QVERIFY(queryResult->isVisibleTo(data));
    QVERIFY2(data->findChild<QLabel *>(QStringLiteral("dataMessageLabel"))->text().contains(QStringLiteral("ran at")),
             qPrintable(data->findChild<QLabel *>(QStringLiteral("dataMessageLabel"))->text()));
    QCOMPARE(errors->errorCount(), 1);
    tabs->setCurrentWidget(errors);
    QVERIFY(errors->findChild<QPushButton *>(QStringLiteral("reconnectButton"))->isVisible());
    // The key is the source's, not one collection's: no Retry this collection.
    QVERIFY(!errors->findChild<QPushButton *>(QStringLiteral("retryButton"))->isVisible());
    QCOMPARE(history->runsModel()->rowCount(), 3);
    QCOMPARE(sources->model()->index(0, SourceListModel::Health).data().toString(), QStringLiteral("access denied"));
    QVERIFY(!sources->model()->index(0, SourceListModel::Health).data(Qt::DecorationRole).value<QIcon>().isNull());

    // 9. Reconnect opens Settings at its credentials, where a new key replaces the revoked one.
    QTest::mouseClick(errors->findChild<QPushButton *>(QStringLiteral("reconnectButton")), Qt::LeftButton);
    auto *settings = window.findChild<SettingsPanel *>(QStringLiteral("settingsTab"));
    QCOMPARE(tabs->currentWidget(), settings);
    auto *credentialsGroup = settings->findChild<QGroupBox *>(QStringLiteral("credentialsGroup"));
    QVERIFY(credentialsGroup->isVisible());
    QVERIFY(!credentialsGroup->visibleRegion().isEmpty());
    auto *keyEdit = settings->findChild<QLineEdit *>(QStringLiteral("api_keyCredentialEdit"));
    QVERIFY(keyEdit);
    QVERIFY(QApplication::focusWidget() == keyEdit || !QApplication::activeWindow());
    QCOMPARE(keyEdit->text(), QString()); // the stored value is never shown
    QCOMPARE(keyEdit->placeholderText(), QStringLiteral("from $FLOW_TEST_KEY"));
    QVERIFY(settings->credentialsMessage().contains(QStringLiteral("Access was denied")));
    service.setKeepSecretsForSession(true); // as the app does when the session store stands in for the keychain
    const QString newKey = QStringLiteral("rk_test_replaced77");
    fake.addRestrictedKey(newKey, FakeStripeServer::resources() << QStringLiteral("account"));
    QTest::keyClicks(keyEdit, newKey);
    QTest::mouseClick(settings->findChild<QPushButton *>(QStringLiteral("testCredentialsButton")), Qt::LeftButton);
    QTRY_VERIFY2(settings->credentialsMessage().contains(QStringLiteral("Connected to Stripe")),
                 qPrintable(settings->credentialsMessage()));
    QTest::mouseClick(settings->findChild<QPushButton *>(QStringLiteral("saveCredentialsButton")), Qt::LeftButton);
    QVERIFY2(settings->credentialsMessage().startsWith(QStringLiteral("Saved: Secret or restricted API key")),
             qPrintable(settings->credentialsMessage()));
    QCOMPARE(service.config().source(QStringLiteral("shop"))->settings.value(QStringLiteral("api_key")),
             QStringLiteral("keychain:"));
    QCOMPARE(credentials.read(QStringLiteral("shop"), QStringLiteral("api_key")).value(), newKey);
    keyEdit = settings->findChild<QLineEdit *>(QStringLiteral("api_keyCredentialEdit"));
    QCOMPARE(keyEdit->text(), QString());
    QCOMPARE(keyEdit->placeholderText(), QStringLiteral("stored in the keychain"));
    QFile config(home.filePath(QStringLiteral("config.json")));
    QVERIFY(config.open(QIODevice::ReadOnly));
    QVERIFY(!config.readAll().contains(newKey.toUtf8()));
    window.findChild<QAction *>(QStringLiteral("actionSyncNow"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 4, 60000);
    QCOMPARE(finished.last().first().value<RunSummary>().status, RunSummary::Status::Succeeded);
    QCOMPARE(sources->model()->index(0, SourceListModel::Health).data().toString(), QStringLiteral("healthy"));
}

void TestSetupFlow::zendeskSignInWithBrowser()
{
    // Zendesk with Sign in with browser: the fake browser follows the authorize URL; a denial is
    // said in plain words; after Allow, Test connection uses the access token and the source is
    // added with its tokens in the credential store, none in the configuration file. Settings then
    // offers Sign in again, which keeps a new sign-in.
    qputenv("TRIBUTARY_OAUTH_PORT", "0");
    FakeOAuthServer oauth;
    QVERIFY(oauth.listen());
    const QString clientId = QStringLiteral("tributary_desktop");
    const QString clientSecret = QStringLiteral("zd-s3cret+&=");
    oauth.addClient(clientId, clientSecret);
    FakeZendeskServer api;
    QVERIFY(api.listen());
    api.populate(5, 4, 2, 3, 11);
    ZendeskFront front(oauth, api);
    QVERIFY(front.listen());

    QTemporaryDir home;
    SessionCredentialStore credentials;
    SourceService service(AppPaths(home.path()), credentials);
    service.setKeepSecretsForSession(true);
    QVERIFY(service.load());
    MainWindow window(service);
    window.setUrlOpener(oauth.browser());
    window.show();
    auto *sources = window.findChild<QTableView *>(QStringLiteral("sourcesView"));
    QAbstractItemModelTester sourcesTester(sources->model());

    window.findChild<QAction *>(QStringLiteral("actionAddSource"))->trigger();
    CatalogDialog *catalog = nullptr;
    QTRY_VERIFY((catalog = window.findChild<CatalogDialog *>()) != nullptr);
    QTest::keyClicks(catalog->findChild<QLineEdit *>(QStringLiteral("searchEdit")), QStringLiteral("zendesk"));
    QCOMPARE(catalog->filterModel()->rowCount(), 1);
    QTest::mouseClick(catalog->findChild<QPushButton *>(QStringLiteral("configureButton")), Qt::LeftButton);
    SetupWizard *wizard = nullptr;
    QTRY_VERIFY((wizard = window.findChild<SetupWizard *>()) != nullptr);
    wizard->findChild<QLineEdit *>(QStringLiteral("nameEdit"))->setText(QStringLiteral("help"));
    wizard->findChild<QLineEdit *>(QStringLiteral("baseUrlEdit"))->setText(front.baseUrl().toString());
    wizard->next();
    QCOMPARE(wizard->currentId(), int(SetupWizard::CredentialsPage));

    // The tokens are the sign-in's: no fields for them. The email + API token way stays.
    for (const char *hidden : {"access_tokenEdit", "refresh_tokenEdit", "token_expires_atEdit"})
        QVERIFY2(!wizard->findChild<QLineEdit *>(QLatin1String(hidden)), hidden);
    QVERIFY(wizard->findChild<QLineEdit *>(QStringLiteral("api_tokenEdit")));
    QVERIFY(wizard->findChild<QLineEdit *>(QStringLiteral("emailEdit")));
    auto *signInBox = wizard->findChild<SignInBox *>(QStringLiteral("signInBox"));
    QVERIFY(signInBox && signInBox->isVisible());
    auto *signIn = signInBox->findChild<QPushButton *>(QStringLiteral("signInButton"));
    auto *status = signInBox->findChild<QLabel *>(QStringLiteral("signInStatusLabel"));
    QTest::keyClicks(wizard->findChild<QLineEdit *>(QStringLiteral("subdomainEdit")), QStringLiteral("acme"));
    wizard->next(); // neither signed in nor a key: refused
    QCOMPARE(wizard->currentId(), int(SetupWizard::CredentialsPage));
    QVERIFY(wizard->findChild<QLabel *>(QStringLiteral("credentialsMessageLabel"))
                    ->text()
                    .contains(QStringLiteral("Sign in with your browser")));
    // No client id yet: the sign-in says what it needs instead of opening the browser.
    QTest::mouseClick(signIn, Qt::LeftButton);
    QVERIFY2(status->text().contains(QStringLiteral("client id")), qPrintable(status->text()));
    QTest::keyClicks(wizard->findChild<QLineEdit *>(QStringLiteral("client_idEdit")), clientId);
    QTest::keyClicks(wizard->findChild<QLineEdit *>(QStringLiteral("client_secretEdit")), clientSecret);

    // Deny in the browser.
    oauth.setUserChoice(FakeOAuthServer::UserChoice::Deny);
    QTest::mouseClick(signIn, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("declined")), 20000);
    QVERIFY(signIn->isEnabled());
    QVERIFY(!wizard->isSignedIn());

    // A browser that does not open: the address to copy, and Cancel.
    window.setUrlOpener([](const QUrl &) { return false; });
    wizard->setUrlOpener([](const QUrl &) { return false; });
    QTest::mouseClick(signIn, Qt::LeftButton);
    auto *urlEdit = signInBox->findChild<QLineEdit *>(QStringLiteral("signInUrlEdit"));
    QTRY_VERIFY(urlEdit->isVisible());
    QVERIFY(status->text().startsWith(QStringLiteral("Waiting for your browser")));
    QVERIFY(urlEdit->text().contains(QStringLiteral("/oauth/authorizations/new")));
    QVERIFY(urlEdit->text().contains(QStringLiteral("client_id=") + clientId));
    QVERIFY(!signIn->isEnabled());
    QTest::mouseClick(signInBox->findChild<QPushButton *>(QStringLiteral("cancelSignInButton")), Qt::LeftButton);
    QTRY_COMPARE(status->text(), QStringLiteral("Sign-in cancelled."));
    QVERIFY(!urlEdit->isVisible());

    // Allow.
    wizard->setUrlOpener(oauth.browser());
    oauth.setUserChoice(FakeOAuthServer::UserChoice::Allow);
    QTest::mouseClick(signIn, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Signed in")), 20000);
    QVERIFY(wizard->isSignedIn());
    QCOMPARE(oauth.lastTokenRequest().value(QStringLiteral("grant_type")), QStringLiteral("authorization_code"));
    // Test connection with the new access token.
    auto *credentialsMessage = wizard->findChild<QLabel *>(QStringLiteral("credentialsMessageLabel"));
    QTest::mouseClick(wizard->findChild<QPushButton *>(QStringLiteral("testConnectionButton")), Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(credentialsMessage->text().startsWith(QStringLiteral("Connected")),
                              qPrintable(credentialsMessage->text()), 20000);
    wizard->next();
    QCOMPARE(wizard->currentId(), int(SetupWizard::CollectionsPage));
    auto *tree = wizard->findChild<QTreeWidget *>(QStringLiteral("collectionsTree"));
    QTest::mouseClick(wizard->findChild<QPushButton *>(QStringLiteral("selectNoneButton")), Qt::LeftButton);
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        if (tree->topLevelItem(i)->text(0) == QLatin1String("groups"))
            tree->topLevelItem(i)->setCheckState(0, Qt::Checked);
    }
    wizard->next();
    wizard->next();
    wizard->next();
    QCOMPARE(wizard->currentId(), int(SetupWizard::SummaryPage));
    QSignalSpy finished(window.coordinator(), &RunCoordinator::finished);
    wizard->accept();

    // The tokens are in the credential store, the configuration only refers to them.
    const SourceConfig *source = service.config().source(QStringLiteral("help"));
    QVERIFY(source);
    const QString access = credentials.read(QStringLiteral("help"), QStringLiteral("access_token")).value();
    const QString refresh = credentials.read(QStringLiteral("help"), QStringLiteral("refresh_token")).value();
    QVERIFY(oauth.isValidAccessToken(access));
    QVERIFY(oauth.isValidRefreshToken(refresh));
    QCOMPARE(source->settings.value(QStringLiteral("access_token")), QStringLiteral("keychain:"));
    QCOMPARE(source->settings.value(QStringLiteral("refresh_token")), QStringLiteral("keychain:"));
    QCOMPARE(source->settings.value(QStringLiteral("client_id")), clientId);
    QFile config(home.filePath(QStringLiteral("config.json")));
    QVERIFY(config.open(QIODevice::ReadOnly));
    const QByteArray configText = config.readAll();
    QVERIFY(!configText.contains(access.toUtf8()));
    QVERIFY(!configText.contains(refresh.toUtf8()));
    QVERIFY(!configText.contains(clientSecret.toUtf8()));
    // The first sync runs on the signed-in token.
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const auto run = finished.first().first().value<RunSummary>();
    QCOMPARE(run.status, RunSummary::Status::Succeeded);
    QCOMPARE(run.collections.first().records, api.count(QStringLiteral("groups")));

    // The user revokes the app in Zendesk: the run stops, the source "needs sign-in", shown as
    // access denied is, and its error offers Reconnect.
    front.setRevoked(true);
    oauth.revokeAllRefreshTokens();
    window.findChild<QAction *>(QStringLiteral("actionSyncNow"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
    QCOMPARE(finished.last().first().value<RunSummary>().exitCode(), 4);
    QModelIndex health = sources->model()->index(0, SourceListModel::Health);
    QCOMPARE(health.data().toString(), QStringLiteral("needs sign-in"));
    QVERIFY(!health.data(Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(health.data(Qt::ForegroundRole).isValid());
    auto *errors = window.findChild<ErrorPanel *>(QStringLiteral("errorsTab"));
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("sourceTabs"));
    tabs->setCurrentWidget(errors);
    auto *reconnect = errors->findChild<QPushButton *>(QStringLiteral("reconnectButton"));
    QVERIFY(reconnect->isVisible());
    // The sign-in is the source's: no Retry this collection, and said so.
    QVERIFY(!errors->findChild<QPushButton *>(QStringLiteral("retryButton"))->isVisible());
    const QString deniedDetails = errors->findChild<QLabel *>(QStringLiteral("detailsLabel"))->text();
    QVERIFY2(deniedDetails.contains(QStringLiteral("the source's sign-in or key, not the")), qPrintable(deniedDetails));

    // Reconnect: Settings > Credentials, Sign in again.
    QTest::mouseClick(reconnect, Qt::LeftButton);
    auto *settings = window.findChild<SettingsPanel *>(QStringLiteral("settingsTab"));
    QCOMPARE(tabs->currentWidget(), settings);
    QVERIFY(settings->credentialsMessage().contains(QStringLiteral("Sign in again")));
    auto *settingsSignIn = settings->signInBox();
    QVERIFY(settingsSignIn->isVisible());
    // One message at a time: the box's older "Signed in to…" is gone.
    QCOMPARE(settingsSignIn->statusText(), QString());
    QVERIFY(!settings->findChild<QLineEdit *>(QStringLiteral("access_tokenCredentialEdit")));
    QCOMPARE(settings->findChild<QLineEdit *>(QStringLiteral("client_secretCredentialEdit"))->placeholderText(),
             QStringLiteral("stored in the keychain"));
    auto *again = settingsSignIn->findChild<QPushButton *>(QStringLiteral("signInButton"));
    QCOMPARE(again->text(), QStringLiteral("Sign in &again"));
    window.setUrlOpener(oauth.browser());
    QTest::mouseClick(again, Qt::LeftButton);
    QCOMPARE(settings->credentialsMessage(), QString()); // a new attempt replaces the Reconnect text
    QTRY_VERIFY_WITH_TIMEOUT(settings->credentialsMessage().startsWith(QStringLiteral("Signed in")), 20000);
    QCOMPARE(settingsSignIn->statusText(), QString()); // "Signed in to …" once, not twice
    const QString newAccess = credentials.read(QStringLiteral("help"), QStringLiteral("access_token")).value();
    QVERIFY(newAccess != access);
    QVERIFY(oauth.isValidAccessToken(newAccess));
    QVERIFY(oauth.isValidRefreshToken(
            credentials.read(QStringLiteral("help"), QStringLiteral("refresh_token")).value()));
    QVERIFY(!settingsSignIn->isSigningIn());
    // The next sync runs on the new sign-in.
    front.setRevoked(false);
    window.findChild<QAction *>(QStringLiteral("actionSyncNow"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 60000);
    QCOMPARE(finished.last().first().value<RunSummary>().status, RunSummary::Status::Succeeded);
    health = sources->model()->index(0, SourceListModel::Health);
    QCOMPARE(health.data().toString(), QStringLiteral("healthy"));
    QVERIFY(!health.data(Qt::ForegroundRole).isValid());
    qunsetenv("TRIBUTARY_OAUTH_PORT");
}

void TestSetupFlow::salesforceWizardFindsCustomObjects()
{
    // Salesforce from the catalog to the first sync: the wizard's address points at the fake (the
    // login host and the instance alike), Sign in with browser keeps the tokens, Test connection
    // uses them, every collection stays ticked ("all"), and Finish with Sync now first asks the org
    // which objects it offers: its custom object invoice__c joins the collections and syncs.
    qputenv("TRIBUTARY_OAUTH_PORT", "0");
    FakeSalesforceServer sf;
    QVERIFY(sf.listen());
    QTemporaryDir home;
    SessionCredentialStore credentials;
    SourceService service(AppPaths(home.path()), credentials);
    service.setKeepSecretsForSession(true);
    QVERIFY(service.load());
    FollowingBrowser browser;
    MainWindow window(service);
    window.setUrlOpener(browser.opener());
    window.show();

    window.findChild<QAction *>(QStringLiteral("actionAddSource"))->trigger();
    CatalogDialog *catalog = nullptr;
    QTRY_VERIFY((catalog = window.findChild<CatalogDialog *>()) != nullptr);
    QTest::keyClicks(catalog->findChild<QLineEdit *>(QStringLiteral("searchEdit")), QStringLiteral("salesforce"));
    QCOMPARE(catalog->filterModel()->rowCount(), 1);
    QTest::mouseClick(catalog->findChild<QPushButton *>(QStringLiteral("configureButton")), Qt::LeftButton);
    SetupWizard *wizard = nullptr;
    QTRY_VERIFY((wizard = window.findChild<SetupWizard *>()) != nullptr);
    wizard->findChild<QLineEdit *>(QStringLiteral("nameEdit"))->setText(QStringLiteral("sf"));
    wizard->findChild<QLineEdit *>(QStringLiteral("schemaEdit"))->setText(QStringLiteral("sf"));
    wizard->findChild<QLineEdit *>(QStringLiteral("baseUrlEdit"))->setText(sf.baseUrl().toString());
    wizard->next();
    QCOMPARE(wizard->currentId(), int(SetupWizard::CredentialsPage));

    // Where to sign in: My Domain needs its name.
    auto *login = wizard->findChild<QComboBox *>(QStringLiteral("loginCombo"));
    auto *credentialsMessage = wizard->findChild<QLabel *>(QStringLiteral("credentialsMessageLabel"));
    QVERIFY(login);
    QCOMPARE(login->currentIndex(), 0); // Production
    login->setCurrentIndex(2);
    wizard->next();
    QCOMPARE(wizard->currentId(), int(SetupWizard::CredentialsPage));
    QVERIFY2(credentialsMessage->text().contains(QStringLiteral("My Domain")), qPrintable(credentialsMessage->text()));
    login->setCurrentIndex(0);
    QTest::keyClicks(wizard->findChild<QLineEdit *>(QStringLiteral("client_idEdit")), sf.clientId());
    QTest::keyClicks(wizard->findChild<QLineEdit *>(QStringLiteral("client_secretEdit")), sf.clientSecret());
    auto *signInBox = wizard->findChild<SignInBox *>(QStringLiteral("signInBox"));
    QVERIFY(signInBox && signInBox->isVisible());
    auto *status = signInBox->findChild<QLabel *>(QStringLiteral("signInStatusLabel"));
    // One sign-in is enough, whatever the code holds: the Salesforce fake's base64 codes often
    // carry '/' or '+' (a code without them would prove nothing, so sign in until one has them,
    // and require every sign-in to succeed at once).
    for (int attempt = 1;; ++attempt) {
        QTest::mouseClick(signInBox->findChild<QPushButton *>(QStringLiteral("signInButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!signInBox->isSigningIn(), 20000);
        QVERIFY2(status->text().startsWith(QStringLiteral("Signed in")), qPrintable(status->text()));
        if (browser.lastCode().contains(QLatin1String("%2F")) || browser.lastCode().contains(QLatin1String("%2B")))
            break;
        QVERIFY2(attempt < 20, "the fake never issued a code with '/' or '+'");
    }
    QVERIFY(wizard->isSignedIn());
    QTest::mouseClick(wizard->findChild<QPushButton *>(QStringLiteral("testConnectionButton")), Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(credentialsMessage->text().startsWith(QStringLiteral("Connected")),
                              qPrintable(credentialsMessage->text()), 20000);
    wizard->next();
    QCOMPARE(wizard->currentId(), int(SetupWizard::CollectionsPage));
    QVERIFY(wizard->allCollectionsChecked());
    QVERIFY(!wizard->checkedCollections().contains(QStringLiteral("invoice__c"))); // not known yet
    wizard->next();
    wizard->next();
    wizard->next();
    QCOMPARE(wizard->currentId(), int(SetupWizard::SummaryPage));
    const QString summary = wizard->findChild<QLabel *>(QStringLiteral("summaryLabel"))->text();
    QVERIFY2(summary.contains(QStringLiteral("custom objects Salesforce offers")), qPrintable(summary));
    QVERIFY(wizard->findChild<QCheckBox *>(QStringLiteral("syncNowCheck"))->isChecked());
    sf.clearRequests();
    QSignalSpy finished(window.coordinator(), &RunCoordinator::finished);
    wizard->accept();
    auto *note = window.findChild<QLabel *>(QStringLiteral("collectionsNoteLabel"));
    QVERIFY(note);
    QVERIFY2(note->text().startsWith(QStringLiteral("Asking Salesforce")), qPrintable(note->text()));
    QVERIFY(!window.findChild<QAction *>(QStringLiteral("actionSyncNow"))->isEnabled());

    // The run includes the custom object, found with one describeGlobal call before it.
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const auto run = finished.first().first().value<RunSummary>();
    QCOMPARE(run.status, RunSummary::Status::Succeeded);
    QVERIFY(sf.requestCount(FakeSalesforceServer::Endpoint::DescribeGlobal) >= 1);
    int invoices = -1;
    for (const auto &c : run.collections) {
        if (c.name == QLatin1String("invoice__c"))
            invoices = c.records;
    }
    QCOMPARE(invoices, sf.count(QStringLiteral("Invoice__c")));
    QVERIFY(invoices > 0);
    QCOMPARE(note->text(),
             QStringLiteral("Found 1 custom object: invoice__c. They sync with the standard collections."));
    QVERIFY(note->isVisible());
    const SourceConfig *source = service.config().source(QStringLiteral("sf"));
    QVERIFY(source);
    QVERIFY(source->collections.contains(QStringLiteral("invoice__c")));
    QVERIFY(source->collections.contains(QStringLiteral("accounts")));
    // Settings lists it, ticked.
    auto *settings = window.findChild<SettingsPanel *>(QStringLiteral("settingsTab"));
    const auto listed = settings->findChild<QListWidget *>(QStringLiteral("collectionsList"))
                                ->findItems(QStringLiteral("invoice__c"), Qt::MatchExactly);
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed.first()->checkState(), Qt::Checked);

    // The table sf.invoice__c has the rows, as the Data tab shows.
    auto *data = window.findChild<DataPanel *>(QStringLiteral("dataTab"));
    window.findChild<QTabWidget *>(QStringLiteral("sourceTabs"))->setCurrentWidget(data);
    QTRY_VERIFY(data->tablesModel()->rowCount() > 0);
    QStringList tables;
    for (int r = 0; r < data->tablesModel()->rowCount(); ++r)
        tables.append(data->tablesModel()->index(r, 0).data().toString() + QLatin1Char('=')
                      + data->tablesModel()->index(r, 1).data().toString());
    QVERIFY2(tables.contains(QStringLiteral("sf_invoice__c=%1").arg(invoices)),
             qPrintable(tables.join(QLatin1Char(' '))));

    // The tokens are in the credential store; the configuration only refers to them.
    const QString access = credentials.read(QStringLiteral("sf"), QStringLiteral("access_token")).value();
    const QString refresh = credentials.read(QStringLiteral("sf"), QStringLiteral("refresh_token")).value();
    QVERIFY(sf.isValidAccessToken(access));
    QVERIFY(sf.isValidRefreshToken(refresh));
    QCOMPARE(source->settings.value(QStringLiteral("access_token")), QStringLiteral("keychain:"));
    QCOMPARE(source->settings.value(QStringLiteral("refresh_token")), QStringLiteral("keychain:"));
    QCOMPARE(source->settings.value(QStringLiteral("login_url")), QStringLiteral("https://login.salesforce.com"));
    QFile config(home.filePath(QStringLiteral("config.json")));
    QVERIFY(config.open(QIODevice::ReadOnly));
    const QByteArray configText = config.readAll();
    QVERIFY(!configText.contains(access.toUtf8()));
    QVERIFY(!configText.contains(refresh.toUtf8()));
    QVERIFY(!configText.contains(sf.clientSecret().toUtf8()));
    qunsetenv("TRIBUTARY_OAUTH_PORT");
}

void TestSetupFlow::signInHelp()
{
    // The help page names where each provider keeps its OAuth clients and the callback to register.
    SignInHelpDialog dialog(QStringLiteral("zendesk"));
    QCOMPARE(dialog.currentProvider(), QStringLiteral("zendesk"));
    const QString zendesk = SignInHelpDialog::helpText(QStringLiteral("zendesk"));
    QVERIFY(zendesk.contains(QStringLiteral("OAuth Clients &gt; Add OAuth client")));
    QVERIFY(zendesk.contains(QStringLiteral("http://127.0.0.1:8765/callback")));
    const QString salesforce = SignInHelpDialog::helpText(QStringLiteral("salesforce"));
    QVERIFY(salesforce.contains(QStringLiteral("App Manager &gt; New Connected App")));
    QVERIFY(salesforce.contains(QStringLiteral("refresh_token, offline_access")));
    QVERIFY(salesforce.contains(QStringLiteral("PKCE")));
    QVERIFY(salesforce.contains(QStringLiteral("http://127.0.0.1:8765/callback")));
    QCOMPARE(SignInHelpDialog(QStringLiteral("salesforce")).currentProvider(), QStringLiteral("salesforce"));
    // The fields as each form names them.
    QVERIFY(salesforce.contains(QStringLiteral("<i>Consumer key</i>")));
    QVERIFY(salesforce.contains(QStringLiteral("<i>Consumer secret</i>")));
    QVERIFY(!salesforce.contains(QStringLiteral("OAuth client id")));
    QVERIFY(zendesk.contains(QStringLiteral("<i>OAuth client id</i>")));
    SignInBox box;
    box.setOAuthProvider(QStringLiteral("salesforce"));
    QCOMPARE(box.findChild<QPushButton *>(QStringLiteral("signInHelpButton"))->text(),
             QStringLiteral("Where do I get the Consumer key?"));
}

void TestSetupFlow::credentialsStepFitsTheConnector()
{
    QTemporaryDir home;
    SessionCredentialStore credentials;
    SourceService service(AppPaths(home.path()), credentials);
    QVERIFY(service.load());
    {
        // The Sample Store: no key, no network, no API address: its step holds options only.
        SetupWizard wizard(service, QStringLiteral("sample"));
        wizard.show();
        QVERIFY(wizard.findChild<QLineEdit *>(QStringLiteral("baseUrlEdit"))->isHidden());
        QVERIFY(wizard.findChild<QLabel *>(QStringLiteral("baseUrlLabel"))->isHidden());
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::CredentialsPage));
        const QWizardPage *page = wizard.currentPage();
        QCOMPARE(page->title(), QStringLiteral("Options"));
        QVERIFY2(!page->subTitle().contains(QStringLiteral("key"))
                         && !page->subTitle().contains(QStringLiteral("env:")),
                 qPrintable(page->subTitle()));
        QVERIFY(!wizard.findChild<QPushButton *>(QStringLiteral("testConnectionButton"))->isVisible());
        QCOMPARE(wizard.findChild<QLineEdit *>(QStringLiteral("seedEdit"))->placeholderText(),
                 QStringLiteral("optional"));
    }
    {
        // Stripe: a key, its API address and Test connection.
        SetupWizard wizard(service, QStringLiteral("stripe"));
        wizard.show();
        QVERIFY(wizard.findChild<QLineEdit *>(QStringLiteral("baseUrlEdit"))->isVisible());
        wizard.next();
        QCOMPARE(wizard.currentPage()->title(), QStringLiteral("Credentials"));
        QVERIFY(wizard.currentPage()->subTitle().contains(QStringLiteral("env:STRIPE_KEY")));
        QVERIFY(wizard.findChild<QPushButton *>(QStringLiteral("testConnectionButton"))->isVisible());
    }
    {
        // Zendesk: the email and API token go together, unless the user signs in; never "optional".
        SetupWizard wizard(service, QStringLiteral("zendesk"));
        wizard.show();
        wizard.next();
        const QString email = wizard.findChild<QLineEdit *>(QStringLiteral("emailEdit"))->placeholderText();
        const QString token = wizard.findChild<QLineEdit *>(QStringLiteral("api_tokenEdit"))->placeholderText();
        const QString clientId = wizard.findChild<QLineEdit *>(QStringLiteral("client_idEdit"))->placeholderText();
        QCOMPARE(email, QStringLiteral("with the API token, unless you sign in with the browser"));
        QCOMPARE(token, QStringLiteral("with the Admin email, unless you sign in with the browser"));
        QCOMPARE(clientId, QStringLiteral("needed to sign in with the browser"));
    }
    {
        // Salesforce with an API address: the sign-in goes there, and the step says so.
        SetupWizard wizard(service, QStringLiteral("salesforce"));
        wizard.show();
        wizard.findChild<QLineEdit *>(QStringLiteral("baseUrlEdit"))->setText(QStringLiteral("http://127.0.0.1:9911"));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::CredentialsPage));
        QCOMPARE(wizard.findChild<QLineEdit *>(QStringLiteral("client_idEdit"))->placeholderText(),
                 QStringLiteral("needed to sign in with the browser"));
        auto *address = wizard.findChild<QLabel *>(QStringLiteral("signInAddressLabel"));
        QVERIFY(address && address->isVisible());
        QVERIFY2(address->text().startsWith(QStringLiteral("Sign in at http://127.0.0.1:9911")),
                 qPrintable(address->text()));
        wizard.back();
        wizard.findChild<QLineEdit *>(QStringLiteral("baseUrlEdit"))->clear();
        wizard.next();
        QVERIFY(!address->isVisible()); // no address: Production, Sandbox or My Domain decides
    }
}

void TestSetupFlow::sampleSourceIntoPostgres()
{
    // The wizard's warehouse step against the real PostgreSQL server of scripts/test.sh: a wrong
    // password is told apart, the right one connects, and the synced tables show in the Data tab.
    TRIBUTARY_TEST_PG_URL_OR_SKIP(url);
    QUrl parsed(url);
    const QString password = parsed.password();
    parsed.setPassword(QString());
    QTemporaryDir home;
    SessionCredentialStore credentials;
    SourceService service(AppPaths(home.path()), credentials);
    service.setKeepSecretsForSession(true);
    QVERIFY(service.load());
    MainWindow window(service);
    window.show();
    window.findChild<QAction *>(QStringLiteral("actionAddSource"))->trigger();
    CatalogDialog *catalog = nullptr;
    QTRY_VERIFY((catalog = window.findChild<CatalogDialog *>()) != nullptr);
    QTest::keyClicks(catalog->findChild<QLineEdit *>(QStringLiteral("searchEdit")), QStringLiteral("sample"));
    QTest::mouseClick(catalog->findChild<QPushButton *>(QStringLiteral("configureButton")), Qt::LeftButton);
    SetupWizard *wizard = nullptr;
    QTRY_VERIFY((wizard = window.findChild<SetupWizard *>()) != nullptr);
    const QString schema = QStringLiteral("wiz_%1").arg(QCoreApplication::applicationPid());
    wizard->findChild<QLineEdit *>(QStringLiteral("schemaEdit"))->setText(schema);
    wizard->next();
    wizard->next();
    wizard->next();
    wizard->next();
    QCOMPARE(wizard->currentId(), int(SetupWizard::WarehousePage));
    wizard->findChild<QRadioButton *>(QStringLiteral("postgresRadio"))->setChecked(true);
    wizard->findChild<QLineEdit *>(QStringLiteral("postgresUrlEdit"))->setText(parsed.toString());
    auto *message = wizard->findChild<QLabel *>(QStringLiteral("warehouseMessageLabel"));
    wizard->next(); // not tested yet: refused
    QCOMPARE(wizard->currentId(), int(SetupWizard::WarehousePage));
    auto *passwordEdit = wizard->findChild<QLineEdit *>(QStringLiteral("postgresPasswordEdit"));
    auto *test = wizard->findChild<QPushButton *>(QStringLiteral("testWarehouseButton"));
    passwordEdit->setText(QStringLiteral("wrong-password"));
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled() && !message->text().startsWith(QStringLiteral("Connecting")), 20000);
    QVERIFY2(!message->text().startsWith(QStringLiteral("Connected")), qPrintable(message->text()));
    passwordEdit->setText(password);
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(message->text().startsWith(QStringLiteral("Connected: PostgreSQL")), 20000);
    wizard->next();
    QCOMPARE(wizard->currentId(), int(SetupWizard::SummaryPage));
    QSignalSpy finished(window.coordinator(), &RunCoordinator::finished);
    wizard->accept();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const auto summary = finished.first().first().value<RunSummary>();
    QCOMPARE(summary.status, RunSummary::Status::Succeeded);
    QVERIFY(service.config().warehouseUrl().startsWith(QStringLiteral("postgresql://")));
    QVERIFY(!QFile(home.filePath(QStringLiteral("config.json"))).open(QIODevice::ReadOnly)
            || !QFile(home.filePath(QStringLiteral("config.json"))).readAll().contains(password.toUtf8()));
    auto *data = window.findChild<DataPanel *>(QStringLiteral("dataTab"));
    window.findChild<QTabWidget *>(QStringLiteral("sourceTabs"))->setCurrentWidget(data);
    QTRY_COMPARE_WITH_TIMEOUT(data->tablesModel()->rowCount(), 5, 20000);
    QVERIFY(data->tablesModel()->index(0, 0).data().toString().startsWith(schema + QLatin1Char('.')));
    QTRY_VERIFY(data->rowsModel()->rowCount() > 0);
    // The password went to the credential store, not the configuration.
    QCOMPARE(service.config().warehousePassword(), QStringLiteral("keychain:"));
}

QTEST_MAIN(TestSetupFlow)
#include "TestSetupFlow.moc"
