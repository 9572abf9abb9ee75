"""Sealed values: the two-factor secrets as the database keeps them."""

from __future__ import annotations

import pytest

from portfolio.core.sealing import SealBroken, is_sealed, seal, unseal

KEY = "a-secret-key-of-the-installation"


def test_a_sealed_value_opens_with_its_key_and_shows_nothing_of_itself() -> None:
    sealed = seal("JBSWY3DPEHPK3PXP", KEY)
    assert is_sealed(sealed) and "JBSWY3DPEHPK3PXP" not in sealed
    assert unseal(sealed, KEY) == "JBSWY3DPEHPK3PXP"
    assert seal("JBSWY3DPEHPK3PXP", KEY) != sealed  # a fresh IV each time


def test_another_key_cannot_open_it() -> None:
    with pytest.raises(SealBroken):
        unseal(seal("JBSWY3DPEHPK3PXP", KEY), "another key")


def test_a_tampered_value_is_refused() -> None:
    sealed = seal("JBSWY3DPEHPK3PXP", KEY)
    tampered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    with pytest.raises(SealBroken):
        unseal(tampered, KEY)


def test_a_value_stored_before_sealing_is_read_as_it_is() -> None:
    assert not is_sealed("JBSWY3DPEHPK3PXP")
    assert unseal("JBSWY3DPEHPK3PXP", KEY) == "JBSWY3DPEHPK3PXP"
