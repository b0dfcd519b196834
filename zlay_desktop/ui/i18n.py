"""The app's language: Qt translators for the app's catalogues and Qt's own, chosen from the
settings (`ui.language`) or the system locale, installed once at start-up (before the first
window is built: a language change applies after a restart).

Catalogues: `resources/translations/zlay_<lang>.ts` are the sources (kept in the repository,
updated with `scripts/update-translations`); the `.qm` files Qt loads are compiled from them
by the bootstrap and the packaging, and, in a source checkout where they are missing or
older than their source, here at start-up with PySide6's `lrelease`.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from zlay_desktop.core import i18n
from zlay_desktop.core.i18n import SYSTEM_LANGUAGE

log = logging.getLogger(__name__)

CATALOGUE = "zlay"
"""Catalogue files are `<CATALOGUE>_<language>.ts/.qm`."""

LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("de", "Deutsch"),
    ("zh_CN", "简体中文"),
)
"""The languages the app ships, as (settings code, the language's own name). Each name is
written in its own language, so it is never translated."""

_installed: list[QTranslator] = []
_language_chosen: list[str] = []  # the language installed in this process, once


def translations_dir() -> Path:
    from zlay_desktop.core.paths import resources_dir

    return resources_dir() / "translations"


def locale_for(language: str) -> QLocale:
    locale = QLocale.system() if language == SYSTEM_LANGUAGE else QLocale(language)
    # The "C" locale (no LANG set) writes 10485760 and 3.5: English is what it means.
    if locale.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return locale


def number(value: float, decimals: int = 0) -> str:
    """`value` in the default locale's digits and separators, `decimals` places."""
    # Rounded as Python rounds (1.25 -> "1.2", as before), written as the locale writes it.
    if decimals == 0:
        return QLocale().toString(int(f"{value:.0f}"))
    return QLocale().toString(float(f"{value:.{decimals}f}"), "f", decimals)


def data_size(size: int) -> str:
    """A size in bytes as the locale writes it: "10.5 MB", "10,5 MB"."""
    decimals = 1 if size >= 1_000_000 else 0
    return QLocale().formattedDataSize(size, decimals, QLocale.DataSizeFormat.DataSizeSIFormat)


def _lrelease() -> str | None:
    import shutil

    venv_tool = Path(sys.executable).with_name("pyside6-lrelease")
    if venv_tool.exists():
        return str(venv_tool)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def compile_catalogues(source_dir: Path, target_dir: Path) -> None:
    """Compiles each `.ts` in `source_dir` whose `.qm` in `target_dir` is missing or older."""
    tool: str | None = None
    for ts in sorted(source_dir.glob(f"{CATALOGUE}_*.ts")):
        qm = target_dir / ts.with_suffix(".qm").name
        if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            continue  # (the usual case: this runs before the first paint, at every start)
        import subprocess

        tool = tool or _lrelease()
        if tool is None:
            log.warning("cannot compile %s: pyside6-lrelease is not installed", ts.name)
            return
        target_dir.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [tool, "-silent", str(ts), "-qm", str(qm)], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            log.warning("lrelease failed for %s: %s", ts.name, result.stderr.strip())


def catalogue_dir() -> Path:
    """Where the compiled catalogues are: beside their sources, compiled there if needed
    (a source checkout), or in a folder of the user's temp dir if that is read-only."""
    source = translations_dir()
    if getattr(sys, "frozen", False) or not any(source.glob(f"{CATALOGUE}_*.ts")):
        return source
    if os.access(source, os.W_OK):
        compile_catalogues(source, source)
        return source
    import tempfile

    cache = Path(tempfile.gettempdir()) / f"zlay-desktop-translations-{os.getuid()}"
    compile_catalogues(source, cache)
    return cache


def install_translations(language: str, app: QCoreApplication | None = None) -> QLocale:
    """Installs the translators for `language` (SYSTEM_LANGUAGE: the system's), makes its
    locale the default for dates and numbers, and routes the core's text through Qt's
    translation. Once per process: later calls change nothing."""
    app = app or QCoreApplication.instance()
    locale = locale_for(language)
    if _language_chosen or app is None:
        return locale
    _language_chosen.append(language)
    QLocale.setDefault(locale)
    catalogues = (
        (CATALOGUE, catalogue_dir()),
        ("qtbase", Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))),
    )
    for name, folder in catalogues:
        # English too: its catalogue holds the plural forms of the %n strings; and a language
        # the app does not speak gets those English plurals.
        translator = QTranslator(app)
        if translator.load(locale, name, "_", str(folder)) or (
            name == CATALOGUE and translator.load(QLocale("en"), name, "_", str(folder))
        ):
            app.installTranslator(translator)
            _installed.append(translator)
    install_core_translator()
    return locale


def install_core_translator() -> None:
    """The core's `translate` goes through Qt's translators, and its numbers through the
    default locale, from now on."""
    i18n.install(
        lambda context, text, disambiguation, n: QCoreApplication.translate(
            context, text, disambiguation, n
        ),
        number,
    )
