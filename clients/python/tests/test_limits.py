"""The SDK's checks state the limits of the event schemas (schemas/src/main/resources/labjournal/schemas), the
contract the server validates against: a limit changed there and not here fails this test, not a user's run."""

import json
from pathlib import Path

from labjournal import _events, _validate

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas" / "src" / "main" / "resources" / "labjournal" / "schemas"


def schema(name):
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def test_keys_params_tags_and_steps_have_the_limits_of_common_v1():
    defs = schema("common.v1.json")["$defs"]
    assert _validate.MAX_KEY == defs["key"]["maxLength"]
    assert _validate.KEY_PATTERN.pattern == defs["key"]["pattern"]
    assert _validate.MAX_PARAM_VALUE == defs["params"]["additionalProperties"]["maxLength"]
    assert _validate.MAX_TAG_VALUE == defs["tags"]["additionalProperties"]["maxLength"]
    assert _validate.MAX_ENTRIES == defs["params"]["maxProperties"] == defs["tags"]["maxProperties"]
    assert _validate.MAX_STEP == defs["step"]["maximum"]
    assert _validate.TEAM_PATTERN.pattern == defs["team"]["pattern"]
    assert _validate.ID_PATTERN.pattern == defs["project"]["pattern"]


def test_run_ids_and_metric_events_fit_the_envelope_and_run_metrics_v1():
    assert _validate.ID_PATTERN.pattern == schema("envelope.v1.json")["properties"]["subject"]["pattern"]
    metrics = schema("run.metrics.v1.json")
    max_items = [v["maxItems"] for v in _walk(metrics) if isinstance(v, dict) and "maxItems" in v]
    assert max_items and _events.MAX_POINTS_PER_EVENT <= min(max_items)


def _walk(node):
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        yield from _walk(child)
