"""Who is acting, and the one way a service opens its unit of work.

Every service entry point is a function ``f(ctx: ServiceContext, ...)`` decorated
with :func:`service`, which checks the acting user's permission before any work
is done. Inside, ``with ctx.session() as s`` opens the unit of work and
``audit.record`` writes the audit event in the same transaction.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import ParamSpec, TypeVar

from sqlalchemy.orm import Session

from pfdesk.core.errors import KnownError, PermissionDenied
from pfdesk.core.i18n import _
from pfdesk.core.permissions import ADMIN, Permission, allowed
from pfdesk.store.engine import Store

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf a service runs."""

    user_name: str
    display_name: str
    role: str
    user_id: int | None = None

    def can(self, permission: Permission) -> bool:
        """Whether this user's role allows ``permission``."""
        return allowed(self.role, permission)

    @classmethod
    def local_admin(cls) -> Actor:
        """The built-in administrator used before any account exists."""
        return cls(user_name="admin", display_name=_("管理者"), role=ADMIN)


@dataclass(frozen=True)
class ServiceContext:
    """An open store plus the acting user; passed as the first argument of every service."""

    store: Store
    actor: Actor

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work; the service commits it."""
        with self.store.session() as s:
            yield s

    def acting_as(self, actor: Actor) -> ServiceContext:
        """The same store, another user."""
        return replace(self, actor=actor)

    def require(self, permission: Permission) -> None:
        """Raise PermissionDenied unless the actor may do ``permission``."""
        if not self.actor.can(permission):
            raise PermissionDenied(
                _("この操作を行う権限がありません。"),
                hint=_("管理者に権限の変更を依頼してください。"),
            )


def _log_refusal(ctx: ServiceContext, what: str, permission: Permission) -> None:
    """Every refused attempt is in the access log: who tried what, lacking which right."""
    from pfdesk.services import audit

    try:
        with ctx.session() as s:
            audit.record(s, ctx.actor, "auth.denied", "service", [], service=what.removeprefix(
                "pfdesk.services."), permission=str(permission))
            s.commit()
    except KnownError:  # the refusal itself is still said to the user
        logging.getLogger(__name__).warning("a refused attempt could not be logged")


def service(*permissions: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a service entry point and check ``permissions`` before it runs.

    A test walks every module under ``pfdesk.services`` and fails when a public
    function taking a ServiceContext is not decorated, so none slips through.
    """

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            ctx = args[0] if args else kwargs.get("ctx")
            if not isinstance(ctx, ServiceContext):
                raise TypeError(f"{fn.__qualname__} needs a ServiceContext first")
            for p in permissions:
                if not ctx.actor.can(p):
                    _log_refusal(ctx, f"{fn.__module__}.{fn.__name__}", p)
                ctx.require(p)
            return fn(*args, **kwargs)

        # Set through __dict__: a function type declares no such attribute.
        wrapper.__dict__["__pfdesk_permissions__"] = tuple(permissions)
        return wrapper

    return decorate
