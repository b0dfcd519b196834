"""End-to-end checks that run the real app in its own process."""
