"""Passwords: 12 characters or more, not a common one, not the login name."""

from __future__ import annotations

import pytest

from pfdesk.core.errors import ValidationError
from pfdesk.core.password_policy import check_password


@pytest.mark.parametrize("weak, why", [
    ("short-pass", "12文字以上"),
    ("password1234", "推測されやすい"),
    ("Ｐａｓｓｗｏｒｄ２０２６", "推測されやすい"),  # full width folds too
    ("123456789012", "並び"),
    ("qwertyuiop12", "並び"),
    ("aaaaaaaaaaaa", "繰り返し"),
    ("yamada-secret-1", "利用者名"),
])
def test_weak_passwords_are_refused_with_the_reason(weak, why):
    with pytest.raises(ValidationError) as e:
        check_password(weak, login_name="yamada")
    assert why in e.value.user_text() and e.value.field == "password"


@pytest.mark.parametrize("good", ["川-さくら-坂道-2026", "kumo-hashi-minato-1", "another-password"])
def test_long_uncommon_passwords_pass(good):
    check_password(good, login_name="yamada")
