"""報告: the prefecture's returns, from figures to the filled form and what was sent.

Modules: ``answers`` (窓口・実態把握 answers kept in settings), ``figures`` (the catalogue of
named figures and their computation), ``builtin`` (the built-in return workbook),
``mapping`` (the TOML mapping of figures to cells, validated against a form), ``fill``
(writing a filled copy of the form) and ``snapshots`` (producing, listing, reproducing
and comparing returns).
"""
