"""Run by test_translated_windows in its own process (a language is installed once per
process): the real app in LANGUAGE on a real X server, its language chosen the way a user
chooses it (Settings → General → Language, saved in settings.json), holds a conversation,
then the main window and the Settings dialog are grabbed.

Usage: python -m tests.ui.translated_window_driver LANGUAGE BASE_URL DATA_DIR PNG_PREFIX
(writes PNG_PREFIX-main.png and PNG_PREFIX-settings.png; prints what it saw)
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from tests.ui.xvfb_screenshot_driver import settle
from zlay_desktop.app import Application, Options
from zlay_desktop.core.i18n import read_language
from zlay_desktop.core.paths import AppPaths
from zlay_desktop.ui.event_loop import close_event_loop, create_event_loop
from zlay_desktop.ui.i18n import install_translations
from zlay_desktop.ui.settings import SettingsDialog
from zlay_desktop.ui.startup import qt_application

QUESTION = {"de": "Wie wird das Wetter morgen?", "zh_CN": "明天天气怎么样？"}


def clipped(root: QWidget) -> list[str]:
    """Visible labels and buttons whose text needs more room than they were given."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, QLabel | QAbstractButton):
            continue
        if isinstance(widget, QLabel) and widget.wordWrap():
            continue  # wraps instead of clipping
        text = widget.text()
        if text and widget.width() < widget.minimumSizeHint().width():
            found.append(
                f"{type(widget).__name__} {text!r} {widget.width()}<{widget.minimumSizeHint().width()}"
            )
    return found


async def scenario(app: Application, language: str, prefix: Path) -> int:
    window = app.window
    window.resize(1200, 760)
    window.move(40, 20)
    await asyncio.sleep(0)
    window.composer.setPlainText(QUESTION[language])
    window.send_from_composer()
    task = app.controller.task
    if task is None:
        print(f"ERROR: send was refused: {window.notice.text()}")
        return 1
    await asyncio.wait_for(task, 30)
    window.chat_view.flush()
    await settle(window)
    screen = QGuiApplication.primaryScreen()
    prefix.parent.mkdir(parents=True, exist_ok=True)
    frame = window.frameGeometry()
    screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).save(
        str(prefix.with_name(prefix.name + "-main.png")), "PNG"
    )
    print(f"CLIPPED_MAIN {clipped(window)}")
    print(f"MENUS {[a.text() for a in window.menuBar().actions()]}")
    print(f"SEND {window.send_button.text()}")
    print(f"TRANSCRIPT {window.chat_view.transcript_text()!r}")
    app.open_settings()
    dialog = app.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    dialog.resize(dialog.sizeHint())
    await settle(dialog)
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        await settle(dialog)
        frame = dialog.frameGeometry()
        screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).save(
            str(prefix.with_name(f"{prefix.name}-settings-{index}.png")), "PNG"
        )
        print(f"CLIPPED_SETTINGS_{index} {clipped(dialog)}")
    print(f"TABS {[dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]}")
    print(f"LANGUAGE_CHOICE {dialog.language_combo.currentText()}")
    dialog.reject()
    await app.shutdown()
    return 0


def main() -> int:
    language, base_url, data_dir, prefix = (
        sys.argv[1],
        sys.argv[2],
        Path(sys.argv[3]),
        Path(sys.argv[4]),
    )
    paths = AppPaths.portable(data_dir)
    paths.ensure()
    paths.settings_file.write_text(json.dumps({"ui": {"language": language}}), encoding="utf-8")
    qt_app = qt_application()
    locale = install_translations(read_language(paths.settings_file), qt_app)
    print(f"LOCALE {locale.name()}")
    loop = create_event_loop(qt_app)
    try:
        app = Application(Options(base_url=base_url, model="test-model", data_dir=data_dir))
        app.start()
        return loop.run_until_complete(scenario(app, language, prefix))
    finally:
        close_event_loop(loop)
        QApplication.processEvents()


if __name__ == "__main__":
    sys.exit(main())
