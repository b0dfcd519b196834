"""The app's catalogues as the tests see them: a fresh extraction of its translatable text
(PySide6's lupdate, as scripts/update-translations runs it) and the repository's .ts files."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("de", "zh_CN")
"""Complete translations; zlay_en.ts holds only the English plural forms (PLURAL_ONLY)."""
PLURAL_ONLY = "en"


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def sources() -> list[str]:
    """The files lupdate reads (as zlay_lupdate in scripts/bootstrap.sh lists them)."""
    package = ROOT / "zlay_desktop"
    files = [*package.rglob("*.py"), *package.rglob("*.qml")]
    return sorted(str(f.relative_to(ROOT)) for f in files)


def lupdate(ts: Path, *options: str) -> None:
    """Updates (or creates) `ts` from the sources, as scripts/update-translations does."""
    subprocess.run(
        [_tool("pyside6-lupdate"), "-silent", "-locations", "none", "-no-obsolete", *options,
         *sources(), "-ts", str(ts)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run(
        [_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    plural: bool
    unfinished: bool
    forms: tuple[str, ...]  # the translation, or its plural forms


def messages(ts: Path) -> list[Message]:
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            plural = message.get("numerus") == "yes"
            forms = (
                tuple(f.text or "" for f in translation.iter("numerusform"))
                if plural
                else (translation.text or "",)
            )
            found.append(
                Message(
                    name,
                    message.findtext("source") or "",
                    plural,
                    translation.get("type") in ("unfinished", "vanished", "obsolete"),
                    forms,
                )
            )
    return found


def pseudo_catalogue(folder: Path) -> Path:
    """A compiled catalogue (.qm) of every string the sources mark, each translated as
    "⟦source⟧": text shown without ⟦⟧ never went through the catalogues."""
    ts = folder / "zlay_pseudo.ts"
    lupdate(ts)
    tree = ET.parse(ts)
    tree.getroot().set("language", "de")  # two plural forms
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        assert translation is not None
        translation.attrib.pop("type", None)
        wrapped = f"⟦{message.findtext('source')}⟧"
        if message.get("numerus") == "yes":
            for form in list(translation):
                translation.remove(form)
            for _ in range(2):
                ET.SubElement(translation, "numerusform").text = wrapped
        else:
            translation.text = wrapped
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    qm = folder / "zlay_pseudo.qm"
    lrelease(ts, qm)
    return qm
