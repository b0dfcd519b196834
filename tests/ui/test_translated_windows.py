"""The real app in German and in Simplified Chinese on a real X server (Xvfb): the language
chosen in the settings file is used, the window, its transcript and the Settings dialog speak
it, nothing is clipped, and screenshots are saved (.artifacts/screenshots/, printed at the
end of the run) for a person to look at."""

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

EXPECTED = {
    "de": {
        "LOCALE": "de_DE",
        "MENUS": "['&Datei', '&Chat', '&Ansicht', '&Hilfe']",
        "SEND": "Senden",
        "TABS": "['Anbieter', 'MCP-Server', 'Assistenten', 'Prompts', 'Allgemein']",
        "LANGUAGE_CHOICE": "Deutsch",
    },
    "zh_CN": {
        "LOCALE": "zh_CN",
        "MENUS": "['文件(&F)', '聊天(&C)', '视图(&V)', '帮助(&H)']",
        "SEND": "发送",
        "TABS": "['服务商', 'MCP 服务器', '助手', '提示词', '常规']",
        "LANGUAGE_CHOICE": "简体中文",
    },
}
# The transcript's own words around the reply (its header, actions and figures).
TRANSCRIPT_WORDS = {
    "de": ("Assistent · test-model", "Kopieren · Neu erzeugen", "erstes Token nach"),
    "zh_CN": ("助手 · test-model", "复制 · 重新生成", "首个 token 用时"),
}


@pytest.mark.xvfb
@pytest.mark.timeout(120)
@pytest.mark.parametrize("language", ["de", "zh_CN"])
def test_window_and_settings_in_language_are_captured(language: str, tmp_path: Path) -> None:
    prefix = SHOTS / f"translated-{language}"
    for old in SHOTS.glob(f"{prefix.name}-*.png"):
        old.unlink()
    with OpenAITestServer() as server, xvfb_display() as display:
        server.enqueue(ChatScript.markdown_demo())
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        env.pop("WAYLAND_DISPLAY", None)
        proc = subprocess.run(
            [
                sys.executable, "-m", "tests.ui.translated_window_driver",
                language, server.base_url, str(tmp_path), str(prefix),
            ],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=100,
        )  # fmt: skip
    assert proc.returncode == 0, f"driver failed:\n{proc.stdout}\n{proc.stderr[-3000:]}"
    report = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    for key, value in EXPECTED[language].items():
        assert report.get(key) == value, f"{key}: {report.get(key)!r}"
    for word in TRANSCRIPT_WORDS[language]:
        assert word in report["TRANSCRIPT"]
    clipped = {key: value for key, value in report.items() if key.startswith("CLIPPED")}
    assert clipped and all(value == "[]" for value in clipped.values()), clipped
    shots = sorted(SHOTS.glob(f"{prefix.name}-*.png"))
    assert len(shots) == 1 + len(EXPECTED[language]["TABS"].split(","))
    for shot in shots:
        image = QImage(str(shot))
        assert not image.isNull() and image.width() > 300 and image.height() > 300
    print(f"\nscreenshots saved: {', '.join(str(s) for s in shots)}")
