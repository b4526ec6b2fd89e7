"""How the counter looks: type sizes, the three state colours, one style sheet.

Large, high-contrast and plain (UI.md): the money at 36 px, lines at 17 px at
1024x768; green means fine, amber needs attention, red stops, everywhere.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

GREEN = "#1b7f3b"
AMBER = "#b86e00"
RED = "#b3261e"
GREY = "#6b6b6b"
INK = "#111111"
PAPER = "#ffffff"
PANEL = "#f3f4f6"

MONEY_PX = 40
HEADLINE_PX = 22
BODY_PX = 17
SMALL_PX = 14

# Fonts that hold every Chinese character of the UI; the first one installed wins.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
                "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC")
MONO_FAMILIES = ("Noto Sans Mono CJK SC", "Noto Sans Mono", "DejaVu Sans Mono", "Monospace")


def pick_family(candidates: tuple[str, ...]) -> str:
    installed = set(QFontDatabase.families())
    return next((name for name in candidates if name in installed), candidates[-1])


def base_font() -> QFont:
    font = QFont(pick_family(CJK_FAMILIES))
    font.setPixelSize(BODY_PX)
    return font


def state_colour(level: str) -> str:
    return {"ok": GREEN, "info": GREEN, "warn": AMBER, "error": RED}.get(level, GREY)


STYLE_SHEET = f"""
QWidget {{ color: {INK}; background: {PAPER}; }}
QFrame#panel {{ background: {PANEL}; border-radius: 6px; }}
QFrame#panel QLabel {{ background: transparent; }}
QLabel#money {{ font-size: {MONEY_PX}px; font-weight: 700; }}
QLabel#headline {{ font-size: {HEADLINE_PX}px; font-weight: 600; }}
QLabel#small {{ font-size: {SMALL_PX}px; color: {GREY}; }}
QLabel#need {{ font-size: {BODY_PX}px; font-weight: 600; color: {AMBER}; background: #fff4e0; padding: 4px 8px;
               border-radius: 4px; }}
QLabel#estimate {{ font-size: {HEADLINE_PX}px; font-weight: 700; color: {AMBER}; }}
QPushButton {{ font-size: {SMALL_PX + 1}px; padding: 6px 10px; border: 1px solid #c9ccd1; border-radius: 4px;
              background: #fafafa; }}
QPushButton:focus {{ border: 2px solid #2f5fd0; }}
QPushButton:checked {{ background: #dbe6ff; border: 2px solid #2f5fd0; font-weight: 600; }}
QPushButton:disabled {{ color: #9a9a9a; }}
QTableView {{ font-size: {BODY_PX}px; gridline-color: #e0e0e0; selection-background-color: #dbe6ff;
              selection-color: {INK}; }}
QHeaderView::section {{ font-size: {SMALL_PX}px; background: {PANEL}; padding: 4px; border: none; }}
QLineEdit {{ font-size: {BODY_PX + 1}px; padding: 6px; border: 1px solid #c9ccd1; border-radius: 4px; }}
QStatusBar QLabel {{ font-size: {SMALL_PX}px; padding: 0 8px; }}
"""
