"""The real main window on a real X server (Xvfb): it streams a reply and a screenshot is
saved. The path is printed at the end of the run (pytest -rA shows it; see also
.artifacts/screenshots/)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.testserver import ChatScript, OpenAITestServer
from tests.xvfb import xvfb_display

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / ".artifacts" / "screenshots"


@pytest.mark.xvfb
@pytest.mark.timeout(90)
def test_real_window_streams_and_is_captured(tmp_path: Path) -> None:
    png = SHOTS / "main-window.png"
    png.unlink(missing_ok=True)
    with OpenAITestServer() as server, xvfb_display() as display:
        server.set_default(ChatScript.markdown_demo())
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        env.pop("WAYLAND_DISPLAY", None)
        proc = subprocess.run(
            [sys.executable, "-m", "tests.ui.xvfb_screenshot_driver", server.base_url, str(tmp_path), str(png)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=80,
        )
    report = proc.stdout
    assert proc.returncode == 0, f"driver failed:\n{report}\n{proc.stderr[-3000:]}"
    assert "PLATFORM xcb" in report
    assert "STATE finished" in report
    assert "VISIBLE True" in report
    image = QImage(str(png))
    assert not image.isNull() and image.width() == 1280 and image.height() == 800
    # Not a blank screen: the window's pixels differ across the image.
    colours = {image.pixel(x, y) for x in range(0, 1280, 37) for y in range(0, 800, 23)}
    assert len(colours) > 5
    print(f"\nscreenshot saved: {png}")
