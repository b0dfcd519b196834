"""The German and Chinese catalogues are complete: a fresh extraction of the sources finds no
string they lack (a new untranslated string fails here), none unfinished, plural forms as
each language has them, and every placeholder kept. The compiled catalogues translate through
Qt, for the Qt layer and for the core alike; the language comes from the settings file."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QTranslator

from tests.translations import (
    LANGUAGES,
    PLURAL_ONLY,
    TRANSLATIONS,
    lrelease,
    lupdate,
    messages,
)
from zlay_desktop.core.i18n import SYSTEM_LANGUAGE, read_language
from zlay_desktop.ui.i18n import compile_catalogues, locale_for

PLURAL_FORMS = {"de": 2, "zh_CN": 1, "en": 2}
CATALOGUES = (*LANGUAGES, PLURAL_ONLY)
# {0}, {name}, {1:,}, %1, %n: what the code fills in must survive translation.
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\d|%n")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each repository catalogue, updated from the sources as scripts/update-translations
    would update it (in a copy)."""
    folder = tmp_path_factory.mktemp("fresh")
    updated = {}
    for language in CATALOGUES:
        copy = folder / f"zlay_{language}.ts"
        shutil.copy(TRANSLATIONS / copy.name, copy)
        lupdate(copy, *(["-pluralonly"] if language == PLURAL_ONLY else []))
        updated[language] = copy
    return updated


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_string_of_the_sources_is_translated(language: str, fresh: dict[str, Path]) -> None:
    kept = messages(TRANSLATIONS / f"zlay_{language}.ts")
    extracted = messages(fresh[language])
    if language == PLURAL_ONLY:  # the English plural forms: every %n string, nothing else
        assert len(extracted) >= 5 and all(m.plural for m in extracted)
    else:
        assert len(extracted) > 400
    missing = [f"{m.context}: {m.source}" for m in extracted if m.unfinished]
    assert not missing, (
        f"not translated in zlay_{language}.ts (run scripts/update-translations, then "
        "translate them):\n" + "\n".join(missing)
    )
    # Nothing is kept that the sources no longer have, and nothing is there twice.
    assert Counter((m.context, m.source) for m in kept) == Counter(
        (m.context, m.source) for m in extracted
    )


@pytest.mark.parametrize("language", CATALOGUES)
def test_translations_keep_placeholders_and_plural_forms(language: str) -> None:
    found = messages(TRANSLATIONS / f"zlay_{language}.ts")
    plurals = [m for m in found if m.plural]
    assert len(plurals) >= 5
    for message in found:
        assert all(form.strip() for form in message.forms), message
        if message.plural:
            assert len(message.forms) == PLURAL_FORMS[language], message
            assert all("%n" in form for form in message.forms), message
        wanted = sorted(_PLACEHOLDER.findall(message.source))
        for form in message.forms:
            assert sorted(_PLACEHOLDER.findall(form)) == wanted, (message.source, form)
        if re.search(r"&[^&\s]", message.source):  # a menu's keyboard accelerator
            assert all(re.search(r"&[^&\s]", form) for form in message.forms), message


def test_core_text_is_extracted() -> None:
    """The core's translate() and QT_TRANSLATE_NOOP() calls reach the catalogues too."""
    sources = {(m.context, m.source) for m in messages(TRANSLATIONS / "zlay_de.ts")}
    assert ("ChatError", "The proxy refused or failed the connection.") in sources
    assert ("ConnectionTest", "Server reachable") in sources  # a NOOP'd module constant
    assert ("ReplyStats", "first token {0}") in sources
    assert ("Export", "Stopped by the user.") in sources


@pytest.mark.parametrize(
    ("language", "menu", "plural_one", "plural_many"),
    [
        ("de", "&Datei", "1 Modell verfügbar", "3 Modelle verfügbar"),
        ("zh_CN", "文件(&F)", "有 1 个可用模型", "有 3 个可用模型"),
        ("en", "", "1 model available", "3 models available"),
    ],
)
def test_compiled_catalogues_translate(
    language: str, menu: str, plural_one: str, plural_many: str, tmp_path: Path
) -> None:
    qm = tmp_path / f"zlay_{language}.qm"
    lrelease(TRANSLATIONS / f"zlay_{language}.ts", qm)
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("MainWindow", "&File") == menu  # (English: not in it)
    source = "%n models available: type to search."
    # (QTranslator picks the form; QCoreApplication.translate then puts the number in.)
    one = translator.translate("ProfileFormView", source, None, 1) or ""
    many = translator.translate("ProfileFormView", source, None, 3) or ""
    assert one.replace("%n", "1").startswith(plural_one)
    assert many.replace("%n", "3").startswith(plural_many)


def test_a_source_checkout_compiles_missing_or_stale_catalogues(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(TRANSLATIONS / "zlay_de.ts", source)
    compile_catalogues(source, tmp_path / "out")
    qm = tmp_path / "out" / "zlay_de.qm"
    assert qm.stat().st_size > 1000
    translator = QTranslator()
    assert translator.load(QLocale("de_DE"), "zlay", "_", str(tmp_path / "out"))
    assert translator.translate("ComposerTray", "nothing") == ""
    assert translator.translate("SettingsDialog", "Language:") == "Sprache:"


def test_the_language_comes_from_the_settings_file(tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    assert read_language(settings) == SYSTEM_LANGUAGE  # no file yet
    settings.write_text('{"ui": {"language": "zh_CN"}}', encoding="utf-8")
    assert read_language(settings) == "zh_CN"
    assert locale_for("zh_CN").name() == "zh_CN"
    for damaged in ("{", '{"ui": 3}', '{"ui": {"language": 7}}', "[]"):
        settings.write_text(damaged, encoding="utf-8")
        assert read_language(settings) == SYSTEM_LANGUAGE


def test_the_c_locale_means_english_numbers(monkeypatch: Any) -> None:
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale.c()))
    assert locale_for(SYSTEM_LANGUAGE).toString(1234567) == "1,234,567"
