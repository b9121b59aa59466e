"""What makes a run reproducible, captured at its start: the code (git), the command, the host and the versions.
Every probe is bounded (2 s) and optional: no git, no GPU or a package missing only leaves a field out."""

import getpass
import hashlib
import os
import platform
import shlex
import socket
import subprocess
import sys
import urllib.parse
from importlib import metadata

from . import _validate

PROBE_SECONDS = 2.0
FRAMEWORKS = ("torch", "tensorflow", "jax", "numpy", "scikit-learn", "pandas")


def code_directory():
    """Where the code of the run lives: the directory of the script, or the working directory."""
    script = sys.argv[0] if sys.argv else ""
    if script and os.path.isfile(script):
        return os.path.dirname(os.path.abspath(script))
    return os.getcwd()


def entrypoint():
    return _validate.clean(shlex.join(sys.argv) if sys.argv and sys.argv[0] else sys.executable, 2000)


def _run(args, cwd=None):
    """stdout of a command as bytes, or None if it is absent, fails or takes longer than PROBE_SECONDS."""
    try:
        done = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              stdin=subprocess.DEVNULL, timeout=PROBE_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _text(raw):
    return raw.decode("utf-8", "replace").strip() if raw is not None else None


def strip_credentials(url):
    """A remote URL without the user:token an https remote may carry."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url
    if parts.scheme in ("http", "https") and "@" in parts.netloc:
        host = parts.netloc.rsplit("@", 1)[1]
        return urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return url


def git(directory):
    """(source, diff digest): repo, commit, branch and dirty flag of the git work tree holding directory, and the
    sha256 of `git diff HEAD` (what `dirty` means), or ({}, None) outside git."""
    commit = _text(_run(["git", "rev-parse", "HEAD"], directory))
    if not commit:
        return {}, None
    source = {"commit": _validate.clean(commit, 100)}
    branch = _text(_run(["git", "rev-parse", "--abbrev-ref", "HEAD"], directory))
    if branch and branch != "HEAD":
        source["branch"] = _validate.clean(branch, 500)
    remote = _text(_run(["git", "config", "--get", "remote.origin.url"], directory))
    if remote:
        source["repo"] = _validate.clean(strip_credentials(remote), 2000)
    diff = _run(["git", "diff", "HEAD"], directory)
    digest = None
    if diff is not None:
        source["dirty"] = bool(diff.strip())
        digest = "sha256:" + hashlib.sha256(diff).hexdigest()
    return source, digest


def gpus_probe():
    """Starts `nvidia-smi -L` (when present) so that it runs while git is asked; gpus(probe) reads it."""
    try:
        return subprocess.Popen(["nvidia-smi", "-L"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                stdin=subprocess.DEVNULL)
    except OSError:
        return None


def gpus(probe):
    """The GPU names nvidia-smi lists ("GPU 0: NVIDIA A100-SXM4-80GB (UUID: ...)"), in order."""
    if probe is None:
        return []
    try:
        out, _ = probe.communicate(timeout=PROBE_SECONDS)
    except subprocess.TimeoutExpired:
        probe.kill()
        probe.communicate()
        return []
    if probe.returncode != 0:
        return []
    names = []
    for line in out.decode("utf-8", "replace").splitlines():
        if line.startswith("GPU ") and ":" in line:
            names.append(line.split(":", 1)[1].split("(UUID", 1)[0].strip())
    return names


def environment(gpu_names, diff_digest):
    """The environment map of run.started: python, host, OS, framework versions (read from the installed
    distributions, never imported), GPUs, the git diff digest and this SDK's version."""
    env = {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "host": socket.gethostname(),
        "os": platform.platform(),
        "labjournal": _own_version(),
    }
    for name in FRAMEWORKS:
        try:
            env[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    if gpu_names:
        counts = {}
        for n in gpu_names:
            counts[n] = counts.get(n, 0) + 1
        env["gpu"] = ", ".join(n if c == 1 else f"{c}x {n}" for n, c in counts.items())
        env["gpu_count"] = str(len(gpu_names))
    if diff_digest:
        env["git_diff_sha256"] = diff_digest
    return {k: _validate.clean(v, 5000) for k, v in env.items() if v}


def user():
    try:
        return _validate.clean(getpass.getuser(), 250)
    except Exception:  # getpass raises whatever the platform's lookup raises when there is no user name
        return None


def _own_version():
    try:
        return metadata.version("labjournal")
    except metadata.PackageNotFoundError:
        return "dev"
