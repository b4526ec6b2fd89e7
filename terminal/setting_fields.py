"""How a setting is declared, and the one loader that reads every section.

A setting is a field of a frozen dataclass declared with `setting(default,
help=..., bounds...)`; its Python type says what JSON value it takes. The
loader walks the dataclasses, so a key, its type, its default, its bounds and
its help exist in exactly one place, and `config show`, `config check` and
docs/configuration.md are all derived from them.

Values are taken strictly, never coerced: "fast" is not a timeout and "9600"
is not a baud rate. Every bad value is a ConfigError naming the key and the
file it came from.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from typing import Any, TypeVar

from terminal.errors import ConfigError

log = logging.getLogger(__name__)

T = TypeVar("T")
MASK = "********"


@dataclass(frozen=True)
class Spec:
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    # A regular expression the whole text must match.
    pattern: str | None = None
    # What a valid value is, completing "must be ...", where the type and bounds say it badly.
    says: str = ""
    # A last check on the typed value: the phrase "must be ..." completes, or None when fine.
    check: Callable[[Any], str | None] | None = None
    secret: bool = False
    unit: str = ""
    # Keys of the same section: a file that sets one of them must set this one too (a till that
    # names its own dev_no must name its own msgid block, or it would share the demo's).
    required_with: tuple[str, ...] = ()


def setting(default: T, help: str, **spec: Any) -> T:
    """A field of a settings dataclass: its default, help and bounds (see Spec)."""
    return field(default=default, metadata={"spec": Spec(help, **spec)})


def section(cls: Callable[[], T], help: str) -> T:
    """A nested section of settings."""
    return field(default_factory=cls, metadata={"help": help})


@dataclass
class Loader:
    """Reads raw JSON values into settings dataclasses; `source` names the file in errors."""

    source: str
    strict: bool = False
    warnings: list[str] = dataclasses.field(default_factory=list)

    def read(self, cls: type[T], raw: object, path: str = "") -> T:
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            raise ConfigError(f"The configuration {'key ' + path if path else 'file'} in {self.source} "
                              "must be a JSON object.")
        assert is_dataclass(cls)
        hints = typing.get_type_hints(cls)
        known = set()
        values: dict[str, Any] = {}
        for f in fields(cls):
            known.add(f.name)
            key = f"{path}.{f.name}" if path else f.name
            kind = hints[f.name]
            if is_dataclass(kind):
                values[f.name] = self.read(kind, raw.get(f.name), key)  # type: ignore[arg-type]
            elif f.name in raw:
                values[f.name] = self._value(kind, raw[f.name], key, f.metadata["spec"])
            else:
                given = [name for name in f.metadata["spec"].required_with if name in raw]
                if given:
                    raise ConfigError(f"The configuration key {key} is missing in {self.source}: it must be set "
                                      f"wherever {path}.{given[0]} is.")
        for name in raw:
            if name not in known:
                where = f"{path}.{name}" if path else str(name)
                if self.strict:
                    raise ConfigError(f"The configuration key {where} in {self.source} is not known; "
                                      "check its spelling.")
                self.warnings.append(f"unknown configuration key {where} in {self.source} is ignored")
                log.warning("ignoring unknown configuration key %s in %s", where, self.source)
        settings = cls(**values)
        problem = getattr(settings, "problem", None)
        message = problem() if callable(problem) else None
        if message:
            raise ConfigError(f"The configuration section {path} in {self.source} cannot work: {message}.")
        return settings

    def _value(self, kind: Any, value: Any, key: str, spec: Spec) -> Any:
        ok, converted = _convert(kind, value, spec)
        if ok:
            phrase = spec.check(converted) if spec.check is not None else None
            if phrase is None:
                return converted
            what = phrase
        else:
            what = describe(kind, spec)
        raise ConfigError(f"The configuration key {key} in {self.source} must be {what}.",
                          detail=f"got {_short(value)}")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _args(kind: Any) -> tuple[Any, ...]:
    return typing.get_args(kind) if isinstance(kind, types.UnionType) or typing.get_origin(kind) else ()


def _convert(kind: Any, value: Any, spec: Spec) -> tuple[bool, Any]:
    """(True, the typed value) if `value` is a valid `kind`, else (False, None)."""
    if isinstance(kind, types.UnionType):
        options = typing.get_args(kind)
        if value is None:
            return (type(None) in options), None
        for option in options:
            if option is not type(None):
                ok, converted = _convert(option, value, spec)
                if ok:
                    return True, converted
        return False, None
    if typing.get_origin(kind) is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            return False, None
        if spec.minimum is not None and len(value) < spec.minimum:
            return False, None
        if spec.choices is not None and any(v not in spec.choices for v in value):
            return False, None
        return True, tuple(value)
    if kind is bool:
        return isinstance(value, bool), value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            return False, None
        return _in_bounds(value, spec), value
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return False, None
        return _in_bounds(value, spec), float(value)
    if kind is Decimal:
        # Money: a string of yuan with at most two places ("500.00"), or a whole number; never a
        # float, which cannot hold 0.10 exactly.
        if isinstance(value, bool) or not isinstance(value, int | str):
            return False, None
        if isinstance(value, str) and not re.fullmatch(r"\d{1,12}(\.\d{1,2})?", value):
            return False, None
        amount = Decimal(value).quantize(Decimal("0.01"))
        return _in_bounds(amount, spec), amount
    if kind is str:
        if not isinstance(value, str):
            return False, None
        if spec.choices is not None and value not in spec.choices:
            return False, None
        if spec.pattern is not None and not re.fullmatch(spec.pattern, value):
            return False, None
        if spec.minimum is not None and len(value) < spec.minimum:
            return False, None
        if spec.maximum is not None and len(value) > spec.maximum:
            return False, None
        return True, value
    raise TypeError(f"settings of type {kind} are not supported")


def _in_bounds(value: float | Decimal, spec: Spec) -> bool:
    return (spec.minimum is None or value >= spec.minimum) and (spec.maximum is None or value <= spec.maximum)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def describe(kind: Any, spec: Spec) -> str:
    """What a value of this setting must be, completing "must be ..."."""
    if spec.says:
        return spec.says
    if isinstance(kind, types.UnionType):
        options = [k for k in typing.get_args(kind) if k is not type(None)]
        text = " or ".join(describe(k, spec) for k in options)
        return text + " (or null)" if type(None) in typing.get_args(kind) else text
    if typing.get_origin(kind) is tuple:
        text = "a list of names"
        if spec.choices:
            text += f" from {', '.join(spec.choices)}"
        if spec.minimum:
            text = "a non-empty " + text.removeprefix("a ")
        return text
    if kind is bool:
        return "true or false"
    if kind is Decimal:
        low = f" of at least {spec.minimum:.2f}" if spec.minimum is not None else ""
        return f'an amount in yuan such as "500.00"{low}'
    if kind is str:
        if spec.choices:
            return "one of " + ", ".join(repr(c) for c in spec.choices)
        return "non-empty text" if spec.minimum else "text"
    unit = f" {spec.unit}" if spec.unit else ""
    text = ("a whole number" if kind is int else "a number") + unit
    if spec.minimum is not None and spec.maximum is not None:
        return f"{text} from {_number(spec.minimum)} to {_number(spec.maximum)}"
    if spec.minimum is not None:
        return f"{text} of at least {_number(spec.minimum)}"
    return text


def to_json(settings: Any, *, mask_secrets: bool = True) -> dict[str, Any]:
    """The settings as the JSON a configuration file would hold; secrets masked."""
    out: dict[str, Any] = {}
    for f in fields(settings):
        value = getattr(settings, f.name)
        if is_dataclass(value):
            out[f.name] = to_json(value, mask_secrets=mask_secrets)
            continue
        spec: Spec = f.metadata["spec"]
        if spec.secret and mask_secrets and value:
            value = MASK
        if isinstance(value, Decimal):
            value = f"{value:.2f}"
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


@dataclass(frozen=True)
class Declared:
    """One declared setting, for the documentation table."""

    key: str
    kind: str
    default: Any
    spec: Spec


def declared(cls: type[Any], path: str = "") -> Iterator[Declared]:
    hints = typing.get_type_hints(cls)
    for f in fields(cls):
        key = f"{path}.{f.name}" if path else f.name
        kind = hints[f.name]
        if is_dataclass(kind):
            yield from declared(kind, key)  # type: ignore[arg-type]
        else:
            spec: Spec = f.metadata["spec"]
            yield Declared(key, describe(kind, spec), f.default, spec)


def section_help(cls: type[Any], path: str = "") -> Iterator[tuple[str, str]]:
    """(section path, help) of every nested section."""
    hints = typing.get_type_hints(cls)
    for f in fields(cls):
        kind = hints[f.name]
        if is_dataclass(kind):
            key = f"{path}.{f.name}" if path else f.name
            yield key, f.metadata.get("help", "")
            yield from section_help(kind, key)  # type: ignore[arg-type]
