#!/usr/bin/env bash
# Renders each main screen of the app to docs/screenshots/*.png under a private Xvfb display.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
cmake --preset debug >/dev/null
cmake --build --preset debug --target screenshot-tour
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1440x900x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null' EXIT
sleep 1
DISPLAY=$display QT_QPA_PLATFORM=xcb build/debug/tests/gui/screenshot-tour docs/screenshots
