"""Style sheets shared by several widgets, apart from any widget so that using one imports
nothing else (the conversation panel, built right after the first paint, must not pull in
the Settings dialog and the SDK it tests connections with)."""

from __future__ import annotations

# An inline error under a field: readable in light and dark palettes.
ERROR_STYLE = "color: palette(highlighted-text); background: #b3261e; padding: 2px 4px;"
