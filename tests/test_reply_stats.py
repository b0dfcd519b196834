"""The figures line under a reply (core/reply_stats.py)."""

from __future__ import annotations

from zlay_desktop.core.models import Message, ReplyTimings, Role, Usage
from zlay_desktop.core.reply_stats import reply_figures


def reply(timings: ReplyTimings | None = None, usage: Usage | None = None, text: str = "") -> Message:
    return Message(Role.ASSISTANT, text, timings=timings, usage=usage)


def test_all_figures_when_the_server_reports_usage() -> None:
    message = reply(
        ReplyTimings(first_token_s=0.42, duration_s=2.42),
        Usage(prompt_tokens=12, completion_tokens=80, reasoning_tokens=30),
    )
    assert reply_figures(message) == (
        "first token 0.4 s · 40.0 tokens/s · 12 in / 80 out tokens (30 reasoning)"
    )


def test_an_estimated_speed_is_marked_and_missing_usage_is_left_out() -> None:
    message = reply(ReplyTimings(first_token_s=1.0, duration_s=3.0), None, "x" * 400)
    assert reply_figures(message) == "first token 1.0 s · ~50.0 tokens/s"


def test_nothing_measured_shows_nothing() -> None:
    assert reply_figures(reply()) == ""
    assert reply_figures(reply(usage=Usage())) == ""  # a usage chunk with no counts
    assert reply_figures(reply(usage=Usage(prompt_tokens=5))) == "5 in / 0 out tokens"
