"""Benchmarks of the streaming path: they print figures and write bench/results/*.json.

Run them all with ``.venv/bin/python bench/run_all.py`` (see bench/README.md).
"""
