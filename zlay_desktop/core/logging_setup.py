"""A rotating log file with secrets redacted from every record."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterable
from pathlib import Path

from zlay_desktop.core.errors import redact

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFilter(logging.Filter):
    """Removes API keys and Authorization headers from the final message text.

    Known secrets can be added while the app runs (a key typed into Settings)."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets: set[str] = {s for s in secrets if s}

    def add_secret(self, secret: str) -> None:
        if secret:
            self.secrets.add(secret)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = redact(message, self.secrets)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


redacting_filter = RedactingFilter()


def setup_logging(log_file: Path, secrets: Iterable[str] = (), level: int = logging.INFO) -> None:
    for secret in secrets:
        redacting_filter.add_secret(secret)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "zlay", False)]:
        if Path(getattr(old, "baseFilename", "")) == log_file.resolve():
            return
        # Another data folder in the same process (tests, --data-dir): log there instead.
        root.removeHandler(old)
        old.close()
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.zlay = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(redacting_filter)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs request lines at INFO; keep the log about the app.
    for noisy in ("httpx", "httpx2", "httpcore", "httpcore2", "openai"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
