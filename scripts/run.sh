#!/usr/bin/env bash
# Installs what is missing, builds Tributary (release) and starts the desktop app on the
# embedded SQLite warehouse. Extra arguments go to tributary (e.g. --home DIR, or a CLI command).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target tributary
exec build/release/src/tributary "$@"
