"""The ``newsdesk`` command: the engine from a terminal; no arguments opens the window.

Qt is imported only when the window is opened, so the terminal commands work
(and start fast) without a display.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from retrieval.briefs import Briefing
from retrieval.export import ExportError, export, export_notes
from retrieval.export.document import build_document
from retrieval.export.text import render_text
from retrieval.settings import Settings, load_settings
from retrieval.types import Answer, Done, IngestError, Progress

EPILOG = """examples:
  newsdesk add resources/samples/baghdad-embassy-rockets.txt
  newsdesk ask "How many rockets were fired at the Green Zone?"
  pbpaste | newsdesk add - --title "Port strike" --date 2026-03-05 --source Reuters
  newsdesk edit 3 --date "5 March 2026" --source https://example.com/story
  newsdesk brief --length medium --export briefing.pdf
  newsdesk --server http://gpu-box:8000/v1 --model Qwen/Qwen2.5-7B-Instruct ask "Who fired?"
  newsdesk --server http://localhost:11434/v1 --model llama3.1:8b --fallback brief
  newsdesk --archive postgresql://analyst@db.example.org/news ask "Who fired?"
  newsdesk library push --to postgresql://analyst@db.example.org/news

With --server, only the phrasing goes to the server (the evidence sentences it is
given, never the rest of the library); retrieval and the citation checks stay here.
The server's API key is read from NEWSDESK_API_KEY or the system keyring (Settings).
"""


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="Ask questions about your news articles and get answers that cite "
        "their supporting paragraph. With no command, opens the window.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_common_options(parser)
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="answer a question on the sample article in a temporary library, offline; "
        "exit 0 only if the answer says eight and cites the right paragraph",
    )
    # The same options also after the command ("newsdesk ask … --model NAME");
    # SUPPRESS keeps a value given before the command when none is given after.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    _add_common_options(common)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add = sub.add_parser("add", help="add files, folders, URLs or feeds", parents=[common])
    add.add_argument("items", nargs="+", metavar="PATH|URL", help="'-' reads pasted text")
    add.add_argument("--title", help="title for text read from standard input")
    add.add_argument("--date", help="publication date of text read from standard input")
    add.add_argument("--source", help="where text read from standard input comes from")
    edit = sub.add_parser(
        "edit", help="set an article's publication date or source", parents=[common]
    )
    edit.add_argument("article_id", type=int, metavar="ID")
    edit.add_argument("--date", help='e.g. 2026-03-05 or "5 March 2026"; "unknown" clears it')
    edit.add_argument("--source", help="a name (Reuters) or a web address")
    sub.add_parser("list", help="list the articles in the library", parents=[common])
    remove = sub.add_parser("remove", help="remove an article", parents=[common])
    remove.add_argument("article_id", type=int, metavar="ID")
    ask = sub.add_parser("ask", help="ask a question", parents=[common])
    ask.add_argument("question")
    library = sub.add_parser(
        "library", help="copy the library to or from a shared PostgreSQL archive", parents=[common]
    )
    direction = library.add_subparsers(dest="direction", metavar="push|pull", required=True)
    push = direction.add_parser(
        "push", help="copy this machine's library to the archive (safe to rerun: resumes)"
    )
    push.add_argument("--to", dest="dsn", required=True, metavar="DSN", help="the archive")
    pull = direction.add_parser(
        "pull", help="copy the archive's articles into this machine's library (offline work)"
    )
    pull.add_argument("--from", dest="dsn", required=True, metavar="DSN", help="the archive")
    brief = sub.add_parser("brief", help="write a cited briefing", parents=[common])
    brief.add_argument("--length", choices=["short", "medium", "long"], default="short")
    for command in (ask, brief):
        command.add_argument(
            "--article", type=int, action="append", metavar="ID", help="limit to this article"
        )
        command.add_argument(
            "--export", type=Path, metavar="FILE", help=".md .html .pdf .docx .json"
        )
    return parser


def _add_common_options(parser: argparse.ArgumentParser) -> None:
    """--library, --model, --server and --fallback (before or after the command)."""
    parser.add_argument("--library", type=Path, help="library folder (default: per-user)")
    parser.add_argument(
        "--archive",
        metavar="DSN",
        help="use the shared PostgreSQL archive at this connection string instead of the "
        "library folder (password: NEWSDESK_DB_PASSWORD, the keyring or ~/.pgpass)",
    )
    parser.add_argument(
        "--model",
        help="generation model: with a server (--server, or chosen in Settings) the model "
        "name the server serves; otherwise a Hugging Face id or local folder run here",
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        help="phrase on this OpenAI-compatible server (base URL, e.g. http://host:8000/v1)",
    )
    parser.add_argument(
        "--fallback",
        action=argparse.BooleanOptionalAction,
        help="when the server fails, let the local model answer (default: from settings)",
    )


def main(
    argv: Sequence[str] | None = None, open_window: Callable[[Settings], int] | None = None
) -> int:
    """Entry point of the ``newsdesk`` command; returns the exit status.

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).
        open_window: Opens the window when no command is given; the launcher
            (``desktop.launcher``) passes it, so this module never imports Qt.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    overrides: dict[str, object] = {}
    if args.library:
        overrides["library"] = args.library
    if getattr(args, "archive", None):
        overrides["archive"] = {"backend": "postgres", "dsn": args.archive}
    saved_backend = load_settings(**overrides).generation.backend
    generation = _generation_overrides(args, "server" if args.server else saved_backend)
    if generation:
        overrides["generation"] = generation
    settings = load_settings(**overrides)
    if args.self_test:
        from desktop.cli.self_test import run_self_test

        return run_self_test(settings)
    if args.command is None:
        return _open_window(settings, parser, open_window)
    if args.command == "library":
        return _transfer(settings, args)
    from retrieval.engine import Newsdesk  # loads torch: only when needed

    try:
        desk = Newsdesk(settings)
    except RuntimeError as error:  # the archive server is down, slow or refuses the login
        print(f"newsdesk: error: {error}", file=sys.stderr)
        return 1
    if desk.library_notice:
        print(f"newsdesk: {desk.library_notice}", file=sys.stderr)
    try:
        return COMMANDS[args.command](desk, args)
    except (ValueError, ExportError, IngestError, OSError, RuntimeError) as error:
        print(f"newsdesk: error: {error}", file=sys.stderr)
        return 1
    finally:
        desk.close()


def _generation_overrides(args: argparse.Namespace, backend: str) -> dict[str, object]:
    """``--model``, ``--server`` and ``--fallback`` as settings.

    ``--model`` names the model of the backend in effect: the server's when
    ``--server`` is given or the saved settings choose the server, else the local one.
    """
    server: dict[str, object] = {}
    if args.fallback is not None:
        server["allow_fallback"] = args.fallback
    if args.server:
        server["base_url"] = args.server
    generation: dict[str, object] = {"backend": "server"} if args.server else {}
    if args.model and backend == "server":
        server["model"] = args.model
    elif args.model:
        generation["model"] = args.model
    return {**generation, **({"server": server} if server else {})}


def _open_window(
    settings: Settings,
    parser: argparse.ArgumentParser,
    open_window: Callable[[Settings], int] | None,
) -> int:
    if open_window is None:
        parser.print_help()
        return 0
    return int(open_window(settings))


def _add(desk, args: argparse.Namespace) -> int:  # noqa: ANN001
    from tqdm import tqdm

    from retrieval.ingest.progress import AddTally, input_name

    failures = 0
    started = time.perf_counter()
    if args.items == ["-"]:
        steps = desk.add_text(sys.stdin.read(), args.title, args.date, args.source)
    elif args.date or args.source:
        raise ValueError("--date and --source go with pasted text ('-'); use 'newsdesk edit'")
    else:
        steps = desk.add(args.items)
    tally = AddTally()
    with tqdm(total=None, unit="file", disable=not sys.stderr.isatty()) as bar:
        for step in steps:
            bar.total = step.total
            bar.n = step.done
            bar.set_description(f"{input_name(step.item, 24)}: {step.message}"[:48])
            tally.count(step)
            if step.error is not None:
                failures += 1
                tqdm.write(f"failed: {step.error.source}: {step.error.reason}", file=sys.stderr)
            elif step.duplicate and step.article:
                tqdm.write(f"already there: [{step.article.id}] {step.article.title}")
            elif step.article is not None:
                a = step.article
                unit = "paragraph" if a.paragraph_count == 1 else "paragraphs"
                tqdm.write(f"added [{a.id}] {a.title} ({a.paragraph_count} {unit})")
                if step.same_story_as is not None:
                    o = step.same_story_as
                    tqdm.write(f"  same story as [{o.id}] {o.title}: its paragraphs are shown once")
    print(f"{tally.summary()} ({time.perf_counter() - started:.1f} s)")
    return 1 if failures else 0


def _transfer(settings: Settings, args: argparse.Namespace) -> int:
    """``library push --to DSN`` / ``library pull --from DSN``, with progress and an ETA."""
    from tqdm import tqdm

    from retrieval.backends.factory import make_embedder
    from retrieval.ingest.pipeline import open_library
    from retrieval.library.archive_server import describe
    from retrieval.library.postgres import PostgresLibrary
    from retrieval.library.transfer import copy_library

    embedder = make_embedder(settings)
    archive = settings.archive.model_copy(update={"backend": "postgres", "dsn": args.dsn})
    started = time.perf_counter()
    local = open_library(settings.library, embedder, settings.ingest)
    try:
        remote = PostgresLibrary(archive, embedder, settings.ingest)
    except RuntimeError as error:
        local.close()
        print(f"newsdesk: error: {error}", file=sys.stderr)
        return 1
    source, target = (local, remote) if args.direction == "push" else (remote, local)
    copied = skipped = 0
    try:
        with tqdm(total=None, unit="article", disable=not sys.stderr.isatty()) as bar:
            for step in copy_library(source, target):
                bar.total, bar.n = step.total, step.done
                bar.refresh()
                copied += not step.duplicate
                skipped += step.duplicate
                if not sys.stderr.isatty() and (step.done % 100 == 0 or step.done == step.total):
                    print(f"{step.done}/{step.total}: {step.message}", file=sys.stderr)
    except (ValueError, RuntimeError) as error:
        print(f"newsdesk: error: {error} ({copied} articles were copied and are kept; "
              "run the same command again to go on)", file=sys.stderr)  # fmt: skip
        return 1
    finally:
        local.close()
        remote.close()
    where = describe(args.dsn)
    verb = f"pushed to {where}" if args.direction == "push" else f"pulled from {where}"
    print(f"{copied} articles {verb}, {skipped} already there, "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    return 0


def _list(desk, args: argparse.Namespace) -> int:  # noqa: ANN001
    articles = desk.articles()
    if not articles:
        print("The library is empty. Add articles with: newsdesk add PATH|URL")
    for a in articles:
        when = a.published or "date unknown"
        print(f"[{a.id:>3}] {a.title}  ({a.paragraph_count} ¶, {when}, {a.source})")
    return 0


def _edit(desk, args: argparse.Namespace) -> int:  # noqa: ANN001
    if args.date is None and args.source is None:
        raise ValueError("say what to set: --date, --source or both")
    article = desk.set_details(args.article_id, args.date, args.source)
    if article is None:
        print(f"newsdesk: error: no article with id {args.article_id}", file=sys.stderr)
        return 1
    when = article.published or "date unknown"
    print(f"[{article.id}] {article.title}: {when}, {article.url or article.source}")
    return 0


def _remove(desk, args: argparse.Namespace) -> int:  # noqa: ANN001
    if not desk.remove(args.article_id):
        print(f"newsdesk: error: no article with id {args.article_id}", file=sys.stderr)
        return 1
    print(f"removed article {args.article_id}")
    return 0


def _unknown_articles(desk, ids: list[int] | None) -> bool:  # noqa: ANN001
    """Report ``--article`` ids that name no article (True when any is unknown)."""
    known = {a.id for a in desk.articles()}
    unknown = [i for i in ids or [] if i not in known]
    for article_id in unknown:
        print(
            f"newsdesk: error: no article with id {article_id} (see 'newsdesk list')",
            file=sys.stderr,
        )
    return bool(unknown)


def _ask(desk, args: argparse.Namespace) -> int:  # noqa: ANN001
    if _unknown_articles(desk, args.article):
        return 1
    started = time.perf_counter()
    answer: Answer = desk.ask(args.question, args.article)
    print(render_text(build_document(answer)))
    print(f"({time.perf_counter() - started:.1f} s, phrased by {answer.backend})")
    return _maybe_export(answer, args.export)


def _brief(desk, args: argparse.Namespace) -> int:  # noqa: ANN001
    if _unknown_articles(desk, args.article):
        return 1
    started = time.perf_counter()
    briefing: Briefing | None = None
    for event in desk.brief_steps(args.article, args.length):
        match event:
            case Done(Briefing() as done):
                briefing = done
            case Progress(message) if sys.stderr.isatty():
                print(f"… {message}", file=sys.stderr)
    assert briefing is not None
    print(render_text(build_document(briefing)))
    print(f"({time.perf_counter() - started:.1f} s, phrased by {briefing.backend})")
    return _maybe_export(briefing, args.export)


def _maybe_export(result: Answer | Briefing, target: Path | None) -> int:
    if target is not None:
        written = export(result, target)
        print(f"exported to {written}")
        for note in export_notes(result, target.suffix):
            print(f"note: {note}", file=sys.stderr)
    return 0


COMMANDS = {
    "add": _add,
    "edit": _edit,
    "list": _list,
    "remove": _remove,
    "ask": _ask,
    "brief": _brief,
}


if __name__ == "__main__":
    sys.exit(main())
