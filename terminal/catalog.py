"""The catalog of drugs and fee items (DESIGN.md's catalog format)."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from terminal.barcodes import normalise_barcode
from terminal.basket import CHARGE_CLASSES, CODE_PATTERN, read_price, read_price_cap, read_selfpay_prop
from terminal.config import config_path
from terminal.domain import CatalogItem, ChargeClass
from terminal.errors import ConfigError
from terminal.fields import FieldError, Fields
from terminal.files import read_json_file
from terminal.money import fmt_decimal

log = logging.getLogger(__name__)


def catalog_item_from_json(f: Fields) -> CatalogItem:
    return CatalogItem(
        med_list_codg=f.text("med_list_codg", pattern=CODE_PATTERN),
        name=f.text("name", max_len=200),
        spec=f.text("spec", max_len=200, default="-"),
        list_type=f.text("list_type", choices=("drug", "service")),
        chrgitm_lv=ChargeClass(f.text("chrgitm_lv", choices=CHARGE_CLASSES)),
        selfpay_prop=read_selfpay_prop(f),
        pric_uplmt_amt=read_price_cap(f),
        barcode=f.opt_text("barcode", pattern=r"\d{8,14}"),
        pric=read_price(f) if f.has("pric") else None,
        rx_flag=f.opt_text("rx_flag", pattern="[01]") == "1",
        trac_required=read_flag(f, "trac_required"),
        max_cnt_per_sale=Decimal(f.count("max_cnt_per_sale", minimum=1)) if f.has("max_cnt_per_sale") else None,
    )


def read_flag(f: Fields, name: str) -> bool:
    """An optional JSON true/false (absent: false)."""
    value = f.raw(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise FieldError(f"{f.where}.{name} must be true or false")
    return value


def catalog_item_to_json(item: CatalogItem) -> dict[str, Any]:
    out: dict[str, Any] = {
        "med_list_codg": item.med_list_codg,
        "name": item.name,
        "spec": item.spec,
        "list_type": item.list_type,
        "chrgitm_lv": item.chrgitm_lv.value,
        "selfpay_prop": None if item.selfpay_prop is None else fmt_decimal(item.selfpay_prop),
        "pric_uplmt_amt": None if item.pric_uplmt_amt is None else fmt_decimal(item.pric_uplmt_amt),
        "barcode": item.barcode,
    }
    if item.pric is not None:
        out["pric"] = fmt_decimal(item.pric)
    # Written only when set, so a catalog without the pharmacy rules reads and writes as it did.
    if item.rx_flag:
        out["rx_flag"] = "1"
    if item.trac_required:
        out["trac_required"] = True
    if item.max_cnt_per_sale is not None:
        out["max_cnt_per_sale"] = int(item.max_cnt_per_sale)
    return out


class Catalog(Mapping[str, CatalogItem]):
    """Catalog entries by med_list_codg, with a barcode index for scanned boxes."""

    def __init__(self, items: Iterable[CatalogItem]) -> None:
        self._by_code: dict[str, CatalogItem] = {}
        self._by_barcode: dict[str, CatalogItem] = {}
        for item in items:
            if item.med_list_codg in self._by_code:
                raise ConfigError(f"The catalog lists {item.med_list_codg} twice.")
            self._by_code[item.med_list_codg] = item
            if item.barcode:
                key = normalise_barcode(item.barcode)
                if key is None:
                    # Not a valid EAN/UPC: keep it for exact lookups (a basket file may name it);
                    # a scanner reading these digits is refused as a misread before any lookup.
                    log.warning("catalog entry %s: barcode %s fails the GS1 check digit",
                                item.med_list_codg, item.barcode)
                    key = item.barcode
                if key in self._by_barcode:
                    raise ConfigError(f"The barcode {item.barcode} appears twice in the catalog.",
                                      detail=f"{self._by_barcode[key].med_list_codg} and {item.med_list_codg}")
                self._by_barcode[key] = item

    def __getitem__(self, code: str) -> CatalogItem:
        return self._by_code[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_code)

    def __len__(self) -> int:
        return len(self._by_code)

    def by_barcode(self, barcode: str) -> CatalogItem | None:
        """The entry of a box barcode (EAN-13, EAN-8, or UPC-A as its EAN-13); None if unknown or invalid."""
        return self._by_barcode.get(normalise_barcode(barcode) or barcode.strip())

    def barcode_count(self) -> int:
        return len(self._by_barcode)

    def to_json(self) -> list[dict[str, Any]]:
        return [catalog_item_to_json(item) for item in self._by_code.values()]

    def without_pharmacy_rules(self) -> Catalog:
        """The same entries without rx_flag, trac_required and max_cnt_per_sale: a catalog as one made before the
        pharmacy rules reads. Tests and benchmarks about other things run the service on it, so their sales need
        no traceability codes or prescription numbers and keep testing what they tested."""
        return Catalog(dataclasses.replace(item, rx_flag=False, trac_required=False, max_cnt_per_sale=None)
                       for item in self._by_code.values())

    @classmethod
    def from_json(cls, data: object, where: str = "catalog") -> Catalog:
        if not isinstance(data, list):
            raise ConfigError(f"The {where} must be a JSON list of entries.")
        try:
            return cls(catalog_item_from_json(Fields(entry, f"{where}[{i}]")) for i, entry in enumerate(data))
        except FieldError as exc:
            raise ConfigError(f"The {where} has a bad entry: {exc.cashier_message}") from None


def load_catalog(path: str | Path | None = None) -> Catalog:
    """The catalog file named, or the demo catalog shipped in config/."""
    source = Path(path) if path else config_path("catalog.json")
    return Catalog.from_json(read_json_file(source, "catalog", config=True))
