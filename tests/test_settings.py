"""Provider profiles, presets, validation and the settings file."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from zlay_desktop.core.models import ChatParams
from zlay_desktop.core.settings import (
    PRESETS,
    ProfileForm,
    ProviderProfile,
    Settings,
    SettingsError,
    SettingsFile,
    preset_named,
    proxy_with_password,
    split_proxy_password,
)

SECRET = "sk-test-settings-0123456789SECRET"


def profile(**changes: object) -> ProviderProfile:
    base = ProviderProfile(
        id="p1", name="Local", base_url="http://localhost:11434/v1", model="llama3"
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_presets_fill_base_urls_and_local_ones_need_no_key() -> None:
    urls = {p.name: p.base_url for p in PRESETS}
    assert urls["OpenAI"] == "https://api.openai.com/v1"
    assert urls["Ollama"] == "http://localhost:11434/v1"
    assert urls["LM Studio"] == "http://localhost:1234/v1"
    assert urls["llama.cpp server"] == "http://localhost:8080/v1"
    assert urls["vLLM"] == "http://localhost:8000/v1"
    assert urls["OpenRouter"] == "https://openrouter.ai/api/v1"
    assert urls["Groq"] == "https://api.groq.com/openai/v1"
    assert urls["DeepSeek"] == "https://api.deepseek.com/v1"
    assert urls["Mistral"] == "https://api.mistral.ai/v1"
    assert "Custom" in urls
    local = {p.name for p in PRESETS if not p.needs_key}
    assert local == {"Ollama", "LM Studio", "llama.cpp server", "vLLM"}
    made = preset_named("Ollama").new_profile()
    assert (made.base_url, made.needs_key, made.name) == (
        "http://localhost:11434/v1",
        False,
        "Ollama",
    )
    assert made.id != preset_named("Ollama").new_profile().id


def test_form_errors_are_all_reported_at_once_per_field() -> None:
    form = ProfileForm(
        name=" ",
        base_url="localhost:11434",
        model="m",
        temperature="3",
        max_tokens="-5",
        proxy="ftp://proxy",
    )
    parsed = form.parse("p1")
    assert parsed.profile is None
    messages = {e.field: e.message for e in parsed.errors}
    assert set(messages) == {"name", "base_url", "temperature", "max_tokens", "proxy"}
    assert "http://" in messages["base_url"]
    assert "between 0 and 2" in messages["temperature"]
    assert "positive whole number" in messages["max_tokens"]


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("base_url", "http:///v1", "needs a host"),
        ("base_url", "https://api.example.com:99999/v1", "port"),
        ("temperature", "warm", "must be a number"),
        ("max_tokens", "1.5", "positive whole number"),
        ("max_tokens", "0", "positive whole number"),
    ],
)
def test_single_field_errors(field: str, text: str, expected: str) -> None:
    values = {"name": "n", "base_url": "http://localhost:1234/v1", "model": "m", field: text}
    parsed = ProfileForm(**values).parse("p1")  # type: ignore[arg-type]
    assert [(e.field, expected in e.message) for e in parsed.errors] == [(field, True)]


def test_empty_optional_fields_mean_server_defaults() -> None:
    parsed = ProfileForm(
        name="Ollama", base_url="http://localhost:11434/v1/", model="llama3", temperature="0,7"
    ).parse("p1")
    assert parsed.profile is not None
    assert parsed.profile.base_url == "http://localhost:11434/v1"
    assert parsed.profile.temperature == pytest.approx(0.7)
    assert parsed.profile.max_tokens is None
    assert parsed.profile.proxy is None  # the system proxy environment applies


def test_proxy_password_is_split_off_and_given_back_only_to_the_endpoint() -> None:
    parsed = ProfileForm(
        name="n",
        base_url="https://api.example.com/v1",
        model="m",
        proxy="http://alice:p%40ss@proxy.local:3128",
    ).parse("p1")
    assert parsed.profile is not None
    assert parsed.profile.proxy == "http://alice@proxy.local:3128"
    assert parsed.proxy_password == "p@ss"
    assert "p@ss" not in repr(parsed)
    endpoint = parsed.profile.endpoint("key", proxy_password="p@ss")
    assert endpoint.proxy == "http://alice:p%40ss@proxy.local:3128"
    assert "p%40ss" not in repr(endpoint) and "key" not in repr(endpoint)
    assert split_proxy_password("http://proxy:3128") == ("http://proxy:3128", None)
    assert proxy_with_password(None, "x") is None


def test_endpoint_and_chat_params_come_from_the_profile() -> None:
    p = profile(temperature=0.2, max_tokens=64, system_prompt="Be brief.", base_url="http://h/v1/")
    endpoint = p.endpoint(SECRET, idle_timeout_s=30)
    assert (endpoint.base_url, endpoint.api_key, endpoint.proxy) == ("http://h/v1", SECRET, None)
    assert endpoint.idle_timeout_s == 30
    assert p.chat_params() == ChatParams(
        model="llama3", temperature=0.2, max_tokens=64, system_prompt="Be brief."
    )


def test_settings_round_trip_and_never_contain_a_key(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    file = SettingsFile(path)
    assert file.load().settings == Settings()  # first run: no file, no problem
    assert file.load().problem is None

    p = profile(proxy=f"http://bob:{SECRET}@proxy.local:3128", temperature=1.0, max_tokens=10)
    settings = Settings(
        profiles=(p, profile(id="p2", name="Other")),
        active_profile_id="p2",
        ui={"geometry": "abc", "splitter": [1, 2]},
        idle_timeout_s=45.0,
    )
    file.save(settings)
    loaded = file.load()
    assert loaded.problem is None
    assert loaded.settings.active_profile_id == "p2"
    assert loaded.settings.ui == {"geometry": "abc", "splitter": [1, 2]}
    assert loaded.settings.profile("p1") == profile(
        proxy="http://bob@proxy.local:3128", temperature=1.0, max_tokens=10
    )
    assert SECRET not in path.read_text(encoding="utf-8")
    assert [f.name for f in path.parent.iterdir()] == ["settings.json"]  # no temp file left


def test_save_replaces_the_file_atomically(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    file = SettingsFile(path)
    file.save(Settings(profiles=(profile(),)))
    before = path.stat().st_ino
    file.save(Settings(profiles=(profile(name="Renamed"),)))
    # A new file was renamed over the old one: readers see the old or the new, never half.
    assert path.stat().st_ino != before
    assert file.load().settings.profiles[0].name == "Renamed"


def test_a_save_that_fails_midway_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    file = SettingsFile(path)
    file.save(Settings(profiles=(profile(),)))
    original = path.read_bytes()

    def failing_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(SettingsError, match="No space left"):
        file.save(Settings())
    assert path.read_bytes() == original
    assert [f.name for f in tmp_path.iterdir()] == ["settings.json"]


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe garbage",
        b"[]",
        json.dumps({"profiles": [{"id": "x", "temperature": "hot"}]}).encode(),
        json.dumps({"profiles": [{"name": "no id"}]}).encode(),
        json.dumps({"version": 99}).encode(),
    ],
)
def test_a_broken_file_is_kept_aside_and_defaults_are_used(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    result = SettingsFile(path).load()
    assert result.settings == Settings()
    assert result.problem is not None
    assert "damaged" in result.problem and "default settings" in result.problem
    kept = [f for f in tmp_path.iterdir() if f.name.startswith("settings.json.broken-")]
    assert len(kept) == 1
    assert kept[0].read_bytes() == content
    assert kept[0].name in result.problem
    assert not path.exists()  # the next save writes a fresh file; the broken one stays aside


def test_two_broken_files_in_the_same_second_are_both_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    for content in (b"{1", b"{2"):
        path.write_bytes(content)
        assert SettingsFile(path).load().problem is not None
    kept = sorted(f.read_bytes() for f in tmp_path.iterdir())
    assert kept == [b"{1", b"{2"]


def test_an_unreadable_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.mkdir()  # a directory where the file should be: reading fails, on any OS, as root too
    result = SettingsFile(path).load()
    assert result.settings == Settings()
    assert result.problem is not None and "could not be read" in result.problem
    assert path.is_dir()


def test_settings_profile_helpers() -> None:
    a, b = profile(id="a", name="A"), profile(id="b", name="B")
    s = Settings().with_profile(a).with_profile(b)
    assert s.active_profile() == a  # nothing chosen yet: the first
    s = Settings(profiles=s.profiles, active_profile_id="b")
    assert s.active_profile() == b
    s = s.with_profile(profile(id="b", name="B2"))
    assert [p.name for p in s.profiles] == ["A", "B2"]
    s = s.without_profile("b")
    assert (s.active_profile_id, [p.id for p in s.profiles]) == (None, ["a"])
    assert Settings().active_profile() is None
