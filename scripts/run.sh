#!/usr/bin/env bash
# Installs everything, then starts the main job on embedded defaults: HQ on SQLite with the demo
# plant, and the inspection app in web mode enrolled to it; prints both URLs and demo logins.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
DATA=${INSPECT_RUN_DIR:-.run}
HQ_PORT=${HQ_PORT:-8700}
APP_PORT=${APP_PORT:-8550}
export INSPECT_ADMIN_PASSWORD=${INSPECT_ADMIN_PASSWORD:-inspect-demo-admin}
CLI=.venv/bin/inspect-app

mkdir -p "$DATA"
"$CLI" serve --demo --data "$DATA/hq" --port "$HQ_PORT" --create-admin admin > "$DATA/hq.log" 2>&1 &
HQ_PID=$!
trap 'kill $HQ_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$HQ_PORT/healthz" > /dev/null 2>&1 && break
  kill -0 $HQ_PID 2>/dev/null || { cat "$DATA/hq.log"; exit 1; }
  sleep 0.5
done
INSPECT_ADMIN_PASSWORD=wang-demo-pass "$CLI" admin --data "$DATA/hq" create-user wang \
  --person p-wang > /dev/null
enrol() {  # enrol() DEVICE_DIR PERSON: once per device directory
  if [ ! -f "$DATA/$1/store/meta.json" ] || ! grep -q '"token"' "$DATA/$1/store/meta.json"; then
    CODE=$("$CLI" admin --data "$DATA/hq" make-code "$2" | cut -d' ' -f1)
    "$CLI" enroll "http://127.0.0.1:$HQ_PORT" "$CODE" --data "$DATA/$1"
  fi
}
enrol device p-li
enrol head-device p-wang
HEAD_PORT=$((APP_PORT + 1))
"$CLI" run --web --port "$HEAD_PORT" --data "$DATA/head-device" > "$DATA/head-app.log" 2>&1 &
HEAD_PID=$!
trap 'kill $HQ_PID $HEAD_PID 2>/dev/null || true' EXIT
cat <<MSG

  HQ:   http://127.0.0.1:$HQ_PORT/     HQ admin: admin / $INSPECT_ADMIN_PASSWORD
                                         workshop head 王建国: wang / wang-demo-pass
  App:  http://127.0.0.1:$APP_PORT/     a phone enrolled for inspector 李明 (p-li)
  App:  http://127.0.0.1:$HEAD_PORT/     a tablet enrolled for workshop head 王建国 (p-wang)

  Walk an inspection as 李明: the submitted inspection and its hazards reach HQ at once and the
  head's app within a minute (or press Sync now), where he assigns the five fixes.

MSG
"$CLI" run --web --port "$APP_PORT" --data "$DATA/device"
