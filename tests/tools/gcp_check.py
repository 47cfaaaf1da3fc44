#!/usr/bin/env python3
"""Checks Cloud Monitoring `projects.timeSeries.create` request bodies with Google's own
published message types (PyPI `google-cloud-monitoring`).

    python gcp_check.py [--check-time] BODY.json...

Each body is parsed with `google.protobuf.json_format.ParseDict` into
`google.monitoring.v3.CreateTimeSeriesRequest` (unknown fields, JSON types, enum names,
RFC 3339 timestamps and int64 strings are checked by protobuf), then checked against
the documented rules the message cannot express: <= 200 series, one point per series,
no duplicate series, user-defined metric prefix, GAUGE/CUMULATIVE only, GAUGE start =
end, CUMULATIVE start < end, value field matches valueType, label keys
`[a-zA-Z][a-zA-Z0-9_]*` <= 100, values <= 1024, <= 30 labels, resource labels of
`global`, distribution arithmetic (sum(bucketCounts) = count, len <= bounds + 1,
increasing bounds, <= 200 buckets). Exit 0 when all pass, 1 otherwise, 3 when the
package is not installed (callers treat that as "skip").
"""
import argparse
import datetime as dt
import json
import re
import sys

try:
    from google.cloud import monitoring_v3
    from google.protobuf import json_format
except ImportError as e:  # pragma: no cover
    print(f"google-cloud-monitoring not installed: {e}")
    sys.exit(3)

KEY = re.compile(r"[a-zA-Z][a-zA-Z0-9_]{0,99}")
PREFIXES = ("custom.googleapis.com/", "workload.googleapis.com/", "external.googleapis.com/")
FIELD = {"DOUBLE": "doubleValue", "INT64": "int64Value", "DISTRIBUTION": "distributionValue",
         "BOOL": "boolValue"}


def parse_time(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00")) if isinstance(s, str) else None


def rules(body, check_time, errs):
    series = body.get("timeSeries") or []
    if not series:
        errs.append("timeSeries: empty")
    if len(series) > 200:
        errs.append(f"{len(series)} series; at most 200 per request")
    seen = set()
    now = dt.datetime.now(dt.timezone.utc)
    for i, ts in enumerate(series):
        p = f"timeSeries[{i}]"
        metric, res = ts.get("metric", {}), ts.get("resource", {})
        if not metric.get("type", "").startswith(PREFIXES):
            errs.append(f"{p}.metric.type: not user-defined")
        labels = metric.get("labels", {})
        if len(labels) > 30:
            errs.append(f"{p}: {len(labels)} labels > 30")
        for k, v in labels.items():
            if not KEY.fullmatch(k):
                errs.append(f"{p}: label key {k!r}")
            if len(v) > 1024:
                errs.append(f"{p}: label {k} longer than 1024")
        if res.get("type") == "global" and set(res.get("labels", {})) != {"project_id"}:
            errs.append(f"{p}.resource: global needs exactly project_id")
        key = json.dumps([metric, res], sort_keys=True)
        if key in seen:
            errs.append(f"{p}: duplicate series in one request")
        seen.add(key)
        kind = ts.get("metricKind")
        if kind not in ("GAUGE", "CUMULATIVE"):
            errs.append(f"{p}.metricKind {kind!r}")
        pts = ts.get("points") or []
        if len(pts) != 1:
            errs.append(f"{p}: {len(pts)} points; exactly one")
            continue
        iv, val = pts[0].get("interval", {}), pts[0].get("value", {})
        start, end = parse_time(iv.get("startTime")), parse_time(iv.get("endTime"))
        if end is None:
            errs.append(f"{p}: no endTime")
        elif check_time and not (now - dt.timedelta(hours=25) <= end <= now + dt.timedelta(minutes=5)):
            errs.append(f"{p}: endTime outside [now-25h, now+5min]")
        if kind == "GAUGE" and start is not None and start != end:
            errs.append(f"{p}: GAUGE start != end")
        if kind == "CUMULATIVE" and (start is None or end is None or not start < end):
            errs.append(f"{p}: CUMULATIVE needs start < end")
        if list(val) != [FIELD.get(ts.get("valueType"), "?")]:
            errs.append(f"{p}: value {sorted(val)} vs valueType {ts.get('valueType')}")
        d = val.get("distributionValue")
        if d is not None:
            counts = [int(c) for c in d.get("bucketCounts", [])]
            bounds = d.get("bucketOptions", {}).get("explicitBuckets", {}).get("bounds", [])
            if sum(counts) != int(d.get("count", 0)):
                errs.append(f"{p}: sum(bucketCounts) {sum(counts)} != count {d.get('count')}")
            if not bounds or any(a >= b for a, b in zip(bounds, bounds[1:])):
                errs.append(f"{p}: bounds missing or not increasing")
            if len(counts) > len(bounds) + 1 or len(bounds) + 1 > 200:
                errs.append(f"{p}: bucket count")
            if d.get("sumOfSquaredDeviation", 0) < 0:
                errs.append(f"{p}: negative sumOfSquaredDeviation")


def check(raw, check_time):
    errs = []
    try:
        body = json.loads(raw)
    except ValueError as e:
        return [f"not JSON: {e}"]
    try:
        req = json_format.ParseDict(dict(body, name="projects/p"),
                                    monitoring_v3.CreateTimeSeriesRequest.pb()())
        if len(req.time_series) != len(body.get("timeSeries", [])):
            errs.append("protobuf saw a different number of series")
    except json_format.ParseError as e:
        errs.append(f"protobuf rejected the body: {e}")
    if isinstance(body, dict):
        rules(body, check_time, errs)
    return errs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--check-time", action="store_true")
    a = ap.parse_args()
    bad = 0
    for f in a.files:
        with open(f, "rb") as fh:
            errs = check(fh.read(), a.check_time)
        for e in errs:
            print(f"{f}: {e}")
        bad += bool(errs)
    print(f"{len(a.files) - bad}/{len(a.files)} bodies valid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
