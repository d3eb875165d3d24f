"""Find text a user cannot read in full: clipped or elided controls and overlapping widgets.

Used by ``tests/gui/test_layout.py`` at each screen size. A control is
clipped when the layout gives it less width than it needs to show its text
(``sizeHint``), or when it sticks out of its parent; two controls overlap
when their rectangles intersect.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenuBar,
    QPushButton,
    QSpinBox,
    QTabBar,
    QToolBar,
    QToolButton,
    QWidget,
)

CONTROLS = (QPushButton, QToolButton, QLabel, QComboBox, QCheckBox, QLineEdit, QSpinBox)
SLACK = 1  # px of rounding


def describe(widget: QWidget) -> str:
    """A readable name for a widget in a failure message."""
    text = getattr(widget, "text", None)
    shown = text() if callable(text) else ""
    if isinstance(widget, QComboBox):
        shown = widget.currentText()
    name = widget.accessibleName() or widget.objectName()
    return f"{type(widget).__name__} {name!r} {shown[:40]!r}".strip()


def text_problems(root: QWidget) -> list[str]:
    """Every visible control under ``root`` whose text does not fit, or that overlaps another."""
    problems: list[str] = []
    controls = [w for w in root.findChildren(QWidget) if _shown(w, root)]
    for widget in controls:
        if not isinstance(widget, CONTROLS) or _inside_scroll_area(widget, root):
            continue
        need = _needed_width(widget)
        if need is not None and widget.width() + SLACK < need:
            problems.append(f"{describe(widget)}: needs {need} px, has {widget.width()}")
        parent = widget.parentWidget()
        if parent is not None and not _contains(parent.rect(), widget.geometry()):
            problems.append(f"{describe(widget)}: sticks out of its {type(parent).__name__}")
    problems += _overlaps(controls, root)
    problems += _hidden_bar_items(root)
    return problems


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisibleTo(root) and widget.width() > 0 and widget.height() > 0


def _inside_scroll_area(widget: QWidget, root: QWidget) -> bool:
    """Controls in a scroll area may extend past what shows: the user scrolls to them."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, QComboBox):
            return type(parent).__name__ == "QScrollArea"
        parent = parent.parentWidget()
    return False


def _needed_width(widget: QWidget) -> int | None:
    if isinstance(widget, QLabel):
        if widget.wordWrap() or not widget.text() or widget.pixmap() is not None:
            return None
        return widget.minimumSizeHint().width()
    if isinstance(widget, QLineEdit):
        if widget.text() or not widget.placeholderText():
            return None
        margins = widget.textMargins()
        # The placeholder is elided with "…" when it does not fit; the frame takes ~20 px.
        actions = sum(20 for a in widget.actions() if a.isVisible())
        return (
            widget.fontMetrics().horizontalAdvance(widget.placeholderText())
            + 20
            + actions
            + (margins.left() + margins.right())
        )
    if isinstance(widget, QToolButton) and isinstance(widget.parentWidget(), QTabBar | QLineEdit):
        return None  # the tab bar's scroll arrows, a line edit's clear button
    return widget.sizeHint().width()


def _contains(outer: QRect, inner: QRect) -> bool:
    return (
        inner.left() >= outer.left() - SLACK
        and inner.top() >= outer.top() - SLACK
        and inner.right() <= outer.right() + SLACK
        and inner.bottom() <= outer.bottom() + SLACK
    )


def _overlaps(controls: list[QWidget], root: QWidget) -> list[str]:
    problems = []
    by_parent: dict[int, list[QWidget]] = {}
    for widget in controls:
        if isinstance(widget, CONTROLS) and widget.parentWidget() is not None:
            by_parent.setdefault(id(widget.parentWidget()), []).append(widget)
    for siblings in by_parent.values():
        for i, first in enumerate(siblings):
            for second in siblings[i + 1 :]:
                if _owned(first, second):
                    continue
                shared = first.geometry().intersected(second.geometry())
                if shared.width() > SLACK and shared.height() > SLACK:
                    problems.append(f"{describe(first)} overlaps {describe(second)}")
    return problems


def _owned(first: QWidget, second: QWidget) -> bool:
    """A combo box's or spin box's own line edit is not an overlap."""
    return first.isAncestorOf(second) or second.isAncestorOf(first)


def _hidden_bar_items(root: QWidget) -> list[str]:
    """Tool bars and menu bars that had to hide items behind an overflow button."""
    problems = []
    for bar in root.findChildren(QToolBar):
        if not _shown(bar, root):
            continue
        extension = bar.findChild(QToolButton, "qt_toolbar_ext_button")
        if extension is not None and extension.isVisible():
            problems.append(f"toolbar {bar.windowTitle()!r} hides actions behind »")
    for menus in root.findChildren(QMenuBar):
        extension = menus.findChild(QToolButton, "qt_menubar_ext_button")
        if extension is not None and extension.isVisible():
            problems.append("the menu bar hides menus behind »")
    return problems
