"""The support cycle of a case: アセスメント, 支援計画 and 評価 (see ``store.models.support``)."""
