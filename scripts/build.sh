#!/usr/bin/env bash
# Install stdportal and build the site from the bundled database into site/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_python.sh
"$PY" -m pip install --quiet --disable-pip-version-check -e .
export NO_MKDOCS_2_WARNING=1
"${BIN}stdportal" check
"${BIN}stdportal" build "$@"
