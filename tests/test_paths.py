"""Where settings, history and logs live (core/paths.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
