#!/usr/bin/env bash
# Install what the tests need (Python test extra, Debian's chromium and nginx, axe-core from npm) and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_python.sh
"$PY" -m pip install --quiet --disable-pip-version-check -e ".[test]"
# Lint and type-check first: any finding stops the script (set -e).
"$PY" -m ruff check generator bench tests
"$PY" -m mypy generator
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/sbin/nginx ] || ! command -v npm >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-cjk nginx npm >/dev/null
fi
# axe-core (the accessibility checks in tests/browser), at the version tests/browser/package-lock.json pins.
npm ci --prefix tests/browser --no-audit --no-fund --silent
export NO_MKDOCS_2_WARNING=1
"$PY" -m pytest "$@"
