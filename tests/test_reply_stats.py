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
        "first token 420 ms · 40.0 tokens/s · 12 in / 80 out tokens (30 reasoning)"
    )


def test_an_estimated_speed_is_marked_and_missing_usage_is_left_out() -> None:
    message = reply(ReplyTimings(first_token_s=1.0, duration_s=3.0), None, "x" * 400)
    assert reply_figures(message) == "first token 1.0 s · ~50.0 tokens/s"


def test_nothing_measured_shows_nothing() -> None:
    assert reply_figures(reply()) == ""
    assert reply_figures(reply(usage=Usage())) == ""  # a usage chunk with no counts
    assert reply_figures(reply(usage=Usage(prompt_tokens=5))) == "5 in / 0 out tokens"


def test_a_fast_first_token_is_shown_in_milliseconds() -> None:
    assert reply_figures(reply(ReplyTimings(first_token_s=0.0042, duration_s=0.1))) == (
        "first token 4 ms"
    )
    assert reply_figures(reply(ReplyTimings(first_token_s=1.25, duration_s=2))) == (
        "first token 1.2 s"
    )


def test_no_speed_for_a_reply_of_a_few_tokens() -> None:
    message = reply(
        ReplyTimings(first_token_s=0.1, duration_s=0.1001), Usage(completion_tokens=2), "Hi"
    )
    assert "tokens/s" not in reply_figures(message)


def test_the_speed_ends_at_the_last_token_not_after_a_stall() -> None:
    # 100 tokens in 2 s, then 60 s of silence before the idle timeout ended the reply.
    stalled = ReplyTimings(first_token_s=0.5, duration_s=62.5, chunks=100, last_token_s=2.5)
    message = reply(stalled, Usage(completion_tokens=100))
    assert "50.0 tokens/s" in reply_figures(message)


def test_no_speed_for_a_reply_that_arrived_in_one_burst() -> None:
    burst = ReplyTimings(first_token_s=0.2, duration_s=0.25, last_token_s=0.21)
    assert "tokens/s" not in reply_figures(reply(burst, Usage(completion_tokens=300)))
