#!/usr/bin/env bash
# Python tools for vendor-side checks, in one venv (${TELEMETRA_VENV:-/tmp/telemetra-venv}):
# Datadog's APM test agent, OpenTelemetry's reference W3C propagator, and the official
# OTLP protobuf bindings (the independent decoder of the OTLP sink's payloads).
set -euo pipefail
venv="${TELEMETRA_VENV:-/tmp/telemetra-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check ddapm-test-agent opentelemetry-api opentelemetry-proto
echo "python: ready in $venv"
