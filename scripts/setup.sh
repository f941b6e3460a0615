#!/usr/bin/env bash
# Set up everything BookMusic needs on a fresh machine; quick no-op when already done.
# Installs: Debian chromium (tests), a Python venv from the hashed lock, npm packages from
# package-lock.json, then builds dist/. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need_tests="${1:-}"

if [ "$need_tests" = "--tests" ] && [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian chromium for the browser tests"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

# The LaTeX layouts of the reading tests (tests/unit/test_layout_latex.py) and pdftotext side by side
# in bench/ingest_quality.py: pdflatex with US English hyphenation, poppler-utils (about 123 MB, 80 s).
if [ "$need_tests" = "--tests" ] && { ! command -v pdflatex >/dev/null || ! command -v pdftotext >/dev/null; }; then
  echo "== installing Debian texlive-latex-base (pdflatex) and poppler-utils (pdftotext) for the tests"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    texlive-latex-base poppler-utils >/dev/null
fi

# The General MIDI instruments are converted at build time from Debian's free (MIT) SoundFont.
if [ ! -f /usr/share/sounds/sf3/MuseScore_General_Lite.sf3 ]; then
  echo "== installing Debian musescore-general-soundfont-small (GM instruments, MIT)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    musescore-general-soundfont-small >/dev/null
fi

stamp() { sha256sum "$@" | sha256sum | cut -c1-16; }

if [ "$(cat .venv/.stamp 2>/dev/null)" != "$(stamp requirements/dev.txt)" ]; then
  echo "== creating .venv from requirements/dev.txt (hash-locked)"
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements/dev.txt
  stamp requirements/dev.txt > .venv/.stamp
fi

if [ "$(cat node_modules/.stamp 2>/dev/null)" != "$(stamp package-lock.json)" ]; then
  echo "== installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  stamp package-lock.json > node_modules/.stamp
fi

echo "== building dist/"
.venv/bin/python scripts/build.py

if [ "$need_tests" = "--tests" ]; then
  .venv/bin/python scripts/fetch_test_models.py
fi
