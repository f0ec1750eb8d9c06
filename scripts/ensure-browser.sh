#!/usr/bin/env bash
# The ops console's browser test drives Debian's chromium-headless-shell through playwright-core
# (Playwright's own browser download needs the internet; the Debian package needs only apt).
# `npm test` runs this first, so a fresh machine needs no manual step. CHROMIUM_PATH overrides.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium-headless-shell}"
[ -x "$browser" ] && exit 0
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Installing chromium-headless-shell needs root or sudo (or set CHROMIUM_PATH)" >&2; exit 1; }
  sudo="sudo"
fi
command -v apt-get >/dev/null || { echo "No apt-get: install a headless Chromium and set CHROMIUM_PATH" >&2; exit 1; }
echo "Installing Debian's chromium-headless-shell for the ops console's browser test…"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium-headless-shell >/dev/null
[ -x "$browser" ] || { echo "chromium-headless-shell installed, but $browser is missing" >&2; exit 1; }
