"""Settings' "Assistants" page: add, duplicate, edit, delete and reorder assistants (a name,
a provider and model, parameters, a system prompt, the MCP servers whose tools it uses);
import and export them as JSON. Edits stay here until the dialog's OK."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zlay_desktop.core.assistants import (
    DEFAULT_ASSISTANT_ID,
    Assistant,
    AssistantForm,
    AssistantImportError,
    duplicate,
    export_assistants,
    import_assistants,
    shown_name,
)
from zlay_desktop.core.files import write_atomically
from zlay_desktop.ui.styles import ERROR_STYLE


def assistant_label(assistant: Assistant) -> str:
    """How an assistant is named in lists and pickers: its icon, then its name."""
    return f"{assistant.icon} {shown_name(assistant)}".strip()


class AssistantsPage(QWidget):
    """Edits the assistants in memory; `assistants()` is what OK saves."""

    def __init__(
        self,
        assistants: Sequence[Assistant],
        profiles: Sequence[tuple[str, str]] = (),
        mcp_servers: Sequence[tuple[str, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        """`profiles` and `mcp_servers`: (id, name) pairs offered in the form."""
        super().__init__(parent)
        self._saved = tuple(assistants)
        self._forms = [AssistantForm.from_assistant(a) for a in assistants]
        self._current = -1
        self.file_dialog: QFileDialog | None = None

        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Assistants"))
        self.add_button = QPushButton(self.tr("Add"))
        self.duplicate_button = QPushButton(self.tr("Duplicate"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.up_button = QPushButton(self.tr("Up"))
        self.down_button = QPushButton(self.tr("Down"))
        self.import_button = QPushButton(self.tr("Import…"))
        self.export_button = QPushButton(self.tr("Export…"))
        for button, name in (
            (self.add_button, self.tr("Add assistant")),
            (self.duplicate_button, self.tr("Duplicate assistant")),
            (self.delete_button, self.tr("Delete assistant")),
            (self.up_button, self.tr("Move assistant up")),
            (self.down_button, self.tr("Move assistant down")),
            (self.import_button, self.tr("Import assistants")),
            (self.export_button, self.tr("Export assistants")),
        ):
            button.setAccessibleName(name)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        for row_buttons in (
            (self.add_button, self.duplicate_button, self.delete_button),
            (self.up_button, self.down_button),
            (self.import_button, self.export_button),
        ):
            row = QHBoxLayout()
            for button in row_buttons:
                row.addWidget(button)
            left.addLayout(row)

        self.icon_edit = QLineEdit()
        self.icon_edit.setMaxLength(8)
        self.icon_edit.setPlaceholderText("🧑‍💻")
        self.icon_edit.setAccessibleName(self.tr("Assistant icon"))
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(self.tr("Assistant name"))
        self.description_edit = QLineEdit()
        self.description_edit.setAccessibleName(self.tr("Assistant description"))
        self.profile_combo = QComboBox()
        self.profile_combo.setAccessibleName(self.tr("Assistant provider"))
        self.model_edit = QLineEdit()
        self.model_edit.setAccessibleName(self.tr("Assistant model"))
        self.model_edit.setPlaceholderText(self.tr("the provider's model"))
        self.temperature_edit = QLineEdit()
        self.temperature_edit.setAccessibleName(self.tr("Assistant temperature"))
        self.top_p_edit = QLineEdit()
        self.top_p_edit.setAccessibleName(self.tr("Assistant top-p"))
        self.max_tokens_edit = QLineEdit()
        self.max_tokens_edit.setAccessibleName(self.tr("Assistant max tokens"))
        for edit in (self.temperature_edit, self.top_p_edit, self.max_tokens_edit):
            edit.setPlaceholderText(self.tr("the provider's"))
        self.system_prompt_edit = QPlainTextEdit()
        self.system_prompt_edit.setTabChangesFocus(True)  # keyboard only: Tab moves on
        self.system_prompt_edit.setAccessibleName(self.tr("Assistant system prompt"))
        self.system_prompt_edit.setPlaceholderText(
            self.tr("How the model should answer. Empty: the provider's system prompt.")
        )
        self.tools_list = QListWidget()
        self.tools_list.setAccessibleName(self.tr("Assistant MCP servers"))
        self.tools_list.setMaximumHeight(90)
        self.tools_hint = QLabel()
        self.tools_hint.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setAccessibleName(self.tr("Assistant problem"))
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(ERROR_STYLE)
        self.problem_label.setVisible(False)
        hint = QLabel(
            self.tr(
                "An assistant's empty fields take the provider's settings. A conversation "
                "keeps the assistant it was started with; pick another one for it above "
                "the message box."
            )
        )
        hint.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Icon"), self.icon_edit)
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Description"), self.description_edit)
        form.addRow(self.tr("Provider"), self.profile_combo)
        form.addRow(self.tr("Model"), self.model_edit)
        form.addRow(self.tr("Temperature"), self.temperature_edit)
        form.addRow(self.tr("Top-p"), self.top_p_edit)
        form.addRow(self.tr("Max tokens"), self.max_tokens_edit)
        form.addRow(self.tr("System prompt"), self.system_prompt_edit)
        form.addRow(self.tr("MCP tools"), self.tools_list)
        form.addRow("", self.tools_hint)
        self.editor = QWidget()
        right = QVBoxLayout(self.editor)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(hint)
        right.addLayout(form, 1)
        right.addWidget(self.problem_label)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(self.editor, 2)

        self.set_choices(profiles, mcp_servers)
        self.list.currentRowChanged.connect(self._select)
        self.add_button.clicked.connect(self.add_assistant)
        self.duplicate_button.clicked.connect(self.duplicate_assistant)
        self.delete_button.clicked.connect(self.delete_assistant)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.import_button.clicked.connect(self._pick_import_file)
        self.export_button.clicked.connect(self._pick_export_file)
        self.name_edit.textEdited.connect(self._label_edited)
        self.icon_edit.textEdited.connect(self._label_edited)
        for form_row in self._forms:
            self.list.addItem(self._label(form_row))
        self.list.setCurrentRow(0 if self._forms else -1)
        if not self._forms:
            self._show(None)

    # -- what the dialog reads -------------------------------------------------------------

    def assistants(self) -> tuple[Assistant, ...]:
        """The assistants as they would be saved (those that parse)."""
        self._commit()
        return tuple(a for f in self._forms if (a := f.parse()[0]) is not None)

    def problems(self) -> list[str]:
        """The first problem of each assistant that cannot be saved, with its name."""
        self._commit()
        found: list[str] = []
        for form in self._forms:
            problems = form.parse()[1]
            if problems:
                name = form.name.strip() or self.tr("(unnamed)")
                found.append(f"{name}: {problems[0]}")
        return found

    def has_changes(self) -> bool:
        self._commit()
        return tuple(self._forms) != tuple(AssistantForm.from_assistant(a) for a in self._saved)

    def mark_saved(self, assistants: Sequence[Assistant]) -> None:
        self._saved = tuple(assistants)

    def set_choices(
        self, profiles: Sequence[tuple[str, str]], mcp_servers: Sequence[tuple[str, str]]
    ) -> None:
        """The providers and MCP servers the form offers (as they are in the dialog now)."""
        self._commit()
        self._profiles = tuple(profiles)
        self._servers = tuple(mcp_servers)
        self._show(self._forms[self._current] if 0 <= self._current < len(self._forms) else None)

    def select(self, assistant_id: str) -> None:
        for row, form in enumerate(self._forms):
            if form.id == assistant_id:
                self.list.setCurrentRow(row)

    # -- the list --------------------------------------------------------------------------

    def add_assistant(self) -> str:
        self._commit()
        name = self._unique_name(self.tr("New assistant"))
        return self._append(AssistantForm(id=Assistant.new_id(), name=name))

    def duplicate_assistant(self) -> str | None:
        self._commit()
        if not 0 <= self._current < len(self._forms):
            return None
        form = self._forms[self._current]
        parsed = form.parse()[0]
        if parsed is None:  # copy what was typed, under a new id and name
            copy = replace(form, id=Assistant.new_id(), name=self._unique_name(f"{form.name} copy"))
            return self._append(copy)
        existing = [a for f in self._forms if (a := f.parse()[0]) is not None]
        return self._append(AssistantForm.from_assistant(duplicate(parsed, existing)))

    def delete_assistant(self) -> None:
        row = self._current
        if not 0 <= row < len(self._forms) or self._forms[row].id == DEFAULT_ASSISTANT_ID:
            return
        self._current = -1  # nothing to commit: it is going
        del self._forms[row]
        self.list.takeItem(row)
        self._select(self.list.currentRow())

    def move_selected(self, step: int) -> None:
        """Moves the selected assistant up or down (the default one stays first)."""
        self._commit()
        row, to = self._current, self._current + step
        if not (1 <= row < len(self._forms) and 1 <= to < len(self._forms)):
            return
        self._forms[row], self._forms[to] = self._forms[to], self._forms[row]
        for r in (row, to):
            item = self.list.item(r)
            if item is not None:
                item.setText(self._label(self._forms[r]))
        self._current = -1
        self.list.setCurrentRow(to)

    def _append(self, form: AssistantForm) -> str:
        self._forms.append(form)
        self.list.addItem(self._label(form))
        self.list.setCurrentRow(len(self._forms) - 1)
        return form.id

    def _unique_name(self, base: str) -> str:
        names = {f.name for f in self._forms}
        name, n = base, 2
        while name in names:
            name, n = f"{base} {n}", n + 1
        return name

    # -- import / export -------------------------------------------------------------------

    def import_file(self, path: str) -> bool:
        """Adds the assistants of an exported file; a file that cannot be used changes
        nothing and says why."""
        self._commit()
        try:
            text = Path(path).read_text(encoding="utf-8")
            # Every id in the list, also of one that does not parse yet: two with one id
            # would make the settings file unreadable.
            existing = [Assistant(id=f.id, name=f.name) for f in self._forms]
            imported = import_assistants(text, existing)
        except (OSError, UnicodeDecodeError) as exc:
            self._say(self.tr("Could not read {path}: {why}").format(path=path, why=exc))
            return False
        except AssistantImportError as exc:
            self._say(self.tr("Nothing was imported from {path}: {why}").format(path=path, why=exc))
            return False
        for assistant in imported:
            self._append(AssistantForm.from_assistant(assistant))
        return True

    def export_file(self, path: str) -> bool:
        try:
            write_atomically(Path(path), export_assistants(self.assistants()))
        except OSError as exc:
            self._say(
                self.tr("Could not write {path}: {why}").format(path=path, why=exc.strerror or exc)
            )
            return False
        self._say("")
        return True

    def _pick_import_file(self) -> None:
        self._open_file_dialog(self.tr("Import assistants"), save=False)

    def _pick_export_file(self) -> None:
        self._open_file_dialog(self.tr("Export assistants"), save=True)

    def _open_file_dialog(self, title: str, *, save: bool) -> None:
        dialog = QFileDialog(
            self, title, "assistants.json" if save else "", self.tr("JSON (*.json);;*")
        )
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix("json")
            dialog.fileSelected.connect(self.export_file)
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
            dialog.fileSelected.connect(self.import_file)
        self.file_dialog = dialog
        dialog.open()  # never exec(): it would nest the event loop under qasync

    def _say(self, problem: str) -> None:
        """A problem under the form (hidden when there is none)."""
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem))

    # -- the form --------------------------------------------------------------------------

    def _label(self, form: AssistantForm) -> str:
        return f"{form.icon} {shown_name(form)}".strip() or self.tr("(unnamed)")

    def _label_edited(self) -> None:
        item = self.list.item(self._current)
        if item is not None:
            item.setText(f"{self.icon_edit.text()} {self.name_edit.text()}".strip())

    def _select(self, row: int) -> None:
        self._commit()
        self._current = row
        self._show(self._forms[row] if 0 <= row < len(self._forms) else None)

    def _show(self, form: AssistantForm | None) -> None:
        self.editor.setEnabled(form is not None)
        is_default = form is not None and form.id == DEFAULT_ASSISTANT_ID
        self.delete_button.setEnabled(form is not None and not is_default)
        self.duplicate_button.setEnabled(form is not None)
        self.up_button.setEnabled(form is not None and self._current > 1)
        self.down_button.setEnabled(not is_default and 0 < self._current < len(self._forms) - 1)
        form = form or AssistantForm(id="")
        self.icon_edit.setText(form.icon)
        self.name_edit.setText(form.name)
        self.description_edit.setText(form.description)
        self.profile_combo.clear()
        self.profile_combo.addItem(self.tr("The provider chosen beside the message box"), None)
        for profile_id, name in self._profiles:
            self.profile_combo.addItem(name, profile_id)
        if form.profile_id is not None and self.profile_combo.findData(form.profile_id) < 0:
            self.profile_combo.addItem(self.tr("(a deleted provider)"), form.profile_id)
        self.profile_combo.setCurrentIndex(max(0, self.profile_combo.findData(form.profile_id)))
        self.model_edit.setText(form.model)
        self.temperature_edit.setText(form.temperature)
        self.top_p_edit.setText(form.top_p)
        self.max_tokens_edit.setText(form.max_tokens)
        self.system_prompt_edit.setPlainText(form.system_prompt)
        self.tools_list.clear()
        names = dict(self._servers)
        for server_id in (*names, *(s for s in form.mcp_servers if s not in names)):
            item = QListWidgetItem(names.get(server_id, server_id))
            item.setData(Qt.ItemDataRole.UserRole, server_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = server_id in form.mcp_servers
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.tools_list.addItem(item)
        self.tools_hint.setText(
            self.tr("None ticked: the tools of every enabled MCP server.")
            if self._servers
            else self.tr("No MCP servers yet (see the MCP servers page).")
        )
        self._say("")

    def _commit(self) -> None:
        row = self._current
        if not 0 <= row < len(self._forms):
            return
        ticked = []
        for i in range(self.tools_list.count()):
            item = self.tools_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                ticked.append(str(item.data(Qt.ItemDataRole.UserRole)))
        old = self._forms[row]
        # (In the order they were ticked in before, so that showing is not a change.)
        servers = [s for s in old.mcp_servers if s in ticked]
        servers += [s for s in ticked if s not in servers]
        profile_id = self.profile_combo.currentData()
        self._forms[row] = replace(
            old,
            icon=self.icon_edit.text(),
            name=self.name_edit.text(),
            description=self.description_edit.text(),
            profile_id=profile_id if isinstance(profile_id, str) else None,
            model=self.model_edit.text(),
            temperature=self.temperature_edit.text(),
            top_p=self.top_p_edit.text(),
            max_tokens=self.max_tokens_edit.text(),
            system_prompt=self.system_prompt_edit.toPlainText(),
            mcp_servers=tuple(servers),
        )
