"""The print dialog for meeting documents (通知, 次第, 名簿, 資料一式, 会議録)."""

from pfdesk.ui.printing.dialog import PrintMeetingDialog

__all__ = ["PrintMeetingDialog"]
