"""The archive's tables, as versioned SQL: :data:`MIGRATIONS` up to :data:`SCHEMA_VERSION`.

Applied in order by :func:`retrieval.library.archive_server.ensure_schema`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from psycopg import sql


def _migration_1(dimension: int) -> sql.Composed:
    return sql.SQL(
        """
        CREATE TABLE IF NOT EXISTS articles (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            title text NOT NULL,
            source text NOT NULL,
            url text,
            published text,
            author text,
            file text,
            added text NOT NULL,
            content_hash text NOT NULL UNIQUE,
            paragraph_count integer NOT NULL,
            body text NOT NULL
        );
        CREATE TABLE IF NOT EXISTS paragraphs (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            article_id bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            position integer NOT NULL,
            title text NOT NULL,
            text text NOT NULL,
            start_offset integer NOT NULL,
            end_offset integer NOT NULL,
            embedding vector({dimension}) NOT NULL,
            tsv tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', text), 'A')
                || setweight(to_tsvector('english', title), 'B')
            ) STORED,
            UNIQUE (article_id, position)
        );
        CREATE INDEX IF NOT EXISTS paragraphs_tsv ON paragraphs USING gin (tsv);
        CREATE INDEX IF NOT EXISTS paragraphs_embedding
            ON paragraphs USING hnsw (embedding vector_cosine_ops);
        """
    ).format(dimension=sql.Literal(dimension))


def _migration_2(dimension: int) -> sql.Composed:
    """The history of questions, answers and briefings (:mod:`retrieval.library.history`).

    The rows of every login are kept in ``history_entry_rows`` and
    ``history_result_rows`` with the login's name (``user_name``, filled in
    by the server); the history reads and writes the views
    ``history_entries`` and ``history_results``, which hold only the rows of
    ``current_user`` and refuse any other (``WITH CHECK OPTION``). So on a
    shared archive each login lists, renames and deletes only its own entries,
    and a result can only join its own login's entry (the composite foreign
    key). Every login may keep its own history, a read-only one too: the
    views are granted to PUBLIC, the tables behind them are not. Columns
    match the local library's history tables, so one SQL serves both.
    """
    del dimension  # the history holds no vectors
    return sql.SQL(
        """
        CREATE TABLE history_entry_rows (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            user_name text NOT NULL DEFAULT current_user,
            kind text NOT NULL CHECK (kind IN ('conversation', 'briefing')),
            title text NOT NULL,
            created text NOT NULL,
            updated text NOT NULL,
            UNIQUE (id, user_name)
        );
        CREATE TABLE history_result_rows (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            user_name text NOT NULL DEFAULT current_user,
            entry_id bigint NOT NULL,
            position integer NOT NULL,
            kind text NOT NULL CHECK (kind IN ('answer', 'briefing')),
            created text NOT NULL,
            scope text,
            payload text NOT NULL,
            UNIQUE (entry_id, position),
            FOREIGN KEY (entry_id, user_name)
                REFERENCES history_entry_rows (id, user_name) ON DELETE CASCADE
        );
        CREATE INDEX history_entry_rows_user ON history_entry_rows (user_name, updated);
        CREATE VIEW history_entries WITH (security_barrier) AS
            SELECT id, kind, title, created, updated FROM history_entry_rows
            WHERE user_name = current_user::text WITH CASCADED CHECK OPTION;
        CREATE VIEW history_results WITH (security_barrier) AS
            SELECT id, entry_id, position, kind, created, scope, payload FROM history_result_rows
            WHERE user_name = current_user::text WITH CASCADED CHECK OPTION;
        GRANT SELECT, INSERT, UPDATE, DELETE ON history_entries, history_results TO PUBLIC;
        """
    ).format()


# What SQLite FTS5's unicode61 tokenizer treats as separators: white space and
# punctuation (ASCII, Latin-1, general and CJK), currency signs, arrows,
# mathematical and other symbols, emoji. A token is a run of anything else.
SEPARATORS = (
    r"[\s!-/:-@\[-`{-~\u00A0-\u00BF\u00D7\u00F7\u2000-\u206F\u20A0-\u20CF"
    r"\u2190-\u2BFF\u2E00-\u2E7F\u3000-\u303F\U0001F000-\U0001FAFF]+"
)
TOKEN_PATTERN = "[^" + SEPARATORS[1:]


def _accent_folding() -> tuple[str, str]:
    """Latin letters with diacritics (U+00C0–U+024F) and their bare letters, as
    unicode61's ``remove_diacritics`` folds them (``translate`` arguments)."""
    accented, bare = [], []
    for code in range(0xC0, 0x250):
        letter = chr(code)
        base = unicodedata.normalize("NFKD", letter)[:1]
        if base != letter and base.isascii() and base.isalpha():
            accented.append(letter)
            bare.append(base)
    return "".join(accented), "".join(bare)


def _migration_3(dimension: int) -> sql.Composed:
    """Keyword search that ranks as the local library's FTS5 BM25 does.

    The ``tsvector`` is rebuilt to hold the terms FTS5's ``porter unicode61``
    tokenizer makes: ``newsdesk_words(text)`` turns separators into spaces
    and folds accents (so PostgreSQL's parser finds no paths, e-mail
    addresses or hyphenated compounds), and the ``newsdesk`` text search
    configuration stems every word with Porter's stemmer (Snowball's
    ``porter``; FTS5 adds the ``-logi``/``-bli`` rules and leaves two-letter
    words, 24 of 12,515 distinct words of the evaluation articles stem
    otherwise) and drops no stop word, as FTS5 does not. ``paragraphs.tokens``: the row's length in
    tokens (text and title, as FTS5 counts them). ``paragraph_totals``: one
    row holding how many paragraphs the archive has and their tokens;
    ``lexeme_hits``: how many paragraphs hold each stem (BM25's document
    frequency). Both are kept by statement triggers in the adding or
    deleting transaction: exact, and read by index per search instead of
    counted over the table.

    On an archive of 10⁶ paragraphs this migration rewrites the table and
    rebuilds the keyword index once (minutes).
    """
    del dimension
    accented, bare = _accent_folding()
    return sql.SQL(
        """
        CREATE TEXT SEARCH DICTIONARY newsdesk_porter (TEMPLATE = snowball, LANGUAGE = porter);
        CREATE TEXT SEARCH CONFIGURATION newsdesk (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION newsdesk ALTER MAPPING FOR asciiword, asciihword,
            hword_asciipart, word, hword, hword_part, numword, numhword, hword_numpart
            WITH newsdesk_porter;
        CREATE FUNCTION newsdesk_words(text) RETURNS text
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            AS $$ SELECT translate(regexp_replace($1, {separators}, ' ', 'g'),
                                   {accented}, {bare}) $$;
        DROP INDEX IF EXISTS paragraphs_tsv;
        ALTER TABLE paragraphs DROP COLUMN tsv;
        ALTER TABLE paragraphs
            ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('newsdesk', newsdesk_words(text)), 'A')
                || setweight(to_tsvector('newsdesk', newsdesk_words(title)), 'B')
            ) STORED,
            ADD COLUMN tokens integer GENERATED ALWAYS AS (
                length(regexp_replace(text || ' ' || title, {token}, '#', 'g'))
                - length(regexp_replace(text || ' ' || title, {token}, '', 'g'))
            ) STORED;
        CREATE INDEX paragraphs_tsv ON paragraphs USING gin (tsv);
        CREATE TABLE paragraph_totals (
            single boolean PRIMARY KEY DEFAULT true CHECK (single),
            paragraphs bigint NOT NULL,
            tokens bigint NOT NULL
        );
        INSERT INTO paragraph_totals (paragraphs, tokens)
            SELECT count(*), coalesce(sum(tokens), 0) FROM paragraphs;
        CREATE TABLE lexeme_hits (
            lexeme text PRIMARY KEY,
            paragraphs bigint NOT NULL
        );
        INSERT INTO lexeme_hits (lexeme, paragraphs)
            SELECT lexeme, count(*) FROM paragraphs, unnest(tsvector_to_array(tsv)) AS lexeme
            GROUP BY lexeme;
        CREATE FUNCTION paragraph_totals_added() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE paragraph_totals SET
                paragraphs = paragraphs + (SELECT count(*) FROM changed),
                tokens = tokens + (SELECT coalesce(sum(tokens), 0) FROM changed);
            -- in lexeme order, so that two adding clients lock rows in one order
            INSERT INTO lexeme_hits AS h (lexeme, paragraphs)
                SELECT lexeme, count(*)
                FROM changed, unnest(tsvector_to_array(changed.tsv)) AS lexeme
                GROUP BY lexeme ORDER BY lexeme
                ON CONFLICT (lexeme) DO UPDATE SET paragraphs = h.paragraphs + excluded.paragraphs;
            RETURN NULL;
        END $$;
        CREATE FUNCTION paragraph_totals_removed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE paragraph_totals SET
                paragraphs = paragraphs - (SELECT count(*) FROM changed),
                tokens = tokens - (SELECT coalesce(sum(tokens), 0) FROM changed);
            PERFORM 1 FROM lexeme_hits WHERE lexeme IN (
                SELECT unnest(tsvector_to_array(tsv)) FROM changed) ORDER BY lexeme FOR UPDATE;
            UPDATE lexeme_hits h SET paragraphs = h.paragraphs - gone.paragraphs
                FROM (SELECT lexeme, count(*) AS paragraphs
                      FROM changed, unnest(tsvector_to_array(changed.tsv)) AS lexeme
                      GROUP BY lexeme) gone
                WHERE h.lexeme = gone.lexeme;
            RETURN NULL;
        END $$;
        CREATE TRIGGER paragraphs_added AFTER INSERT ON paragraphs
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
            EXECUTE FUNCTION paragraph_totals_added();
        CREATE TRIGGER paragraphs_removed AFTER DELETE ON paragraphs
            REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
            EXECUTE FUNCTION paragraph_totals_removed();
        """
    ).format(
        separators=sql.Literal(SEPARATORS),
        token=sql.Literal(TOKEN_PATTERN),
        accented=sql.Literal(accented),
        bare=sql.Literal(bare),
    )


MIGRATIONS: list[tuple[int, Callable[[int], sql.Composed]]] = [
    (1, _migration_1),
    (2, _migration_2),
    (3, _migration_3),
]
"""(version, SQL builder taking the vector dimension), applied in order."""

SCHEMA_VERSION = MIGRATIONS[-1][0]
