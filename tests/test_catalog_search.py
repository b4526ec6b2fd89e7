"""Catalog search: barcode, code, name and pinyin initials, ranked, on the demo catalog and on made-up entries."""

from __future__ import annotations

import pytest

from terminal.catalog import load_catalog
from terminal.catalog_search import MAX_VARIANTS, CatalogSearch, MatchKind, initials
from terminal.domain import CatalogItem, ChargeClass


def item(code: str, name: str, barcode: str | None = None) -> CatalogItem:
    return CatalogItem(med_list_codg=code, name=name, spec="-", list_type="drug", chrgitm_lv=ChargeClass.A,
                       selfpay_prop=None, pric_uplmt_amt=None, barcode=barcode)


@pytest.fixture(scope="module")
def demo() -> CatalogSearch:
    return CatalogSearch(load_catalog())


def names(search: CatalogSearch, query: str, limit: int = 20) -> list[str]:
    return [m.item.name for m in search.search(query, limit=limit)]


@pytest.mark.parametrize(("query", "first"), [
    ("amxl", "阿莫西林胶囊"),
    ("blf", "布洛芬缓释胶囊"),
    ("AMXL", "阿莫西林胶囊"),
    ("ＡＭＸＬ", "阿莫西林胶囊"),  # full-width, as some IMEs type
    ("am xl", "阿莫西林胶囊"),
    ("lhqw", "连花清瘟胶囊"),
    ("hxzqs", "藿香正气水"),
    ("阿莫", "阿莫西林胶囊"),
    ("血常规", "血细胞分析(血常规)"),
    ("6901070202353", "阿莫西林胶囊"),
    ("xj01caa040e001010101000", "阿莫西林胶囊"),
    ("XM01AEB051E002010101037", "布洛芬缓释胶囊"),
])
def test_the_demo_catalog_is_found_the_ways_a_cashier_types(demo: CatalogSearch, query: str, first: str) -> None:
    assert names(demo, query)[0] == first


def test_exact_barcode_and_code_come_first(demo: CatalogSearch) -> None:
    found = demo.search("6901070202353")
    assert found[0].kind is MatchKind.EXACT and len(found) == 1
    prefix = demo.search("XJ01")
    assert len(prefix) == sum(code.startswith("XJ01") for code in load_catalog())
    assert {m.kind for m in prefix} == {MatchKind.CODE_PREFIX}
    assert all(m.item.med_list_codg.startswith("XJ01") for m in prefix)
    assert {m.item.name for m in demo.search("0011", limit=50)} >= {"普通门诊诊查费", "住院诊查费"}


def test_latin_letters_and_digits_count_and_can_be_left_out(demo: CatalogSearch) -> None:
    assert "wsscptp" in initials("维生素C泡腾片")
    assert names(demo, "wssc")[0] == "维生素C泡腾片"
    assert names(demo, "lhn")[0] == names(demo, "09lhn")[0] == "0.9%氯化钠注射液"
    assert names(demo, "ptp") == ["维生素C泡腾片"]  # inside the initials
    assert names(demo, "CT")[0] == "X线计算机体层(CT)平扫(头颅)"  # inside the name
    assert initials("(%)·-") == ()


def test_every_reading_of_a_heteronym_finds_the_name() -> None:
    assert {"cz", "zz"} <= set(initials("重组"))
    search = CatalogSearch([item("X1", "重组人胰岛素注射液")])
    assert names(search, "czr") == names(search, "zzr") == ["重组人胰岛素注射液"]
    many = initials("长重行乐和还都单朝传")  # ten characters of two or more readings each
    assert 1 < len(many) <= MAX_VARIANTS and len(set(many)) == len(many)


def test_the_ranking_goes_exact_initials_code_name_then_inside_initials() -> None:
    entries = [
        item("Z9", "哈布洛", barcode=None),  # initials hbl: "bl" inside
        item("Z8", "Ablavar注射液"),  # its name contains "bl"
        item("BLX001", "其他药"),  # its code starts with "bl"
        item("Z7", "布洛芬缓释胶囊"),  # initials blfhsjn
        item("Z6", "布洛芬片"),  # initials blfp: the shorter name first
        item("BL", "代码药"),  # the code exactly
    ]
    found = CatalogSearch(entries).search("bl")
    assert [(m.item.name, m.kind) for m in found] == [
        ("代码药", MatchKind.EXACT),
        ("布洛芬片", MatchKind.INITIALS),
        ("布洛芬缓释胶囊", MatchKind.INITIALS),
        ("其他药", MatchKind.CODE_PREFIX),
        ("Ablavar注射液", MatchKind.NAME),
        ("哈布洛", MatchKind.INITIALS_INSIDE),
    ]


def test_a_name_match_ranks_by_position_then_length(demo: CatalogSearch) -> None:
    capsules = names(demo, "胶囊", limit=50)
    assert capsules[:2] == ["缬沙坦胶囊", "阿莫西林胶囊"]  # 胶囊 third, then fourth
    assert len(capsules) == len(set(capsules)) == sum("胶囊" in n for n in (i.name for i in load_catalog().values()))


def test_a_upc_a_scan_finds_its_ean_13_and_limits_hold() -> None:
    search = CatalogSearch([item("U1", "进口维生素", barcode="0036000291452"), item("U2", "其他")])
    assert names(search, "036000291452") == ["进口维生素"]  # UPC-A, as some scanners send it
    assert names(search, "") == names(search, "   ") == names(search, "qqqqqq") == []
    many = CatalogSearch([item(f"C{i}", f"阿莫西林胶囊{i}") for i in range(300)])
    assert len(many.search("amxl")) == 20 and len(many.search("amxl", limit=5)) == 5
    assert len(many.search("amxl", limit=10_000)) == 300 and len(many) == 300
    assert len(CatalogSearch(load_catalog().values())) == len(load_catalog())
