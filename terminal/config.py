"""Configuration: shipped defaults under config/, overridden per terminal.

`config/terminal.json` and `config/devices.json` hold the embedded defaults. A
terminal overrides any part of them with a JSON file (named by `--config` or the
TERMINAL_CONFIG environment variable) that is deep-merged over the defaults, so
an override names only what differs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from terminal.errors import ConfigError
from terminal.json_files import read_json_file

CONFIG_DIR = Path(os.environ.get("TERMINAL_CONFIG_DIR", Path(__file__).resolve().parent.parent / "config"))
DEFAULT_FILES = ("terminal.json", "devices.json")


def config_path(name: str) -> Path:
    """Path of a shipped file under config/ (demo policy, catalog, persons...)."""
    return CONFIG_DIR / name


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_config(override: str | Path | None = None) -> dict[str, Any]:
    """The effective configuration: defaults, then the per-terminal override."""
    config: dict[str, Any] = {}
    for name in DEFAULT_FILES:
        data = read_json_file(config_path(name), "configuration", config=True)
        if not isinstance(data, dict):
            raise ConfigError(f"The configuration file {name} must hold a JSON object.")
        config = deep_merge(config, data)
    override = override or os.environ.get("TERMINAL_CONFIG")
    if override:
        data = read_json_file(Path(override), "terminal configuration", config=True)
        if not isinstance(data, dict):
            raise ConfigError(f"The configuration file {override} must hold a JSON object.")
        config = deep_merge(config, data)
    return config


def state_dir(config: Mapping[str, Any]) -> Path:
    """Where this terminal keeps its own state (msgid sequence, journal)."""
    raw = os.environ.get("TERMINAL_STATE_DIR") or section(config, "terminal").get("state_dir")
    if not isinstance(raw, str) or not raw:
        raise ConfigError("The configuration needs terminal.state_dir, a folder for the terminal's state.")
    return Path(raw).expanduser()


def section(config: Mapping[str, Any], *path: str) -> dict[str, Any]:
    """A nested section of the configuration, or a ConfigError naming what is missing."""
    node: Any = config
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            raise ConfigError(f"The configuration has no section {'.'.join(path)}.")
        node = node[key]
    if not isinstance(node, dict):
        raise ConfigError(f"The configuration section {'.'.join(path)} must be an object.")
    return node
