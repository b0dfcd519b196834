"""Settings' "Prompts" page: the prompt library (a name and a text that may hold
`{{placeholders}}`), picked in the message box by typing "/"; import and export as JSON.
Edits stay here until the dialog's OK."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
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

from zlay_desktop.core.files import write_atomically
from zlay_desktop.core.prompts import (
    PromptImportError,
    SavedPrompt,
    export_prompts,
    import_prompts,
    placeholders,
)
from zlay_desktop.ui.styles import ERROR_STYLE


class PromptsPage(QWidget):
    """Edits the prompt library in memory; `prompts()` is what OK saves."""

    def __init__(self, prompts: Sequence[SavedPrompt], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._saved = tuple(prompts)
        self._prompts = list(prompts)
        self._current = -1
        self.file_dialog: QFileDialog | None = None

        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Prompts"))
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setAccessibleName(self.tr("Add prompt"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setAccessibleName(self.tr("Delete prompt"))
        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.setAccessibleName(self.tr("Import prompts"))
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setAccessibleName(self.tr("Export prompts"))
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        for pair in (
            (self.add_button, self.delete_button),
            (self.import_button, self.export_button),
        ):
            row = QHBoxLayout()
            for button in pair:
                row.addWidget(button)
            left.addLayout(row)

        help_label = QLabel(
            self.tr(
                "Type / in the message box to pick a prompt (arrows and Enter, Esc closes). "
                "Write {{name}} where something is to be filled in, e.g. “Translate "
                "{{text}} into {{language}}”: choosing the prompt asks for each one."
            )
        )
        help_label.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(self.tr("Prompt name"))
        self.text_edit = QPlainTextEdit()
        self.text_edit.setTabChangesFocus(True)  # keyboard only: Tab moves on
        self.text_edit.setAccessibleName(self.tr("Prompt text"))
        self.placeholders_label = QLabel()
        self.placeholders_label.setAccessibleName(self.tr("Prompt placeholders"))
        self.placeholders_label.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setAccessibleName(self.tr("Prompt problem"))
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(ERROR_STYLE)
        self.problem_label.setVisible(False)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Text"), self.text_edit)
        form.addRow("", self.placeholders_label)
        self.editor = QWidget()
        right = QVBoxLayout(self.editor)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(help_label)
        right.addLayout(form, 1)
        right.addWidget(self.problem_label)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(self.editor, 2)

        self.list.currentRowChanged.connect(self._select)
        self.add_button.clicked.connect(self.add_prompt)
        self.delete_button.clicked.connect(self.delete_prompt)
        self.import_button.clicked.connect(lambda: self._open_file_dialog(save=False))
        self.export_button.clicked.connect(lambda: self._open_file_dialog(save=True))
        self.name_edit.textEdited.connect(self._name_edited)
        self.text_edit.textChanged.connect(self._show_placeholders)
        for prompt in self._prompts:
            self.list.addItem(prompt.name)
        if self._prompts:
            self.list.setCurrentRow(0)
        else:
            self._show(None)

    # -- what the dialog reads -------------------------------------------------------------

    def prompts(self) -> tuple[SavedPrompt, ...]:
        self._commit()
        return tuple(
            # One left blank (spaces or new lines only) is dropped: saved, the settings file
            # could not be read again.
            replace(p, name=p.name.strip())
            for p in self._prompts
            if p.name.strip() or p.text.strip()
        )

    def problems(self) -> list[str]:
        self._commit()
        found: list[str] = []
        for p in self._prompts:
            if not p.name.strip() and p.text.strip():
                found.append(self.tr("A prompt needs a name."))
            elif p.name.strip() and not p.text.strip():
                found.append(self.tr("The prompt “{name}” has no text.").format(name=p.name))
        return found

    def has_changes(self) -> bool:
        return self.prompts() != self._saved

    def mark_saved(self, prompts: Sequence[SavedPrompt]) -> None:
        self._saved = tuple(prompts)

    # -- the list --------------------------------------------------------------------------

    def add_prompt(self, prompt: SavedPrompt | None = None) -> str:
        self._commit()
        prompt = prompt or SavedPrompt(SavedPrompt.new_id(), self.tr("New prompt"), "")
        self._prompts.append(prompt)
        self.list.addItem(prompt.name)
        self.list.setCurrentRow(len(self._prompts) - 1)
        self.name_edit.setFocus()
        return prompt.id

    def delete_prompt(self) -> None:
        row = self._current
        if not 0 <= row < len(self._prompts):
            return
        self._current = -1  # nothing to commit: it is going
        del self._prompts[row]
        self.list.takeItem(row)
        self._select(self.list.currentRow())

    def import_file(self, path: str) -> bool:
        """Adds the prompts of an exported file; a file that cannot be used changes nothing
        and says why."""
        self._commit()
        try:
            imported = import_prompts(Path(path).read_text(encoding="utf-8"), self._prompts)
        except (OSError, UnicodeDecodeError) as exc:
            self._say(self.tr("Could not read {path}: {why}").format(path=path, why=exc))
            return False
        except PromptImportError as exc:
            self._say(self.tr("Nothing was imported from {path}: {why}").format(path=path, why=exc))
            return False
        for prompt in imported:
            self.add_prompt(prompt)
        return True

    def export_file(self, path: str) -> bool:
        try:
            write_atomically(Path(path), export_prompts(self.prompts()))
        except OSError as exc:
            self._say(
                self.tr("Could not write {path}: {why}").format(path=path, why=exc.strerror or exc)
            )
            return False
        return True

    def _open_file_dialog(self, *, save: bool) -> None:
        title = self.tr("Export prompts") if save else self.tr("Import prompts")
        dialog = QFileDialog(
            self, title, "prompts.json" if save else "", self.tr("JSON (*.json);;*")
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

    def _select(self, row: int) -> None:
        self._commit()
        self._current = row
        self._show(self._prompts[row] if 0 <= row < len(self._prompts) else None)

    def _show(self, prompt: SavedPrompt | None) -> None:
        self.editor.setEnabled(prompt is not None)
        self.delete_button.setEnabled(prompt is not None)
        self.name_edit.setText(prompt.name if prompt else "")
        self.text_edit.setPlainText(prompt.text if prompt else "")
        self._say("")

    def _name_edited(self, text: str) -> None:
        item = self.list.item(self._current)
        if item is not None:
            item.setText(text or self.tr("(unnamed)"))

    def _show_placeholders(self) -> None:
        names = placeholders(self.text_edit.toPlainText())
        self.placeholders_label.setText(
            self.tr("Asked for when chosen: {names}").format(names=", ".join(names))
            if names
            else self.tr("No placeholders: the text is inserted as it is.")
        )

    def _commit(self) -> None:
        row = self._current
        if not 0 <= row < len(self._prompts):
            return
        self._prompts[row] = replace(
            self._prompts[row], name=self.name_edit.text(), text=self.text_edit.toPlainText()
        )
