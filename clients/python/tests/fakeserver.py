"""A stand-in for ingest-service and the query service's client-config and duplicates, on a local port: it records
what it is sent and keeps one copy per event id, as the real server does. `behaviour` decides each answer."""

import http.server
import json
import threading
import time


class FakeServer:
    def __init__(self, tenant="acme"):
        self.tenant = tenant
        self.requests = []
        self.events = {}
        self.lock = threading.Lock()
        self.behaviour = lambda events: (202, None)
        self.duplicates = {"count": 0, "outcomes": {}, "runs": []}
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body):
                raw = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):
                with server.lock:
                    server.requests.append(("GET", self.path, None))
                if self.path == "/api/v1/client-config":
                    self._answer(200, {"tenant": server.tenant, "team": None, "scopes": ["ingest", "read"],
                                       "ingest_url": server.url})
                else:
                    self._answer(404, {"error": {"code": "not_found", "message": self.path}})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server.lock:
                    server.requests.append(("POST", self.path, body))
                if self.path == "/api/v1/duplicates":
                    self._answer(200, server.duplicates)
                    return
                status, answer = server.behaviour(body)
                if status is None:
                    self.connection.close()
                    return
                if status == 202:
                    with server.lock:
                        for e in body:
                            server.events.setdefault(e["id"], e)
                    answer = {"accepted": [e["id"] for e in body]}
                self._answer(status, answer)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def posts(self, path="/api/v1/events"):
        with self.lock:
            return [body for method, p, body in self.requests if method == "POST" and p == path]

    def stored(self, type_suffix=None):
        with self.lock:
            events = list(self.events.values())
        return [e for e in events if type_suffix is None or e["type"] == f"dev.labjournal.run.{type_suffix}.v1"]

    def points(self, run_id, key):
        """(step, value) of the stored points of a run's metric, by step."""
        return sorted((p["step"], p["value"]) for e in self.stored("metrics") if e["subject"] == run_id
                      for p in e["data"]["metrics"] if p["key"] == key)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def wait_for(condition, timeout=30.0, what="condition"):
    """Polls condition() until it is true, at most timeout seconds; returns its value or fails."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)
