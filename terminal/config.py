"""Files around the settings: the shipped data under config/ and a terminal's own override file.

What each setting means, its type and default live in terminal.settings; this
module only finds and reads files. config/ holds the demo data the terminal
and the simulators share (policy, catalog, persons, cards, the demo e-voucher
issuer keys); TERMINAL_CONFIG_DIR points elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from terminal.errors import ConfigError
from terminal.files import read_json_file

# terminal/shipped is the package's copy of config/: in the source tree a link to it, in a wheel (and so
# in the Debian package's environment) the files themselves, since an installed terminal has no source tree.
SHIPPED_DIR = (Path(__file__).resolve().parent / "shipped").resolve()
CONFIG_DIR = Path(os.environ.get("TERMINAL_CONFIG_DIR") or SHIPPED_DIR)
# A configuration is a few KiB; anything far larger is the wrong file.
MAX_CONFIG_BYTES = 1 << 20


def config_path(name: str) -> Path:
    """Path of a shipped file under config/ (demo policy, catalog, persons...)."""
    return CONFIG_DIR / name


def load_override(override: str | Path | None = None) -> tuple[Path | None, dict[str, Any]]:
    """This terminal's configuration file (`override`, else TERMINAL_CONFIG) and its JSON object.

    (None, {}) when there is none: the embedded defaults apply.
    """
    name = override or os.environ.get("TERMINAL_CONFIG")
    if not name:
        return None, {}
    path = Path(name)
    data = read_json_file(path, "configuration", config=True, max_bytes=MAX_CONFIG_BYTES)
    if not isinstance(data, dict):
        raise ConfigError(f"The configuration file {path} must hold a JSON object.")
    return path, data
