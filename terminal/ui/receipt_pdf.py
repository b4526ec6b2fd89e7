"""A receipt as a PDF: the same lines the printer prints, on a page the width of a receipt roll.

Written on the printer's worker, never the GUI thread (QPdfWriter and QPainter
work off the GUI thread). A CJK monospace font keeps Chinese and the columns
aligned as on paper; the file is written to a temporary name and renamed, so a
full disk leaves no half receipt behind, only the typed fault.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter

from terminal.app.receipts import Receipt
from terminal.faults import file_fault
from terminal.receipt import display_width
from terminal.ui.style import MONO_FAMILIES, pick_family

POINT_SIZE = 9.0
MARGIN_MM = 4.0


def write_pdf(receipt: Receipt, folder: Path) -> Path:
    """The receipt's PDF in `folder` (created owner-only when missing); EnvironmentFault when it cannot be."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise file_fault(exc, folder, "receipt folder", creating=True) from None
    path = folder / f"{receipt.name}.pdf"
    partial = path.with_name(path.name + ".partial")
    font = QFont(pick_family(MONO_FAMILIES))
    font.setPointSizeF(POINT_SIZE)
    metrics = QFontMetricsF(font)
    columns = max((display_width(line) for line in receipt.lines), default=1)
    # Width of one column in points (a wide character takes two), and the page sized to the lines.
    column_pt = metrics.horizontalAdvance("0") * 72.0 / 96.0
    line_pt = metrics.lineSpacing() * 72.0 / 96.0
    width_mm = (columns * column_pt) / 72.0 * 25.4 + 2 * MARGIN_MM
    height_mm = (len(receipt.lines) + 1) * line_pt / 72.0 * 25.4 + 2 * MARGIN_MM
    writer = QPdfWriter(str(partial))
    writer.setTitle(receipt.name)
    writer.setCreator("counter terminal")
    writer.setPageSize(QPageSize(QSizeF(width_mm, height_mm), QPageSize.Unit.Millimeter, "receipt"))
    writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    painter = QPainter()
    if not painter.begin(writer):
        partial.unlink(missing_ok=True)
        raise file_fault(OSError(f"cannot write {partial}"), path, "receipt PDF", creating=True)
    try:
        painter.setFont(font)
        step = painter.fontMetrics().lineSpacing()
        y = painter.fontMetrics().ascent()
        for line in receipt.lines:
            painter.drawText(0, y, line)
            y += step
    finally:
        painter.end()
    try:
        os.chmod(partial, 0o600)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise file_fault(exc, path, "receipt PDF", creating=True) from None
    return path
