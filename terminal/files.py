"""Reading the files a person named, the one way every layer does it.

Configuration, policy, catalog, persons, cards, baskets and split inputs are
JSON files; keys and code lists are small files of bytes. Each failure becomes a typed error naming the file
(sorted by terminal.faults), and nothing a careless or hostile file holds can
hang or exhaust the terminal: only regular files are read (a FIFO would block,
/dev/zero never ends), at most `max_bytes` of them, a UTF-8 byte-order mark is
accepted, and integers longer than any field allows are refused before Python
spends time converting them. The simulated settlement service parses request
bodies with the same `parse_json`.

The terminal's own small files (operators, wrong-PIN counts) are replaced with
`write_atomically`: a power cut leaves the old file or the new one, never half.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from terminal.errors import BadInput, ConfigError
from terminal.faults import file_fault, not_a_regular_file

DEFAULT_MAX_BYTES = 16 << 20
# No field of the protocol or the configuration needs more digits than this.
MAX_INT_DIGITS = 40


def read_json_file(path: str | Path, what: str, *, config: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
                   exact: bool = False) -> Any:
    """The JSON document in `path`, a `what` file ("basket", "configuration"...).

    `config` makes a bad file a ConfigError (a broken installation) rather than
    BadInput (a bad file on the command line); `exact` reads non-integer numbers
    as Decimal, never through float.
    """
    bad: type[BadInput] = ConfigError if config else BadInput
    data = read_file_bytes(path, what, config=config, max_bytes=max_bytes)
    if not data.strip():
        raise bad(f"The {what} file {path} is empty.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise bad(f"The {what} file {path} is not UTF-8 text.") from None
    try:
        return parse_json(text, exact=exact)
    except BadInput as exc:
        raise bad(f"The {what} file {path} is not valid JSON: {exc.cashier_message}",
                  detail=exc.detail) from None


def read_file_bytes(path: str | Path, what: str, *, config: bool = False,
                    max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; typed errors naming the `what` file."""
    bad: type[BadInput] = ConfigError if config else BadInput
    try:
        # Non-blocking open: opening a FIFO with no writer would otherwise wait forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
            if not stat.S_ISREG(mode):
                raise not_a_regular_file(path, what, config=config)
            os.set_blocking(fd, True)
            handle = os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise
        with handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise file_fault(exc, path, what, config=config) from None
    if len(data) > max_bytes:
        raise bad(f"The {what} file {path} is larger than {max_bytes // 1024} KiB; it cannot be a {what} file.")
    return data


def parse_json(text: str, *, exact: bool = False) -> Any:
    """json.loads with the limits above; BadInput with the reason for any bad text.

    Beyond the grammar it refuses what no file or message of ours holds and what would fail
    later, far from the input: nesting deeper than MAX_DEPTH and lone surrogates (a valid JSON
    escape such as \\ud800 that is not text and cannot be stored or sent). `exact` reads numbers
    with a fraction as Decimal, never through float, and refuses NaN and Infinity (without it
    they become floats for the caller's own checks to name).
    """
    try:
        if exact:
            data = json.loads(text, parse_int=_parse_int, parse_float=_parse_exact, parse_constant=_refuse_constant)
        else:
            data = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{exc.msg} at line {exc.lineno} column {exc.colno}.") from None
    except RecursionError:
        raise BadInput(_TOO_DEEP) from None
    except _Refused as exc:
        raise BadInput(exc.reason) from None
    _check_tree(data, texts=_may_hold_surrogates(text))
    return data


# No file or message of ours nests deeper than a handful of levels.
MAX_DEPTH = 32
_TOO_DEEP = "it is nested too deeply."


class _Refused(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _parse_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _Refused(f"it holds a number of {digits} digits.")
    return int(text)


def _parse_exact(text: str) -> Decimal:
    """A JSON number with a fraction or exponent, as the Decimal it spells (never a float)."""
    if "e" in text or "E" in text:
        # 1E+3 is valid JSON, but no amount, price or count is written that way, and a huge
        # exponent would make a cheap text an expensive number.
        raise _Refused(f"it holds the number {text[:24]} in exponent notation; write plain digits such as 12.30.")
    digits = len(text) - 1 - text.startswith("-")
    if digits > MAX_INT_DIGITS:
        raise _Refused(f"it holds a number of {digits} digits.")
    return Decimal(text)


def _refuse_constant(name: str) -> Any:
    raise _Refused(f"it holds {name}, which is not a number.")


def _may_hold_surrogates(text: str) -> bool:
    """Whether parsed values may hold a lone surrogate: from the text itself, or from an escape."""
    return _SURROGATE_ESCAPE.search(text) is not None or not _encodable(text)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# \ud800-\udfff: only such an escape (or such a character in the text) can put a surrogate in a value.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _check_tree(data: Any, *, texts: bool) -> None:
    """Depth, and (when `texts`) every key and string, iteratively: a recursive walk could itself
    run out of stack."""
    visit = (str, dict, list) if texts else (dict, list)
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise BadInput(_TOO_DEEP)
            items: Iterable[Any] = value
            if isinstance(value, dict):
                if texts:
                    for key in value:
                        _check_text(key)
                items = value.values()
            stack.extend((item, depth + 1) for item in items if isinstance(item, visit))


def _check_text(text: str) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadInput(f"it holds a lone surrogate ({text[exc.start]!r}), which is not text.") from None


def write_atomically(path: Path, data: bytes, *, mode: int) -> None:
    """Replace `path` with `data`: a new file in the same folder, synced, renamed over the old one.

    Raises OSError; the caller sorts it (terminal.faults) for its own kind of file.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    # The rename itself must reach the disk, or a power cut could bring the old file back.
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
