"""Run by bench/startup.py in a fresh process: ``app DATA_DIR`` starts the real app
(``zlay_desktop.app.main``), ``bare`` a bare PySide6 main window of the same size. Either
prints ``SHOWN <time.monotonic()>`` once the main window's first paint is done, then exits.

The watcher is installed without changing what the app imports or in which order (PySide6
inspects the source of every module imported after it, so order matters): for the app it
is installed by a wrapper around ``show_window_frame``, where the app first imports PySide6
and creates the QApplication, before it builds and shows the main window's frame.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zlay_desktop.ui.main_window import MainWindow


def _exit_on_first_paint() -> None:
    """Installs an application-wide watcher: the first paint of a main window, then exit."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                not self.seen
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and isinstance(watched.window(), QMainWindow)
            ):
                self.seen = True
                # The whole window is painted in this same pass: report on the next turn.
                QTimer.singleShot(0, _report)
            return False

    def _report() -> None:
        import time

        print(f"SHOWN {time.monotonic()!r}", flush=True)
        os._exit(0)  # the measurement is done; no orderly shutdown needed

    instance = QApplication.instance()
    app = instance if isinstance(instance, QApplication) else QApplication(sys.argv[:1])
    watcher = FirstPaint(app)
    app.installEventFilter(watcher)


def bare() -> int:
    from PySide6.QtWidgets import QMainWindow

    _exit_on_first_paint()
    from PySide6.QtWidgets import QApplication

    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1100, 760)
    window.show()
    return QApplication.exec()


def app(data_dir: str) -> int:
    from zlay_desktop import app as app_module

    show_window_frame = app_module.show_window_frame

    def watched_show_window_frame() -> MainWindow:
        _exit_on_first_paint()
        return show_window_frame()

    app_module.show_window_frame = watched_show_window_frame
    return app_module.main(["--data-dir", data_dir])


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        sys.exit(bare())
    sys.exit(app(sys.argv[2]))
