#pragma once

// The PostgreSQL server of a test run: scripts/test.sh starts a private one
// (scripts/pg-test-server.sh) and exports its superuser URL, with password, as
// TRIBUTARY_TEST_PG_URL.

#include <QString>
#include <QTest>

// In a test function: declares `const QString name` holding the server's URL. Without a server
// the test is skipped, or fails under CI=true, where scripts/test.sh must have started one.
#define TRIBUTARY_TEST_PG_URL_OR_SKIP(name) \
    const QString name = qEnvironmentVariable("TRIBUTARY_TEST_PG_URL"); \
    do { \
        if (name.isEmpty()) { \
            if (qEnvironmentVariable("CI") == QLatin1String("true")) \
                QFAIL("TRIBUTARY_TEST_PG_URL is not set under CI: scripts/test.sh starts the server"); \
            QSKIP("TRIBUTARY_TEST_PG_URL is not set: run scripts/test.sh, or eval \"$(scripts/pg-test-server.sh " \
                  "start)\""); \
        } \
    } while (false)
