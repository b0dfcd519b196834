"""Run by bench/startup.py in a fresh process: ``app`` starts the real app as a desktop
launcher does (``zlay_desktop.app.main([])``, its folders from the XDG variables), ``bare``
a bare PySide6 main window of the same size. Prints ``SHOWN <time.monotonic()>`` once the
main window's first paint is done, ``COMPLETE <t>`` once its composer has painted (the
whole frame is on screen) and ``READY <t>`` once the app has started (the controller is
attached: the user can type and send), then exits. For the bare window the three are one.

The app is watched without changing what it imports or in which order (PySide6 inspects
the source of every module imported after it, so order matters): by wrappers around the
app's own ``_wait_for_paint`` (which returns once a widget's paint pass is done) and
``Application.start``. The bare window is watched by an event filter, stamped on the turn
after its first paint event.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

_stamps: dict[str, float] = {}


def _report_and_exit() -> None:
    for name in ("SHOWN", "COMPLETE", "READY"):
        print(f"{name} {_stamps.get(name, _stamps['SHOWN'])!r}", flush=True)
    os._exit(0)  # the measurement is done; no orderly shutdown needed


def _stamp(name: str) -> None:
    _stamps.setdefault(name, time.monotonic())
    print(f"-- {name}", file=sys.stderr, flush=True)  # splits `-X importtime` output


def _exit_on_first_paint() -> None:
    """Installs an application-wide watcher: the first paint of a main window, then exit."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    def _shown() -> None:
        _stamp("SHOWN")
        _report_and_exit()

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
                # The whole window is painted in this same pass: stamp on the next turn.
                QTimer.singleShot(0, _shown)
            return False

    instance = QApplication.instance()
    app = instance if isinstance(instance, QApplication) else QApplication(sys.argv[:1])
    app.installEventFilter(FirstPaint(app))


def bare() -> int:
    from PySide6.QtWidgets import QMainWindow

    _exit_on_first_paint()
    from PySide6.QtWidgets import QApplication

    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1100, 760)
    window.show()
    return QApplication.exec()


def app() -> int:
    from zlay_desktop import app as app_module

    # The app lets its window paint in two steps (shell, then transcript and composer),
    # each with `_wait_for_paint`, which returns once the widget's paint pass is done.
    wait_for_paint = app_module._wait_for_paint
    start = app_module.Application.start

    def watched_wait_for_paint(qt_app: QApplication, widget: QWidget) -> None:
        wait_for_paint(qt_app, widget)
        _stamp("COMPLETE" if "SHOWN" in _stamps else "SHOWN")

    def watched_start(self: app_module.Application) -> None:
        start(self)
        _stamp("READY")
        _report_and_exit()

    app_module._wait_for_paint = watched_wait_for_paint
    app_module.Application.start = watched_start  # type: ignore[method-assign]
    return app_module.main([])


if __name__ == "__main__":
    sys.exit(bare() if sys.argv[1] == "bare" else app())
