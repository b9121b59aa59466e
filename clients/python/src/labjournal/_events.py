"""Run events as the SDK queues and spools them (records), and as CloudEvents on the wire.

A record is {"project": ..., "event": {...}}: the CloudEvent without `tenant` and `source`, which are filled in when
it is sent, because the tenant comes from the server (client-config) and a run may start while it is unreachable.
The event id is a uuid4 made once, when the record is made: every retry, spool and sync sends the same id, and the
server keeps one copy per id."""

import datetime
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
