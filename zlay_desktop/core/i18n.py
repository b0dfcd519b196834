"""Translatable text for the core, which may not import Qt.

Core code writes `translate("Context", "Source text")`, or `translate("Context", "%n files",
None, n)` for a plural (positional: lupdate does not see a keyword `n=`);
the Qt layer installs Qt's translator at start-up (`install`), so the same `.ts`/`.qm`
catalogues serve core and UI. Until then, and in tests of the core, the source text is used.
`pyside6-lupdate` extracts these calls like `QCoreApplication.translate` ones: keep the
context and the text literal strings.

`QT_TRANSLATE_NOOP` (the name lupdate knows) marks text that is built before a translator can
be installed (module constants); it is translated where it is shown, with `translate`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

SYSTEM_LANGUAGE = ""
"""The `ui.language` setting that follows the system's locale."""

# (context, source text, disambiguation or None, n or -1) -> text shown
Translator = Callable[[str, str, str | None, int], str]
# (value, decimals) -> the number as the user's locale writes it
NumberFormat = Callable[[float, int], str]


def _source_text(context: str, text: str, disambiguation: str | None, n: int) -> str:
    del context, disambiguation
    return text.replace("%n", str(n)) if n >= 0 else text


def _plain_number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


_translator: Translator = _source_text
_number_format: NumberFormat = _plain_number


def install(translator: Translator | None, number_format: NumberFormat | None = None) -> None:
    """Makes `translate` and `number` use these (None: the source text, English numbers)."""
    global _translator, _number_format
    _translator = translator or _source_text
    _number_format = number_format or _plain_number


def number(value: float, decimals: int = 0) -> str:
    """`value` as the user's locale writes it ("1,234.5", "1.234,5"), `decimals` places."""
    return _number_format(value, decimals)


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """`text` in the user's language; `%n` in it is replaced by `n` (and picks the plural)."""
    return _translator(context, text, disambiguation, n)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate knows
    """Marks `text` for translation without translating it now (see the module's doc)."""
    del context
    return text


def read_language(settings_file: Path) -> str:
    """The language chosen in Settings (`ui.language`), or SYSTEM_LANGUAGE. Read straight
    from the file: it is needed before the window (and the settings module) is built."""
    try:
        text = settings_file.read_text(encoding="utf-8")
        if '"language"' not in text:
            # Most files have never had a language chosen: the first paint need not wait
            # for `json` to import (~2.5 ms).
            return SYSTEM_LANGUAGE
        import json

        data = json.loads(text)
        language = data.get("ui", {}).get("language", SYSTEM_LANGUAGE)
    except (OSError, ValueError, AttributeError):
        return SYSTEM_LANGUAGE
    return language if isinstance(language, str) else SYSTEM_LANGUAGE
