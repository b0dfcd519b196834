"""Run by test_real_window_on_xvfb in its own process (the platform is chosen once per
process): the real app on a real X server holds a rich conversation (a tool call, a failed
reply, reasoning and Markdown with headings, a table and code), then the screen is grabbed
in light and in dark.

Usage: python -m tests.ui.xvfb_screenshot_driver BASE_URL DATA_DIR PNG_PATH
(the server answers the three messages sent, in order; the dark shot is PNG_PATH with
"-dark" added to its name)
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from zlay_desktop.app import Application, Options
from zlay_desktop.ui.event_loop import close_event_loop, create_event_loop
from zlay_desktop.ui.startup import qt_application

MESSAGES = (
    "What is the weather in Oslo?",
    "Write me a long story",
    "Show me some markdown, please",
)


def dark_palette() -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    for which, colour in (
        (role.Window, "#202124"), (role.WindowText, "#e8eaed"), (role.Base, "#1b1c1f"),
        (role.AlternateBase, "#26272b"), (role.Text, "#e8eaed"), (role.Button, "#2b2c30"),
        (role.ButtonText, "#e8eaed"), (role.Highlight, "#8ab4f8"),
        (role.HighlightedText, "#202124"), (role.ToolTipBase, "#2b2c30"),
        (role.ToolTipText, "#e8eaed"), (role.PlaceholderText, "#9aa0a6"),
    ):  # fmt: skip
        palette.setColor(which, QColor(colour))
    return palette


async def settle(window: QWidget) -> None:
    """Until the window has painted what changed (the X server shows it then)."""
    for _ in range(5):
        QApplication.processEvents()
        await asyncio.sleep(0)
    window.repaint()
    for _ in range(5):
        QApplication.processEvents()
        await asyncio.sleep(0)


async def scenario(app: Application, png: Path) -> int:
    window = app.window
    window.resize(1200, 760)
    window.move(40, 20)
    await asyncio.sleep(0)  # let the window map
    states = []
    for text in MESSAGES:
        window.composer.setPlainText(text)
        window.send_from_composer()
        task = app.controller.task
        if task is None:
            print(f"ERROR: send was refused: {window.notice.text()}")
            return 1
        final = await asyncio.wait_for(task, 30)
        states.append(final.state.value)
    view = window.chat_view
    view.flush()
    text = view.transcript_text()
    # From the second question: a failed reply, a question, then the last answer's header,
    # reasoning, heading, list and table.
    view.scroll_to_message(view.message_keys()[2])
    await settle(window)
    screen = QGuiApplication.primaryScreen()
    png.parent.mkdir(parents=True, exist_ok=True)
    shot = screen.grabWindow(0)  # the whole X screen: what a person would see
    if not shot.save(str(png), "PNG"):
        print("ERROR: could not save the screenshot")
        return 1
    frame = window.frameGeometry()

    def window_shot(path: Path) -> None:  # the window alone, as the README shows it
        screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).save(
            str(path), "PNG"
        )

    window_shot(png.with_name(png.stem + "-window.png"))
    QApplication.setPalette(dark_palette())
    await settle(window)
    view.scroll_to_message(view.message_keys()[-1])
    await settle(window)
    dark = png.with_name(png.stem + "-dark.png")
    screen.grabWindow(0).save(str(dark), "PNG")
    window_shot(png.with_name(png.stem + "-dark-window.png"))
    print(f"STATES {' '.join(states)}")
    print(f"PLATFORM {QGuiApplication.platformName()}")
    print(f"VISIBLE {window.isVisible()}")
    print(f"DARK {view.theme.dark}")
    print(f"TEXT_CHARS {len(text)}")
    print(f"SCREENSHOT {png}")
    print(f"SCREENSHOT {dark}")
    await app.shutdown()
    return 0


def main() -> int:
    base_url, data_dir, png = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    qt_app = qt_application()
    loop = create_event_loop(qt_app)
    try:
        app = Application(Options(base_url=base_url, model="test-model", data_dir=data_dir))
        app.start()
        return loop.run_until_complete(scenario(app, png))
    finally:
        close_event_loop(loop)


if __name__ == "__main__":
    sys.exit(main())
