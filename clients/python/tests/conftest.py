import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from fakeserver import FakeServer  # noqa: E402


@pytest.fixture
def fake():
    server = FakeServer()
    yield server
    server.close()


@pytest.fixture
def sdk_env(monkeypatch, tmp_path, fake):
    """The LABJOURNAL_* environment of a test against the fake server, with its own spool directory."""
    for name in list(os.environ):
        if name.startswith("LABJOURNAL_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("LABJOURNAL_URL", fake.url)
    monkeypatch.setenv("LABJOURNAL_API_KEY", "lj_test")
    monkeypatch.setenv("LABJOURNAL_DIR", str(tmp_path / "lj"))
    monkeypatch.setenv("LABJOURNAL_PROJECT", "unit")
    monkeypatch.setenv("LABJOURNAL_FLUSH_TIMEOUT", "5")
    yield tmp_path / "lj"
    import labjournal

    labjournal._shutdown_clients()
