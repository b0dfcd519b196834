"""A transcript fed the way the app feeds it, for tests that drive the view by hand.

In the app the session accumulates what streams and the view reads it (`LiveReply`): the
view keeps no second copy of the text. `FedChatView` plays the session's part for a test:
every chunk given to it is added to a real `ReplyAccumulator` first, then shown.
"""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from zlay_desktop.core.chat_session import LiveReply, ReplyAccumulator
from zlay_desktop.core.events import ReasoningDelta, RefusalDelta, TextDelta, ToolCallDelta
from zlay_desktop.core.models import ToolCall
from zlay_desktop.ui.transcript import TranscriptView as ChatView


class FedChatView(ChatView):
    def __init__(self) -> None:
        super().__init__()
        self.replies: dict[int, ReplyAccumulator] = {}

    def begin_reply(self, key: int, model: str | None, source: LiveReply | None = None) -> None:
        accumulator = ReplyAccumulator(model)
        self.replies[key] = accumulator
        super().begin_reply(key, model, source or accumulator)

    def append_text(self, key: int, text: str) -> None:
        self._accumulator(key).add(TextDelta(text))
        super().append_text(key, text)

    def append_reasoning(self, key: int, text: str) -> None:
        self._accumulator(key).add(ReasoningDelta(text))
        super().append_reasoning(key, text)

    def append_refusal(self, key: int, text: str) -> None:
        self._accumulator(key).add(RefusalDelta(text))
        super().append_refusal(key, text)

    def set_tool_calls(self, key: int, calls: tuple[ToolCall, ...]) -> None:
        """Grows the live reply's tool calls to `calls`, as streamed fragments would."""
        accumulator = self._accumulator(key)
        before = accumulator.tool_calls()
        for index, call in enumerate(calls):
            known = before[index].arguments if index < len(before) else ""
            assert call.arguments.startswith(known), "tool-call arguments only grow"
            first = index >= len(before)
            accumulator.add(
                ToolCallDelta(
                    index,
                    call.id if first else None,
                    call.name if first else None,
                    call.arguments[len(known) :],
                )
            )
        self.tool_calls_changed(key)

    def _accumulator(self, key: int) -> ReplyAccumulator:
        return self.replies.setdefault(key, ReplyAccumulator(None))


def shown_view(qtbot: QtBot) -> FedChatView:
    """A transcript on screen (700 x 500), its Qt Quick part loaded."""
    widget = FedChatView()
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    widget.ensure_loaded()
    qtbot.waitExposed(widget)
    return widget
