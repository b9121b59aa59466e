"""The client of one configuration in a process: the bounded queue the log calls fill, the thread that batches and
sends, the spool it falls back to, and the thread that spills a full queue to the spool. Logging never blocks: a call
only enqueues; when the queue is full the call's item waits behind it while the spill thread writes both to the spool
(order kept)."""

import collections
import random
import threading
import time

from . import _events
from ._delivery import Delivery, Retry, Warnings
from ._spool import Spool

LINGER_SECONDS = 1.0
# A batch (one request, usually) holds up to MAX_POINTS_PER_BATCH metric points and MAX_RECORDS_PER_BATCH other
# records: fewer, bigger requests cost the training thread less (every request is a dozen system calls, each a hand-over
# of the GIL), and the records it makes (each of at most 1,000 points) stay under the server's 1,000 events a request.
MAX_POINTS_PER_BATCH = 10000
MAX_RECORDS_PER_BATCH = 400
MAX_SPOOL_READ_RECORDS = 1000
SEND_ATTEMPTS = (0.0, 0.2, 0.5, 1.0, 2.0)
MAX_RETRY_SECONDS = 15.0
CLOSED_CHECK_SECONDS = 5.0
DRAIN_BATCHES_PER_TURN = 20
# How the sender waits, so that a log call wakes it only when that helps: when it waits for a first item (IDLE), or,
# while it lingers to fill a batch (LINGERING), once enough items wait to fill it (at most half the queue, so that
# the queue does not fill first); waking it for every item would hand the GIL to the sender on every log call.
IDLE = "idle"
LINGERING = "lingering"
# How many buffers' worth of log calls may wait for the spill thread before a log call spills them itself.
OVERFLOW_FACTOR = 10


class Item:
    """A buffered log call that is not metric points: a ready record, or an instruction (close a run's spool file)."""

    __slots__ = ("run_id", "project", "record", "close")

    def __init__(self, run_id, project, record=None, close=False):
        self.run_id = run_id
        self.project = project
        self.record = record
        self.close = close


# A log call's metric points are buffered as one flat tuple, a metrics item: (run_id, project, key, value, step, time,
# key, value, step, time, ...). One object of atoms per call, which the garbage collector stops tracking at its first
# look; an object, a list and a tuple per point made young collections three times as frequent in a training loop
# (each one a log call that waits) and older collections walk every buffered call.
POINT_FIELDS = 4


def item_points(item):
    """The points (key, value, step, time) of a metrics item."""
    if len(item) == 2 + POINT_FIELDS:
        return (item[2:],)
    return [item[i:i + POINT_FIELDS] for i in range(2, len(item), POINT_FIELDS)]


def to_records(items):
    """Records of the items in order; consecutive metric points of a run share events of up to 1000 points."""
    records, open_metrics = [], {}
    limit = _events.MAX_POINTS_PER_EVENT
    for item in items:
        if type(item) is tuple:
            run_id = item[0]
            points = item_points(item)
            metrics = open_metrics.get(run_id)
            start = 0
            while start < len(points):
                if metrics is None or len(metrics) >= limit:
                    metrics = []
                    records.append(_events.record(run_id, item[1], "metrics", {"metrics": metrics}))
                    open_metrics[run_id] = metrics
                room = limit - len(metrics)
                metrics.extend(points[start:start + room])
                start += room
        elif item.record is not None:
            open_metrics.pop(item.run_id, None)
            records.append(item.record)
    return records


class Batch:
    """What the sender thread has taken from the buffer: items, and their records once it stops collecting."""

    __slots__ = ("items", "records")

    def __init__(self):
        self.items = []
        self.records = None

    def to_records(self):
        if self.records is None:
            self.records = to_records(self.items)
        return self.records


class Client:
    def __init__(self, config):
        self.config = config
        self.offline = config.mode == "offline"
        self.warnings = Warnings()
        self.spool = Spool(config.spool_dir, config.spool_max_bytes)
        self.delivery = Delivery(config, self.warnings)
        self._cv = threading.Condition()
        self._buffer = collections.deque()
        self._batch = None
        self._batch_spooled = False
        self._flush_wanted = False
        self._sender_waits = None
        self._wake_at = 1
        self._enqueued = 0
        self._handled = 0
        self._spooling = self.offline
        self._retry_at = 0.0
        self._failed_at = -1.0
        self._flushes = 0
        self._flush_started = 0.0
        self._backoff = 1.0
        self._probe = False
        self._next_closed_check = 0.0
        self._stopped = False
        self._heartbeats = {}
        self._next_heartbeat = time.monotonic() + config.heartbeat_seconds
        self._overflow = collections.deque()
        self._spill_wanted = threading.Event()
        self._thread = threading.Thread(target=self._run, name="labjournal-sender", daemon=True)
        self._thread.start()
        self._spiller = threading.Thread(target=self._spill_loop, name="labjournal-spill", daemon=True)
        self._spiller.start()

    # ---- the logging threads' side -------------------------------------------------------------------------------

    def submit(self, item):
        """Buffers the item. When the buffer is full the item waits in the overflow, behind the buffer, and the spill
        thread moves the sender's batch, the buffer and the overflow to the spool, so the log call does not do that
        work (and never waits for the network). Only when the overflow outgrows OVERFLOW_FACTOR buffers (the disk is
        slower than the training) does the call spill itself: memory stays bounded and nothing is lost."""
        with self._cv:
            self._enqueued += 1
            if not self._overflow and len(self._buffer) < self.config.queue_size:
                self._buffer.append(item)
                if self._sender_waits == IDLE or (self._sender_waits == LINGERING and len(self._buffer) >= self._wake_at):
                    self._cv.notify_all()
                return
            self._overflow.append(item)
            spill_here = len(self._overflow) > OVERFLOW_FACTOR * self.config.queue_size
        if spill_here:
            self._spill()
        else:
            self._spill_wanted.set()

    def _spill_loop(self):
        while True:
            self._spill_wanted.wait()
            self._spill_wanted.clear()
            if self._stopped:
                return
            self._spill()

    def _spill(self):
        """The sender's current batch (unless already spooled), the buffer and the overflow go to the spool, in that
        order, so the spool keeps the order of the log calls. If the batch was being sent and arrives, its copy in
        the spool is sent again later with the same ids: harmless."""
        with self.spool.lock:
            if self._stopped:
                return
            batch, items = self._take_all()
            records = (batch.to_records() if batch else []) + to_records(items)
            self.spool.append(records)
            if not self.offline:
                self._spooling = True
            taken = (batch.items if batch else []) + items
            self._close_files(taken)
        self._mark_handled(len(taken))

    def _take_all(self):
        """(the sender's batch if not spooled yet, every buffered and overflowing item), now the caller's to spool."""
        with self._cv:
            batch = self._batch if self._batch is not None and not self._batch_spooled else None
            if batch is not None:
                self._batch_spooled = True
                batch.to_records()
            items = list(self._buffer) + list(self._overflow)
            self._buffer.clear()
            self._overflow.clear()
        return batch, items

    def _close_files(self, items):
        for i in items:
            if type(i) is not tuple and i.close:
                self.spool.close(i.run_id, until_sent=not self.offline)

    def watch(self, run_id, project, step):
        """Sends a heartbeat of the run every heartbeat interval; `step` answers its current step."""
        self._heartbeats[run_id] = (project, step)

    def unwatch(self, run_id):
        self._heartbeats.pop(run_id, None)

    def flush(self, timeout):
        """Waits at most `timeout` seconds until everything submitted so far is delivered, or spooled while the server
        is away: what a full queue put in the spool is sent now (without waiting for the retry backoff), and the wait
        ends early only when a send made after this call began failed."""
        started = time.monotonic()
        deadline = started + timeout
        with self._cv:
            target = self._enqueued
            self._flush_wanted = True
            self._flushes += 1
            self._flush_started = started
            self._cv.notify_all()
            try:
                while not (self._handled >= target and (self.offline or not self._spooling
                                                        or self._failed_at >= started)):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or not self._thread.is_alive():
                        return False
                    self._cv.wait(min(remaining, 0.5))
            finally:
                self._flushes -= 1
        return True

    def _flush_drains(self):
        """Whether a waiting flush wants the spool sent now: it began after the last failed send."""
        return self._flushes > 0 and self._spooling and self._failed_at < self._flush_started

    def shutdown(self, timeout):
        """At exit: a bounded flush, then whatever is still buffered or being sent goes to the spool (what was being
        sent may also have arrived; its ids make the second copy harmless), and the spool files are closed (fsync)."""
        delivered = self.flush(timeout)
        with self.spool.lock:
            self._stopped = True
            batch, items = self._take_all()
            self.spool.append((batch.to_records() if batch else []) + to_records(items))
            self.spool.close_all()
        self._spill_wanted.set()
        if not delivered and not self.offline:
            self.warnings.once("exit_spooled", f"not everything reached the server within {timeout:g} s;"
                               f" the rest is in {self.spool.dir} (sent by the next run, or `labjournal sync`)")
        if self.spool.dropped_points or self.delivery.dropped_events:
            self.warnings.once("exit_dropped", f"dropped {self.spool.dropped_points} metric point(s) for a full spool"
                               f" and {self.delivery.dropped_events} event(s) the server refused")

    def _mark_handled(self, n):
        with self._cv:
            self._handled += n
            self._cv.notify_all()

    # ---- the sender thread ---------------------------------------------------------------------------------------

    def _run(self):
        while not self._stopped:
            batch = self._collect()
            if batch is not None:
                self._process(batch)
            if self._stopped:
                return
            self._heartbeat()
            self._drain()

    def _collect(self):
        """The next batch: waits (at most 0.5 s, for the periodic jobs) for a first item, then takes what follows
        for up to LINGER_SECONDS (less when a flush asks) or until the batch is full."""
        with self._cv:
            if not self._buffer:
                if self._flush_drains():
                    return None
                self._sender_waits = IDLE
                self._cv.wait(0.5)
                self._sender_waits = None
                if not self._buffer:
                    self._flush_wanted = False
                    return None
            batch = self._batch = Batch()
            self._batch_spooled = False
            points = records = 0
            deadline = time.monotonic() + LINGER_SECONDS
            while records < MAX_RECORDS_PER_BATCH and points < MAX_POINTS_PER_BATCH:
                if self._buffer:
                    item = self._buffer.popleft()
                    batch.items.append(item)
                    if type(item) is tuple:
                        points += (len(item) - 2) // POINT_FIELDS
                    else:
                        records += 1
                    continue
                remaining = deadline - time.monotonic()
                if self._flush_wanted or remaining <= 0 or self._stopped:
                    break
                self._sender_waits = LINGERING
                self._wake_at = max(1, min(MAX_POINTS_PER_BATCH - points, self.config.queue_size // 2))
                self._cv.wait(remaining)
                self._sender_waits = None
                if self._batch_spooled:
                    break
            if not self._buffer:
                self._flush_wanted = False
            if self._batch_spooled:
                self._batch = None
                return None
            batch.to_records()
            return batch

    def _process(self, batch):
        """Delivers the batch or spools it; then its runs' spool files that were asked to close are closed."""
        records = batch.records
        spooled = False
        with self.spool.lock:
            if self._stopped or self._is_taken(batch):
                return
            if self._spooling or self.spool.has_pending_own():
                self.spool.append(records)
                spooled = True
        if not spooled and records:
            try:
                self._send_with_retries(records)
            except Retry:
                # The server is away even when a spill took the batch meanwhile: the next drain waits and probes.
                with self.spool.lock:
                    if not self._stopped:
                        if not self._is_taken(batch):
                            self.spool.append(records)
                        self._enter_spooling()
        with self.spool.lock:
            if self._stopped or self._is_taken(batch):
                return
            self._close_files(batch.items)
            with self._cv:
                self._batch = None
                self._handled += len(batch.items)
                self._cv.notify_all()

    def _is_taken(self, batch):
        """Whether a spill (or the exit) took the batch into the spool: then it is no longer the sender's."""
        with self._cv:
            return self._batch is not batch or self._batch_spooled

    def _send_with_retries(self, records):
        """Bounded retries with jittered exponential backoff; Retry when the last one fails too. The records are
        encoded once, at the first attempt that reaches the server's configuration."""
        encoded = None
        for i, pause in enumerate(SEND_ATTEMPTS):
            if pause:
                time.sleep(pause * random.uniform(0.8, 1.2))
            if self._stopped:
                raise Retry("stopped")
            try:
                if encoded is None:
                    encoded = self.delivery.encode(records)
                self.delivery.send_encoded(encoded)
                return
            except Retry:
                if i == len(SEND_ATTEMPTS) - 1:
                    raise

    def _enter_spooling(self):
        if not self._spooling:
            self._backoff = 1.0
        self._spooling = True
        self._probe = True
        now = time.monotonic()
        self._retry_at = now + self._backoff
        self._backoff = min(self._backoff * 2, MAX_RETRY_SECONDS)
        with self._cv:
            self._failed_at = now
            self._cv.notify_all()

    def _heartbeat(self):
        now = time.monotonic()
        if now < self._next_heartbeat:
            return
        self._next_heartbeat = now + self.config.heartbeat_seconds
        if self._spooling:
            return
        for run_id, (project, step) in list(self._heartbeats.items()):
            current = step()
            data = {} if current is None else {"step": current}
            self.submit(Item(run_id, project, record=_events.record(run_id, project, "heartbeat", data)))

    def _drain(self):
        """Sends the spool when it is time: this process's own files first (while there are any, new events queue
        behind them, which keeps each run in order), then files of earlier runs and processes, one batch at a time
        between live batches. A failure waits for the next retry, with backoff (unless a flush waits)."""
        if self.offline:
            return
        now = time.monotonic()
        if self._spooling:
            if now < self._retry_at and not self._flush_drains():
                return
            try:
                self._drain_own()
            except Retry:
                with self.spool.lock:
                    self._enter_spooling()
                return
        if now < self._next_closed_check or self._buffer:
            return
        self._next_closed_check = now + CLOSED_CHECK_SECONDS
        try:
            send_closed_files(self.spool, self.delivery, stop=lambda: self._stopped or bool(self._buffer))
        except Retry:
            with self.spool.lock:
                self._enter_spooling()

    def _drain_own(self):
        """Sends this process's spool files in order. After a failed send the first request carries one record (a
        probe), not a whole read: while the server stays down, a retry parses and encodes no megabytes of spool."""
        for _ in range(DRAIN_BATCHES_PER_TURN):
            with self.spool.lock:
                pending = self.spool.pending_own()
                if not pending:
                    self._spooling = False
                    self._backoff = 1.0
                    with self._cv:
                        self._cv.notify_all()
                    return
                f = pending[0]
                records, end, _ = f.read(1 if self._probe else MAX_SPOOL_READ_RECORDS, 4 << 20)
                generation = f.generation
            self.delivery.send(records)
            self._probe = False
            with self.spool.lock:
                if self._stopped:
                    return
                f.advance(end, generation)
                self.spool.finished_sending(f)


def send_closed_files(spool, delivery, stop=lambda: False):
    """Sends every spool file no live process writes, oldest first, each in order, and removes it; returns
    (events, files) sent. Raises Retry when the server fails; what was sent until then stays marked sent."""
    taken = spool.closed_files()
    events = files = 0
    try:
        while taken and not stop():
            f = taken[0]
            while True:
                records, end, _ = f.read(MAX_SPOOL_READ_RECORDS, 4 << 20)
                if end == f.offset:
                    break
                delivery.send(records)
                f.advance(end, f.generation)
                events += len(records)
            taken.pop(0).remove()
            files += 1
    finally:
        for f in taken:
            f.close()
    return events, files
