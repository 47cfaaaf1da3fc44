#!/usr/bin/env python3
"""Checks Datadog metrics API v2 request bodies (POST /api/v2/series) with Datadog's
own published model (PyPI `datadog-api-client`).

    python dd_check.py [--encoding deflate|gzip] [--check-time] BODY...

For every body: the size limits of the API (<= 512000 bytes as sent, < 5242880 bytes
decompressed), then a strict walk of the JSON against the model metadata of
`datadog_api_client.v2.model.metric_payload.MetricPayload` (unknown keys, missing
required keys, JSON types, enum values), then the client's own deserialisation into a
`MetricPayload` with type checking on (its lenient nodes, `_unparsed`, are errors),
then the documented rules the schema cannot express (metric name grammar and length,
count series carry an interval, at least one point, timestamps within [-1h, +10min]
with --check-time). Exit 0 when every body passes, 1 otherwise (problems printed),
3 when the client is not installed (callers treat that as "skip").
"""
import argparse
import gzip
import inspect
import json
import re
import sys
import time
import zlib

try:
    from datadog_api_client import Configuration
    from datadog_api_client.model_utils import (
        ModelSimple, OpenApiModel, UnparsedObject, deserialize_model, none_type,
    )
    from datadog_api_client.v2.model.metric_payload import MetricPayload
    from datadog_api_client.v2.model.metric_content_encoding import MetricContentEncoding
except ImportError as e:  # pragma: no cover
    print(f"datadog-api-client not installed: {e}")
    sys.exit(3)

MAX_SENT, MAX_RAW = 512000, 5242880
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.]{0,199}")
TAG = re.compile(r"[^\W\d_][\w\-:./]*", re.UNICODE)


def required(cls):
    sig = inspect.signature(cls.__init__)
    return [n for n, p in sig.parameters.items()
            if n not in ("self", "self_", "args", "kwargs") and p.default is inspect.Parameter.empty
            and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]


def walk(v, types, path, errs):
    for t in types:
        if isinstance(t, list):
            if isinstance(v, list):
                for i, item in enumerate(v):
                    walk(item, (t[0],), f"{path}[{i}]", errs)
                return
            continue
        if isinstance(t, type) and issubclass(t, OpenApiModel):
            model(v, t, path, errs)
            return
        if t is none_type and v is None:
            return
        if t is bool and isinstance(v, bool):
            return
        if not isinstance(v, bool):
            if t is int and isinstance(v, int):
                return
            if t is float and isinstance(v, (int, float)):
                return
        if t is str and isinstance(v, str):
            return
    errs.append(f"{path}: {v!r} is not of type {types}")


def model(v, cls, path, errs):
    if issubclass(cls, ModelSimple):
        walk(v, cls.openapi_types["value"], path, errs)
        allowed = getattr(cls, "allowed_values", None)
        if allowed and v not in allowed:
            errs.append(f"{path}: {v!r} not one of {sorted(allowed, key=str)}")
        return
    if not isinstance(v, dict):
        errs.append(f"{path}: expected an object for {cls.__name__}")
        return
    to_py = {j: p for p, j in cls.attribute_map.items()}
    for k in v:
        if k not in to_py:
            errs.append(f"{path}: unknown field {k!r} in {cls.__name__}")
    for r in required(cls):
        if cls.attribute_map[r] not in v:
            errs.append(f"{path}: missing required {cls.attribute_map[r]!r}")
    for k, val in v.items():
        if k in to_py:
            walk(val, cls.openapi_types[to_py[k]], f"{path}.{k}", errs)


def unparsed(o, path="body"):
    if isinstance(o, UnparsedObject):
        return [f"{path}: the client could not parse this node"]
    out = []
    if isinstance(o, OpenApiModel):
        if getattr(o, "_unparsed", False) and not any(
                isinstance(x, (OpenApiModel, list)) for x in o._data_store.values()):
            out.append(f"{path}: the client marked this node unparsed")
        for k, x in o._data_store.items():
            out += unparsed(x, f"{path}.{k}")
    elif isinstance(o, list):
        for i, x in enumerate(o):
            out += unparsed(x, f"{path}[{i}]")
    return out


def rules(body, check_time, errs):
    now = time.time()
    for i, s in enumerate(body.get("series", [])):
        if not isinstance(s, dict):
            continue
        p = f"series[{i}]"
        m = s.get("metric", "")
        if not isinstance(m, str) or not NAME.fullmatch(m):
            errs.append(f"{p}.metric: {m!r} breaks the name rules (letter first, [A-Za-z0-9_.], <= 200)")
        if s.get("type") in (1, 2) and not isinstance(s.get("interval"), int):
            errs.append(f"{p}: count/rate without an integer interval")
        if s.get("type") in (1, 2) and isinstance(s.get("interval"), int) and s["interval"] <= 0:
            errs.append(f"{p}: interval must be positive")
        if not s.get("points"):
            errs.append(f"{p}.points: empty")
        for t in s.get("tags") or []:
            if isinstance(t, str) and (len(t) > 200 or not TAG.fullmatch(t)):
                errs.append(f"{p}.tags: {t!r} breaks the tag rules")
        for j, pt in enumerate(s.get("points") or []):
            ts = pt.get("timestamp") if isinstance(pt, dict) else None
            if check_time and isinstance(ts, int) and not (now - 3600 <= ts <= now + 600):
                errs.append(f"{p}.points[{j}].timestamp {ts} outside [now-1h, now+10min]")


def check(raw, encoding, check_time):
    errs = []
    if len(raw) > MAX_SENT:
        errs.append(f"{len(raw)} bytes as sent; limit {MAX_SENT}")
    if encoding:
        if encoding not in MetricContentEncoding.allowed_values:
            return errs + [f"Content-Encoding {encoding!r} unknown to the client"]
        raw = zlib.decompress(raw) if encoding == "deflate" else gzip.decompress(raw)
    if len(raw) >= MAX_RAW:
        errs.append(f"{len(raw)} bytes decompressed; limit < {MAX_RAW}")
    try:
        body = json.loads(raw)
    except ValueError as e:
        return errs + [f"not JSON: {e}"]
    model(body, MetricPayload, "body", errs)
    if isinstance(body, dict):
        rules(body, check_time, errs)
    try:
        payload = deserialize_model(body, MetricPayload, ["body"], True, Configuration(), True)
        errs += unparsed(payload)
        if not isinstance(payload, MetricPayload):
            errs.append("body did not deserialise into a MetricPayload")
    except Exception as e:  # noqa: BLE001
        errs.append(f"the client rejected the body: {type(e).__name__}: {e}")
    return errs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--encoding")
    ap.add_argument("--check-time", action="store_true")
    a = ap.parse_args()
    bad = 0
    for f in a.files:
        with open(f, "rb") as fh:
            errs = check(fh.read(), a.encoding, a.check_time)
        for e in errs:
            print(f"{f}: {e}")
        bad += bool(errs)
    print(f"{len(a.files) - bad}/{len(a.files)} bodies valid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
