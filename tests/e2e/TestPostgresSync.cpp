// The real CLI syncing a Stripe-shaped fake into a real PostgreSQL server (TRIBUTARY_TEST_PG_URL,
// started by scripts/test.sh): writes overlap the next pages there, so this checks that a
// warehouse dying mid-run still ends the run as aborted (exit 5) with whole pages only, and that
// the next run resumes from the last committed page with nothing lost or twice.
#include "CliProcess.h"
#include "PgTestServer.h"
#include "core/Identifier.h"
#include "fakes/FakeStripeServer.h"
#include "warehouse/PostgresConnection.h"

#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QUuid>

#include <memory>

using namespace tributary;
using namespace tributary::test;
using namespace Qt::StringLiterals;

namespace {

const QString kKey = u"sk_test_pgE2eKey"_s;

} // namespace

class TestPostgresSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void warehouseDiesMidRunAndTheNextRunResumes();

private:
    QString scalar(const QString &sql);

    QUrl m_server; // the superuser's URL, with password
    QString m_database;
    std::unique_ptr<PostgresConnection> m_admin; // to m_database
};

void TestPostgresSync::initTestCase()
{
    TRIBUTARY_TEST_PG_URL_OR_SKIP(url);
    m_server = QUrl(url);
    m_database = u"tributary_e2e_"_s + QUuid::createUuid().toString(QUuid::Id128).left(12);
    PostgresConnection server;
    QVERIFY2(server.connect(url, {}), qPrintable(server.failure().message));
    QVERIFY2(server.exec(u"CREATE DATABASE "_s + Identifier::quote(m_database)), qPrintable(server.failure().message));
    QUrl db = m_server;
    db.setPath(u"/"_s + m_database);
    m_admin = std::make_unique<PostgresConnection>();
    QVERIFY2(m_admin->connect(db.toString(), {}), qPrintable(m_admin->failure().message));
}

void TestPostgresSync::cleanupTestCase()
{
    m_admin.reset();
    if (m_database.isEmpty())
        return;
    PostgresConnection server;
    if (server.connect(m_server.toString(), {}))
        (void)server.exec(u"DROP DATABASE IF EXISTS "_s + Identifier::quote(m_database) + u" WITH (FORCE)"_s);
}

QString TestPostgresSync::scalar(const QString &sql)
{
    PostgresConnection::Rows rows;
    if (!m_admin->exec(sql, &rows) || rows.rowCount() < 1)
        return u"<failed: %1>"_s.arg(m_admin->failure().message);
    return rows.text(0, 0);
}

void TestPostgresSync::warehouseDiesMidRunAndTheNextRunResumes()
{
    QTemporaryDir home;
    FakeStripeServer fake;
    QVERIFY(fake.listen());
    fake.addKey(kKey);
    fake.populate(QHash<QString, int> {{u"customers"_s, 1500}}, 11);
    fake.setSlow(u"customers"_s, 80);
    CliProcess cli(home.path());
    cli.setEnv(u"STRIPE_KEY"_s, kKey);
    cli.setEnv(u"PG_PASSWORD"_s, m_server.password());
    QUrl warehouse = m_server;
    warehouse.setPassword({});
    warehouse.setPath(u"/"_s + m_database);
    const auto set
            = cli.run({u"warehouse"_s, u"set"_s, warehouse.toString(), u"--set"_s, u"password=env:PG_PASSWORD"_s});
    QVERIFY2(set.exitCode == 0, set.err.constData());
    const auto added = cli.run({u"source"_s, u"add"_s, u"stripe"_s, u"--name"_s, u"shop"_s, u"--base-url"_s,
                                fake.baseUrl().toString(), u"--set"_s, u"api_key=env:STRIPE_KEY"_s, u"--collections"_s,
                                u"customers"_s});
    QVERIFY2(added.exitCode == 0, added.err.constData());

    // Some pages in, the server ends every session of the database: the write in flight (or the
    // next one) fails.
    std::unique_ptr<QProcess> sync(cli.start({u"sync"_s, u"shop"_s, u"--json"_s}));
    QVERIFY(sync->waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(fake.requestCount(u"/v1/customers"_s) >= 6, 30000);
    QCOMPARE(scalar(u"SELECT count(*) > 0 FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()) t"_s),
             u"t"_s);
    QTRY_VERIFY_WITH_TIMEOUT(sync->state() == QProcess::NotRunning, 60000);
    const QByteArray out = sync->readAllStandardOutput();
    QCOMPARE(sync->exitCode(), 5);
    const QJsonObject summary = QJsonDocument::fromJson(out).object();
    QCOMPARE(summary.value(u"status"_s).toString(), u"aborted"_s);
    QCOMPARE(summary.value(u"error"_s).toObject().value(u"kind"_s).toString(), u"warehouse"_s);

    // Whole pages only, and the cursor says exactly which.
    const int committed = scalar(u"SELECT count(*) FROM stripe.customers"_s).toInt();
    QVERIFY2(committed < 1500, qPrintable(QString::number(committed)));
    QCOMPARE(committed % 100, 0);
    qInfo("%d of 1500 rows committed before the warehouse died", committed);

    fake.setSlow(u"customers"_s, 0);
    fake.clearRequests();
    const auto again = cli.run({u"sync"_s, u"shop"_s, u"--json"_s});
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QCOMPARE(scalar(u"SELECT count(*) FROM stripe.customers"_s), u"1500"_s);
    QCOMPARE(scalar(u"SELECT count(DISTINCT id) FROM stripe.customers"_s), u"1500"_s);
    QCOMPARE(fake.requestCount(u"/v1/customers"_s), (1500 - committed) / 100);
}

QTEST_GUILESS_MAIN(TestPostgresSync)
#include "TestPostgresSync.moc"
