"""Drives bench/sdk/overhead.py against the platform of `deploy/local/labjournal up`: server up, slow (every
request to ingest delayed by a proxy), down (ingest's address refuses connections). Checks that every point of the
"up" case arrived, counted by the server. Prints a table and the JSON lines. bench/sdk/run --help."""

import argparse
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def request(method, url, key, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": "Bearer " + key})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as reply:
        return json.loads(reply.read() or b"null")


def tenant_key(query_url):
    with open(os.path.join(ROOT, "deploy/local/.state/admin-key")) as f:
        admin = f.read().strip()
    tenant = "bench-sdk-%d" % int(time.time())
    request("POST", query_url + "/api/v1/admin/tenants", admin, {"id": tenant, "name": tenant})
    issued = request("POST", query_url + "/api/v1/admin/api-keys", admin, {"tenant": tenant, "scopes": ["ingest", "read"]})
    return tenant, issued["key"]


class DelayingProxy(http.server.ThreadingHTTPServer):
    """Forwards every request to a target after a delay: a slow ingest-service."""

    daemon_threads = True

    def __init__(self, target, delay_s):
        self.target, self.delay_s = target, delay_s
        super().__init__(("127.0.0.1", 0), ProxyHandler)


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.forward()

    def do_GET(self):
        self.forward()

    def forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
        time.sleep(self.server.delay_s)  # the latency this proxy exists to add
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
        req = urllib.request.Request(self.server.target + self.path, data=body or None, method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as reply:
                status, payload = reply.status, reply.read()
        except urllib.error.HTTPError as e:
            status, payload = e.code, e.read()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def refused_address():
    """An address nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return "http://127.0.0.1:%d" % s.getsockname()[1]


def run_case(case, python, query_url, ingest_url, key, args):
    spool = tempfile.mkdtemp(prefix="lj-sdk-bench-%s-" % case)
    env = dict(os.environ, LABJOURNAL_URL=query_url, LABJOURNAL_API_KEY=key, LABJOURNAL_INGEST_URL=ingest_url,
               LABJOURNAL_DIR=spool, LABJOURNAL_MODE="online")
    cmd = [python, os.path.join(HERE, "overhead.py"), "--case", case, "--calls", str(args.calls),
           "--paced-points-per-s", str(args.paced_points_per_s), "--paced-seconds", str(args.paced_seconds)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        sys.exit("case %s failed (%d):\n%s" % (case, out.returncode, out.stderr))
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["spool_bytes"] = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(spool) for f in fs)
    result["stderr_lines"] = len(out.stderr.splitlines())
    return result


def await_points(query_url, key, run_id, expected, timeout_s):
    deadline = time.monotonic() + timeout_s
    total = None
    while time.monotonic() < deadline:
        try:
            total = request("GET", "%s/api/v1/runs/%s/metrics/loss?max_points=10" % (query_url, run_id), key)["total_points"]
        except urllib.error.HTTPError as e:
            if e.code != 404:
                raise
        if total == expected:
            return total
        time.sleep(0.25)  # poll interval of a condition with a deadline
    sys.exit("run %s: %s of %d points arrived within %ds" % (run_id, total, expected, timeout_s))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--python", default=sys.executable, help="a Python with the SDK installed")
    parser.add_argument("--query-url", default="http://127.0.0.1:" + os.environ.get("LJ_QUERY_PORT", "8080"))
    parser.add_argument("--ingest-url", default="http://127.0.0.1:" + os.environ.get("LJ_INGEST_PORT", "8081"))
    parser.add_argument("--calls", type=int, default=200_000, help="timed log_metrics calls per case")
    parser.add_argument("--paced-points-per-s", type=int, default=10_000)
    parser.add_argument("--paced-seconds", type=float, default=10.0)
    parser.add_argument("--slow-ms", type=int, default=500, help="delay the slow case's proxy adds per request")
    parser.add_argument("--cases", default="up,slow,down")
    parser.add_argument("--arrival-timeout-s", type=int, default=120,
                        help="how long the up case waits for the server to count every point")
    args = parser.parse_args()

    _, key = tenant_key(args.query_url)
    results = []
    for case in args.cases.split(","):
        proxy = None
        if case == "up":
            ingest = args.ingest_url
        elif case == "slow":
            proxy = DelayingProxy(args.ingest_url, args.slow_ms / 1000)
            threading.Thread(target=proxy.serve_forever, daemon=True).start()
            ingest = "http://127.0.0.1:%d" % proxy.server_address[1]
        elif case == "down":
            ingest = refused_address()
        else:
            sys.exit("unknown case " + case)
        result = run_case(case, args.python, args.query_url, ingest, key, args)
        if proxy:
            proxy.shutdown()
        if case == "up":
            result["arrived"] = await_points(args.query_url, key, result["run_id"], result["points"], args.arrival_timeout_s)
        results.append(result)

    print("| case | raw deque append p50 / p99 µs | log_metrics p50 / p99 / p99.9 / max µs | calls/s (raw) | "
          "background CPU at %d points/s | close s | spooled |" % args.paced_points_per_s)
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        b, s, p = r["baseline"], r["sdk"], r["paced"]
        print("| %s | %.2f / %.2f | %.2f / %.2f / %.2f / %.1f | %d (%d) | %.2f %% of a core | %.2f | %d B |" % (
            r["case"], b["p50_us"], b["p99_us"], s["p50_us"], s["p99_us"], s["p999_us"], s["max_us"],
            s["calls_per_s"], b["calls_per_s"], p["background_cpu_pct_of_core"], r["close_s"], r["spool_bytes"]))
    for r in results:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
