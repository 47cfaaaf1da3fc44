#!/usr/bin/env bash
# Installs the vendor-side checkers used by the Datadog, DogStatsD and GCP sink tests:
#   * a Python venv with Datadog's and Google's published client models
#     (datadog-api-client, google-cloud-monitoring) at ${TELEMETRA_VENV:-/tmp/telemetra-venv}
#   * Etsy StatsD 0.9.0 (npm) at ${TELEMETRA_NODE_DIR:-/tmp/telemetra-node}
# Idempotent: re-running only installs what is missing. Usable by CI as root or a user.
# Needs python3 (with venv) and node/npm on PATH; the tests skip whatever is absent.
set -euo pipefail

VENV="${TELEMETRA_VENV:-/tmp/telemetra-venv}"
NODE_DIR="${TELEMETRA_NODE_DIR:-/tmp/telemetra-node}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  echo "creating venv $VENV"
  "$PYTHON" -m venv "$VENV"
fi
if "$VENV/bin/python" -c 'import datadog_api_client, google.cloud.monitoring_v3' 2>/dev/null; then
  echo "python packages already present in $VENV"
else
  "$VENV/bin/pip" install --quiet datadog-api-client google-cloud-monitoring
fi

if command -v npm >/dev/null 2>&1; then
  if [ -f "$NODE_DIR/node_modules/statsd/stats.js" ] &&
     grep -q '"version": "0.9.0"' "$NODE_DIR/node_modules/statsd/package.json"; then
    echo "statsd@0.9.0 already present in $NODE_DIR"
  else
    mkdir -p "$NODE_DIR"
    (cd "$NODE_DIR" && { [ -f package.json ] || npm init -y >/dev/null; } &&
      npm install --no-audit --no-fund --silent statsd@0.9.0)
  fi
else
  echo "npm not found: skipping statsd (the DogStatsD daemon test will be skipped)" >&2
fi
echo "vendors ready: TELEMETRA_VENV=$VENV TELEMETRA_NODE_DIR=$NODE_DIR"
