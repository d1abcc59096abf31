"""Shared helpers for the security tests: cheap key derivation and ready-made accounts."""

from __future__ import annotations

import pytest

from pfdesk.services import accounts
from pfdesk.services.context import ServiceContext

PASSWORD = "kawa-sakura-sakamichi-26"


@pytest.fixture
def fast_kdf(monkeypatch):
    """Key wrapping with the cheapest Argon2 cost, so tests stay fast."""
    from pfdesk.store import crypto

    monkeypatch.setattr(crypto, "KDF", {"time_cost": 1, "memory_cost": 8, "parallelism": 1})


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """Argon2 at its lowest cost in tests that import this module (the real cost is ~0.1 s)."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024,
                                                             parallelism=1))


def make_user(ctx: ServiceContext, login: str, role: str, password: str = PASSWORD):
    """Create an account and return it."""
    return accounts.create_user(ctx, login, f"{login} さん", role, password)


def signed_in(ctx: ServiceContext, login: str, password: str = PASSWORD) -> ServiceContext:
    """A context acting as ``login`` after a real sign-in."""
    return ctx.acting_as(accounts.login(ctx.store, login, password))


def encrypt_unsealed(ctx: ServiceContext, login: str, password: str = PASSWORD) -> None:
    """Encrypt the store as a pfdesk before the identity key did: no identities sealed."""
    from unittest import mock

    from pfdesk.services import identity_vault
    from pfdesk.services.encryption import encrypt_store

    with mock.patch.object(identity_vault, "seal_identities",
                           lambda *a, **k: identity_vault.SealResult(0, [], [], "")):
        encrypt_store(ctx, login, password)
