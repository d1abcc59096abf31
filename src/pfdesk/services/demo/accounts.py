"""Demo step: the demo town's public sign-in accounts, labelled as demo accounts.

``demo`` / ``demo`` is the demo administrator; a 担当者 and a 閲覧者 with the same
password let a visitor see what each role may do. These passwords are public
and only ever exist in the fictional town's store.
"""

from __future__ import annotations

import hashlib

from pfdesk.services.accounts import DEMO_LOGIN, DEMO_PASSWORD, hash_password
from pfdesk.store.models import UserAccount

#: (login name, display name, role)
DEMO_USERS = (
    (DEMO_LOGIN, "デモ管理者", "admin"),
    ("demo-staff", "デモ担当者（森野）", "staff"),
    ("demo-viewer", "デモ閲覧者（委員）", "viewer"),
)


def generate(demo) -> None:
    """Add the demo accounts.

    Salts come from the login names rather than ``demo.rng``: the build stays
    repeatable and the later steps' random sequence does not shift.
    """
    demo.session.add_all(
        UserAccount(
            login_name=login, display_name=name, role=role,
            password_hash=hash_password(
                DEMO_PASSWORD, public=True,
                salt=hashlib.sha256(f"pfdesk-demo:{login}".encode()).digest()[:16],
            ),
        )
        for login, name, role in DEMO_USERS
    )
    demo.shared["demo_login"] = DEMO_LOGIN
