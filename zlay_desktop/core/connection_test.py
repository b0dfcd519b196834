"""A connection test that tells the truth, one stage at a time.

Stages: the server is reachable, the key is accepted, the model exists, a minimal completion
works, and a one-token stream arrives (with its time to first chunk). Each stage gets its own
time and a verdict in plain words. The test never passes against a wrong host, a wrong path,
a wrong key or a missing model. The caller cancels it by cancelling the task; the HTTP client
is closed on the way out. No message ever contains the key.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import socket
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import openai

from zlay_desktop.core.errors import exception_chain, redact, where
from zlay_desktop.core.i18n import QT_TRANSLATE_NOOP, number, translate
from zlay_desktop.core.models import Endpoint

# Sent when the profile has no key: the SDK insists on one, and servers that need none
# ignore it. A server that does need a key rejects it, which is reported as "no key set".
NO_KEY_PLACEHOLDER = "no-key-set"
WRONG_PATH_MESSAGE = QT_TRANSLATE_NOOP(
    "ConnectionTest",
    "this URL does not look like an OpenAI-compatible API: check the path, it usually ends in /v1",
)
WEB_PAGE_MESSAGE = QT_TRANSLATE_NOOP(
    "ConnectionTest", "this URL answered with a web page, not an API"
)


class Stage(enum.StrEnum):
    REACHABLE = "reachable"
    KEY = "key"
    MODEL = "model"
    COMPLETION = "completion"
    STREAMING = "streaming"

    @property
    def label(self) -> str:
        return translate("ConnectionTest", _STAGE_LABELS[self])


_STAGE_LABELS = {
    Stage.REACHABLE: QT_TRANSLATE_NOOP("ConnectionTest", "Server reachable"),
    Stage.KEY: QT_TRANSLATE_NOOP("ConnectionTest", "API key accepted"),
    Stage.MODEL: QT_TRANSLATE_NOOP("ConnectionTest", "Model exists"),
    Stage.COMPLETION: QT_TRANSLATE_NOOP("ConnectionTest", "Completion works"),
    Stage.STREAMING: QT_TRANSLATE_NOOP("ConnectionTest", "Streaming works"),
}


class StageStatus(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"  # not run, or could not be decided, because of another stage


@dataclass(frozen=True, slots=True)
class StageResult:
    stage: Stage
    status: StageStatus
    message: str  # plain words, never a secret
    elapsed_s: float | None = None  # how long the request(s) that decided this stage took

    @property
    def passed(self) -> bool:
        return self.status is StageStatus.PASSED


@dataclass(frozen=True, slots=True)
class ConnectionReport:
    results: tuple[StageResult, ...]
    models: tuple[str, ...] = ()  # what the server's /models listed, when it did

    @property
    def ok(self) -> bool:
        return bool(self.results) and all(r.passed for r in self.results)

    @property
    def failure(self) -> StageResult | None:
        return next((r for r in self.results if r.status is StageStatus.FAILED), None)


@dataclass(frozen=True, slots=True)
class ConnectionTestTimeouts:
    """Short on purpose: a test that hangs for minutes tells the user nothing."""

    connect_s: float = 5.0
    read_s: float = 15.0  # waiting for headers or for the next byte

    @property
    def request_s(self) -> float:
        """A hard cap on one whole request, for servers that trickle bytes."""
        return self.connect_s + 2 * self.read_s


@dataclass(slots=True)
class _Outcome:
    """What one request produced: a response body, or an HTTP error, or no answer at all."""

    elapsed_s: float
    status: int | None = None
    body: Any = None  # parsed JSON, or None
    text: str = ""
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    connection_problem: str | None = None  # no HTTP answer: why, in words

    @property
    def answered(self) -> bool:
        return self.connection_problem is None

    @property
    def is_web_page(self) -> bool:
        if "html" in self.content_type:
            return True
        return self.body is None and self.text.lstrip()[:15].lower().startswith(
            ("<!doctype", "<html")
        )

    @property
    def ok(self) -> bool:
        return self.answered and self.status is not None and 200 <= self.status < 300

    def error_text(self, secret: str) -> str:
        """The server's own error words, redacted and short."""
        message: object = None
        if isinstance(self.body, dict):
            err = self.body.get("error", self.body)
            if isinstance(err, dict):
                message = err.get("message") or err.get("detail")
            elif isinstance(err, str):
                message = err
            if message is None:
                message = self.body.get("detail") or self.body.get("message")
        if message is None and not self.is_web_page:
            message = self.text
        text = " ".join(str(message or "").split())
        if len(text) > 200:
            text = text[:197] + "..."
        return redact(text, [secret])

    def mentions_model(self) -> bool:
        """Whether an error is about the model (as opposed to an unknown route)."""
        if not isinstance(self.body, dict):
            return False
        err = self.body.get("error", self.body)
        if isinstance(err, str):
            words = [err]
        elif isinstance(err, dict):
            words = [str(err.get(k) or "") for k in ("message", "code", "param", "detail")]
        else:
            return False
        return any("model" in w.lower() for w in words)


async def run_connection_test(
    endpoint: Endpoint,
    model: str,
    on_stage: Callable[[StageResult], None],
    *,
    timeouts: ConnectionTestTimeouts | None = None,
) -> ConnectionReport:
    """Runs every stage in order, calling `on_stage` as soon as each verdict is known."""
    timeouts = timeouts or ConnectionTestTimeouts(connect_s=min(endpoint.connect_timeout_s, 5.0))
    async with _openai_client(endpoint, timeouts) as client:
        return await _ConnectionTest(client, endpoint, model.strip(), on_stage, timeouts).run()


async def fetch_models(
    endpoint: Endpoint, *, timeouts: ConnectionTestTimeouts | None = None
) -> list[str]:
    """The model ids the server lists at /models, sorted. Raises `ModelListError`."""
    timeouts = timeouts or ConnectionTestTimeouts(connect_s=min(endpoint.connect_timeout_s, 5.0))
    async with _openai_client(endpoint, timeouts) as client:
        outcome = await _get_models(client, endpoint, timeouts)
    if not outcome.answered:
        raise ModelListError(outcome.connection_problem or translate("ConnectionTest", "no answer"))
    if outcome.is_web_page:
        raise ModelListError(translate("ConnectionTest", WEB_PAGE_MESSAGE))
    if outcome.status in (401, 403):
        raise ModelListError(_key_rejected_message(endpoint, outcome))
    models = _model_ids(outcome)
    if models is None:
        raise ModelListError(
            translate(
                "ConnectionTest",
                "the server did not list its models (HTTP {0}); type the model name",
            ).format(outcome.status)
        )
    return sorted(models)


class ModelListError(Exception):
    """The model list could not be fetched; the message is for the user."""


@contextlib.asynccontextmanager
async def _openai_client(
    endpoint: Endpoint, timeouts: ConnectionTestTimeouts
) -> AsyncIterator[openai.AsyncOpenAI]:
    timeout = openai.Timeout(
        timeouts.read_s, connect=timeouts.connect_s, read=timeouts.read_s, pool=timeouts.connect_s
    )
    # proxy=None keeps the system proxy environment (trust_env); a profile's proxy wins.
    http_client = openai.DefaultAsyncHttpxClient(
        proxy=endpoint.proxy, timeout=timeout, follow_redirects=False
    )
    async with http_client:
        yield openai.AsyncOpenAI(
            api_key=endpoint.api_key or NO_KEY_PLACEHOLDER,
            base_url=endpoint.base_url.rstrip("/"),
            max_retries=0,  # a test reports what happened, it does not hide it
            timeout=timeout,
            http_client=http_client,
            default_headers=dict(endpoint.extra_headers) or None,
        )


class _ConnectionTest:
    def __init__(
        self,
        client: openai.AsyncOpenAI,
        endpoint: Endpoint,
        model: str,
        on_stage: Callable[[StageResult], None],
        timeouts: ConnectionTestTimeouts,
    ) -> None:
        self.client = client
        self.endpoint = endpoint
        self.model = model
        self.on_stage = on_stage
        self.timeouts = timeouts
        self.results: list[StageResult] = []
        self._completion: _Outcome | None = None

    async def run(self) -> ConnectionReport:
        probe = await _get_models(self.client, self.endpoint, self.timeouts)
        models = _model_ids(probe) if probe.ok else None

        if not await self._reachable(probe, models):
            return self._finish(models)
        if not await self._key(probe, models):
            return self._finish(models)
        if not await self._model(probe, models):
            return self._finish(models)
        if not await self._completion_stage():
            return self._finish(models)
        await self._streaming_stage()
        return self._finish(models)

    # --- stages ----------------------------------------------------------------------

    async def _reachable(self, probe: _Outcome, models: list[str] | None) -> bool:
        stage = Stage.REACHABLE
        if not probe.answered:
            return self._fail(
                stage,
                probe.connection_problem or translate("ConnectionTest", "no answer"),
                probe.elapsed_s,
            )
        if probe.is_web_page:
            return self._fail(stage, self._web_page_message(probe), probe.elapsed_s)
        if probe.status is not None and 300 <= probe.status < 400:
            location = probe.headers.get("location", "another address")
            return self._fail(
                stage,
                translate(
                    "ConnectionTest",
                    "this URL redirects (HTTP {0}) to {1}; use the final address as the base URL",
                ).format(probe.status, location),
                probe.elapsed_s,
            )
        elapsed = probe.elapsed_s
        if models is None and probe.status not in (401, 403):
            # /models did not answer like an API: does the chat endpoint? That tells a wrong
            # path (both 404) from a server that simply has no model list.
            completion = await self._run_completion()
            elapsed += completion.elapsed_s
            if not completion.answered:
                return self._fail(
                    stage,
                    completion.connection_problem or translate("ConnectionTest", "no answer"),
                    elapsed,
                )
            if completion.is_web_page:
                return self._fail(stage, self._web_page_message(completion), elapsed)
            if (
                probe.status in (404, 405)
                and completion.status in (404, 405)
                and not completion.mentions_model()
            ):
                return self._fail(stage, translate("ConnectionTest", WRONG_PATH_MESSAGE), elapsed)
        host = where(self.endpoint.base_url)
        answered = translate("ConnectionTest", "{0} answered (HTTP {1})")
        return self._pass(stage, answered.format(host, probe.status), elapsed)

    async def _key(self, probe: _Outcome, models: list[str] | None) -> bool:
        stage = Stage.KEY
        if probe.status in (401, 403):
            return self._fail(stage, _key_rejected_message(self.endpoint, probe), probe.elapsed_s)
        # Some servers list models to anyone and check the key only on completions, so the
        # completion has the last word (it is sent once and reused by the later stages).
        completion = await self._run_completion()
        elapsed = completion.elapsed_s
        if completion.answered and completion.status in (401, 403):
            return self._fail(stage, _key_rejected_message(self.endpoint, completion), elapsed)
        if models is not None:
            return self._pass(stage, self._key_ok_message(), probe.elapsed_s)
        if not completion.answered:
            return self._skip(
                stage,
                translate("ConnectionTest", "could not be checked: the server did not answer"),
            )
        if completion.ok or completion.mentions_model():
            return self._pass(stage, self._key_ok_message(), elapsed)
        return self._skip(
            stage,
            translate("ConnectionTest", "could not be checked: {0}").format(
                _http_problem(completion, self.endpoint.api_key)
            ),
        )

    async def _model(self, probe: _Outcome, models: list[str] | None) -> bool:
        stage = Stage.MODEL
        if not self.model:
            return self._fail(
                stage,
                translate("ConnectionTest", "no model is set: choose or type a model name"),
                0.0,
            )
        if models is not None and self.model in models:
            return self._pass(
                stage,
                translate("ConnectionTest", "the server lists the model '{0}'").format(self.model),
                probe.elapsed_s,
            )
        completion = await self._run_completion()
        elapsed = completion.elapsed_s
        if completion.ok:
            note = (
                translate("ConnectionTest", " (it is not in the server's model list)")
                if models is not None
                else ""
            )
            return self._pass(
                stage,
                translate("ConnectionTest", "the server accepted the model '{0}'{1}").format(
                    self.model, note
                ),
                elapsed,
            )
        missing = (
            completion.answered
            and completion.status in (400, 404, 422)
            and completion.mentions_model()
        )
        if missing or models is not None:
            message = translate(
                "ConnectionTest", "the model '{0}' does not exist on this server"
            ).format(self.model)
            if models:
                message += translate("ConnectionTest", "; it offers: {0}").format(_sample(models))
            return self._fail(stage, message, elapsed)
        return self._skip(
            stage, translate("ConnectionTest", "could not be checked: see the completion below")
        )

    async def _completion_stage(self) -> bool:
        stage = Stage.COMPLETION
        completion = await self._run_completion()
        elapsed = completion.elapsed_s
        if completion.ok:
            if not _is_chat_completion(completion.body):
                return self._fail(
                    stage,
                    translate(
                        "ConnectionTest", "the server answered, but not with a chat completion"
                    ),
                    elapsed,
                )
            return self._pass(
                stage, translate("ConnectionTest", "a one-token request was answered"), elapsed
            )
        if not completion.answered:
            return self._fail(
                stage,
                completion.connection_problem or translate("ConnectionTest", "no answer"),
                elapsed,
            )
        return self._fail(stage, _http_problem(completion, self.endpoint.api_key), elapsed)

    async def _streaming_stage(self) -> bool:
        stage = Stage.STREAMING
        started = time.monotonic()
        first_chunk_s: float | None = None
        chunks = 0
        try:
            async with asyncio.timeout(self.timeouts.request_s):
                stream = await self.client.chat.completions.create(
                    model=self.model,
                    messages=[{"role": "user", "content": "Say OK."}],
                    max_tokens=1,
                    stream=True,
                )
                try:
                    async for _chunk in stream:
                        chunks += 1
                        if first_chunk_s is None:
                            first_chunk_s = time.monotonic() - started
                finally:
                    await stream.close()
        except openai.APIStatusError as e:
            outcome = _outcome_from_status_error(e, time.monotonic() - started)
            return self._fail(
                stage, _http_problem(outcome, self.endpoint.api_key), outcome.elapsed_s
            )
        except (openai.APIError, TimeoutError, json.JSONDecodeError) as e:
            elapsed = time.monotonic() - started
            return self._fail(stage, self._stream_problem(e), elapsed)
        elapsed = time.monotonic() - started
        if chunks == 0 or first_chunk_s is None:
            return self._fail(
                stage,
                translate("ConnectionTest", "the streaming request returned no data"),
                elapsed,
            )
        return self._pass(
            stage,
            translate("ConnectionTest", "first chunk after {0}").format(_ms(first_chunk_s)),
            elapsed,
        )

    # --- helpers ---------------------------------------------------------------------

    async def _run_completion(self) -> _Outcome:
        """The non-streaming one-token request; sent at most once, shared by the stages."""
        if self._completion is None:
            self._completion = await _post_completion(
                self.client, self.endpoint, self.model, self.timeouts
            )
        return self._completion

    def _key_ok_message(self) -> str:
        if self.endpoint.api_key:
            return translate("ConnectionTest", "the API key was accepted")
        return translate("ConnectionTest", "the server did not ask for an API key")

    def _web_page_message(self, outcome: _Outcome) -> str:
        return translate(
            "ConnectionTest",
            "{0} (HTTP {1}); a proxy, a login page or a wrong address may be in the way",
        ).format(translate("ConnectionTest", WEB_PAGE_MESSAGE), outcome.status)

    def _stream_problem(self, e: BaseException) -> str:
        if isinstance(e, TimeoutError | openai.APITimeoutError):
            return translate("ConnectionTest", "no streamed data within {0:g} s").format(
                self.timeouts.read_s
            )
        if isinstance(e, json.JSONDecodeError):
            return translate("ConnectionTest", "the stream contained data that is not JSON")
        if isinstance(e, openai.APIConnectionError):
            return _connection_problem(e, self.endpoint, self.timeouts)
        text = redact(" ".join(str(getattr(e, "message", e)).split()), [self.endpoint.api_key])
        return translate("ConnectionTest", "the stream reported an error: {0}").format(text)

    def _emit(self, result: StageResult) -> bool:
        self.results.append(result)
        self.on_stage(result)
        return result.passed

    def _pass(self, stage: Stage, message: str, elapsed_s: float) -> bool:
        return self._emit(StageResult(stage, StageStatus.PASSED, message, elapsed_s))

    def _fail(self, stage: Stage, message: str, elapsed_s: float | None) -> bool:
        return self._emit(StageResult(stage, StageStatus.FAILED, message, elapsed_s))

    def _skip(self, stage: Stage, message: str) -> bool:
        self._emit(StageResult(stage, StageStatus.SKIPPED, message, None))
        return True  # undecided is not a failure: later stages will say what is wrong

    def _finish(self, models: list[str] | None) -> ConnectionReport:
        done = {r.stage for r in self.results}
        for stage in Stage:
            if stage not in done:
                self._emit(
                    StageResult(stage, StageStatus.SKIPPED, "not run: an earlier step failed")
                )
        return ConnectionReport(tuple(self.results), tuple(models or ()))


# --- requests ---------------------------------------------------------------------------


class _HttpAnswer(Protocol):
    """An HTTP answer: the SDK's raw response, or the response inside an `APIStatusError`."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def text(self) -> str: ...


async def _get_models(
    client: openai.AsyncOpenAI, endpoint: Endpoint, timeouts: ConnectionTestTimeouts
) -> _Outcome:
    return await _send(client.models.with_raw_response.list, endpoint, timeouts)


async def _post_completion(
    client: openai.AsyncOpenAI, endpoint: Endpoint, model: str, timeouts: ConnectionTestTimeouts
) -> _Outcome:
    return await _send(
        lambda: client.chat.completions.with_raw_response.create(
            model=model or "unknown",
            messages=[{"role": "user", "content": "Say OK."}],
            max_tokens=1,
        ),
        endpoint,
        timeouts,
    )


async def _send(
    request: Callable[[], Awaitable[_HttpAnswer]],
    endpoint: Endpoint,
    timeouts: ConnectionTestTimeouts,
) -> _Outcome:
    """Makes one request and records what came back, or why nothing did."""
    started = time.monotonic()
    try:
        async with asyncio.timeout(timeouts.request_s):
            response = await request()
            text = response.text
    except openai.APIStatusError as e:
        return _outcome_from_status_error(e, time.monotonic() - started)
    except (openai.APIConnectionError, TimeoutError) as e:
        return _Outcome(
            time.monotonic() - started,
            connection_problem=_connection_problem(e, endpoint, timeouts),
        )
    return _answered(response, text, time.monotonic() - started)


def _outcome_from_status_error(e: openai.APIStatusError, elapsed_s: float) -> _Outcome:
    try:
        text = e.response.text
    except Exception:  # noqa: BLE001 - a body that cannot be read is just empty
        text = ""
    return _answered(e.response, text, elapsed_s)


def _answered(response: _HttpAnswer, text: str, elapsed_s: float) -> _Outcome:
    return _Outcome(
        elapsed_s,
        status=response.status_code,
        body=_json_or_none(text),
        text=text,
        content_type=response.headers.get("content-type", "").lower(),
        headers={k.lower(): v for k, v in response.headers.items()},
    )


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _model_ids(outcome: _Outcome) -> list[str] | None:
    """Model ids from an OpenAI-style list (`{"data": [{"id": ...}]}`); None if not one."""
    if not isinstance(outcome.body, dict):
        return None
    data = outcome.body.get("data")
    if not isinstance(data, list):
        # Ollama's native /api/tags shape, seen when /v1 is left off.
        data = outcome.body.get("models")
        if not isinstance(data, list):
            return None
    ids = []
    for item in data:
        if isinstance(item, dict):
            ident = item.get("id") or item.get("name") or item.get("model")
            if isinstance(ident, str):
                ids.append(ident)
    return ids


def _is_chat_completion(body: Any) -> bool:
    return isinstance(body, dict) and isinstance(body.get("choices"), list)


# --- words ------------------------------------------------------------------------------


def _key_rejected_message(endpoint: Endpoint, outcome: _Outcome) -> str:
    if not endpoint.api_key:
        return translate(
            "ConnectionTest", "this server needs an API key, and none is set (HTTP {0})"
        ).format(outcome.status)
    detail = outcome.error_text(endpoint.api_key)
    message = translate("ConnectionTest", "the API key was rejected (HTTP {0})").format(
        outcome.status
    )
    return f"{message}: {detail}" if detail else message


def _http_problem(outcome: _Outcome, secret: str) -> str:
    status = outcome.status
    detail = outcome.error_text(secret)
    suffix = f": {detail}" if detail else ""
    if outcome.is_web_page:
        return f"{translate('ConnectionTest', WEB_PAGE_MESSAGE)} (HTTP {status})"
    if status in (401, 403):
        return translate("ConnectionTest", "the API key was rejected (HTTP {0}){1}").format(
            status, suffix
        )
    if status == 404:
        return translate("ConnectionTest", "the server answered 'not found' (HTTP 404){0}").format(
            suffix
        )
    if status == 429:
        retry = outcome.headers.get("retry-after")
        wait = translate("ConnectionTest", "; it asks to wait {0} s").format(retry) if retry else ""
        return translate(
            "ConnectionTest", "the server is rate limiting requests (HTTP 429){0}{1}"
        ).format(wait, suffix)
    if status is not None and status >= 500:
        return translate("ConnectionTest", "the server reported an error (HTTP {0}){1}").format(
            status, suffix
        )
    if status is not None and 200 <= status < 300:
        return translate(
            "ConnectionTest", "the server answered with something that is not an API response"
        )
    return translate("ConnectionTest", "the server refused the request (HTTP {0}){1}").format(
        status, suffix
    )


def _connection_problem(
    e: BaseException, endpoint: Endpoint, timeouts: ConnectionTestTimeouts
) -> str:
    """Why no HTTP answer came, from the exception chain, in words."""
    host_port = where(endpoint.base_url)
    host = urlsplit(endpoint.base_url).hostname or host_port
    chain = exception_chain(e)
    names = {type(x).__name__ for x in chain}
    via_proxy = (
        translate("ConnectionTest", " (via the proxy {0})").format(_proxy_host(endpoint.proxy))
        if endpoint.proxy
        else ""
    )
    if "ProxyError" in names:
        return translate("ConnectionTest", "the proxy {0} refused or failed the connection").format(
            _proxy_host(endpoint.proxy)
        )
    if any(isinstance(x, socket.gaierror) for x in chain):
        return translate(
            "ConnectionTest", "the host name '{0}' could not be found (DNS){1}"
        ).format(host, via_proxy)
    if any(isinstance(x, ssl.SSLCertVerificationError) for x in chain):
        return translate(
            "ConnectionTest", "the TLS certificate of {0} could not be verified{1}"
        ).format(host, via_proxy)
    if any(isinstance(x, ssl.SSLError) for x in chain):
        return translate(
            "ConnectionTest", "the TLS (https) handshake with {0} failed; is it really https?"
        ).format(host_port)
    if any(isinstance(x, ConnectionRefusedError) for x in chain):
        return translate("ConnectionTest", "nothing is listening at {0}{1}").format(
            host_port, via_proxy
        )
    if "ConnectTimeout" in names:
        return translate("ConnectionTest", "no connection to {0} within {1:g} s{2}").format(
            host_port, timeouts.connect_s, via_proxy
        )
    if (
        isinstance(e, TimeoutError)
        or "ReadTimeout" in names
        or "PoolTimeout" in names
        or isinstance(e, openai.APITimeoutError)
    ):
        return translate(
            "ConnectionTest",
            "the server at {0} accepted the connection but did not answer within {1:g} s",
        ).format(host_port, timeouts.read_s)
    if "RemoteProtocolError" in names:
        return translate(
            "ConnectionTest", "the server at {0} closed the connection without an HTTP answer"
        ).format(host_port)
    if any(isinstance(x, ConnectionResetError) for x in chain):
        return translate("ConnectionTest", "the connection to {0} was reset").format(host_port)
    if "ConnectError" in names:
        errno_text = next(
            (x.strerror for x in chain if isinstance(x, OSError) and x.strerror), None
        )
        reason = f": {errno_text}" if errno_text else ""
        return translate("ConnectionTest", "could not connect to {0}{1}{2}").format(
            host_port, reason, via_proxy
        )
    return translate("ConnectionTest", "could not connect to {0} ({1}){2}").format(
        host_port, type(chain[-1]).__name__, via_proxy
    )


def _proxy_host(proxy: str | None) -> str:
    if not proxy:
        return ""
    parts = urlsplit(proxy)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or ''}".rstrip(":")


def _sample(models: list[str], limit: int = 5) -> str:
    shown = ", ".join(sorted(models)[:limit])
    more = len(models) - limit
    if more > 0:
        return translate("ConnectionTest", "{0} and %n more", None, more).format(shown)
    return shown


def _ms(seconds: float) -> str:
    if seconds < 10:
        return translate("ConnectionTest", "{0} ms").format(number(seconds * 1000))
    return translate("ConnectionTest", "{0} s").format(number(seconds, 1))
