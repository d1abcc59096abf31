"""The case search index (FTS5 trigram over the folded search text, see migration 0003).

Terms of three characters or more are looked up in the index; shorter ones have no
trigram and are matched with LIKE on the text itself. Both match the same substrings.
On PostgreSQL the index is pg_trgm's (a GIN index behind the ``case_search`` view):
there the same terms become ``LIKE '%term%'``, which that index answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, column, select, table, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.types import Boolean

#: The shortest term the trigram index can look up.
MIN_INDEXED = 3

case_search = table("case_search", column("rowid"), column("case_search"))


def phrase(term: str) -> str:
    """``term`` as an FTS5 phrase: every character literal, so it matches as a substring."""
    return '"' + term.replace('"', '""') + '"'


class _ContainsAll(ColumnElement[bool]):
    """The search text contains every term: FTS5 MATCH on SQLite, LIKEs on PostgreSQL."""

    type = Boolean()
    inherit_cache = False  # the terms decide the SQL on PostgreSQL: compiled per search
    _is_implicitly_boolean = True  # rendered as is in WHERE (no "= 1" appended)

    def __init__(self, terms: tuple[str, ...]) -> None:
        self.terms = terms


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@compiles(_ContainsAll)
def _fts5_match(element: _ContainsAll, compiler: Any, **kw: Any) -> str:
    expression = " AND ".join(phrase(t) for t in element.terms)
    return compiler.process(case_search.c.case_search.match(expression), **kw)


@compiles(_ContainsAll, "postgresql")
def _trigram_like(element: _ContainsAll, compiler: Any, **kw: Any) -> str:
    likes = [case_search.c.case_search.like(
        BindParameter(None, f"%{_escape_like(t)}%", unique=True), escape="\\")
        for t in element.terms]
    return " AND ".join(compiler.process(like, **kw) for like in likes)


def case_ids_matching(terms: Iterable[str]) -> Select:
    """The ids of cases whose search text contains every term (each of 3+ characters)."""
    return select(case_search.c.rowid).where(_ContainsAll(tuple(terms)))


def purge_deleted(session: Session) -> None:
    """Merge the index so text removed from cases leaves its pages too (disposal).

    On PostgreSQL the index lives in the table's own pages: nothing to merge here.
    """
    if session.get_bind().dialect.name == "postgresql":
        return
    session.execute(text("INSERT INTO case_search(case_search) VALUES ('optimize')"))
