#!/usr/bin/env bash
# Installs what Tributary needs from Debian's packages, only what is missing.
#   scripts/setup.sh          build and run dependencies
#   scripts/setup.sh --test   also what the test suite needs (Xvfb, D-Bus, gnome-keyring, PostgreSQL)
set -euo pipefail

build_packages=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-networkauth-dev qt6-httpserver-dev qt6-websockets-dev
    qtkeychain-qt6-dev libqt6sql6-sqlite libqt6sql6-psql qt6-charts-dev qt6-svg-dev libqt6svg6
    qt6-l10n-tools qt6-tools-dev libpq-dev libsimdjson-dev
)
test_packages=(xvfb xauth dbus-x11 gnome-keyring postgresql systemd)

wanted=("${build_packages[@]}")
if [[ "${1:-}" == "--test" ]]; then
    wanted+=("${test_packages[@]}")
fi

missing=()
for p in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

echo "Installing: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
