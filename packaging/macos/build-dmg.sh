#!/usr/bin/env bash
# Builds "dist/Zlay Desktop.app" and dist/zlay-desktop-<version>-macos-<arch>.dmg. Run on
# macOS, from any directory, with a Python that has the project and its `package` extra:
#
#   python3 -m venv .venv && .venv/bin/pip install -e '.[package]'
#   PYTHON=.venv/bin/python packaging/macos/build-dmg.sh
#
# The app is signed ad hoc only (PyInstaller does that): Gatekeeper asks before the first
# start. Signing with a Developer ID and notarising are left for when the project has one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY="${PYTHON:-python3}"
APP_NAME="Zlay Desktop"
VERSION="$("$PY" -c 'import zlay_desktop; print(zlay_desktop.__version__)')"
DMG="dist/zlay-desktop-$VERSION-macos-$(uname -m).dmg"

"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/zlay-desktop.spec

# The disk image shows the app beside a link to /Applications, to drag it onto.
stage="build/dmg"
rm -rf "$stage" "$DMG"
mkdir -p "$stage"
cp -R "dist/$APP_NAME.app" "$stage/"
ln -s /Applications "$stage/Applications"
hdiutil create -volname "$APP_NAME $VERSION" -srcfolder "$stage" -fs HFS+ -format UDZO \
    -ov "$DMG"
echo "$DMG"
