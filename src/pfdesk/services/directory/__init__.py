"""関係機関・担当者名簿: organizations, people and their posts, search, import/export, merge.

The modules: ``organizations``, ``people`` (posts too), ``rollover`` (年度更新),
``io`` (export and the column layout), ``importer``, ``merge``, ``printing`` (名簿 PDF and
宛名ラベル), ``references`` (what points at a record), ``types`` (the records returned).
"""
