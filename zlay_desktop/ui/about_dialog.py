"""Help > About: version, license, where the app keeps its files, and diagnostics to copy.

The diagnostics are what a bug report needs (versions, platform, paths) and nothing from
the environment or settings, so they can never carry an API key.
"""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, Signal, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zlay_desktop import APP_ID, APP_NAME, __version__
from zlay_desktop.core.paths import AppPaths, is_frozen, resources_dir

LICENSE_NAME = "MIT"
COPYRIGHT = "Copyright (c) 2026 The Zlay Desktop developers"
ICON_FILE = f"{APP_ID}.svg"


def app_icon() -> QIcon:
    """The app icon: the bundled SVG, else the installed theme icon (a wheel install)."""
    path = resources_dir() / ICON_FILE
    if path.is_file():
        icon = QIcon(str(path))
        if not icon.isNull():
            return icon
    return QIcon.fromTheme(APP_ID)


def diagnostics_text(paths: AppPaths) -> str:
    """Versions, platform and paths, as plain text for a bug report. Never a secret."""
    app = QGuiApplication.instance()
    qt_platform = QGuiApplication.platformName() if app is not None else "(no application)"
    lines = [
        f"{APP_NAME} {__version__}" + (" (packaged)" if is_frozen() else " (from source)"),
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"Qt {qVersion()}, PySide6 {pyside_version}, platform plugin: {qt_platform}",
        f"OS: {platform.platform()} ({platform.machine()})",
        f"Settings: {paths.config_dir}",
        f"History: {paths.data_dir}",
        f"Logs: {paths.log_dir}",
    ]
    return "\n".join(lines)


class AboutDialog(QDialog):
    """Open with `.open()` (never `exec()`: it would nest the event loop under qasync)."""

    diagnostics_copied = Signal(str)

    def __init__(self, paths: AppPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.setWindowTitle(self.tr("About {0}").format(APP_NAME))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        icon = app_icon()
        self.setWindowIcon(icon)
        logo = QLabel()
        logo.setPixmap(icon.pixmap(64, 64))
        logo.setAccessibleName(self.tr("{0} icon").format(APP_NAME))
        version = self.tr("Version {0}").format(__version__)
        title = QLabel(f"<b style='font-size: 16pt'>{APP_NAME}</b><br>{version}")
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header = QHBoxLayout()
        header.addWidget(logo)
        header.addWidget(title, 1)

        about = QLabel(
            self.tr("A desktop chat client for OpenAI and OpenAI-compatible APIs.")
            + f"<br>{COPYRIGHT}.<br>"
            + self.tr("Released under the {0} license.").format(LICENSE_NAME)
        )
        about.setWordWrap(True)

        # Each path is a link that opens the folder in the file manager.
        self.path_labels: dict[str, QLabel] = {}
        form = QFormLayout()
        for name, folder in (
            (self.tr("Settings"), paths.config_dir),
            (self.tr("History"), paths.data_dir),
            (self.tr("Logs"), paths.log_dir),
        ):
            label = QLabel(f"<a href='{QUrl.fromLocalFile(str(folder)).toString()}'>{folder}</a>")
            label.setAccessibleName(self.tr("{0} folder").format(name))
            label.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextBrowserInteraction
                | Qt.TextInteractionFlag.TextSelectableByMouse
            )
            label.setOpenExternalLinks(False)
            label.linkActivated.connect(self._open_folder)
            form.addRow(f"{name}:", label)
            self.path_labels[name] = label

        self.copy_button = QPushButton(self.tr("Copy diagnostics"))
        self.copy_button.setToolTip(
            self.tr(
                "Copies versions, platform and these folders (never an API key) for a bug report"
            )
        )
        self.copy_button.clicked.connect(self.copy_diagnostics)
        self.copied_label = QLabel()
        self.copied_label.setAccessibleName(self.tr("Copy status"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)  # Close has the reject role
        footer = QHBoxLayout()
        footer.addWidget(self.copy_button)
        footer.addWidget(self.copied_label, 1)
        footer.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addLayout(footer)

    def copy_diagnostics(self) -> None:
        text = diagnostics_text(self.paths)
        QGuiApplication.clipboard().setText(text)
        self.copied_label.setText(self.tr("Copied to the clipboard."))
        self.diagnostics_copied.emit(text)

    def _open_folder(self, url: str) -> None:
        QDesktopServices.openUrl(QUrl(url))
