#!/usr/bin/env bash
# Installs everything, then starts the main job on embedded defaults.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec .venv/bin/inspect-app checklists validate checklists/
