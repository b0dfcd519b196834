"""Zlay Desktop: a native desktop chat client for OpenAI-compatible APIs."""

__version__ = "0.1.0"
APP_NAME = "Zlay Desktop"
APP_ID = "zlay-desktop"
