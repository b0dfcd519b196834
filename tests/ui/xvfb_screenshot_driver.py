"""Run by test_real_window_on_xvfb in its own process (the platform is chosen once per
process): the real app on a real X server streams a reply, then the screen is grabbed.

Usage: python -m tests.ui.xvfb_screenshot_driver BASE_URL DATA_DIR PNG_PATH
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from zlay_desktop.app import Application, Options
from zlay_desktop.ui.event_loop import close_event_loop, create_event_loop


async def scenario(app: Application, png: Path) -> int:
    window = app.window
    window.resize(1200, 760)
    window.move(40, 20)
    await asyncio.sleep(0)  # let the window map
    app.window.composer.setPlainText("Show me some markdown, please")
    app.window.send_from_composer()
    task = app.controller.task
    if task is None:
        print("ERROR: send was refused")
        return 1
    final = await asyncio.wait_for(task, 30)
    app.window.chat_view.flush()
    text = app.window.chat_view.transcript_text()
    QApplication.processEvents()
    screen = QGuiApplication.primaryScreen()
    shot = screen.grabWindow(0)  # the whole X screen: what a person would see
    png.parent.mkdir(parents=True, exist_ok=True)
    if not shot.save(str(png), "PNG"):
        print("ERROR: could not save the screenshot")
        return 1
    # The window alone, as the README shows it.
    frame = window.frameGeometry()
    screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).save(
        str(png.with_name(png.stem + "-window.png")), "PNG"
    )
    print(f"STATE {final.state.value}")
    print(f"PLATFORM {QGuiApplication.platformName()}")
    print(f"VISIBLE {window.isVisible()}")
    print(f"TEXT_CHARS {len(text)}")
    print(f"SCREENSHOT {png}")
    await app.shutdown()
    return 0


def main() -> int:
    base_url, data_dir, png = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    qt_app = QApplication(sys.argv[:1])
    loop = create_event_loop(qt_app)
    try:
        app = Application(Options(base_url=base_url, model="test-model", data_dir=data_dir))
        app.start()
        return loop.run_until_complete(scenario(app, png))
    finally:
        close_event_loop(loop)


if __name__ == "__main__":
    sys.exit(main())
