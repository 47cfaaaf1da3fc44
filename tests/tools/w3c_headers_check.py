#!/usr/bin/env python3
"""Checks one JSON object of injected HTTP headers against the OpenTelemetry
reference W3C trace-context propagator (opentelemetry-api) plus the spec's rules.

Usage: w3c_headers_check.py headers.json   (exit 0 = accepted, 1 = rejected)
"""
import json
import logging
import re
import sys

from opentelemetry import trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

logging.getLogger("opentelemetry").setLevel(logging.CRITICAL)
PROPAGATOR = TraceContextTextMapPropagator()
TRACEPARENT_00 = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-(0[0-3])")
STATE_KEY = re.compile(r"[a-z0-9][a-z0-9_\-*/@]{0,255}")
STATE_VALUE = re.compile(r"[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]")


def context(carrier):
    return trace.get_current_span(PROPAGATOR.extract(carrier)).get_span_context()


def problems(headers):
    lower = {k.lower(): v for k, v in headers.items()}
    found = []
    tp = lower.get("traceparent")
    if tp is None:
        return ["no traceparent injected"]
    if not TRACEPARENT_00.fullmatch(tp):
        found.append(f"traceparent {tp!r} is not 00-<32 hex>-<16 hex>-<flags 00..03>")
    if not context({"traceparent": tp}).is_valid:
        found.append(f"traceparent {tp!r} rejected by the reference propagator")
    ts = lower.get("tracestate")
    if ts is not None:
        members = [m.strip() for m in ts.split(",") if m.strip()]
        kept = context({"traceparent": tp, "tracestate": ts}).trace_state
        if members and len(kept) == 0:
            found.append(f"tracestate {ts[:60]!r} discarded by the reference propagator")
        if len(members) > 32:
            found.append("tracestate has more than 32 members")
        for m in members:
            k, sep, v = m.partition("=")
            if not sep or not STATE_KEY.fullmatch(k) or not STATE_VALUE.fullmatch(v):
                found.append(f"tracestate member {m[:40]!r} is malformed")
    xt = lower.get("x-trace-id")
    if xt is not None and not re.fullmatch(r"[0-9a-f]{32}", xt):
        found.append(f"x-trace-id {xt!r} is not 32 lowercase hex")
    return found


def main():
    with open(sys.argv[1]) as f:
        headers = json.load(f)
    found = problems(headers)
    for p in found:
        print(p)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
