"""The user's login-shell PATH. A GUI app started from a desktop menu gets a bare PATH
without nvm, Homebrew or ~/.local/bin, so `npx`/`uvx` would not be found."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Mapping

log = logging.getLogger(__name__)

_MARK = "__ZLAY_PATH__"
SHELL_TIMEOUT_S = 5.0


def merge_paths(first: str, then: str) -> str:
    """`first`'s entries, then `then`'s that are not already there."""
    seen: list[str] = []
    for part in (*first.split(os.pathsep), *then.split(os.pathsep)):
        if part and part not in seen:
            seen.append(part)
    return os.pathsep.join(seen)


class LoginShellPath:
    """Asks `$SHELL -ilc` for its PATH once (in the background, with a timeout); falls back
    to the current PATH."""

    def __init__(
        self, environ: Mapping[str, str] | None = None, timeout_s: float = SHELL_TIMEOUT_S
    ) -> None:
        self._environ = os.environ if environ is None else environ
        self._timeout_s = timeout_s
        self._task: asyncio.Task[str] | None = None

    def prefetch(self) -> None:
        """Starts the lookup now (the first server start then need not wait for it)."""
        if self._task is None:
            self._task = asyncio.ensure_future(self._lookup())

    async def get(self) -> str:
        self.prefetch()
        assert self._task is not None
        return await asyncio.shield(self._task)

    async def _lookup(self) -> str:
        current = self._environ.get("PATH", os.defpath)
        shell = self._environ.get("SHELL", "")
        if sys.platform == "win32" or not shell:
            return current
        try:
            process = await asyncio.create_subprocess_exec(
                shell,
                "-ilc",
                f'printf "{_MARK}%s{_MARK}" "$PATH"',
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,
                start_new_session=True,  # an interactive shell must not take the terminal
            )
        except OSError as exc:
            log.info("login shell PATH not read (%s); using the current PATH", exc)
            return current
        try:
            async with asyncio.timeout(self._timeout_s):
                out, _ = await process.communicate()
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            log.info("login shell took over %.0f s; using the current PATH", self._timeout_s)
            return current
        text = out.decode("utf-8", "replace")
        parts = text.split(_MARK)
        if len(parts) < 3 or not parts[-2].strip():
            return current
        return merge_paths(parts[-2].strip(), current)
