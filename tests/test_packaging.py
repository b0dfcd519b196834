"""The packaged installer.

Fast checks: the menu entry, the icons, one version, and the `--smoke` self-test run from
source. Slow (`scripts/test-e2e`): build the .deb with packaging/build-deb (or reuse a
build of the same sources), unpack it, and start the installed binary with `--smoke`
offscreen and on Xvfb, against the project's test server and a real Secret Service; and
install then remove it with dpkg in a private root, which must leave nothing behind.
"""

from __future__ import annotations

import configparser
import hashlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.test_mcp import http_mcp  # noqa: F401 - the test MCP server over HTTP (a fixture)
from tests.testserver import OpenAITestServer
from tests.xvfb import xvfb_display
from zlay_desktop import APP_ID, APP_NAME, __version__
from zlay_desktop.smoke import (
    EXPECTED_KEY_DIGEST_VARIABLE,
    KEYRING_SERVICE,
    KEYRING_USER,
    SMOKE_MESSAGE,
)

if TYPE_CHECKING:
    from tests.secret_service import SecretServiceSession

pytest_plugins = ["tests.secret_service"]

ROOT = Path(__file__).resolve().parents[1]
DESKTOP_FILE = ROOT / "resources" / f"{APP_ID}.desktop"
SPEC = ROOT / "packaging" / f"{APP_ID}.spec"
BUILD_DEB = ROOT / "packaging" / "build-deb"
STAMP = ROOT / "build" / "deb-sources.sha256"
# What the package is made of: a build is reused only while these are unchanged.
PACKAGE_SOURCES = ("zlay_desktop", "resources", "packaging", "LICENSE", "pyproject.toml")
CHECKS = ("window", "reply", "keyring", "tls", "markdown", "icon", "about", "mcp", "shutdown")
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)

BUILD_TIMEOUT_S = 1200
RUN_TIMEOUT_S = 120


# -- fast checks ------------------------------------------------------------------------------


def read_desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_menu_entry_passes_desktop_file_validate() -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
    result = subprocess.run(
        [tool, str(DESKTOP_FILE)], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_the_menu_entry_starts_the_installed_command_with_its_icon() -> None:
    entry = read_desktop_entry(DESKTOP_FILE)
    assert entry["Type"] == "Application"
    assert entry["Name"] == APP_NAME
    assert entry["Exec"].split()[0] == APP_ID  # /usr/bin/zlay-desktop, on PATH
    assert entry["Icon"] == APP_ID  # /usr/share/icons/hicolor/*/apps/zlay-desktop.*
    # Must equal QGuiApplication.desktopFileName(), so docks group the window with the entry.
    assert entry["StartupWMClass"] == APP_ID


def test_the_version_is_written_in_one_place_only() -> None:
    """Everything reads zlay_desktop.__version__; no packaging file carries its own."""
    semver = re.compile(r"\b\d+\.\d+\.\d+\b")
    for path in (
        SPEC,
        BUILD_DEB,
        ROOT / "packaging" / "windows" / "zlay-desktop.iss",
        ROOT / "packaging" / "macos" / "build-dmg.sh",
        DESKTOP_FILE,
    ):
        text = path.read_text(encoding="utf-8")
        assert not semver.search(text), f"{path.name} names a version of its own"
    assert "from zlay_desktop import APP_ID, APP_NAME, __version__" in SPEC.read_text()
    assert "zlay_desktop.__version__" in BUILD_DEB.read_text()
    assert "AppVersion={#AppVersion}" in (ROOT / "packaging/windows/zlay-desktop.iss").read_text()
    assert 'attr = "zlay_desktop.__version__"' in (ROOT / "pyproject.toml").read_text()


def test_the_icon_is_drawn_in_every_size_and_format(qapp: Any, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage, QImageReader

    # A build script, not a module of the app: loaded from its file.
    spec = importlib.util.spec_from_file_location(
        "render_icons", ROOT / "packaging/render_icons.py"
    )
    assert spec is not None and spec.loader is not None
    render_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(render_icons)

    render_icons.render_icons(tmp_path)
    for size in ICON_SIZES:
        image = QImage(str(tmp_path / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
        assert (image.width(), image.height()) == (size, size)
        # Drawn, not blank: the centre of the icon is opaque.
        assert image.pixelColor(size // 2, size // 2).alpha() == 255

    def sizes_in(path: Path) -> list[int]:
        reader = QImageReader(str(path))
        found = []
        for index in range(reader.imageCount()):
            reader.jumpToImage(index)
            found.append(reader.read().width())
        return sorted(found)

    assert sizes_in(tmp_path / f"{APP_ID}.ico") == [16, 24, 32, 48, 64, 128, 256]
    assert sizes_in(tmp_path / f"{APP_ID}.icns") == [16, 32, 64, 128, 256, 512]


# -- running --smoke ---------------------------------------------------------------------------


def smoke_environment(bus_address: str, expected_key: str, platform: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("OPENAI_API_KEY", None)
    env.pop("DISPLAY", None)
    env["DBUS_SESSION_BUS_ADDRESS"] = bus_address
    env["QT_QPA_PLATFORM"] = platform
    env[EXPECTED_KEY_DIGEST_VARIABLE] = hashlib.sha256(expected_key.encode()).hexdigest()
    return env


def mcp_config(data_dir: Path, url: str) -> Path:
    """The JSON of one MCP server over Streamable HTTP (the project's test MCP server)."""
    path = data_dir.parent / f"{data_dir.name}-mcp.json"
    path.write_text(json.dumps({"mcpServers": {"web": {"url": url}}}), encoding="utf-8")
    return path


def run_smoke(
    command: list[str],
    server: OpenAITestServer,
    data_dir: Path,
    env: dict[str, str],
    mcp_url: str | None = None,
) -> subprocess.CompletedProcess[str]:
    mcp = ["--mcp-config", str(mcp_config(data_dir, mcp_url))] if mcp_url else []
    return subprocess.run(
        [
            *command,
            *mcp,
            "--smoke",
            "--base-url",
            server.base_url,
            "--model",
            "test-model",
            "--data-dir",
            str(data_dir),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )


def assert_all_checks_passed(
    result: subprocess.CompletedProcess[str], platform: str, secret: str, data_dir: Path
) -> None:
    report = result.stdout
    assert result.returncode == 0, f"exit {result.returncode}\n{report}\n{result.stderr[-3000:]}"
    for check in CHECKS:
        assert re.search(rf"^PASS {check}: ", report, re.MULTILINE), report
    assert f"main window shown on the '{platform}' platform" in report
    assert f"You said: {SMOKE_MESSAGE}" in report  # the test server's reply, in the chat view
    assert "the key read from system keyring (Secret Service) matched" in report
    assert re.search(rf"^smoke: all {len(CHECKS)} checks passed$", report, re.MULTILINE)
    # The MCP client, its HTTP stack included, listed the test MCP server's tools.
    listed = r"^PASS mcp: [1-9]\d* tool\(s\) listed from 1 MCP server"
    assert re.search(listed, report, re.MULTILINE), report
    # The key itself never shows: not in the output, not in the log.
    log_text = "".join(p.read_text(errors="replace") for p in data_dir.rglob("*.log*"))
    assert secret not in report + result.stderr + log_text


@pytest.fixture
def smoke_key(keyring_on_secret_service: Any) -> Iterator[str]:
    """A fresh key under the smoke test's keyring entry, in the private Secret Service."""
    import keyring

    value = f"sk-smoke-{secrets.token_urlsafe(16)}"
    keyring.set_password(KEYRING_SERVICE, KEYRING_USER, value)
    yield value
    keyring.delete_password(KEYRING_SERVICE, KEYRING_USER)


def test_smoke_from_source_passes_every_check(
    secret_service: SecretServiceSession,
    smoke_key: str,
    tmp_path: Path,
    http_mcp: str,  # noqa: F811 - the fixture imported above
) -> None:
    env = smoke_environment(secret_service.bus_address, smoke_key, "offscreen")
    with OpenAITestServer() as server:
        command = [sys.executable, "-m", "zlay_desktop"]
        result = run_smoke(command, server, tmp_path / "data", env, http_mcp)
    assert "(from source" in result.stdout
    assert_all_checks_passed(result, "offscreen", smoke_key, tmp_path / "data")


def test_smoke_fails_when_the_keyring_holds_another_key(
    secret_service: SecretServiceSession, smoke_key: str, tmp_path: Path
) -> None:
    env = smoke_environment(secret_service.bus_address, "not-the-stored-key", "offscreen")
    with OpenAITestServer() as server:
        result = run_smoke([sys.executable, "-m", "zlay_desktop"], server, tmp_path, env)
    assert result.returncode == 1, result.stdout
    assert "FAIL keyring: the key read from system keyring (Secret Service) did not match" in (
        result.stdout
    )
    assert "smoke: 1 of" in result.stdout
    assert smoke_key not in result.stdout + result.stderr


# -- the .deb (slow) ---------------------------------------------------------------------------


def sources_digest() -> str:
    digest = hashlib.sha256()
    for name in PACKAGE_SOURCES:
        top = ROOT / name
        files = sorted(top.rglob("*")) if top.is_dir() else [top]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def deb_path() -> Path:
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return ROOT / "dist" / f"{APP_ID}_{__version__}_{arch}.deb"


@pytest.fixture(scope="module")
def deb() -> Path:
    """The .deb of the current sources: built once, reused while the sources are unchanged."""
    if shutil.which("dpkg-deb") is None:
        pytest.skip("the .deb needs dpkg-deb (a Debian-based system)")
    path = deb_path()
    digest = sources_digest()
    if path.is_file() and STAMP.is_file() and STAMP.read_text().strip() == digest:
        return path
    result = subprocess.run(
        [str(BUILD_DEB)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, f"packaging/build-deb failed:\n{result.stderr[-6000:]}"
    assert path.is_file(), result.stdout
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(digest + "\n")
    return path


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True, timeout=300)
    return root


def deb_field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT_S + 300)
def test_the_deb_installs_the_app_its_launcher_menu_entry_and_icons(
    deb: Path, unpacked: Path
) -> None:
    app = unpacked / "opt" / APP_ID / APP_ID
    assert app.is_file() and os.access(app, os.X_OK)
    launcher = unpacked / "usr" / "bin" / APP_ID
    assert launcher.is_symlink() and launcher.resolve() == app.resolve()
    entry = read_desktop_entry(unpacked / "usr/share/applications" / f"{APP_ID}.desktop")
    assert entry["Exec"].split()[0] == APP_ID
    icons = unpacked / "usr/share/icons/hicolor"
    for size in ICON_SIZES:
        assert (icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (icons / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (unpacked / "usr/share/doc" / APP_ID / "copyright").is_file()

    assert deb_field(deb, "Package") == APP_ID
    assert deb_field(deb, "Version") == __version__
    depends = deb_field(deb, "Depends")
    for library in (
        "libc6",
        "libxcb-cursor0",
        "libxkbcommon-x11-0",
        "libegl1",
        "libgl1",
        "libfontconfig1",
        "libdbus-1-3",
        "ca-certificates",
    ):
        assert re.search(rf"(^|, ){re.escape(library)}( |,|$)", depends), depends

    # Small: only what runs. The desktop's own libraries come from the system, and no Qt
    # module, plugin or translation the app does not use is inside.
    bundled = {p.name for p in (unpacked / "opt" / APP_ID).rglob("*")}
    for absent in (
        "libX11.so.6",
        "libxcb.so.1",
        "libfontconfig.so.1",
        "libdbus-1.so.3",
        "libgtk-3.so.0",
        "libqgtk3.so",
        "libqwayland.so",
        "qtbase_de.qm",
    ):
        assert absent not in bundled, f"{absent} should not be in the package"
    for present in (
        "libqxcb.so", "libqoffscreen.so", "libqsvg.so", "libqsvgicon.so",
        # The transcript: Qt Quick, its QML file and its icons (with their licence).
        "libQt6Quick.so.6", "libQt6QuickWidgets.so.6", "Transcript.qml", "copy.svg",
    ):  # fmt: skip
        assert present in bundled, f"{present} is missing from the package"


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT_S + 300)
@pytest.mark.parametrize("platform", ["offscreen", "xcb"])
def test_the_installed_app_passes_its_smoke_test(
    unpacked: Path,
    secret_service: SecretServiceSession,
    smoke_key: str,
    tmp_path: Path,
    platform: str,
    http_mcp: str,  # noqa: F811 - the fixture imported above
) -> None:
    env = smoke_environment(secret_service.bus_address, smoke_key, platform)
    data = tmp_path / "data"
    with OpenAITestServer() as server:
        if platform == "xcb":
            # Through the launcher on PATH, on a real X server.
            with xvfb_display() as display:
                env["DISPLAY"] = display
                launcher = [str(unpacked / "usr/bin" / APP_ID)]
                result = run_smoke(launcher, server, data, env, http_mcp)
        else:
            binary = [str(unpacked / "opt" / APP_ID / APP_ID)]
            result = run_smoke(binary, server, data, env, http_mcp)
    assert "(packaged" in result.stdout, result.stdout
    assert_all_checks_passed(result, platform, smoke_key, data)


# Caches that the menu and icon tools keep for every package: regenerated, never removed.
SHARED_CACHES = {"mimeinfo.cache", "icon-theme.cache"}


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT_S + 300)
def test_dpkg_remove_takes_away_everything_dpkg_install_put_there(
    deb: Path, tmp_path: Path
) -> None:
    """A real install and removal with dpkg, into a private root (nothing of this machine's
    own package database or files is touched)."""
    root = tmp_path / "root"
    for sub in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"):
        (root / sub).mkdir(parents=True)
    (root / "var/lib/dpkg/status").touch()
    dpkg = [
        "dpkg",
        f"--root={root}",
        "--log=/dev/null",
        # The system libraries it depends on live in the real root, not this one.
        "--force-depends",
        # Maintainer scripts run here, on DPKG_ROOT, instead of chrooted into an empty root.
        "--force-script-chrootless",
        "--force-not-root",
    ]

    def installed_files() -> set[str]:
        return {
            str(p.relative_to(root))
            for p in root.rglob("*")
            if not p.is_dir() and "var/lib/dpkg" not in str(p.relative_to(root))
        }

    install = subprocess.run(
        [*dpkg, "-i", str(deb)], capture_output=True, text=True, timeout=300, check=False
    )
    assert install.returncode == 0, install.stdout + install.stderr
    files = installed_files()
    assert f"usr/bin/{APP_ID}" in files and f"opt/{APP_ID}/{APP_ID}" in files
    assert f"usr/share/applications/{APP_ID}.desktop" in files

    remove = subprocess.run(
        [*dpkg, "-r", APP_ID], capture_output=True, text=True, timeout=300, check=False
    )
    assert remove.returncode == 0, remove.stdout + remove.stderr
    left = {f for f in installed_files() if Path(f).name not in SHARED_CACHES}
    assert not left, f"left behind after dpkg -r: {sorted(left)[:20]}"
    assert not (root / "opt" / APP_ID).exists()
