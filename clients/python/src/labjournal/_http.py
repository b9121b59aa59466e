"""HTTP with the standard library: JSON in, JSON out, every transport failure as one exception type."""

import http.client
import json
import socket
import urllib.error
import urllib.parse
import urllib.request

USER_AGENT = "labjournal-python/0.1.0"


class Unreachable(Exception):
    """The server could not be reached or gave no complete answer (refused, reset, timed out)."""


class Reply:
    def __init__(self, status, body, headers):
        self.status = status
        self.body = body
        self.headers = headers

    def error(self):
        """The error of a non-2xx answer, as {"code", "message", "details"} (the API's error envelope)."""
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return self.body["error"]
        return {"code": f"http_{self.status}", "message": str(self.body)[:500], "details": None}


def request(method, url, api_key=None, body=None, content_type="application/json", timeout=10.0, headers=None):
    """One request; returns its Reply for any HTTP status, raises Unreachable when there is none."""
    data = None
    all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body, allow_nan=False).encode("utf-8")
        all_headers["Content-Type"] = content_type
    if api_key:
        all_headers["Authorization"] = f"Bearer {api_key}"
    all_headers.update(headers or {})
    req = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return Reply(response.status, _parse(response.read()), response.headers)
    except urllib.error.HTTPError as e:
        try:
            raw = e.read()
        except (OSError, http.client.HTTPException):
            raw = b""
        return Reply(e.code, _parse(raw), e.headers)
    except (urllib.error.URLError, OSError, http.client.HTTPException, socket.timeout) as e:
        raise Unreachable(f"{method} {url}: {getattr(e, 'reason', e)}") from None


def open_stream(url, api_key, headers=None, timeout=None):
    """An open response for streaming (Server-Sent Events); the caller closes it."""
    all_headers = {"User-Agent": USER_AGENT, "Accept": "text/event-stream"}
    if api_key:
        all_headers["Authorization"] = f"Bearer {api_key}"
    all_headers.update(headers or {})
    req = urllib.request.Request(url, method="GET", headers=all_headers)
    try:
        return urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        return Reply(e.code, _parse(e.read()), e.headers)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
        raise Unreachable(f"GET {url}: {getattr(e, 'reason', e)}") from None


def url_with(base, path, **query):
    """base + path (its segments quoted) + the query parameters that are not None."""
    params = {k: v for k, v in query.items() if v is not None}
    return base + path + ("?" + urllib.parse.urlencode(params) if params else "")


def quote(segment):
    return urllib.parse.quote(segment, safe="")


def _parse(raw):
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return raw.decode("utf-8", "replace")
