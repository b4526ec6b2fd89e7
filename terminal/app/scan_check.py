"""A technician's scanner test: each code read, which scanner read it and where the counter would send it.

The same routing every scanner ends in at the counter (terminal.devices.scan_codes.
ScanRouter): an e-voucher identifies the patient, a drug barcode rings up a drug,
a box's traceability code goes to its line, anything else is refused with the
cashier's sentence. Nothing is sold: the devices panel only shows the verdict, so
a technician can tell a scanner that adds a suffix, a wedge that drops keys or a
camera that misreads from one that works. The code is shown shortened and an
e-voucher's person masked, since a technician sees no one's personal data.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from terminal.catalog import Catalog
from terminal.devices.scan_codes import (
    DrugBarcodeScan,
    ScanRouter,
    TraceabilityScan,
    UnknownBarcode,
    VoucherScan,
    lookup_barcode,
)
from terminal.errors import TerminalError
from terminal.privacy import mask_id

# Enough to compare a few test scans; the panel is a test bench, not a log.
KEPT_SCANS = 20
SHOWN_CHARS = 40


class ScanSource(Enum):
    SERIAL = "serial scanner"
    WEDGE = "keyboard wedge"
    CAMERA = "camera"


class Routed(Enum):
    VOUCHER = "e-voucher"
    DRUG_BARCODE = "drug barcode"
    TRACEABILITY = "traceability code"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ScanCheck:
    """One verdict; the UI words it (these are values, not sentences)."""

    at: float  # unix seconds
    source: ScanSource
    shown: str  # the code as the technician may see it: shortened, an e-voucher's person masked
    routed: Routed
    person: str | None = None  # an e-voucher's person, masked
    verified: bool = False  # an e-voucher's signature was checked with the issuer key
    drug: str | None = None  # a drug barcode's catalog entry (name, spec, code); None: not in the catalog
    catalog_loaded: bool = True  # False: the price list was not loaded, so the drug could not be named
    problem: TerminalError | None = None  # why it was refused


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit - 1] + "…"


def check_scan(router: ScanRouter, data: str | bytes, source: ScanSource, *, catalog: Catalog | None = None,
               at: float | None = None) -> ScanCheck:
    """Where the counter would send this code, never raising for a bad one (that is the verdict)."""
    when = time.time() if at is None else at
    raw = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    try:
        scan = router.route(data)
    except TerminalError as exc:
        return ScanCheck(when, source, shorten(raw), Routed.REJECTED, problem=exc)
    if isinstance(scan, VoucherScan):
        person = mask_id(scan.claims.psn_no)
        return ScanCheck(when, source, shorten(raw, 16), Routed.VOUCHER, person=person, verified=scan.verified)
    if isinstance(scan, TraceabilityScan):
        return ScanCheck(when, source, scan.code, Routed.TRACEABILITY)
    assert isinstance(scan, DrugBarcodeScan)
    if catalog is None:
        return ScanCheck(when, source, scan.scanned, Routed.DRUG_BARCODE, catalog_loaded=False)
    try:
        item = lookup_barcode(scan, catalog)
    except UnknownBarcode:
        return ScanCheck(when, source, scan.scanned, Routed.DRUG_BARCODE)
    return ScanCheck(when, source, scan.scanned, Routed.DRUG_BARCODE,
                     drug=f"{item.name} {item.spec} ({item.med_list_codg})")


class ScanLog:
    """The newest checks, newest first; thread-safe so any thread may add one."""

    def __init__(self, router: ScanRouter, *, keep: int = KEPT_SCANS,
                 clock: Callable[[], float] = time.time) -> None:
        self.router = router
        self._clock = clock
        self._lock = threading.Lock()
        self._checks: deque[ScanCheck] = deque(maxlen=keep)

    def check(self, data: str | bytes, source: ScanSource, catalog: Catalog | None = None) -> ScanCheck:
        result = check_scan(self.router, data, source, catalog=catalog, at=self._clock())
        return self.add(result)

    def reject(self, error: TerminalError, source: ScanSource) -> ScanCheck:
        """A code the scanner itself refused (too long a line, binary data, an unusable camera code)."""
        return self.add(ScanCheck(self._clock(), source, shorten(error.detail or ""), Routed.REJECTED,
                                  problem=error))

    def add(self, check: ScanCheck) -> ScanCheck:
        with self._lock:
            self._checks.appendleft(check)
        return check

    def checks(self) -> list[ScanCheck]:
        with self._lock:
            return list(self._checks)
