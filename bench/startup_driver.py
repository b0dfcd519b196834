"""Run by bench/startup.py in a fresh process: ``app`` starts the real app as a desktop
launcher does (no arguments: ``zlay_desktop.app.run`` with ``parse_args([])``, its folders
from the XDG variables), ``bare``
a bare PySide6 main window of the same size. Prints ``SHOWN <time.monotonic()>`` once the
main window's first paint is done, ``COMPLETE <t>`` once its composer has painted (the
whole frame is on screen) and ``READY <t>`` once the app has started (the controller is
attached: the user can type and send), then exits. For the bare window the three are one.

The app is watched without changing what it imports or in which order (PySide6 inspects
the source of every module imported after it, so order matters): through ``run``'s
``painted`` (told once each part of the window's frame has painted; see
zlay_desktop.ui.startup) and ``started`` (once ``Application.start`` is done). The bare
window is watched by an event filter, stamped on the turn after its first paint event.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zlay_desktop.app import Application
    from zlay_desktop.ui.startup import FramePart

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
    from zlay_desktop.app import parse_args, run

    def painted(part: FramePart) -> None:
        _stamp("SHOWN" if part == "shell" else "COMPLETE")

    def started(_app: Application) -> None:
        _stamp("READY")
        _report_and_exit()

    return run(parse_args([]), painted=painted, started=started)


if __name__ == "__main__":
    sys.exit(bare() if sys.argv[1] == "bare" else app())
