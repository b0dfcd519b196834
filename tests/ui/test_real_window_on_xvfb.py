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
from tests.testserver.server import Finish, InStreamError, Reasoning, Text, ToolCallPart
from tests.xvfb import xvfb_display

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / ".artifacts" / "screenshots"


@pytest.mark.xvfb
@pytest.mark.timeout(90)
def test_real_window_streams_and_is_captured_in_light_and_dark(tmp_path: Path) -> None:
    png = SHOTS / "main-window.png"
    dark = SHOTS / "main-window-dark.png"
    png.unlink(missing_ok=True)
    dark.unlink(missing_ok=True)
    with OpenAITestServer() as server, xvfb_display() as display:
        server.enqueue(
            ChatScript(
                [
                    Reasoning("The user asks for the weather: the weather tool answers that."),
                    ToolCallPart(0, "call_1", "get_weather", '{"city": "Oslo", '),
                    ToolCallPart(0, arguments='"unit": "celsius"}'),
                    Finish("tool_calls"),
                ]
            ),
            ChatScript(
                [Text("Once upon a time, "), Text("in a quiet valley, there was a"), InStreamError("The server is overloaded.")]
            ),
            ChatScript(
                [
                    Reasoning("A short plan: a heading, a list, a table and some code. "),
                    Reasoning("Keep it practical."),
                    *ChatScript.markdown_demo().steps,
                ]
            ),
        )
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
    assert "STATES finished failed finished" in report
    assert "DARK True" in report
    assert "VISIBLE True" in report
    image = QImage(str(png))
    assert not image.isNull() and image.width() == 1280 and image.height() == 800
    # Not a blank screen: the window's pixels differ across the image.
    colours = {image.pixel(x, y) for x in range(0, 1280, 37) for y in range(0, 800, 23)}
    assert len(colours) > 5
    dark_image = QImage(str(dark))
    assert not dark_image.isNull()
    assert dark_image.pixelColor(640, 400).lightness() < image.pixelColor(640, 400).lightness()
    print(f"\nscreenshots saved: {png}, {dark}")
