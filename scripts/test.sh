#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs the whole suite inside a
# private D-Bus session with an unlocked gnome-keyring (the real OS keychain) and offscreen Qt.
# A private PostgreSQL server (scripts/pg-test-server.sh) runs for the PostgreSQL warehouse suite
# and is stopped afterwards. Extra arguments go to ctest (e.g. -R Stripe).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --test
cmake --preset debug >/dev/null
cmake --build --preset debug

export QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 LC_ALL=C.UTF-8
ctest_args=(--test-dir build/debug --output-on-failure --timeout 600 "$@")
eval "$(scripts/pg-test-server.sh start)" # exports TRIBUTARY_TEST_PG_URL
trap 'scripts/pg-test-server.sh stop' EXIT
# shellcheck disable=SC2016
dbus-run-session -- sh -c '
    echo -n tributary-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
    exec ctest "$@"' ctest "${ctest_args[@]}"
