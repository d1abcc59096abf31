"""Roles and what each may do. Checked in the services, never only by hiding buttons."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    """One thing a user may be allowed to do."""

    DIRECTORY_READ = "directory.read"
    DIRECTORY_WRITE = "directory.write"
    CASE_READ = "case.read"  # coded, pseudonymized case data (case number, 年代, 性別 …)
    CASE_IDENTIFY = "case.identify"  # names, addresses, phone numbers, free-text notes
    CASE_WRITE = "case.write"
    MEETING_READ = "meeting.read"
    MEETING_WRITE = "meeting.write"
    DOCUMENT_PRINT = "document.print"
    STATS_READ = "stats.read"
    RETURN_MAKE = "return.make"
    EXPORT_PERSONAL = "export.personal"
    IMPORT = "import"
    SETTINGS_READ = "settings.read"
    SETTINGS_WRITE = "settings.write"
    USER_ADMIN = "user.admin"
    AUDIT_READ = "audit.read"
    BACKUP = "backup"
    RETENTION = "retention"


ADMIN = "admin"
STAFF = "staff"
VIEWER = "viewer"

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    ADMIN: frozenset(Permission),
    STAFF: frozenset(Permission) - {
        Permission.SETTINGS_WRITE, Permission.USER_ADMIN, Permission.AUDIT_READ,
        Permission.RETENTION,
    },
    VIEWER: frozenset({
        Permission.DIRECTORY_READ, Permission.MEETING_READ, Permission.DOCUMENT_PRINT,
        Permission.STATS_READ, Permission.SETTINGS_READ,
    }),
}


def allowed(role: str, permission: Permission) -> bool:
    """Whether ``role`` grants ``permission``."""
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
