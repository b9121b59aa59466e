"""The `labjournal` command: search runs and failures from a terminal, show a run, find similar failures, send the
spool, and follow the tenant's alerts. Plain text by default, `--json` for the server's answer as it is."""

import argparse
import json
import sys
import time

from . import _http
from ._client import send_closed_files
from ._config import Config
from ._delivery import Delivery, Retry, Warnings
from ._spool import Spool


def main(argv=None):
    parser = argparse.ArgumentParser(prog="labjournal", description=__doc__)
    parser.add_argument("--url", help="query service (LABJOURNAL_URL, default http://127.0.0.1:8080)")
    parser.add_argument("--api-key", help="API key (LABJOURNAL_API_KEY)")
    parser.add_argument("--json", action="store_true", help="print the server's JSON as it is")
    commands = parser.add_subparsers(dest="command", required=True)

    search = commands.add_parser("search", help="full-text search over runs: names, failures, notes, params, tags")
    search.add_argument("query", nargs="?", default="", help='words to find, e.g. "CUDA out of memory"')
    search.add_argument("--status", help="only runs with this status (running, succeeded, failed, killed, lost)")
    search.add_argument("--filter", help="MLflow-style filter, e.g. \"params.lr = '0.1' AND metrics.loss < 2\"")
    search.add_argument("--sort", help="e.g. 'metrics.loss ASC'")
    search.add_argument("--limit", type=int, default=20, help="runs to show (1 to 200, default 20)")

    show = commands.add_parser("show", help="one run: params, tags, metrics, notes, failure")
    show.add_argument("run")
    similar = commands.add_parser("similar", help="failed runs that failed the way RUN did")
    similar.add_argument("run")
    similar.add_argument("--limit", type=int, default=10)
    commands.add_parser("sync", help="send the spool (offline runs, runs that could not reach the server)")
    tail = commands.add_parser("tail", help="follow the tenant's alerts (Server-Sent Events) until Ctrl-C")
    tail.add_argument("--since", type=int, help="start after this alert sequence number (0: every alert)")

    args = parser.parse_args(argv)
    config = Config.resolve(url=args.url, api_key=args.api_key)
    try:
        return COMMANDS[args.command](config, args)
    except _http.Unreachable as e:
        print(f"labjournal: cannot reach the server: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _get(config, path, **query):
    reply = _http.request("GET", _http.url_with(config.url, path, **query), config.api_key,
                          timeout=config.request_timeout)
    if reply.status != 200:
        error = reply.error()
        raise _Failed(f"{reply.status} {error.get('code')}: {error.get('message')}")
    return reply.body


class _Failed(Exception):
    pass


def _guarded(command):
    def run(config, args):
        try:
            return command(config, args)
        except _Failed as e:
            print(f"labjournal: {e}", file=sys.stderr)
            return 1
    return run


def _print_json(body):
    print(json.dumps(body, indent=2, ensure_ascii=False))


@_guarded
def cmd_search(config, args):
    filters = [f"({args.filter})"] if args.filter else []
    if args.status:
        filters.append(f"attributes.status = '{args.status}'")
    body = _get(config, "/api/v1/runs/search", q=args.query or None,
                filter=" AND ".join(filters) or None, sort=args.sort, limit=args.limit)
    if args.json:
        _print_json(body)
        return 0
    runs = body.get("runs") or []
    print(f"{body.get('total', len(runs))} run(s)" + (f", showing {len(runs)}" if body.get("next_page_token") else ""))
    for run in runs:
        print(_run_line(run))
        if run.get("failure_type"):
            print(f"    {run['failure_type']}: {_one_line(run.get('failure_message'), 160)}")
        for field, fragments in (run.get("highlights") or {}).items():
            plain = _one_line(" … ".join(fragments).replace("<em>", "[").replace("</em>", "]"), 160)
            print(f"    {field}: {_unescape(plain)}")
    return 0


@_guarded
def cmd_show(config, args):
    run = _get(config, f"/api/v1/runs/{_http.quote(args.run)}")
    if args.json:
        _print_json(run)
        return 0
    print(_run_line(run))
    for label, field in (("user", "user"), ("started", "start_time"), ("ended", "end_time"),
                         ("hypothesis", "hypothesis"), ("conclusion", "conclusion")):
        if run.get(field):
            print(f"  {label}: {run[field]}")
    source = run.get("source") or {}
    if source.get("commit"):
        dirty = " (dirty)" if source.get("dirty") else ""
        print(f"  code: {source.get('repo', '?')} {source.get('branch', '')} {source['commit']}{dirty}")
    if source.get("entrypoint"):
        print(f"  command: {source['entrypoint']}")
    _section("params", run.get("params"))
    _section("tags", run.get("tags"))
    metrics = run.get("metrics") or []
    if metrics:
        print("  metrics (last, min, max, points):")
        for m in metrics:
            print(f"    {m.get('key')}: {m.get('last')} (step {m.get('last_step')}), min {m.get('min')},"
                  f" max {m.get('max')}, {m.get('count')} point(s)")
    for d in run.get("datasets") or []:
        print(f"  dataset {d.get('name')}: {d.get('uri', '')} {d.get('digest', '')}".rstrip())
    for n in run.get("notes") or []:
        print(f"  {n.get('kind')} ({n.get('time')}): {n.get('text')}")
    for a in run.get("artifacts") or []:
        print(f"  artifact {a.get('path')}: {a.get('uri')}")
    failure = run.get("failure")
    if failure:
        print(f"  failure: {failure.get('type')}: {failure.get('message')}")
        if failure.get("stacktrace"):
            print("    " + failure["stacktrace"].rstrip().replace("\n", "\n    "))
    return 0


@_guarded
def cmd_similar(config, args):
    body = _get(config, f"/api/v1/runs/{_http.quote(args.run)}/similar-failures", limit=args.limit)
    if args.json:
        _print_json(body)
        return 0
    if not body.get("failure_group"):
        print(f"run {args.run} has not failed: no similar failures")
        return 0
    print(f"{body.get('exception_type')}: {body.get('normalised_message')}")
    print(f"failure group {body['failure_group']}: {body.get('group_count')} run(s)")
    for s in body.get("similar") or []:
        why = s.get("why") or {}
        reasons = [r for r, on in (("same group", why.get("same_group")), ("same message", why.get("same_message")))
                   if on] + [f"frames {', '.join(why['app_frames'][:3])}" for _ in [0] if why.get("app_frames")]
        print(f"{s.get('run_id')}  {s.get('team') or '-'}/{s.get('project') or '-'}  {s.get('name') or ''}"
              f"  {s.get('end_time') or ''}  ({'; '.join(reasons) or 'related'})")
    return 0


def cmd_sync(config, args):
    warnings = Warnings()
    spool = Spool(config.spool_dir, config.spool_max_bytes)
    delivery = Delivery(config, warnings)
    try:
        events, files = send_closed_files(spool, delivery)
        failed = None
    except Retry as e:
        events = files = 0
        failed = str(e)
    busy = spool.busy_files()
    left = sum(1 for _ in spool.dir.glob("*.jsonl")) if spool.dir.is_dir() else 0
    summary = {"sent_events": events, "sent_files": files, "files_left": left, "files_in_use": busy,
               "dropped_events": delivery.dropped_events, "error": failed}
    if args.json:
        _print_json(summary)
    else:
        print(f"labjournal: sent {events} event(s) from {files} spool file(s); {left} file(s) left"
              + (f" ({busy} still written by a running process)" if busy else "")
              + (f"; the server failed: {failed}" if failed else ""))
    return 1 if failed else 0


def cmd_tail(config, args):
    """Follows GET /api/v1/alerts/stream, reconnecting after the last alert seen (Last-Event-ID) when cut."""
    last = args.since
    pause = 1.0
    while True:
        headers = {"Last-Event-ID": str(last)} if last is not None else {}
        try:
            stream = _http.open_stream(f"{config.url}/api/v1/alerts/stream", config.api_key, headers)
        except _http.Unreachable as e:
            print(f"labjournal: {e}; retrying in {pause:g} s", file=sys.stderr)
            time.sleep(pause)
            pause = min(pause * 2, 30.0)
            continue
        if isinstance(stream, _http.Reply):
            error = stream.error()
            print(f"labjournal: {stream.status} {error.get('code')}: {error.get('message')}", file=sys.stderr)
            return 1
        pause = 1.0
        with stream:
            try:
                for event_id, data in _sse_events(stream):
                    if event_id is not None:
                        last = int(event_id) if event_id.isdigit() else last
                    print(data if args.json else _alert_line(data), flush=True)
            except (OSError, ValueError) as e:
                print(f"labjournal: the stream was cut ({e}); reconnecting", file=sys.stderr)


def _sse_events(stream):
    """(id, data) of each event of a text/event-stream; comments (keep-alives) skipped."""
    event_id, data = None, []
    for raw in stream:
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if not line:
            if data:
                yield event_id, "\n".join(data)
            event_id, data = None, []
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "id":
                event_id = value
            elif field == "data":
                data.append(value)


def _alert_line(data):
    try:
        a = json.loads(data)
    except ValueError:
        return data
    parts = [a.get("time", ""), a.get("kind", ""), f"run {a.get('run_id')}"]
    if a.get("run_name"):
        parts.append(repr(a["run_name"]))
    if a.get("rule_name"):
        parts.append(f"rule {a['rule_name']!r}")
    if a.get("metric"):
        parts.append(f"{a['metric']} {a.get('observed')} vs {a.get('baseline')} (delta {a.get('relative_delta')})")
    failure = a.get("failure") or {}
    if failure.get("type"):
        parts.append(f"{failure['type']}: {_one_line(failure.get('message'), 120)}")
    if a.get("duplicates"):
        parts.append(f"{len(a['duplicates'])} earlier run(s) alike")
    return "  ".join(str(p) for p in parts if p)


def _run_line(run):
    where = f"{run.get('team') or '-'}/{run.get('project') or '-'}"
    return f"{run.get('run_id')}  {run.get('status', '?'):9}  {where}  {run.get('name') or ''}".rstrip()


def _section(title, values):
    if values:
        print(f"  {title}: " + ", ".join(f"{k}={v}" for k, v in sorted(values.items())))


def _one_line(text, width):
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _unescape(text):
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&#x27;", "'"),
                         ("&#x2F;", "/"), ("&#47;", "/"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


COMMANDS = {"search": cmd_search, "show": cmd_show, "similar": cmd_similar, "sync": cmd_sync, "tail": cmd_tail}
