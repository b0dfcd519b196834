"""Command line and environment: what overrides what, and --help documents it."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from zlay_desktop.app import overrides_from, parse_args
from zlay_desktop.core.logging_setup import RedactingFilter
from zlay_desktop.core.settings import Settings
from zlay_desktop.core.targets import NOT_CONFIGURED, resolve_target


def test_command_line_wins_over_environment() -> None:
    env = {"OPENAI_API_KEY": "sk-env-key-abcdefghijkl", "OPENAI_BASE_URL": "http://env:1/v1"}
    options = parse_args(["--base-url", "http://cli:2/v1", "--model", "m1", "--data-dir", "/tmp/x"], env)
    target = resolve_target(Settings(), None, None, overrides_from(options)).target
    assert target is not None
    assert target.endpoint.base_url == "http://cli:2/v1"
    assert target.endpoint.api_key == "sk-env-key-abcdefghijkl"
    assert target.params.model == "m1"
    assert options.data_dir == Path("/tmp/x")
    assert "sk-env" not in repr(options) and "sk-env" not in repr(target.endpoint)


def test_environment_base_url_is_used_when_no_option() -> None:
    options = parse_args([], {"OPENAI_BASE_URL": "http://env:1/v1"})
    target = resolve_target(Settings(), None, None, overrides_from(options)).target
    assert target is not None and target.endpoint.base_url == "http://env:1/v1"


def test_no_arguments_read_the_environment_as_the_parser_does() -> None:
    env = {"OPENAI_API_KEY": "sk-env-key-abcdefghijkl", "OPENAI_BASE_URL": "http://env:1/v1"}
    without = parse_args([], env)
    parsed = parse_args(["--idle-timeout", "60"], env)._replace(idle_timeout=None)
    assert without == parsed
    assert without.api_key == "sk-env-key-abcdefghijkl" and "sk-env" not in repr(without)


def test_nothing_configured_says_where_to_go() -> None:
    resolution = resolve_target(Settings(), None, None, overrides_from(parse_args([], {})))
    assert resolution.target is None and resolution.problem == NOT_CONFIGURED


def test_help_documents_the_options() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "zlay_desktop", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for word in ("--base-url", "--model", "--data-dir", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        assert word in out


def test_log_records_are_redacted() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1,
        "headers: Authorization: Bearer %s, key %s", ("sk-live-abcdefghijklmnop", "mysecretvalue"), None,
    )
    f = RedactingFilter(["mysecretvalue"])
    assert f.filter(record)
    message = record.getMessage()
    assert "sk-live" not in message and "mysecretvalue" not in message
    assert "[redacted]" in message
