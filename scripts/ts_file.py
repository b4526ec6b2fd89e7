"""Reading and writing Qt .ts files the way lupdate writes them, and the core's `Core` context in them.

lupdate only knows the UI's tr() calls: run over the UI it marks the `Core` context
vanished (or drops it with -no-obsolete). So the refresh reads the Core translations
before lupdate runs and writes the context again afterwards, from the extractor's
templates. The writer copies lupdate's layout byte for byte (same indentation, same
escaping), so a refresh that changes nothing leaves the file unchanged and the next
lupdate run rewrites nothing.
"""

from __future__ import annotations

import copy
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core_sentences import Found

CORE = "Core"
FINISHED_TYPES = (None, "vanished")  # a vanished message was finished when its source went away
GONE_TYPES = ("vanished", "obsolete")
_PLACEHOLDER = re.compile(r"%(\d+|n)")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str  # Qt's disambiguation: part of the lookup key
    numerus: bool
    translations: tuple[str, ...]  # one, or one per numerus form
    type: str | None  # None (finished), unfinished, vanished, obsolete

    @property
    def gone(self) -> bool:
        return self.type in GONE_TYPES

    @property
    def finished(self) -> bool:
        return self.type is None and bool(self.translations) and all(self.translations)


def read(path: Path) -> ET.Element | None:
    if not path.exists():
        return None
    return ET.parse(path).getroot()


def messages(root: ET.Element | None) -> list[Message]:
    found: list[Message] = []
    for context in [] if root is None else root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            forms: tuple[str, ...] = ()
            kind = None
            if translation is not None:
                kind = translation.get("type")
                forms = tuple(f.text or "" for f in translation.iter("numerusform")) \
                    if message.get("numerus") == "yes" else (translation.text or "",)
            found.append(Message(name, message.findtext("source") or "", message.findtext("comment") or "",
                                 message.get("numerus") == "yes", forms, kind))
    return found


def placeholder_problem(message: Message) -> str | None:
    """Why a finished translation would lose or invent a value, or None when its markers match."""
    wanted = sorted(set(_PLACEHOLDER.findall(message.source)))
    for form in message.translations:
        got = sorted(set(_PLACEHOLDER.findall(form)))
        if got != wanted:
            return f"has {' '.join('%' + g for g in got) or 'no markers'}, the source has " \
                   f"{' '.join('%' + w for w in wanted) or 'none'}"
    return None


def core_context(found: Iterable[Found], old: ET.Element | None, ts_path: Path, root: Path) -> ET.Element:
    """The Core context for `found`, with the translations `old` (the file before lupdate) held."""
    previous: dict[str, ET.Element] = {}
    for context in [] if old is None else old.iter("context"):
        if context.findtext("name") == CORE:
            for message in context.iter("message"):
                translation = message.find("translation")
                if translation is not None:
                    previous[message.findtext("source") or ""] = translation
    places: dict[str, list[Found]] = {}
    for item in found:
        places.setdefault(item.template, []).append(item)
    context = ET.Element("context")
    ET.SubElement(context, "name").text = CORE
    for template, where in places.items():
        message = ET.SubElement(context, "message")
        for item in sorted(set(where), key=lambda f: (f.path, f.line)):
            location = os.path.relpath(root / item.path, ts_path.parent)
            ET.SubElement(message, "location", {"filename": location, "line": str(item.line)})
        ET.SubElement(message, "source").text = template
        note = _note(template, any(item.fragment for item in where))
        if note:
            ET.SubElement(message, "extracomment").text = note
        kept = previous.pop(template, None)
        translation = ET.SubElement(message, "translation")
        translation.text = kept.text if kept is not None else ""
        if kept is None or kept.get("type") not in FINISHED_TYPES or not kept.text:
            translation.set("type", "unfinished")
    for template, kept in previous.items():  # gone from the code: kept for a translator to reuse
        if kept.text:
            message = ET.SubElement(context, "message")
            ET.SubElement(message, "source").text = template
            translation = ET.SubElement(message, "translation", {
                "type": "vanished" if kept.get("type") in FINISHED_TYPES else "obsolete"})
            translation.text = kept.text
    return context


def _note(template: str, fragment: bool) -> str:
    notes = []
    if fragment:
        notes.append("A phrase the terminal puts inside other sentences; translate it to fit there.")
    if "%1" in template:
        notes.append("%1, %2...: names, numbers, paths or phrases filled in at run time; keep each one.")
    return " ".join(notes)


def with_core(root: ET.Element, core: ET.Element, *, drop_gone: bool) -> ET.Element:
    """`root` with its Core context replaced by `core`, contexts in lupdate's (sorted) order."""
    if drop_gone:
        for message in list(core.iter("message")):
            translation = message.find("translation")
            if translation is not None and translation.get("type") in GONE_TYPES:
                core.remove(message)
    out = copy.copy(root)
    contexts = [c for c in root if c.tag == "context" and c.findtext("name") != CORE] + [core]
    out[:] = sorted(contexts, key=lambda c: c.findtext("name") or "")
    return out


def write(root: ET.Element, path: Path) -> None:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>", _open(root)]
    for child in root:
        _element(child, 0, lines)
    lines.append("</TS>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _element(element: ET.Element, depth: int, lines: list[str]) -> None:
    pad = " " * (4 * depth)
    if element.tag == "location":
        lines.append(pad + _open(element)[:-1] + "/>")
    elif len(element):
        lines.append(pad + _open(element))
        for child in element:
            _element(child, depth + 1, lines)
        lines.append(f"{pad}</{element.tag}>")
    else:
        lines.append(f"{pad}{_open(element)}{_escape(element.text or '')}</{element.tag}>")


def _open(element: ET.Element) -> str:
    attributes = "".join(f' {k}="{_escape(v)}"' for k, v in element.attrib.items())
    return f"<{element.tag}{attributes}>"


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(c, c) for c in text)
