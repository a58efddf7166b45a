"""``python -m inspect_app``: the same as the ``inspect-app`` command."""

import sys

from inspect_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
