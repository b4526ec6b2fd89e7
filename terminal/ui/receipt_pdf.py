"""A receipt as a PDF: the same lines the printer prints, on a page the width of a receipt roll.

Written on the output worker, never the GUI thread (QPdfWriter and QPainter work
off the GUI thread). A CJK monospace font keeps Chinese and the columns aligned
as on paper. The PDF is made in memory and written with plain file calls to a
temporary name, then renamed: Qt's own file writing reports a full disk by
leaving an empty file, where os.write raises the error the cashier's sentence
is made from, and no half receipt is ever left behind.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QSizeF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from terminal.faults import file_fault
from terminal.receipt import display_width
from terminal.ui.style import MONO_FAMILIES, pick_family


class Receipt(Protocol):
    """What goes on the roll: a receipt (terminal.app.receipts), a shift report; its lines and a file name."""

    @property
    def name(self) -> str: ...

    @property
    def lines(self) -> Sequence[str]: ...


POINT_SIZE = 9.0
MARGIN_MM = 4.0


def write_pdf(receipt: Receipt, folder: Path) -> Path:
    """The receipt's PDF in `folder` (created owner-only when missing); EnvironmentFault when it cannot be."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise file_fault(exc, folder, "receipt folder", creating=True) from None
    path = folder / f"{receipt.name}.pdf"
    data = render_pdf(receipt)
    partial = path.with_name(path.name + ".partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise file_fault(exc, path, "receipt PDF", creating=True) from None
    return path


def render_pdf(receipt: Receipt) -> bytes:
    """The receipt's PDF, made in memory."""
    font = QFont(pick_family(MONO_FAMILIES))
    font.setPointSizeF(POINT_SIZE)
    metrics = QFontMetricsF(font)
    columns = max((display_width(line) for line in receipt.lines), default=1)
    # Width of one column in points (a wide character takes two), and the page sized to the lines.
    column_pt = metrics.horizontalAdvance("0") * 72.0 / 96.0
    line_pt = metrics.lineSpacing() * 72.0 / 96.0
    width_mm = (columns * column_pt) / 72.0 * 25.4 + 2 * MARGIN_MM
    height_mm = (len(receipt.lines) + 1) * line_pt / 72.0 * 25.4 + 2 * MARGIN_MM
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(receipt.name)
    writer.setCreator("counter terminal")
    writer.setPageSize(QPageSize(QSizeF(width_mm, height_mm), QPageSize.Unit.Millimeter, "receipt"))
    writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    painter = QPainter()
    if not painter.begin(writer):
        raise RuntimeError("Qt could not start a PDF page")
    try:
        painter.setFont(font)
        step = painter.fontMetrics().lineSpacing()
        y = painter.fontMetrics().ascent()
        for line in receipt.lines:
            painter.drawText(0, y, line)
            y += step
    finally:
        painter.end()
    return bytes(buffer.data().data())


def render_image(receipt: Receipt, *, scale: float = 2.0) -> QImage:
    """The receipt as a picture of the paper (the demo's screenshots, a preview): the PDF's font and lines."""
    font = QFont(pick_family(MONO_FAMILIES))
    font.setPixelSize(int(13 * scale))
    metrics = QFontMetricsF(font)
    columns = max((display_width(line) for line in receipt.lines), default=1)
    margin = int(12 * scale)
    width = int(columns * metrics.horizontalAdvance("0")) + 2 * margin
    height = int((len(receipt.lines) + 1) * metrics.lineSpacing()) + 2 * margin
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setFont(font)
        painter.setPen(QColor("black"))
        y = margin + metrics.ascent()
        for line in receipt.lines:
            painter.drawText(QPointF(margin, y), line)
            y += metrics.lineSpacing()
    finally:
        painter.end()
    return image
