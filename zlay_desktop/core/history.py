"""What the chat session needs from conversation history (implemented over SQLite in store.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from zlay_desktop.core.assistants import ParamsOverride
from zlay_desktop.core.models import ChatParams, Message


@dataclass(frozen=True, slots=True)
class Conversation:
    id: int
    title: str
    profile_id: str | None = None
    params: ChatParams | None = None
    created_at: float = 0.0
    updated_at: float = 0.0
    assistant_id: str | None = None  # the assistant it goes on with (None: the default)
    override: ParamsOverride | None = None  # its own changes to that assistant's settings


class HistoryStore(Protocol):
    """Conversation repository.

    Calls come from one worker thread at a time (the chat session's writer) or from the
    GUI thread for reads; implementations must be safe for that.
    """

    def create_conversation(
        self,
        title: str,
        profile_id: str | None,
        params: ChatParams | None,
        assistant_id: str | None = None,
    ) -> Conversation: ...

    def get_conversation(self, conversation_id: int) -> Conversation | None: ...

    def update_conversation(self, conversation: Conversation) -> None: ...

    def set_conversation_assistant(self, conversation_id: int, assistant_id: str) -> None:
        """Changes which assistant the conversation goes on with (its override goes: it
        was an edit of the other one), and nothing else."""
        ...

    def set_conversation_override(
        self, conversation_id: int, override: ParamsOverride | None
    ) -> None:
        """Sets (None: removes) the conversation's own changes to its assistant's settings."""
        ...

    def append_message(
        self,
        conversation_id: int,
        message: Message,
        payloads: Mapping[str, bytes] | None = None,
        *,
        root: bool = False,
    ) -> Message:
        """Stores a new message under `message.parent_id` (None: at the end of the path
        shown, or with `root` as a first message) and returns it with its `id` set;
        `payloads` are its attachments' contents by sha256, stored first."""
        ...

    def attachment_data(self, hashes: Iterable[str]) -> dict[str, bytes]:
        """Stored attachments' contents by sha256 (a missing one is left out)."""
        ...

    def update_message(self, message: Message) -> None:
        """Replaces a stored message (matched by `message.id`): streaming saves, final state."""
        ...

    def messages(self, conversation_id: int, through: int | None = None) -> list[Message]:
        """The path shown (or the path through the message `through`)."""
        ...

    def versions(self, conversation_id: int) -> dict[int | None, tuple[int, ...]]:
        """Each message's children by parent id (None: the first messages), oldest first."""
        ...

    def show_message(self, conversation_id: int, message_id: int) -> list[Message]:
        """Remembers the path through this message as the one shown; returns it."""
        ...

    def delete_version(self, message_id: int) -> bool:
        """Hides a version and everything below it (undone by `restore_version`)."""
        ...

    def restore_version(self, message_id: int) -> bool: ...

    def purge_deleted_versions(self) -> int: ...

    def message_tree(self, conversation_id: int) -> list[Message]:
        """Every version, each message after its parent."""
        ...
