"""The briefing panel's stories and names, and the reader's mark on text aimed at AI tools."""

from __future__ import annotations

from pathlib import Path

from desktop.gui.main_window import MainWindow
from desktop.gui.reader_panel import SUSPICIOUS_MARK
from tests.briefing.test_injection import CASE
from tests.conftest import SAMPLE
from tests.gui.test_window import add_and_wait, click_link, close_window, make_window


def brief_all(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    window.briefing.scope.setCurrentIndex(1)  # all articles
    window.brief_action.trigger()
    window.briefing.generate_button.click()  # Ctrl+B opens the tab; Generate writes it
    qtbot.waitUntil(lambda: window.briefing.briefing is not None, timeout=60000)


def test_the_reader_marks_the_paragraph_addressed_to_ai_tools(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(qtbot, tmp_path)
    try:
        add_and_wait(qtbot, window, [str(CASE)], 1)
        article = window.library.model.articles()[0]
        assert window.reader.show_article(article.id)
        assert window.reader.suspicious_paragraphs() == [2]
        text = window.reader.text.toPlainText()
        assert text.count(SUSPICIOUS_MARK) == 1
        assert text.index(SUSPICIOUS_MARK) > text.index("¶3") > text.index("4 percent")
        brief_all(qtbot, window)
        shown = window.briefing.view.toPlainText()
        assert "Suspicious paragraphs" in shown and "refund" not in shown.split("SOURCES")[0]
    finally:
        close_window(qtbot, window)


def test_a_name_in_the_briefing_opens_the_paragraph_that_mentions_it(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(qtbot, tmp_path)
    try:
        add_and_wait(qtbot, window, [str(SAMPLE)], 1)
        brief_all(qtbot, window)
        briefing = window.briefing.briefing
        assert briefing is not None
        name = briefing.entities.people[0]
        article_id, index = briefing.entities.paragraphs(name)[0]
        assert name.split()[-1] in window.reader.desk.library.paragraphs(article_id)[index].text
        click_link(qtbot, window.briefing.view, f"para:{article_id}.{index}")
        qtbot.waitUntil(lambda: window.reader.highlighted_paragraph() == index, timeout=5000)
        assert window.reader.article is not None and window.reader.article.id == article_id
    finally:
        close_window(qtbot, window)
