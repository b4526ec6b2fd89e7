"""What every decoder backend offers, and how a backend is found by its configured name."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection
from typing import Protocol

import numpy as np
import numpy.typing as npt

from terminal.devices.decoding.errors import BackendUnavailable
from terminal.devices.decoding.result import DecodeResult
from terminal.settings import DecoderSettings

Gray = npt.NDArray[np.uint8]

# The formats read when none are named: the settings' default (declared once, in terminal.settings).
DEFAULT_FORMATS: tuple[str, ...] = DecoderSettings().formats


class Backend(Protocol):
    """A decoding library behind one method.

    `formats` are the codes it was asked for that it can read (names of
    devices.decoder.formats; empty when it reads none of them). `decode` takes an 8-bit
    grayscale image and returns every code it read of its formats, or of those of them
    named in `formats` (the chain asks for QR codes alone first: a reader asked for fewer
    formats is faster); `ms` is left at 0, the chain times the call. It may raise anything
    the library raises: the chain contains it.
    """

    name: str
    formats: frozenset[str]

    def decode(self, gray: Gray, formats: Collection[str] | None = None) -> list[DecodeResult]: ...


# name -> (module, factory function): imported on first use so a missing library only
# costs the backend that needs it.
_BACKENDS: dict[str, tuple[str, str]] = {
    "zxing-cpp": ("terminal.devices.decoding.zxing", "ZxingBackend"),
    "pyzbar": ("terminal.devices.decoding.zbar", "ZbarBackend"),
    "opencv": ("terminal.devices.decoding.opencv", "OpenCvBackend"),
    "opencv-aruco": ("terminal.devices.decoding.opencv", "OpenCvArucoBackend"),
}

BACKEND_NAMES = tuple(_BACKENDS)


def load_backend(name: str, formats: Collection[str] = DEFAULT_FORMATS) -> Backend:
    """The backend called `name` reading those of `formats` it can, or BackendUnavailable
    saying why it cannot be used."""
    if name not in _BACKENDS:
        raise BackendUnavailable(
            f"The QR decoder '{name}' is not known; check decoder.order in the configuration.",
            detail=f"known decoders: {', '.join(BACKEND_NAMES)}",
        )
    module_name, factory_name = _BACKENDS[name]
    try:
        module = importlib.import_module(module_name)
        factory: Callable[[Collection[str]], Backend] = getattr(module, factory_name)
        return factory(formats)
    except (ImportError, OSError, AttributeError) as exc:
        # pyzbar raises ImportError when libzbar is missing; a broken wheel can raise
        # OSError while loading its shared library.
        raise BackendUnavailable(
            f"The QR decoder '{name}' cannot be loaded on this terminal.",
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc
