"""The settings dialog: provider profiles, API keys in the keyring, and the connection test.

Everything slow (fetching models, the connection test) runs as an asyncio task on the app's
qasync loop; the dialog keeps the tasks and cancels them when it closes. Edits stay in drafts
until OK: then every profile is validated first, the secrets are written, and only then the
settings file; a problem at any step leaves the dialog open with the message next to its
field.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from zlay_desktop.core.connection_test import (
    ConnectionTestTimeouts,
    ModelListError,
    StageResult,
    StageStatus,
    fetch_models,
    run_connection_test,
)
from zlay_desktop.core.errors import redact
from zlay_desktop.core.secrets import (
    EnvironmentKey,
    KeySource,
    SecretStore,
    SecretStoreUnavailable,
    SessionSecretStore,
)
from zlay_desktop.core.settings import (
    PRESETS,
    FieldError,
    ParsedProfile,
    ProfileForm,
    ProviderKind,
    ProviderProfile,
    Settings,
    SettingsError,
    SettingsFile,
    preset_named,
    proxy_secret_id,
)

_PROBE_ENTRY = "zlay-desktop-availability-probe"
_KIND_LABELS: dict[ProviderKind, str] = {
    "openai": "OpenAI",
    "openai-compatible": "OpenAI-compatible",
}
_STATUS_MARKS = {StageStatus.PASSED: "✓", StageStatus.FAILED: "✗", StageStatus.SKIPPED: "–"}
_ERROR_STYLE = "color: palette(highlighted-text); background: #b3261e; padding: 2px 4px;"


@dataclass
class _Draft:
    """A profile being edited, with its secrets as typed. Nothing is stored before OK."""

    id: str
    form: ProfileForm
    is_new: bool = False
    secrets_loaded: bool = False
    key: str = field(default="", repr=False)
    key_source: KeySource = KeySource.NONE
    key_changed: bool = False
    proxy_password: str = field(default="", repr=False)
    proxy_password_changed: bool = False
    session_only: bool = False


class SettingsDialog(QDialog):
    """Providers, keys and the connection test. Open it with `open()`, never `exec()`."""

    settings_saved = Signal(object)  # the new Settings, after they were written
    connection_test_finished = Signal(object)  # ConnectionReport, or None when cancelled/failed
    models_loaded = Signal(object)  # list[str] of model ids, or None when it failed/was cancelled

    def __init__(
        self,
        settings: Settings,
        settings_file: SettingsFile,
        secret_store: SecretStore,
        session_store: SessionSecretStore,
        environment: EnvironmentKey | None = None,
        *,
        timeouts: ConnectionTestTimeouts | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.resize(900, 780)
        self._settings = settings
        self._settings_file = settings_file
        self._secret_store = secret_store
        self._session_store = session_store
        self._environment = environment or EnvironmentKey()
        self._timeouts = timeouts
        self._drafts: dict[str, _Draft] = {
            p.id: _Draft(p.id, ProfileForm.from_profile(p)) for p in settings.profiles
        }
        self._order: list[str] = [p.id for p in settings.profiles]
        self._deleted: list[str] = []
        self._current_id: str | None = None
        self._loading_fields = False  # True while fields are filled from a draft
        self._test_task: asyncio.Task[None] | None = None
        self._models_task: asyncio.Task[None] | None = None
        self.keyring_problem: SecretStoreUnavailable | None = None

        self._build()
        self._probe_keyring()
        for profile_id in self._order:
            self._add_list_item(profile_id)
        if self._order:
            wanted = settings.active_profile()
            self._select(wanted.id if wanted else self._order[0])
        self._update_enabled()

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.profile_list = QListWidget()
        self.profile_list.setAccessibleName("Profiles")
        self.profile_list.currentItemChanged.connect(self._on_profile_changed)

        self.add_button = QToolButton()
        self.add_button.setText("Add")
        self.add_button.setAccessibleName("Add profile")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.preset_menu = QMenu(self.add_button)
        for preset in PRESETS:
            action = self.preset_menu.addAction(preset.name)
            action.triggered.connect(lambda _=False, name=preset.name: self.add_profile(name))
        self.add_button.setMenu(self.preset_menu)
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.setAccessibleName("Duplicate profile")
        self.duplicate_button.clicked.connect(self.duplicate_profile)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setAccessibleName("Delete profile")
        self.delete_button.clicked.connect(self.delete_profile)

        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.add_button)
        list_buttons.addWidget(self.duplicate_button)
        list_buttons.addWidget(self.delete_button)
        left = QVBoxLayout()
        left.addWidget(self.profile_list)
        left.addLayout(list_buttons)

        self.empty_hint = QLabel(
            "No provider yet. Press Add and pick one: OpenAI, a local server such as Ollama "
            "or LM Studio, or any OpenAI-compatible service."
        )
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAccessibleName("No profiles")

        self.form_widget = QWidget()
        form = QFormLayout(self.form_widget)
        self._error_labels: dict[str, QLabel] = {}

        self.name_edit = self._line_edit("Name")
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Kind")
        for kind, label in _KIND_LABELS.items():
            self.kind_combo.addItem(label, kind)
        self.base_url_edit = self._line_edit("Base URL", "e.g. http://localhost:11434/v1")

        self.model_combo = QComboBox()
        self.model_combo.setEditable(True)
        self.model_combo.setAccessibleName("Model")
        self.model_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_combo.setSizePolicy(
            self.base_url_edit.sizePolicy().horizontalPolicy(),
            self.model_combo.sizePolicy().verticalPolicy(),
        )
        line = self.model_combo.lineEdit()
        if line is not None:
            line.setPlaceholderText("type a model name, or load the server's list")
        completer = QCompleter(self.model_combo.model(), self.model_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # search anywhere in the name
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.model_combo.setCompleter(completer)
        self.load_models_button = QPushButton("Load models")
        self.load_models_button.setAccessibleName("Load models")
        self.load_models_button.clicked.connect(self.load_models)
        self.cancel_models_button = QPushButton("Cancel")
        self.cancel_models_button.setAccessibleName("Cancel loading models")
        self.cancel_models_button.clicked.connect(self.cancel_model_loading)
        self.cancel_models_button.setVisible(False)
        self.models_spinner = QProgressBar()
        self.models_spinner.setRange(0, 0)  # busy indicator
        self.models_spinner.setMaximumWidth(80)
        self.models_spinner.setVisible(False)
        self.models_status = QLabel()
        self.models_status.setAccessibleName("Model list status")
        self.models_status.setWordWrap(True)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model_combo, 1)
        model_row.addWidget(self.load_models_button)
        model_row.addWidget(self.models_spinner)
        model_row.addWidget(self.cancel_models_button)

        self.temperature_edit = self._line_edit("Temperature", "server default (0–2)")
        self.max_tokens_edit = self._line_edit("Max tokens", "server default")
        self.system_prompt_edit = QPlainTextEdit()
        self.system_prompt_edit.setAccessibleName("System prompt")
        self.system_prompt_edit.setPlaceholderText("optional")
        self.system_prompt_edit.setMaximumHeight(90)
        self.proxy_edit = self._line_edit(
            "Proxy", "system proxy settings (or http://, https://, socks5://host:port)"
        )
        self.proxy_password_edit = self._line_edit("Proxy password", "only if the proxy needs one")
        self.proxy_password_edit.setEchoMode(QLineEdit.EchoMode.Password)

        self.needs_key_check = QCheckBox("This server needs an API key")
        self.needs_key_check.setAccessibleName("Needs an API key")
        self.api_key_edit = self._line_edit("API key")
        self.api_key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key_edit.textEdited.connect(self._on_key_edited)
        self.reveal_key_button = QToolButton()
        self.reveal_key_button.setText("Show")
        self.reveal_key_button.setAccessibleName("Show API key")
        self.reveal_key_button.setCheckable(True)
        self.reveal_key_button.toggled.connect(self._on_reveal_toggled)
        key_row = QHBoxLayout()
        key_row.addWidget(self.api_key_edit, 1)
        key_row.addWidget(self.reveal_key_button)
        self.key_source_label = QLabel()
        self.key_source_label.setAccessibleName("API key source")
        self.key_source_label.setWordWrap(True)
        self.keyring_problem_label = QLabel()
        self.keyring_problem_label.setAccessibleName("Keyring problem")
        self.keyring_problem_label.setWordWrap(True)
        self.keyring_problem_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.keyring_problem_label.setStyleSheet(
            "padding: 6px; border: 1px solid #b3261e; border-radius: 4px;"
        )
        self.keyring_problem_label.setVisible(False)
        self.session_only_check = QCheckBox("Use this key for this session only")
        self.session_only_check.setAccessibleName("Use this key for this session only")
        self.session_only_check.toggled.connect(self._on_session_only_toggled)

        form.addRow("Name", self._with_error(self.name_edit, "name"))
        form.addRow("Kind", self.kind_combo)
        form.addRow("Base URL", self._with_error(self.base_url_edit, "base_url"))
        form.addRow("Model", self._with_error(model_row, "model", extra=self.models_status))
        form.addRow("Temperature", self._with_error(self.temperature_edit, "temperature"))
        form.addRow("Max tokens", self._with_error(self.max_tokens_edit, "max_tokens"))
        form.addRow("System prompt", self.system_prompt_edit)
        form.addRow("Proxy", self._with_error(self.proxy_edit, "proxy"))
        form.addRow("Proxy password", self.proxy_password_edit)
        form.addRow("", self.needs_key_check)
        form.addRow("API key", self._with_error(key_row, "api_key", extra=self.key_source_label))
        form.addRow("", self.keyring_problem_label)
        form.addRow("", self.session_only_check)

        for edit in (
            self.name_edit,
            self.base_url_edit,
            self.temperature_edit,
            self.max_tokens_edit,
            self.proxy_edit,
            self.proxy_password_edit,
        ):
            edit.textEdited.connect(self._on_field_edited)
        self.name_edit.textEdited.connect(self._on_name_edited)
        self.model_combo.editTextChanged.connect(self._on_field_edited)
        self.kind_combo.currentIndexChanged.connect(self._on_field_edited)
        self.kind_combo.currentIndexChanged.connect(self._refresh_key_source)
        self.needs_key_check.toggled.connect(self._refresh_key_source)
        self.system_prompt_edit.textChanged.connect(self._on_field_edited)
        self.needs_key_check.toggled.connect(self._on_field_edited)

        # The connection test.
        self.test_button = QPushButton("Test connection")
        self.test_button.setAccessibleName("Test connection")
        self.test_button.clicked.connect(self.start_connection_test)
        self.cancel_test_button = QPushButton("Cancel test")
        self.cancel_test_button.setAccessibleName("Cancel test")
        self.cancel_test_button.clicked.connect(self.cancel_connection_test)
        self.cancel_test_button.setEnabled(False)
        self.test_status = QLabel()
        self.test_status.setAccessibleName("Connection test status")
        self.test_status.setWordWrap(True)
        self.test_results = QListWidget()
        self.test_results.setAccessibleName("Connection test results")
        self.test_results.setWordWrap(True)
        self.test_results.setMaximumHeight(150)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.cancel_test_button)
        test_row.addWidget(self.test_status, 1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_widget)
        right = QVBoxLayout()
        right.addWidget(self.empty_hint)
        right.addWidget(scroll, 1)
        right.addLayout(test_row)
        right.addWidget(self.test_results)

        top = QHBoxLayout()
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setMaximumWidth(260)
        top.addWidget(left_box)
        top.addLayout(right, 1)

        self.save_error_label = QLabel()
        self.save_error_label.setAccessibleName("Save error")
        self.save_error_label.setWordWrap(True)
        self.save_error_label.setStyleSheet(_ERROR_STYLE)
        self.save_error_label.setVisible(False)
        self.button_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.button_box.accepted.connect(self.save)
        self.button_box.rejected.connect(self.reject)

        outer = QVBoxLayout(self)
        outer.addLayout(top, 1)
        outer.addWidget(self.save_error_label)
        outer.addWidget(self.button_box)

    def _line_edit(self, accessible_name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(accessible_name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _with_error(self, content: Any, field_name: str, extra: QWidget | None = None) -> QWidget:
        """The field with an inline error label under it (hidden while there is no error)."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if isinstance(content, QWidget):
            layout.addWidget(content)
        else:
            layout.addLayout(content)
        if extra is not None:
            layout.addWidget(extra)
        error = QLabel()
        error.setAccessibleName(f"{field_name} error")
        error.setWordWrap(True)
        error.setStyleSheet(_ERROR_STYLE)
        error.setVisible(False)
        layout.addWidget(error)
        self._error_labels[field_name] = error
        return box

    # -- public state, for the app and for tests -------------------------------------------

    @property
    def current_profile_id(self) -> str | None:
        return self._current_id

    @property
    def connection_test_task(self) -> asyncio.Task[None] | None:
        return self._test_task

    @property
    def models_task(self) -> asyncio.Task[None] | None:
        return self._models_task

    def field_errors(self) -> dict[str, str]:
        """The inline messages the user sees now, by field."""
        return {
            name: label.text()
            for name, label in self._error_labels.items()
            if label.isVisibleTo(self)
        }

    def test_result_lines(self) -> list[str]:
        return [self.test_results.item(i).text() for i in range(self.test_results.count())]

    # -- profiles --------------------------------------------------------------------------

    def add_profile(self, preset_name: str = "Custom") -> str:
        """Adds a profile from a preset, selects it, and returns its id."""
        self._commit_fields()
        preset = preset_named(preset_name)
        profile = preset.new_profile(self._unique_name(preset.name))
        return self._insert(profile)

    def duplicate_profile(self) -> str | None:
        draft = self._current_draft()
        if draft is None:
            return None
        self._commit_fields()
        self._load_secrets(draft)
        new_id = ProviderProfile.new_id()
        copy = _Draft(
            new_id,
            replace(draft.form, name=self._unique_name(f"{draft.form.name} copy")),
            is_new=True,
            secrets_loaded=True,
            key=draft.key,
            key_source=draft.key_source,
            key_changed=bool(draft.key),  # the copy gets its own keyring entry
            proxy_password=draft.proxy_password,
            proxy_password_changed=bool(draft.proxy_password),
            session_only=draft.session_only,
        )
        self._drafts[new_id] = copy
        self._order.append(new_id)
        self._add_list_item(new_id)
        self._select(new_id)
        return new_id

    def delete_profile(self) -> None:
        """Removes the selected profile; its keyring entries are deleted on OK."""
        draft = self._current_draft()
        if draft is None:
            return
        row = self._order.index(draft.id)
        self._current_id = None  # nothing to commit: it is going away
        self._order.remove(draft.id)
        del self._drafts[draft.id]
        if not draft.is_new:
            self._deleted.append(draft.id)
        self.profile_list.blockSignals(True)
        self.profile_list.takeItem(row)
        self.profile_list.blockSignals(False)
        if self._order:
            self._select(self._order[min(row, len(self._order) - 1)])
        else:
            self._show_draft(None)
        self._update_enabled()

    def _insert(self, profile: ProviderProfile) -> str:
        draft = _Draft(profile.id, ProfileForm.from_profile(profile), is_new=True)
        draft.secrets_loaded = True  # a new profile has nothing stored yet
        self._apply_environment_key(draft, profile)
        self._drafts[profile.id] = draft
        self._order.append(profile.id)
        self._add_list_item(profile.id)
        self._select(profile.id)
        self._update_enabled()
        return profile.id

    def _unique_name(self, base: str) -> str:
        names = {d.form.name for d in self._drafts.values()}
        if base not in names:
            return base
        n = 2
        while f"{base} {n}" in names:
            n += 1
        return f"{base} {n}"

    def _add_list_item(self, profile_id: str) -> None:
        item = QListWidgetItem(self._drafts[profile_id].form.name or "(unnamed)")
        item.setData(Qt.ItemDataRole.UserRole, profile_id)
        self.profile_list.addItem(item)

    def _select(self, profile_id: str) -> None:
        """Shows a profile, whether or not its row is already the current one."""
        self._commit_fields()
        self._cancel_tasks()
        self.profile_list.blockSignals(True)
        self.profile_list.setCurrentRow(self._order.index(profile_id))
        self.profile_list.blockSignals(False)
        self._show_draft(self._drafts[profile_id])

    def _current_draft(self) -> _Draft | None:
        return self._drafts.get(self._current_id) if self._current_id else None

    def _on_profile_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        self._commit_fields()
        self.cancel_model_loading()
        self.cancel_connection_test()
        profile_id = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self._show_draft(self._drafts.get(profile_id) if profile_id else None)

    def _show_draft(self, draft: _Draft | None) -> None:
        self._current_id = draft.id if draft else None
        self._clear_errors()
        self.test_results.clear()
        self.test_status.clear()
        self.models_status.clear()
        has = draft is not None
        self.form_widget.setEnabled(has)
        self.empty_hint.setVisible(not self._order)
        if draft is None:
            self._update_enabled()
            return
        self._load_secrets(draft)
        f = draft.form
        self._loading_fields = True
        try:
            self.name_edit.setText(f.name)
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(f.kind)))
            self.base_url_edit.setText(f.base_url)
            self.model_combo.clear()
            self.model_combo.setEditText(f.model)
            self.temperature_edit.setText(f.temperature)
            self.max_tokens_edit.setText(f.max_tokens)
            self.system_prompt_edit.setPlainText(f.system_prompt)
            self.proxy_edit.setText(f.proxy)
            self.proxy_password_edit.setText(draft.proxy_password)
            self.needs_key_check.setChecked(f.needs_key)
            self.api_key_edit.setText(draft.key)
            self.session_only_check.setChecked(draft.session_only)
            self.reveal_key_button.setChecked(False)
        finally:
            self._loading_fields = False
        self._show_key_source(draft)
        self._update_enabled()

    def _commit_fields(self) -> None:
        """Copies what the fields hold into the current draft."""
        draft = self._current_draft()
        if draft is None:
            return
        draft.form = ProfileForm(
            name=self.name_edit.text(),
            kind=self.kind_combo.currentData() or "openai-compatible",
            base_url=self.base_url_edit.text(),
            model=self.model_combo.currentText(),
            temperature=self.temperature_edit.text(),
            max_tokens=self.max_tokens_edit.text(),
            system_prompt=self.system_prompt_edit.toPlainText(),
            proxy=self.proxy_edit.text(),
            needs_key=self.needs_key_check.isChecked(),
        )
        if self.proxy_password_edit.text() != draft.proxy_password:
            draft.proxy_password = self.proxy_password_edit.text()
            draft.proxy_password_changed = True
        if self.api_key_edit.text() != draft.key:
            draft.key = self.api_key_edit.text()
            draft.key_changed = True
        draft.session_only = self.session_only_check.isChecked()

    def _on_field_edited(self, *_args: object) -> None:
        if self._loading_fields:
            return
        self.save_error_label.setVisible(False)

    def _on_name_edited(self, text: str) -> None:
        if self._current_id is None:
            return
        item = self.profile_list.item(self._order.index(self._current_id))
        if item is not None:
            item.setText(text or "(unnamed)")

    def _update_enabled(self) -> None:
        has = self._current_id is not None
        testing = self._test_task is not None and not self._test_task.done()
        loading = self._models_task is not None and not self._models_task.done()
        self.duplicate_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.test_button.setEnabled(has and not testing)
        self.cancel_test_button.setEnabled(testing)
        self.load_models_button.setEnabled(has and not loading)
        self.cancel_models_button.setVisible(loading)
        self.models_spinner.setVisible(loading)

    # -- keys ------------------------------------------------------------------------------

    def _probe_keyring(self) -> None:
        try:
            self._secret_store.get(_PROBE_ENTRY)
        except SecretStoreUnavailable as e:
            self._show_keyring_problem(e)

    def _show_keyring_problem(self, problem: SecretStoreUnavailable) -> None:
        self.keyring_problem = problem
        self.keyring_problem_label.setText(
            f"{problem.message}\n{problem.how_to_fix}\n"
            "You can still use a key now: tick “Use this key for this session only” "
            "(it is kept in memory and forgotten when you quit)."
        )
        self.keyring_problem_label.setVisible(True)

    def _load_secrets(self, draft: _Draft) -> None:
        if draft.secrets_loaded:
            return
        draft.secrets_loaded = True
        session_key = self._session_store.get(draft.id)
        if session_key:
            draft.key, draft.key_source, draft.session_only = session_key, KeySource.SESSION, True
        else:
            try:
                stored = self._secret_store.get(draft.id)
            except SecretStoreUnavailable as e:
                stored = None
                self._show_keyring_problem(e)
            if stored:
                draft.key, draft.key_source = stored, KeySource.KEYRING
        proxy_entry = proxy_secret_id(draft.id)
        proxy_pw = self._session_store.get(proxy_entry)
        if not proxy_pw and self.keyring_problem is None:
            with contextlib.suppress(SecretStoreUnavailable):
                proxy_pw = self._secret_store.get(proxy_entry)
        draft.proxy_password = proxy_pw or ""
        if not draft.key:
            parsed = draft.form.parse(draft.id)
            if parsed.profile is not None:
                self._apply_environment_key(draft, parsed.profile)

    def _apply_environment_key(self, draft: _Draft, profile: ProviderProfile) -> None:
        if self._environment.applies_to(profile) and self._environment.get():
            draft.key_source = KeySource.ENVIRONMENT

    def _environment_applies(self) -> bool:
        kind = self.kind_combo.currentData()
        return kind == "openai" and self._environment.get() is not None

    def _show_key_source(self, draft: _Draft) -> None:
        where = self._secret_store.describe()
        if draft.key and draft.session_only:
            text = "Kept for this session only (in memory, not stored)."
        elif draft.key and draft.key_changed:
            text = f"Will be stored in the {where} when you press OK."
        elif draft.key and draft.key_source is KeySource.KEYRING:
            text = f"Stored in the {where}."
        elif self._environment_applies():
            text = (
                f"Using {self._environment.name} from the environment (read-only). "
                "Type a key here to use another one."
            )
        elif not self.needs_key_check.isChecked():
            text = "This server needs no key."
        else:
            text = "No key set."
        self.key_source_label.setText(text)
        self.api_key_edit.setPlaceholderText(
            f"from {self._environment.name} (read-only)" if self._environment_applies() else ""
        )

    def _on_key_edited(self, _text: str) -> None:
        self._refresh_key_source()

    def _refresh_key_source(self, *_args: object) -> None:
        if self._loading_fields:
            return
        self._commit_fields()
        draft = self._current_draft()
        if draft is not None:
            self._show_key_source(draft)

    def _on_session_only_toggled(self, _checked: bool) -> None:
        if self._loading_fields:
            return
        self._commit_fields()
        draft = self._current_draft()
        if draft is not None:
            draft.key_changed = True  # where the key lives changes on OK
            self._show_key_source(draft)

    def _on_reveal_toggled(self, shown: bool) -> None:
        self.api_key_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )
        self.reveal_key_button.setText("Hide" if shown else "Show")
        self.reveal_key_button.setAccessibleName("Hide API key" if shown else "Show API key")

    def _key_for_use(self, draft: _Draft) -> str:
        """The key a request from this dialog would use now."""
        if draft.key:
            return draft.key
        if self._environment_applies():
            return self._environment.get() or ""
        return ""

    # -- validation ------------------------------------------------------------------------

    def _clear_errors(self) -> None:
        for label in self._error_labels.values():
            label.clear()
            label.setVisible(False)

    def _show_errors(self, errors: tuple[FieldError, ...] | list[FieldError]) -> None:
        self._clear_errors()
        for error in errors:
            label = self._error_labels.get(error.field)
            if label is None:
                continue
            text = f"{label.text()}\n{error.message}" if label.text() else error.message
            label.setText(text)
            label.setVisible(True)

    def _parse_current(self) -> tuple[_Draft, ParsedProfile] | None:
        """The current profile parsed from the fields; errors are shown inline."""
        self._commit_fields()
        draft = self._current_draft()
        if draft is None:
            return None
        parsed = draft.form.parse(draft.id)
        self._show_errors(parsed.errors)
        return draft, parsed

    # -- model list ------------------------------------------------------------------------

    def load_models(self) -> None:
        """Fetches the server's /models in the background; the name field stays editable."""
        self._commit_fields()
        draft = self._current_draft()
        if draft is None:
            return
        parsed = draft.form.parse(draft.id)
        url_errors = [e for e in parsed.errors if e.field in ("base_url", "proxy")]
        if url_errors:
            self._show_errors(url_errors)
            return
        profile = parsed.profile or ProviderProfile(
            id=draft.id, name="", base_url=draft.form.base_url.strip()
        )
        endpoint = profile.endpoint(
            self._key_for_use(draft), proxy_password=draft.proxy_password or None
        )
        self.cancel_model_loading()
        self.models_status.setText("Loading models…")
        self._models_task = self._start_task(
            self._load_models(endpoint), on_cancelled=self._models_cancelled
        )
        self._update_enabled()

    async def _load_models(self, endpoint: Any) -> None:
        try:
            models = await fetch_models(endpoint, timeouts=self._timeouts)
        except ModelListError as e:
            self.models_status.setText(f"Could not load models: {e}.")
            self.models_loaded.emit(None)
            return
        current = self.model_combo.currentText()
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        self.model_combo.addItems(models)
        self.model_combo.setEditText(current)
        self.model_combo.blockSignals(False)
        count = len(models)
        self.models_status.setText(
            f"{count} model{'s' if count != 1 else ''} available: type to search."
            if count
            else "The server lists no models; type the model name."
        )
        self.models_loaded.emit(models)

    def cancel_model_loading(self) -> None:
        if self._models_task is not None and not self._models_task.done():
            self._models_task.cancel()

    # -- connection test -------------------------------------------------------------------

    def start_connection_test(self) -> None:
        parsed_pair = self._parse_current()
        if parsed_pair is None:
            return
        draft, parsed = parsed_pair
        if parsed.profile is None:
            self.test_status.setText("Fix the fields marked above first.")
            return
        if self._test_task is not None and not self._test_task.done():
            return
        profile = parsed.profile
        key = self._key_for_use(draft)
        endpoint = profile.endpoint(
            key, proxy_password=parsed.proxy_password or draft.proxy_password or None
        )
        self.test_results.clear()
        self.test_status.setText("Testing…")
        self._test_task = self._start_task(
            self._run_test(endpoint, profile.model, key), on_cancelled=self._test_cancelled
        )
        self._update_enabled()

    async def _run_test(self, endpoint: Any, model: str, key: str) -> None:
        try:
            report = await run_connection_test(
                endpoint, model, self._show_stage, timeouts=self._timeouts
            )
        except Exception as e:  # noqa: BLE001 - a bug must not leave the dialog "testing"
            self.test_status.setText(
                f"The test stopped unexpectedly: {redact(str(e) or type(e).__name__, [key])}"
            )
            self.connection_test_finished.emit(None)
            return
        failure: StageResult | None = report.failure
        if report.ok:
            self.test_status.setText("✓ All checks passed.")
        elif failure is not None:
            self.test_status.setText(f"✗ {failure.stage.label}: {failure.message}")
        self.connection_test_finished.emit(report)

    def _show_stage(self, result: StageResult) -> None:
        mark = _STATUS_MARKS[result.status]
        parts = [f"{mark} {result.stage.label}"]
        if result.elapsed_s is not None:
            parts.append(_duration(result.elapsed_s))
        parts.append(result.message)
        item = QListWidgetItem(" — ".join(parts))
        item.setData(Qt.ItemDataRole.UserRole, result.status.value)
        self.test_results.addItem(item)

    def cancel_connection_test(self) -> None:
        if self._test_task is not None and not self._test_task.done():
            self._test_task.cancel()

    # -- tasks -----------------------------------------------------------------------------

    def _start_task(
        self, work: Coroutine[Any, Any, None], on_cancelled: Callable[[], None]
    ) -> asyncio.Task[None]:
        task = asyncio.ensure_future(work)

        def finished(task: asyncio.Task[None]) -> None:
            # Here rather than in the coroutine: a task cancelled before its first step
            # never runs its own except/finally blocks.
            if task.cancelled() and self._alive():
                on_cancelled()
            self._task_done(task)

        task.add_done_callback(finished)
        return task

    def _models_cancelled(self) -> None:
        self.models_status.setText("Loading models was cancelled.")
        self.models_loaded.emit(None)

    def _test_cancelled(self) -> None:
        self.test_status.setText("Test cancelled.")
        self.connection_test_finished.emit(None)

    def _alive(self) -> bool:
        """False once Qt deleted the dialog: a task cancelled at close may finish after that."""
        return shiboken6.isValid(self)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        if not self._alive():
            return
        self._update_enabled()
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            import sys

            assert exc is not None
            sys.excepthook(type(exc), exc, exc.__traceback__)

    def _cancel_tasks(self) -> None:
        self.cancel_connection_test()
        self.cancel_model_loading()

    # -- OK / Cancel -----------------------------------------------------------------------

    def save(self) -> bool:
        """Validates every profile, stores the secrets, then the settings file; closes if done."""
        self._commit_fields()
        self.save_error_label.setVisible(False)
        profiles: list[ProviderProfile] = []
        proxy_passwords: dict[str, str] = {}
        for profile_id in self._order:
            draft = self._drafts[profile_id]
            parsed = draft.form.parse(profile_id)
            if parsed.profile is None:
                self._select(profile_id)
                self._show_errors(parsed.errors)
                self._show_save_error("Some fields need fixing (marked in red).")
                return False
            profiles.append(parsed.profile)
            if parsed.proxy_password:  # typed into the URL: it goes to the keyring instead
                proxy_passwords[profile_id] = parsed.proxy_password
        for profile_id in self._order:
            draft = self._drafts[profile_id]
            wants_keyring = draft.key and draft.key_changed and not draft.session_only
            if wants_keyring and self.keyring_problem is not None:
                self._select(profile_id)
                self._show_errors(
                    [
                        FieldError(
                            "api_key",
                            "The key cannot be stored: the system keyring is unavailable "
                            "(see below). Tick “Use this key for this session only” to use "
                            "it until you quit.",
                        )
                    ]
                )
                self._show_save_error("The API key could not be stored.")
                return False
        try:
            self._write_secrets(proxy_passwords)
        except SecretStoreUnavailable as e:
            self._show_keyring_problem(e)
            self._show_save_error(
                f"{e.message} Nothing was saved. Tick “Use this key for this session only” "
                "to use the key without the keyring."
            )
            return False
        active = self._current_id or self._settings.active_profile_id
        if active not in self._order:
            active = self._order[0] if self._order else None
        settings = replace(self._settings, profiles=tuple(profiles), active_profile_id=active)
        try:
            self._settings_file.save(settings)
        except SettingsError as e:
            self._show_save_error(str(e))
            return False
        self._settings = settings
        for draft in self._drafts.values():
            draft.is_new = False
            draft.key_changed = draft.proxy_password_changed = False
        self._deleted.clear()
        self.settings_saved.emit(settings)
        self.accept()
        return True

    def _write_secrets(self, proxy_passwords: dict[str, str]) -> None:
        for profile_id in self._order:
            draft = self._drafts[profile_id]
            if draft.key_changed:
                if draft.session_only:
                    self._session_store.set(profile_id, draft.key)
                    if self.keyring_problem is None:
                        # Moved to "session only": the stored copy must not linger.
                        self._secret_store.delete(profile_id)
                else:
                    self._session_store.delete(profile_id)
                    self._secret_store.set(profile_id, draft.key)  # empty: deletes
            password = proxy_passwords.get(profile_id)
            if password is None and draft.proxy_password_changed:
                password = draft.proxy_password
            if password is not None:
                entry = proxy_secret_id(profile_id)
                store: SecretStore = (
                    self._session_store if draft.session_only else self._secret_store
                )
                store.set(entry, password)
        for profile_id in self._deleted:
            for entry in (profile_id, proxy_secret_id(profile_id)):
                self._session_store.delete(entry)
                if self.keyring_problem is None:
                    self._secret_store.delete(entry)

    def _show_save_error(self, text: str) -> None:
        self.save_error_label.setText(text)
        self.save_error_label.setVisible(True)

    def done(self, result: int) -> None:
        self._cancel_tasks()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._cancel_tasks()
        super().closeEvent(event)


def _duration(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"
