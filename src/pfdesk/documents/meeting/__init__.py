"""Meeting documents: 開催通知, 出欠回答票, 次第, 出席者名簿, 受付名簿 and 会議録.

Each module turns the plain data of :mod:`pfdesk.documents.meeting.data` into reportlab
flowables (``*_story``) and writes a PDF (``write_*``); none of them queries the store.
"""
