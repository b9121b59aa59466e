"""Against the live platform of the LJ_* environment: outages, a killed process, failures found by search, the
duplicate warning, disabled mode and hostile values, each checked through the public REST API."""

import os
import queue
import random
import signal
import string
import subprocess
import sys
import textwrap
import threading

import pytest

import labjournal
from fakeserver import wait_for
from liveplatform import QUERY_URL, REPO, Tenant, control, issue_key, spooled, use_live_platform

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def tenant():
    return Tenant()


@pytest.fixture
def live(monkeypatch, tmp_path, tenant):
    """The SDK's environment for the live platform: one address and a key; tenant and ingest URL from the server."""
    use_live_platform(monkeypatch, tmp_path / "lj", tenant.key, "sdk-it")
    yield tmp_path / "lj"
    labjournal._shutdown_clients()


def word():
    return "".join(random.choice(string.ascii_lowercase) for _ in range(12))


@pytest.mark.outage
def test_ingest_stopped_mid_training_loses_and_duplicates_no_point(live, tenant):
    expected = []
    run = labjournal.start_run(name="outage", params={"lr": 0.1})

    def train(steps):
        for step in steps:
            value = 1.0 / (step + 1) + step * 1e-6
            run.log_metrics({"loss": value}, step=step)
            expected.append((step, value))

    train(range(0, 1000))
    wait_for(lambda: tenant.points(run.run_id, "loss")[1] == 1000, 60, "the points before the outage")
    control("down", "ingest-service")
    coming_back = None
    try:
        train(range(1000, 2000))
        wait_for(lambda: list(live.glob("spool/*.jsonl")), 60, "the SDK spooling during the outage")
        coming_back = threading.Thread(target=control, args=("up",))
        coming_back.start()
        train(range(2000, 2500))
    finally:
        if coming_back is None:
            control("up")
        else:
            coming_back.join(600)
    train(range(2500, 3000))
    run.end()
    wait_for(lambda: (tenant.run(run.run_id) or {}).get("status") == "succeeded", 120, "the run's end")
    points, total = wait_for(lambda: (lambda p: p if p[1] >= 3000 else None)(tenant.points(run.run_id, "loss")),
                             120, "every point")
    assert total == 3000, "each point exactly once"
    assert points == expected


def test_a_process_killed_mid_run_is_delivered_by_labjournal_sync(live, tenant):
    script = textwrap.dedent("""
        import time, labjournal
        run = labjournal.start_run(name="killed mid run", params={"seed": 7})
        for step in range(500):
            run.log_metrics({"loss": step / 10, "acc": 1 - step / 1000})
        run.note("about to be killed")
        assert run._client.flush(60)
        print(run.run_id, flush=True)
        time.sleep(600)
    """)
    env = dict(os.environ, LABJOURNAL_INGEST_URL="http://127.0.0.1:9", LABJOURNAL_REQUEST_TIMEOUT="1")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
    try:
        run_id = proc.stdout.readline().strip()
        assert run_id, "the script got as far as its flush"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    records = spooled(live)
    assert {r["event"]["type"].split(".")[3] for r in records} == {"started", "metrics", "note"}
    assert sum(len(r["event"]["data"]["metrics"]) for r in records if "metrics" in r["event"]["data"]) == 1000
    sync = subprocess.run([sys.executable, "-m", "labjournal", "sync"], env=os.environ, capture_output=True,
                          text=True, timeout=120)
    assert sync.returncode == 0, sync.stderr
    assert f"sent {len(records)} event(s) from 1 spool file(s); 0 file(s) left" in sync.stdout
    assert not list(live.glob("spool/*"))
    points, total = wait_for(lambda: (lambda p: p if p[1] >= 500 else None)(tenant.points(run_id, "loss")), 60,
                             "the spooled points")
    assert total == 500 and points == [(s, s / 10) for s in range(500)]
    run = wait_for(lambda: (lambda r: r if r and r["notes"] else None)(tenant.run(run_id)), 30, "the run's note")
    assert run["status"] == "running" and run["name"] == "killed mid run" and run["params"] == {"seed": "7"}
    assert [n["text"] for n in run["notes"]] == ["about to be killed"]


def test_an_exception_is_captured_with_its_stack_trace_and_found_by_search(live, tenant):
    marker = word()

    def forward(batch):
        raise MemoryError(f"CUDA out of memory while allocating the {marker} buffer")

    with pytest.raises(RuntimeError):
        with labjournal.start_run(name="oom") as run:
            try:
                forward(512)
            except MemoryError as e:
                raise RuntimeError("training step failed") from e

    def found():
        status, page = tenant.get("/api/v1/runs/search", q=marker, filter="attributes.status = 'failed'")
        return status == 200 and [r for r in page["runs"] if r["run_id"] == run.run_id]

    hit = wait_for(found, 60, "the failed run found by a word of its stack trace")[0]
    assert hit["status"] == "failed" and hit["failure_type"] == "RuntimeError"
    failure = tenant.run(run.run_id)["failure"]
    assert failure["message"] == "training step failed"
    assert f"MemoryError: CUDA out of memory while allocating the {marker} buffer" in failure["stacktrace"]
    assert "The above exception was the direct cause of the following exception" in failure["stacktrace"]
    assert ", in forward\n" in failure["stacktrace"]
    cli = subprocess.run([sys.executable, "-m", "labjournal", "search", marker, "--status", "failed"],
                         env=os.environ, capture_output=True, text=True, timeout=60)
    assert cli.returncode == 0, cli.stderr
    assert run.run_id in cli.stdout and "RuntimeError: training step failed" in cli.stdout


def test_a_second_identical_run_prints_the_duplicate_warning(live, tenant, capfd):
    params = {"lr": 0.05, "marker": word()}
    with pytest.raises(ValueError):
        with labjournal.start_run(name="first", params=params) as first:
            raise ValueError("diverged")
    assert "already ran" not in capfd.readouterr().err
    wait_for(lambda: (tenant.run(first.run_id) or {}).get("status") == "failed", 60, "the first run stored")
    with labjournal.start_run(name="second", params=params):
        pass
    assert capfd.readouterr().err.splitlines() == [
        f"labjournal: this configuration already ran 1 time (1 failed): {QUERY_URL}/#/runs/{first.run_id}"]


def test_disabled_mode_sends_nothing_and_writes_nothing(live, tenant, monkeypatch):
    monkeypatch.setenv("LABJOURNAL_MODE", "disabled")
    quiet = labjournal.start_run(name="disabled")
    quiet.log_metrics({"loss": 1.0})
    quiet.end()
    monkeypatch.setenv("LABJOURNAL_MODE", "online")
    with labjournal.start_run(name="after") as after:
        pass
    wait_for(lambda: tenant.run(after.run_id), 60, "the online run after it")
    assert tenant.run(quiet.run_id) is None
    assert not live.exists()


def test_hostile_values_arrive_as_the_schema_spells_them(live, tenant):
    long_value = "é" * 6000
    with labjournal.start_run(params={"flag": False, "ratio": 1 / 3, "nothing": None, "long": long_value}) as run:
        for step, value in enumerate([float("nan"), float("inf"), float("-inf"), 1e308, -0.0, 2**60]):
            run.log_metrics({"val/loss: main": value}, step=step)
        run.set_tags({"note": "tab\tnew\nline \u2603 \U0001F600"})
        run.note("emoji \U0001F600 and <html> & 'quotes'", kind="conclusion")
        with pytest.raises(ValueError):
            run.log_params({"x" * 251: 1})
    stored = wait_for(lambda: (lambda r: r if r and r["status"] == "succeeded" else None)(tenant.run(run.run_id)),
                      60, "the run")
    assert stored["params"] == {"flag": "false", "ratio": str(1 / 3), "nothing": "null", "long": long_value}
    assert stored["tags"] == {"note": "tab\tnew\nline \u2603 \U0001F600"}
    assert stored["notes"][0]["text"] == "emoji \U0001F600 and <html> & 'quotes'"
    points, total = tenant.points(run.run_id, "val/loss: main")
    assert total == 6
    assert points == [(0, "NaN"), (1, "Infinity"), (2, "-Infinity"), (3, 1e308), (4, -0.0), (5, float(2**60))]


def test_tail_prints_each_alert_of_the_stream(live, tenant, monkeypatch):
    from labjournal import _http

    project = f"tail-{word()}"
    reply = _http.request("POST", f"{QUERY_URL}/api/v1/alert-rules", issue_key(tenant.id, "alerts", "read"),
                          {"name": "python tail", "project": project, "kind": "run_failed",
                           "channels": [{"type": "sse"}]})
    assert reply.status == 201, reply.body
    tail = subprocess.Popen([sys.executable, "-m", "labjournal", "tail", "--since", "0"], env=os.environ,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in tail.stdout], daemon=True).start()
    try:
        with pytest.raises(OSError):
            with labjournal.start_run(project=project, name="fails for tail") as run:
                raise OSError("disk quota exceeded")
        line = lines.get(timeout=60)
    finally:
        tail.terminate()
        tail.wait(30)
    assert "run_failed" in line and f"run {run.run_id}" in line and "'fails for tail'" in line
    assert "rule 'python tail'" in line and "OSError: disk quota exceeded" in line


def test_the_readme_quickstart_fails_and_is_found_by_its_stack_trace(live, tenant):
    """The README's quickstart script, run as a user would from this git checkout: a failed run with the
    FloatingPointError's stack trace, found by search, with the checkout's commit."""
    script = REPO / "docs" / "examples" / "python-sdk" / "quickstart.py"
    ran = subprocess.run([sys.executable, str(script)], cwd=REPO, env=os.environ, capture_output=True, text=True,
                         timeout=120)
    assert ran.returncode == 1, ran.stderr
    assert "FloatingPointError: loss diverged to inf at step" in ran.stderr
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True,
                            check=True).stdout.strip()
    steps = 0
    loss = 1.0
    while loss != float("inf"):
        loss *= 1.0 + 10.0 / 4
        steps += 1

    def found():
        status, page = tenant.get("/api/v1/runs/search", q="diverged", filter="attributes.project = 'quickstart'")
        return status == 200 and page["runs"]

    hit = wait_for(found, 60, "the quickstart's failed run found by a word of its stack trace")[0]
    assert hit["status"] == "failed" and hit["failure_type"] == "FloatingPointError"
    run = tenant.run(hit["run_id"])
    assert run["source"]["commit"] == commit
    assert f"loss diverged to inf at step {steps - 1}" in run["failure"]["stacktrace"]
    assert ", in <module>\n" in run["failure"]["stacktrace"]

    def all_points():
        status, history = tenant.get(f"/api/v1/runs/{hit['run_id']}/metrics/loss")
        return status == 200 and history["total_points"] == steps

    wait_for(all_points, 60, f"the {steps} loss points of the quickstart")
