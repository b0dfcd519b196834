"""Settings' "MCP servers" page: add, edit, remove, enable servers; import the standard
`{"mcpServers": …}` JSON (pasted or from a file); Test (connects, lists the tools); the
approval rule and the always-allowed tools (revocable)."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zlay_desktop.core.mcp.config import (
    ApprovalMode,
    McpConfigError,
    McpServerConfig,
    Pairs,
    servers_from_json,
)
from zlay_desktop.core.mcp.manager import McpManager, ServerStatus
from zlay_desktop.ui.background import BackgroundTasks


def _pairs_text(pairs: Pairs, sep: str) -> str:
    return "\n".join(f"{k}{sep}{v}" for k, v in pairs)


def _parse_pairs(text: str, sep: str) -> Pairs:
    out = []
    for line in text.splitlines():
        if sep in line:
            key, _, value = line.partition(sep)
            if key.strip():
                out.append((key.strip(), value.strip()))
    return tuple(out)


class JsonImportDialog(QDialog):
    """Paste the JSON or pick a file; `servers_imported` gives what it held."""

    servers_imported = Signal(tuple)  # tuple[McpServerConfig, ...]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import MCP servers"))
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText('{"mcpServers": {"name": {"command": "npx", "args": []}}}')
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.from_file = QPushButton(self.tr("From file…"))
        self.from_file.clicked.connect(self._pick_file)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.import_text)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Paste the JSON of Claude Desktop, Cursor or LM Studio:")))
        layout.addWidget(self.text, 1)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.from_file)
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.file_dialog: QFileDialog | None = None

    def _pick_file(self) -> None:
        dialog = QFileDialog(self, self.tr("MCP configuration"), "", self.tr("JSON (*.json);;*"))
        dialog.fileSelected.connect(self.load_file)
        self.file_dialog = dialog
        dialog.open()  # never exec(): it would nest the event loop under qasync

    def load_file(self, path: str) -> None:
        try:
            self.text.setPlainText(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            self.error.setText(self.tr("Could not read {path}: {why}").format(path=path, why=exc))

    def import_text(self) -> bool:
        try:
            servers = servers_from_json(self.text.toPlainText())
        except McpConfigError as exc:
            self.error.setText(str(exc))
            return False
        self.servers_imported.emit(servers)
        self.accept()
        return True


class McpServersPage(QWidget):
    """Edits a list of servers in memory; the dialog saves them (secrets to the keyring)."""

    def __init__(
        self,
        servers: Sequence[McpServerConfig],
        manager: McpManager | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._saved = tuple(servers)
        self._servers = list(servers)
        self._manager = manager
        self._current = -1
        self._background = BackgroundTasks(self)
        self.import_dialog: JsonImportDialog | None = None

        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("MCP servers"))
        self.add_button = QPushButton(self.tr("Add"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.import_button = QPushButton(self.tr("Import JSON…"))
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.import_button):
            row.addWidget(button)
        left.addLayout(row)

        self.name = QLineEdit()
        self.enabled = QCheckBox(self.tr("Enabled"))
        self.command = QLineEdit()
        self.command.setPlaceholderText("npx")
        self.args = QLineEdit()
        self.args.setPlaceholderText("-y @modelcontextprotocol/server-filesystem ~/Documents")
        self.env = QPlainTextEdit()
        self.env.setPlaceholderText(self.tr("NAME=value (one a line; tokens go to the keyring)"))
        self.env.setMaximumHeight(80)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://example.com/mcp")
        self.headers = QPlainTextEdit()
        self.headers.setPlaceholderText("Authorization: Bearer …")
        self.headers.setMaximumHeight(60)
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(1, 3600)
        self.timeout.setSuffix(" s")
        self.approval = QComboBox()
        self.approval.addItem(self.tr("Ask before every call"), "ask")
        self.approval.addItem(self.tr("Allow all calls"), "allow_all")
        self.always = QListWidget()
        self.always.setMaximumHeight(70)
        self.revoke_button = QPushButton(self.tr("Revoke"))
        self.test_button = QPushButton(self.tr("Test"))
        self.result = QPlainTextEdit()
        self.result.setReadOnly(True)
        self.result.setAccessibleName(self.tr("MCP test result"))
        self.problem = QLabel()
        self.problem.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow("", self.enabled)
        form.addRow(self.tr("Command"), self.command)
        form.addRow(self.tr("Arguments"), self.args)
        form.addRow(self.tr("Environment"), self.env)
        form.addRow(self.tr("or URL"), self.url)
        form.addRow(self.tr("Headers"), self.headers)
        form.addRow(self.tr("Call timeout"), self.timeout)
        form.addRow(self.tr("Approval"), self.approval)
        always_row = QHBoxLayout()
        always_row.addWidget(self.always, 1)
        always_row.addWidget(self.revoke_button, 0, Qt.AlignmentFlag.AlignTop)
        form.addRow(self.tr("Always allowed"), always_row)
        form.addRow(self.test_button, self.problem)
        self.editor = QWidget()
        right = QVBoxLayout(self.editor)
        right.setContentsMargins(0, 0, 0, 0)
        right.addLayout(form)
        right.addWidget(self.result, 1)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(self.editor, 2)

        self.list.currentRowChanged.connect(self._select)
        self.add_button.clicked.connect(self.add_server)
        self.remove_button.clicked.connect(self.remove_server)
        self.import_button.clicked.connect(self.open_import)
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.test_button.clicked.connect(self.start_test)
        self.name.textEdited.connect(self._name_edited)
        for server in self._servers:
            self.list.addItem(server.name)
        if self._servers:
            self.list.setCurrentRow(0)
        else:
            self._show(None)

    # -- the list --------------------------------------------------------------------------

    def servers(self) -> tuple[McpServerConfig, ...]:
        self._commit()
        return tuple(self._servers)

    def has_changes(self) -> bool:
        return self.servers() != self._saved

    def problems(self) -> list[str]:
        return [p for s in self.servers() if (p := s.problem()) is not None]

    def mark_saved(self, servers: Sequence[McpServerConfig]) -> None:
        self._saved = tuple(servers)
        self._servers = list(servers)
        self._show(self._servers[self._current] if 0 <= self._current < len(servers) else None)

    def add_server(self, server: McpServerConfig | None = None) -> None:
        self._commit()
        server = server or McpServerConfig(id=McpServerConfig.new_id(), name=self.tr("New server"))
        self._servers.append(server)
        self.list.addItem(server.name)
        self.list.setCurrentRow(len(self._servers) - 1)

    def add_servers(self, servers: tuple[McpServerConfig, ...]) -> None:
        for server in servers:
            self.add_server(server)

    def remove_server(self) -> None:
        row = self._current
        if not 0 <= row < len(self._servers):
            return
        self._current = -1  # nothing to commit: it is going
        del self._servers[row]
        self.list.takeItem(row)
        self._select(self.list.currentRow())

    def open_import(self) -> None:
        dialog = JsonImportDialog(self)
        dialog.servers_imported.connect(self.add_servers)
        self.import_dialog = dialog
        dialog.open()  # never exec(): it would nest the event loop under qasync

    def revoke_selected(self) -> None:
        item = self.always.currentItem()
        if item is None or not 0 <= self._current < len(self._servers):
            return
        server = self._servers[self._current]
        self._servers[self._current] = server.with_always_allowed(item.text(), False)
        self.always.takeItem(self.always.row(item))

    # -- the form --------------------------------------------------------------------------

    def _select(self, row: int) -> None:
        self._commit()
        self._current = row
        self._show(self._servers[row] if 0 <= row < len(self._servers) else None)

    def _name_edited(self, text: str) -> None:
        item = self.list.item(self._current)
        if item is not None:
            item.setText(text)

    def _show(self, server: McpServerConfig | None) -> None:
        self.editor.setEnabled(server is not None)
        server = server or McpServerConfig(id="", name="")
        self.name.setText(server.name)
        self.enabled.setChecked(server.enabled)
        self.command.setText(server.command)
        self.args.setText(shlex.join(server.args))
        self.env.setPlainText(_pairs_text(server.env, "="))
        self.url.setText(server.url)
        self.headers.setPlainText(_pairs_text(server.headers, ": "))
        self.timeout.setValue(server.call_timeout_s)
        self.approval.setCurrentIndex(max(0, self.approval.findData(server.approval)))
        self.always.clear()
        self.always.addItems(list(server.always_allowed))
        self.problem.setText(server.problem() or "" if server.id else "")
        self.result.setPlainText(self._status_text(server))

    def _commit(self) -> None:
        row = self._current
        if not 0 <= row < len(self._servers):
            return
        old = self._servers[row]
        try:
            args = tuple(shlex.split(self.args.text()))
        except ValueError:
            args = tuple(self.args.text().split())
        approval: ApprovalMode = (
            "allow_all" if self.approval.currentData() == "allow_all" else "ask"
        )
        self._servers[row] = replace(
            old,
            name=self.name.text().strip(),
            enabled=self.enabled.isChecked(),
            command=self.command.text().strip(),
            args=args,
            env=_parse_pairs(self.env.toPlainText(), "="),
            url=self.url.text().strip(),
            headers=_parse_pairs(self.headers.toPlainText(), ":"),
            call_timeout_s=self.timeout.value(),
            approval=approval,
        )

    def _status_text(self, server: McpServerConfig) -> str:
        if self._manager is None or not server.id:
            return ""
        return self._describe(self._manager.status(server.id))

    def _describe(self, status: ServerStatus) -> str:
        lines: list[str] = []
        if status.problem:
            lines.append(status.problem)
        if status.tools:
            lines.append(self.tr("Tools:"))
            lines.extend(f"• {name} — {description}" for name, description in status.tools)
        if status.stderr:
            lines.append(self.tr("Last lines the server wrote (stderr):"))
            lines.extend(status.stderr[-15:])
        return "\n".join(lines)

    # -- Test ------------------------------------------------------------------------------

    def start_test(self) -> None:
        self._commit()
        row = self._current
        if self._manager is None or not 0 <= row < len(self._servers):
            return
        server = self._servers[row]
        problem = server.problem()
        if problem:
            self.problem.setText(problem)
            return
        self.test_button.setEnabled(False)
        self.result.setPlainText(self.tr("Connecting to {name}…").format(name=server.name))
        self.test_task = self._background.start(
            self._manager.test(server), on_success=self._tested, on_done=self._test_done
        )

    def _tested(self, status: ServerStatus) -> None:
        text = self._describe(status)
        if not status.problem:
            text = self.tr("Connected.") + "\n" + text
        self.result.setPlainText(text)

    def _test_done(self) -> None:
        self.test_button.setEnabled(True)

    def cancel_test(self) -> None:
        self._background.cancel_all()
