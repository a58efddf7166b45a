#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian 12 machine with Python 3.11:
# the Debian packages the app, its tests and its exports use, and a virtualenv in .venv.
# Sourced by run.sh and test.sh; safe to run again (it only installs what is missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

APT_PACKAGES=(
  chromium              # UI and HQ page end-to-end tests (Playwright drives Debian's Chromium)
  postgresql            # server tests and benchmarks on a real PostgreSQL
  fonts-droid-fallback  # CJK font bundled into the web app and embedded in PDF exports
  poppler-utils         # pdftoppm, to look at exported PDFs in tests
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3}
# A virtualenv cut short (setup interrupted) has python but no pip: make it again.
if ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
  rm -rf .venv
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -c constraints.txt -e ".[server,dev]"
