"""What each part of a message looks like as rows of the transcript's model.

Pure functions of a message (or of a reply still streaming) to `Row`s; the words the
user reads are in the QML (translated there), the rows carry the data and the HTML.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable

from zlay_desktop.core.i18n import QT_TRANSLATE_NOOP, translate
from zlay_desktop.core.markdown_render import Block, Theme, break_long_runs
from zlay_desktop.core.models import Message, ReplyState, Role
from zlay_desktop.core.reply_stats import reply_figures
from zlay_desktop.ui.transcript.model import Row

SHOWN_USER_CHARS = 100_000
"""Of a longer message of the user's, only this many characters are shown (Copy and Edit
take the whole): a pasted file of megabytes would be laid out all at once."""

ROLE_NAMES = {
    Role.USER: QT_TRANSLATE_NOOP("Transcript", "You"),
    Role.ASSISTANT: QT_TRANSLATE_NOOP("Transcript", "Assistant"),
    Role.SYSTEM: QT_TRANSLATE_NOOP("Transcript", "System"),
    Role.TOOL: QT_TRANSLATE_NOOP("Transcript", "Tool result"),
}


def role_name(role: Role) -> str:
    """A role's name as shown (in the user's language)."""
    name = ROLE_NAMES.get(role)
    return translate("Transcript", name) if name else role.value.title()


def header_row(key: int, role: Role, model: str | None, plain: str = "") -> Row:
    """An assistant's (or system's, a tool's) line above its answer; `plain` is the whole
    message's text for screen readers."""
    return Row(
        "header",
        key,
        text=plain,
        extra={"role": role_name(role), "model": model or ""},
    )


Version = tuple[int, int]
"""Which version of its message a message is, and of how many (1, 1: the only one)."""


def _versions(extra: dict[str, object], version: Version) -> dict[str, object]:
    """A message with other versions: the switcher's numbers, and Delete this version."""
    if version[1] > 1:
        extra["version"] = list(version)
        actions = extra["actions"]
        assert isinstance(actions, list)
        actions.append("delete-version")
    return extra


def user_row(key: int, message: Message, version: Version = (1, 1)) -> Row:
    """A user's words as written, in a bubble, with Copy and Edit under it."""
    text = message.content
    hidden = max(0, len(text) - SHOWN_USER_CHARS)
    shown = break_long_runs(text[:SHOWN_USER_CHARS]).replace("\0", "\ufffd")
    return Row(
        "user",
        key,
        text=shown,
        extra=_versions(
            {"role": role_name(Role.USER), "hidden": hidden, "actions": ["copy", "edit"]},
            version,
        ),
    )


def themed_links(fragment: str, theme: Theme) -> str:
    """Links in the theme's colour: Qt Quick's rich text takes the application palette's,
    which a forced light or dark look does not change."""
    return fragment.replace("<a href=", f'<a style="color:{theme.link}" href=')


def block_rows(key: int, blocks: Iterable[Block], theme: Theme, *, live: bool = False) -> list[Row]:
    rows: list[Row] = []
    for block in blocks:
        if block.kind == "code":
            rows.append(
                Row(
                    "code",
                    key,
                    html=block.code_html,
                    extra={"language": block.language, "fence": block.fence, "live": live},
                )
            )
        else:
            rows.append(
                Row("block", key, html=themed_links(block.html, theme), extra={"live": live})
            )
    return rows


def tail_row(key: int, tail_html: str, theme: Theme) -> list[Row]:
    if not tail_html:
        return []
    return [Row("block", key, html=themed_links(tail_html, theme), extra={"live": True})]


def open_code_row(key: int, language: str, fence: int, code: str, theme: Theme) -> Row:
    """A fence still open: its code as plain text until the closing fence arrives."""
    return Row(
        "code",
        key,
        html=_plain_code_html(code, theme),
        extra={"language": language, "fence": fence, "live": True},
    )


def reasoning_row(
    key: int, text: str, *, expanded: bool, seconds: float | None, live: bool
) -> list[Row]:
    if not text:
        return []
    return [
        Row(
            "reasoning",
            key,
            text=text if expanded else "",
            extra={
                "expanded": expanded,
                "seconds": -1.0 if seconds is None else float(seconds),
                "live": live,
            },
        )
    ]


def refusal_rows(key: int, refusal: str) -> list[Row]:
    return [Row("notice", key, text=refusal)] if refusal else []


def waiting_row(key: int, elapsed_s: float | None) -> Row:
    return Row("waiting", key, extra={"seconds": -1 if elapsed_s is None else int(elapsed_s)})


def footer_row(
    key: int, message: Message, *, last: bool = True, version: Version = (1, 1)
) -> Row:
    """Status, figures and actions under a finished (or failed, stopped…) reply. Retry and
    Continue act on the last reply only: an earlier one offers Regenerate instead. A reply
    with other versions has the version switcher."""
    state = "finished"
    actions = ["copy", "regenerate"]
    goes_on = bool(message.content.strip())
    error = ""
    retry_after = -1.0
    if message.state is ReplyState.FAILED:
        state = "failed"
        error = message.error.message if message.error is not None else ""
        if message.error is not None and message.error.retry_after:
            retry_after = float(message.error.retry_after)
        # Even for a rejected key: the user may fix it in Settings and try again.
        actions = ["copy", *(["continue"] if goes_on else []), "retry"]
    elif message.state is ReplyState.STOPPED:
        state = "stopped"
        actions = ["copy", *(["continue"] if goes_on else []), "retry"]
    elif message.state is ReplyState.INTERRUPTED:
        state = "interrupted"
        actions = ["copy", "continue", "retry"]
    elif message.was_cut:
        state = "cut"
        actions = ["copy", "regenerate", "continue"]
    elif message.finish_reason == "content_filter":
        state = "filtered"
    if not last:
        actions = ["copy", "regenerate"]
    return Row(
        "footer",
        key,
        text=reply_figures(message),
        extra=_versions(
            {
                "state": state,
                "error": error,
                "retryAfter": retry_after,
                "actions": actions,
            },
            version,
        ),
    )


def pretty_arguments(arguments: str) -> str:
    """Tool arguments as indented JSON when they are complete JSON, else as written."""
    try:
        return json.dumps(json.loads(arguments), indent=2, ensure_ascii=False)
    except ValueError:
        return arguments


def _plain_code_html(code: str, theme: Theme) -> str:
    return (
        f'<pre style="color:{theme.code_foreground}; margin:0px">'
        f"{html.escape(code.removesuffix(chr(10)))}</pre>"
    )
