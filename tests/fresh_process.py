"""Running a script in a fresh interpreter (nothing imported yet), as a launch would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def output_of(script: str, extra_env: dict[str, str] | None = None) -> list[str]:
    """The lines `script` prints, run offscreen (unless `extra_env` says otherwise) in a
    fresh interpreter from the checkout's top."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env.update(extra_env or {})
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"the script failed:\n{done.stderr[-3000:]}"
    return done.stdout.splitlines()
