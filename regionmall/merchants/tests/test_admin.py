"""The admin shows merchants read-mostly: state and the ID number cannot be edited there."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from regionmall.merchants.models import MerchantState

pytestmark = pytest.mark.django_db


def test_admin_pages_render_without_the_id_number(client, merchant_in, farmer_data):
    from regionmall.merchants import services

    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456")
    client.force_login(admin)
    merchant = merchant_in(MerchantState.SUBMITTED)
    farmer = services.create_application(admin, farmer_data())
    assert client.get(reverse("admin:merchants_merchant_changelist")).status_code == 200
    assert client.get(reverse("admin:merchants_qualification_changelist")).status_code == 200
    assert client.get(reverse("admin:merchants_merchantstatelog_changelist")).status_code == 200
    page = client.get(reverse("admin:merchants_merchant_change", args=[merchant.pk]))
    assert page.status_code == 200
    farmer_page = client.get(reverse("admin:merchants_merchant_change", args=[farmer.pk]))
    html = farmer_page.content.decode()
    assert farmer.resident_id not in html and farmer.resident_id_masked in html
    assert 'name="state"' not in html
