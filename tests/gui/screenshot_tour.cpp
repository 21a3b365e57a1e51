// Renders each main screen of the real window to PNG files, for docs/screenshots (see
// scripts/screenshots.sh, which runs this under Xvfb). Data comes from the fake Stripe.
#include "app/CredentialStore.h"
#include "app/RunCoordinator.h"
#include "app/SourceService.h"
#include "fakes/FakeOAuthServer.h"
#include "fakes/FakeStripeServer.h"
#include "gui/CatalogDialog.h"
#include "gui/MainWindow.h"
#include "gui/SettingsPanel.h"
#include "gui/SetupWizard.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QEventLoop>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>

using namespace tributary;

namespace {

void settle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

bool save(QWidget *widget, const QString &folder, const QString &name)
{
    settle(300);
    const bool ok = widget->grab().save(folder + QLatin1Char('/') + name + QStringLiteral(".png"));
    qInfo("%s %s", ok ? "wrote" : "FAILED", qPrintable(folder + QLatin1Char('/') + name + QStringLiteral(".png")));
    return ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tributary-screenshots"));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("docs/screenshots");
    QDir().mkpath(out);

    test::FakeStripeServer fake;
    fake.listen();
    fake.populate(120, 5);
    const QString key = QStringLiteral("rk_test_tour1");
    QStringList allowed = test::FakeStripeServer::resources();
    allowed.removeAll(QStringLiteral("disputes"));
    fake.addRestrictedKey(key, allowed);
    qputenv("TOUR_STRIPE_KEY", key.toUtf8());

    QTemporaryDir home;
    SessionCredentialStore credentials;
    SourceService service(AppPaths(home.path()), credentials);
    (void)service.load();
    SourceService::AddRequest request;
    request.connector = QStringLiteral("stripe");
    request.name = QStringLiteral("acme-stripe");
    request.baseUrl = fake.baseUrl();
    request.settings.insert(QStringLiteral("api_key"), QStringLiteral("env:TOUR_STRIPE_KEY"));
    (void)service.addSource(request);

    MainWindow window(service);
    window.resize(1280, 760);
    window.show();
    bool ok = true;

    window.findChild<QAction *>(QStringLiteral("actionAddSource"))->trigger();
    settle(200);
    if (auto *catalog = window.findChild<CatalogDialog *>()) {
        ok &= save(catalog, out, QStringLiteral("catalog"));
        catalog->findChild<QLineEdit *>(QStringLiteral("searchEdit"))->setText(QStringLiteral("stripe"));
        catalog->findChild<QPushButton *>(QStringLiteral("configureButton"))->click();
        settle(200);
        if (auto *wizard = window.findChild<SetupWizard *>()) {
            wizard->findChild<QLineEdit *>(QStringLiteral("nameEdit"))->setText(QStringLiteral("second-stripe"));
            wizard->findChild<QLineEdit *>(QStringLiteral("baseUrlEdit"))->setText(fake.baseUrl().toString());
            wizard->next();
            wizard->next();
            if (auto *key = wizard->findChild<QLineEdit *>(QStringLiteral("api_keyEdit")))
                key->setText(QStringLiteral("env:TOUR_STRIPE_KEY"));
            wizard->next();
            ok &= save(wizard, out, QStringLiteral("wizard-collections"));
            wizard->reject();
            delete wizard; // before the next one: no event loop of this level deletes it later
        }
        delete catalog;
    }

    // Zendesk's credentials step after Sign in with browser (a fake authorization server and browser).
    test::FakeOAuthServer oauth;
    oauth.listen();
    oauth.addClient(QStringLiteral("tributary_desktop"), QStringLiteral("zd-secret"));
    qputenv("TRIBUTARY_OAUTH_PORT", "0");
    window.setUrlOpener(oauth.browser());
    window.findChild<QAction *>(QStringLiteral("actionAddSource"))->trigger();
    settle(200);
    if (auto *catalog = window.findChild<CatalogDialog *>()) {
        catalog->findChild<QLineEdit *>(QStringLiteral("searchEdit"))->setText(QStringLiteral("zendesk"));
        catalog->findChild<QPushButton *>(QStringLiteral("configureButton"))->click();
        settle(200);
        if (auto *wizard = window.findChild<SetupWizard *>()) {
            wizard->findChild<QLineEdit *>(QStringLiteral("baseUrlEdit"))->setText(oauth.baseUrl().toString());
            wizard->next();
            wizard->findChild<QLineEdit *>(QStringLiteral("subdomainEdit"))->setText(QStringLiteral("acme"));
            wizard->findChild<QLineEdit *>(QStringLiteral("client_idEdit"))
                    ->setText(QStringLiteral("tributary_desktop"));
            wizard->findChild<QLineEdit *>(QStringLiteral("client_secretEdit"))->setText(QStringLiteral("zd-secret"));
            wizard->findChild<QPushButton *>(QStringLiteral("signInButton"))->click();
            for (int i = 0; i < 50 && !wizard->isSignedIn(); ++i)
                settle(100);
            ok &= wizard->isSignedIn() && save(wizard, out, QStringLiteral("wizard-sign-in"));
            wizard->reject();
        }
    }

    // Two runs for the history; the second one shows live progress part-way.
    for (int run = 0; run < 2; ++run) {
        QEventLoop loop;
        QObject::connect(window.coordinator(), &RunCoordinator::finished, &loop, &QEventLoop::quit);
        if (run == 1) {
            fake.createObject(QStringLiteral("customers"));
            fake.setSlow(QStringLiteral("events"), 2500);
            QTimer::singleShot(1200, &window, [&] { ok &= save(&window, out, QStringLiteral("progress")); });
        }
        window.findChild<QAction *>(QStringLiteral("actionSyncNow"))->trigger();
        loop.exec();
    }
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("sourceTabs"));
    const QStringList names {QStringLiteral("progress-finished"), QStringLiteral("errors"), QStringLiteral("history"),
                             QStringLiteral("data"), QStringLiteral("settings")};
    for (int i = 0; i < tabs->count() && i < names.size(); ++i) {
        tabs->setCurrentIndex(i);
        if (names.at(i) == QLatin1String("data")) {
            settle(500);
            auto *combo = tabs->currentWidget()->findChild<QComboBox *>(QStringLiteral("queryCombo"));
            if (combo && combo->count() > 0) {
                combo->setCurrentIndex(qMax(0, combo->findText(QStringLiteral("Revenue by month (Stripe)"))));
                tabs->currentWidget()->findChild<QPushButton *>(QStringLiteral("runQueryButton"))->click();
            }
        }
        ok &= save(&window, out, names.at(i));
    }
    // Settings > Credentials, as Reconnect opens it.
    if (auto *settings = window.findChild<SettingsPanel *>(QStringLiteral("settingsTab"))) {
        tabs->setCurrentWidget(settings);
        settings->showCredentials();
        ok &= save(&window, out, QStringLiteral("settings-credentials"));
    }
    return ok ? 0 : 1;
}
