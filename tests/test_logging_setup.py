"""The log file (core/logging_setup.py): one handler per file, secrets never written, the HTTP
libraries kept quiet. (The filter's own redaction: tests/test_app_options.py; the whole
app's logs: tests/security/test_logs.py.)"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from zlay_desktop.core.logging_setup import redacting_filter, setup_logging

SECRET = "hunter2-not-key-shaped"


@pytest.fixture
def root_logging() -> Iterator[None]:
    """Leaves the root logger and the shared filter as they were."""
    root = logging.getLogger()
    handlers, level, secrets = list(root.handlers), root.level, set(redacting_filter.secrets)
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    redacting_filter.secrets = secrets


def ours() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if getattr(h, "zlay", False)]


def test_a_known_secret_never_reaches_the_file(tmp_path: Path, root_logging: None) -> None:
    log_file = tmp_path / "logs" / "zlay-desktop.log"
    setup_logging(log_file, secrets=[SECRET])
    log = logging.getLogger("zlay_desktop.test")
    log.info("connecting with %s", SECRET)
    try:
        raise ValueError(f"server said: bad key {SECRET}")
    except ValueError:
        log.exception("request failed")
    for handler in ours():
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "connecting with [redacted]" in text and "request failed" in text
    assert "bad key [redacted]" in text  # the traceback too
    assert SECRET not in text


def test_one_handler_per_file_and_the_last_folder_wins(tmp_path: Path, root_logging: None) -> None:
    first, second = tmp_path / "a" / "app.log", tmp_path / "b" / "app.log"
    setup_logging(first)
    setup_logging(first)
    assert len(ours()) == 1
    setup_logging(second)  # another --data-dir in the same process
    logging.getLogger("zlay_desktop.test").warning("where am I")
    for handler in ours():
        handler.flush()
    assert len(ours()) == 1
    assert "where am I" in second.read_text(encoding="utf-8")
    assert "where am I" not in first.read_text(encoding="utf-8")


def test_http_request_lines_stay_out_of_the_log(tmp_path: Path, root_logging: None) -> None:
    setup_logging(tmp_path / "app.log")
    for name in ("httpx", "httpx2", "httpcore", "httpcore2", "openai"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
    assert logging.getLogger("zlay_desktop").isEnabledFor(logging.INFO)
