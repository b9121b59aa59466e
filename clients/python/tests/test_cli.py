"""`labjournal show RUN` and `labjournal similar RUN` against the live platform of the LJ_* environment: runs made
with the SDK, read back through the command as a user types it."""

import os
import random
import string
import subprocess
import sys

import pytest

import labjournal
from fakeserver import wait_for
from liveplatform import Tenant, use_live_platform

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def tenant():
    return Tenant("cli")


@pytest.fixture
def live(monkeypatch, tmp_path, tenant):
    use_live_platform(monkeypatch, tmp_path / "lj", tenant.key, "cli-it")
    yield
    labjournal._shutdown_clients()


def word():
    return "".join(random.choice(string.ascii_lowercase) for _ in range(12))


def cli(*args):
    done = subprocess.run([sys.executable, "-m", "labjournal", *args], env=os.environ, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def checkpoint_failed(marker, shard):
    """A failure raised from the same project frames each time, with a message differing only in a number."""
    raise OSError(f"checkpoint {marker} shard {shard} could not be written: disk quota exceeded")


def failed_run(name, marker, shard, params=None):
    with pytest.raises(OSError):
        with labjournal.start_run(name=name, params=params or {}) as run:
            run.log_metrics({"loss": 0.75}, step=3)
            checkpoint_failed(marker, shard)
    return run


def test_show_prints_the_runs_name_status_params_metrics_and_failure(live, tenant):
    marker = word()
    run = failed_run(f"show {marker}", marker, 1, params={"lr": 0.01})
    wait_for(lambda: (tenant.run(run.run_id) or {}).get("failure") and (tenant.run(run.run_id) or {}).get("metrics"),
             60, "the failed run stored with its metric")

    lines = cli("show", run.run_id).splitlines()
    assert lines[0].split() == [run.run_id, "failed", "-/cli-it", "show", marker]
    assert "  params: lr=0.01" in lines
    assert "    loss: 0.75 (step 3), min 0.75, max 0.75, 1 point(s)" in lines
    assert f"  failure: OSError: checkpoint {marker} shard 1 could not be written: disk quota exceeded" in lines
    stack = "\n".join(lines[lines.index(next(x for x in lines if x.startswith("  failure: "))) + 1:])
    assert ", in checkpoint_failed\n" in stack + "\n" and f"OSError: checkpoint {marker} shard 1" in stack


def test_show_of_another_tenants_run_is_not_found(live, tenant, monkeypatch):
    run = failed_run("hidden", word(), 1)
    wait_for(lambda: tenant.run(run.run_id), 60, "the run stored")
    monkeypatch.setenv("LABJOURNAL_API_KEY", Tenant("cli-other").key)
    done = subprocess.run([sys.executable, "-m", "labjournal", "show", run.run_id], env=os.environ,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("labjournal: 404 "), done.stderr


def test_similar_lists_a_run_that_failed_the_same_way(live, tenant):
    marker = word()
    first = failed_run(f"similar first {marker}", marker, 3)
    second = failed_run(f"similar second {marker}", marker, 7)
    unrelated = None
    with pytest.raises(ZeroDivisionError):
        with labjournal.start_run(name=f"unrelated {marker}") as unrelated:
            1 / 0

    def listed():
        status, body = tenant.get(f"/api/v1/runs/{second.run_id}/similar-failures")
        return status == 200 and first.run_id in [s["run_id"] for s in body["similar"]] and body

    api = wait_for(listed, 60, "the first run among the second's similar failures")
    out = cli("similar", second.run_id)
    lines = out.splitlines()
    assert lines[0].startswith("OSError: ")
    assert lines[1].startswith(f"failure group {api['failure_group']}: ")
    hit = next(x for x in lines if x.startswith(first.run_id))
    assert f"similar first {marker}" in hit and "same group" in hit
    assert second.run_id not in out.split("\n", 2)[2] and unrelated.run_id not in out


def test_similar_of_a_run_that_has_not_failed_says_so(live, tenant):
    with labjournal.start_run(name="fine") as run:
        run.log_metrics({"loss": 0.1})
    wait_for(lambda: (tenant.run(run.run_id) or {}).get("status") == "succeeded", 60, "the run stored")
    assert cli("similar", run.run_id).splitlines() == [f"run {run.run_id} has not failed: no similar failures"]
