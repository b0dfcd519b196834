"""Reliability and security checks: hostile model output, bad input, faults, logs."""
