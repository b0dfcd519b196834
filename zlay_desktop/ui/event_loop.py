"""The qasync event loop, made to behave like asyncio's own where it matters."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import qasync
from PySide6.QtCore import QCoreApplication


def create_event_loop(app: QCoreApplication) -> asyncio.AbstractEventLoop:
    """A qasync loop set as the current loop, with asyncio's async-generator hooks.

    WORKAROUND (qasync 0.27-0.28): asyncio's own loops install these hooks while they run;
    qasync does not. Without them
    an async generator left suspended (an HTTP body iterator after `[DONE]`, say) is
    finalized by the garbage collector outside the loop and fails with "async generator
    ignored GeneratorExit". With them its `aclose()` is scheduled on the loop, as usual.
    """
    loop: Any = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    sys.set_asyncgen_hooks(
        firstiter=loop._asyncgen_firstiter_hook,
        finalizer=loop._asyncgen_finalizer_hook,
    )
    return loop  # type: ignore[no-any-return]


def close_event_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Finalizes pending async generators, then closes the loop and removes the hooks."""
    if not loop.is_closed():
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
    sys.set_asyncgen_hooks(firstiter=None, finalizer=None)
    asyncio.set_event_loop(None)
