#!/usr/bin/env bash
# Install effilab into ./.venv, idempotently. Usage: scripts/install.sh [dev]
#  - installs bubblewrap with apt when running as root and it is missing (effilab still works without it,
#    in the weaker "process" isolation tier, and reports which tier it used); likewise valgrind and g++;
#  - creates .venv with python3 (>= 3.11) and installs effilab in editable mode (with test tools for "dev").
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    if [ -z "${_EFFILAB_APT_UPDATED:-}" ]; then
      apt-get update -qq >/dev/null 2>&1 || true
      _EFFILAB_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
  else
    return 1
  fi
}

if ! command -v bwrap >/dev/null 2>&1; then
  apt_install bubblewrap || echo "note: bubblewrap is not installed; effilab will use the 'process' isolation tier" >&2
fi

# Whole programs (effilab.programs): g++ compiles C++ candidates, valgrind counts their instructions.
if ! command -v valgrind >/dev/null 2>&1; then
  apt_install valgrind || echo "note: valgrind is not installed; --metric instructions is unavailable" >&2
fi
if ! command -v g++ >/dev/null 2>&1; then
  apt_install g++ || echo "note: g++ is not installed; C++ programs (pie: suites) cannot be compiled" >&2
fi

# The HTML report's browser test loads reports in headless Chromium (Debian's package; no recommends:
# the browser alone, not the desktop it would bring).
if ! command -v chromium >/dev/null 2>&1; then
  apt_install --no-install-recommends chromium || echo "note: chromium is not installed; the report's browser test will be skipped" >&2
fi

python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "error: effilab needs Python >= 3.11 (found: $("$python" --version 2>&1))" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv || { echo "error: '$python -m venv' failed; install python3-venv" >&2; exit 1; }
    "$python" -m venv .venv
  fi
fi
spec="."
[ -n "$extras" ] && spec=".[$extras]"
# The "train" extra (trl, transformers) needs torch: install the CPU build by exact version first, so that
# resolving the extra finds torch satisfied instead of fetching a multi-GB CUDA build (TORCH_SPEC overrides).
case ",$extras," in
  *,train,*)
    .venv/bin/python -m pip install -q --disable-pip-version-check "${TORCH_SPEC:-torch==2.13.0}" ;;
esac
.venv/bin/python -m pip install -q --disable-pip-version-check -e "$spec"
