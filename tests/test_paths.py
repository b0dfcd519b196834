"""Where settings, history and logs live (core/paths.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from zlay_desktop import APP_ID
from zlay_desktop.core.paths import AppPaths


def test_default_locations_follow_the_platform(isolated_dirs: Path) -> None:
    paths = AppPaths.default()  # on Linux: the XDG folders (set per test by conftest)
    assert paths.config_dir.is_relative_to(isolated_dirs / "xdg_config_home")
    assert paths.data_dir.is_relative_to(isolated_dirs / "xdg_data_home")
    assert paths.settings_file.parent == paths.config_dir
    assert paths.database_file.parent == paths.data_dir
    assert paths.log_file.parent == paths.log_dir


def test_portable_keeps_everything_under_one_absolute_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    paths = AppPaths.portable(Path("stick"))  # as typed after --data-dir
    root = tmp_path.resolve() / "stick"
    assert paths.settings_file == root / "config" / "settings.json"
    assert paths.database_file == root / "data" / "history.sqlite3"
    assert paths.log_file == root / "logs" / "zlay-desktop.log"
    monkeypatch.chdir("/")  # a later change of folder does not move them
    assert paths.database_file.is_absolute()


def test_ensure_creates_the_folders_and_can_run_again(tmp_path: Path) -> None:
    paths = AppPaths.portable(tmp_path / "new")
    paths.ensure()
    paths.ensure()
    assert all(d.is_dir() for d in (paths.config_dir, paths.data_dir, paths.log_dir))


XDG_VARIABLES = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG folders are Linux's")
@pytest.mark.parametrize(
    ("home", "xdg"),
    [
        ("/home/ada", {}),  # none set: ~/.config, ~/.local/share, ~/.local/state
        ("/home/ada/", {name: "" for name in XDG_VARIABLES}),  # set but empty
        ("/home/ada", {name: "relative/dir" for name in XDG_VARIABLES}),  # not absolute
        ("/home/ada", {name: f"/xdg/{name.lower()}/" for name in XDG_VARIABLES}),
        ("/root", {"XDG_CONFIG_HOME": "/etc/cfg"}),  # some set, some not
    ],
)
def test_the_linux_folders_are_the_ones_platformdirs_gives(
    monkeypatch: pytest.MonkeyPatch, home: str, xdg: dict[str, str]
) -> None:
    # AppPaths.default finds them without importing platformdirs (the first paint waits for
    # it): a user's history must never be looked for elsewhere than before.
    import platformdirs

    monkeypatch.setenv("HOME", home)
    for name in XDG_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in xdg.items():
        monkeypatch.setenv(name, value)
    dirs = platformdirs.PlatformDirs(APP_ID, appauthor=False)
    assert AppPaths.default() == AppPaths(
        config_dir=Path(dirs.user_config_dir),
        data_dir=Path(dirs.user_data_dir),
        log_dir=Path(dirs.user_log_dir),
    )
