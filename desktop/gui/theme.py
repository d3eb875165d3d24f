"""Colours, style sheet and icons for the light and dark themes."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from string import Template
from typing import TypeVar

from PySide6.QtCore import QByteArray, QObject, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton, QApplication

from retrieval.resources import resources_dir

RESOURCES = resources_dir()
ICONS = RESOURCES / "icons"
STYLES = RESOURCES / "styles"
ICON_INK = "#1f2933"  # the stroke colour the SVG files are drawn with
_Iconed = TypeVar("_Iconed", QAction, QAbstractButton)


@dataclass(frozen=True)
class Colors:
    """One theme's colours (names match the ``$name`` keys of the style sheet)."""

    name: str
    window: str
    base: str
    raised: str
    input: str
    text: str
    muted: str
    disabled: str
    border: str
    hover: str
    accent: str
    accent_hover: str
    on_accent: str
    selection_soft: str
    scroll: str
    ok: str
    warn: str
    cite_bg: str
    cite_text: str
    quote_bg: str
    paragraph_bg: str
    declined_bg: str
    declined_border: str
    question_bg: str


LIGHT = Colors(
    name="light",
    window="#f4f5f7",
    base="#ffffff",
    raised="#ffffff",
    input="#ffffff",
    text="#1f2933",
    muted="#616e7c",
    disabled="#9aa5b1",
    border="#dde2e8",
    hover="#e9edf2",
    accent="#2563eb",
    accent_hover="#1d4ed8",
    on_accent="#ffffff",
    selection_soft="#dbe7fd",
    scroll="#c4ccd6",
    ok="#15803d",
    warn="#b45309",
    cite_bg="#e0eafc",
    cite_text="#1d4ed8",
    quote_bg="#fde68a",
    paragraph_bg="#fef9e7",
    declined_bg="#fff7ed",
    declined_border="#f59e0b",
    question_bg="#eef2f7",
)

DARK = Colors(
    name="dark",
    window="#15171c",
    base="#1b1e24",
    raised="#252932",
    input="#20242b",
    text="#e4e7ec",
    muted="#9aa3b2",
    disabled="#5c6573",
    border="#2f343e",
    hover="#2a2f39",
    accent="#4f8cff",
    accent_hover="#6b9dff",
    on_accent="#0b1020",
    selection_soft="#2b3a57",
    scroll="#3d4450",
    ok="#4ade80",
    warn="#fbbf24",
    cite_bg="#243453",
    cite_text="#9cc0ff",
    quote_bg="#7a5d12",
    paragraph_bg="#2a2618",
    declined_bg="#2b2318",
    declined_border="#d97706",
    question_bg="#232833",
)

_current: Colors = LIGHT


def current() -> Colors:
    """The colours of the theme in use."""
    return _current


def resolve(choice: str) -> Colors:
    """Colours for ``"light"``, ``"dark"`` or ``"system"`` (follows the desktop)."""
    if choice == "dark":
        return DARK
    if choice == "light":
        return LIGHT
    app = QGuiApplication.instance()
    is_dark = isinstance(app, QGuiApplication) and (
        app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    )
    if is_dark:
        return DARK
    return LIGHT


def apply_theme(app: QApplication, choice: str) -> Colors:
    """Style the whole application with the chosen theme; returns its colours."""
    global _current
    colors = resolve(choice)
    _current = colors
    app.setStyle("Fusion")
    app.setPalette(_palette(colors))
    app.setStyleSheet(style_sheet(colors))
    return colors


def style_sheet(colors: Colors) -> str:
    """The application style sheet filled with ``colors``."""
    template = Template((STYLES / "newsdesk.qss").read_text(encoding="utf-8"))
    return template.safe_substitute(asdict(colors), icons=ICONS.as_posix())


def icon(name: str, colors: Colors | None = None) -> QIcon:
    """An icon from ``resources/icons``, inked in the theme's text colour."""
    colors = colors or _current
    svg = (ICONS / f"{name}.svg").read_text(encoding="utf-8")
    result = QIcon()
    for ink, mode in ((colors.text, QIcon.Mode.Normal), (colors.disabled, QIcon.Mode.Disabled)):
        renderer = QSvgRenderer(QByteArray(svg.replace(ICON_INK, ink).encode("utf-8")))
        for size in (16, 24, 32, 48):
            pixmap = QPixmap(size, size)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            renderer.render(painter, QRectF(0, 0, size, size))
            painter.end()
            result.addPixmap(pixmap, mode)
    return result


def app_icon() -> QIcon:
    """The application's own icon."""
    return QIcon(str(ICONS / "newsdesk.svg"))


def _palette(colors: Colors) -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    pairs = {
        role.Window: colors.window,
        role.WindowText: colors.text,
        role.Base: colors.base,
        role.AlternateBase: colors.raised,
        role.Text: colors.text,
        role.Button: colors.raised,
        role.ButtonText: colors.text,
        role.Highlight: colors.accent,
        role.HighlightedText: colors.on_accent,
        role.ToolTipBase: colors.raised,
        role.ToolTipText: colors.text,
        role.PlaceholderText: colors.muted,
        role.Link: colors.cite_text,
        role.Mid: colors.border,
        role.Dark: colors.border,
    }
    for color_role, value in pairs.items():
        palette.setColor(color_role, QColor(value))
    palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor(colors.disabled))
    palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor(colors.disabled))
    palette.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor(colors.disabled))
    return palette


def document_css(colors: Colors | None = None) -> str:
    """Default style sheet for the rich-text views (answers, briefings)."""
    c = colors or _current
    return f"""
    body {{ color: {c.text}; }}
    a {{ color: {c.cite_text}; text-decoration: none; }}
    a.cite {{ color: {c.cite_text}; background-color: {c.cite_bg}; font-weight: 600; }}
    .muted {{ color: {c.muted}; }}
    .question {{ background-color: {c.question_bg}; }}
    .declined {{ background-color: {c.declined_bg}; }}
    .warn {{ color: {c.warn}; font-weight: 600; }}
    h2 {{ font-size: 12pt; font-weight: 600; margin-top: 14px; margin-bottom: 4px; }}
    h3 {{ font-size: 10.5pt; font-weight: 600; color: {c.muted}; margin-top: 12px;
          margin-bottom: 2px; }}
    """


def themed(target: _Iconed, name: str) -> _Iconed:
    """Give ``target`` (an action or button) a theme icon that follows theme changes."""
    target.setProperty("themeIcon", name)
    target.setIcon(icon(name))
    return target


def refresh_icons(root: QObject) -> None:
    """Re-ink every themed icon under ``root`` after a theme change."""
    for child in root.findChildren(QObject):
        name = child.property("themeIcon")
        if name and isinstance(child, QAction | QAbstractButton):
            child.setIcon(icon(str(name)))
