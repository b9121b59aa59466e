"""What a run records: failures with their chained stack traces, kills, reproducibility, hostile values, datasets,
the duplicate warning, and nothing at all when disabled."""

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest

import labjournal
from labjournal import _duplicates
from fakeserver import wait_for


def finished(fake):
    return wait_for(lambda: fake.stored("finished"), 15, "run.finished")[0]["data"]


def test_an_exception_fails_the_run_with_its_chained_stack_trace_and_is_reraised(fake, sdk_env):
    with pytest.raises(RuntimeError, match="diverged"):
        with labjournal.start_run() as run:
            run.log_metrics({"loss": 1.0}, step=41)
            try:
                {}["missing"]
            except KeyError as e:
                raise RuntimeError("loss diverged") from e
    data = finished(fake)
    assert data["status"] == "failed"
    failure = data["failure"]
    assert failure["type"] == "RuntimeError"
    assert failure["message"] == "loss diverged"
    assert failure["step"] == 41
    trace = failure["stacktrace"]
    assert trace.startswith("Traceback (most recent call last):")
    assert "KeyError: 'missing'" in trace
    assert "The above exception was the direct cause of the following exception" in trace
    assert trace.rstrip().endswith("RuntimeError: loss diverged")


def test_an_exception_raised_while_handling_another_keeps_both(fake, sdk_env):
    class OutOfMemoryError(Exception):
        pass

    with pytest.raises(OutOfMemoryError):
        with labjournal.start_run():
            try:
                1 / 0
            except ZeroDivisionError:
                raise OutOfMemoryError("CUDA out of memory")
    failure = finished(fake)["failure"]
    assert failure["type"] == f"{__name__}.{OutOfMemoryError.__qualname__}"
    assert "During handling of the above exception, another exception occurred" in failure["stacktrace"]
    assert "ZeroDivisionError" in failure["stacktrace"]


def test_keyboard_interrupt_kills_the_run_and_a_normal_exit_succeeds(fake, sdk_env):
    with pytest.raises(KeyboardInterrupt):
        with labjournal.start_run():
            raise KeyboardInterrupt
    assert finished(fake)["status"] == "killed"


def test_sigterm_kills_the_run_flushes_and_the_process_still_dies_of_sigterm(fake, sdk_env):
    script = textwrap.dedent("""
        import sys, time, labjournal
        with labjournal.start_run() as run:
            run.log_metrics({"loss": 0.5})
            print(run.run_id, flush=True)
            time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=os.environ)
    run_id = proc.stdout.readline().strip()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == -signal.SIGTERM
    data = finished(fake)
    assert data["status"] == "killed" and data["failure"]["type"] == "SIGTERM"
    assert fake.points(run_id, "loss") == [(0, 0.5)]


def test_a_sigterm_handler_of_the_program_is_left_alone(fake, sdk_env):
    script = textwrap.dedent("""
        import signal, sys, labjournal
        signal.signal(signal.SIGTERM, lambda *a: sys.exit(3))
        with labjournal.start_run() as run:
            assert signal.getsignal(signal.SIGTERM).__name__ == "<lambda>"
    """)
    assert subprocess.run([sys.executable, "-c", script], env=os.environ, timeout=60).returncode == 0
    assert finished(fake)["status"] == "succeeded"


def test_run_started_carries_git_command_host_and_versions(fake, sdk_env, tmp_path):
    repo = tmp_path / "code"
    repo.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(git + ["init", "-q", "-b", "exp/one"], cwd=repo, check=True)
    subprocess.run(git + ["remote", "add", "origin", "https://user:secret@example.com/acme/vision.git"], cwd=repo,
                   check=True)
    (repo / "train.py").write_text("import labjournal\nwith labjournal.start_run(name='git'):\n    pass\n")
    subprocess.run(git + ["add", "."], cwd=repo, check=True)
    subprocess.run(git + ["commit", "-qm", "one"], cwd=repo, check=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    (repo / "train.py").write_text((repo / "train.py").read_text() + "# changed\n")
    diff = subprocess.run(["git", "diff", "HEAD"], cwd=repo, capture_output=True).stdout
    subprocess.run([sys.executable, "train.py", "--lr", "0.1"], cwd=repo, env=os.environ, check=True, timeout=60)
    data = wait_for(lambda: fake.stored("started"), 15, "run.started")[0]["data"]
    assert data["source"] == {"commit": commit, "branch": "exp/one", "repo": "https://example.com/acme/vision.git",
                              "dirty": True, "entrypoint": "train.py --lr 0.1"}
    env = data["environment"]
    assert env["git_diff_sha256"] == "sha256:" + hashlib.sha256(diff).hexdigest()
    assert env["python"] == ".".join(map(str, sys.version_info[:3]))
    assert env["host"] and env["labjournal"]


def test_hostile_values_are_written_as_the_schema_allows_or_refused_at_the_call(fake, sdk_env):
    class Scalar:
        def __float__(self):
            return 2.5

    with labjournal.start_run(params={"flag": True, "none": None, "n": 3, "f": 0.1}) as run:
        run.log_metrics({"nan": float("nan"), "inf": float("inf"), "ninf": float("-inf"), "big": 10**30,
                         "obj": Scalar(), "b": True})
        with pytest.raises(ValueError, match="250"):
            run.log_metrics({"k" * 251: 1})
        with pytest.raises(ValueError, match="may hold only"):
            run.log_metrics({"bad\u00e9": 1})
        with pytest.raises(ValueError, match="must be a number"):
            run.log_metrics({"loss": "0.5"})
        with pytest.raises(ValueError, match="step"):
            run.log_metrics({"loss": 1}, step=-1)
        with pytest.raises(ValueError, match="step"):
            run.log_metrics({"loss": 1}, step=1.5)
        with pytest.raises(ValueError, match="6000"):
            run.log_params({"long": "x" * 6001})
        with pytest.raises(ValueError, match="immutable"):
            run.log_params({"flag": False})
        with pytest.raises(ValueError, match="NUL"):
            run.note("a\x00b")
        with pytest.raises(ValueError, match="surrogate"):
            run.set_tags({"t": "\ud800"})
        with pytest.raises(ValueError, match="kind"):
            run.note("x", kind="rant")
        run.log_params({"flag": True})
    assert fake.stored("started")[0]["data"]["params"] == {"flag": "true", "none": "null", "n": "3", "f": "0.1"}
    values = {p["key"]: p["value"] for e in fake.stored("metrics") for p in e["data"]["metrics"]}
    assert values == {"nan": "NaN", "inf": "Infinity", "ninf": "-Infinity", "big": 1e30, "obj": 2.5, "b": 1}
    assert not fake.stored("params") and not fake.stored("note") and not fake.stored("tags")


def test_datasets_are_digested_locally_or_referenced_as_uris(fake, sdk_env, tmp_path):
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    (data / "a.txt").write_bytes(b"alpha")
    (data / "sub" / "b.txt").write_bytes(b"beta")
    listing = "".join(f"{p}\t{len(c)}\t{hashlib.sha256(c).hexdigest()}\n"
                      for p, c in (("a.txt", b"alpha"), ("sub/b.txt", b"beta")))
    with labjournal.start_run(datasets={"train": str(data / "a.txt")}) as run:
        entry = run.log_dataset("all", data)
        run.log_dataset("remote", "s3://bucket/imagenet/")
    assert entry["digest"] == "sha256:" + hashlib.sha256(listing.encode()).hexdigest()
    starts = sorted(fake.stored("started"), key=lambda e: len(e["data"].get("datasets", [])))
    assert len({e["time"] for e in starts}) == 1, "a start sent again keeps the run's start time"
    assert starts[-1]["data"]["datasets"] == [
        {"name": "train", "uri": (data / "a.txt").as_uri(), "digest": "sha256:" + hashlib.sha256(b"alpha").hexdigest()},
        entry, {"name": "remote", "uri": "s3://bucket/imagenet/"}]


def test_the_duplicate_warning_is_one_line_of_how_those_runs_ended(fake, sdk_env, capfd):
    fake.duplicates = {"fingerprint": "f", "count": 3, "outcomes": {"succeeded": 1, "failed": 2, "killed": 0},
                       "runs": [{"run_id": "run-9", "status": "failed"}]}
    with labjournal.start_run(params={"lr": 0.1}):
        pass
    assert capfd.readouterr().err.splitlines() == [
        f"labjournal: this configuration already ran 3 times (2 failed, 1 succeeded): {fake.url}/#/runs/run-9"]
    asked = fake.posts("/api/v1/duplicates")[0]
    assert asked == {"project": "unit", "commit": asked["commit"], "dataset_digests": [], "params": {"lr": "0.1"}}
    assert _duplicates.describe("u", {"count": 0}) is None


def test_a_slow_duplicate_check_delays_the_start_at_most_a_second(fake, sdk_env):
    gate = threading.Event()
    original = fake.httpd.RequestHandlerClass.do_POST

    def slow(handler):
        if handler.path == "/api/v1/duplicates":
            gate.wait(5)
        original(handler)

    fake.httpd.RequestHandlerClass.do_POST = slow
    import time
    began = time.monotonic()
    run = labjournal.start_run()
    assert time.monotonic() - began < 1.8
    gate.set()
    run.end()


def test_disabled_mode_starts_no_thread_makes_no_file_and_sends_nothing(fake, sdk_env, monkeypatch):
    monkeypatch.setenv("LABJOURNAL_MODE", "disabled")
    threads = threading.active_count()
    with pytest.raises(ZeroDivisionError):
        with labjournal.start_run(params={"a": 1}) as run:
            labjournal.log_metrics({"loss": 1.0})
            run.note("nothing")
            1 / 0
    assert threading.active_count() == threads
    assert not sdk_env.exists()
    assert fake.requests == []


def test_module_level_calls_log_to_the_active_run(fake, sdk_env):
    with pytest.raises(RuntimeError, match="no active run"):
        labjournal.log_metrics({"loss": 1})
    with labjournal.start_run() as run:
        assert labjournal.active_run() is run
        labjournal.log_metrics({"loss": 1})
        labjournal.log_params({"p": "v"})
        labjournal.set_tags({"t": "v"})
    assert labjournal.active_run() is None
    assert fake.points(run.run_id, "loss") == [(0, 1)]
    assert fake.stored("params")[0]["data"]["params"] == {"p": "v"}
    with pytest.raises(RuntimeError, match="has ended"):
        run.log_metrics({"loss": 2})


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded")
def test_a_forked_child_forgets_the_parents_runs(fake, sdk_env):
    with labjournal.start_run() as run:
        pid = os.fork()
        if pid == 0:
            code = 0 if labjournal.active_run() is None else 1
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert labjournal.active_run() is run


def test_a_running_run_sends_heartbeats_with_its_step(fake, sdk_env, monkeypatch):
    monkeypatch.setenv("LABJOURNAL_HEARTBEAT_SECONDS", "0.2")
    with labjournal.start_run() as run:
        run.log_metrics({"loss": 1.0}, step=7)
        beat = wait_for(lambda: fake.stored("heartbeat"), 15, "a heartbeat")[0]
    assert beat["subject"] == run.run_id and beat["data"] == {"step": 7}


def test_gpu_names_come_from_nvidia_smi_when_present(fake, sdk_env, monkeypatch, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    smi = bin_dir / "nvidia-smi"
    smi.write_text("#!/bin/sh\n"
                   "echo 'GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-1)'\n"
                   "echo 'GPU 1: NVIDIA A100-SXM4-80GB (UUID: GPU-2)'\n")
    smi.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with labjournal.start_run():
        pass
    env = fake.stored("started")[0]["data"]["environment"]
    assert env["gpu"] == "2x NVIDIA A100-SXM4-80GB" and env["gpu_count"] == "2"
