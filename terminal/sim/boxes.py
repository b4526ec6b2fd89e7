"""Fresh traceability codes (追溯码) for simulated drug boxes: `python -m terminal sim box`, the demos, tests.

A real code is 20 digits beginning with 8: the product's identification (its first 7 digits) then the
box's own serial. Here the product part is 8 and 6 digits derived from the catalog code, so every box
of one drug shares a prefix as on a shelf, and the 13 serial digits come from the operating system's
random source: about 43 bits, so two codes ever printed for one drug coincide with a chance of about
n^2 / 2^44 (under one in a million after 4,000 boxes) and a code printed today was never printed before
in practice. A fresh code sells once, as a real box's does.
"""

from __future__ import annotations

import hashlib
import secrets

from terminal.catalog import Catalog
from terminal.domain import CatalogItem
from terminal.errors import BadInput
from terminal.traceability import is_trac_code

PRODUCT_DIGITS = 6
SERIAL_DIGITS = 13
MAX_COUNT = 10_000


def product_prefix(med_list_codg: str) -> str:
    """8 and 6 digits from the catalog code: the same for every box of the drug."""
    digest = int.from_bytes(hashlib.sha256(med_list_codg.encode()).digest()[:8], "big")
    return f"8{digest % 10**PRODUCT_DIGITS:0{PRODUCT_DIGITS}d}"


def fresh_codes(item: CatalogItem, count: int = 1) -> list[str]:
    """`count` fresh codes for boxes of `item`, distinct from each other."""
    prefix = product_prefix(item.med_list_codg)
    codes: dict[str, None] = {}  # in the order drawn
    while len(codes) < count:
        codes[prefix + f"{secrets.randbelow(10**SERIAL_DIGITS):0{SERIAL_DIGITS}d}"] = None
    assert all(is_trac_code(code) for code in codes)
    return list(codes)


def boxed_item(catalog: Catalog, med_list_codg: str) -> CatalogItem:
    """The catalog entry whose boxes carry codes, or BadInput saying why there is none."""
    item = catalog.get(med_list_codg)
    if item is None:
        raise BadInput(f"{med_list_codg[:50]} is not in the catalog; name a med_list_codg it lists.")
    if not item.trac_required:
        raise BadInput(f"{item.med_list_codg} ({item.name}) carries no traceability codes: the catalog does not "
                       "mark it trac_required, so it is sold without them.")
    return item
