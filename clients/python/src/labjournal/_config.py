"""Configuration from arguments or the environment (arguments win)."""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

MODES = ("online", "offline", "disabled")


@dataclass(frozen=True)
class Config:
    url: str = "http://127.0.0.1:8080"
    """LABJOURNAL_URL: the query service; the SDK asks it (GET /api/v1/client-config) for the tenant and ingest URL."""
    api_key: Optional[str] = None
    """LABJOURNAL_API_KEY: a key with the ingest scope (and read, for the duplicate warning and the CLI)."""
    project: Optional[str] = None
    """LABJOURNAL_PROJECT: the project when start_run names none."""
    mode: str = "online"
    """LABJOURNAL_MODE: online (send, spool when the server is unreachable), offline (spool only; `labjournal sync`
    sends it) or disabled (nothing at all: no thread, no network, no file)."""
    directory: Path = Path("~/.labjournal").expanduser()
    """LABJOURNAL_DIR: where the spool lives (its spool/ folder)."""
    ingest_url: Optional[str] = None
    """LABJOURNAL_INGEST_URL: overrides the ingest URL that client-config answers."""
    tenant: Optional[str] = None
    """LABJOURNAL_TENANT: the tenant, when the server answers no client-config (older servers)."""
    spool_max_bytes: int = 1 << 30
    """LABJOURNAL_SPOOL_MAX_BYTES: the spool's bound; beyond it the oldest metric points are dropped."""
    flush_timeout: float = 10.0
    """LABJOURNAL_FLUSH_TIMEOUT: seconds the end of a run and the exit wait for delivery before spooling the rest."""
    heartbeat_seconds: float = 60.0
    """LABJOURNAL_HEARTBEAT_SECONDS: how often a running run says it is alive."""
    queue_size: int = 10000
    """LABJOURNAL_QUEUE_SIZE: log calls buffered in memory; beyond it they go to the spool at once."""
    request_timeout: float = 10.0
    """LABJOURNAL_REQUEST_TIMEOUT: seconds one HTTP request may take."""

    @staticmethod
    def resolve(**overrides):
        """The configuration of the environment, with the arguments that are not None on top."""
        env = os.environ
        values = dict(
            url=env.get("LABJOURNAL_URL", Config.url),
            api_key=env.get("LABJOURNAL_API_KEY") or None,
            project=env.get("LABJOURNAL_PROJECT") or None,
            mode=env.get("LABJOURNAL_MODE", Config.mode).strip().lower(),
            directory=Path(env.get("LABJOURNAL_DIR", "~/.labjournal")).expanduser(),
            ingest_url=env.get("LABJOURNAL_INGEST_URL") or None,
            tenant=env.get("LABJOURNAL_TENANT") or None,
            spool_max_bytes=_number(env, "LABJOURNAL_SPOOL_MAX_BYTES", int, Config.spool_max_bytes),
            flush_timeout=_number(env, "LABJOURNAL_FLUSH_TIMEOUT", float, Config.flush_timeout),
            heartbeat_seconds=_number(env, "LABJOURNAL_HEARTBEAT_SECONDS", float, Config.heartbeat_seconds),
            queue_size=_number(env, "LABJOURNAL_QUEUE_SIZE", int, Config.queue_size),
            request_timeout=_number(env, "LABJOURNAL_REQUEST_TIMEOUT", float, Config.request_timeout),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        if values["mode"] not in MODES:
            raise ValueError(f"LABJOURNAL_MODE {values['mode']!r} must be one of {', '.join(MODES)}")
        values["url"] = values["url"].rstrip("/")
        if values["ingest_url"]:
            values["ingest_url"] = values["ingest_url"].rstrip("/")
        values["directory"] = Path(values["directory"]).expanduser()
        return Config(**values)

    @property
    def spool_dir(self):
        return self.directory / "spool"


def _number(env, name, kind, default):
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name} must be a {kind.__name__}, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive, not {raw!r}")
    return value
