"""The typed errors of decoding: bad images and payloads (BadInput), missing libraries
(EnvironmentFault)."""

from __future__ import annotations

from terminal.errors import BadInput, EnvironmentFault


class UnreadableImage(BadInput):
    """The file or buffer is not an image we can read."""


class BinaryPayload(BadInput):
    """The code holds bytes that are not text in any charset a QR code uses."""


class PayloadTooLarge(BadInput):
    """The code holds more bytes than any code the counter accepts (config max_payload_bytes)."""


class BackendUnavailable(EnvironmentFault):
    """A decoder library is not installed or cannot load (e.g. pyzbar without libzbar)."""


class NoBackend(EnvironmentFault):
    """None of the configured decoder libraries can be used."""
