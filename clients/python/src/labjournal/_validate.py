"""Checks and coercions done on the caller's thread, so that a bad value is a ValueError at the call that made it
(the caller's bug) and never an event the server refuses later. Limits are those of the event schemas
(schemas/src/main/resources/labjournal/schemas/*.json)."""

import math
import operator
import re

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_\-. /:]+$")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
TEAM_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")

MAX_KEY = 250
MAX_PARAM_VALUE = 6000
MAX_TAG_VALUE = 5000
MAX_ENTRIES = 1000
MAX_STEP = 9223372036854775807
NOTE_KINDS = ("hypothesis", "observation", "conclusion")


def text(what, value, max_length, min_length=0):
    """A string the server accepts: no NUL, no unpaired surrogate, within the length limits."""
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string, not {type(value).__name__}")
    if len(value) < min_length:
        raise ValueError(f"{what} must have at least {min_length} character(s)")
    if len(value) > max_length:
        raise ValueError(f"{what} has {len(value)} characters; at most {max_length} are allowed")
    if "\x00" in value:
        raise ValueError(f"{what} contains the NUL character (U+0000), which Lab Journal does not accept")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ValueError(f"{what} contains an unpaired surrogate at index {e.start}") from None
    return value


def key(what, value):
    """A param, tag, metric or environment key: 1 to 250 of ASCII letters, digits, '_', '-', '.', ' ', '/', ':'."""
    if not isinstance(value, str):
        raise ValueError(f"{what} key {value!r} must be a string, not {type(value).__name__}")
    if not value or len(value) > MAX_KEY:
        raise ValueError(f"{what} key {value[:40]!r} has {len(value)} characters; 1 to {MAX_KEY} are allowed")
    if not KEY_PATTERN.match(value):
        raise ValueError(
            f"{what} key {value!r} may hold only ASCII letters, digits, '_', '-', '.', ' ', '/' and ':'")
    return value


def identifier(what, value):
    """A project or run id: 1 to 128 of letters, digits, '.', '_', '-', starting with a letter or digit."""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise ValueError(
            f"{what} {value!r} must be 1 to 128 characters of letters, digits, '.', '_' and '-',"
            " starting with a letter or digit")
    return value


def team(value):
    if value is None:
        return None
    if not isinstance(value, str) or not TEAM_PATTERN.match(value):
        raise ValueError(
            f"team {value!r} must be 1 to 63 characters of lowercase letters, digits and '-',"
            " starting with a letter or digit")
    return value


def as_string(value):
    """How a non-string param or tag value is written: bools as "true"/"false" (as JSON and the other SDKs write
    them), None as "null", anything else as str(value)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def string_map(what, values, max_value):
    """A params or tags map: keys checked, values coerced with as_string and checked."""
    if values is None:
        return {}
    if not hasattr(values, "items"):
        raise ValueError(f"{what} must be a mapping of key to value, not {type(values).__name__}")
    if len(values) > MAX_ENTRIES:
        raise ValueError(f"{what} has {len(values)} entries; at most {MAX_ENTRIES} are allowed per call")
    checked = {}
    for k, v in values.items():
        key(what[:-1] if what.endswith("s") else what, k)
        checked[k] = text(f"{what[:-1]} {k!r}", as_string(v), max_value)
    return checked


def metric_value(name, value):
    """A JSON number, or "NaN", "Infinity", "-Infinity" as the run.metrics schema spells the IEEE 754 values JSON
    cannot write. Anything float() takes is a number (numpy scalars, 0-d tensors); strings are refused."""
    if isinstance(value, (str, bytes)):
        raise ValueError(f"metric {name!r} must be a number, not the string {value!r}")
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return float(value) if abs(value) > 2**53 else value
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"metric {name!r} must be a number, not {type(value).__name__}") from None
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return number


def step(value):
    """A step: an integer (numpy integers too) from 0 to 2**63 - 1."""
    try:
        if isinstance(value, bool):
            raise TypeError
        value = operator.index(value)
    except TypeError:
        raise ValueError(f"step must be an integer, not {value!r}") from None
    if value < 0 or value > MAX_STEP:
        raise ValueError(f"step {value} is out of range: 0 to {MAX_STEP}")
    return value


def note_kind(kind):
    if kind not in NOTE_KINDS:
        raise ValueError(f"note kind {kind!r} must be one of {', '.join(NOTE_KINDS)}")
    return kind


def clean(value, max_length):
    """A captured string (a stack trace, a git branch) made acceptable rather than refused: NUL and unpaired
    surrogates replaced, cut to max_length keeping its head and its tail."""
    value = value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
    if len(value) <= max_length:
        return value
    marker = "\n... [cut by labjournal] ...\n"
    head = (max_length - len(marker)) // 2
    tail = max_length - len(marker) - head
    return value[:head] + marker + value[-tail:]
