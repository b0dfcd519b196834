"""What the user reads for each exception the SDK and its HTTP client raise (errors.py).

The exceptions are built the way the SDK raises them (an SDK error caused by the HTTP
client's), so a more general class in the chain never wins over a more specific one.
"""

from __future__ import annotations

import http.client
import json
import ssl

import httpx2
import openai
import pytest

from zlay_desktop.core.errors import describe_exception, from_status, redact
from zlay_desktop.core.models import ErrorKind

BASE = "http://127.0.0.1:8080/v1"
KEY = "sk-test-abcdefghijklmnop"
REQUEST = httpx2.Request("POST", f"{BASE}/chat/completions")


def caused(outer: BaseException, cause: BaseException) -> BaseException:
    outer.__cause__ = cause
    return outer


def status_error(status: int, body: object, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    response = httpx2.Response(status, headers=headers, json=body, request=REQUEST)
    return openai.APIStatusError(f"Error code: {status}", response=response, body=body)


@pytest.mark.parametrize(
    ("exc", "kind", "words"),
    [
        # A connect timeout is also a timeout and, through the SDK, a connection error.
        (caused(openai.APITimeoutError(REQUEST), httpx2.ConnectTimeout("timed out")), ErrorKind.TIMEOUT, "Could not connect to 127.0.0.1:8080 in time"),
        (caused(openai.APITimeoutError(REQUEST), httpx2.ReadTimeout("timed out")), ErrorKind.TIMEOUT, "No data from the server for 30 s"),
        (httpx2.PoolTimeout("no connection"), ErrorKind.TIMEOUT, "No data from the server"),
        (TimeoutError(), ErrorKind.TIMEOUT, "stopped answering"),
        (caused(openai.APIConnectionError(request=REQUEST), httpx2.ProxyError("407")), ErrorKind.CONNECTION, "The proxy refused or failed"),
        (caused(openai.APIConnectionError(request=REQUEST), httpx2.RemoteProtocolError("peer closed")), ErrorKind.CONNECTION, "The connection to 127.0.0.1:8080 was lost"),
        (httpx2.WriteError("broken pipe"), ErrorKind.CONNECTION, "was lost"),
        (openai.APIConnectionError(request=REQUEST), ErrorKind.CONNECTION, "was lost"),
        (ConnectionResetError(104, "reset by peer"), ErrorKind.CONNECTION, "was lost"),
        (http.client.IncompleteRead(b"part"), ErrorKind.CONNECTION, "was lost"),
        (caused(openai.APIConnectionError(request=REQUEST), ConnectionRefusedError(111, "Connection refused")), ErrorKind.CONNECTION, "Nothing is listening at 127.0.0.1:8080"),
        (caused(openai.APIConnectionError(request=REQUEST), httpx2.ConnectError("[Errno -2] Name or service not known")), ErrorKind.CONNECTION, "could not be found (DNS)"),
        (caused(openai.APIConnectionError(request=REQUEST), ssl.SSLCertVerificationError("certificate verify failed")), ErrorKind.CONNECTION, "secure connection"),
        (json.JSONDecodeError("Expecting value", "{", 1), ErrorKind.MALFORMED, "not valid JSON"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), ErrorKind.MALFORMED, "not valid JSON"),
        (openai.APIError("overloaded, try later", REQUEST, body=None), ErrorKind.STREAM_ERROR, "The server reported an error: overloaded, try later"),
        (RuntimeError("odd"), ErrorKind.UNEXPECTED, "Something unexpected went wrong: RuntimeError"),
    ],
)
def test_each_failure_reads_as_what_happened(exc: BaseException, kind: ErrorKind, words: str) -> None:
    error = describe_exception(exc, BASE, "test-model", idle_timeout_s=30)
    assert error.kind is kind, error
    assert words in error.message


def test_error_answers_read_as_their_status() -> None:
    error = describe_exception(status_error(404, {"error": {"message": "no such model"}}), BASE, "gpt-x")
    assert (error.kind, error.status, error.detail) == (ErrorKind.NOT_FOUND, 404, "no such model")
    assert "the model 'gpt-x' does not exist" in error.message
    error = describe_exception(status_error(429, {}, {"retry-after": "4"}), BASE)
    assert (error.kind, error.retry_after) == (ErrorKind.RATE_LIMITED, 4)
    # A 200 whose body the SDK could not use is read as that answer, not a stream error.
    response = httpx2.Response(200, text="<html><body>Sign in</body></html>", request=REQUEST)
    error = describe_exception(openai.APIResponseValidationError(response, None), BASE)
    assert error.kind is ErrorKind.NOT_AN_API and "web page (HTTP 200)" in error.message


def test_keys_never_reach_the_message_or_the_detail() -> None:
    leaky = caused(
        openai.APIConnectionError(message=f"Connection error (Authorization: Bearer {KEY})", request=REQUEST),
        httpx2.RemoteProtocolError(f"api_key={KEY}"),
    )
    error = describe_exception(leaky, BASE, secrets=(KEY,))
    assert error.kind is ErrorKind.CONNECTION
    assert KEY not in error.message and KEY not in (error.detail or "")
    body = {"error": {"message": f"Incorrect API key provided: {KEY}"}}
    error = describe_exception(status_error(401, body), BASE, secrets=(KEY,))
    assert error.kind is ErrorKind.AUTH and KEY not in (error.detail or "")
    error = describe_exception(openai.APIError(f"bad key {KEY}", REQUEST, body=None), BASE, secrets=(KEY,))
    assert KEY not in error.message and "[redacted]" in error.message


def test_redact_keeps_a_recognisable_prefix_only() -> None:
    assert redact(f"key {KEY} used") == "key sk-test[redacted] used"
    assert from_status(503, "", {}, BASE, None).kind is ErrorKind.SERVER
