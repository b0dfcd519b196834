"""What the app remembers between runs that is not a setting: the window's place and size,
the conversation that was open, and an unsent draft per conversation.

Kept in `state.json` beside the history (never a secret). Loaded leniently: a damaged or
unreadable file means a fresh start, never a refusal to start.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from zlay_desktop.core.files import write_atomically

log = logging.getLogger(__name__)

NEW_CONVERSATION_DRAFT = "new"
"""The draft key of a conversation not stored yet."""

MAX_DRAFT_CHARS = 1_000_000
"""Longer drafts are kept for this run only (a pasted file is not worth a slow save)."""


def draft_key(conversation_id: int | None) -> str:
    return str(conversation_id) if conversation_id else NEW_CONVERSATION_DRAFT


@dataclass(frozen=True)
class AppState:
    window_geometry: str = ""  # Qt's own encoding of the window's place and size (base64)
    splitter_sizes: tuple[int, ...] = ()
    last_conversation_id: int | None = None
    drafts: Mapping[str, str] = field(default_factory=dict)
    close_to_tray: bool = False  # closing the window keeps the app in the tray

    def with_draft(self, key: str, text: str) -> AppState:
        drafts = dict(self.drafts)
        if text.strip():
            drafts[key] = text
        else:
            drafts.pop(key, None)
        return replace(self, drafts=drafts)


class AppStateFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> AppState:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return AppState()
        except (OSError, ValueError) as exc:
            log.warning("app state not read (starting fresh): %s", exc)
            return AppState()
        return _state_from_json(raw)

    def save(self, state: AppState) -> None:
        """Raises OSError when it cannot be written (the caller reports it)."""
        drafts = {k: v for k, v in state.drafts.items() if len(v) <= MAX_DRAFT_CHARS}
        data = {
            "window_geometry": state.window_geometry,
            "splitter_sizes": list(state.splitter_sizes),
            "last_conversation_id": state.last_conversation_id,
            "drafts": drafts,
            "close_to_tray": state.close_to_tray,
        }
        write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _state_from_json(raw: Any) -> AppState:
    if not isinstance(raw, dict):
        return AppState()
    geometry = raw.get("window_geometry")
    sizes = raw.get("splitter_sizes")
    last = raw.get("last_conversation_id")
    drafts = raw.get("drafts")
    return AppState(
        window_geometry=geometry if isinstance(geometry, str) else "",
        splitter_sizes=tuple(s for s in sizes if isinstance(s, int) and s >= 0)
        if isinstance(sizes, list)
        else (),
        last_conversation_id=last if isinstance(last, int) and last > 0 else None,
        drafts={k: v for k, v in drafts.items() if isinstance(k, str) and isinstance(v, str)}
        if isinstance(drafts, dict)
        else {},
        close_to_tray=raw.get("close_to_tray") is True,
    )
