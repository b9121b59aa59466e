"""Run events as the SDK queues and spools them (records), and as CloudEvents on the wire.

A record is {"project": ..., "event": {...}}: the CloudEvent without `tenant` and `source`, which are filled in when
it is sent, because the tenant comes from the server (client-config) and a run may start while it is unreachable.
The event id is a uuid4 made once, when the record is made: every retry, spool and sync sends the same id, and the
server keeps one copy per id."""

import datetime
import json
import time
import uuid

TYPE_PREFIX = "dev.labjournal.run."
METRICS = TYPE_PREFIX + "metrics.v1"
MAX_POINTS_PER_EVENT = 1000


_last_now = (None, None)


def now():
    """The current time in RFC 3339, UTC, milliseconds: 2025-01-31T14:03:22.481Z. The text of the last millisecond is
    kept: a training loop logging many times a millisecond formats it once (log calls are the SDK's hot path)."""
    global _last_now
    ms = time.time_ns() // 1_000_000
    cached_ms, text = _last_now
    if ms != cached_ms:
        moment = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
        text = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        _last_now = (ms, text)
    return text


def record(run_id, project, kind, data, time=None):
    """A record of event type dev.labjournal.run.<kind>.v1."""
    return {
        "project": project,
        "event": {
            "specversion": "1.0",
            "id": str(uuid.uuid4()),
            "type": f"{TYPE_PREFIX}{kind}.v1",
            "subject": run_id,
            "time": time or now(),
            "datacontenttype": "application/json",
            "data": data,
        },
    }


def metrics_records(run_id, project, points):
    """Records of at most MAX_POINTS_PER_EVENT points each, in the order given."""
    return [
        record(run_id, project, "metrics", {"metrics": points[i:i + MAX_POINTS_PER_EVENT]})
        for i in range(0, len(points), MAX_POINTS_PER_EVENT)
    ]


def is_metrics(rec):
    return rec["event"]["type"] == METRICS


def point_count(rec):
    return len(rec["event"]["data"]["metrics"]) if is_metrics(rec) else 0


def cloud_event(rec, tenant):
    """The CloudEvent of a record for a tenant."""
    event = dict(rec["event"])
    event["tenant"] = tenant
    event["source"] = f"/tenants/{tenant}/projects/{rec['project']}"
    return event


# ---- JSON text -----------------------------------------------------------------------------------------------------
# What json.dumps(..., allow_nan=False) writes, made faster for metric points: the sender encodes every point once, and
# it holds the interpreter (the training thread's GIL) while it does. A point's text is built by formatting, with the
# conversions json.dumps itself uses (int.__repr__, float.__repr__, and its string encoder for keys, cached per key);
# tests/test_events.py proves the text equal to json.dumps's. Values are what _validate.metric_value returns: an int,
# a finite float, or one of the strings "NaN", "Infinity", "-Infinity" (the run.metrics schema's spelling of the
# IEEE 754 values JSON cannot write). A time is _events.now()'s text, digits and "-:.TZ", which JSON writes as it is.

_FLOAT = float.__repr__
_INT = int.__repr__
_NON_FINITE = {v: json.dumps(v) for v in ("NaN", "Infinity", "-Infinity")}
_KEY_TEXT = {}
MAX_CACHED_KEYS = 100000


def _key_text(key):
    text = _KEY_TEXT.get(key)
    if text is None:
        text = json.dumps(key)
        if len(_KEY_TEXT) < MAX_CACHED_KEYS:
            _KEY_TEXT[key] = text
    return text


def _value_text(value):
    kind = type(value)
    if kind is float:
        return _FLOAT(value)
    if kind is str:
        return _NON_FINITE[value]
    return _INT(value)


def points_json(points):
    """The JSON text of a list of point tuples: json.dumps of the list of their dicts {"key", "value", "step",
    "time"}, keys in that order."""
    keys = _KEY_TEXT
    floats = _FLOAT
    return "[" + ", ".join([
        f'{{"key": {keys.get(k) or _key_text(k)}, "value": {floats(v) if type(v) is float else _value_text(v)},'
        f' "step": {_INT(s)}, "time": "{t}"}}'
        for k, v, s, t in points]) + "]"


def event_json(event):
    """The JSON text of an event, as json.dumps writes it except that a metrics event's `data` comes last."""
    points = event["data"].get("metrics") if event["type"] == METRICS else None
    if not points or type(points[0]) is not tuple:
        return json.dumps(event, allow_nan=False)
    head = json.dumps({k: v for k, v in event.items() if k != "data"}, allow_nan=False)
    rest = {k: v for k, v in event["data"].items() if k != "metrics"}
    data = json.dumps(rest, allow_nan=False)[:-1] + ", " if rest else "{"
    return f'{head[:-1]}, "data": {data}"metrics": {points_json(points)}}}}}'


def record_json(rec):
    """The JSON text of a record: one line of the spool."""
    return f'{{"project": {json.dumps(rec["project"])}, "event": {event_json(rec["event"])}}}'
