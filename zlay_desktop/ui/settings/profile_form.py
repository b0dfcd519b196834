"""One profile's fields: what the user types, the inline errors, the API key and where it
lives, and the model list fetched from the server."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from zlay_desktop.core.connection_test import ConnectionTestTimeouts, ModelListError, fetch_models
from zlay_desktop.core.i18n import QT_TRANSLATE_NOOP
from zlay_desktop.core.models import Endpoint
from zlay_desktop.core.secrets import SecretStoreUnavailable
from zlay_desktop.core.settings import FieldError, ProfileForm, ProviderKind
from zlay_desktop.ui.background import BackgroundTasks, report_unexpected
from zlay_desktop.ui.styles import ERROR_STYLE

_KIND_LABELS: dict[ProviderKind, str] = {
    "openai": "OpenAI",
    "openai-compatible": QT_TRANSLATE_NOOP("ProfileFormView", "OpenAI-compatible"),
}


class ProfileFormView(QWidget):
    """The fields of one profile. It holds no profile: the dialog fills and reads it."""

    edited = Signal()  # the user changed any field
    # the user changed what decides which server answers and how (URL, key, proxy, kind):
    # what was learnt about the old one (models, a test's verdict) no longer holds
    connection_edited = Signal()
    name_edited = Signal(str)
    key_state_changed = Signal()  # the key, "session only", "needs a key" or the kind changed
    session_only_toggled = Signal()
    load_models_requested = Signal()
    models_loaded = Signal(list)  # list[str]: the model ids the server listed
    models_not_loaded = Signal()  # loading failed or was cancelled (the status says which)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._error_labels: dict[str, QLabel] = {}
        self._filling = False  # True while fields are filled from a draft
        self._tasks = BackgroundTasks(self)
        self._models_task: asyncio.Task[list[str]] | None = None
        self._build_fields()
        self._build_model_row()
        self._build_key_fields()
        self._lay_out()
        self._connect()
        self._update_model_buttons()

    # -- layout ----------------------------------------------------------------------------

    def _build_fields(self) -> None:
        self.name_edit = _line_edit(self.tr("Name"))
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName(self.tr("Kind"))
        for kind, label in _KIND_LABELS.items():
            self.kind_combo.addItem(self.tr(label), kind)
        self.base_url_edit = _line_edit(
            self.tr("Base URL"), self.tr("e.g. http://localhost:11434/v1")
        )
        self.temperature_edit = _line_edit(self.tr("Temperature"), self.tr("server default (0–2)"))
        self.max_tokens_edit = _line_edit(self.tr("Max tokens"), self.tr("server default"))
        self.system_prompt_edit = QPlainTextEdit()
        self.system_prompt_edit.setAccessibleName(self.tr("System prompt"))
        self.system_prompt_edit.setPlaceholderText(self.tr("optional"))
        self.system_prompt_edit.setMaximumHeight(90)
        self.proxy_edit = _line_edit(
            self.tr("Proxy"),
            self.tr("system proxy settings (or http://, https://, socks5://host:port)"),
        )
        self.proxy_password_edit = _line_edit(
            self.tr("Proxy password"), self.tr("only if the proxy needs one")
        )
        self.proxy_password_edit.setEchoMode(QLineEdit.EchoMode.Password)

    def _build_model_row(self) -> None:
        self.model_combo = QComboBox()
        self.model_combo.setEditable(True)
        self.model_combo.setAccessibleName(self.tr("Model"))
        self.model_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_combo.setSizePolicy(
            self.base_url_edit.sizePolicy().horizontalPolicy(),
            self.model_combo.sizePolicy().verticalPolicy(),
        )
        line = self.model_combo.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("type a model name, or load the server's list"))
        completer = QCompleter(self.model_combo.model(), self.model_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # search anywhere in the name
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.model_combo.setCompleter(completer)
        self.load_models_button = QPushButton(self.tr("Load models"))
        self.load_models_button.setAccessibleName(self.tr("Load models"))
        self.cancel_models_button = QPushButton(self.tr("Cancel"))
        self.cancel_models_button.setAccessibleName(self.tr("Cancel loading models"))
        self.models_spinner = QProgressBar()
        self.models_spinner.setRange(0, 0)  # busy indicator
        self.models_spinner.setMaximumWidth(80)
        self.models_status = QLabel()
        self.models_status.setAccessibleName(self.tr("Model list status"))
        self.models_status.setWordWrap(True)
        self._model_row = QHBoxLayout()
        self._model_row.addWidget(self.model_combo, 1)
        self._model_row.addWidget(self.load_models_button)
        self._model_row.addWidget(self.models_spinner)
        self._model_row.addWidget(self.cancel_models_button)

    def _build_key_fields(self) -> None:
        self.accepts_images_check = QCheckBox(self.tr("The model accepts images"))
        self.accepts_images_check.setAccessibleName(self.tr("The model accepts images"))
        self.accepts_images_check.setToolTip(
            self.tr(
                "Attached images are sent to the model. Turn off for a text-only model: a "
                "message with images is then kept in the composer, not sent."
            )
        )
        self.needs_key_check = QCheckBox(self.tr("This server needs an API key"))
        self.needs_key_check.setAccessibleName(self.tr("Needs an API key"))
        self.api_key_edit = _line_edit(self.tr("API key"))
        self.api_key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.reveal_key_button = QToolButton()
        self.reveal_key_button.setText(self.tr("Show"))
        self.reveal_key_button.setAccessibleName(self.tr("Show API key"))
        self.reveal_key_button.setCheckable(True)
        self._key_row = QHBoxLayout()
        self._key_row.addWidget(self.api_key_edit, 1)
        self._key_row.addWidget(self.reveal_key_button)
        self.key_source_label = QLabel()
        self.key_source_label.setAccessibleName(self.tr("API key source"))
        self.key_source_label.setWordWrap(True)
        self.keyring_problem_label = QLabel()
        self.keyring_problem_label.setAccessibleName(self.tr("Keyring problem"))
        self.keyring_problem_label.setWordWrap(True)
        self.keyring_problem_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.keyring_problem_label.setStyleSheet(
            "padding: 6px; border: 1px solid #b3261e; border-radius: 4px;"
        )
        self.keyring_problem_label.setVisible(False)
        self.session_only_check = QCheckBox(self.tr("Use this key for this session only"))
        self.session_only_check.setAccessibleName(self.tr("Use this key for this session only"))

    def _lay_out(self) -> None:
        form = QFormLayout(self)
        form.addRow(self.tr("Name"), self._with_error(self.name_edit, "name"))
        form.addRow(self.tr("Kind"), self.kind_combo)
        form.addRow(self.tr("Base URL"), self._with_error(self.base_url_edit, "base_url"))
        form.addRow(
            self.tr("Model"), self._with_error(self._model_row, "model", extra=self.models_status)
        )
        form.addRow(self.tr("Temperature"), self._with_error(self.temperature_edit, "temperature"))
        form.addRow(self.tr("Max tokens"), self._with_error(self.max_tokens_edit, "max_tokens"))
        form.addRow(self.tr("System prompt"), self.system_prompt_edit)
        form.addRow(self.tr("Proxy"), self._with_error(self.proxy_edit, "proxy"))
        form.addRow(self.tr("Proxy password"), self.proxy_password_edit)
        form.addRow("", self.accepts_images_check)
        form.addRow("", self.needs_key_check)
        form.addRow(
            self.tr("API key"),
            self._with_error(self._key_row, "api_key", extra=self.key_source_label),
        )
        form.addRow("", self.keyring_problem_label)
        form.addRow("", self.session_only_check)

    def _with_error(
        self, content: QWidget | QLayout, field_name: str, extra: QWidget | None = None
    ) -> QWidget:
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
        error.setAccessibleName(self.tr("{0} error").format(field_name))
        error.setWordWrap(True)
        error.setStyleSheet(ERROR_STYLE)
        error.setVisible(False)
        layout.addWidget(error)
        self._error_labels[field_name] = error
        return box

    def _connect(self) -> None:
        for edit in (
            self.name_edit,
            self.base_url_edit,
            self.temperature_edit,
            self.max_tokens_edit,
            self.proxy_edit,
            self.proxy_password_edit,
            self.api_key_edit,
        ):
            edit.textEdited.connect(self._user_edited)
        self.model_combo.editTextChanged.connect(self._user_edited)
        self.kind_combo.currentIndexChanged.connect(self._user_edited)
        self.system_prompt_edit.textChanged.connect(self._user_edited)
        self.needs_key_check.toggled.connect(self._user_edited)
        self.accepts_images_check.toggled.connect(self._user_edited)
        self.name_edit.textEdited.connect(self.name_edited)
        for edit in (
            self.base_url_edit,
            self.proxy_edit,
            self.proxy_password_edit,
            self.api_key_edit,
        ):
            edit.textEdited.connect(self._connection_edited)
        self.kind_combo.currentIndexChanged.connect(self._connection_edited)
        self.needs_key_check.toggled.connect(self._connection_edited)
        self.api_key_edit.textEdited.connect(self._key_state_changed)
        self.kind_combo.currentIndexChanged.connect(self._key_state_changed)
        self.needs_key_check.toggled.connect(self._key_state_changed)
        self.session_only_check.toggled.connect(self._session_only_toggled)
        self.reveal_key_button.toggled.connect(self._on_reveal_toggled)
        self.load_models_button.clicked.connect(self.load_models_requested)
        self.cancel_models_button.clicked.connect(self.cancel_model_loading)

    # -- filling and reading ---------------------------------------------------------------

    def fill(self, form: ProfileForm, key: str, proxy_password: str, session_only: bool) -> None:
        """Shows a profile's values; no "edited" signal comes from this."""
        self._filling = True
        try:
            self.name_edit.setText(form.name)
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(form.kind)))
            self.base_url_edit.setText(form.base_url)
            self.model_combo.clear()
            self.model_combo.setEditText(form.model)
            self.temperature_edit.setText(form.temperature)
            self.max_tokens_edit.setText(form.max_tokens)
            self.system_prompt_edit.setPlainText(form.system_prompt)
            self.proxy_edit.setText(form.proxy)
            self.proxy_password_edit.setText(proxy_password)
            self.needs_key_check.setChecked(form.needs_key)
            self.accepts_images_check.setChecked(form.accepts_images)
            self.api_key_edit.setText(key)
            self.session_only_check.setChecked(session_only)
            self.reveal_key_button.setChecked(False)
        finally:
            self._filling = False
        self.clear_errors()
        self.models_status.clear()

    def read(self) -> ProfileForm:
        return ProfileForm(
            name=self.name_edit.text(),
            kind=self.kind_combo.currentData() or "openai-compatible",
            base_url=self.base_url_edit.text(),
            model=self.model_combo.currentText(),
            temperature=self.temperature_edit.text(),
            max_tokens=self.max_tokens_edit.text(),
            system_prompt=self.system_prompt_edit.toPlainText(),
            proxy=self.proxy_edit.text(),
            needs_key=self.needs_key_check.isChecked(),
            accepts_images=self.accepts_images_check.isChecked(),
        )

    def _user_edited(self, *_args: object) -> None:
        if not self._filling:
            self.edited.emit()

    def _connection_edited(self, *_args: object) -> None:
        if not self._filling:
            self.connection_edited.emit()

    def _key_state_changed(self, *_args: object) -> None:
        if not self._filling:
            self.key_state_changed.emit()

    def _session_only_toggled(self, _checked: bool) -> None:
        if not self._filling:
            self.session_only_toggled.emit()

    def _on_reveal_toggled(self, shown: bool) -> None:
        self.api_key_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )
        self.reveal_key_button.setText(self.tr("Hide") if shown else self.tr("Show"))
        self.reveal_key_button.setAccessibleName(
            self.tr("Hide API key") if shown else self.tr("Show API key")
        )

    # -- what the user sees about the key --------------------------------------------------

    def show_key_source(self, text: str, placeholder: str) -> None:
        self.key_source_label.setText(text)
        self.api_key_edit.setPlaceholderText(placeholder)

    def show_keyring_problem(self, problem: SecretStoreUnavailable) -> None:
        hint = self.tr(
            "You can still use a key now: tick “Use this key for this session only” "
            "(it is kept in memory and forgotten when you quit)."
        )
        self.keyring_problem_label.setText(f"{problem.message}\n{problem.how_to_fix}\n{hint}")
        self.keyring_problem_label.setVisible(True)

    # -- inline errors ---------------------------------------------------------------------

    def clear_errors(self) -> None:
        for label in self._error_labels.values():
            label.clear()
            label.setVisible(False)

    def show_errors(self, errors: Sequence[FieldError]) -> None:
        self.clear_errors()
        for error in errors:
            label = self._error_labels.get(error.field)
            if label is None:
                continue
            text = f"{label.text()}\n{error.message}" if label.text() else error.message
            label.setText(text)
            label.setVisible(True)

    def field_errors(self) -> dict[str, str]:
        """The inline messages the user sees now, by field."""
        return {
            name: label.text()
            for name, label in self._error_labels.items()
            if not label.isHidden() and label.text()
        }

    # -- the model list --------------------------------------------------------------------

    @property
    def models_task(self) -> asyncio.Task[list[str]] | None:
        return self._models_task

    @property
    def loading_models(self) -> bool:
        return self._models_task is not None and not self._models_task.done()

    def load_models(self, endpoint: Endpoint, timeouts: ConnectionTestTimeouts | None) -> None:
        """Fetches the server's /models in the background; the name field stays editable."""
        self.cancel_model_loading()
        self.models_status.setText(self.tr("Loading models…"))
        self._models_task = self._tasks.start(
            fetch_models(endpoint, timeouts=timeouts),
            on_success=self._models_arrived,
            on_failure=self._models_failed,
            on_cancelled=self._models_cancelled,
            on_done=self._update_model_buttons,
        )
        self._update_model_buttons()

    def _models_arrived(self, models: list[str]) -> None:
        current = self.model_combo.currentText()
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        self.model_combo.addItems(models)
        self.model_combo.setEditText(current)
        self.model_combo.blockSignals(False)
        count = len(models)
        if count == 1:
            text = self.tr("1 model available: type to search.")
        elif count:
            text = self.tr("%n models available: type to search.", "", count)
        else:
            text = self.tr("The server lists no models; type the model name.")
        self.models_status.setText(text)
        self.models_loaded.emit(models)

    def _models_failed(self, error: Exception) -> None:
        if not isinstance(error, ModelListError):
            self.models_status.clear()
            self.models_not_loaded.emit()
            report_unexpected(error)  # a bug, not a server's answer
            return
        self.models_status.setText(self.tr("Could not load models: {0}.").format(error))
        self.models_not_loaded.emit()

    def _models_cancelled(self) -> None:
        self.models_status.setText(self.tr("Loading models was cancelled."))
        self.models_not_loaded.emit()

    def cancel_model_loading(self) -> None:
        if self._models_task is not None and not self._models_task.done():
            self._models_task.cancel()

    def forget_models(self) -> None:
        """The server changed: its model count goes (the list stays, to pick from)."""
        if not self.loading_models:
            self.models_status.clear()

    def _update_model_buttons(self) -> None:
        loading = self.loading_models
        self.load_models_button.setEnabled(not loading)
        self.cancel_models_button.setVisible(loading)
        self.models_spinner.setVisible(loading)


def _line_edit(accessible_name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(accessible_name)
    edit.setPlaceholderText(placeholder)
    return edit
