"""The staged connection test against the project's test server: it passes only when all is well."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from tests.ports import closed_port
from tests.testserver.server import ChatScript, HttpError, OpenAITestServer, StallBeforeHeaders
from zlay_desktop.core.connection_test import (
    ConnectionReport,
    ConnectionTestTimeouts,
    ModelListError,
    Stage,
    StageResult,
    StageStatus,
    fetch_models,
    run_connection_test,
)
from zlay_desktop.core.models import Endpoint

KEY = "sk-test-connection-0123456789abcdef"
FAST = ConnectionTestTimeouts(connect_s=2.0, read_s=5.0)


@pytest.fixture
def server() -> Iterator[OpenAITestServer]:
    with OpenAITestServer(api_key=KEY, models=("test-model", "other-model")) as srv:
        yield srv


def run(
    base_url: str,
    model: str = "test-model",
    key: str = KEY,
    timeouts: ConnectionTestTimeouts = FAST,
) -> tuple[ConnectionReport, list[StageResult]]:
    seen: list[StageResult] = []
    report = asyncio.run(
        run_connection_test(Endpoint(base_url, api_key=key), model, seen.append, timeouts=timeouts)
    )
    for result in report.results:
        assert KEY not in result.message
    return report, seen


def verdicts(report: ConnectionReport) -> dict[Stage, StageStatus]:
    return {r.stage: r.status for r in report.results}


def message(report: ConnectionReport, stage: Stage) -> str:
    return next(r.message for r in report.results if r.stage is stage)


def test_every_stage_passes_against_a_working_server(server: OpenAITestServer) -> None:
    report, seen = run(server.base_url)
    assert report.ok
    assert seen == list(report.results)  # each verdict was reported as it came
    assert [r.stage for r in report.results] == list(Stage)
    assert all(r.elapsed_s is not None and r.elapsed_s >= 0 for r in report.results)
    assert message(report, Stage.KEY) == "the API key was accepted"
    assert message(report, Stage.STREAMING).startswith("first chunk after ")
    assert report.models == ("test-model", "other-model")
    requests = server.requests
    assert [r.path for r in requests] == [
        "/v1/models",
        "/v1/chat/completions",
        "/v1/chat/completions",
    ]
    # A minimal validation request, then a one-token stream.
    assert [r.body and r.body.get("max_tokens") for r in requests[1:]] == [1, 1]
    assert [r.body and r.body.get("stream") for r in requests[1:]] == [None, True]


def test_nothing_listening(server: OpenAITestServer) -> None:
    port = closed_port()
    report, _ = run(f"http://127.0.0.1:{port}/v1")
    assert not report.ok
    assert report.failure is not None and report.failure.stage is Stage.REACHABLE
    assert report.failure.message == f"nothing is listening at 127.0.0.1:{port}"
    assert [r.status for r in report.results[1:]] == [StageStatus.SKIPPED] * 4


def test_unknown_host() -> None:
    report, _ = run("http://no-such-host.invalid/v1")
    assert report.failure is not None and report.failure.stage is Stage.REACHABLE
    assert "could not be found (DNS)" in report.failure.message


def test_wrong_path(server: OpenAITestServer) -> None:
    report, _ = run(server.root_url)  # /v1 left off
    assert report.failure is not None and report.failure.stage is Stage.REACHABLE
    assert report.failure.message == (
        "this URL does not look like an OpenAI-compatible API: check the path, "
        "it usually ends in /v1"
    )


def test_wrong_key(server: OpenAITestServer) -> None:
    report, _ = run(server.base_url, key="sk-wrong-key-000000000000")
    assert verdicts(report)[Stage.REACHABLE] is StageStatus.PASSED
    assert report.failure is not None and report.failure.stage is Stage.KEY
    assert report.failure.message.startswith("the API key was rejected (HTTP 401)")
    assert "sk-wrong" not in report.failure.message


def test_missing_key(server: OpenAITestServer) -> None:
    report, _ = run(server.base_url, key="")
    assert report.failure is not None and report.failure.stage is Stage.KEY
    assert report.failure.message.startswith("this server needs an API key, and none is set")


def test_a_key_rejected_only_on_completions_fails_and_is_not_quoted() -> None:
    with OpenAITestServer() as open_server:  # lists models to anyone
        open_server.enqueue(
            HttpError(401, json_error={"message": f"Incorrect API key provided: {KEY}."})
        )
        report, _ = run(open_server.base_url)
    assert report.failure is not None and report.failure.stage is Stage.KEY
    assert "the API key was rejected (HTTP 401)" in report.failure.message
    assert KEY not in report.failure.message


def test_unknown_model(server: OpenAITestServer) -> None:
    report, _ = run(server.base_url, model="gpt-nonexistent")
    assert verdicts(report)[Stage.KEY] is StageStatus.PASSED
    assert report.failure is not None and report.failure.stage is Stage.MODEL
    assert report.failure.message == (
        "the model 'gpt-nonexistent' does not exist on this server; "
        "it offers: other-model, test-model"
    )


def test_a_model_missing_from_the_list_but_accepted_passes_and_says_so(
    server: OpenAITestServer,
) -> None:
    server.enqueue(ChatScript.text("OK"), ChatScript.text("OK"))  # served whatever the model
    report, _ = run(server.base_url, model="alias-of-test-model")
    assert report.ok
    assert "not in the server's model list" in message(report, Stage.MODEL)


def test_html_error_page(server: OpenAITestServer) -> None:
    server.enqueue(HttpError(502, html="<html><body><h1>502 Bad Gateway</h1></body></html>"))
    report, _ = run(server.base_url)
    assert report.failure is not None and report.failure.stage is Stage.COMPLETION
    assert report.failure.message == "this URL answered with a web page, not an API (HTTP 502)"
    assert verdicts(report)[Stage.STREAMING] is StageStatus.SKIPPED


def test_server_error_is_reported_with_its_words(server: OpenAITestServer) -> None:
    server.enqueue(HttpError(503))
    report, _ = run(server.base_url)
    assert report.failure is not None and report.failure.stage is Stage.COMPLETION
    assert report.failure.message.startswith("the server reported an error (HTTP 503)")


def test_slow_server_times_out_with_a_clear_message(server: OpenAITestServer) -> None:
    server.enqueue(StallBeforeHeaders())
    report, _ = run(server.base_url, timeouts=ConnectionTestTimeouts(connect_s=1.0, read_s=0.3))
    assert report.failure is not None and report.failure.stage is Stage.COMPLETION
    assert report.failure.message == (
        f"the server at 127.0.0.1:{server.port} accepted the connection but did not answer "
        "within 0.3 s"
    )


def test_streaming_failure_is_its_own_stage(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript.text("OK"), HttpError(500))
    report, _ = run(server.base_url)
    assert [r.status for r in report.results] == [StageStatus.PASSED] * 4 + [StageStatus.FAILED]
    assert message(report, Stage.STREAMING).startswith("the server reported an error (HTTP 500)")


def test_cancelling_the_test_closes_its_connection(server: OpenAITestServer) -> None:
    server.enqueue(StallBeforeHeaders())

    async def scenario() -> None:
        task = asyncio.ensure_future(
            run_connection_test(
                Endpoint(server.base_url, api_key=KEY),
                "test-model",
                lambda _: None,
                timeouts=ConnectionTestTimeouts(connect_s=5.0, read_s=30.0),
            )
        )
        assert await asyncio.to_thread(server.wait_for_requests, 2, 10.0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The stalled request's connection is gone: the server saw the client leave.
        assert await asyncio.to_thread(server.wait_for_disconnect, 10.0)

    asyncio.run(scenario())


def test_fetch_models_lists_what_the_server_offers(server: OpenAITestServer) -> None:
    models = asyncio.run(fetch_models(Endpoint(server.base_url, api_key=KEY), timeouts=FAST))
    assert models == ["other-model", "test-model"]


def test_fetch_models_explains_a_rejected_key(server: OpenAITestServer) -> None:
    with pytest.raises(ModelListError, match=r"the API key was rejected \(HTTP 401\)"):
        asyncio.run(
            fetch_models(Endpoint(server.base_url, api_key="sk-bad-0000000"), timeouts=FAST)
        )
