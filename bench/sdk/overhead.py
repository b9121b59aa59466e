"""What the Python SDK costs a training loop (bench/README.md, "SDK overhead").

One process per case (server up, slow behind a proxy adding a delay to every request, down): a tight loop of
run.log_metrics calls, each timed, against the same loop appending to a deque (the raw baseline: the least an
enqueue can cost); before it, a loop paced at a point rate, where the CPU of every thread but the training
thread is the SDK's background cost (first, so that no backlog of the tight loop is counted in it). Prints one JSON
line per case; bench/sdk/run drives the cases and checks what arrived.
"""

import argparse
import collections
import json
import sys
import threading
import time

import labjournal


def timed_calls(call, calls):
    """Calls call(i) `calls` times; the duration of each call in nanoseconds."""
    durations = [0] * calls
    clock = time.perf_counter_ns
    for i in range(calls):
        t0 = clock()
        call(i)
        durations[i] = clock() - t0
    return durations


def summary(durations, wall_ns):
    ordered = sorted(durations)
    n = len(ordered)
    return {
        "calls_per_s": round(n / (wall_ns / 1e9)),
        "p50_us": round(ordered[n // 2] / 1000, 2),
        "p99_us": round(ordered[min(n - 1, (n * 99) // 100)] / 1000, 2),
        "p999_us": round(ordered[min(n - 1, (n * 999) // 1000)] / 1000, 2),
        "max_us": round(ordered[-1] / 1000, 1),
    }


def tight(call, calls):
    t0 = time.perf_counter_ns()
    durations = timed_calls(call, calls)
    return summary(durations, time.perf_counter_ns() - t0)


def paced(run, points_per_s, seconds, keys, first_step):
    """Logs at points_per_s for seconds; the CPU share of one core used by all threads but this one."""
    calls_per_s = points_per_s / len(keys)
    calls = int(calls_per_s * seconds)
    proc0, main0, wall0 = time.process_time(), time.thread_time(), time.perf_counter()
    for i in range(calls):
        due = wall0 + i / calls_per_s
        while time.perf_counter() < due:
            pass
        run.log_metrics({key: float(i) for key in keys}, step=first_step + i)
    wall = time.perf_counter() - wall0
    background = (time.process_time() - proc0) - (time.thread_time() - main0)
    return {
        "points_per_s": round(calls * len(keys) / wall),
        "background_cpu_pct_of_core": round(100 * background / wall, 2),
        "calls": calls,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", required=True)
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--paced-points-per-s", type=int, default=10_000)
    parser.add_argument("--paced-seconds", type=float, default=10.0)
    args = parser.parse_args()
    keys = ["loss"]

    raw = collections.deque()
    baseline = tight(lambda i: raw.append(("loss", float(i), i)), args.calls)
    raw.clear()

    with labjournal.start_run(project="bench-sdk", name="overhead " + args.case) as run:
        background = paced(run, args.paced_points_per_s, args.paced_seconds, keys, 0)
        first = background["calls"]
        sdk = tight(lambda i: run.log_metrics({"loss": float(i)}, step=first + i), args.calls)
        t0 = time.perf_counter()
    close_s = time.perf_counter() - t0
    print(json.dumps({
        "case": args.case,
        "run_id": run.run_id,
        "points": args.calls + background["calls"] * len(keys),
        "baseline": baseline,
        "sdk": sdk,
        "paced": background,
        "close_s": round(close_s, 2),
        "threads_left": threading.active_count(),
    }))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
