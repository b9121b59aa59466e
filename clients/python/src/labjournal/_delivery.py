"""Sending records to ingest-service: POST /api/v1/events as one CloudEvents batch, and what each answer means."""

import sys
import threading

from . import _events, _http

BATCH = "application/cloudevents-batch+json"
MAX_EVENTS = 1000
MAX_BODY_BYTES = 8 << 20


class Retry(Exception):
    """Nothing was lost but nothing (more) was delivered: the server is unreachable, failing, overloaded or refuses
    the key. The records are to be kept (spooled) and sent again later."""


class Warnings:
    """Prints each kind of warning once per process, on stderr, prefixed "labjournal: "."""

    def __init__(self):
        self._seen = set()
        self._lock = threading.Lock()

    def once(self, kind, message):
        with self._lock:
            if kind in self._seen:
                return
            self._seen.add(kind)
        print(f"labjournal: {message}", file=sys.stderr, flush=True)


class Delivery:
    def __init__(self, config, warnings):
        self.config = config
        self.warnings = warnings
        self._endpoint = None
        self.dropped_events = 0

    def endpoint(self):
        """(tenant, ingest URL): from GET {url}/api/v1/client-config once per process, under the overrides."""
        if self._endpoint:
            return self._endpoint
        cfg = self.config
        if cfg.tenant and cfg.ingest_url:
            self._endpoint = (cfg.tenant, cfg.ingest_url)
            return self._endpoint
        url = f"{cfg.url}/api/v1/client-config"
        try:
            reply = _http.request("GET", url, cfg.api_key, timeout=cfg.request_timeout)
        except _http.Unreachable as e:
            raise Retry(str(e)) from None
        if reply.status == 200 and isinstance(reply.body, dict) and reply.body.get("tenant"):
            tenant = cfg.tenant or reply.body["tenant"]
            ingest = (cfg.ingest_url or reply.body.get("ingest_url") or "").rstrip("/")
            if ingest:
                self._endpoint = (tenant, ingest)
                return self._endpoint
        self._refused("client_config", f"GET {url}", reply,
                      hint="; set LABJOURNAL_TENANT and LABJOURNAL_INGEST_URL for a server without client-config"
                      if reply.status == 404 else "")

    def send(self, records):
        """Delivers the records, or raises Retry. Events the server refuses for their content (a 400 naming them) are
        the caller's bug: warned about once and dropped, and the rest is sent again."""
        self.send_encoded(self.encode(records))

    def encode(self, records):
        """The records as CloudEvents of the tenant, with their JSON texts, for send_encoded (retries encode once)."""
        if not records:
            return [], []
        tenant, _ = self.endpoint()
        events = [_events.cloud_event(r, tenant) for r in records]
        return events, [_events.event_json(e) for e in events]

    def send_encoded(self, encoded):
        events, texts = encoded
        if events:
            self._post(self.endpoint()[1], events, texts)

    def _post(self, ingest, events, texts):
        """POSTs the events (with their JSON texts) in requests of at most MAX_EVENTS and about MAX_BODY_BYTES."""
        while events:
            n = _request_size(texts)
            body = ("[" + ", ".join(texts[:n]) + "]").encode("utf-8")
            url = f"{ingest}/api/v1/events"
            try:
                reply = _http.request("POST", url, self.config.api_key, body, BATCH,
                                      timeout=self.config.request_timeout)
            except _http.Unreachable as e:
                raise Retry(str(e)) from None
            if 200 <= reply.status < 300:
                events, texts = events[n:], texts[n:]
                continue
            if reply.status == 413 and n > 1:
                half = n // 2
                self._post(ingest, events[:half], texts[:half])
                events, texts = events[half:], texts[half:]
                continue
            if reply.status in (400, 413):
                kept = self._drop_refused(events[:n], reply)
                events, texts = [events[i] for i in kept] + events[n:], [texts[i] for i in kept] + texts[n:]
                continue
            self._refused("ingest", f"POST {url}", reply)

    def _drop_refused(self, events, reply):
        """The indexes of the events that remain after dropping those the 400 names (all of them when it names
        none)."""
        error = reply.error()
        details = error.get("details") if isinstance(error.get("details"), list) else []
        refused = {}
        for d in details:
            if isinstance(d, dict) and isinstance(d.get("index"), int):
                refused.setdefault(d["index"], d)
        if not refused:
            refused = {i: {"code": error.get("code"), "path": None, "reason": error.get("message")}
                       for i in range(len(events))}
        first_index = min(refused)
        first = refused[first_index]
        event = events[first_index]
        self.warnings.once(
            "refused_event",
            f"the server refused an event ({event.get('type')} {event.get('id')} of run {event.get('subject')}):"
            f" {first.get('code')} at {first.get('path')}: {first.get('reason')}; it was dropped"
            " (later refusals are dropped without a message)")
        self.dropped_events += len(refused)
        return [i for i in range(len(events)) if i not in refused]

    def _refused(self, kind, what, reply, hint=""):
        """A refusal that is no fault of the events (a bad key or URL, overload, a server error): kept, sent later.
        Overload and server errors pass as an outage does; a 4xx is said once, since it needs a person."""
        if reply.status == 429 or reply.status >= 500:
            raise Retry(f"{what}: {reply.status}")
        error = reply.error()
        self.warnings.once(
            f"{kind}_{reply.status}",
            f"{what} answered {reply.status} {error.get('code')}: {error.get('message')}{hint};"
            " keeping the events in the spool to send later")
        raise Retry(f"{what}: {reply.status}")


def _request_size(texts):
    """How many of the leading event texts go in one request: at most MAX_EVENTS, and as many as fit in
    MAX_BODY_BYTES (at least one). The texts are ASCII (json.dumps escapes the rest), so characters are bytes."""
    size, n = 2, 0
    for text in texts[:MAX_EVENTS]:
        size += len(text) + 2
        if n and size > MAX_BODY_BYTES:
            break
        n += 1
    return n
