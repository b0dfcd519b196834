"""`zlay-desktop --smoke`: the installed app checks itself, prints a report and exits.

It exercises what a packaged build can lose without anyone noticing until a user does: the
Qt platform plugin and the window, the HTTP stack streaming a real reply into the chat view,
the OS keyring (whose backends are found through package metadata), the system's TLS
trust store, Markdown and code highlighting (Pygments finds lexers and styles by name), the
bundled icon, the About dialog, and the MCP client (with `--mcp-config`, its servers'
tools). Start it with `--base-url` pointing at a server that
answers chat completions (the tests use the project's test server):

    zlay-desktop --smoke --base-url http://127.0.0.1:8000/v1 --model test-model

The keyring check reads service `zlay-desktop-smoke`, user `smoke`. When the environment
variable ZLAY_SMOKE_KEY_SHA256 holds the SHA-256 (hex) of the value stored there, the value
must match it; the value itself is never printed. Every step is bounded by a timeout, so
the run always ends: exit status 0 when every check passed, else 1.

`zlay_desktop.__main__` starts the app with `zlay_desktop.app.run(options, drive=run_smoke)`;
the checks use the app only through its public attributes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import ssl
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO, TypeVar

from zlay_desktop import APP_NAME, __version__

if TYPE_CHECKING:
    from zlay_desktop.app import Application

log = logging.getLogger(__name__)

KEYRING_SERVICE = "zlay-desktop-smoke"
KEYRING_USER = "smoke"
EXPECTED_KEY_DIGEST_VARIABLE = "ZLAY_SMOKE_KEY_SHA256"
SMOKE_MESSAGE = "Hello from the smoke test"

WINDOW_TIMEOUT_S = 10.0
REPLY_TIMEOUT_S = 30.0
KEYRING_TIMEOUT_S = 15.0
QUICK_TIMEOUT_S = 10.0
MCP_TIMEOUT_S = 30.0

T = TypeVar("T")


class CheckFailed(Exception):
    """A check found something wrong; the message says what, for the report."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    passed: bool
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'} {self.name}: {self.detail}"


async def run_smoke(app: Application, out: TextIO | None = None) -> int:
    """Runs every check against the running app; 0 when all passed, else 1."""
    stream = out if out is not None else sys.stdout

    def report(line: str) -> None:
        log.info("[smoke] %s", line)
        # A windowed build on Windows has no stdout at all.
        if stream is not None:
            stream.write(line + "\n")
            stream.flush()

    frozen = "packaged" if getattr(sys, "frozen", False) else "from source"
    report(f"{APP_NAME} {__version__} smoke test ({frozen}, Python {sys.version.split()[0]})")
    checks: list[tuple[str, float, Callable[[], Awaitable[str]]]] = [
        ("window", WINDOW_TIMEOUT_S, lambda: check_window(app)),
        ("reply", REPLY_TIMEOUT_S, lambda: check_reply(app)),
        ("keyring", KEYRING_TIMEOUT_S, check_keyring),
        ("tls", QUICK_TIMEOUT_S, check_tls),
        ("markdown", QUICK_TIMEOUT_S, check_markdown),
        ("icon", QUICK_TIMEOUT_S, check_icon),
        ("documents", QUICK_TIMEOUT_S, check_documents),
        ("translations", QUICK_TIMEOUT_S, check_translations),
        ("about", QUICK_TIMEOUT_S, lambda: check_about(app)),
        ("mcp", MCP_TIMEOUT_S, lambda: check_mcp(app)),
        # Last: the app's own quit path (cancel, close connections, close the window).
        ("shutdown", QUICK_TIMEOUT_S, lambda: check_shutdown(app)),
    ]
    results = []
    for name, seconds, check in checks:
        result = await run_check(name, seconds, check)
        report(result.line())
        results.append(result)
    failed = [r.name for r in results if not r.passed]
    if failed:
        report(f"smoke: {len(failed)} of {len(results)} checks failed: {', '.join(failed)}")
        return 1
    report(f"smoke: all {len(results)} checks passed")
    return 0


async def run_check(name: str, seconds: float, check: Callable[[], Awaitable[str]]) -> CheckResult:
    try:
        async with asyncio.timeout(seconds):
            detail = await check()
    except CheckFailed as exc:
        return CheckResult(name, False, str(exc))
    except TimeoutError:
        return CheckResult(name, False, f"no result within {seconds:g} s")
    except Exception as exc:  # any error is this check's failure, reported
        log.exception("smoke check %s raised", name)
        return CheckResult(name, False, f"{type(exc).__name__}: {exc}")
    return CheckResult(name, True, detail)


async def until(condition: Callable[[], bool], what: str, seconds: float) -> None:
    """Polls `condition` without blocking the loop (Qt keeps painting meanwhile)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() > deadline:
            raise CheckFailed(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def in_thread(work: Callable[[], T]) -> T:
    """Runs blocking work (D-Bus calls) in a daemon thread: a hung call cannot keep the
    process alive after the timeout gave up on it, as an executor thread would."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def succeed(value: T) -> None:
        if not future.done():  # the timeout may have given up on it already
            future.set_result(value)

    def fail(error: Exception) -> None:
        if not future.done():
            future.set_exception(error)

    def run() -> None:
        # The loop may be closed by the time a hung call returns: nothing is waiting then.
        with contextlib.suppress(RuntimeError):
            try:
                value = work()
            except Exception as exc:  # noqa: BLE001 - handed over to the awaiting task
                loop.call_soon_threadsafe(fail, exc)
            else:
                loop.call_soon_threadsafe(succeed, value)

    threading.Thread(target=run, name="smoke-check", daemon=True).start()
    return await future


# -- the checks ------------------------------------------------------------------------------


async def check_window(app: Application) -> str:
    from PySide6.QtGui import QGuiApplication

    await until(app.window.isVisible, "the main window to show", WINDOW_TIMEOUT_S)
    return f"main window shown on the '{QGuiApplication.platformName()}' platform"


async def check_reply(app: Application) -> str:
    from zlay_desktop.core.models import Message, ReplyState

    target = app.current_target()
    if isinstance(target, str):  # why no request can be made
        raise CheckFailed(f"{target} (start with --base-url and --model)")
    if not app.controller.send(SMOKE_MESSAGE):
        raise CheckFailed("the controller did not accept the message")
    task = app.controller.task
    if task is None:
        raise CheckFailed("no reply task was started")
    message = await task
    if not isinstance(message, Message):
        raise CheckFailed(f"the reply task returned {type(message).__name__}")
    if message.state is not ReplyState.FINISHED:
        reason = message.error.message if message.error else message.state.value
        raise CheckFailed(f"the reply ended {message.state.value}: {reason}")
    if not message.content:
        raise CheckFailed("the reply was empty")
    view = app.window.chat_view
    if view.root_item() is None:
        raise CheckFailed("the transcript's Qt Quick view did not load (QML or its modules)")
    await until(
        lambda: message.content in view.transcript_text(),
        "the reply to appear in the chat view",
        QUICK_TIMEOUT_S,
    )
    return (
        f"{len(message.content)} characters streamed from {target.endpoint.base_url} "
        f"({target.params.model}) and shown in the chat view: {message.content[:60]!r}"
    )


async def check_keyring() -> str:
    from zlay_desktop.core.secrets import KeyringSecretStore, SecretStoreUnavailable

    store = KeyringSecretStore(service=KEYRING_SERVICE)
    try:
        value = await in_thread(lambda: store.get(KEYRING_USER))
    except SecretStoreUnavailable as exc:
        raise CheckFailed(f"{exc} [{store.describe()}]") from None
    backend = store.describe()
    expected = os.environ.get(EXPECTED_KEY_DIGEST_VARIABLE, "").strip().lower()
    if not expected:
        found = "a key is stored" if value else "no key is stored"
        return f"read {KEYRING_SERVICE}/{KEYRING_USER} from {backend}: {found}"
    if value is None:
        raise CheckFailed(f"no key stored under {KEYRING_SERVICE}/{KEYRING_USER} in {backend}")
    if hashlib.sha256(value.encode()).hexdigest() != expected:
        raise CheckFailed(f"the key read from {backend} did not match the expected one")
    return f"the key read from {backend} matched"


async def check_tls() -> str:
    """The trust store the HTTP stack uses: OpenSSL's system paths on Linux, the OS through
    `truststore` on Windows and macOS (as httpcore2 does)."""
    if sys.platform in ("win32", "darwin"):
        import truststore

        truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        return "the system trust store is reached through truststore"
    context = ssl.create_default_context()
    count = context.cert_store_stats()["x509_ca"]
    if count == 0:
        paths = ssl.get_default_verify_paths()
        raise CheckFailed(
            f"no CA certificates found (looked in {paths.openssl_cafile}, "
            f"{paths.openssl_capath}); install the ca-certificates package"
        )
    return f"{count} CA certificates in the system trust store ({ssl.OPENSSL_VERSION})"


MARKDOWN_SAMPLE = """\
| language | checked |
|---|---|
| several | yes |

```python
def answer() -> int:
    return 42
```

```rust
fn main() { println!("hi"); }
```

```typescript
const x: number = 1;
```

```bash
echo "$HOME"
```

```json
{"a": [1, 2]}
```
"""


async def check_markdown() -> str:
    """The app's own renderer, in both themes: tables, and every fence highlighted (a lexer
    or style missing from the package would leave plain text), and a typeset formula."""
    from zlay_desktop.core.markdown_render import render_markdown, theme_for

    fences = MARKDOWN_SAMPLE.count("```") // 2
    styles = []
    for dark in (False, True):
        theme = theme_for(dark)
        rendered = render_markdown(MARKDOWN_SAMPLE, message_key=0, theme=theme)
        if "<table" not in rendered:
            raise CheckFailed("a Markdown table was not rendered")
        blocks = rendered.split("<pre")[1:]
        plain = [b for b in blocks if '<span style="color' not in b.split("</pre>")[0]]
        if len(blocks) != fences or plain:
            raise CheckFailed(
                f"{len(plain)} of {fences} code blocks were not highlighted "
                f"({theme.pygments_style} style)"
            )
        styles.append(theme.pygments_style)
    # ziamath reads its math font and latex2mathml its symbol table from package data.
    if "image://math/" not in render_markdown("$x^2$", message_key=0, theme=theme_for(False)):
        raise CheckFailed("a formula was not typeset (ziamath's font or data missing?)")
    return (
        f"table, a formula and {fences} highlighted code blocks in the"
        f" {' and '.join(styles)} styles"
    )


async def check_documents() -> str:
    """Attached documents: a PDF's text through pypdf, and a Word document's through the
    optional python-docx when it is there (made here with its own template, a data file)."""
    import io

    from pypdf import PdfWriter

    from zlay_desktop.core.attachments import AttachmentError, prepare_bytes

    pdf = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.write(pdf)
    try:
        prepare_bytes(pdf.getvalue(), "blank.pdf")
    except AttachmentError as exc:
        if "scanned" not in str(exc):  # (a blank page has no text layer: said so)
            raise CheckFailed(f"a PDF was not read: {exc}") from exc
    try:
        import docx
    except ImportError:
        return "PDF read; Word documents not available (python-docx not installed)"
    made = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Smoke test paragraph")
    document.save(made)
    text = prepare_bytes(made.getvalue(), "smoke.docx").data.decode("utf-8")
    if "Smoke test paragraph" not in text:
        raise CheckFailed("a Word document's text was not read")
    return "PDF and Word (.docx) documents read"


async def check_icon() -> str:
    from PySide6.QtGui import QImageReader

    from zlay_desktop.core.paths import resources_dir
    from zlay_desktop.ui.about_dialog import ICON_FILE, app_icon

    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    if "svg" not in formats:
        raise CheckFailed("Qt cannot read SVG images (the imageformats/svg plugin is missing)")
    icon = app_icon()
    if icon.isNull() or icon.pixmap(64, 64).isNull():
        raise CheckFailed(f"the app icon could not be drawn ({resources_dir() / ICON_FILE})")
    return f"app icon drawn from {resources_dir() / ICON_FILE}"


async def check_translations() -> str:
    """The app's catalogues (compiled at build time, or in a checkout at start-up) and Qt's
    own load and translate."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from zlay_desktop.ui.i18n import CATALOGUE, catalogue_dir

    folder = catalogue_dir()
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for language in ("de", "zh_CN"):
        app_catalogue, qt_catalogue = QTranslator(), QTranslator()
        if not app_catalogue.load(QLocale(language), CATALOGUE, "_", str(folder)):
            raise CheckFailed(f"no {language} catalogue in {folder}")
        if app_catalogue.translate("MainWindow", "&File") in ("", "&File"):
            raise CheckFailed(f"the {language} catalogue does not translate the File menu")
        if not qt_catalogue.load(QLocale(language), "qtbase", "_", qt_folder):
            raise CheckFailed(f"no {language} catalogue of Qt's own in {qt_folder}")
    return f"German and Chinese catalogues in {folder}, Qt's in {qt_folder}"


async def check_about(app: Application) -> str:
    from zlay_desktop.ui.about_dialog import AboutDialog, diagnostics_text

    dialog = AboutDialog(app.paths, app.window)
    dialog.open()
    try:
        await until(dialog.isVisible, "the About dialog to show", QUICK_TIMEOUT_S)
        text = diagnostics_text(app.paths)
        if __version__ not in text or str(app.paths.log_dir) not in text:
            raise CheckFailed("the diagnostics lack the version or the paths")
    finally:
        dialog.close()
    return f"About dialog shown; logs in {app.paths.log_dir}"


async def check_mcp(app: Application) -> str:
    """The MCP client (the SDK, its HTTP client, anyio, pydantic, imported partly by name at
    run time: what a packaged build loses unnoticed). With servers given (`--mcp-config`),
    they are started and their tools listed."""
    import anyio.lowlevel
    import httpx2
    import pydantic
    from mcp import Client, StdioServerParameters
    from mcp.client.stdio import stdio_client
    from mcp.client.streamable_http import streamable_http_client

    del Client, StdioServerParameters, stdio_client, streamable_http_client, httpx2, pydantic
    await anyio.lowlevel.checkpoint()  # (anyio finds its asyncio backend by name)
    servers = [s for s in app.mcp.servers if s.enabled]
    if not servers:
        return "MCP client loaded (no server configured)"
    listing = await app.mcp.list_tools()
    if not listing.tools:
        raise CheckFailed("; ".join(listing.problems) or "the MCP servers offer no tool")
    return f"{len(listing.tools)} tool(s) listed from {len(servers)} MCP server(s)"


async def check_shutdown(app: Application) -> str:
    await app.shutdown()
    if app.window.isVisible():
        raise CheckFailed("the main window is still open after shutting down")
    return "connections closed and the window closed"
