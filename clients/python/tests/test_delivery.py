"""Batching, never blocking, backoff, the spool and per-event refusals, against a local fake server."""

import json
import threading
import time

import labjournal
from fakeserver import wait_for


def test_events_are_cloudevents_of_the_tenant_from_client_config(fake, sdk_env):
    with labjournal.start_run(name="first", params={"lr": 0.1}) as run:
        run.log_metrics({"loss": 0.5})
    started = fake.stored("started")[0]
    assert started["tenant"] == "acme"
    assert started["source"] == "/tenants/acme/projects/unit"
    assert started["subject"] == run.run_id
    assert started["specversion"] == "1.0"
    assert started["data"]["params"] == {"lr": "0.1"}
    assert ("GET", "/api/v1/client-config", None) in fake.requests
    assert {e["type"] for e in fake.stored()} >= {"dev.labjournal.run.started.v1", "dev.labjournal.run.metrics.v1",
                                                  "dev.labjournal.run.finished.v1"}
    assert fake.stored("finished")[0]["data"] == {"status": "succeeded"}


def test_points_are_batched_at_most_1000_per_event_and_steps_count_per_key(fake, sdk_env):
    with labjournal.start_run() as run:
        for i in range(2500):
            run.log_metrics({"loss": i * 0.5})
            if i % 2 == 0:
                run.log_metrics({"acc": i})
        run.log_metrics({"acc": -1}, step=10000)
    assert fake.points(run.run_id, "loss") == [(i, i * 0.5) for i in range(2500)]
    assert fake.points(run.run_id, "acc") == [(i // 2, i) for i in range(0, 2500, 2)] + [(10000, -1)]
    metrics_events = fake.stored("metrics")
    assert all(len(e["data"]["metrics"]) <= 1000 for e in metrics_events)
    assert len(fake.posts()) <= 8, "3751 points went in a handful of requests, not one per call"


def test_logging_never_blocks_while_the_server_hangs_and_everything_arrives_once_later(fake, sdk_env, monkeypatch):
    monkeypatch.setenv("LABJOURNAL_QUEUE_SIZE", "50")
    monkeypatch.setenv("LABJOURNAL_REQUEST_TIMEOUT", "1")
    release = threading.Event()

    def hang(events):
        if not release.is_set():
            release.wait(3)
            return None, None
        return 202, None

    fake.behaviour = hang
    run = labjournal.start_run()
    began = time.monotonic()
    for i in range(5000):
        run.log_metrics({"loss": float(i)})
    logging_took = time.monotonic() - began
    assert logging_took < 2.0, f"5000 log calls took {logging_took:.2f} s while the server hung"
    release.set()
    run.end()
    wait_for(lambda: len(fake.points(run.run_id, "loss")) == 5000, 60, "every point at the server")
    assert fake.points(run.run_id, "loss") == [(i, float(i)) for i in range(5000)]
    wait_for(lambda: fake.stored("finished"), 30, "the run's end")


UNAVAILABLE = (503, {"error": {"code": "unavailable", "message": "kafka"}})


def outage(fake):
    """The fake server answers 503 until the returned event is cleared."""
    down = threading.Event()
    down.set()
    fake.behaviour = lambda events: UNAVAILABLE if down.is_set() else (202, None)
    return down


def spooled_run(sdk_env, points):
    """A run that logged `points` points of loss (steps 0, 1, ...) and has begun to spool."""
    run = labjournal.start_run()
    for i in range(points):
        run.log_metrics({"loss": i})
    wait_for(lambda: list(sdk_env.glob("spool/*.jsonl")), 30, "a spool file")
    return run


def test_outage_retries_with_backoff_then_spools_and_drains_in_order_without_loss(fake, sdk_env):
    down = outage(fake)
    run = spooled_run(sdk_env, 300)
    attempts = len(fake.posts())
    assert 2 <= attempts <= 10, f"bounded retries before spooling, not {attempts}"
    for i in range(300, 600):
        run.log_metrics({"loss": i})
    down.clear()
    run.end()
    wait_for(lambda: len(fake.points(run.run_id, "loss")) == 600, 60, "the spool drained")
    assert fake.points(run.run_id, "loss") == [(i, i) for i in range(600)]
    wait_for(lambda: not list(sdk_env.glob("spool/*.jsonl")), 30, "the spool file removed once sent")
    delivered = [e for body in fake.posts() for e in body]
    order = [e["id"] for e in delivered if e["type"].endswith("metrics.v1")]
    first_seen = list(dict.fromkeys(order))
    steps = [p["step"] for i in first_seen for p in fake.events[i]["data"]["metrics"]]
    assert steps == sorted(steps), "spooled events are sent in the order they were logged"


def test_a_run_ending_once_the_server_is_back_sends_its_spool_before_its_end_returns(fake, sdk_env):
    down = outage(fake)
    run = spooled_run(sdk_env, 300)
    down.clear()
    run.end()
    assert fake.points(run.run_id, "loss") == [(i, i) for i in range(300)], "sent without waiting for the backoff"
    assert fake.stored("finished"), "the run's end arrived before end() returned"
    assert not list(sdk_env.glob("spool/*.jsonl")), "the ended run's spool file is removed once sent"


def test_a_run_ending_while_the_server_is_still_down_does_not_wait_out_the_flush_timeout(fake, sdk_env):
    outage(fake)
    run = spooled_run(sdk_env, 1)
    began = time.monotonic()
    run.end()
    took = time.monotonic() - began
    assert took < 5, f"end() took {took:.1f} s (one failed send ends the wait, not the 10 s flush timeout)"
    labjournal._shutdown_clients()
    events = [json.loads(x)["event"] for f in sorted(sdk_env.glob("spool/*.jsonl")) for x in f.read_text().splitlines()]
    assert [e["type"].split(".")[3] for e in events] == ["started", "metrics", "finished"]


def test_an_event_the_server_refuses_is_dropped_with_one_warning_and_the_rest_is_delivered(fake, sdk_env, capfd):
    def refuse_notes(events):
        bad = [i for i, e in enumerate(events) if e["type"].endswith("note.v1")]
        if bad:
            return 400, {"error": {"code": "invalid_events", "message": f"{len(bad)} error(s)", "details": [
                {"index": i, "code": "schema", "path": "$.data.text", "reason": "made up for the test"}
                for i in bad]}}
        return 202, None

    fake.behaviour = refuse_notes
    with labjournal.start_run() as run:
        run.note("first")
        run.log_metrics({"loss": 1})
        run.note("second")
    assert fake.points(run.run_id, "loss") == [(0, 1)]
    assert fake.stored("finished")
    assert not fake.stored("note")
    err = capfd.readouterr().err
    assert err.count("refused an event") == 1
    assert "schema at $.data.text: made up for the test" in err


def test_a_full_queue_spills_to_the_spool_in_order_and_offline_mode_only_spools(fake, sdk_env, monkeypatch):
    monkeypatch.setenv("LABJOURNAL_MODE", "offline")
    monkeypatch.setenv("LABJOURNAL_QUEUE_SIZE", "5")
    with labjournal.start_run(params={"a": 1}) as run:
        for i in range(200):
            run.log_metrics({"loss": i})
    assert fake.requests == [], "offline sends nothing"
    lines = [json.loads(x) for f in sorted(sdk_env.glob("spool/*.jsonl")) for x in f.read_text().splitlines()]
    events = [r["event"] for r in lines]
    assert events[0]["type"].endswith("started.v1") and events[-1]["type"].endswith("finished.v1")
    steps = [p["step"] for e in events if e["type"].endswith("metrics.v1") for p in e["data"]["metrics"]]
    assert steps == list(range(200))
    assert all("tenant" not in e for e in events), "the tenant is set when sent"


def test_a_full_spool_drops_the_oldest_metric_points_but_never_params_start_or_end(fake, sdk_env, monkeypatch,
                                                                                capfd):
    monkeypatch.setenv("LABJOURNAL_MODE", "offline")
    monkeypatch.setenv("LABJOURNAL_SPOOL_MAX_BYTES", "60000")
    monkeypatch.setenv("LABJOURNAL_QUEUE_SIZE", "1")
    with labjournal.start_run(params={"keep": "me"}) as run:
        for i in range(3000):
            run.log_metrics({"loss": i})
        run.log_params({"late": "param"})
    files = sorted(sdk_env.glob("spool/*.jsonl"))
    assert sum(f.stat().st_size for f in files) <= 60000 + 2000
    events = [json.loads(x)["event"] for f in files for x in f.read_text().splitlines()]
    types = [e["type"].split(".")[3] for e in events]
    assert types[0] == "started" and types[-1] == "finished" and "params" in types
    steps = [p["step"] for e in events if e["type"].endswith("metrics.v1") for p in e["data"]["metrics"]]
    assert steps and steps == list(range(steps[0], 3000)), "the newest points are kept, the oldest dropped"
    assert steps[0] > 0
    assert capfd.readouterr().err.count("is full") == 1


def test_sync_sends_closed_spool_files_once_in_order(fake, sdk_env, monkeypatch):
    monkeypatch.setenv("LABJOURNAL_MODE", "offline")
    with labjournal.start_run() as run:
        for i in range(2500):
            run.log_metrics({"loss": i})
    labjournal._shutdown_clients()
    monkeypatch.setenv("LABJOURNAL_MODE", "online")
    from labjournal import cli

    assert cli.main(["sync"]) == 0
    assert fake.points(run.run_id, "loss") == [(i, i) for i in range(2500)]
    assert not list(sdk_env.glob("spool/*"))
    ids = [e["id"] for body in fake.posts() for e in body]
    assert len(ids) == len(set(ids)), "nothing sent twice"
    assert cli.main(["sync"]) == 0


def test_the_next_run_sends_the_spool_of_earlier_runs_in_the_background(fake, sdk_env, monkeypatch):
    monkeypatch.setenv("LABJOURNAL_MODE", "offline")
    with labjournal.start_run() as earlier:
        earlier.log_metrics({"loss": 1})
    labjournal._shutdown_clients()
    monkeypatch.setenv("LABJOURNAL_MODE", "online")
    with labjournal.start_run():
        pass
    wait_for(lambda: fake.points(earlier.run_id, "loss") == [(0, 1)], 30, "the earlier run sent")


def test_exit_waits_at_most_the_flush_timeout_then_spools_the_rest(fake, sdk_env, monkeypatch):
    import os
    import subprocess
    import sys

    release = threading.Event()
    fake.behaviour = lambda events: (release.wait(20), (None, None))[1]
    monkeypatch.setenv("LABJOURNAL_FLUSH_TIMEOUT", "1")
    monkeypatch.setenv("LABJOURNAL_REQUEST_TIMEOUT", "30")
    script = "import labjournal\nrun = labjournal.start_run()\nrun.log_metrics({'loss': 1.5})\nprint(run.run_id)\n"
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], env=os.environ, capture_output=True, text=True, timeout=60)
    took = time.monotonic() - began
    release.set()
    assert done.returncode == 0, done.stderr
    assert took < 8, f"the exit took {took:.1f} s with a hanging server"
    assert "not everything reached the server within 1 s" in done.stderr
    run_id = done.stdout.strip()
    events = [json.loads(x)["event"] for f in sorted(sdk_env.glob("spool/*.jsonl")) for x in f.read_text().splitlines()]
    assert [e["type"].split(".")[3] for e in events] == ["started", "metrics", "finished"]
    assert all(e["subject"] == run_id for e in events)
    assert events[-1]["data"]["status"] == "succeeded"
