"""Publishes one Lab Journal run over HTTP with the standard library alone: run.started, three loss points and
run.finished, in one batch.

Usage: LABJOURNAL_API_KEY=lj_key_... LABJOURNAL_TENANT=acme python3 publish.py RUN_ID
       (ingest: LABJOURNAL_INGEST_URL, default http://127.0.0.1:8081)
"""
import json
import os
import sys
import urllib.request
from datetime import datetime, timezone

run_id, tenant = sys.argv[1], os.environ["LABJOURNAL_TENANT"]
now = datetime.now(timezone.utc).isoformat()


def event(kind, data):
    """A CloudEvent of the run; its id is stable, so a resend changes nothing."""
    return {"specversion": "1.0", "id": f"{run_id}-{kind}", "source": f"/tenants/{tenant}/projects/demo",
            "type": f"dev.labjournal.run.{kind}.v1", "subject": run_id, "time": now, "tenant": tenant, "data": data}


batch = [
    event("started", {"name": "python example", "params": {"lr": "0.1"}}),
    event("metrics", {"metrics": [{"key": "loss", "value": v, "step": s} for s, v in enumerate([0.9, 0.5, 0.3])]}),
    event("finished", {"status": "succeeded"}),
]
request = urllib.request.Request(
    os.environ.get("LABJOURNAL_INGEST_URL", "http://127.0.0.1:8081") + "/api/v1/events",
    data=json.dumps(batch).encode(),
    headers={"Authorization": "Bearer " + os.environ["LABJOURNAL_API_KEY"],
             "Content-Type": "application/cloudevents-batch+json"})
with urllib.request.urlopen(request, timeout=30) as response:  # raises on anything but 2xx
    print(response.status, response.read().decode())
