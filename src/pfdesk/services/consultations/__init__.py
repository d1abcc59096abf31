"""相談記録: cases, 支援経過記録, つなぎ, 同意, the timeline, search and the ledger import/export.

Each module holds the use cases of one part; ``_common`` keeps the helpers they share
(loading a case, the case number, the search text, today's date).
"""
