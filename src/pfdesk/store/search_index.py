"""The case search index (FTS5 trigram over the folded search text, see migration 0003).

Terms of three characters or more are looked up in the index; shorter ones have no
trigram and are matched with LIKE on the text itself. Both match the same substrings.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, column, select, table, text
from sqlalchemy.orm import Session

#: The shortest term the trigram index can look up.
MIN_INDEXED = 3

case_search = table("case_search", column("rowid"), column("case_search"))


def phrase(term: str) -> str:
    """``term`` as an FTS5 phrase: every character literal, so it matches as a substring."""
    return '"' + term.replace('"', '""') + '"'


def case_ids_matching(terms: Iterable[str]) -> Select:
    """The ids of cases whose search text contains every term (each of 3+ characters)."""
    expression = " AND ".join(phrase(t) for t in terms)
    return select(case_search.c.rowid).where(case_search.c.case_search.match(expression))


def purge_deleted(session: Session) -> None:
    """Merge the index so text removed from cases leaves its pages too (disposal)."""
    session.execute(text("INSERT INTO case_search(case_search) VALUES ('optimize')"))
