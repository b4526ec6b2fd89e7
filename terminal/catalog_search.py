"""Finding catalog entries the way a cashier types: a barcode, a code, part of a name, or pinyin initials.

Chinese counters search drug names by the first letters of their pinyin:
"amxl" finds 阿莫西林胶囊, "blf" 布洛芬缓释胶囊. The index is built once per
catalog (`CatalogSearch(catalog)`, a few milliseconds per thousand entries) and
answers from then on without pypinyin.

Initials. Each Chinese character gives its initial, and every initial of a
character with several readings (长 zhǎng/cháng, 阿 ā/ē), so a cashier who
reads a character either way finds the drug; where the readings of a long name
would multiply past MAX_VARIANTS, the later characters keep their first
reading. Latin letters and digits count as themselves (维生素C泡腾片: wsscptp),
and a second key without them is kept too, so 0.9%氯化钠注射液 is found by
"lhn" as well as by "09lhn"; punctuation and symbols are skipped.

Ranking. An exact barcode or catalog code first, then names whose initials
start with the query, then codes and barcodes starting with it, then names
containing it, then names whose initials contain it. Within each, the closest
first: the shorter name, the earlier position (codes in code order). Text is compared after NFKC and
case folding, so full-width input from an IME finds the same entries.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import IntEnum
from functools import cache

from terminal.barcodes import normalise_barcode
from terminal.domain import CatalogItem

DEFAULT_LIMIT = 20
MAX_LIMIT = 500
# Keys per name at most: a name of heteronyms must not cost a thousand keys.
MAX_VARIANTS = 16
# Codes and barcodes are searched by prefix from this many characters; one digit matches everything.
MIN_PREFIX = 2
_TYPED_KEY = re.compile(r"[0-9a-z]+")
_SPACE = re.compile(r"\s+")


class MatchKind(IntEnum):
    """Why an entry was found; the order is the ranking."""

    EXACT = 0  # its barcode or catalog code, exactly
    INITIALS = 1  # its pinyin initials start with the query
    CODE_PREFIX = 2  # its catalog code or barcode starts with the query
    NAME = 3  # its name contains the query
    INITIALS_INSIDE = 4  # its pinyin initials contain the query


@dataclass(frozen=True, slots=True)
class Match:
    item: CatalogItem
    kind: MatchKind


def fold(text: str) -> str:
    """Text as searched: NFKC (full-width to ASCII), case folded, without spaces."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).casefold())


def load_pinyin() -> None:
    """Import pypinyin now. Its dictionaries load in one long step that holds the interpreter lock: the
    counter app does it before its window shows, so building an index later on a worker never stalls
    the screen."""
    import pypinyin  # noqa: F401


@cache
def _char_initials(ch: str) -> str:
    """The pinyin initials of one character, most common reading first ("" for a non-Chinese one)."""
    from pypinyin import Style, pinyin  # ~0.1 s to import: only when an index is built

    readings = pinyin(ch, style=Style.FIRST_LETTER, heteronym=True, errors="ignore")
    letters = [r[0] for r in (readings[0] if readings else []) if r and "a" <= r[0] <= "z"]
    return "".join(dict.fromkeys(letters))


def initials(name: str) -> tuple[str, ...]:
    """Every initials key of `name`, the most common reading first (see the module docstring)."""
    full: list[str] = []
    chinese: list[str] = []
    for ch in fold(name):
        letters = _char_initials(ch) if ord(ch) > 0x7F else ""
        if letters:
            full.append(letters)
            chinese.append(letters)
        elif ch.isascii() and ch.isalnum():
            full.append(ch)
    keys = _expand(full)
    if chinese and len(chinese) < len(full):
        keys += [k for k in _expand(chinese) if k not in keys]
    return tuple(keys)


def _expand(positions: list[str]) -> list[str]:
    keys = [""]
    for letters in positions:
        if len(keys) * len(letters) > MAX_VARIANTS:
            letters = letters[0]
        keys = [key + letter for key in keys for letter in letters]
    return keys if positions else []


@dataclass(frozen=True, slots=True)
class _Entry:
    item: CatalogItem
    name: str  # folded
    keys: tuple[str, ...]


class _Column:
    """Texts joined by a newline (which folded text never holds), so one str.find scans them all at C speed."""

    def __init__(self, texts: list[str], owners: list[int]) -> None:
        self.text = "\n".join(texts)
        self.owners = owners
        self.starts: list[int] = []
        at = 0
        for text in texts:
            self.starts.append(at)
            at += len(text) + 1

    def occurrences(self, query: str) -> Iterator[tuple[int, int, int]]:
        """(owner, position within the text, length of the text) of every occurrence of `query`."""
        at = self.text.find(query)
        while at >= 0:
            slot = bisect.bisect_right(self.starts, at) - 1
            end = self.starts[slot + 1] - 1 if slot + 1 < len(self.starts) else len(self.text)
            yield self.owners[slot], at - self.starts[slot], end - self.starts[slot]
            at = self.text.find(query, at + 1)


class CatalogSearch:
    """The search index of one catalog (see the module docstring). Read-only once built: share it freely."""

    def __init__(self, items: Mapping[str, CatalogItem] | Iterable[CatalogItem]) -> None:
        """From a Catalog (or any mapping of code to entry), or the entries themselves."""
        if isinstance(items, Mapping):
            items = items.values()
        self._entries: list[_Entry] = []
        self._exact: dict[str, int] = {}
        codes: list[tuple[str, int]] = []
        keys: list[tuple[str, int]] = []
        for index, item in enumerate(items):
            entry = _Entry(item, fold(item.name), initials(item.name))
            self._entries.append(entry)
            code = fold(item.med_list_codg)
            self._exact.setdefault(code, index)
            codes.append((code, index))
            if item.barcode:
                barcode = normalise_barcode(item.barcode) or item.barcode
                self._exact.setdefault(barcode, index)
                codes.append((barcode, index))
            keys.extend((key, index) for key in entry.keys)
        self._names = _Column([e.name for e in self._entries], list(range(len(self._entries))))
        self._inside = _Column([key for key, _ in keys], [index for _, index in keys])
        self._codes = sorted(codes)
        self._keys = sorted(keys)

    def __len__(self) -> int:
        return len(self._entries)

    def search(self, query: str, *, limit: int = DEFAULT_LIMIT) -> list[Match]:
        """The best `limit` entries for what the cashier typed or scanned, best first."""
        text = fold(query)
        limit = max(1, min(limit, MAX_LIMIT))
        if not text:
            return []
        typed = _TYPED_KEY.fullmatch(text) is not None
        found: dict[int, tuple[MatchKind, tuple[int, ...]]] = {}

        def add(index: int, kind: MatchKind, *order: int) -> None:
            if index not in found or (kind, order) < found[index]:
                found[index] = (kind, order)

        for exact in (normalise_barcode(text), text):
            if exact is not None and exact in self._exact:
                add(self._exact[exact], MatchKind.EXACT)
        if typed:
            for key, index in _starting_with(self._keys, text):
                add(index, MatchKind.INITIALS, len(key), index)
            if len(text) >= MIN_PREFIX:
                # In code order, so the first `limit` are the best: "X" alone would match half the catalog.
                for rank, (_code, index) in enumerate(_starting_with(self._codes, text)):
                    if rank >= limit:
                        break
                    add(index, MatchKind.CODE_PREFIX, rank)
        # The scans below pass over the whole catalog: skipped when better matches already fill the list.
        if len(found) < limit:
            for index, at, length in self._names.occurrences(text):
                add(index, MatchKind.NAME, at, length, index)
        if typed and len(found) < limit and len(text) >= MIN_PREFIX:
            for index, at, length in self._inside.occurrences(text):
                if at > 0:
                    add(index, MatchKind.INITIALS_INSIDE, at, length, index)
        best = sorted(found.items(), key=lambda pair: pair[1])[:limit]
        return [Match(self._entries[index].item, kind) for index, (kind, _order) in best]


def _starting_with(pairs: list[tuple[str, int]], prefix: str) -> Iterator[tuple[str, int]]:
    """The (key, index) pairs of a sorted list whose key starts with `prefix`, in order."""
    at = bisect.bisect_left(pairs, (prefix, -1))
    while at < len(pairs) and pairs[at][0].startswith(prefix):
        yield pairs[at]
        at += 1
