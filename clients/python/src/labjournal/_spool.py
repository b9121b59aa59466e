"""The disk spool: what could not be sent yet, one append-only file of JSON lines per run (and per outage).

A file is `<created ns>-<run id>.jsonl`; beside it `.sent` holds the byte offset up to which its lines were sent
(written atomically) and `.lock` is held (flock) by the process that writes the file, so `labjournal sync` and the
next run only ever send files whose writer is done: closed, or killed (the kernel drops the lock of a dead process).
Lines are sent in file order and files in name (creation) order; a line sent twice (a crash between the send and the
offset write) carries the same event id, which the server keeps once.

The spool is bounded (LABJOURNAL_SPOOL_MAX_BYTES): when it is full, the oldest metric points are dropped, oldest
file first, a tenth of the bound more than needed so that a full spool is not rewritten at every append; params, run
start and run end are never dropped, even past the bound."""

import json
import os
import sys
import threading
import time
from pathlib import Path

from . import _events

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one writer per spool directory is then the user's duty
    fcntl = None


class SpoolFile:
    """One spool file, with its sent offset and its lock (held while this object is open)."""

    def __init__(self, path, lock_fd, owned):
        self.path = path
        self.sent_path = path.with_suffix(".sent")
        self.lock_path = path.with_suffix(".lock")
        self.run_id = path.stem.split("-", 1)[1]
        self._lock_fd = lock_fd
        self.owned = owned
        self._writer = open(path, "ab", buffering=0) if owned else None
        self.offset = self._read_offset()
        self.generation = 0

    def _read_offset(self):
        try:
            return int(self.sent_path.read_text().strip() or 0)
        except (OSError, ValueError):
            return 0

    def size(self):
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def unsent(self):
        return self.size() > self.offset

    def append(self, lines):
        self._writer.write(b"".join(lines))

    def read(self, max_records, max_bytes):
        """Up to max_records unsent records (at most about max_bytes), and the offset after them. A line that is not
        JSON (the torn last line of a killed writer) is skipped."""
        records, used, skipped = [], 0, 0
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            end = self.offset
            while len(records) < max_records and used < max_bytes:
                line = f.readline()
                if not line:
                    break
                if not line.endswith(b"\n") and self.owned:
                    break
                end += len(line)
                try:
                    records.append(json.loads(line))
                    used += len(line)
                except ValueError:
                    skipped += 1
        return records, end, skipped

    def advance(self, offset, generation):
        """Marks the lines before offset as sent (unless the file was rewritten meanwhile: then they are sent again,
        harmless since the server keeps one copy per event id)."""
        if generation != self.generation:
            return
        self.offset = offset
        tmp = self.sent_path.with_suffix(".sent.tmp")
        tmp.write_text(str(offset))
        os.replace(tmp, self.sent_path)

    def drop_oldest_metrics(self, excess):
        """Rewrites the unsent part without its oldest metric events until about `excess` bytes are freed; returns
        (bytes freed, points dropped). Streams the file: nothing but one line at a time in memory."""
        freed = points = 0
        tmp = self.path.with_suffix(".jsonl.tmp")
        with open(self.path, "rb") as src, open(tmp, "wb") as dst:
            src.seek(self.offset)
            for line in src:
                if freed < excess and b'"type": "dev.labjournal.run.metrics.v1"' in line:
                    try:
                        points += _events.point_count(json.loads(line))
                        freed += len(line)
                        continue
                    except ValueError:
                        pass
                dst.write(line)
            dst.flush()
            os.fsync(dst.fileno())
        freed += self.offset
        if self._writer:
            self._writer.close()
        os.replace(tmp, self.path)
        if self._writer:
            self._writer = open(self.path, "ab", buffering=0)
        self.generation += 1
        self.advance(0, self.generation)
        return freed, points

    def sync(self):
        """fsyncs what was appended."""
        if self._writer:
            os.fsync(self._writer.fileno())

    def close(self):
        """fsyncs and closes the file, and releases its lock; the file stays for a later send unless all was sent."""
        if self._writer:
            os.fsync(self._writer.fileno())
            self._writer.close()
            self._writer = None
        if not self.unsent():
            self.remove()
        else:
            self._release()

    def remove(self):
        for p in (self.path, self.sent_path):
            try:
                p.unlink()
            except FileNotFoundError:
                pass
        if self._writer:
            self._writer.close()
            self._writer = None
        try:
            self.lock_path.unlink()
        except FileNotFoundError:
            pass
        self._release()

    def _release(self):
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


def _try_lock(path):
    """The fd of the lock file, locked, or None when another live process holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    if fcntl is None:
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except OSError:
        os.close(fd)
        return None


class Spool:
    """The spool directory, shared by the sender thread and (when the queue is full) the logging threads."""

    def __init__(self, directory, max_bytes):
        self.dir = Path(directory)
        self.max_bytes = max_bytes
        self.lock = threading.RLock()
        self._own = {}
        self._total = None
        self._warned_full = False
        self.dropped_points = 0

    def append(self, records):
        """Appends records, each to the file of its run, in order."""
        if not records:
            return
        with self.lock:
            by_run = {}
            for rec in records:
                by_run.setdefault(rec["event"]["subject"], []).append(rec)
            for run_id, recs in by_run.items():
                lines = [_events.record_json(r).encode("utf-8") + b"\n" for r in recs]
                needed = sum(len(x) for x in lines)
                if not self._make_room(needed):
                    self.dropped_points += sum(_events.point_count(r) for r in recs)
                    lines = [x for r, x in zip(recs, lines) if not _events.is_metrics(r)]
                    needed = sum(len(x) for x in lines)
                if lines:
                    self._file(run_id).append(lines)
                    self._total += needed

    def pending_own(self):
        """This process's files with unsent lines, oldest first."""
        with self.lock:
            return sorted((f for f in self._own.values() if f.unsent()), key=lambda f: f.path.name)

    def has_pending_own(self):
        with self.lock:
            return any(f.unsent() for f in self._own.values())

    def finished_sending(self, spool_file):
        """Removes an own file that is all sent, so the run's next outage starts a new one."""
        with self.lock:
            if spool_file.owned and not spool_file.unsent() and self._own.get(spool_file.run_id) is spool_file:
                del self._own[spool_file.run_id]
                spool_file.remove()

    def close(self, run_id, until_sent=False):
        """The run ended: its file is closed (removed when all of it was sent). With until_sent, a file with unsent
        lines is fsynced and stays among this process's files until sent (finished_sending removes it) or until
        close_all, so that a run which ends while its spool is being sent is sent whole by this process, before its
        flush returns; without (offline), it is closed for `labjournal sync` at once."""
        with self.lock:
            f = self._own.get(run_id)
            if f is None:
                return
            if until_sent and f.unsent():
                f.sync()
            else:
                del self._own[run_id]
                f.close()

    def close_all(self):
        """At exit: every file of this process is closed (fsync, lock released); unsent ones stay for a later send."""
        with self.lock:
            for run_id in list(self._own):
                self._own.pop(run_id).close()

    def closed_files(self):
        """Files no live process writes (closed, or their writer died), oldest first, each locked for the caller,
        who must remove() or close() it. Files locked by a live writer are skipped."""
        if not self.dir.is_dir():
            return []
        taken = []
        own = {f.path for f in self._own.values()}
        for path in sorted(self.dir.glob("*.jsonl")):
            if path in own:
                continue
            fd = _try_lock(path.with_suffix(".lock"))
            if fd is None:
                continue
            if not path.exists():
                path.with_suffix(".lock").unlink(missing_ok=True)
                os.close(fd)
                continue
            taken.append(SpoolFile(path, fd, owned=False))
        return taken

    def busy_files(self):
        """How many files a live process still writes."""
        if not self.dir.is_dir():
            return 0
        return sum(1 for p in self.dir.glob("*.jsonl") if p not in {f.path for f in self._own.values()}
                   and _locked_elsewhere(p.with_suffix(".lock")))

    def _file(self, run_id):
        f = self._own.get(run_id)
        if f is None:
            self.dir.mkdir(parents=True, exist_ok=True)
            path = self.dir / f"{time.time_ns():020d}-{run_id}.jsonl"
            fd = _try_lock(path.with_suffix(".lock"))
            f = self._own[run_id] = SpoolFile(path, fd, owned=True)
        return f

    def _size_on_disk(self):
        if not self.dir.is_dir():
            return 0
        total = 0
        for p in self.dir.glob("*.jsonl"):
            try:
                total += p.stat().st_size
            except OSError:
                pass
        return total

    def _make_room(self, needed):
        if self._total is None:
            self._total = self._size_on_disk()
        if self._total + needed <= self.max_bytes:
            return True
        self._total = self._size_on_disk()
        if self._total + needed <= self.max_bytes:
            return True
        if not self._warned_full:
            self._warned_full = True
            print(f"labjournal: the spool in {self.dir} is full (LABJOURNAL_SPOOL_MAX_BYTES={self.max_bytes});"
                  " dropping the oldest metric points (params, run start and end are kept)", file=sys.stderr)
        candidates = sorted(list(self._own.values()), key=lambda f: f.path.name)
        others = self.closed_files()
        slack = self.max_bytes // 10
        try:
            for f in sorted(candidates + others, key=lambda f: f.path.name):
                excess = self._total + needed - self.max_bytes
                if excess <= 0:
                    break
                excess += slack
                before = f.size()
                _, points = f.drop_oldest_metrics(excess)
                self.dropped_points += points
                self._total -= before - f.size()
        finally:
            for f in others:
                f.close()
        return self._total + needed <= self.max_bytes


def _locked_elsewhere(lock_path):
    if fcntl is None or not lock_path.exists():
        return False
    fd = _try_lock(lock_path)
    if fd is None:
        return True
    os.close(fd)
    return False
