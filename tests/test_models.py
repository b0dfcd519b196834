"""The domain objects' own rules (core/models.py): output speed and a reply cut by length."""

from __future__ import annotations

import pytest

from zlay_desktop.core.models import Message, ReplyState, ReplyTimings, Role, Usage


def test_speed_counts_reported_tokens_over_the_streaming_part() -> None:
    timings = ReplyTimings(first_token_s=0.5, duration_s=2.5, chunks=40)
    # 2 s from the first token to the end; the wait before it is not counted.
    assert timings.tokens_per_second(Usage(completion_tokens=100), 999) == 50


def test_speed_is_estimated_from_the_text_when_the_server_gives_no_usage() -> None:
    timings = ReplyTimings(first_token_s=1.0, duration_s=2.0)
    assert timings.tokens_per_second(None, 400) == 100  # ~4 characters a token
    assert timings.tokens_per_second(Usage(completion_tokens=0), 400) == 100


@pytest.mark.parametrize(
    "timings",
    [
        ReplyTimings(first_token_s=None, duration_s=2.0),  # no token ever came
        ReplyTimings(first_token_s=1.0, duration_s=None),
        ReplyTimings(first_token_s=2.0, duration_s=2.0),  # all of it in one chunk
    ],
)
def test_no_speed_without_a_streaming_span(timings: ReplyTimings) -> None:
    assert timings.tokens_per_second(Usage(completion_tokens=10), 40) is None


@pytest.mark.parametrize(
    ("state", "finish_reason", "cut"),
    [
        (ReplyState.FINISHED, "length", True),
        (ReplyState.FINISHED, "stop", False),
        (ReplyState.STOPPED, "length", False),  # the user stopped it: nothing to continue
        (ReplyState.FAILED, None, False),
    ],
)
def test_only_a_reply_that_hit_max_tokens_is_cut(
    state: ReplyState, finish_reason: str | None, cut: bool
) -> None:
    message = Message(Role.ASSISTANT, "text", state=state, finish_reason=finish_reason)
    assert message.was_cut is cut
