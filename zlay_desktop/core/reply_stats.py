"""The figures shown under a reply: time to first token, speed, token usage."""

from __future__ import annotations

from zlay_desktop.core.models import Message


def reply_figures(message: Message) -> str:
    parts: list[str] = []
    timings = message.timings
    if timings is not None and timings.first_token_s is not None:
        first = timings.first_token_s
        # A fast server answers in well under a second: "0.0 s" would say nothing.
        shown = f"{first * 1000:.0f} ms" if first < 1 else f"{first:.1f} s"
        parts.append(f"first token {shown}")
    if timings is not None:
        rate = timings.tokens_per_second(message.usage, len(message.content))
        if rate is not None:
            estimated = not (message.usage and message.usage.completion_tokens)
            parts.append(f"{'~' if estimated else ''}{rate:.1f} tokens/s")
    usage = message.usage
    if usage is not None and (usage.prompt_tokens is not None or usage.completion_tokens):
        tokens = f"{usage.prompt_tokens or 0} in / {usage.completion_tokens or 0} out tokens"
        if usage.reasoning_tokens:
            tokens += f" ({usage.reasoning_tokens} reasoning)"
        parts.append(tokens)
    return " · ".join(parts)
