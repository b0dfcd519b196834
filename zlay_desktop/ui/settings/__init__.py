"""Settings: profiles, API keys, the connection test, and the first-run choices."""

from zlay_desktop.ui.settings.dialog import SettingsDialog

__all__ = ["SettingsDialog"]
