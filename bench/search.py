"""Catalog search benchmark: building the index and answering queries, every figure from one run.

    .venv/bin/python bench/search.py [--items 10000] [--rounds 200]

- pypinyin's import, timed apart (paid once per process, at the first index);
- index build for the demo catalog and for a made-up catalog of --items entries (names of 2 to 6
  common characters, GB 2312 level 1, and a dosage form, so heteronyms and a realistic spread of
  characters are both there);
- per query (p50 / p99 over --rounds): initials, Chinese name, barcode, code prefix, a one-letter
  query (the most matches), and a query that matches nothing (a full pass over the catalog).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from terminal.catalog import load_catalog  # noqa: E402
from terminal.catalog_search import CatalogSearch  # noqa: E402
from terminal.domain import CatalogItem, ChargeClass  # noqa: E402

FORMS = ["胶囊", "片", "缓释片", "颗粒", "注射液", "滴眼液", "软膏", "口服溶液", "肠溶片", "丸"]


def common_characters() -> list[str]:
    """GB 2312 level 1: the 3755 most common characters."""
    out = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                out.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


def made_up_catalog(count: int, seed: int = 9) -> list[CatalogItem]:
    rng = random.Random(seed)
    chars = common_characters()
    items = []
    for n in range(count):
        name = "".join(rng.choice(chars) for _ in range(rng.randint(2, 6))) + rng.choice(FORMS)
        items.append(CatalogItem(med_list_codg=f"X{n:022d}", name=name, spec="-", list_type="drug",
                                 chrgitm_lv=ChargeClass.A, selfpay_prop=None, pric_uplmt_amt=None,
                                 barcode=f"69{n:011d}"))
    return items


def seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    import_s = seconds(lambda: __import__("pypinyin"))
    demo_items = list(load_catalog().values())
    demo_s = seconds(lambda: CatalogSearch(demo_items))
    big_items = made_up_catalog(args.items)
    holder: list[CatalogSearch] = []
    big_s = seconds(lambda: holder.append(CatalogSearch(big_items)))
    big = holder[0]
    # Built again: the character cache is warm now, as for a catalog refreshed while the app runs.
    rebuild_s = seconds(lambda: CatalogSearch(big_items))

    print(f"pypinyin import                      {import_s * 1000:8.1f} ms (once per process)")
    print(f"index, demo catalog ({len(demo_items)} entries)      {demo_s * 1000:8.1f} ms")
    print(f"index, made-up catalog ({len(big_items)} entries)  {big_s * 1000:8.1f} ms "
          f"(built again: {rebuild_s * 1000:.1f} ms)")

    sample = big_items[len(big_items) // 2]
    from terminal.catalog_search import initials

    queries = {
        "initials (4 letters)": initials(sample.name)[0][:4],
        "Chinese name part": sample.name[1:3],
        "barcode (exact)": sample.barcode or "",
        "code prefix": sample.med_list_codg[:8],
        "one letter (most matches)": "z",
        "no match (full passes)": "qqqqqqq",
    }
    print(f"\nper query on {len(big_items)} entries, {args.rounds} rounds      p50        p99   results")
    for label, query in queries.items():
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            found = big.search(query)
            times.append(time.perf_counter() - start)
        print(f"  {label:<28} {query!r:>16} {percentile(times, 50) * 1000:7.3f} ms "
              f"{percentile(times, 99) * 1000:7.3f} ms {len(found):5d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
