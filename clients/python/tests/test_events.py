"""The SDK's own JSON text of metric points and events is exactly what json.dumps writes."""

import enum
import json
import math
import random
import struct
import sys

from labjournal import _events, _validate


class Level(enum.IntEnum):
    HIGH = 3


def as_dict(point):
    key, value, step, time = point
    return {"key": key, "value": value, "step": step, "time": time}


def hostile_values(rng):
    """Values as log_metrics takes them (before _validate.metric_value): every kind of float, ints, bools, enums."""
    fixed = [0.0, -0.0, 1.0, -1.5, 0.1, 1e16, 1e-7, 5e-324, -5e-324, sys.float_info.max, -sys.float_info.max,
             sys.float_info.min, sys.float_info.epsilon, 2.0 ** 53, 2.0 ** 53 + 2, 123456789.123456789, math.pi,
             math.nan, -math.nan, math.inf, -math.inf, 0, 1, -1, 2 ** 53, -(2 ** 53), 2 ** 53 + 1, 2 ** 63 - 1,
             True, False, Level.HIGH]
    drawn = []
    for _ in range(20000):
        drawn.append(struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0])  # every bit pattern
        drawn.append(rng.uniform(-1e6, 1e6))
        drawn.append(rng.randint(-2 ** 60, 2 ** 60))
    return fixed + drawn


def keys():
    return ["loss", "train/loss", "a.b-c_d", "ünïcödé/λ", "quote\"back\\slash", "tab\tnewline\n", "emoji😀", "x" * 200]


def test_points_json_equals_json_dumps_for_every_kind_of_value():
    rng = random.Random(7)
    time = _events.now()
    points = []
    for i, raw in enumerate(hostile_values(rng)):
        key = keys()[i % len(keys())]
        points.append((key, _validate.metric_value(key, raw), rng.choice([0, i, 2 ** 63 - 1]), time))
    text = _events.points_json(points)
    assert text == json.dumps([as_dict(p) for p in points], allow_nan=False)
    values = [p["value"] for p in json.loads(text)]
    assert {"NaN", "Infinity", "-Infinity"} <= set(v for v in values if isinstance(v, str))


def test_nan_and_infinity_are_written_as_the_schema_spells_them():
    time = _events.now()
    points = [("m", _validate.metric_value("m", v), 0, time) for v in (math.nan, math.inf, -math.inf)]
    assert [p["value"] for p in json.loads(_events.points_json(points))] == ["NaN", "Infinity", "-Infinity"]


def test_a_metrics_event_and_record_decode_as_json_dumps_of_their_dicts():
    points = [("loss", 0.5, 1, _events.now()), ("acc", 1, 2, _events.now())]
    rec = _events.record("run-1", "proj", "metrics", {"metrics": points})
    event = _events.cloud_event(rec, "tenant-a")
    as_dicts = dict(event, data={"metrics": [as_dict(p) for p in points]})
    text = _events.event_json(event)
    assert text == json.dumps({k: v for k, v in as_dicts.items() if k != "data"})[:-1] + ", \"data\": " \
        + json.dumps(as_dicts["data"]) + "}"
    assert json.loads(text) == as_dicts
    line = _events.record_json(rec)
    assert json.loads(line) == {"project": "proj", "event": dict(rec["event"], data=as_dicts["data"])}
    assert '"type": "dev.labjournal.run.metrics.v1"' in line  # what the spool looks for when it drops old points


def test_other_events_and_records_read_from_the_spool_are_json_dumps():
    started = _events.record("run-1", "proj", "started", {"name": "ünï", "params": {"lr": "0.1"}})
    assert _events.event_json(started["event"]) == json.dumps(started["event"])
    spooled = _events.record("run-1", "proj", "metrics", {"metrics": [as_dict(("loss", 0.5, 1, _events.now()))]})
    assert _events.record_json(spooled) == json.dumps(spooled)
