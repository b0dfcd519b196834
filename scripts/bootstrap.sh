#!/usr/bin/env bash
# Sourced by scripts/app and scripts/test: brings a fresh Linux machine to a working
# development environment. Idempotent and quiet when nothing is missing.
#   - Debian packages the app and the tests need (only when missing, only as root),
#   - a Python >= 3.12 when one can be found (3.11 works too: PySide6 is then kept < 6.12),
#   - a virtual environment in .venv with the project and its dev dependencies.
set -euo pipefail

ZLAY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ZLAY_VENV="${ZLAY_VENV:-$ZLAY_ROOT/.venv}"

_log() { printf '[setup] %s\n' "$*" >&2; }

# Runtime libraries of Qt's xcb and offscreen platforms, plus what the tests use:
# Xvfb (real window + screenshot), D-Bus and gnome-keyring (a real Secret Service), and
# a colour emoji font (emoji in titles and messages; Debian has none by default) and a CJK
# font (the Chinese translation, and Chinese, Japanese or Korean text in messages).
ZLAY_APT_PACKAGES=(
    libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
    libxcb-render-util0 libxcb-image0 libxcb-xkb1 libglib2.0-0 fonts-dejavu-core
    fonts-noto-color-emoji fonts-noto-cjk
    xvfb xauth dbus dbus-x11 gnome-keyring desktop-file-utils
)

zlay_install_apt() {
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        _log "missing system packages: ${missing[*]}"
        _log "install them with: sudo apt-get install ${missing[*]}"
        return 0
    fi
    _log "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

_py_ok() {  # $1: interpreter; true when it is >= $2.$3 and has venv
    "$1" -c "import sys, venv; sys.exit(0 if sys.version_info >= ($2, $3) else 1)" 2>/dev/null
}

zlay_find_python() {
    local cand
    # An explicit choice wins.
    if [ -n "${ZLAY_PYTHON:-}" ]; then echo "$ZLAY_PYTHON"; return; fi
    # Prefer 3.12+: PySide6 6.12 + Python 3.11 crashes under qasync.
    for cand in python3.14 python3.13 python3.12; do
        if command -v "$cand" >/dev/null 2>&1 && _py_ok "$cand" 3 12; then command -v "$cand"; return; fi
    done
    if command -v pyenv >/dev/null 2>&1; then
        local root; root="$(pyenv root 2>/dev/null || true)"
        for cand in $(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -Vr); do
            if [ -x "$cand/bin/python3" ] && _py_ok "$cand/bin/python3" 3 12; then
                echo "$cand/bin/python3"; return
            fi
        done
    fi
    if command -v python3 >/dev/null 2>&1 && _py_ok python3 3 11; then command -v python3; return; fi
    # Debian's own python3 (3.11 on bookworm, 3.13 on trixie) with venv.
    zlay_install_apt python3 python3-venv
    if command -v python3 >/dev/null 2>&1 && _py_ok python3 3 11; then command -v python3; return; fi
    _log "no Python >= 3.11 with the venv module found; install one (e.g. apt-get install python3-venv)"
    return 1
}

zlay_venv() {
    local py stamp want
    if [ ! -x "$ZLAY_VENV/bin/python" ]; then
        py="$(zlay_find_python)"
        _log "creating $ZLAY_VENV with $("$py" --version 2>&1)"
        "$py" -m venv "$ZLAY_VENV"
    fi
    # Reinstall only when the dependency list changed.
    stamp="$ZLAY_VENV/.zlay-installed"
    want="$(sha256sum "$ZLAY_ROOT/pyproject.toml" | cut -d' ' -f1) $1"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        _log "installing Python dependencies into $ZLAY_VENV"
        # (Some machines' pip configs name local indexes that may be absent: not an error.)
        "$ZLAY_VENV/bin/python" -m pip install -q --upgrade pip 2>&1 | grep -v "is ignored" >&2 || true
        "$ZLAY_VENV/bin/python" -m pip install -q -e "$ZLAY_ROOT[$1]" 2> >(grep -v "is ignored: it is neither" >&2)
        echo "$want" >"$stamp"
    fi
}

# One set of extras for every script (app, tests, packaging), so that switching between
# them never reinstalls anything.
ZLAY_EXTRAS="dev,package"

# The app's translatable text, extracted into the given .ts files (scripts/update-translations;
# the translation tests do the same on a copy). No line numbers: a moved string changes
# nothing. Options before the files go to lupdate (-pluralonly: the English catalogue, which
# holds only the plural forms of the %n strings).
zlay_lupdate() {
    local options=()
    while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do options+=("$1"); shift; done
    (cd "$ZLAY_ROOT" && "$ZLAY_VENV/bin/pyside6-lupdate" -silent -locations none -no-obsolete \
        "${options[@]}" $(find zlay_desktop -name '*.py' -o -name '*.qml' | LC_ALL=C sort) \
        -ts "$@")
}

# The catalogues the app loads (.qm), compiled from their sources (.ts) when missing or older.
zlay_compile_translations() {
    local ts qm
    for ts in "$ZLAY_ROOT"/resources/translations/zlay_*.ts; do
        [ -e "$ts" ] || continue
        qm="${ts%.ts}.qm"
        [ "$qm" -nt "$ts" ] && continue
        "$ZLAY_VENV/bin/pyside6-lrelease" -silent "$ts" -qm "$qm"
    done
}

zlay_bootstrap() {
    zlay_install_apt "${ZLAY_APT_PACKAGES[@]}"
    zlay_venv "${1:-$ZLAY_EXTRAS}"
    zlay_compile_translations
}
