"""How the directory stands: a cheap fingerprint telling a page whether to load it again.

The 関係機関 page reloads 6,000 people and their posts in seconds; switching back to it
needs no reload when nothing it shows has changed since (in this window or another).
"""

from __future__ import annotations

from sqlalchemy import func, select

from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.directory._common import today_of
from pfdesk.store.models import Body, BodyMembership, Organization, Person, Post


@service(Permission.DIRECTORY_READ)
def directory_version(ctx: ServiceContext) -> tuple:
    """Today, the user, and each directory table's row count and latest change.

    Posts begin and end with the date, and what a user sees depends on their role; equal
    values mean the directory lists would show the same rows.
    """
    with ctx.session() as s:
        parts: list = [today_of(s), ctx.actor.user_id, ctx.actor.role]
        for model in (Organization, Person, Post, Body, BodyMembership):
            parts.append(tuple(s.execute(
                select(func.count(), func.max(model.updated_at)).select_from(model)).one()))
        return tuple(parts)
