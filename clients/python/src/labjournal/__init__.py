"""Lab Journal: record every training run — params, metrics, notes, artifacts, datasets and how it ended — without
ever blocking or breaking the training.

    import labjournal

    with labjournal.start_run(project="imagenet", name="resnet50 bs512", params={"lr": 0.1}) as run:
        for step, batch in enumerate(loader):
            run.log_metrics({"loss": train(batch)}, step=step)

See README.md for configuration (LABJOURNAL_* variables), offline use and the `labjournal` command."""

import atexit
import os
import signal
import sys
import threading

from ._config import Config
from ._client import Client
from ._duplicates import warn_if_duplicate
from ._run import Run, failure_of

__all__ = ["start_run", "active_run", "end_run", "log_metrics", "log_metric", "log_params", "log_param",
           "set_tags", "set_tag", "note", "Run", "Config"]

_lock = threading.RLock()
_clients = {}
_active = []
_exit = {"failure": None, "hooked": False, "signal_installed": False}


def start_run(project=None, name=None, params=None, tags=None, hypothesis=None, team=None, datasets=None,
              run_id=None, url=None, api_key=None, mode=None, directory=None):
    """Starts a run and makes it the active one. Use it as a context manager: an exception inside the block ends
    the run as failed (type, message, stack trace) and is re-raised; KeyboardInterrupt and SIGTERM end it as killed;
    a normal exit as succeeded. `datasets` maps names to local paths (digested) or URIs. Arguments not given come
    from the LABJOURNAL_* environment."""
    config = Config.resolve(url=url, api_key=api_key, mode=mode, directory=directory)
    project = project or config.project
    if not project:
        raise ValueError("start_run needs a project (argument or LABJOURNAL_PROJECT)")
    client = None if config.mode == "disabled" else _client(config)
    run = Run(client, config, project, name=name, params=params, tags=tags, hypothesis=hypothesis, team=team,
              datasets=datasets, run_id=run_id, on_end=_ended)
    if config.mode == "online":
        warn_if_duplicate(config, run.project, run.commit, run.dataset_digests(), run.params)
    run._begin()
    with _lock:
        _active.append(run)
        if client is not None:
            _install_exit_hooks()
    return run


def active_run():
    """The innermost run that has not ended, or None."""
    with _lock:
        return _active[-1] if _active else None


def _current():
    run = active_run()
    if run is None:
        raise RuntimeError("no active run: start one with labjournal.start_run(...)")
    return run


def end_run(status="succeeded"):
    _current().end(status)


def log_metrics(metrics, step=None):
    _current().log_metrics(metrics, step=step)


def log_metric(key, value, step=None):
    _current().log_metric(key, value, step=step)


def log_params(params):
    _current().log_params(params)


def log_param(key, value):
    _current().log_param(key, value)


def set_tags(tags):
    _current().set_tags(tags)


def set_tag(key, value):
    _current().set_tag(key, value)


def note(text, kind="observation"):
    _current().note(text, kind=kind)


def _client(config):
    with _lock:
        client = _clients.get(config)
        if client is None:
            client = _clients[config] = Client(config)
        return client


def _ended(run):
    with _lock:
        if run in _active:
            _active.remove(run)
        if not _active:
            _restore_sigterm()


def _install_exit_hooks():
    if not _exit["hooked"]:
        _exit["hooked"] = True
        atexit.register(_at_exit)
        previous = sys.excepthook

        def excepthook(exc_type, exc, tb):
            _exit["failure"] = exc
            previous(exc_type, exc, tb)

        sys.excepthook = excepthook
    if (not _exit["signal_installed"] and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None)):
        signal.signal(signal.SIGTERM, _on_sigterm)
        _exit["signal_installed"] = True


def _restore_sigterm():
    if _exit["signal_installed"] and threading.current_thread() is threading.main_thread():
        if signal.getsignal(signal.SIGTERM) is _on_sigterm:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _exit["signal_installed"] = False


def _on_sigterm(signum, frame):
    """SIGTERM (no other handler was set): every active run ends as killed, the events are flushed (bounded) or
    spooled, then the default action runs, so the process still dies of SIGTERM as it would have."""
    for run in list(_active):
        run.end("killed", {"type": "SIGTERM", "message": "terminated by signal SIGTERM"}, wait=False)
    _shutdown_clients()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


def _at_exit():
    """Runs not ended (used without `with`) end now: failed with the exception that ended the program, if any."""
    for run in list(reversed(_active)):
        exc = _exit["failure"]
        if exc is None or (isinstance(exc, SystemExit) and exc.code in (None, 0)):
            run.end("succeeded", wait=False)
        elif isinstance(exc, KeyboardInterrupt):
            run.end("killed", {"type": "KeyboardInterrupt", "message": "interrupted (Ctrl-C)"}, wait=False)
        else:
            run.end("failed", failure_of(exc), wait=False)
    _shutdown_clients()


def _forget_in_child():
    """A forked child (a DataLoader worker) has the parent's runs but not its sender thread: it forgets both, so a
    log call there is a clear "no active run" instead of events buffered for a thread that does not exist."""
    global _lock
    _lock = threading.RLock()
    _clients.clear()
    _active.clear()
    _exit["signal_installed"] = False


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


def _shutdown_clients():
    with _lock:
        clients = list(_clients.values())
        _clients.clear()
    for client in clients:
        client.shutdown(client.config.flush_timeout)
