"""Farmers' ID numbers are encrypted at rest and survive a SECRET_KEY rotation."""

from __future__ import annotations

import pytest

from regionmall.merchants import crypto, services
from regionmall.merchants.models import Merchant

from .conftest import make_resident_id


def test_round_trip_and_no_plaintext():
    number = make_resident_id()
    token = crypto.encrypt(number)
    assert number not in token
    assert crypto.decrypt(token) == number


def test_rotation_keeps_old_tokens_readable(settings):
    number = make_resident_id()
    old_token = crypto.encrypt(number)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-secret-key-for-this-test-0123456789"
    assert crypto.decrypt(old_token) == number
    assert crypto.decrypt(crypto.reencrypt(old_token)) == number
    settings.SECRET_KEY_FALLBACKS = []
    assert crypto.decrypt(old_token) is None


@pytest.mark.django_db
def test_merchant_row_holds_only_ciphertext(applicant, farmer_data):
    number = make_resident_id(seq=456)
    merchant = services.create_application(applicant, farmer_data(resident_id=number))
    stored = Merchant.objects.filter(pk=merchant.pk).values_list(
        "resident_id_encrypted", flat=True
    ).get()
    assert number not in stored and number[-4:] not in stored
    assert merchant.resident_id == number
    assert merchant.resident_id_masked == f"{number[:4]}{'*' * 10}{number[-4:]}"
