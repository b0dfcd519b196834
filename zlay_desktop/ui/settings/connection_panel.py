"""The connection test: one line per stage as it is decided, a verdict, and Cancel."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zlay_desktop.core.connection_test import (
    ConnectionReport,
    ConnectionTestTimeouts,
    Stage,
    StageResult,
    StageStatus,
    run_connection_test,
)
from zlay_desktop.core.errors import redact
from zlay_desktop.core.models import Endpoint
from zlay_desktop.ui.background import BackgroundTasks
from zlay_desktop.ui.i18n import number

_STATUS_MARKS = {StageStatus.PASSED: "✓", StageStatus.FAILED: "✗", StageStatus.SKIPPED: "–"}


class ConnectionTestPanel(QWidget):
    """Runs a connection test in the background and shows what happened."""

    test_requested = Signal()  # the user pressed Test connection
    finished = Signal(ConnectionReport)  # the test ran to its verdict
    stopped = Signal()  # the test ended without a verdict (cancelled, or a bug)
    no_key_needed = Signal()  # the user accepted the offer to untick "needs an API key"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = BackgroundTasks(self)
        self._task: asyncio.Task[ConnectionReport] | None = None
        self._key = ""  # redacted from any message
        self._send_problem: str | None = None
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.setAccessibleName(self.tr("Test connection"))
        self.test_button.clicked.connect(self.test_requested)
        self.cancel_test_button = QPushButton(self.tr("Cancel test"))
        self.cancel_test_button.setAccessibleName(self.tr("Cancel test"))
        self.cancel_test_button.clicked.connect(self.cancel)
        self.test_status = QLabel()
        self.test_status.setAccessibleName(self.tr("Connection test status"))
        self.test_status.setWordWrap(True)
        self.no_key_button = QPushButton(self.tr("Untick “This server needs an API key”"))
        self.no_key_button.setAccessibleName(self.tr("This server needs no API key"))
        self.no_key_button.clicked.connect(self._accept_no_key)
        self.no_key_button.setVisible(False)
        self.test_results = QListWidget()
        self.test_results.setAccessibleName(self.tr("Connection test results"))
        self.test_results.setWordWrap(True)
        self.test_results.setMaximumHeight(150)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addWidget(self.cancel_test_button)
        row.addWidget(self.test_status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.no_key_button)
        layout.addWidget(self.test_results)
        self._update_buttons()

    @property
    def task(self) -> asyncio.Task[ConnectionReport] | None:
        return self._task

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def result_lines(self) -> list[str]:
        return [self.test_results.item(i).text() for i in range(self.test_results.count())]

    def clear(self) -> None:
        self.test_results.clear()
        self.test_status.clear()
        self.no_key_button.setVisible(False)

    def show_problem(self, text: str) -> None:
        self.test_status.setText(text)

    def start(
        self,
        endpoint: Endpoint,
        model: str,
        timeouts: ConnectionTestTimeouts | None,
        send_problem: str | None = None,
    ) -> None:
        """Tests `endpoint`. `send_problem`: why Send would fail with this profile's key as
        Send resolves it; said first, and the verdict cannot be "passed" while it stands."""
        if self.running:
            return
        self.clear()
        self._key = endpoint.api_key
        self._send_problem = send_problem
        if send_problem:
            self._add_line(f"✗ {self.tr('API key available')} — {send_problem}", "failed")
        self.test_status.setText(self.tr("Testing…"))
        self._task = self._tasks.start(
            run_connection_test(endpoint, model, self._show_stage, timeouts=timeouts),
            on_success=self._show_report,
            on_failure=self._stopped,
            on_cancelled=self._cancelled,
            on_done=self._update_buttons,
        )
        self._update_buttons()

    def cancel(self) -> None:
        if self.running and self._task is not None:
            self._task.cancel()

    def _show_stage(self, result: StageResult) -> None:
        mark = _STATUS_MARKS[result.status]
        parts = [f"{mark} {result.stage.label}"]
        if result.elapsed_s is not None:
            parts.append(_duration(result.elapsed_s))
        parts.append(result.message)
        self._add_line(" — ".join(parts), result.status.value)

    def _add_line(self, text: str, status: str) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, status)
        self.test_results.addItem(item)

    def _show_report(self, report: ConnectionReport) -> None:
        failure = report.failure
        if self._send_problem:
            self._show_send_problem(report)
        elif report.ok:
            self.test_status.setText(self.tr("✓ All checks passed."))
        elif failure is not None:
            self.test_status.setText(f"✗ {failure.stage.label}: {failure.message}")
        self.finished.emit(report)

    def _show_send_problem(self, report: ConnectionReport) -> None:
        key_stage = next((r for r in report.results if r.stage is Stage.KEY), None)
        server_needs_no_key = key_stage is not None and key_stage.passed and not self._key
        if server_needs_no_key:
            self.test_status.setText(
                self.tr(
                    "✗ The server did not ask for an API key, but this profile needs one "
                    "and has none, so Send would fail. If the server needs no key, untick "
                    "“This server needs an API key”."
                )
            )
            self.no_key_button.setVisible(True)
        else:
            self.test_status.setText(
                self.tr("✗ Send would fail: {0}").format(self._send_problem or "")
            )

    def _accept_no_key(self) -> None:
        self.no_key_button.setVisible(False)
        self.no_key_needed.emit()
        self.test_status.setText(
            self.tr("“This server needs an API key” is unticked: press OK to save.")
        )

    def _stopped(self, error: Exception) -> None:
        # A bug must not leave the dialog "testing"; the message never carries the key.
        detail = redact(str(error) or type(error).__name__, [self._key] if self._key else [])
        self.test_status.setText(self.tr("The test stopped unexpectedly: {0}").format(detail))
        self.stopped.emit()

    def _cancelled(self) -> None:
        self.test_status.setText(self.tr("Test cancelled."))
        self.stopped.emit()

    def _update_buttons(self) -> None:
        self.test_button.setEnabled(not self.running)
        self.cancel_test_button.setEnabled(self.running)


def _duration(seconds: float) -> str:
    if seconds < 10:
        return QCoreApplication.translate("ConnectionTestPanel", "{0} ms").format(
            number(seconds * 1000)
        )
    return QCoreApplication.translate("ConnectionTestPanel", "{0} s").format(number(seconds, 1))
