#!/usr/bin/env bash
# Install what the tests need (Python test extra, Debian's chromium and nginx, axe-core from npm) and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_python.sh
"$PY" -m pip install --quiet --disable-pip-version-check -e ".[test]"
# Lint and type-check first: any finding stops the script (set -e).
"$PY" -m ruff check generator bench tests
"$PY" -m mypy generator
# Only what is missing: a machine with its own Node.js (NodeSource's nodejs conflicts with Debian's npm) keeps it.
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium fonts-noto-cjk"
[ -x /usr/sbin/nginx ] || missing="$missing nginx"
command -v npm >/dev/null || missing="$missing npm"
if [ -n "$missing" ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # shellcheck disable=SC2086  (one word per package)
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi
# axe-core (the accessibility checks in tests/browser), at the version tests/browser/package-lock.json pins.
npm ci --prefix tests/browser --no-audit --no-fund --silent
export NO_MKDOCS_2_WARNING=1
# The tests write sites and databases into the temporary folder (about 1.5 GB at the peak): say so before a full
# disk turns into hundreds of confusing errors.
free_kb=$(df -Pk "${TMPDIR:-/tmp}" 2>/dev/null | awk 'NR == 2 {print $4}' || true)
if [ -n "$free_kb" ] && [ "$free_kb" -lt 2000000 ]; then
  echo "警告：临时文件夹 ${TMPDIR:-/tmp} 所在磁盘只剩 $((free_kb / 1024)) MB，测试需要约 1.5 GB，可能因磁盘已满而失败。" >&2
fi
"$PY" -m pytest "$@"
