"""The counter's language: Simplified Chinese by default, English on request, through Qt's translators.

UI strings are marked with tr() and QCoreApplication.translate() as usual; installing or
removing a translator makes Qt send every widget a LanguageChange event, and widgets
set their texts again. The core is plain Python and cannot call tr(): its errors carry
English sentences, often with values inside ("The serial port /dev/ttyUSB0 is in use
by another program; close it."). `cashier_text` turns such a sentence into the
cashier's language: the exact sentence if the translation file has it, otherwise the
template it was made from (scripts/core_sentences.py found them in the source, with
%1, %2 for the values), whose translation gets the same values back. A value that is
itself a known sentence or phrase (a file's kind, a limit that was reached) is
translated too. A sentence no template matches comes back in English, and is logged
once so it can be added.

The template list is read from i18n/core_templates.json, which the refresh script
writes from the extractor, rather than from the .ts: the .ts is the translators'
working file (XML, with every UI string and location in it) and need not ship, while
the JSON is just the list needed here, loaded without an XML parser at start-up.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")
DEFAULT = "zh_CN"
CONTEXT = "Core"
I18N = Path(__file__).resolve().parent / "i18n"
TEMPLATES = I18N / "core_templates.json"

_MARKER = re.compile(r"%(\d+)")
_MAX_DEPTH = 3  # a value inside a value inside a sentence; deeper is never built
_CACHE_SIZE = 512  # sentences repeat (the same fault every reconnect); a bound keeps a flood from growing it


class Templates:
    """Core sentence templates as regular expressions, most specific first, compiled once."""

    def __init__(self, templates: Iterable[str]) -> None:
        compiled = []
        for template in templates:
            pieces = _MARKER.split(template)  # literal, number, literal, number, ..., literal
            literals = pieces[0::2]
            pattern = "(.*?)".join(re.escape(literal) for literal in literals)
            numbers = [int(n) for n in pieces[1::2]]
            compiled.append((sum(map(len, literals)), literals[0], literals[-1], re.compile(pattern, re.DOTALL),
                             numbers, template))
        # The template with the most fixed text wins: "The %1 file %2 is empty." before "%1 is empty."
        compiled.sort(key=lambda entry: -entry[0])
        self._entries = [entry[1:] for entry in compiled]

    @classmethod
    def load(cls, path: Path = TEMPLATES) -> Templates:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(data["templates"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.error("core sentence templates cannot be read from %s: %s", path, exc)
            return cls(())

    def match(self, sentence: str) -> Iterable[tuple[str, dict[int, str]]]:
        """(template, {marker number: value}) for each template the sentence fits."""
        for prefix, suffix, pattern, numbers, template in self._entries:
            if sentence.startswith(prefix) and sentence.endswith(suffix):
                found = pattern.fullmatch(sentence)
                if found is not None:
                    yield template, dict(zip(numbers, found.groups(), strict=True))


class Language:
    """The language one application shows; `install` once, `switch` at any time."""

    def __init__(self, templates: Templates | None = None) -> None:
        self._app: QCoreApplication | None = None
        self._lang = "en"  # nothing is translated until a translator is installed
        self._translators: list[QTranslator] = []
        self._installed: list[QTranslator] = []
        self._templates = templates
        self._cache: dict[str, str] = {}
        self._unknown: set[str] = set()

    def install(self, app: QCoreApplication, lang: str = DEFAULT) -> None:
        self._app = app
        self.switch(lang)

    def switch(self, lang: str) -> None:
        """Show `lang` from now on; Qt tells every widget (LanguageChange) to set its texts again."""
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
        app = self._app or QCoreApplication.instance()
        if app is None:
            raise RuntimeError("install() the language on the application first")
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed = []
        if lang == "zh_CN":
            for translator in self._load():
                app.installTranslator(translator)
                self._installed.append(translator)
            if self._templates is None:
                self._templates = Templates.load()
        self._lang = lang
        self._cache.clear()

    def current(self) -> str:
        return self._lang

    def _load(self) -> list[QTranslator]:
        if not self._translators:
            # Qt's own strings too (the buttons of standard dialogs, a line edit's context menu).
            for name, folder in (("counter_zh_CN", I18N),
                                 ("qtbase_zh_CN", Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)))):
                translator = QTranslator()
                if translator.load(name, str(folder)):
                    self._translators.append(translator)
                elif name.startswith("counter"):
                    log.error("the translation %s cannot be loaded from %s; the counter stays in English",
                              name, folder)
        return self._translators

    def cashier_text(self, sentence: str) -> str:
        """The core's English `sentence` in the current language (unchanged in English)."""
        if self._lang == "en" or not sentence:
            return sentence
        cached = self._cache.get(sentence)
        if cached is None:
            cached = self._translate(sentence, 0)
            if cached is None:
                cached = sentence
                if sentence not in self._unknown and len(self._unknown) < _CACHE_SIZE:
                    self._unknown.add(sentence)
                    log.debug("no translation for the core sentence %r", sentence)
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[sentence] = cached
        return cached

    def _translate(self, text: str, depth: int) -> str | None:
        """The translation of a sentence or phrase, or None when none is known."""
        exact = QCoreApplication.translate(CONTEXT, text)
        if exact != text:
            return exact
        if self._templates is None:
            return None
        for template, values in self._templates.match(text):
            translated = QCoreApplication.translate(CONTEXT, template)
            if translated == template:
                continue  # known but not translated yet: English as a whole reads better than a mix
            return _fill(translated, {n: self._value(v, depth + 1) for n, v in values.items()})
        return None

    def _value(self, value: str, depth: int) -> str:
        if depth > _MAX_DEPTH or not any(c.isalpha() for c in value):
            return value  # numbers, amounts and codes stay as they are
        translated = self._translate(value, depth)
        if translated is None and value[:1].isupper():
            # "{what} is busy..." capitalises its value: "The journal /x" is the phrase "the journal %1".
            translated = self._translate(value[0].lower() + value[1:], depth)
        return value if translated is None else translated


def _fill(translation: str, values: dict[int, str]) -> str:
    # One pass, so a value that itself holds "%2" is never filled in again.
    return _MARKER.sub(lambda m: values.get(int(m.group(1)), m.group(0)), translation)


_language = Language()


def install(app: QCoreApplication, lang: str = DEFAULT) -> None:
    """Load the translation for `lang` ("zh_CN") into `app`, or none ("en")."""
    _language.install(app, lang)


def switch(lang: str) -> None:
    _language.switch(lang)


def current() -> str:
    return _language.current()


def cashier_text(sentence: str) -> str:
    return _language.cashier_text(sentence)
