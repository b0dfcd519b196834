"""The conversation transcript as a virtualized Qt Quick view, and what it shows."""
