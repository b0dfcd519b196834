"""The one-line summary shown under a reply: time to first token, speed, token usage."""

from __future__ import annotations

from zlay_desktop.core.models import Message, ReplyState


def reply_status_line(message: Message) -> str:
    parts: list[str] = []
    timings = message.timings
    if message.model:
        parts.append(message.model)
    if timings is not None and timings.first_token_s is not None:
        parts.append(f"first token {timings.first_token_s * 1000:.0f} ms")
    if timings is not None:
        rate = timings.tokens_per_second(message.usage, len(message.content))
        if rate is not None:
            estimated = not (message.usage and message.usage.completion_tokens)
            parts.append(f"{'~' if estimated else ''}{rate:.1f} tokens/s")
    usage = message.usage
    if usage is not None and usage.total_tokens is not None:
        parts.append(
            f"{usage.prompt_tokens or 0} in / {usage.completion_tokens or 0} out tokens"
        )
    ending = {
        ReplyState.STOPPED: "stopped",
        ReplyState.FAILED: "failed",
        ReplyState.INTERRUPTED: "interrupted",
        ReplyState.STREAMING: "streaming",
    }.get(message.state)
    if message.was_cut:
        ending = "cut at the token limit"
    if ending:
        parts.append(ending)
    return " · ".join(parts)
