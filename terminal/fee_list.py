"""A hospital fee list (an inpatient stay's or an outpatient visit's fees) read from a file, checked whole.

The format (docs/counter.md, "Fee list files"; a sample in config/sample-stay.csv):
CSV with a header row, or JSON (a list of objects, or {"fees": [...]}), one fee a
row with the columns

    feedetl_sn        the hospital's serial of the fee (required, at most 30 characters, unique in the file)
    med_list_codg     the catalog code of the drug or service (required)
    cnt               the quantity (required, above 0, at most 4 decimals)
    pric              the unit price (optional: the catalog's price)
    fee_ocur_time     when the fee arose, yyyy-MM-dd HH:mm:ss (optional: the time of the upload)
    medins_list_codg  the hospital's own code (optional: med_list_codg)

Every row is checked before anything is uploaded; a file with bad rows raises
FeeListError naming each bad row and field, so the clerk fixes the file and
nothing half-uploaded has to be cancelled. Batching is here too: a long stay
uploads in batches of a size the service accepts in one message.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from terminal.catalog import Catalog
from terminal.errors import BadInput
from terminal.fields import MAX_COUNT, MAX_PRICE
from terminal.files import parse_json, read_file_bytes
from terminal.money import ZERO, fmt_amount, round_yuan

COLUMNS = ("feedetl_sn", "med_list_codg", "cnt", "pric", "fee_ocur_time", "medins_list_codg")
REQUIRED = ("feedetl_sn", "med_list_codg", "cnt")
MAX_ROWS = 20_000  # a year's stay at fifty fees a day
MAX_BYTES = 8 << 20
SHOWN_PROBLEMS = 8  # a sentence a clerk reads; the rest are counted
_SERIAL = re.compile(r"[0-9A-Za-z_.\-]{1,30}")
_CODE = re.compile(r"[!-~]{1,50}")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class RowProblem:
    row: int  # 1 = the first fee (the CSV header is not counted)
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.reason}"


class FeeListError(BadInput):
    """A fee list with bad rows: each named, nothing uploaded."""

    def __init__(self, source: str, problems: list[RowProblem]) -> None:
        shown = "; ".join(str(p) for p in problems[:SHOWN_PROBLEMS])
        more = len(problems) - SHOWN_PROBLEMS
        tail = f" (and {more} more)" if more > 0 else ""
        super().__init__(f"The fee list {source} has {len(problems)} problem(s), so nothing was uploaded: "
                         f"{shown}{tail}. Fix the file and import it again.", detail=source)
        self.problems = problems


@dataclass(frozen=True)
class FeeLine:
    """One fee as it will be uploaded (2204 / 2301 feedetail)."""

    feedetl_sn: str
    med_list_codg: str
    pric: Decimal
    cnt: Decimal
    fee_ocur_time: str | None = None
    medins_list_codg: str | None = None

    @property
    def amount(self) -> Decimal:
        return round_yuan(self.pric * self.cnt)

    def entry(self, *, mdtrt_id: str, psn_no: str, fee_time: str, chrg_bchno: str | None = None) -> dict[str, Any]:
        """The feedetail entry: det_item_fee_sumamt is round(pric x cnt), as the service checks."""
        out: dict[str, Any] = {
            "feedetl_sn": self.feedetl_sn,
            "mdtrt_id": mdtrt_id,
            "psn_no": psn_no,
            "med_list_codg": self.med_list_codg,
            "medins_list_codg": self.medins_list_codg or self.med_list_codg,
            "pric": str(self.pric),
            "cnt": str(self.cnt),
            "det_item_fee_sumamt": fmt_amount(self.amount),
            "fee_ocur_time": self.fee_ocur_time or fee_time,
        }
        if chrg_bchno is not None:
            out["chrg_bchno"] = chrg_bchno
        return out


def total(lines: Iterable[FeeLine]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)


def batches(lines: list[FeeLine], size: int) -> list[list[FeeLine]]:
    """The lines in upload order, `size` to a message (the last batch may be shorter)."""
    if size < 1:
        raise ValueError("a batch holds at least one fee")
    return [lines[i:i + size] for i in range(0, len(lines), size)]


def read_fee_file(path: str | Path, catalog: Catalog) -> list[FeeLine]:
    """The fees of a .csv or .json file, every row checked (FeeListError naming the bad ones)."""
    data = read_file_bytes(path, "fee list", max_bytes=MAX_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(f"The fee list {path} is not UTF-8 text; save it as UTF-8 (CSV or JSON).") from None
    name = Path(path).name
    if Path(path).suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        return parse_fee_json(text, catalog, source=name)
    return parse_fee_csv(text, catalog, source=name)


def parse_fee_csv(text: str, catalog: Catalog, *, source: str = "file") -> list[FeeLine]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    problems = [RowProblem(0, h or "(empty)", "is not a column of a fee list (columns: " + ", ".join(COLUMNS) + ")")
                for h in header if h not in COLUMNS]
    problems += [RowProblem(0, name, "the column is missing") for name in REQUIRED if name not in header]
    if problems:
        raise FeeListError(source, problems)
    rows: list[Mapping[str, Any]] = []
    for raw in reader:
        if None in raw:
            rows.append({"__extra__": True})
            continue
        rows.append({(k or "").strip(): (v or "").strip() for k, v in raw.items()})
    return check_rows(rows, catalog, source=source)


def parse_fee_json(text: str, catalog: Catalog, *, source: str = "file") -> list[FeeLine]:
    try:
        data = parse_json(text, exact=True)
    except BadInput as exc:
        raise BadInput(f"The fee list {source} is not valid JSON: {exc.cashier_message}") from None
    rows = data.get("fees") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise BadInput(f"The fee list {source} must be a JSON list of fees, or an object with a \"fees\" list.")
    out: list[Mapping[str, Any]] = []
    for row in rows:
        out.append(row if isinstance(row, dict) else {"__not_object__": True})
    return check_rows(out, catalog, source=source)


def check_rows(rows: list[Mapping[str, Any]], catalog: Catalog, *, source: str = "file") -> list[FeeLine]:
    """Every row checked; the lines, or FeeListError naming every bad row and field."""
    if not rows:
        raise BadInput(f"The fee list {source} has no fees.")
    if len(rows) > MAX_ROWS:
        raise BadInput(f"The fee list {source} has {len(rows)} fees, more than {MAX_ROWS}; split it.")
    problems: list[RowProblem] = []
    lines: list[FeeLine] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=1):
        line = _check_row(n, row, catalog, seen, problems)
        if line is not None:
            lines.append(line)
    if problems:
        raise FeeListError(source, problems)
    return lines


def _check_row(n: int, row: Mapping[str, Any], catalog: Catalog, seen: dict[str, int],
               problems: list[RowProblem]) -> FeeLine | None:
    if row.get("__extra__"):
        problems.append(RowProblem(n, "(row)", "has more values than the header has columns"))
        return None
    if row.get("__not_object__"):
        problems.append(RowProblem(n, "(row)", "is not an object of named fields"))
        return None
    before = len(problems)
    for name in row:
        if name not in COLUMNS:
            problems.append(RowProblem(n, str(name)[:40], "is not a field of a fee"))

    def text(name: str) -> str:
        value = row.get(name)
        return "" if value is None else str(value).strip()

    serial = text("feedetl_sn")
    if not serial:
        problems.append(RowProblem(n, "feedetl_sn", "is missing"))
    elif not _SERIAL.fullmatch(serial):
        problems.append(RowProblem(n, "feedetl_sn", f"{serial[:40]!r} must be 1-30 letters, digits, '.', '_' or '-'"))
    elif serial in seen:
        problems.append(RowProblem(n, "feedetl_sn", f"{serial} is also on row {seen[serial]}"))
    else:
        seen[serial] = n
    code = text("med_list_codg")
    item = catalog.get(code) if code and _CODE.fullmatch(code) else None
    if not code:
        problems.append(RowProblem(n, "med_list_codg", "is missing"))
    elif item is None:
        problems.append(RowProblem(n, "med_list_codg", f"{code[:50]} is not in the service's catalog"))
    cnt = _decimal(n, "cnt", text("cnt"), MAX_COUNT, problems, required=True)
    pric = _decimal(n, "pric", text("pric"), MAX_PRICE, problems, required=False)
    if pric is None and item is not None and item.pric is None and not text("pric"):
        problems.append(RowProblem(n, "pric", f"is needed: the catalog has no price for {code}"))
    when = text("fee_ocur_time") or None
    if when is not None:
        try:
            datetime.strptime(when, TIME_FORMAT)
        except ValueError:
            problems.append(RowProblem(n, "fee_ocur_time", f"{when[:30]!r} must be a time as yyyy-MM-dd HH:mm:ss"))
    own = text("medins_list_codg") or None
    if own is not None and not _CODE.fullmatch(own):
        problems.append(RowProblem(n, "medins_list_codg", "must be 1-50 printable characters without spaces"))
    if len(problems) > before or item is None or cnt is None:
        return None
    price = pric if pric is not None else item.pric
    assert price is not None
    return FeeLine(serial, item.med_list_codg, price, cnt, when, own)


def _decimal(n: int, name: str, text: str, maximum: Decimal, problems: list[RowProblem], *,
             required: bool) -> Decimal | None:
    if not text:
        if required:
            problems.append(RowProblem(n, name, "is missing"))
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        problems.append(RowProblem(n, name, f"{text[:20]!r} is not a number"))
        return None
    if not value.is_finite() or value <= 0 or value > maximum:
        problems.append(RowProblem(n, name, f"{text[:20]} must be above 0 and at most {maximum}"))
        return None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        problems.append(RowProblem(n, name, f"{text[:20]} has more than 4 decimals"))
        return None
    return value
