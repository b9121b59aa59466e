"""A run: what the training code calls. Every method checks its input on the caller's thread (a bad value is a
ValueError there) and then only enqueues; the client's thread does the rest."""

import threading
import traceback
import uuid

from . import _capture, _datasets, _events, _validate
from ._client import Item

MAX_FAILURE_TYPE = 500
MAX_MESSAGE = 100000
MAX_STACKTRACE = 500000


def failure_of(exc, step=None):
    """run.finished's failure of an exception: its qualified type, message and whole chained stack trace."""
    cls = type(exc)
    name = cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
    failure = {
        "type": _validate.clean(name, MAX_FAILURE_TYPE),
        "message": _validate.clean(str(exc), MAX_MESSAGE),
        "stacktrace": _validate.clean("".join(traceback.format_exception(cls, exc, exc.__traceback__)),
                                      MAX_STACKTRACE),
    }
    if step is not None:
        failure["step"] = step
    return failure


# Metric keys a run remembers as valid, so that a log call validates each key once.
MAX_KNOWN_KEYS = 10000


class Run:
    def __init__(self, client, config, project, name=None, params=None, tags=None, hypothesis=None, team=None,
                 datasets=None, run_id=None, on_end=None):
        self.config = config
        self.project = _validate.identifier("project", project)
        self.run_id = _validate.identifier("run_id", run_id) if run_id else uuid.uuid4().hex
        self._client = client
        self._on_end = on_end
        self._lock = threading.Lock()
        self._steps = {}
        self._metric_keys = set()
        self._last_step = None
        self._ended = False
        self.status = "running"
        self.params = _validate.string_map("params", params, _validate.MAX_PARAM_VALUE)
        started = {}
        if name is not None:
            started["name"] = _validate.text("name", name, 500)
        if team is not None:
            started["team"] = _validate.team(team)
        if hypothesis is not None:
            started["hypothesis"] = _validate.text("hypothesis", hypothesis, 10000)
        if self.params:
            started["params"] = dict(self.params)
        checked_tags = _validate.string_map("tags", tags, _validate.MAX_TAG_VALUE)
        if checked_tags:
            started["tags"] = checked_tags
        self._datasets = [_datasets.dataset(n, p) for n, p in (datasets or {}).items()]
        if client is None:
            self._started = started
            return
        probe = _capture.gpus_probe()
        source, diff_digest = _capture.git(_capture.code_directory())
        source["entrypoint"] = _capture.entrypoint()
        started["source"] = source
        started["environment"] = _capture.environment(_capture.gpus(probe), diff_digest)
        who = _capture.user()
        if who:
            started["user"] = who
        self._started = started
        self._started_time = _events.now()

    @property
    def url(self):
        """The run's page in the web UI: {LABJOURNAL_URL}/#/runs/{run_id}."""
        return f"{self.config.url}/#/runs/{self.run_id}"

    @property
    def commit(self):
        return self._started.get("source", {}).get("commit")

    def dataset_digests(self):
        return [d["digest"] for d in self._datasets if "digest" in d]

    def _begin(self):
        if self._client is not None:
            self._send_started()
            self._client.watch(self.run_id, self.project, lambda: self._last_step)

    def _send_started(self):
        data = dict(self._started)
        if self._datasets:
            data["datasets"] = list(self._datasets)
        self._enqueue(_events.record(self.run_id, self.project, "started", data, time=self._started_time))

    def _enqueue(self, record):
        if self._client is not None:
            self._client.submit(Item(self.run_id, self.project, record=record))

    def _check_running(self):
        if self._ended:
            raise RuntimeError(f"run {self.run_id} has ended ({self.status}); start another run to log more")

    # ---- logging ---------------------------------------------------------------------------------------------------

    def log_metrics(self, metrics, step=None):
        """Logs metric points; without `step`, each key's step is one after its last (0 at first)."""
        if not hasattr(metrics, "items"):
            raise ValueError(f"metrics must be a mapping of key to number, not {type(metrics).__name__}")
        if step is not None:
            step = _validate.step(step)
        known = self._metric_keys
        values = [(k if k in known else self._new_metric_key(k), _validate.metric_value(k, v)) for k, v in metrics.items()]
        if not values:
            return
        time = _events.now()
        with self._lock:
            self._check_running()
            item = [self.run_id, self.project]
            for k, v in values:
                s = step if step is not None else self._steps.get(k, -1) + 1
                self._steps[k] = s if step is None else max(s, self._steps.get(k, -1))
                if self._last_step is None or s > self._last_step:
                    self._last_step = s
                item += (k, v, s, time)
        if self._client is not None:
            self._client.submit(tuple(item))

    def _new_metric_key(self, key):
        """Validates a metric key seen for the first time; valid keys are remembered (up to MAX_KNOWN_KEYS)."""
        checked = _validate.key("metric", key)
        if len(self._metric_keys) < MAX_KNOWN_KEYS:
            self._metric_keys.add(checked)
        return checked

    def log_metric(self, key, value, step=None):
        self.log_metrics({key: value}, step=step)

    def log_params(self, params):
        """Logs params (values coerced: see _validate.as_string). Params are immutable: another value for a key
        that has one is a ValueError."""
        checked = _validate.string_map("params", params, _validate.MAX_PARAM_VALUE)
        with self._lock:
            self._check_running()
            for k, v in checked.items():
                if k in self.params and self.params[k] != v:
                    raise ValueError(f"param {k!r} is already {self.params[k]!r}; params are immutable,"
                                     f" so it cannot become {v!r} (use a tag for a value that changes)")
            new = {k: v for k, v in checked.items() if k not in self.params}
            self.params.update(new)
        if new:
            self._enqueue(_events.record(self.run_id, self.project, "params", {"params": new}))

    def log_param(self, key, value):
        self.log_params({key: value})

    def set_tags(self, tags):
        checked = _validate.string_map("tags", tags, _validate.MAX_TAG_VALUE)
        self._check_running()
        if checked:
            self._enqueue(_events.record(self.run_id, self.project, "tags", {"tags": checked}))

    def set_tag(self, key, value):
        self.set_tags({key: value})

    def note(self, text, kind="observation"):
        """A note in the run's journal: kind hypothesis, observation or conclusion. Searchable in full text."""
        data = {"text": _validate.text("note", text, 100000, min_length=1), "kind": _validate.note_kind(kind)}
        self._check_running()
        self._enqueue(_events.record(self.run_id, self.project, "note", data))

    def log_artifact(self, uri, path=None, digest=None, size=None, media_type=None):
        """Records an artifact by reference: Lab Journal stores no bytes, only where they are."""
        _validate.text("artifact uri", uri, 2000, min_length=1)
        data = {"uri": uri, "path": _validate.text(
            "artifact path", path if path is not None else (uri.rstrip("/").rsplit("/", 1)[-1] or uri), 1000, 1)}
        if digest is not None:
            data["digest"] = _validate.text("artifact digest", digest, 200)
        if size is not None:
            if isinstance(size, bool) or not isinstance(size, int) or size < 0:
                raise ValueError(f"artifact size must be a non-negative integer, not {size!r}")
            data["size"] = size
        if media_type is not None:
            data["media_type"] = _validate.text("artifact media_type", media_type, 250)
        self._check_running()
        self._enqueue(_events.record(self.run_id, self.project, "artifact", data))

    def log_dataset(self, name, path_or_uri):
        """Adds a dataset the run reads (a local file or directory is digested; a URI is taken as it is). The run's
        start is sent again with every dataset, at its first time, which is how the server learns datasets."""
        entry = _datasets.dataset(name, path_or_uri)
        with self._lock:
            self._check_running()
            self._datasets = [d for d in self._datasets if d["name"] != name] + [entry]
        if self._client is not None:
            self._send_started()
        return entry

    # ---- the end -----------------------------------------------------------------------------------------------

    def end(self, status="succeeded", failure=None, conclusion=None, wait=True):
        """Ends the run (run.finished) and waits, at most LABJOURNAL_FLUSH_TIMEOUT, for its events to be delivered
        or spooled. A second end does nothing."""
        if status not in ("succeeded", "failed", "killed"):
            raise ValueError(f"status {status!r} must be succeeded, failed or killed")
        data = {"status": status}
        if failure:
            data["failure"] = failure
        if conclusion is not None:
            data["conclusion"] = _validate.text("conclusion", conclusion, 100000)
        with self._lock:
            if self._ended:
                return
            self._ended = True
            self.status = status
        if self._client is not None:
            self._client.unwatch(self.run_id)
            self._enqueue(_events.record(self.run_id, self.project, "finished", data))
            self._client.submit(Item(self.run_id, self.project, close=True))
            if wait:
                self._client.flush(self.config.flush_timeout)
        if self._on_end:
            self._on_end(self)

    def fail(self, exc):
        """Ends the run as failed with the exception's type, message and stack trace."""
        self.end("failed", failure_of(exc, self._last_step))

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None:
            self.end("succeeded")
        elif isinstance(exc, KeyboardInterrupt):
            self.end("killed", {"type": "KeyboardInterrupt", "message": "interrupted (Ctrl-C)"})
        elif isinstance(exc, SystemExit) and exc.code in (None, 0):
            self.end("succeeded")
        else:
            self.fail(exc)
        return False
