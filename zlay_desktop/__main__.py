"""`python -m zlay_desktop` and the `zlay-desktop` launcher."""

from __future__ import annotations

import sys


def main() -> int:
    from zlay_desktop.app import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
