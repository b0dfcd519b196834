"""Help > About: what a user reads there and what "Copy diagnostics" puts on the clipboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from zlay_desktop import APP_NAME, __version__
from zlay_desktop.core.paths import AppPaths
from zlay_desktop.ui.about_dialog import AboutDialog, app_icon, diagnostics_text

KEY = "sk-about-dialog-0123456789abcdefSECRET"


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    paths = AppPaths.portable(tmp_path / "portable")
    paths.ensure()
    return paths


@pytest.fixture
def dialog(qtbot: Any, paths: AppPaths) -> AboutDialog:
    about = AboutDialog(paths)
    qtbot.addWidget(about)
    about.open()
    qtbot.waitUntil(about.isVisible)
    return about


def shown_text(dialog: AboutDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


def test_it_shows_the_version_the_license_and_where_files_live(
    dialog: AboutDialog, paths: AppPaths
) -> None:
    text = shown_text(dialog)
    assert APP_NAME in text and __version__ in text
    assert "MIT license" in text
    assert dialog.windowTitle() == f"About {APP_NAME}"
    for name, folder in (
        ("Settings", paths.config_dir),
        ("History", paths.data_dir),
        ("Logs", paths.log_dir),
    ):
        label = dialog.path_labels[name]
        assert str(folder) in label.text()
        assert label.accessibleName() == f"{name} folder"


def test_copy_diagnostics_puts_versions_platform_and_paths_on_the_clipboard(
    qtbot: Any, dialog: AboutDialog, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A key in the environment must not travel with the diagnostics.
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with qtbot.waitSignal(dialog.diagnostics_copied, timeout=5000):
        qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert f"{APP_NAME} {__version__}" in copied
    assert "Python " in copied and "Qt " in copied and "OS: " in copied
    assert str(paths.config_dir) in copied and str(paths.log_dir) in copied
    assert KEY not in copied
    assert dialog.copied_label.text() == "Copied to the clipboard."


def test_diagnostics_name_the_source_run(paths: AppPaths, qapp: Any) -> None:
    assert "(from source)" in diagnostics_text(paths).splitlines()[0]


def test_the_app_icon_is_found_in_a_source_checkout(qapp: Any) -> None:
    icon = app_icon()
    assert not icon.isNull()
    assert not icon.pixmap(64, 64).isNull()
