"""Dataset references: a content digest of a local file or directory, or a URI taken as it is."""

import hashlib
import os
from pathlib import Path

from . import _validate

CHUNK = 1 << 20


def _file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def _directory_sha256(root):
    """sha256 of the sorted listing "relative/path<TAB>size<TAB>sha256\\n" of every file below root (POSIX
    separators, symbolic links not followed), so the digest names the content, not the file times."""
    listing = hashlib.sha256()
    files = []
    for directory, dirs, names in os.walk(root):
        dirs.sort()
        for name in names:
            full = os.path.join(directory, name)
            if os.path.isfile(full) and not os.path.islink(full):
                files.append((Path(os.path.relpath(full, root)).as_posix(), full))
    for relative, full in sorted(files):
        listing.update(f"{relative}\t{os.path.getsize(full)}\t{_file_sha256(full)}\n".encode("utf-8"))
    return listing.hexdigest()


def dataset(name, path_or_uri):
    """The run.started dataset entry: {"name", "uri", "digest"} for a local path, {"name", "uri"} for a URI."""
    _validate.text("dataset name", name, 500, min_length=1)
    if not isinstance(path_or_uri, (str, os.PathLike)):
        raise ValueError(f"dataset {name!r}: path_or_uri must be a path or a URI string")
    value = os.fspath(path_or_uri)
    if "://" in value:
        return {"name": name, "uri": _validate.text(f"dataset {name!r} uri", value, 2000, min_length=1)}
    path = Path(value).expanduser().resolve()
    if path.is_file():
        digest = _file_sha256(path)
    elif path.is_dir():
        digest = _directory_sha256(path)
    else:
        raise ValueError(f"dataset {name!r}: {value!r} is neither an existing file or directory nor a URI")
    return {"name": name, "uri": path.as_uri()[:2000], "digest": "sha256:" + digest}
