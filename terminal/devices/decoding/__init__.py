"""QR decoding over pluggable backends (zxing-cpp, ZBar, OpenCV). No Qt.

Importing this package imports OpenCV and NumPy; the backend libraries themselves are
imported only when a chain is built.
"""

from terminal.devices.decoding.backend import BACKEND_NAMES, Backend, load_backend
from terminal.devices.decoding.chain import DecoderChain, chain_from_settings, load_backends
from terminal.devices.decoding.errors import (
    BackendUnavailable,
    BinaryPayload,
    NoBackend,
    PayloadTooLarge,
    UnreadableImage,
)
from terminal.devices.decoding.image import load_image
from terminal.devices.decoding.result import DecodeResult, text_from_bytes

__all__ = [
    "BACKEND_NAMES",
    "Backend",
    "BackendUnavailable",
    "BinaryPayload",
    "DecodeResult",
    "DecoderChain",
    "NoBackend",
    "PayloadTooLarge",
    "UnreadableImage",
    "chain_from_settings",
    "load_backend",
    "load_backends",
    "load_image",
    "text_from_bytes",
]
