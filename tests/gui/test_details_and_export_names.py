"""The window: an article's date and source, and where exports are offered to go."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog

from desktop.gui.article_list import details_line
from desktop.gui.details_dialog import DetailsDialog
from desktop.gui.paste_dialog import PasteDialog
from tests.gui.test_window import add_and_wait, ask_and_wait, close_window, make_window


def test_an_article_without_a_date_says_so_and_can_be_given_one(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(qtbot, tmp_path)
    try:
        story = tmp_path / "harbour.txt"
        story.write_text("Harbour reopens\n\nThe harbour reopened on Monday after repairs.\n")
        add_and_wait(qtbot, window, [str(story)], 1)
        [article] = window.library.model.articles()
        assert details_line(article).endswith("date unknown")
        window.library.select_ids([article.id])
        assert window.library.details_action.isEnabled()

        dialog = DetailsDialog(article, window)
        dialog.fields.date.setText("someday")
        dialog.accept()
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert "is not a date" in dialog.fields.problem.text()
        dialog.fields.date.setText("5 March 2026")
        dialog.fields.source.setText("Harbour Gazette")
        dialog.accept()
        assert dialog.result() == QDialog.DialogCode.Accepted

        window.library.set_details(article.id, dialog.published(), dialog.source())
        qtbot.waitUntil(
            lambda: window.library.model.articles()[0].published == "2026-03-05", timeout=10000
        )
        shown = details_line(window.library.model.articles()[0])
        assert shown.startswith("Harbour Gazette") and shown.endswith("2026-03-05")
    finally:
        close_window(qtbot, window)


def test_pasted_text_takes_a_date_and_source(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(qtbot, tmp_path)
    try:
        dialog = PasteDialog(window)
        dialog.fields.date.setText("2026-02-30")
        dialog.accept()
        assert dialog.result() != QDialog.DialogCode.Accepted  # not a day: said, not saved
        dialog.fields.date.setText("2026-03-02")
        dialog.fields.source.setText("Reuters")
        assert dialog.details() == ("2026-03-02", "Reuters")
        window.library.add_text(
            "Strike ends\n\nThe strike ended on Monday.", None, *dialog.details()
        )
        qtbot.waitUntil(lambda: window.library.model.rowCount() == 1, timeout=10000)
        qtbot.waitUntil(lambda: not window.library.is_adding(), timeout=10000)
        [article] = window.library.model.articles()
        assert (article.published, article.source) == ("2026-03-02", "Reuters")
    finally:
        close_window(qtbot, window)


def test_export_offers_a_name_from_the_question_in_the_last_folder(
    qtbot,
    tmp_path: Path,
    monkeypatch,  # noqa: ANN001
) -> None:
    from tests.conftest import SAMPLE

    window = make_window(qtbot, tmp_path)
    offered: list[str] = []
    chosen = tmp_path / "exports"
    chosen.mkdir()

    def save_dialog(_parent, _caption, suggested, _filter):  # noqa: ANN001, ANN202
        offered.append(suggested)
        return (
            (str(chosen / "mine.md"), "Markdown (*.md *.markdown)")
            if len(offered) == 1
            else ("", "")
        )

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    try:
        add_and_wait(qtbot, window, [str(SAMPLE)], 1)
        turn = ask_and_wait(qtbot, window, "How many rockets were fired at the Green Zone?")
        window.export_result(turn.answer)
        qtbot.waitUntil(lambda: (chosen / "mine.md").exists(), timeout=10000)
        window.export_result(turn.answer)
        assert Path(offered[0]).name == "how-many-rockets-were-fired-at-the-green.pdf"
        assert offered[1] == str(chosen / "how-many-rockets-were-fired-at-the-green.md")
    finally:
        close_window(qtbot, window)


def test_a_pdf_export_tells_the_user_which_characters_became_a_marker(
    qtbot,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    from retrieval.types import Answer, Statement
    from tests.export.samples import cite

    window = make_window(qtbot, tmp_path)
    try:
        show = tmp_path / "show.txt"
        show.write_text(
            "Calligraphy show 書 opens\n\nThe show opened on Monday in the town hall.\n"
        )
        add_and_wait(qtbot, window, [str(show)], 1)
        [article] = window.library.model.articles()
        text = window._test_desk.library.paragraphs(article.id)[0].text
        answer = Answer(
            "What did she say?",
            (Statement("On Monday.", (cite(0, text, article=article),)),),
            False,
        )
        window.export_to(answer, tmp_path / "answer.pdf")
        qtbot.waitUntil(lambda: bool(window.last_export_notes), timeout=10000)
        message = window.statusBar().currentMessage()
        assert "Exported to" in message and "□" in message and "書 (U+66F8" in message
    finally:
        close_window(qtbot, window)
