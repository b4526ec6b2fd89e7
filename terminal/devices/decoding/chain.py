"""The decoder chain: backends tried in the configured order, then pre-processed retries.

A first pass runs every backend on the plain grayscale image (the common case, fast).
Only when that finds nothing does the chain retry with the configured pre-processing
steps, each with every backend. A camera frame uses a short step list so an empty frame
stays cheap; a still image (the CLI, the corpus) uses the long one.

QR codes are looked for first, alone, through every step and backend exactly as before the
chain read box codes, and one ends the search at once: an e-voucher is read as fast as it
was. Only a picture without one is searched for box codes, on the first step's picture. A
drug box shows several codes at once (its EAN-13, the traceability code as a Code 128 and
often as a Data Matrix), and one backend may read some of them only. After a box code the
other backends still get their try while the box lacks a drug barcode (EAN/UPC) or a
traceability symbol (Code 128, Data Matrix) that they can read, and every distinct code found
is returned (about 25 ms for a box on a 1280x720 frame, most of it the QR search before:
bench/decode_boxes.py).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Collection, Iterable, Sequence

from terminal.devices.decoding.backend import DEFAULT_FORMATS, Backend, Gray, load_backend
from terminal.devices.decoding.errors import (
    BackendUnavailable,
    NoBackend,
    PayloadTooLarge,
    UnreadableImage,
)
from terminal.devices.decoding.preprocess import STEPS, to_gray
from terminal.devices.decoding.result import DecodeResult
from terminal.errors import ConfigError
from terminal.settings import DecoderSettings

log = logging.getLogger(__name__)

# The defaults are the settings' (declared once, in terminal.settings).
_DEFAULTS = DecoderSettings()


class DecoderChain:
    """Decodes one image into the codes its backends read (see the module docstring).

    A chain belongs to one thread at a time (the camera's decode thread, or the CLI):
    it keeps a little state between calls (whose turn it is, failures already logged).
    """

    def __init__(
        self,
        backends: Sequence[Backend],
        *,
        steps: Sequence[str] = _DEFAULTS.still_steps,
        max_payload_bytes: int = _DEFAULTS.max_payload_bytes,
        fallbacks_per_call: int | None = None,
    ) -> None:
        """`fallbacks_per_call` limits how many backends after the first one a call
        tries, taking turns from call to call. Live video sets it: the same code stays
        in view for many frames, so each fallback still sees it within a few frames,
        while an empty frame costs the first backend plus one fallback, not all."""
        if not backends:
            raise NoBackend("No QR decoder can be used on this terminal; QR codes cannot be "
                            "scanned, call a technician.",
                            detail="no configured decoder library loads and reads a configured format")
        unknown = [s for s in steps if s not in STEPS]
        if unknown or not steps:
            raise ConfigError("The QR decoder pre-processing steps are not valid; check the "
                              "decoder section of the configuration.",
                              detail=f"unknown steps {unknown}; known: {', '.join(STEPS)}")
        self.backends = tuple(backends)
        self.steps = tuple(steps)
        self.max_payload_bytes = max_payload_bytes
        self.fallbacks_per_call = fallbacks_per_call
        self._formats = frozenset().union(*(b.formats for b in self.backends))
        self._turn = 0
        self._failing: set[tuple[str, str]] = set()

    @property
    def name(self) -> str:
        return "chain"

    def decode(self, image: object) -> DecodeResult | None:
        """The code found in a BGR/BGRA/gray image (the first of `decode_all`), or None.

        Raises UnreadableImage for something that is not an image and PayloadTooLarge for
        a code longer than max_payload_bytes.
        """
        results = self.decode_all(image)
        return results[0] if results else None

    def decode_all(self, image: object) -> list[DecodeResult]:
        """Every code found in a BGR/BGRA/gray image: at most one QR code (the largest: a
        second phone behind is not the one being shown), first, then each distinct box code,
        EAN/UPC before Code 128 and Data Matrix (so a counter sees the drug before its
        traceability code). Empty when none is readable; errors as for `decode`.
        """
        start = time.perf_counter()
        try:
            gray = to_gray(image)
        except ValueError as exc:
            raise UnreadableImage("This picture cannot be read; scan the code again.",
                                  detail=str(exc)) from None
        backends = self._backends_for_this_call()
        found: dict[bytes, DecodeResult] = {}

        def keep(results: list[DecodeResult], step: str, factor: float) -> None:
            for result in results:
                # The same payload twice (a Code 128 and a Data Matrix of one code, or a second
                # backend): the first reading stands.
                found.setdefault(result.raw, _scaled(result, step, factor))

        # QR codes first, alone (a reader asked for fewer formats is faster), through every step
        # exactly as before the chain read box codes: an e-voucher costs what it did.
        first: tuple[Gray, str, float] | None = None
        for step in self.steps:
            prepared, factor = STEPS[step](gray)
            if step != "gray" and prepared is gray:
                continue  # the step declined (e.g. no upscaling of a large image)
            first = first or (prepared, step, factor)
            for backend in backends:
                if "qr" in backend.formats:
                    results = self._try(backend, prepared, _QR)
                    if results:
                        keep(results, step, factor)
                        return self._finish(found, start)
        if first is None:
            return []
        # Then box codes, on the first step's picture only: the later steps were chosen on the QR
        # corpus, and a linear-code search of a doubled picture costs more than most QR codes'
        # whole read (bench/decode_corpus.py).
        prepared, step, factor = first
        for backend in backends:
            wanted = backend.formats & (_missing(found) if found else _BOX_FORMATS)
            if wanted:
                keep(self._try(backend, prepared, wanted), step, factor)
                if found and not self._formats & _missing(found):
                    break  # the box is complete: nothing any backend could add
        return self._finish(found, start) if found else []

    def _backends_for_this_call(self) -> tuple[Backend, ...]:
        first, rest = self.backends[0], self.backends[1:]
        limit = self.fallbacks_per_call
        if limit is None or limit >= len(rest):
            return self.backends
        start = self._turn % len(rest)
        self._turn += limit
        return (first, *(rest[(start + i) % len(rest)] for i in range(limit)))

    def _try(self, backend: Backend, gray: Gray, formats: frozenset[str]) -> list[DecodeResult]:
        try:
            results = backend.decode(gray, formats)
        except Exception as exc:  # a library's failure must not escape
            # OpenCV raises cv2.error on some payloads (e.g. Hanzi mode); ZBar can fail
            # on odd sizes. Log each kind once per backend so a camera does not flood it.
            key = (backend.name, type(exc).__name__)
            if key not in self._failing:
                self._failing.add(key)
                log.info("QR decoder %s failed on an image: %s", backend.name, exc)
            return []
        return [r for r in results if r.raw]  # an empty payload is no code

    def _finish(self, found: dict[bytes, DecodeResult], start: float) -> list[DecodeResult]:
        qr = [r for r in found.values() if r.format == "qr"]
        # Several QR codes in view (a "double QR", a second phone behind): the largest is
        # the one being shown to the camera.
        kept = ([max(qr, key=_area)] if qr else []) + sorted(
            (r for r in found.values() if r.format != "qr"),
            key=lambda r: (_FORMAT_RANK.get(r.format, len(_FORMAT_RANK)), -_area(r)))
        for result in kept:
            if len(result.raw) > self.max_payload_bytes:
                raise PayloadTooLarge(
                    "This code holds far more data than an e-voucher or a drug code; it cannot "
                    "be used here.",
                    detail=f"{len(result.raw)} bytes, the limit is {self.max_payload_bytes}")
        ms = (time.perf_counter() - start) * 1000.0
        return [dataclasses.replace(r, ms=ms) for r in kept]


# Box codes in the order a counter wants them: the drug (EAN/UPC), then its traceability code.
_FORMAT_RANK = {"ean13": 0, "ean8": 1, "upca": 2, "code128": 3, "datamatrix": 4}
# What a box carries: one drug barcode, and one traceability code in one or two symbols.
_BOX_KINDS = (frozenset({"ean13", "ean8", "upca"}), frozenset({"code128", "datamatrix"}))
_BOX_FORMATS = frozenset().union(*_BOX_KINDS)
_QR = frozenset({"qr"})


def _missing(found: dict[bytes, DecodeResult]) -> frozenset[str]:
    """The formats still worth a backend's try once box codes were read: those of each kind
    of which none was read."""
    have = {r.format for r in found.values()}
    return frozenset().union(*(kind for kind in _BOX_KINDS if not kind & have))


def _scaled(result: DecodeResult, step: str, factor: float) -> DecodeResult:
    """The result with its corners in the coordinates of the image passed in."""
    points = tuple((x / factor, y / factor) for x, y in result.points)
    return dataclasses.replace(result, points=points, variant=step)


def _area(result: DecodeResult) -> float:
    """Area of the code's outline (shoelace formula); 0 without corner points."""
    points = result.points
    if len(points) < 3:
        return 0.0
    twice = sum(x0 * y1 - x1 * y0
                for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True))
    return abs(twice) / 2.0


def load_backends(names: Iterable[str],
                  formats: Collection[str] = DEFAULT_FORMATS) -> list[Backend]:
    """The backends that load and read one of `formats`, in order; each one that does not is
    logged once and skipped."""
    backends: list[Backend] = []
    for name in names:
        try:
            backend = load_backend(name, formats)
        except BackendUnavailable as exc:
            log.warning("QR decoder %s skipped: %s (%s)", name, exc.cashier_message, exc.detail)
            continue
        if not backend.formats:
            log.info("decoder %s skipped: it reads none of the formats %s", name, ", ".join(formats))
            continue
        backends.append(backend)
    return backends


def chain_from_settings(decoder: DecoderSettings, *, camera: bool = False,
                        only: str | None = None) -> DecoderChain:
    """A chain built from the decoder settings.

    `camera` picks the short pre-processing list and the fallback limit meant for live
    frames; `only` restricts the chain to one backend (and raises BackendUnavailable
    if it cannot load).
    """
    backends = [load_backend(only, decoder.formats)] if only else \
        load_backends(decoder.order, decoder.formats)
    return DecoderChain(
        backends,
        steps=decoder.camera_steps if camera else decoder.still_steps,
        max_payload_bytes=decoder.max_payload_bytes,
        fallbacks_per_call=decoder.camera_fallbacks_per_frame if camera else None,
    )
