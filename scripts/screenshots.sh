#!/bin/sh
# Make the README's app screenshots in docs/screenshots/ (phone and tablet, English and Chinese),
# each checked before it is written; see scripts/screenshots.py.
set -eu
cd "$(dirname "$0")/.."
exec .venv/bin/python scripts/screenshots.py "$@"
