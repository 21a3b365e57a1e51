// The wizard's warehouse step, revisited from File > Warehouse: against the real PostgreSQL server
// of scripts/test.sh (a wrong password told apart, the right one connects and is kept out of the
// configuration file), back to the embedded file, and refused while a run goes.
#include "PgTestServer.h"
#include "app/CredentialStore.h"
#include "app/SourceService.h"
#include "gui/MainWindow.h"
#include "gui/WarehouseDialog.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QRadioButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace tributary;

class TestWarehouseDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void postgresThenBackToTheFile();
    void refusedWhileARunGoes();
    void reachableFromTheFileMenu();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SessionCredentialStore> m_store;
    std::unique_ptr<SourceService> m_service;
};

void TestWarehouseDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<SessionCredentialStore>();
    m_service = std::make_unique<SourceService>(AppPaths(m_dir->path()), *m_store);
    m_service->setKeepSecretsForSession(true);
    QVERIFY(m_service->load().ok());
}

void TestWarehouseDialog::postgresThenBackToTheFile()
{
    TRIBUTARY_TEST_PG_URL_OR_SKIP(serverUrl);
    QUrl parsed(serverUrl);
    const QString password = parsed.password();
    parsed.setPassword(QString());
    const QString url = parsed.toString();

    WarehouseDialog dialog(*m_service, false);
    dialog.show();
    auto *message = dialog.findChild<QLabel *>(QStringLiteral("messageLabel"));
    auto *urlEdit = dialog.findChild<QLineEdit *>(QStringLiteral("postgresUrlEdit"));
    auto *passwordEdit = dialog.findChild<QLineEdit *>(QStringLiteral("postgresPasswordEdit"));
    QVERIFY(dialog.findChild<QRadioButton *>(QStringLiteral("embeddedRadio"))->isChecked());
    QVERIFY(!urlEdit->isEnabled());
    dialog.findChild<QRadioButton *>(QStringLiteral("postgresRadio"))->click();
    QVERIFY(urlEdit->isEnabled());
    QTest::keyClicks(urlEdit, url);
    QTest::keyClicks(passwordEdit, QStringLiteral("not-the-password"));
    auto *test = dialog.findChild<QPushButton *>(QStringLiteral("testButton"));
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled(), 20000);
    QVERIFY2(message->text().contains(QStringLiteral("password"), Qt::CaseInsensitive), qPrintable(message->text()));
    passwordEdit->clear();
    QTest::keyClicks(passwordEdit, password);
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled(), 20000);
    QVERIFY2(message->text().startsWith(QStringLiteral("Connected: PostgreSQL")), qPrintable(message->text()));

    dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(m_service->config().warehouseUrl(), url);
    QCOMPARE(m_store->read(QStringLiteral("warehouse"), QStringLiteral("password")).value(), password);
    QFile config(AppPaths(m_dir->path()).configFile());
    QVERIFY(config.open(QIODevice::ReadOnly));
    QVERIFY(!config.readAll().contains(password.toUtf8()));

    // Opened again: the server is shown, the password is kept unless replaced.
    WarehouseDialog again(*m_service, false);
    QCOMPARE(again.findChild<QLineEdit *>(QStringLiteral("postgresUrlEdit"))->text(), url);
    again.findChild<QRadioButton *>(QStringLiteral("embeddedRadio"))->click();
    again.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
    QCOMPARE(m_service->config().warehouseUrl(), AppPaths(m_dir->path()).defaultWarehouseUrl());
}

void TestWarehouseDialog::refusedWhileARunGoes()
{
    WarehouseDialog dialog(*m_service, true);
    QVERIFY(!dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->isEnabled());
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("messageLabel"))->text().contains(QStringLiteral("running")));
}

void TestWarehouseDialog::reachableFromTheFileMenu()
{
    SourceService::AddRequest shop;
    shop.connector = QStringLiteral("sample");
    shop.name = QStringLiteral("shop");
    QVERIFY(m_service->addSource(shop).ok());
    MainWindow window(*m_service);
    auto *action = window.findChild<QAction *>(QStringLiteral("actionWarehouse"));
    QVERIFY(action);
    bool inFileMenu = false;
    for (QAction *menu : window.menuBar()->actions()) {
        if (menu->menu() && menu->menu()->actions().contains(action))
            inFileMenu = menu->menu()->objectName() == QLatin1String("fileMenu");
    }
    QVERIFY(inFileMenu);
    // And from the source's Settings tab, where the other setup steps are revisited.
    QVERIFY(window.findChild<QPushButton *>(QStringLiteral("warehouseButton")));
    bool opened = false;
    QTimer::singleShot(0, &window, [&] {
        if (auto *dialog = window.findChild<WarehouseDialog *>()) {
            opened = true;
            dialog->reject();
        }
    });
    auto *button = window.findChild<QPushButton *>(QStringLiteral("warehouseButton"));
    QTRY_VERIFY(button->isEnabled());
    button->click();
    QVERIFY(opened);
}

QTEST_MAIN(TestWarehouseDialog)
#include "TestWarehouseDialog.moc"
