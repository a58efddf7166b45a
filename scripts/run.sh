#!/usr/bin/env bash
# Installs everything, then starts the main job on embedded defaults: HQ on SQLite with the demo
# site, and prints its URL and the demo login.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
DATA=${INSPECT_RUN_DIR:-.run}
export INSPECT_ADMIN_PASSWORD=${INSPECT_ADMIN_PASSWORD:-inspect-demo-admin}
PORT=${HQ_PORT:-8700}
echo "HQ:  http://127.0.0.1:${PORT}/   log in as admin / ${INSPECT_ADMIN_PASSWORD}"
exec .venv/bin/inspect-app serve --data "$DATA/hq" --port "$PORT" --create-admin admin
