"""``python -m inspect_app``: the same as the ``inspect-app`` command."""

import sys

from inspect_app.cli import main

sys.exit(main())
