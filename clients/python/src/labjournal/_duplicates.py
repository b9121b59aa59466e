"""The duplicate warning at the start of a run: has this configuration (project, commit, dataset digests, params)
run before, and how did it end? Asked on a thread; the start waits at most a second; never fails the run."""

import sys
import threading

from . import _http

WAIT_SECONDS = 1.0


def warn_if_duplicate(config, project, commit, digests, params):
    """Prints one line on stderr when earlier runs have the same fingerprint; returns within WAIT_SECONDS."""
    answer = {}

    def ask():
        try:
            reply = _http.request("POST", f"{config.url}/api/v1/duplicates", config.api_key,
                                  {"project": project, "commit": commit, "dataset_digests": digests,
                                   "params": params}, timeout=WAIT_SECONDS * 5)
            if reply.status == 200 and isinstance(reply.body, dict):
                answer["body"] = reply.body
        except Exception:  # a warning must never fail the run, whatever the server or the network does
            pass

    thread = threading.Thread(target=ask, name="labjournal-duplicates", daemon=True)
    thread.start()
    thread.join(WAIT_SECONDS)
    line = describe(config.url, answer.get("body"))
    if line:
        print(line, file=sys.stderr, flush=True)


def describe(url, body):
    """"labjournal: this configuration already ran 3 times (2 failed, 1 succeeded): <url of the latest>", or None."""
    if not isinstance(body, dict):
        return None
    count = body.get("count")
    if not isinstance(count, int) or count <= 0:
        return None
    outcomes = body.get("outcomes") or {}
    parts = [f"{n} {status}" for status, n in sorted(outcomes.items(), key=lambda kv: (-kv[1], kv[0]))
             if isinstance(n, int) and n > 0]
    runs = body.get("runs") or []
    latest = f": {url}/#/runs/{_http.quote(runs[0]['run_id'])}" if runs and runs[0].get("run_id") else ""
    times = "time" if count == 1 else "times"
    how = f" ({', '.join(parts)})" if parts else ""
    return f"labjournal: this configuration already ran {count} {times}{how}{latest}"
