"""Reading the files a person named, the one way every layer does it.

Configuration, policy, catalog, persons, cards, baskets and split inputs are
JSON files; keys and code lists are small files of bytes. Each failure becomes a typed error naming the file
(sorted by terminal.faults), and nothing a careless or hostile file holds can
hang or exhaust the terminal: only regular files are read (a FIFO would block,
/dev/zero never ends), at most `max_bytes` of them, a UTF-8 byte-order mark is
accepted, and integers longer than any field allows are refused before Python
spends time converting them.
"""

from __future__ import annotations

import errno
import json
import os
import stat
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
    """json.loads with the limits above; BadInput with the reason for any bad text."""
    try:
        return json.loads(text, parse_int=_parse_int, parse_float=Decimal if exact else float)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{exc.msg} at line {exc.lineno} column {exc.colno}.") from None
    except RecursionError:
        raise BadInput("it is nested too deeply.") from None
    except _HugeNumber as exc:
        raise BadInput(f"it holds a number of {exc.digits} digits.") from None


class _HugeNumber(ValueError):
    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _HugeNumber(len(text.lstrip("-")))
    return int(text)
