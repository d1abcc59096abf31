"""What makes a password acceptable: long enough, not a common one, not the user's own name.

The common passwords are the most frequent ones in published breach lists (the
same families NIST SP 800-63B tells verifiers to refuse), plus words an office
would reach for. Checked after NFKC folding and case folding, so 全角 and
capitals do not slip past.
"""

from __future__ import annotations

import unicodedata

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _

MIN_LENGTH = 12

_COMMON_WORDS = (
    "password", "passw0rd", "p@ssw0rd", "p@ssword", "letmein", "welcome", "qwerty",
    "qwertyuiop", "asdfghjkl", "zxcvbnm", "iloveyou", "admin", "administrator", "root",
    "master", "secret", "changeme", "default", "login", "guest", "user", "test", "abc123",
    "monkey", "dragon", "football", "baseball", "sunshine", "princess", "starwars",
    "trustno1", "superman", "shadow", "michael", "computer", "internet", "whatever",
    "pfdesk", "hikikomori", "platform", "yakuba", "yakusho", "shiyakusho", "kenko",
    "fukushi", "hokenfukushi", "soudan", "jimukyoku", "nihon", "tokyo", "sakura",
)
_SEQUENCES = ("0123456789", "1234567890", "9876543210", "abcdefghijklmnopqrstuvwxyz",
              "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc", "qazwsxedc")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _is_run(text: str) -> bool:
    """One character repeated, or a stretch of a keyboard or counting sequence."""
    if len(set(text)) <= 2:
        return True
    return any(text in seq * 3 or text in (seq * 3)[::-1] for seq in _SEQUENCES)


def _strip_decoration(text: str) -> str:
    """The word under the usual decorations: trailing digits and symbols, a year."""
    core = text.rstrip("0123456789!@#$%^&*?.-_ ")
    return core.lstrip("0123456789!@#$%^&*?.-_ ")


def check_password(password: str, *, login_name: str = "") -> None:
    """Raise ValidationError (field ``password``) saying plainly why ``password`` is weak."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(
            _("パスワードは{n}文字以上にしてください（今は{k}文字）。").format(
                n=MIN_LENGTH, k=len(password)),
            field="password", hint=_("覚えやすい言葉をいくつか、区切りを入れて並べると安全です"
                                     "（例: 川-さくら-坂道-2026）。"))
    folded = _fold(password)
    core = _strip_decoration(folded)
    if _is_run(folded) or _is_run(core):
        raise ValidationError(_("同じ文字の繰り返しや、キーボード・数字の並びは使えません。"),
                              field="password")
    if folded in _COMMON_WORDS or core in _COMMON_WORDS or any(
            core == w * k for w in _COMMON_WORDS for k in (2, 3)):
        raise ValidationError(_("よく使われていて推測されやすいパスワードです。別のものにしてください。"),
                              field="password")
    name = _fold(login_name).strip()
    if len(name) >= 3 and name in folded:
        raise ValidationError(_("パスワードに利用者名を含めないでください。"), field="password")
