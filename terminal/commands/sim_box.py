"""`python -m terminal sim box --med-list-codg CODE [--count N]`: fresh traceability codes for boxes of a drug.

Prints N fresh traceability codes (追溯码: 20 digits beginning with 8, one per box) for a catalog entry
whose boxes carry them (trac_required), one per line. Each is new: its serial digits are random (about
43 bits), so it has never been sold and the settlement service accepts it once, as a real box's code.
The serial scanner simulator plays a file of them, one per line:

    python -m terminal sim box --med-list-codg XJ01CAA040E001010101000 --count 2 > codes.txt
    python -m terminal sim scanner --link /tmp/scanner --codes codes.txt

An unknown code, or an entry without trac_required, is refused with a sentence (exit 1).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from terminal.errors import BadInput


def register_sim(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("box", help="print fresh traceability codes for boxes of a drug", description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--med-list-codg", required=True, metavar="CODE", help="the drug's catalog code")
    p.add_argument("--count", type=int, default=1, metavar="N", help="how many boxes (default 1)")
    p.add_argument("--catalog", type=Path, help="catalog JSON (default: config/catalog.json), as the service's")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from terminal.catalog import load_catalog
    from terminal.sim.boxes import MAX_COUNT, boxed_item, fresh_codes

    if not 1 <= args.count <= MAX_COUNT:
        raise BadInput(f"--count must be 1 to {MAX_COUNT}, got {args.count}.")
    item = boxed_item(load_catalog(args.catalog), args.med_list_codg)
    print("\n".join(fresh_codes(item, args.count)))
    return 0
