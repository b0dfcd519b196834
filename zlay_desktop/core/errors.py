"""Turns whatever went wrong talking to a server into a `ChatError` a person understands.

The SDK's own messages are kept only as `detail`, redacted: they may quote request
headers, and a key must never reach the screen, a log or the history.

A server's own words (an error body's message) are shown inside the app's sentences, next to
its Retry link: they are cut to `SERVER_TEXT_LIMIT` characters and lose bidi and other
control characters, which could otherwise reorder or hide the app's words around them
(an unclosed right-to-left override turns "· Retry" into "yrteR ·").
"""

from __future__ import annotations

import email.utils
import functools
import http.client
import json
import re
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from zlay_desktop.core.i18n import QT_TRANSLATE_NOOP, translate
from zlay_desktop.core.models import ChatError, ErrorKind

if TYPE_CHECKING:
    import openai

_KEY_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)[^\s\"',;]+"),
    re.compile(r"(?i)((?:api[_-]?key|authorization|x-api-key)[\"']?\s*[:=]\s*[\"']?)[^\s\"',;]+"),
    re.compile(r"\b(sk-[A-Za-z0-9_\-]{4})[A-Za-z0-9_\-]{8,}"),
    re.compile(r"\b((?:gsk|xai|or|ds)-[A-Za-z0-9_\-]{2})[A-Za-z0-9_\-]{12,}"),
    # Shorter, underscored or masked ("sk-proj-****abcd") key-shaped tokens.
    re.compile(r"\b((?:sk|gsk|xai|csk|pk|rk)[-_])[A-Za-z0-9_\-*]{6,}"),
)


SERVER_TEXT_LIMIT = 500
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]+")  # line breaks and tabs included


def plain_server_text(text: str) -> str:
    """A server's words made safe to show inside the app's own sentence (see above)."""
    text = _CONTROLS.sub(" ", _BIDI_CONTROLS.sub("", text)).strip()
    if len(text) > SERVER_TEXT_LIMIT:
        text = text[: SERVER_TEXT_LIMIT - 1].rstrip() + "…"
    return text


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Removes anything that looks like a key, and every known secret, from `text`."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    for pattern in _KEY_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + "[redacted]", text)
    return text


def where(base_url: str) -> str:
    """host:port of a base URL, for messages such as "nothing is listening at …"."""
    parts = urlsplit(base_url)
    host = parts.hostname or base_url
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = 443 if parts.scheme == "https" else 80
    return f"{host}:{port}"


def parse_retry_after(headers: object) -> float | None:
    """Seconds to wait, from `retry-after-ms` or `Retry-After` (seconds or an HTTP date)."""
    get = getattr(headers, "get", None)
    if get is None:
        return None
    ms = get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def exception_chain(exc: BaseException) -> list[BaseException]:
    """`exc`, then what caused it (or was being handled), and so on; each exception once."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


_Classes = tuple[type[BaseException], ...]


@dataclass(frozen=True, slots=True)
class _ExceptionClasses:
    """The exception classes `describe_exception` tells apart, one group per message."""

    # An answer with an HTTP status and body: an error status, or a 2xx the SDK could not use.
    status: tuple[type[openai.APIStatusError], type[openai.APIResponseValidationError]]
    connect_timeout: _Classes
    timeout: _Classes
    proxy: _Classes
    connection_lost: _Classes
    malformed: _Classes
    api_error: _Classes


@functools.cache
def _exception_classes() -> _ExceptionClasses:
    # Imported on first use: importing openai costs about a second at startup, and this
    # module is imported early (logging). By the time a request failed, both are loaded.
    import httpx2  # the HTTP client the openai SDK is built on
    import openai

    return _ExceptionClasses(
        status=(openai.APIStatusError, openai.APIResponseValidationError),
        connect_timeout=(httpx2.ConnectTimeout,),
        # APITimeoutError is an APIConnectionError: timeouts are looked for first.
        timeout=(httpx2.TimeoutException, openai.APITimeoutError, TimeoutError),
        proxy=(httpx2.ProxyError,),
        connection_lost=(
            httpx2.RemoteProtocolError,
            httpx2.NetworkError,  # ReadError, ConnectError, WriteError, CloseError
            openai.APIConnectionError,
            ConnectionError,
            http.client.IncompleteRead,
        ),
        malformed=(json.JSONDecodeError, UnicodeDecodeError),
        api_error=(openai.APIError,),
    )


def _any_is(chain: Iterable[BaseException], classes: _Classes) -> bool:
    return any(isinstance(e, classes) for e in chain)


def _server_message(body: object) -> str:
    """The `error.message` of an OpenAI-style error body, if there is one, safe to show."""
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict):
            message = error.get("message")
            if isinstance(message, str):
                return plain_server_text(message)
        elif isinstance(error, str):
            return plain_server_text(error)
        detail = body.get("detail")
        if isinstance(detail, str):
            return plain_server_text(detail)
    return ""


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body")) or "<html" in head


def from_status(
    status: int,
    body_text: str,
    headers: object,
    base_url: str,
    model: str | None,
    secrets: Iterable[str] = (),
) -> ChatError:
    """An HTTP error answer (before any chunk) as a user-facing error."""
    body: object = None
    try:
        body = json.loads(body_text) if body_text else None
    except ValueError:
        body = None
    detail = redact(_server_message(body) or plain_server_text(body_text[:300]), secrets).strip()
    if body is None and _looks_like_html(body_text):
        return ChatError(
            ErrorKind.NOT_AN_API,
            translate(
                "ChatError",
                "{0} answered with a web page (HTTP {1}), not an API. "
                "A proxy or gateway may be in the way, or the base URL is wrong.",
            ).format(where(base_url), status),
            status=status,
            detail=detail,
        )
    if status == 401:
        return ChatError(
            ErrorKind.AUTH,
            translate(
                "ChatError", "The API key was rejected (HTTP 401). Check the key in Settings."
            ),
            status=status,
            detail=detail,
        )
    if status == 403:
        return ChatError(
            ErrorKind.AUTH,
            translate(
                "ChatError",
                "Access was denied (HTTP 403): the key may lack permission for this model "
                "or the account may be restricted.",
            ),
            status=status,
            detail=detail,
        )
    if status == 404:
        if model:
            text = translate(
                "ChatError",
                "Not found (HTTP 404): the model '{0}' does not exist on this server, "
                "or the base URL is wrong (it usually ends in /v1).",
            ).format(model)
        else:
            text = translate(
                "ChatError",
                "Not found (HTTP 404): the model does not exist on this server, "
                "or the base URL is wrong (it usually ends in /v1).",
            )
        return ChatError(
            ErrorKind.NOT_FOUND,
            text,
            status=status,
            detail=detail,
        )
    if status == 429:
        retry_after = parse_retry_after(headers)
        text = translate("ChatError", "Rate limited (HTTP 429): the server asks to slow down.")
        if retry_after is not None:
            text += " " + translate("ChatError", "Try again in {0} s.").format(f"{retry_after:.0f}")
        return ChatError(
            ErrorKind.RATE_LIMITED,
            text,
            retry_after=retry_after,
            status=status,
            detail=detail,
        )
    if status in (400, 413, 422):
        return ChatError(
            ErrorKind.BAD_REQUEST,
            translate("ChatError", "The server refused the request (HTTP {0}): {1}").format(
                status, detail or translate("ChatError", "bad request")
            ),
            status=status,
            detail=detail,
        )
    if status >= 500:
        return ChatError(
            ErrorKind.SERVER,
            translate(
                "ChatError", "The server had an error (HTTP {0}). It is not your fault; try again."
            ).format(status),
            retry_after=parse_retry_after(headers),
            status=status,
            detail=detail,
        )
    return ChatError(
        ErrorKind.UNEXPECTED,
        translate("ChatError", "Unexpected answer from the server (HTTP {0}).").format(status),
        status=status,
        detail=detail,
    )


def describe_exception(
    exc: BaseException,
    base_url: str,
    model: str | None = None,
    *,
    idle_timeout_s: float | None = None,
    secrets: Iterable[str] = (),
) -> ChatError:
    """Any exception from talking to a server, as a user-facing error."""
    classes = _exception_classes()
    chain = exception_chain(exc)
    if isinstance(exc, classes.status):
        text = ""
        try:
            text = exc.response.text
        except Exception:  # noqa: BLE001 - a streamed body may be unreadable; keep going
            text = ""
        if not text:
            text = json.dumps(exc.body) if exc.body is not None else ""
        return from_status(exc.status_code, text, exc.response.headers, base_url, model, secrets)

    detail = redact("; ".join(str(e) for e in chain if str(e)), secrets)[:500]
    if any(isinstance(e, ssl.SSLError) for e in chain) or "SSL" in detail.upper().split(":")[0]:
        return ChatError(
            ErrorKind.CONNECTION,
            translate(
                "ChatError",
                "A secure connection to {0} could not be made (TLS): "
                "the certificate is not trusted or the server does not speak HTTPS.",
            ).format(where(base_url)),
            detail=detail,
        )
    if _any_is(chain, classes.connect_timeout):
        return ChatError(
            ErrorKind.TIMEOUT,
            translate(
                "ChatError",
                "Could not connect to {0} in time: the server is down or unreachable.",
            ).format(where(base_url)),
            detail=detail,
        )
    if _any_is(chain, classes.timeout):
        if idle_timeout_s:
            text = translate(
                "ChatError", "No data from the server for {0} s: it stopped answering."
            ).format(f"{idle_timeout_s:g}")
        else:
            text = translate("ChatError", "No data from the server: it stopped answering.")
        return ChatError(
            ErrorKind.TIMEOUT,
            text,
            detail=detail,
        )
    lowered = detail.lower()
    if "name or service not known" in lowered or "nodename nor servname" in lowered or (
        "getaddrinfo" in lowered or "temporary failure in name resolution" in lowered
    ):
        return ChatError(
            ErrorKind.CONNECTION,
            translate(
                "ChatError", "The server name in {0} could not be found (DNS). Check the base URL."
            ).format(base_url),
            detail=detail,
        )
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in lowered:
        return ChatError(
            ErrorKind.CONNECTION,
            translate("ChatError", "Nothing is listening at {0}: is the server running?").format(
                where(base_url)
            ),
            detail=detail,
        )
    if _any_is(chain, classes.proxy):
        return ChatError(
            ErrorKind.CONNECTION,
            translate("ChatError", "The proxy refused or failed the connection."),
            detail=detail,
        )
    if _any_is(chain, classes.connection_lost):
        return ChatError(
            ErrorKind.CONNECTION,
            translate("ChatError", "The connection to {0} was lost.").format(where(base_url)),
            detail=detail,
        )
    if _any_is(chain, classes.malformed):
        return ChatError(
            ErrorKind.MALFORMED,
            translate("ChatError", "The server sent data that could not be read (not valid JSON)."),
            detail=detail,
        )
    if _any_is(chain, classes.api_error):
        return ChatError(
            ErrorKind.STREAM_ERROR,
            translate("ChatError", "The server reported an error: {0}").format(
                plain_server_text(redact(str(exc), secrets))
            ),
            detail=detail,
        )
    return ChatError(
        ErrorKind.UNEXPECTED,
        translate(
            "ChatError", "Something unexpected went wrong: {0}. Details are in the log."
        ).format(type(exc).__name__),
        detail=detail,
    )


def in_stream_error(payload: object, secrets: Iterable[str] = ()) -> ChatError:
    """An `{"error": …}` object that arrived inside a 200 stream."""
    message = redact(_server_message(payload), secrets) or translate("ChatError", "unknown error")
    return ChatError(
        ErrorKind.STREAM_ERROR,
        translate("ChatError", "The server reported an error while answering: {0}").format(message),
        detail=message,
    )


INCOMPLETE = ChatError(
    ErrorKind.INCOMPLETE,
    QT_TRANSLATE_NOOP(
        "ChatError",
        "The connection ended before the answer was complete (no finish signal from the server).",
    ),
)


def incomplete() -> ChatError:
    """INCOMPLETE in the user's language."""
    return replace(INCOMPLETE, message=translate("ChatError", INCOMPLETE.message))
