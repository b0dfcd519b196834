"""Conversations to and from files: Markdown, the app's own JSON, and ChatGPT data exports.

The JSON shape of a message here is the app's interchange format (versioned by
`FORMAT_VERSION`); the database stores a few of the same pieces (`error`, `usage`, …) with
the same codecs, so a value written by one reads back identically in the other.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from zlay_desktop import APP_NAME
from zlay_desktop.core.files import write_atomically
from zlay_desktop.core.history import Conversation
from zlay_desktop.core.i18n import QT_TRANSLATE_NOOP, translate
from zlay_desktop.core.models import (
    Attachment,
    AttachmentKind,
    ChatError,
    ChatParams,
    ErrorKind,
    Message,
    ReplyState,
    ReplyTimings,
    Role,
    ToolCall,
    Usage,
)

FORMAT_NAME = "zlay-desktop"
# 2: attachments (a version 1 app would drop them silently); 3: versions (messages carry
# "id" and "parent_id", a tree; a version 2 app would show every version in one line).
FORMAT_VERSION = 3


class ImportFormatError(ValueError):
    """A file that cannot be imported, in words for the user."""


@dataclass(frozen=True, slots=True)
class ExportedConversation:
    """A conversation with its messages, detached from any database.

    Messages without ids are one path, in order. With ids (the database's on export, the
    file's on import: they only link messages to their `parent_id`s), they are a tree,
    each after its parent, and `shown_id` is the last message of the path shown."""

    conversation: Conversation
    messages: tuple[Message, ...]
    # Attachments' contents by sha256: written into a JSON export, restored by an import.
    payloads: Mapping[str, bytes] = field(default_factory=dict, compare=False)
    shown_id: int | None = None


# --- field codecs (shared with the database's JSON columns) --------------------------------

JsonDict = dict[str, object]


def _get_str(d: Mapping[str, object], key: str, default: str = "") -> str:
    value = d.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ImportFormatError(f"“{key}” should be text, found {type(value).__name__}.")
    return value


def _get_opt_str(d: Mapping[str, object], key: str) -> str | None:
    value = d.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ImportFormatError(f"“{key}” should be text, found {type(value).__name__}.")
    return value


def _get_opt_float(d: Mapping[str, object], key: str) -> float | None:
    value = d.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ImportFormatError(f"“{key}” should be a number, found {type(value).__name__}.")
    return float(value)


def _get_opt_int(d: Mapping[str, object], key: str) -> int | None:
    value = d.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ImportFormatError(f"“{key}” should be a whole number, found {value!r}.")
    return value


def _as_dict(value: object, what: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise ImportFormatError(f"{what} should be an object, found {type(value).__name__}.")
    return value


def _as_list(value: object, what: str) -> list[object]:
    if not isinstance(value, list):
        raise ImportFormatError(f"{what} should be a list, found {type(value).__name__}.")
    return value


def tool_call_to_dict(call: ToolCall) -> JsonDict:
    return {"id": call.id, "type": call.type, "name": call.name, "arguments": call.arguments}


def tool_call_from_dict(value: object) -> ToolCall:
    d = _as_dict(value, "A tool call")
    return ToolCall(
        id=_get_str(d, "id"),
        name=_get_str(d, "name"),
        arguments=_get_str(d, "arguments"),
        type=_get_str(d, "type", "function"),
    )


def error_to_dict(error: ChatError) -> JsonDict:
    return {
        "kind": error.kind.value,
        "message": error.message,
        "retry_after": error.retry_after,
        "status": error.status,
        "detail": error.detail,
    }


def error_from_dict(value: object) -> ChatError:
    d = _as_dict(value, "An error")
    kind_text = _get_str(d, "kind", ErrorKind.UNEXPECTED.value)
    try:
        kind = ErrorKind(kind_text)
    except ValueError:
        kind = ErrorKind.UNEXPECTED  # a kind this version does not know: still show the text
    return ChatError(
        kind=kind,
        message=_get_str(d, "message"),
        retry_after=_get_opt_float(d, "retry_after"),
        status=_get_opt_int(d, "status"),
        detail=_get_str(d, "detail"),
    )


def usage_to_dict(usage: Usage) -> JsonDict:
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
        "reasoning_tokens": usage.reasoning_tokens,
    }


def usage_from_dict(value: object) -> Usage:
    d = _as_dict(value, "Token usage")
    return Usage(
        prompt_tokens=_get_opt_int(d, "prompt_tokens"),
        completion_tokens=_get_opt_int(d, "completion_tokens"),
        total_tokens=_get_opt_int(d, "total_tokens"),
        reasoning_tokens=_get_opt_int(d, "reasoning_tokens"),
    )


def timings_to_dict(timings: ReplyTimings) -> JsonDict:
    return {
        "first_token_s": timings.first_token_s,
        "duration_s": timings.duration_s,
        "chunks": timings.chunks,
        "last_token_s": timings.last_token_s,
    }


def timings_from_dict(value: object) -> ReplyTimings:
    d = _as_dict(value, "Reply timings")
    return ReplyTimings(
        first_token_s=_get_opt_float(d, "first_token_s"),
        duration_s=_get_opt_float(d, "duration_s"),
        chunks=_get_opt_int(d, "chunks") or 0,
        last_token_s=_get_opt_float(d, "last_token_s"),
    )


def params_to_dict(params: ChatParams) -> JsonDict:
    return {
        "model": params.model,
        "temperature": params.temperature,
        "max_tokens": params.max_tokens,
        "system_prompt": params.system_prompt,
        "top_p": params.top_p,
    }


def params_from_dict(value: object) -> ChatParams:
    d = _as_dict(value, "Chat parameters")
    return ChatParams(
        model=_get_str(d, "model"),
        temperature=_get_opt_float(d, "temperature"),
        max_tokens=_get_opt_int(d, "max_tokens"),
        system_prompt=_get_str(d, "system_prompt"),
        top_p=_get_opt_float(d, "top_p"),
    )


def attachment_to_dict(attachment: Attachment) -> JsonDict:
    return {
        "kind": attachment.kind.value,
        "name": attachment.name,
        "sha256": attachment.sha256,
        "mime": attachment.mime,
        "size": attachment.size,
        "tokens": attachment.tokens,
        "width": attachment.width,
        "height": attachment.height,
        "pages": attachment.pages,
    }


def attachment_from_dict(value: object) -> Attachment:
    d = _as_dict(value, "An attachment")
    try:
        kind = AttachmentKind(_get_str(d, "kind"))
    except ValueError:
        raise ImportFormatError(f"Unknown attachment kind “{d.get('kind')}”.") from None
    sha = _get_str(d, "sha256").lower()
    if len(sha) != 64 or any(ch not in "0123456789abcdef" for ch in sha):
        raise ImportFormatError("An attachment has no valid sha256.")
    return Attachment(
        kind=kind,
        name=_get_str(d, "name") or "attachment",
        sha256=sha,
        mime=_get_str(d, "mime"),
        size=_get_opt_int(d, "size") or 0,
        tokens=_get_opt_int(d, "tokens") or 0,
        width=_get_opt_int(d, "width") or 0,
        height=_get_opt_int(d, "height") or 0,
        pages=_get_opt_int(d, "pages") or 0,
    )


def _role(text: str) -> Role:
    try:
        return Role(text)
    except ValueError:
        raise ImportFormatError(f"Unknown message role “{text}”.") from None


def _state(text: str) -> ReplyState:
    try:
        return ReplyState(text)
    except ValueError:
        raise ImportFormatError(f"Unknown message state “{text}”.") from None


def message_to_dict(message: Message) -> JsonDict:
    """The app's JSON for one message (its id and parent's only link it within a file)."""
    return {
        "id": message.id,
        "parent_id": message.parent_id,
        "role": message.role.value,
        "content": message.content,
        "reasoning": message.reasoning,
        "refusal": message.refusal,
        "tool_calls": [tool_call_to_dict(c) for c in message.tool_calls],
        "tool_call_id": message.tool_call_id,
        "state": message.state.value,
        "finish_reason": message.finish_reason,
        "error": None if message.error is None else error_to_dict(message.error),
        "usage": None if message.usage is None else usage_to_dict(message.usage),
        "timings": None if message.timings is None else timings_to_dict(message.timings),
        "model": message.model,
        "created_at": message.created_at,
        "attachments": [attachment_to_dict(a) for a in message.attachments],
    }


def message_from_dict(value: object) -> Message:
    d = _as_dict(value, "A message")
    error = d.get("error")
    usage = d.get("usage")
    timings = d.get("timings")
    return Message(
        role=_role(_get_str(d, "role")),
        content=_get_str(d, "content"),
        reasoning=_get_str(d, "reasoning"),
        refusal=_get_str(d, "refusal"),
        tool_calls=tuple(
            tool_call_from_dict(c) for c in _as_list(d.get("tool_calls") or [], "tool_calls")
        ),
        tool_call_id=_get_opt_str(d, "tool_call_id"),
        state=_state(_get_str(d, "state", ReplyState.FINISHED.value)),
        finish_reason=_get_opt_str(d, "finish_reason"),
        error=None if error is None else error_from_dict(error),
        usage=None if usage is None else usage_from_dict(usage),
        timings=None if timings is None else timings_from_dict(timings),
        model=_get_opt_str(d, "model"),
        created_at=_get_opt_float(d, "created_at") or 0.0,
        id=_get_opt_int(d, "id"),
        parent_id=_get_opt_int(d, "parent_id"),
        attachments=tuple(
            attachment_from_dict(a) for a in _as_list(d.get("attachments") or [], "attachments")
        ),
    )


def dumps_compact(value: object) -> str:
    """JSON for storage. ASCII-only on purpose: lone surrogates survive as \\udXXX escapes."""
    return json.dumps(value, separators=(",", ":"))


# --- the app's own JSON ---------------------------------------------------------------------


def _conversation_to_dict(item: ExportedConversation) -> JsonDict:
    conv = item.conversation
    return {
        "title": conv.title,
        "profile_id": conv.profile_id,
        "params": None if conv.params is None else params_to_dict(conv.params),
        "created_at": conv.created_at,
        "updated_at": conv.updated_at,
        "messages": [message_to_dict(m) for m in item.messages],
        "shown_id": item.shown_id,
        # Each attachment's content once, by sha256 (base64).
        "files": {
            sha: base64.b64encode(item.payloads[sha]).decode("ascii")
            for sha in dict.fromkeys(a.sha256 for m in item.messages for a in m.attachments)
            if sha in item.payloads
        },
    }


def _files_from_dict(value: object) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for sha, encoded in _as_dict(value or {}, "“files”").items():
        if not isinstance(encoded, str):
            raise ImportFormatError("An attachment's content is not base64 text.")
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise ImportFormatError("An attachment's content is not valid base64.") from None
        if hashlib.sha256(data).hexdigest() != sha:
            raise ImportFormatError(
                "An attachment's content does not match its checksum: the file is damaged."
            )
        files[sha] = data
    return files


def to_json(items: Iterable[ExportedConversation]) -> str:
    """The app's own export format: every field kept, versioned, ASCII-only (lossless)."""
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": time.time(),
        "conversations": [_conversation_to_dict(item) for item in items],
    }
    return json.dumps(document, indent=1) + "\n"


def from_json(text: str) -> list[ExportedConversation]:
    """Reads a file written by `to_json` (this or an earlier format version)."""
    document = _as_dict(_loads(text), "The file")
    if document.get("format") != FORMAT_NAME:
        raise ImportFormatError(translate("Export", "This is not a {0} export.").format(APP_NAME))
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ImportFormatError(translate("Export", "The export has no format version."))
    if version > FORMAT_VERSION:
        raise ImportFormatError(
            translate(
                "Export",
                "This export was written by a newer version of {0} (format {1}); "
                "update the app to import it.",
            ).format(APP_NAME, version)
        )
    items: list[ExportedConversation] = []
    for raw in _as_list(document.get("conversations"), "“conversations”"):
        d = _as_dict(raw, "A conversation")
        params = d.get("params")
        conversation = Conversation(
            id=0,
            title=_get_str(d, "title"),
            profile_id=_get_opt_str(d, "profile_id"),
            params=None if params is None else params_from_dict(params),
            created_at=_get_opt_float(d, "created_at") or 0.0,
            updated_at=_get_opt_float(d, "updated_at") or 0.0,
        )
        messages = tuple(message_from_dict(m) for m in _as_list(d.get("messages"), "messages"))
        payloads = _files_from_dict(d.get("files"))
        items.append(
            ExportedConversation(conversation, messages, payloads, _get_opt_int(d, "shown_id"))
        )
    return items


def _loads(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            translate("Export", "The file is not valid JSON ({0}, line {1}).").format(
                exc.msg, exc.lineno
            )
        ) from None


# --- ChatGPT data export ----------------------------------------------------------------------

_CHATGPT_TEXT_TYPES = frozenset({"text", "multimodal_text"})


def _chatgpt_current(mapping: Mapping[str, object], current: object) -> str | None:
    """The node the conversation was left at (else the last leaf: a node without children)."""
    if isinstance(current, str) and current in mapping:
        return current
    leaves = [
        key for key, node in mapping.items() if isinstance(node, dict) and not node.get("children")
    ]
    return leaves[-1] if leaves else None


def _chatgpt_tree(
    mapping: Mapping[str, object], current: object, created_at: float
) -> tuple[tuple[Message, ...], int | None]:
    """Every branch of a ChatGPT conversation (its `mapping` is a tree already): messages
    numbered in the file's order, each after its parent, and the one shown (`current`).
    Nodes that are not messages to keep (system prompts, tool output) are passed through:
    their children hang from the nearest kept ancestor."""
    numbers: dict[str, int] = {}  # node id -> the number of its kept message
    kept_above: dict[str, int | None] = {}  # node id -> nearest kept message at or above it
    messages: list[Message] = []
    roots = [
        key
        for key, node in mapping.items()
        if isinstance(node, dict) and node.get("parent") not in mapping
    ]
    if not roots:  # a broken export where every parent is in a loop: start somewhere
        start = _chatgpt_current(mapping, current) or next(iter(mapping), None)
        roots = [] if start is None else [start]
    stack: list[tuple[str, int | None]] = [(key, None) for key in reversed(roots)]
    seen: set[str] = set()
    while stack:
        node_id, above = stack.pop()
        if node_id in seen:  # a broken export with a loop must not hang the import
            continue
        seen.add(node_id)
        node = mapping.get(node_id)
        if not isinstance(node, dict):
            continue
        message = _chatgpt_message(node, created_at)
        if message is not None:
            number = len(messages) + 1
            messages.append(replace(message, id=number, parent_id=above))
            numbers[node_id] = number
            above = number
        kept_above[node_id] = above
        children = node.get("children")
        if isinstance(children, list):
            stack.extend((c, above) for c in reversed(children) if isinstance(c, str))
    shown = _chatgpt_current(mapping, current)
    return tuple(messages), None if shown is None else kept_above.get(shown)


def _chatgpt_message(node: Mapping[str, object], fallback_time: float) -> Message | None:
    raw = node.get("message")
    if not isinstance(raw, dict):
        return None
    author = raw.get("author")
    role_text = author.get("role") if isinstance(author, dict) else None
    if role_text == "user":
        role = Role.USER
    elif role_text == "assistant":
        role = Role.ASSISTANT
    else:
        return None  # system prompts, tool output, browsing results
    metadata = raw.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    if metadata.get("is_visually_hidden_from_conversation"):
        return None
    recipient = raw.get("recipient")
    if recipient not in (None, "all"):
        return None  # a call addressed to a tool (code interpreter, browser…)
    content = raw.get("content")
    if not isinstance(content, dict) or content.get("content_type") not in _CHATGPT_TEXT_TYPES:
        return None
    parts = content.get("parts")
    if not isinstance(parts, list):
        return None
    text = "\n".join(p for p in parts if isinstance(p, str))
    if not text.strip():
        return None
    model = metadata.get("model_slug")
    created = raw.get("create_time")
    return Message(
        role=role,
        content=text,
        state=ReplyState.FINISHED,
        model=model if isinstance(model, str) else None,
        created_at=float(created) if isinstance(created, int | float) else fallback_time,
    )


def from_chatgpt_export(text: str) -> list[ExportedConversation]:
    """Reads `conversations.json` from a ChatGPT data export, every branch of each (the one
    shown there is the one shown here)."""
    document = _loads(text)
    if not isinstance(document, list):
        raise ImportFormatError(
            translate("Export", "This is not a ChatGPT conversations.json (expected a list).")
        )
    items: list[ExportedConversation] = []
    for raw in document:
        mapping = raw.get("mapping") if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not isinstance(mapping, dict):
            raise ImportFormatError(
                translate("Export", "This is not a ChatGPT conversations.json (no “mapping”).")
            )
        created = raw.get("create_time")
        updated = raw.get("update_time")
        created_at = float(created) if isinstance(created, int | float) else 0.0
        updated_at = float(updated) if isinstance(updated, int | float) else created_at
        messages, shown = _chatgpt_tree(mapping, raw.get("current_node"), created_at)
        if not messages:
            continue
        title = raw.get("title")
        conversation = Conversation(
            id=0,
            title=title
            if isinstance(title, str) and title.strip()
            else translate("Export", "Imported conversation"),
            created_at=created_at,
            updated_at=updated_at,
        )
        items.append(ExportedConversation(conversation, messages, shown_id=shown))
    return items


def read_import_file(path: Path) -> list[ExportedConversation]:
    """Reads either format, told apart by shape: a ChatGPT export is a JSON list."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ImportFormatError(translate("Export", "The file is not UTF-8 text.")) from None
    except OSError as exc:
        raise ImportFormatError(
            translate("Export", "The file could not be read: {0}.").format(exc.strerror)
        ) from None
    if text.lstrip().startswith("["):
        return from_chatgpt_export(text)
    return from_json(text)


# --- Markdown ---------------------------------------------------------------------------------

_ROLE_HEADINGS = {
    Role.USER: QT_TRANSLATE_NOOP("Export", "You"),
    Role.ASSISTANT: QT_TRANSLATE_NOOP("Export", "Assistant"),
    Role.SYSTEM: QT_TRANSLATE_NOOP("Export", "System"),
    Role.TOOL: QT_TRANSLATE_NOOP("Export", "Tool result"),
}

_STATE_NOTES = {
    ReplyState.STOPPED: QT_TRANSLATE_NOOP("Export", "Stopped by the user."),
    ReplyState.INTERRUPTED: QT_TRANSLATE_NOOP(
        "Export", "Interrupted: the app closed while this reply was arriving."
    ),
    ReplyState.STREAMING: QT_TRANSLATE_NOOP("Export", "Still arriving when exported."),
}


def _fence(text: str, info: str = "") -> str:
    """A code fence longer than any backtick run inside the text."""
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text}\n{ticks}"


def _format_time(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))


def attachment_file_names(messages: Sequence[Message], folder: str) -> dict[str, str]:
    """Where a Markdown export puts each attachment: sha256 -> "folder/name", a distinct
    name per file, its extension that of what is stored (an image is PNG or JPEG, a
    document's text is .txt unless it was text already)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for message in messages:
        for a in message.attachments:
            if a.sha256 in names:
                continue
            base = Path(a.name).name or "attachment"
            stem, suffix = Path(base).stem or "attachment", Path(base).suffix
            if a.mime == "image/png":
                suffix = ".png"
            elif a.mime == "image/jpeg":
                suffix = ".jpg" if suffix.lower() not in (".jpg", ".jpeg") else suffix
            elif a.kind is AttachmentKind.DOCUMENT and suffix.lower() in (".pdf", ""):
                suffix = suffix + ".txt"
            candidate, n = f"{stem}{suffix}", 1
            while candidate.lower() in taken:
                n += 1
                candidate = f"{stem}-{n}{suffix}"
            taken.add(candidate.lower())
            names[a.sha256] = f"{folder}/{candidate}"
    return names


def _link_target(path: str) -> str:
    return "<" + path.replace("<", "%3C").replace(">", "%3E") + ">"


def to_markdown(
    conversation: Conversation,
    messages: Sequence[Message],
    attachment_paths: Mapping[str, str] | None = None,
) -> str:
    """A readable transcript. Not meant for re-import (use `to_json` for that).

    `attachment_paths` (see `attachment_file_names`): where the attachments were written,
    relative to the transcript; they are linked (images shown). Without it they are named.
    """
    paths = attachment_paths or {}
    title = conversation.title or translate("Export", "Untitled conversation")
    lines = [f"# {title}", ""]
    about = [translate("Export", "Exported from {0}").format(APP_NAME)]
    if conversation.params is not None and conversation.params.model:
        about.append(translate("Export", "model {0}").format(conversation.params.model))
    if conversation.created_at:
        started = _format_time(conversation.created_at)
        about.append(translate("Export", "started {0}").format(started))
    lines += ["_" + " · ".join(about) + "_", ""]
    for message in messages:
        heading = translate("Export", _ROLE_HEADINGS[message.role])
        if message.role is Role.ASSISTANT and message.model:
            heading += f" ({message.model})"
        lines += [f"## {heading}", ""]
        if message.reasoning:
            lines += [
                f"<details><summary>{translate('Export', 'Reasoning')}</summary>",
                "",
                message.reasoning,
                "",
                "</details>",
                "",
            ]
        if message.content:
            lines += [demote_headings(message.content), ""]
        for a in message.attachments:
            path = paths.get(a.sha256)
            label = a.name.replace("[", "\\[").replace("]", "\\]")
            if path is None:
                lines += [f"📎 {label}", ""]
            elif a.kind is AttachmentKind.IMAGE:
                lines += [f"![{label}]({_link_target(path)})", ""]
            else:
                lines += [f"📎 [{label}]({_link_target(path)})", ""]
        if message.refusal:
            lines += ["> " + translate("Export", "Refused: {0}").format(message.refusal), ""]
        for call in message.tool_calls:
            tool_call = translate("Export", "Tool call")
            lines += [f"**{tool_call}** `{call.name}`", "", _fence(call.arguments, "json"), ""]
        note = _STATE_NOTES.get(message.state)
        note = translate("Export", note) if note else None
        if message.state is ReplyState.FAILED and message.error is not None:
            note = translate("Export", "Failed: {0}").format(message.error.message)
        elif message.was_cut:
            note = translate("Export", "Cut short: the reply reached the token limit.")
        if note:
            lines += [f"> _{note}_", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def demote_headings(markdown: str, levels: int = 2) -> str:
    """The message's own headings moved `levels` down (at most to level 6), so that they sit
    under the transcript's "## Assistant" instead of clashing with it. Only real headings
    move: a "#" in a code block or in running text is left alone."""
    from markdown_it import MarkdownIt

    lines = markdown.split("\n")
    tokens = MarkdownIt("commonmark").parse(markdown)
    dropped: set[int] = set()
    for token in tokens:
        if token.type != "heading_open" or token.map is None:
            continue
        level = min(int(token.tag[1]) + levels, 6)
        start, end = token.map
        if token.markup.startswith("#"):  # "## Title": more hashes, whatever comes before
            line = lines[start]
            at = line.index("#")
            stripped = line[at:].lstrip("#")
            lines[start] = f"{line[:at]}{'#' * level}{stripped}"
        elif end - start >= 2:  # "Title" over "====": written as "### Title"
            text = " ".join(part.strip() for part in lines[start : end - 1])
            lines[start] = f"{'#' * level} {text}"
            dropped.update(range(start + 1, end))
    return "\n".join(line for i, line in enumerate(lines) if i not in dropped)


def write_text_file(path: Path, text: str) -> None:
    """Writes an export atomically (a crash never leaves half a file under the real name).

    Text that cannot be encoded (a lone surrogate) is replaced in the file; the JSON export
    is ASCII-only, so only the Markdown transcript can be affected.
    """
    write_atomically(Path(path), text, errors="replace")
