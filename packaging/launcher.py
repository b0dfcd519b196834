"""The frozen app's entry point (PyInstaller runs this file as __main__)."""

import sys

from zlay_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
