"""The settings dialog: the profile list, OK/Cancel, and saving.

Edits stay in drafts until OK: then every profile is validated first, the secrets are handed
to `ApiKeys.apply` (which decides keyring or session, and what the keyring being down means),
and only then the settings file is written; a problem at any step leaves the dialog open
with the message next to its field. Background work (models, the connection test, looking
for local servers) runs through `BackgroundTasks` and ends when the dialog closes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from zlay_desktop.core.assistants import Assistant
from zlay_desktop.core.connection_test import ConnectionReport, ConnectionTestTimeouts
from zlay_desktop.core.i18n import SYSTEM_LANGUAGE
from zlay_desktop.core.local_servers import LOCAL_SERVERS, DetectedServer, LocalServer
from zlay_desktop.core.mcp.config import McpServerConfig
from zlay_desktop.core.mcp.manager import McpManager
from zlay_desktop.core.mcp.secrets import delete_secrets, store_secrets
from zlay_desktop.core.prompts import SavedPrompt
from zlay_desktop.core.secrets import (
    ApiKeys,
    KeyChange,
    KeysNotStored,
    KeySource,
    SecretStoreUnavailable,
)
from zlay_desktop.core.settings import (
    PRESETS,
    FieldError,
    ParsedProfile,
    ProfileForm,
    ProviderProfile,
    Settings,
    SettingsError,
    SettingsFile,
    preset_named,
    with_default_assistant,
)
from zlay_desktop.core.targets import Overrides, resolve_target
from zlay_desktop.ui.i18n import LANGUAGES
from zlay_desktop.ui.settings.assistants_page import AssistantsPage
from zlay_desktop.ui.settings.connection_panel import ConnectionTestPanel
from zlay_desktop.ui.settings.first_run import FirstRunPage
from zlay_desktop.ui.settings.mcp_page import McpServersPage
from zlay_desktop.ui.settings.profile_form import ProfileFormView
from zlay_desktop.ui.settings.prompts_page import PromptsPage
from zlay_desktop.ui.styles import ERROR_STYLE

log = logging.getLogger(__name__)


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

    def pending_change(self, url_proxy_password: str | None) -> KeyChange | None:
        """What OK would do to this profile's secrets (None: nothing)."""
        key = self.key if self.key_changed else None
        proxy_password = url_proxy_password  # typed into the proxy URL: it wins
        if proxy_password is None and self.proxy_password_changed:
            proxy_password = self.proxy_password
        if key is None and proxy_password is None:
            return None
        return KeyChange(self.id, key, self.session_only, proxy_password)


class SettingsDialog(QDialog):
    """Providers, keys and the connection test. Open it with `open()`, never `exec()`."""

    settings_saved = Signal(Settings)  # the new settings, after they were written

    def __init__(
        self,
        settings: Settings,
        settings_file: SettingsFile,
        keys: ApiKeys,
        *,
        timeouts: ConnectionTestTimeouts | None = None,
        local_servers: Sequence[LocalServer] = LOCAL_SERVERS,
        overrides: Overrides | None = None,
        mcp: McpManager | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`overrides`: what the command line or environment set for this run (said at the
        top, since they win over what is shown here). `mcp`: the running servers (their
        state, and Test)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName(self.tr("Settings"))
        self.resize(900, 780)
        self._settings = settings
        self._settings_file = settings_file
        self._keys = keys
        self.timeouts = timeouts
        self._drafts: dict[str, _Draft] = {
            p.id: _Draft(p.id, ProfileForm.from_profile(p)) for p in settings.profiles
        }
        self._order: list[str] = [p.id for p in settings.profiles]
        self._deleted: list[str] = []
        self._current_id: str | None = None
        self._discard_confirmed = False
        self.discard_question: QMessageBox | None = None
        self.keyring_problem: SecretStoreUnavailable | None = None
        self.mcp_page = McpServersPage(settings.mcp_servers, mcp)
        self.assistants_page = AssistantsPage(
            settings.assistants,
            [(p.id, p.name) for p in settings.profiles],
            [(s.name, s.name) for s in settings.mcp_servers],
        )
        self.prompts_page = PromptsPage(settings.prompts)

        self._build(local_servers)
        self._show_overrides(overrides or Overrides())
        problem = keys.keyring_problem()
        if problem is not None:
            self._show_keyring_problem(problem)
        for profile_id in self._order:
            self._add_list_item(profile_id)
        wanted = settings.active_profile()
        if self._order:
            self._select(wanted.id if wanted else self._order[0])
        else:
            self._show_draft(None)

    # -- layout ----------------------------------------------------------------------------

    def _build(self, local_servers: Sequence[LocalServer]) -> None:
        self.form = ProfileFormView()
        self.tester = ConnectionTestPanel()
        self.first_run = FirstRunPage(local_servers)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.editor = QWidget()
        editor_layout = QVBoxLayout(self.editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(scroll, 1)
        editor_layout.addWidget(self.tester)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.first_run)
        self.pages.addWidget(self.editor)

        top = QHBoxLayout()
        top.addWidget(self._build_profile_list())
        top.addWidget(self.pages, 1)
        self.save_error_label = QLabel()
        self.save_error_label.setAccessibleName(self.tr("Save error"))
        self.save_error_label.setWordWrap(True)
        self.save_error_label.setStyleSheet(ERROR_STYLE)
        self.save_error_label.setVisible(False)
        self.button_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.overrides_label = QLabel()
        self.overrides_label.setAccessibleName(self.tr("Command line"))
        self.overrides_label.setWordWrap(True)
        self.overrides_label.setVisible(False)
        outer = QVBoxLayout(self)
        outer.addWidget(self.overrides_label)
        providers = QWidget()
        providers.setLayout(top)
        self.tabs = QTabWidget()
        self.tabs.addTab(providers, self.tr("Providers"))
        self.tabs.addTab(self.mcp_page, self.tr("MCP servers"))
        self.tabs.addTab(self.assistants_page, self.tr("Assistants"))
        self.tabs.addTab(self.prompts_page, self.tr("Prompts"))
        self.tabs.addTab(self._build_general_page(), self.tr("General"))
        self.tabs.currentChanged.connect(self._tab_shown)
        outer.addWidget(self.tabs, 1)
        outer.addWidget(self.save_error_label)
        outer.addWidget(self.button_box)
        self._connect()

    def _build_general_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName(self.tr("Language"))
        self.language_combo.addItem(self.tr("System default"), SYSTEM_LANGUAGE)
        for code, name in LANGUAGES:
            self.language_combo.addItem(name, code)
        chosen = self._settings.ui.get("language", SYSTEM_LANGUAGE)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(chosen)))
        form.addRow(self.tr("Language:"), self.language_combo)
        note = QLabel(self.tr("A new language applies when Zlay Desktop is started again."))
        note.setWordWrap(True)
        form.addRow("", note)
        return page

    def chosen_language(self) -> str:
        return str(self.language_combo.currentData())


    def _ui_settings(self) -> dict[str, object]:
        """The `ui` settings with the language chosen; none written when it follows the
        system (a start then reads the file's language without parsing it: see
        `core.i18n.read_language`)."""
        ui = {k: v for k, v in self._settings.ui.items() if k != "language"}
        if self.chosen_language() != SYSTEM_LANGUAGE:
            ui["language"] = self.chosen_language()
        return ui
    def _show_overrides(self, overrides: Overrides) -> None:
        said: list[str] = []
        if overrides.base_url:
            said.append(self.tr("the server {0}").format(overrides.base_url))
        if overrides.model:
            said.append(self.tr("the model {0}").format(overrides.model))
        if overrides.environment_key and not overrides.base_url:
            said.append(self.tr("the API key in OPENAI_API_KEY"))
        if not said:
            return
        self.overrides_label.setText(
            self.tr(
                "For this run the command line sets {0}: it wins over the settings below, "
                "which apply again when the app is started without it."
            ).format(self.tr(" and ").join(said))
        )
        self.overrides_label.setVisible(True)

    def _build_profile_list(self) -> QWidget:
        self.profile_list = QListWidget()
        self.profile_list.setAccessibleName(self.tr("Profiles"))
        self.add_button = QToolButton()
        self.add_button.setText(self.tr("Add"))
        self.add_button.setAccessibleName(self.tr("Add profile"))
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.preset_menu = QMenu(self.add_button)
        for preset in PRESETS:
            action = self.preset_menu.addAction(preset.name)
            action.triggered.connect(lambda _=False, name=preset.name: self.add_profile(name))
        self.add_button.setMenu(self.preset_menu)
        self.duplicate_button = QPushButton(self.tr("Duplicate"))
        self.duplicate_button.setAccessibleName(self.tr("Duplicate profile"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setAccessibleName(self.tr("Delete profile"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.duplicate_button)
        buttons.addWidget(self.delete_button)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(self.profile_list)
        layout.addLayout(buttons)
        # Narrow, but never narrower than its buttons' words (German ones are longer).
        box.setMaximumWidth(max(260, box.minimumSizeHint().width()))
        return box

    def _connect(self) -> None:
        self.profile_list.currentItemChanged.connect(self._on_profile_changed)
        self.duplicate_button.clicked.connect(self.duplicate_profile)
        self.delete_button.clicked.connect(self.delete_profile)
        self.button_box.accepted.connect(self.save)
        self.button_box.rejected.connect(self.reject)
        self.form.edited.connect(self._on_field_edited)
        self.form.connection_edited.connect(self._on_connection_edited)
        self.form.name_edited.connect(self._on_name_edited)
        self.form.key_state_changed.connect(self._refresh_key_source)
        self.form.session_only_toggled.connect(self._on_session_only_toggled)
        self.form.load_models_requested.connect(self.load_models)
        self.tester.test_requested.connect(self.start_connection_test)
        self.tester.no_key_needed.connect(lambda: self.form.needs_key_check.setChecked(False))
        self.first_run.preset_chosen.connect(self.add_profile)
        self.first_run.server_chosen.connect(self.add_detected_server)

    def _tab_shown(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.assistants_page:
            # The providers and servers as they are in this dialog now, saved or not.
            self._commit_fields()
            self.assistants_page.set_choices(
                [(i, self._drafts[i].form.name) for i in self._order],
                [(s.name, s.name) for s in self.mcp_page.servers()],
            )

    # -- public state, for the app and for tests -------------------------------------------

    @property
    def current_profile_id(self) -> str | None:
        return self._current_id

    @property
    def connection_test_task(self) -> asyncio.Task[ConnectionReport] | None:
        return self.tester.task

    @property
    def models_task(self) -> asyncio.Task[list[str]] | None:
        return self.form.models_task

    def field_errors(self) -> dict[str, str]:
        """The inline messages the user sees now, by field."""
        return self.form.field_errors()

    def test_result_lines(self) -> list[str]:
        return self.tester.result_lines()

    # -- profiles --------------------------------------------------------------------------

    def add_profile(self, preset_name: str = "Custom") -> str:
        """Adds a profile from a preset, selects it, and returns its id."""
        self._commit_fields()
        preset = preset_named(preset_name)
        return self._insert(preset.new_profile(self._unique_name(preset.name)))

    def add_detected_server(self, detected: DetectedServer) -> str:
        """Adds a profile for a server found running on this machine."""
        self._commit_fields()
        preset = preset_named(detected.server.preset_name)
        profile = replace(
            preset.new_profile(self._unique_name(preset.name)),
            base_url=detected.server.base_url,
            model=preset.model or (detected.models[0] if detected.models else ""),
        )
        return self._insert(profile)

    def duplicate_profile(self) -> str | None:
        draft = self._current_draft()
        if draft is None:
            return None
        self._commit_fields()
        self._load_secrets(draft)
        new_id = ProviderProfile.new_id()
        self._drafts[new_id] = replace(
            draft,
            id=new_id,
            form=replace(draft.form, name=self._unique_name(f"{draft.form.name} copy")),
            is_new=True,
            secrets_loaded=True,
            key_changed=bool(draft.key),  # the copy gets its own keyring entry
            proxy_password_changed=bool(draft.proxy_password),
        )
        self._order.append(new_id)
        self._add_list_item(new_id)
        self._select(new_id)
        return new_id

    def delete_profile(self) -> None:
        """Removes the selected profile; its secrets are deleted on OK."""
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

    def _insert(self, profile: ProviderProfile) -> str:
        draft = _Draft(profile.id, ProfileForm.from_profile(profile), is_new=True)
        draft.secrets_loaded = True  # a new profile has nothing stored yet
        self._drafts[profile.id] = draft
        self._order.append(profile.id)
        self._add_list_item(profile.id)
        self._select(profile.id)
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
        item = QListWidgetItem(self._drafts[profile_id].form.name or self.tr("(unnamed)"))
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
        self._cancel_tasks()
        profile_id = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self._show_draft(self._drafts.get(profile_id) if profile_id else None)

    def _show_draft(self, draft: _Draft | None) -> None:
        """A profile's form, or the first-run page when there is no profile to edit."""
        self._current_id = draft.id if draft else None
        self.tester.clear()
        has = draft is not None
        self.duplicate_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        if draft is None:
            self.pages.setCurrentWidget(self.first_run)
            self.first_run.detect()
            return
        self.pages.setCurrentWidget(self.editor)
        self._load_secrets(draft)
        self.form.fill(draft.form, draft.key, draft.proxy_password, draft.session_only)
        self._show_key_source(draft)

    def _commit_fields(self) -> None:
        """Copies what the fields hold into the current draft."""
        draft = self._current_draft()
        if draft is None:
            return
        draft.form = self.form.read()
        if self.form.proxy_password_edit.text() != draft.proxy_password:
            draft.proxy_password = self.form.proxy_password_edit.text()
            draft.proxy_password_changed = True
        if self.form.api_key_edit.text() != draft.key:
            draft.key = self.form.api_key_edit.text()
            draft.key_changed = True
        draft.session_only = self.form.session_only_check.isChecked()

    def _on_field_edited(self) -> None:
        self.save_error_label.setVisible(False)
        self.form.clear_errors()  # shown again, if still true, at the next OK

    def _on_connection_edited(self) -> None:
        if not self.tester.running:
            self.tester.clear()
        self.form.forget_models()

    def _on_name_edited(self, text: str) -> None:
        if self._current_id is None:
            return
        item = self.profile_list.item(self._order.index(self._current_id))
        if item is not None:
            item.setText(text or self.tr("(unnamed)"))

    def has_unsaved_changes(self) -> bool:
        self._commit_fields()
        if self._deleted or self.mcp_page.has_changes():
            return True
        if self.chosen_language() != self._settings.ui.get("language", SYSTEM_LANGUAGE):
            return True
        if self.assistants_page.has_changes() or self.prompts_page.has_changes():
            return True
        for draft in self._drafts.values():
            saved = self._settings.profile(draft.id)
            if saved is None or draft.is_new or draft.key_changed:
                return True
            if draft.proxy_password_changed or draft.form != ProfileForm.from_profile(saved):
                return True
        return False

    # -- keys ------------------------------------------------------------------------------

    def _show_keyring_problem(self, problem: SecretStoreUnavailable) -> None:
        self.keyring_problem = problem
        self.form.show_keyring_problem(problem)

    def _load_secrets(self, draft: _Draft) -> None:
        if draft.secrets_loaded:
            return
        draft.secrets_loaded = True
        profile = _identity(draft)
        found = self._keys.lookup(profile)
        if found.problem is not None:
            self._show_keyring_problem(found.problem)
        if found.source in (KeySource.SESSION, KeySource.KEYRING):
            draft.key = found.value
        draft.key_source = found.source
        draft.session_only = found.source is KeySource.SESSION
        draft.proxy_password = self._keys.proxy_password(profile) or ""

    def _show_key_source(self, draft: _Draft) -> None:
        where = self._keys.stored.describe()
        env_name = self._keys.environment.name
        env_applies = self._keys.environment_key_for(_identity(draft)) is not None
        if draft.key and draft.session_only:
            text = self.tr("Kept for this session only (in memory, not stored).")
        elif draft.key and draft.key_changed:
            text = self.tr("Will be stored in the {0} when you press OK.").format(where)
        elif draft.key and draft.key_source is KeySource.KEYRING:
            text = self.tr("Stored in the {0}.").format(where)
        elif env_applies:
            text = self.tr(
                "Using {0} from the environment (read-only). Type a key here to use another one."
            ).format(env_name)
        elif not draft.form.needs_key:
            text = self.tr("This server needs no key.")
        else:
            text = self.tr("No key set.")
        placeholder = self.tr("from {0} (read-only)").format(env_name) if env_applies else ""
        self.form.show_key_source(text, placeholder)

    def _refresh_key_source(self) -> None:
        self._commit_fields()
        draft = self._current_draft()
        if draft is not None:
            self._show_key_source(draft)

    def _on_session_only_toggled(self) -> None:
        self._commit_fields()
        draft = self._current_draft()
        if draft is not None:
            # Where the key lives changes on OK; a key that could not be read stays put
            # (moving "nothing" would delete it).
            if draft.key:
                draft.key_changed = True
            self._show_key_source(draft)

    # -- background work -------------------------------------------------------------------

    def _parse_current(self) -> tuple[_Draft, ParsedProfile] | None:
        """The current profile parsed from the fields; errors are shown inline."""
        self._commit_fields()
        draft = self._current_draft()
        if draft is None:
            return None
        parsed = draft.form.parse(draft.id)
        self.form.show_errors(parsed.errors)
        return draft, parsed

    def load_models(self) -> None:
        self._commit_fields()
        draft = self._current_draft()
        if draft is None:
            return
        parsed = draft.form.parse(draft.id)
        url_errors = [e for e in parsed.errors if e.field in ("base_url", "proxy")]
        if url_errors:
            self.form.show_errors(url_errors)
            return
        profile = parsed.profile or replace(_identity(draft), base_url=draft.form.base_url.strip())
        key = self._keys.lookup(profile, draft.pending_change(parsed.proxy_password))
        endpoint = profile.endpoint(key.value, proxy_password=draft.proxy_password or None)
        self.form.load_models(endpoint, self.timeouts)

    def start_connection_test(self) -> None:
        parsed_pair = self._parse_current()
        if parsed_pair is None:
            return
        draft, parsed = parsed_pair
        if parsed.profile is None:
            self.tester.show_problem(self.tr("Fix the fields marked above first."))
            return
        profile = parsed.profile
        proxy_password = parsed.proxy_password or draft.proxy_password or None
        # The key exactly as Send will find it once OK is pressed, and Send's own verdict.
        key = self._keys.lookup(profile, draft.pending_change(parsed.proxy_password))
        resolution = resolve_target(self._settings, profile, key, Overrides(), proxy_password)
        # Only the key's problem: a missing model is the test's own "Model exists" stage.
        key_problem = resolution.problem if profile.needs_key and not key.value else None
        endpoint = profile.endpoint(key.value, proxy_password=proxy_password)
        self.tester.start(endpoint, profile.model, self.timeouts, key_problem)

    def _cancel_tasks(self) -> None:
        self.tester.cancel()
        self.form.cancel_model_loading()

    # -- OK / Cancel -----------------------------------------------------------------------

    def save(self) -> bool:
        """Validates every profile, stores the secrets, then the settings file; closes if done."""
        self._commit_fields()
        self.save_error_label.setVisible(False)
        collected = self._collect()
        # Keys first (a profile in the file finds its key), the deleted profiles' secrets
        # only once the file no longer lists them.
        if collected is None or not self._store_secrets(collected[1]):
            return False
        active = self._current_id or self._settings.active_profile_id
        if active not in self._order:
            active = self._order[0] if self._order else None
        library = self._assistants_and_prompts()
        if library is None:
            return False
        servers = self._store_mcp_secrets()
        if servers is None:
            return False
        assistants, prompts = library
        assistants = _follow_renamed_servers(assistants, self._settings.mcp_servers, servers)
        active_assistant = self._settings.active_assistant_id
        if not any(a.id == active_assistant for a in assistants):
            active_assistant = assistants[0].id
        settings = replace(
            self._settings,
            profiles=tuple(collected[0]),
            active_profile_id=active,
            mcp_servers=servers,
            assistants=assistants,
            active_assistant_id=active_assistant,
            prompts=prompts,
            ui=self._ui_settings(),
        )
        try:
            self._settings_file.save(settings)
        except SettingsError as e:
            self._show_save_error(str(e))
            return False
        kept = {s.id: s for s in servers}
        for old in self._settings.mcp_servers:
            delete_secrets(self._keys.stored, old, kept.get(old.id))
        self.mcp_page.mark_saved(servers)
        self.assistants_page.mark_saved(assistants)
        self.prompts_page.mark_saved(prompts)
        if self._deleted:
            forgotten = self._keys.apply((), self._deleted)
            if forgotten.not_removed:
                log.warning("%d keyring entries could not be removed", len(forgotten.not_removed))
        self._settings = settings
        for draft in self._drafts.values():
            draft.is_new = draft.key_changed = draft.proxy_password_changed = False
        self._deleted.clear()
        self.settings_saved.emit(settings)
        self.accept()
        return True

    def _collect(self) -> tuple[list[ProviderProfile], list[KeyChange]] | None:
        """Every profile and secrets change, or None with the first problem shown."""
        profiles: list[ProviderProfile] = []
        changes: list[KeyChange] = []
        for profile_id in self._order:
            draft = self._drafts[profile_id]
            parsed = draft.form.parse(profile_id)
            if parsed.profile is None:
                self._select(profile_id)
                self.form.show_errors(parsed.errors)
                self._show_save_error(self.tr("Some fields need fixing (marked in red)."))
                return None
            profiles.append(parsed.profile)
            change = draft.pending_change(parsed.proxy_password)
            if change is not None:
                changes.append(change)
        return profiles, changes

    def _store_secrets(self, changes: list[KeyChange]) -> bool:
        try:
            applied = self._keys.apply(changes)
        except KeysNotStored as e:
            self._show_keyring_problem(e)
            self._select(e.profile_ids[0])
            message = self.tr(
                "The key cannot be stored: the system keyring is unavailable (see below). "
                "Tick “Use this key for this session only” to use it until you quit."
            )
            self.form.show_errors([FieldError("api_key", message)])
            self._show_save_error(self.tr("The API key could not be stored."))
            return False
        except SecretStoreUnavailable as e:
            self._show_keyring_problem(e)
            self._show_save_error(
                self.tr(
                    "{0} The settings were not saved. Tick “Use this key for this session "
                    "only” to use the key without the keyring."
                ).format(e.message)
            )
            return False
        if applied.not_removed:
            log.warning("%d old keyring entries could not be removed", len(applied.not_removed))
        return True

    def _assistants_and_prompts(
        self,
    ) -> tuple[tuple[Assistant, ...], tuple[SavedPrompt, ...]] | None:
        """What the Assistants and Prompts pages hold (None: not saved, the reason shown)."""
        for page, problems, what in (
            (self.assistants_page, self.assistants_page.problems(), self.tr("Assistants")),
            (self.prompts_page, self.prompts_page.problems(), self.tr("Prompts")),
        ):
            if problems:
                self.tabs.setCurrentWidget(page)
                self._show_save_error(
                    self.tr("{page}: {problem}").format(page=what, problem=problems[0])
                )
                return None
        assistants = with_default_assistant(self.assistants_page.assistants())
        return assistants, self.prompts_page.prompts()

    def _store_mcp_secrets(self) -> tuple[McpServerConfig, ...] | None:
        """The MCP servers to save, their secrets moved to the keyring (None: not saved,
        the reason shown)."""
        problems = self.mcp_page.problems()
        if problems:
            self.tabs.setCurrentWidget(self.mcp_page)
            self._show_save_error(self.tr("MCP servers: {problem}").format(problem=problems[0]))
            return None
        try:
            return tuple(store_secrets(self._keys.stored, s) for s in self.mcp_page.servers())
        except SecretStoreUnavailable as e:
            self._show_save_error(
                self.tr("The MCP servers' tokens could not be stored: {why}").format(why=e.message)
            )
            return None

    def _show_save_error(self, text: str) -> None:
        self.save_error_label.setText(text)
        self.save_error_label.setVisible(True)

    def reject(self) -> None:
        """Cancel, Escape and closing the window: with unsaved changes, ask first."""
        if self._discard_confirmed or not self.has_unsaved_changes():
            super().reject()
            return
        if self.discard_question is not None:
            self.discard_question.raise_()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Discard changes?"),
            self.tr("Your changes to the settings are not saved. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(self._discard_answered)
        box.finished.connect(self._discard_question_closed)
        self.discard_question = box
        box.open()  # never exec(): it would nest the event loop under qasync

    def _discard_answered(self, button: QAbstractButton) -> None:
        box = self.discard_question
        if box is not None and box.standardButton(button) == QMessageBox.StandardButton.Discard:
            self._discard_confirmed = True

    def _discard_question_closed(self, _result: int) -> None:
        box, self.discard_question = self.discard_question, None
        if box is not None:
            box.deleteLater()
        if self._discard_confirmed:
            super().reject()

    def done(self, result: int) -> None:
        self._cancel_tasks()
        self.mcp_page.cancel_test()
        self.first_run.cancel()
        super().done(result)


def _identity(draft: _Draft) -> ProviderProfile:
    """Enough of a draft for key lookups: its id and its kind (the environment key is only
    for OpenAI profiles)."""
    return ProviderProfile(
        id=draft.id, name=draft.form.name, kind=draft.form.kind, base_url=draft.form.base_url
    )


def _follow_renamed_servers(
    assistants: tuple[Assistant, ...],
    before: Sequence[McpServerConfig],
    after: Sequence[McpServerConfig],
) -> tuple[Assistant, ...]:
    """Assistants name the MCP servers whose tools they use: a server renamed here stays
    theirs under its new name (else they would be offered none of its tools)."""
    new_names = {s.id: s.name for s in after}
    renamed = {
        s.name: new_names[s.id] for s in before if s.id in new_names and new_names[s.id] != s.name
    }
    if not renamed:
        return assistants
    return tuple(
        replace(a, mcp_servers=tuple(dict.fromkeys(renamed.get(n, n) for n in a.mcp_servers)))
        for a in assistants
    )
