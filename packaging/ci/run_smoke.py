"""Runs a built app's `--smoke` self-test against the project's test server; any OS.

    python packaging/ci/run_smoke.py PATH/TO/zlay-desktop[.exe] [--platform NAME]

Starts the test server (tests/testserver) in this process, stores a random key in the OS
keyring under the smoke test's entry (when the keyring accepts it) so the app must read
that very value back, runs the app, prints its report and exits with the app's status.
The Windows build has no console, so the report is read from the app's log there.
Used by the hosted CI workflow (packaging/ci/build-installers.yml).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.testserver import OpenAITestServer  # noqa: E402 - needs ROOT on the path
from zlay_desktop.smoke import (  # noqa: E402
    EXPECTED_KEY_DIGEST_VARIABLE,
    KEYRING_SERVICE,
    KEYRING_USER,
)

RUN_TIMEOUT_S = 180


def store_smoke_key() -> str | None:
    """Stores a fresh random key; returns its SHA-256, or None when the keyring refused."""
    import keyring

    value = secrets.token_urlsafe(24)
    try:
        keyring.set_password(KEYRING_SERVICE, KEYRING_USER, value)
    except Exception as exc:  # noqa: BLE001 - any keyring failure: run without a known key
        print(f"(no key stored in the keyring: {type(exc).__name__}: {exc})")
        return None
    return hashlib.sha256(value.encode()).hexdigest()


def forget_smoke_key() -> None:
    import keyring

    # Nothing stored, or no keyring: nothing to undo.
    with contextlib.suppress(Exception):
        keyring.delete_password(KEYRING_SERVICE, KEYRING_USER)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", type=Path, help="the built executable")
    parser.add_argument("--platform", help="QT_QPA_PLATFORM for the app (default: native)")
    args = parser.parse_args(argv)

    digest = store_smoke_key()
    env = dict(os.environ)
    env.pop("OPENAI_API_KEY", None)
    if digest:
        env[EXPECTED_KEY_DIGEST_VARIABLE] = digest
    if args.platform:
        env["QT_QPA_PLATFORM"] = args.platform
    try:
        with OpenAITestServer() as server, tempfile.TemporaryDirectory() as data:
            command = [
                str(args.app),
                "--smoke",
                "--base-url",
                server.base_url,
                "--model",
                "test-model",
                "--data-dir",
                data,
            ]
            print("$", " ".join(command), flush=True)
            result = subprocess.run(
                command, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S
            )
            report = result.stdout
            log = Path(data) / "logs" / "zlay-desktop.log"
            if not report.strip() and log.is_file():
                lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
                marker = "[smoke] "
                report = "\n".join(line.split(marker, 1)[1] for line in lines if marker in line)
            print(report)
            if result.returncode != 0:
                print(result.stderr, file=sys.stderr)
            print(f"exit status {result.returncode}")
            return result.returncode
    finally:
        if digest:
            forget_smoke_key()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
