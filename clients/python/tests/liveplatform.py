"""The live platform of the LJ_* environment (deploy/local/labjournal up): its URLs, a fresh tenant with a key, and
reads of its REST API, as e2e's Platform and TestTenant do."""

import json
import os
import subprocess
import uuid
from pathlib import Path

from labjournal import _http

REPO = Path(__file__).resolve().parents[3]
QUERY_URL = f"http://127.0.0.1:{os.environ.get('LJ_QUERY_PORT', '8080')}"
INGEST_URL = f"http://127.0.0.1:{os.environ.get('LJ_INGEST_PORT', '8081')}"
CONTROL = REPO / "deploy" / "local" / "labjournal"


def admin_key():
    path = Path(os.environ.get("LJ_ADMIN_KEY_FILE", REPO / "deploy" / "local" / ".state" / "admin-key"))
    return path.read_text().strip()


class Tenant:
    """A new tenant with one key of scopes ingest and read."""

    def __init__(self, prefix="py"):
        self.id = f"{prefix}-{uuid.uuid4().hex[:8]}"
        admin = admin_key()
        reply = _http.request("POST", f"{QUERY_URL}/api/v1/admin/tenants", admin,
                              {"id": self.id, "name": f"Python SDK test {self.id}"})
        assert reply.status == 201, f"create tenant: {reply.status} {reply.body}"
        reply = _http.request("POST", f"{QUERY_URL}/api/v1/admin/api-keys", admin,
                              {"tenant": self.id, "scopes": ["ingest", "read"]})
        assert reply.status == 201, f"create key: {reply.status} {reply.body}"
        self.key = reply.body["key"]

    def get(self, path, **query):
        """(status, body) of a GET of the query API with this tenant's key."""
        reply = _http.request("GET", _http.url_with(QUERY_URL, path, **query), self.key, timeout=30)
        return reply.status, reply.body

    def run(self, run_id):
        status, body = self.get(f"/api/v1/runs/{run_id}")
        return body if status == 200 else None

    def points(self, run_id, key):
        """Every point of a run's metric, paged whole: [(step, value)] in step order, and total_points."""
        points, token, total = [], None, None
        while True:
            status, body = self.get(f"/api/v1/runs/{run_id}/metrics/{_http.quote(key)}", limit=10000,
                                    page_token=token)
            if status == 404:
                return [], 0
            assert status == 200, f"metric history: {status} {body}"
            total = body["total_points"] if total is None else total
            points += [(p["step"], p["value"]) for p in body["points"]]
            token = body.get("next_page_token")
            if not token:
                return points, total


def control(*args):
    """deploy/local/labjournal with the LJ_* environment of this platform."""
    done = subprocess.run([str(CONTROL), *args], cwd=REPO, env=os.environ, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, f"labjournal {' '.join(args)}: {done.stdout}\n{done.stderr}"
    return done.stdout


def spooled(directory):
    """The records in a spool directory, file by file in name order."""
    return [json.loads(line) for f in sorted(Path(directory).glob("spool/*.jsonl"))
            for line in f.read_text().splitlines() if line.strip()]


def issue_key(tenant_id, *scopes):
    reply = _http.request("POST", f"{QUERY_URL}/api/v1/admin/api-keys", admin_key(),
                          {"tenant": tenant_id, "scopes": list(scopes)})
    assert reply.status == 201, f"create key: {reply.status} {reply.body}"
    return reply.body["key"]


def use_live_platform(monkeypatch, spool_dir, key, project):
    """The SDK's environment for the live platform: one address and a key (tenant and ingest URL come from the
    server), a spool of the test's own; every other LABJOURNAL_ variable removed."""
    for name in list(os.environ):
        if name.startswith("LABJOURNAL_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("LABJOURNAL_URL", QUERY_URL)
    monkeypatch.setenv("LABJOURNAL_API_KEY", key)
    monkeypatch.setenv("LABJOURNAL_DIR", str(spool_dir))
    monkeypatch.setenv("LABJOURNAL_PROJECT", project)
