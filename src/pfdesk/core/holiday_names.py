"""The names of Japan's national holidays (as jpholiday gives them), for the catalogue.

jpholiday names holidays in Japanese, e.g. 「憲法記念日 振替休日」; :func:`holiday_label`
shows each word in the display language. A town's own holiday names are user data and
stay as typed.
"""

from __future__ import annotations

from pfdesk.core.i18n import N_, _

NATIONAL = (
    N_("元日"), N_("成人の日"), N_("建国記念の日"), N_("天皇誕生日"), N_("春分の日"),
    N_("昭和の日"), N_("憲法記念日"), N_("みどりの日"), N_("こどもの日"), N_("海の日"),
    N_("山の日"), N_("敬老の日"), N_("秋分の日"), N_("スポーツの日"), N_("体育の日"),
    N_("文化の日"), N_("勤労感謝の日"), N_("国民の休日"), N_("振替休日"), N_("年末年始"),
)


def holiday_label(name: str) -> str:
    """``name`` in the display language, word by word (unknown words as they are)."""
    return " ".join(_(word) for word in name.split(" "))
