"""Qt's own messages (a missing plugin, a font, a style sheet error) as log lines like every other one.

Without this Qt prints them plainly to stderr, beside the JSON lines a technician filters with jq; with it
they are records of the `qt.*` loggers (Qt's categories), JSON, masked and switched by level like the rest. Only
the running counter installs it: under pytest-qt the tests' own handler turns Qt warnings into failures.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
           QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
           QtMsgType.QtFatalMsg: logging.CRITICAL}


def qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category or "default"
    # Qt's own categories are already "qt.something"; an application's are put under "qt." beside them.
    name = category if category == "qt" or category.startswith("qt.") else f"qt.{category}"
    logging.getLogger(name).log(_LEVELS.get(kind, logging.WARNING), "%s", message)


def log_qt_messages() -> None:
    qInstallMessageHandler(qt_message)
