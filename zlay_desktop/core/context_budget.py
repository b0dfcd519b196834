"""Whether a message with documents fits the model's context, estimated before sending.

The estimate is the usual cheap one (about four characters a token, and each attachment's
own estimate); the context is the model's when it is known here (by its name), otherwise a
conservative default (`Settings.default_context_tokens`). Too much is said to the user, who
may send anyway or remove a file: a server would otherwise cut or refuse it silently.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from zlay_desktop.core.models import Attachment, AttachmentKind, Message

__all__ = [
    "DEFAULT_CONTEXT_TOKENS",
    "ContextEstimate",
    "context_tokens_for",
    "estimate_context",
    "has_documents",
]

DEFAULT_CONTEXT_TOKENS: Final = 8192
"""A model not known here: what small local models (Ollama, llama.cpp) often run with."""

# Prefixes of model names (without a "vendor/" part), most specific first.
_KNOWN: Final = (
    ("gpt-4.1", 1_047_576),
    ("gpt-5", 400_000),
    ("gpt-4o", 128_000),
    ("gpt-4-turbo", 128_000),
    ("gpt-4", 8_192),
    ("gpt-3.5-turbo", 16_385),
    ("o1", 200_000),
    ("o3", 200_000),
    ("o4", 200_000),
    ("claude", 200_000),
    ("deepseek", 64_000),
    ("mistral-large", 128_000),
    ("gemini", 1_000_000),
)


def context_tokens_for(model: str, default: int = DEFAULT_CONTEXT_TOKENS) -> int:
    """The model's context in tokens when known by its name, else `default`."""
    name = model.strip().lower().rsplit("/", 1)[-1]
    for prefix, tokens in _KNOWN:
        if name.startswith(prefix):
            return tokens
    return default


@dataclass(frozen=True, slots=True)
class ContextEstimate:
    tokens: int  # the conversation with the new message, estimated
    context: int  # what the model takes

    @property
    def exceeded(self) -> bool:
        return self.tokens > self.context


def estimate_context(
    history: Sequence[Message],
    text: str,
    attachments: Sequence[Attachment],
    context: int,
    reply_tokens: int = 0,
) -> ContextEstimate:
    """The estimate of a request: the history, the new text and files, and the room kept
    for the reply (its `max_tokens`, when set)."""
    chars = len(text) + sum(len(m.content) + len(m.reasoning) for m in history)
    files = sum(a.tokens for m in history for a in m.attachments)
    files += sum(a.tokens for a in attachments)
    return ContextEstimate(math.ceil(chars / 4) + files + reply_tokens, context)


def has_documents(attachments: Sequence[Attachment]) -> bool:
    return any(a.kind is AttachmentKind.DOCUMENT for a in attachments)
