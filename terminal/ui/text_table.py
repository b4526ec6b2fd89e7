"""A read-only table of text cells: the sale's lines and the queue are both shown as one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class TextTable(QAbstractTableModel):
    """Subclasses give `headers()` (in the cashier's language) and `RIGHT` (the columns of numbers), and
    call `set_cells()` with the rows' text; every cell's text is its tooltip too (a long one is cut)."""

    RIGHT: frozenset[int] = frozenset()

    def __init__(self) -> None:
        super().__init__()
        self._cells: list[tuple[str, ...]] = []

    def headers(self) -> tuple[str, ...]:
        raise NotImplementedError

    def set_cells(self, cells: list[tuple[str, ...]]) -> None:
        self.beginResetModel()
        self._cells = cells
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return len(self.headers())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None
