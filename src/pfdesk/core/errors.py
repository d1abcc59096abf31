"""The two kinds of failure: problems the user can fix, and program bugs.

A :class:`KnownError` carries a Japanese message that names what went wrong and
where, and says what to do. Anything else that escapes is a bug: it is logged
with its traceback and shown once.
"""

from __future__ import annotations


class KnownError(Exception):
    """An environment or input problem the user can act on.

    ``message`` is the plain-Japanese sentence shown to the user; ``hint`` says
    what to do about it (optional); ``where`` names the file, row or record.
    """

    def __init__(self, message: str, *, hint: str = "", where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.where = where

    def user_text(self) -> str:
        """The full text to show: what, where and what to do."""
        parts = [self.message]
        if self.where:
            from pfdesk.core.i18n import _

            parts.append(_("場所: {where}").format(where=self.where))
        if self.hint:
            parts.append(self.hint)
        return "\n".join(parts)

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.user_text()


class ValidationError(KnownError):
    """Input that does not fit: a field left empty, a date that is not a date.

    ``field`` names the form field or column so the UI can mark it inline.
    """

    def __init__(self, message: str, *, field: str = "", hint: str = "", where: str = "") -> None:
        super().__init__(message, hint=hint, where=where)
        self.field = field


class PermissionDenied(KnownError):
    """The acting user's role does not allow this operation."""


class NotFound(KnownError):
    """A record that was asked for does not exist (or is not visible)."""


class StoreError(KnownError):
    """The data store cannot be opened or written (locked, newer version, damaged)."""


class FileProblem(KnownError):
    """A file cannot be read or written (locked by another program, disk full, ...)."""


class StoreUnusable(StoreError):
    """The store file of a data folder that has held data is missing, empty or damaged.

    pfdesk never answers this with a new empty store: the user is led to the recovery
    path (the backups of ``root``). ``reason`` is ``"missing"``, ``"empty"`` or
    ``"damaged"``; ``root`` is the data folder.
    """

    def __init__(self, message: str, *, reason: str, root: str, hint: str = "",
                 where: str = "") -> None:
        super().__init__(message, hint=hint, where=where)
        self.reason = reason
        self.root = root


class EditConflict(KnownError):
    """The record was saved elsewhere after the form was opened: nothing was overwritten.

    ``changed`` lists (field label, value now) of what the other save changed;
    ``current`` is the record as it is now, so the form can save on top of it next.
    """

    def __init__(self, message: str, *, current: object = None,
                 changed: tuple[tuple[str, str], ...] = (), hint: str = "",
                 where: str = "") -> None:
        super().__init__(message, hint=hint, where=where)
        self.current = current
        self.changed = changed
