"""The counter in Simplified Chinese: every string translated, the .qm up to date, the core's sentences
translated with their values kept, English unchanged, and the language switchable at run time."""

from __future__ import annotations

import errno
import json
import logging
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from terminal import counter, faults, files, voucher
from terminal.devices import scan_codes
from terminal.devices.cardreader.errors import CardExpired
from terminal.errors import BadInput, TerminalError
from terminal.offline.estimate import check_limits
from terminal.offline.store import describe
from terminal.offline.transactions import Outstanding
from terminal.settings import OfflineSettings
from terminal.ui import language
from terminal.ui.language import Language, Templates

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import core_sentences  # noqa: E402
import ts_file  # noqa: E402

TS = ROOT / "terminal" / "ui" / "i18n" / "counter_zh_CN.ts"
CJK = re.compile(r"[\u4e00-\u9fff]")
MARKER = re.compile(r"%(\d+)")


@pytest.fixture(scope="module")
def found() -> list[core_sentences.Found]:
    return core_sentences.extract(ROOT)


@pytest.fixture(scope="module")
def messages() -> list[ts_file.Message]:
    return ts_file.messages(ts_file.read(TS))


@pytest.fixture(scope="module")
def core_translations(messages: list[ts_file.Message]) -> dict[str, str]:
    return {m.source: m.translations[0] for m in messages if m.context == ts_file.CORE and m.finished}


@pytest.fixture
def zh(qapp: QApplication) -> Iterator[Language]:
    """A language of its own, in Chinese; English again afterwards, so no other test sees a translator."""
    lang = Language()
    lang.install(qapp, "zh_CN")
    yield lang
    lang.switch("en")


# ----- the files


def test_every_core_sentence_has_a_finished_translation(found: list[core_sentences.Found],
                                                          core_translations: dict[str, str]) -> None:
    templates = {f.template for f in found}
    assert len(templates) > 100  # the extractor still finds the core's sentences
    assert sorted(templates - core_translations.keys()) == []


def test_every_translation_keeps_the_markers_of_its_source(messages: list[ts_file.Message]) -> None:
    wrong = [(m.context, m.source, why) for m in messages if m.finished and (why := ts_file.placeholder_problem(m))]
    assert wrong == []


def test_the_check_passes_so_the_qm_is_what_lrelease_makes_of_the_ts() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "translations.py"), "--check"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_runtime_templates_are_the_extracted_ones(found: list[core_sentences.Found]) -> None:
    shipped = json.loads((ROOT / "terminal" / "ui" / "i18n" / "core_templates.json").read_text("utf-8"))
    assert set(shipped["templates"]) == {f.template for f in found if "%1" in f.template}


def test_the_ts_writer_writes_what_it_reads_byte_for_byte(tmp_path: Path) -> None:
    # lupdate and the refresh both write the file; neither may reformat what the other wrote.
    copy, root = tmp_path / TS.name, ts_file.read(TS)
    assert root is not None
    ts_file.write(root, copy)
    assert copy.read_bytes() == TS.read_bytes()


# ----- the core's sentences at run time


def _errors() -> Iterator[tuple[TerminalError, tuple[str, ...]]]:
    """Errors the core really raises, each with the values its sentence must keep."""
    yield faults.serial_fault(OSError(errno.EBUSY, "busy"), "/dev/ttyUSB0"), ("/dev/ttyUSB0",)
    yield faults.serial_fault(PermissionError(errno.EACCES, "denied"), "/dev/ttyS3"), ("/dev/ttyS3", "dialout")
    yield faults.serial_fault(ValueError("bad url"), "rfc2217://x"), ("rfc2217://x",)
    yield faults.file_fault(OSError(errno.ENOSPC, "full"), "/var/lib/counter/journal.db", "journal"), \
        ("/var/lib/counter/journal.db",)
    yield faults.file_fault(FileNotFoundError(errno.ENOENT, "gone"), "/etc/till.json", "configuration",
                            config=True), ("/etc/till.json",)
    yield faults.socket_fault(OSError(errno.EADDRINUSE, "in use"), "127.0.0.1:8080"), ("127.0.0.1:8080", )
    yield faults.socket_fault(socket.gaierror("no such host"), "http://nohost:80"), ("http://nohost:80",)
    locked = sqlite3.OperationalError("database is locked")
    sorted_fault = faults.sqlite_fault(locked, describe(Path("/var/lib/counter/journal.db")))
    assert sorted_fault is not None
    yield sorted_fault, ("/var/lib/counter/journal.db",)
    yield counter.SaleLocked(), ()
    yield scan_codes.EmptyScan(), ()
    for data in ("https://example.com/x", "123456789012345678", "6901070202350", "x" * 5000):
        try:
            scan_codes.route_scan(data)
        except BadInput as exc:
            yield exc, ()
    key = Ed25519PrivateKey.generate()
    text = voucher.issue_voucher(key, "12000000000000000003", now=1_000, ttl_s=60)
    for now in (2_000, 10):
        try:
            voucher.verify_voucher(text, key.public_key(), now=now, clock_skew_s=30)
        except voucher.VoucherExpired as exc:
            yield exc, ()
    try:
        voucher.verify_voucher(text, Ed25519PrivateKey.generate().public_key(), now=1_010, clock_skew_s=30)
    except voucher.VoucherForged as exc:
        yield exc, ()
    try:
        voucher.load_public_key(Path("/nonexistent/issuer.pub.pem"))
    except BadInput as exc:
        yield exc, ("/nonexistent/issuer.pub.pem",)
    yield CardExpired("20231231"), ("2023-12-31",)
    try:
        check_limits(OfflineSettings(), Outstanding(0, Decimal(0), None), Decimal("123456.78"), time.time())
    except BadInput as exc:
        yield exc, ("123456.78",)


def _bad_json_error(tmp_path: Path) -> BadInput:
    path = tmp_path / "till.json"
    path.write_text('{"counter": }', encoding="utf-8")
    with pytest.raises(BadInput) as raised:
        files.read_json_file(path, "configuration", config=True)
    return raised.value


def test_real_errors_read_in_chinese_with_their_values_unchanged(zh: Language) -> None:
    errors = list(_errors())
    assert len(errors) >= 20
    for error, values in errors:
        text = zh.cashier_text(error.cashier_message)
        assert CJK.search(text), error.cashier_message
        assert not re.search(r"[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", text), text  # no English clause left
        assert "%" not in text
        for value in values:
            assert value in text, (error.cashier_message, text)


def test_a_sentence_inside_a_sentence_is_translated_too(zh: Language, tmp_path: Path) -> None:
    # "The configuration file F is not valid JSON: Expecting value at line 1 column 13." holds Python's
    # own words inside one of ours inside another.
    error = _bad_json_error(tmp_path)
    assert "Expecting value at line 1 column 13" in error.cashier_message
    text = zh.cashier_text(error.cashier_message)
    assert text == f"配置文件 {tmp_path / 'till.json'} 不是有效的 JSON：第 1 行第 13 列：此处应为一个值。"


def test_every_template_reads_as_its_own_translation(zh: Language, found: list[core_sentences.Found],
                                                     core_translations: dict[str, str]) -> None:
    # Digits as values: they are never translated, so each sentence must come back exactly as its template's
    # translation with the same values in; another template matching first would show here.
    for template in sorted({f.template for f in found}):
        values = {int(n): f"70{n}0" for n in MARKER.findall(template)}
        expected = _fill(core_translations[template], values)
        assert zh.cashier_text(_fill(template, values)) == expected, template


def _fill(text: str, values: dict[int, str]) -> str:
    return MARKER.sub(lambda m: values[int(m.group(1))], text)


def test_english_gives_the_sentence_back_unchanged(zh: Language) -> None:
    sentence = faults.serial_fault(OSError(errno.EBUSY, "busy"), "/dev/ttyUSB0").cashier_message
    assert zh.cashier_text(sentence) != sentence
    zh.switch("en")
    assert zh.current() == "en"
    assert zh.cashier_text(sentence) == sentence


def test_an_unknown_sentence_comes_back_unchanged_and_is_logged_once(zh: Language,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    sentence = "The moon is in the way of the scanner; wait for it to pass."
    with caplog.at_level(logging.DEBUG, logger="terminal.ui.language"):
        assert zh.cashier_text(sentence) == sentence
        zh.switch("zh_CN")  # a fresh cache: the sentence is worked out again, but not logged again
        assert zh.cashier_text(sentence) == sentence
    assert [r.message for r in caplog.records].count(f"no translation for the core sentence {sentence!r}") == 1


def test_matching_is_well_under_a_millisecond_a_sentence(zh: Language, found: list[core_sentences.Found]) -> None:
    sentences = [MARKER.sub("/dev/ttyUSB0", f.template) for f in found] + ["An unknown sentence, never written."]
    start = time.perf_counter()
    for _ in range(5):
        for sentence in sentences:
            zh.switch("zh_CN")  # no cache: every sentence is matched from scratch
            zh.cashier_text(sentence)
    per_sentence = (time.perf_counter() - start) / (5 * len(sentences))
    assert per_sentence < 0.001


def test_templates_prefer_the_most_specific() -> None:
    templates = Templates(["%1 is empty.", "The %1 file %2 is empty."])
    assert next(iter(templates.match("The policy file /p.json is empty."))) == \
        ("The %1 file %2 is empty.", {1: "policy", 2: "/p.json"})
    assert list(templates.match("Nothing here.")) == []


def test_unreadable_templates_file_leaves_sentences_in_english(tmp_path: Path, caplog: pytest.LogCaptureFixture
                                                               ) -> None:
    broken = tmp_path / "core_templates.json"
    broken.write_text("{", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="terminal.ui.language"):
        templates = Templates.load(broken)
    assert list(templates.match("The serial port /dev/x is in use by another program; close it.")) == []
    assert "cannot be read" in caplog.text


# ----- the UI's strings


def test_switching_language_changes_what_qt_translates(qapp: QApplication, messages: list[ts_file.Message]) -> None:
    ui = next(m for m in messages if m.context != ts_file.CORE and m.finished and not m.numerus)
    lang = Language()
    lang.install(qapp, "en")
    try:
        assert QCoreApplication.translate(ui.context, ui.source) == ui.source
        lang.switch("zh_CN")
        assert lang.current() == "zh_CN"
        assert QCoreApplication.translate(ui.context, ui.source) == ui.translations[0]
        lang.switch("en")
        assert QCoreApplication.translate(ui.context, ui.source) == ui.source
    finally:
        lang.switch("en")


def test_an_unknown_language_is_refused(qapp: QApplication) -> None:
    lang = Language()
    lang.install(qapp, "en")
    with pytest.raises(ValueError, match="zh_CN"):
        lang.switch("fr")
    assert lang.current() == "en"


def test_the_module_functions_speak_for_the_application(qapp: QApplication) -> None:
    before = language.current()
    try:
        language.install(qapp, "zh_CN")
        assert language.current() == "zh_CN" and language.LANGUAGES == ("zh_CN", "en")
        assert CJK.search(language.cashier_text(counter.SaleLocked().cashier_message))
    finally:
        language.switch(before)
