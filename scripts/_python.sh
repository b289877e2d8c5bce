# Sourced by the task scripts: choose the Python to install into and export PY and BIN.
# The machine's python3 when pip may install into it; otherwise (Debian's system Python refuses, PEP 668,
# or has no pip) a project virtual environment in .venv/.
externally_managed() {
  python3 - <<'PY'
import os, sys, sysconfig
marker = os.path.join(sysconfig.get_paths()["stdlib"], "EXTERNALLY-MANAGED")
sys.exit(0 if sys.prefix == sys.base_prefix and os.path.exists(marker) else 1)
PY
}
if [ -n "${VIRTUAL_ENV:-}" ] || { python3 -m pip --version >/dev/null 2>&1 && ! externally_managed; }; then
  PY=python3
  BIN=""
else
  if [ ! -x .venv/bin/python ]; then
    if ! python3 -m venv .venv >/dev/null 2>&1; then
      sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
      $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
      rm -rf .venv && python3 -m venv .venv
    fi
  fi
  PY=.venv/bin/python
  BIN=.venv/bin/
  export PATH="$PWD/.venv/bin:$PATH"  # tests start `stdportal` as a program
  echo "使用项目虚拟环境 .venv/（命令为 .venv/bin/stdportal）"
fi
export PY BIN
