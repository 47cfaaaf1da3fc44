#!/usr/bin/env bash
# Python tools for vendor-side checks, in one venv (${TELEMETRA_VENV:-/tmp/telemetra-venv}):
# Datadog's APM test agent and OpenTelemetry's reference W3C propagator.
set -euo pipefail
venv="${TELEMETRA_VENV:-/tmp/telemetra-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check ddapm-test-agent opentelemetry-api
echo "python: ready in $venv"
