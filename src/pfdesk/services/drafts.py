"""Autosaved drafts: text kept while the user types, until the record is saved or discarded.

Drafts are keyed by the acting user and a draft key chosen by the screen (for example
``contact:new:12`` or ``minutes:34``), so two users never see each other's drafts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from pfdesk.services.context import ServiceContext, service
from pfdesk.store.models import Draft, utcnow


@dataclass(frozen=True)
class DraftText:
    """A saved draft and when it was last written (UTC)."""

    draft_key: str
    text: str
    updated_at: datetime


@service()
def save_draft(ctx: ServiceContext, draft_key: str, text: str) -> None:
    """Keep ``text`` as the acting user's draft under ``draft_key`` (replacing an older one)."""
    with ctx.session() as s:
        draft = s.scalar(select(Draft).where(
            Draft.user_name == ctx.actor.user_name, Draft.draft_key == draft_key))
        if draft is None:
            draft = Draft(user_name=ctx.actor.user_name, draft_key=draft_key)
            s.add(draft)
        draft.text = text
        draft.updated_at = utcnow()
        s.commit()


@service()
def load_draft(ctx: ServiceContext, draft_key: str) -> DraftText | None:
    """The acting user's draft under ``draft_key``, or None."""
    with ctx.session() as s:
        draft = s.scalar(select(Draft).where(
            Draft.user_name == ctx.actor.user_name, Draft.draft_key == draft_key))
        if draft is None:
            return None
        return DraftText(draft.draft_key, draft.text, draft.updated_at)


@service()
def existing_drafts(ctx: ServiceContext, draft_keys: list[str]) -> list[str]:
    """Which of ``draft_keys`` have a non-empty draft of the acting user (in the given order)."""
    with ctx.session() as s:
        found = {k for k, text in s.execute(
            select(Draft.draft_key, Draft.text).where(
                Draft.user_name == ctx.actor.user_name, Draft.draft_key.in_(draft_keys)))
            if (text or "").strip()}
    return [k for k in draft_keys if k in found]


@service()
def discard_draft(ctx: ServiceContext, draft_key: str) -> None:
    """Forget the draft once its text has been saved in the record (or thrown away)."""
    with ctx.session() as s:
        s.execute(delete(Draft).where(
            Draft.user_name == ctx.actor.user_name, Draft.draft_key == draft_key))
        s.commit()
