"""`python -m zlay_desktop` and the `zlay-desktop` launcher: the app, or its `--smoke`
self-test. The only module that knows both: the self-test drives the app through its
public API (`zlay_desktop.app.run`), and the app knows nothing of the self-test."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from zlay_desktop.app import parse_args, run

    options = parse_args(sys.argv[1:] if argv is None else argv)
    if options.smoke:
        from zlay_desktop.smoke import run_smoke

        return run(options, drive=run_smoke)
    return run(options)


if __name__ == "__main__":
    sys.exit(main())
