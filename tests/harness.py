"""A whole chat stack for tests: the real SDK, a real socket, the real controller, the
real window; only the server is the project's own test server."""

from __future__ import annotations

from dataclasses import dataclass, field

from zlay_desktop.core.chat_session import ChatSession, ReplyTarget
from zlay_desktop.core.history import HistoryStore
from zlay_desktop.core.models import ChatParams, Endpoint, Message
from zlay_desktop.core.streaming import OpenAIChatBackend
from zlay_desktop.ui.controller import ChatController
from zlay_desktop.ui.main_window import MainWindow


@dataclass
class ChatHarness:
    base_url: str
    model: str = "test-model"
    api_key: str = "sk-test-key-0123456789"
    idle_timeout_s: float = 60.0
    connect_timeout_s: float = 5.0
    max_tokens: int | None = None
    store: HistoryStore | None = None
    storage_errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.session = ChatSession(OpenAIChatBackend(), self.store, self.storage_errors.append)
        self.controller = ChatController(self.session, self.target)
        self.window = MainWindow(self.controller)
        self.view = self.window.chat_view

    def target(self) -> ReplyTarget:
        return ReplyTarget(
            endpoint=Endpoint(
                base_url=self.base_url,
                api_key=self.api_key,
                idle_timeout_s=self.idle_timeout_s,
                connect_timeout_s=self.connect_timeout_s,
            ),
            params=ChatParams(model=self.model, max_tokens=self.max_tokens),
        )

    def text(self) -> str:
        self.view.flush()
        return self.view.transcript_text()

    async def finish(self) -> Message:
        """Awaits the running reply and returns its final message."""
        task = self.controller.task
        assert task is not None, "no reply is running"
        result: Message = await task
        return result

    async def send(self, text: str) -> Message:
        assert self.controller.send(text), "the controller refused to send"
        return await self.finish()

    async def close(self) -> None:
        """Closes like the app does: cancel and save, then close the window."""
        await self.controller.aclose()
        self.window.allow_close()
        self.window.close()
        self.window.deleteLater()
