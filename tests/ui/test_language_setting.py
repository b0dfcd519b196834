"""Settings → General → Language: the choice is saved in the settings file (and read from it
at the next start); the dialog says it applies after a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ui.test_settings_dialog import Harness
from zlay_desktop.core.i18n import SYSTEM_LANGUAGE, read_language


def test_the_language_chosen_is_saved_for_the_next_start(tmp_path: Path, qtbot: Any) -> None:
    harness = Harness(tmp_path, qtbot)
    dialog = harness.dialog
    combo = dialog.language_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "System default", "English", "Deutsch", "简体中文",
    ]  # fmt: skip
    assert combo.currentText() == "System default"
    general = dialog.tabs.widget(dialog.tabs.count() - 1)
    assert general is not None
    assert "applies when Zlay Desktop is started again" in " ".join(
        label.text() for label in general.findChildren(type(dialog.save_error_label))
    )
    assert not dialog.has_unsaved_changes()
    combo.setCurrentIndex(combo.findText("Deutsch"))
    assert dialog.has_unsaved_changes()
    dialog.button_box.accepted.emit()
    assert harness.saved[-1].ui["language"] == "de"
    assert read_language(harness.file.path) == "de"

    again = harness.open(harness.saved[-1])
    assert again.language_combo.currentText() == "Deutsch"
    again.language_combo.setCurrentIndex(again.language_combo.findText("System default"))
    again.button_box.accepted.emit()
    assert read_language(harness.file.path) == SYSTEM_LANGUAGE
    # (Following the system is not written: a start need not parse the file to know it.)
    assert '"language"' not in harness.file.path.read_text(encoding="utf-8")
