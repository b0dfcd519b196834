"""The one place that decides where settings, history and logs live."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple

from zlay_desktop import APP_ID


class AppPaths(NamedTuple):
    """Where this app's files live. (A NamedTuple, not a dataclass: it is made before the
    first paint, which need not wait for `dataclasses` to import, ~3 ms.)"""

    config_dir: Path  # settings.json (never a secret)
    data_dir: Path  # history.sqlite3 and its backups
    log_dir: Path  # rotating log files

    @classmethod
    def default(cls) -> AppPaths:
        """The platform's own locations (XDG on Linux, ~/Library on macOS, %APPDATA% on Windows)."""
        linux = _linux_xdg_paths()
        if linux is not None:
            return cls(*linux)
        import platformdirs

        dirs = platformdirs.PlatformDirs(APP_ID, appauthor=False)
        return cls(
            config_dir=Path(dirs.user_config_dir),
            data_dir=Path(dirs.user_data_dir),
            log_dir=Path(dirs.user_log_dir),
        )

    @classmethod
    def portable(cls, root: Path) -> AppPaths:
        """Everything under one folder: `--data-dir DIR`."""
        root = root.expanduser().resolve()
        return cls(config_dir=root / "config", data_dir=root / "data", log_dir=root / "logs")

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def database_file(self) -> Path:
        return self.data_dir / "history.sqlite3"

    @property
    def state_file(self) -> Path:
        """What the app remembers between runs (window, drafts): `core/app_state.py`."""
        return self.data_dir / "state.json"

    @property
    def viewer_copies_dir(self) -> Path:
        """Copies of sent files shown in the desktop's viewer (`ui/attachment_opener.py`);
        removed a day later, at a start."""
        return self.data_dir / "viewer-copies"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "zlay-desktop.log"

    def ensure(self) -> None:
        for d in (self.config_dir, self.data_dir, self.log_dir):
            d.mkdir(parents=True, exist_ok=True)


def _linux_xdg_paths() -> tuple[Path, Path, Path] | None:
    """On Linux with an absolute HOME: the folders platformdirs gives (the XDG base
    directories; tests/test_paths.py checks they agree), without importing it before the
    first paint (~5 ms: `tempfile` and its imports). None elsewhere: platformdirs decides."""
    if not sys.platform.startswith("linux") or not os.environ.get("HOME", "").startswith("/"):
        return None

    def base(variable: str, default: str) -> str:
        value = os.environ.get(variable, "")  # a relative value does not count (XDG)
        return value if value.startswith("/") else str(Path(default).expanduser())

    return (
        Path(base("XDG_CONFIG_HOME", "~/.config"), APP_ID),
        Path(base("XDG_DATA_HOME", "~/.local/share"), APP_ID),
        Path(base("XDG_STATE_HOME", "~/.local/state"), APP_ID, "log"),
    )


def is_frozen() -> bool:
    """True in the packaged app (PyInstaller sets `sys.frozen`)."""
    return bool(getattr(sys, "frozen", False))


def resources_dir() -> Path:
    """The `resources/` folder: inside the packaged app, or at the top of a source checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if is_frozen() and isinstance(bundle, str):
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"
