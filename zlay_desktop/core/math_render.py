"""TeX formulas to SVG (with ``ziamath``), cached, bounded, and addressable by a short key.

The Markdown renderer asks :func:`math_key` + :func:`render_math` for a formula's size when
it writes ``<img src="image://math/KEY" ...>``; the view's image provider later resolves KEY
(:func:`resolve_key`) and rasterises the SVG. Nothing here imports Qt.

Model output is untrusted, so a formula never raises into the caller and never runs away:

* longer than :data:`MAX_TEX_CHARS`, or nested deeper than :data:`MAX_NESTING` (ziamath's
  layout time grows about threefold per nesting level), it is refused at once;
* its rendering is stopped after :data:`TIME_LIMIT_S` (a deadline checked on Python calls,
  since ziamath is pure Python and cannot be interrupted otherwise).

A refused or failed formula gives ``None``, which the caller shows as code. Results, failures
included, are cached (LRU, bounded in entries and bytes), so a live tail re-rendered on every
update costs a dictionary lookup per formula.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import threading
import time
import types
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_NESTING",
    "MAX_TEX_CHARS",
    "TIME_LIMIT_S",
    "MathImage",
    "MathSpec",
    "cache_info",
    "clear_cache",
    "math_key",
    "render_key",
    "render_math",
    "resolve_key",
    "warm_up",
]

log = logging.getLogger(__name__)

MAX_TEX_CHARS = 2000
"""Longest formula rendered; a 2,000-character one takes ~1 s in ziamath, so the time limit
usually ends it first."""
MAX_NESTING = 12
"""Deepest ``{`` / ``\\left`` nesting rendered (ziamath's time grows ~3x per level)."""
TIME_LIMIT_S = 0.2
"""Longest time one formula may take; it then shows as code. Typical formulas take 2-30 ms."""

_CACHE_ENTRIES = 2048
_CACHE_BYTES = 32 * 1024 * 1024
_REGISTRY_ENTRIES = 20_000  # keys still resolvable; a spec is a few hundred bytes at most


@dataclass(frozen=True, slots=True)
class MathSpec:
    """What a key stands for: a formula and how to draw it."""

    tex: str
    display: bool
    color: str
    size_px: float


@dataclass(frozen=True, slots=True)
class MathImage:
    """A typeset formula: SVG in pixel units, with its size and the depth of its baseline."""

    svg: bytes
    width: float
    height: float
    baseline: float  # px from the bottom edge up to the baseline (the formula's depth)


class _Timeout(Exception):
    pass


_lock = threading.RLock()  # ziamath keeps global state (fonts, config): one render at a time
_cache: OrderedDict[MathSpec, MathImage | None] = OrderedDict()
_cache_bytes = 0
_registry: OrderedDict[str, MathSpec] = OrderedDict()
_stats = {"hits": 0, "misses": 0}


def math_key(tex: str, *, display: bool, color: str, size_px: float) -> str:
    """A short stable key for a formula and its style, registered so that
    :func:`resolve_key` can give them back (the image provider's URL is ``image://math/KEY``)."""
    spec = MathSpec(tex, display, color, float(size_px))
    digest = hashlib.blake2b(repr(spec).encode("utf-8", "surrogatepass"), digest_size=10)
    key = digest.hexdigest()
    with _lock:
        _registry[key] = spec
        _registry.move_to_end(key)
        while len(_registry) > _REGISTRY_ENTRIES:
            _registry.popitem(last=False)
    return key


def resolve_key(key: str) -> MathSpec | None:
    with _lock:
        spec = _registry.get(key)
        if spec is not None:
            _registry.move_to_end(key)
        return spec


def render_key(key: str) -> MathImage | None:
    """The image for a registered key; None for an unknown key or a formula that failed."""
    spec = resolve_key(key)
    if spec is None:
        return None
    return render_math(spec.tex, display=spec.display, color=spec.color, size_px=spec.size_px)


def render_math(tex: str, *, display: bool, color: str, size_px: float) -> MathImage | None:
    """Typeset ``tex``; None when it is refused (too long, too deep, too slow) or fails to
    parse. Never raises."""
    global _cache_bytes
    spec = MathSpec(tex, display, color, float(size_px))
    with _lock:
        if spec in _cache:
            _cache.move_to_end(spec)
            _stats["hits"] += 1
            return _cache[spec]
        _stats["misses"] += 1
        image = _render(spec)
        _cache[spec] = image
        _cache_bytes += _cost(spec, image)
        while len(_cache) > _CACHE_ENTRIES or _cache_bytes > _CACHE_BYTES:
            old_spec, old_image = _cache.popitem(last=False)
            _cache_bytes -= _cost(old_spec, old_image)
        return image


def cache_info() -> dict[str, int]:
    with _lock:
        return {**_stats, "entries": len(_cache), "bytes": _cache_bytes}


def clear_cache() -> None:
    global _cache_bytes
    with _lock:
        _cache.clear()
        _cache_bytes = 0
        _stats.update(hits=0, misses=0)


def _cost(spec: MathSpec, image: MathImage | None) -> int:
    return len(spec.tex) + (len(image.svg) if image is not None else 0)


def _too_deep(tex: str) -> bool:
    depth = 0
    position = 0
    while position < len(tex):
        char = tex[position]
        if char == "\\":
            if tex.startswith("left", position + 1):
                depth += 1
            elif tex.startswith("right", position + 1):
                depth -= 1
            position += 2  # an escaped brace does not nest
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if depth > MAX_NESTING:
            return True
        position += 1
    return depth > MAX_NESTING


def _render(spec: MathSpec) -> MathImage | None:
    tex = spec.tex.strip()
    if not tex or len(tex) > MAX_TEX_CHARS or _too_deep(tex):
        return None
    try:
        warm_up()
        with _deadline(TIME_LIMIT_S):
            return _typeset(tex, spec)
    except _Timeout:
        log.info("a formula took over %.0f ms to typeset; shown as code", TIME_LIMIT_S * 1000)
        return None
    except RecursionError:
        return None
    except Exception as error:  # noqa: BLE001 - any parse or layout error means "show as code"
        log.debug("formula not typeset: %s: %s", type(error).__name__, error)
        return None


_warm = False


def warm_up() -> None:
    """Import ziamath and load its font (~0.3 s, once) outside any formula's time limit; an
    app may call it early on a worker thread so that the first formula shown costs less."""
    global _warm
    with _lock:
        if _warm:
            return
        _warm = True
        try:
            _typeset("x", MathSpec("x", False, "#000000", 16.0))
        except Exception:  # a missing font or package: every formula then shows as code
            log.warning("the math renderer could not start", exc_info=True)


def _typeset(tex: str, spec: MathSpec) -> MathImage:
    import xml.etree.ElementTree as ET

    from ziamath.config import config
    from ziamath.tex import tex2mml
    from ziamath.zmath import Math

    # QtSvg implements SVG Tiny 1.2: glyphs reused through xlink:href, not SVG 2's href.
    config.svg2 = False
    mathml = ET.fromstring(tex2mml(tex, inline=not spec.display))
    mathml.attrib["mathcolor"] = spec.color
    # ziamath.Math, not ziamath.Latex: Latex turns \tag into an equation number laid out
    # on a 6.5-inch column.
    math = Math(mathml, size=spec.size_px)
    svg = math.svg().encode("utf-8")
    margin = float(math.margin)
    width, height = math.getsize()
    depth = -float(math.getyofst())
    return MathImage(
        svg=svg,
        width=float(width) + 2 * margin,
        height=float(height) + 2 * margin,
        baseline=depth + margin,
    )


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _Timeout in this thread once ``seconds`` have passed, checked on Python calls.

    sys.monitoring (3.12+) costs ~15% on ziamath; sys.setprofile (3.11) ~80%.
    """
    end = time.perf_counter() + seconds
    thread = threading.get_ident()
    calls = 0

    def check() -> None:
        nonlocal calls
        calls += 1
        if calls & 127 == 0 and time.perf_counter() > end:
            raise _Timeout

    monitoring: Any = getattr(sys, "monitoring", None)
    tool = _monitoring_tool(monitoring)
    if tool is None:
        yield from _with_profile(check)
        return

    def on_start(_code: types.CodeType, _offset: int) -> None:
        # Events are process-wide: only the rendering thread is stopped.
        if threading.get_ident() == thread:
            check()

    monitoring.register_callback(tool, monitoring.events.PY_START, on_start)
    monitoring.set_events(tool, monitoring.events.PY_START)
    try:
        yield
    finally:
        monitoring.set_events(tool, 0)
        monitoring.register_callback(tool, monitoring.events.PY_START, None)


def _with_profile(check: Callable[[], None]) -> Iterator[None]:
    previous = sys.getprofile()

    def profile(_frame: types.FrameType, event: str, _arg: object) -> None:
        if event == "call":
            check()

    sys.setprofile(profile)
    try:
        yield
    finally:
        sys.setprofile(previous)


_tool_id: int | None = None


def _monitoring_tool(monitoring: Any) -> int | None:
    """A sys.monitoring tool id of our own, claimed once; None where there is none."""
    global _tool_id
    if monitoring is None:
        return None
    if _tool_id is None:
        for candidate in (3, 4):  # 0-2 and 5 are the debugger, coverage, profiler, optimizer
            if monitoring.get_tool(candidate) is None:
                monitoring.use_tool_id(candidate, "zlay-math-deadline")
                _tool_id = candidate
                break
    return _tool_id
