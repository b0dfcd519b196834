"""The figures shown under a reply: time to first token, speed, token usage."""

from __future__ import annotations

from zlay_desktop.core.i18n import number, translate
from zlay_desktop.core.models import Message


def reply_figures(message: Message) -> str:
    parts: list[str] = []
    timings = message.timings
    if timings is not None and timings.first_token_s is not None:
        first = timings.first_token_s
        # A fast server answers in well under a second: "0.0 s" would say nothing.
        if first < 1:
            shown = translate("ReplyStats", "{0} ms").format(number(first * 1000))
        else:
            shown = translate("ReplyStats", "{0} s").format(number(first, 1))
        parts.append(translate("ReplyStats", "first token {0}").format(shown))
    if timings is not None:
        rate = timings.tokens_per_second(message.usage, len(message.content))
        if rate is not None:
            estimated = not (message.usage and message.usage.completion_tokens)
            speed = translate("ReplyStats", "{0} tokens/s").format(number(rate, 1))
            parts.append(f"~{speed}" if estimated else speed)
    usage = message.usage
    if usage is not None and (usage.prompt_tokens is not None or usage.completion_tokens):
        tokens = translate("ReplyStats", "{0} in / {1} out tokens").format(
            number(usage.prompt_tokens or 0), number(usage.completion_tokens or 0)
        )
        if usage.reasoning_tokens:
            tokens += " " + translate("ReplyStats", "({0} reasoning)").format(
                number(usage.reasoning_tokens)
            )
        parts.append(tokens)
    return " · ".join(parts)
