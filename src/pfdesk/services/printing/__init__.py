"""印刷: meeting documents as PDF (通知, 出欠回答票, 次第, 名簿, 受付名簿, 資料一式, 会議録).

The service builds plain data from the store and hands it to :mod:`pfdesk.documents`;
case material follows the meeting's legal basis (see :mod:`.cases`).
"""

from pfdesk.services.printing.service import (
    DOC_KINDS,
    MINUTES_HEADINGS,
    PrintInfo,
    PrintOptions,
    PrintResult,
    print_info,
    print_meeting_document,
)

__all__ = ["DOC_KINDS", "MINUTES_HEADINGS", "PrintInfo", "PrintOptions", "PrintResult",
           "print_info", "print_meeting_document"]
