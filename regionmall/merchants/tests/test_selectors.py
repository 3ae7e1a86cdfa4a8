"""Reads other centres rely on: the live shop, the review queue, a user's merchant, counts."""

from __future__ import annotations

import pytest

from regionmall.accounts.roles import Role
from regionmall.merchants import selectors
from regionmall.merchants.models import MerchantState

pytestmark = pytest.mark.django_db


def test_public_shop_only_when_approved(merchant_in):
    approved = merchant_in(MerchantState.APPROVED)
    submitted = merchant_in(MerchantState.SUBMITTED)
    assert selectors.public_shop(approved.slug) == approved
    assert selectors.public_shop(submitted.slug) is None
    assert selectors.public_shop("no-such-shop") is None


def test_review_queue_oldest_submission_first(merchant_in):
    first = merchant_in(MerchantState.SUBMITTED)
    second = merchant_in(MerchantState.SUBMITTED)
    merchant_in(MerchantState.DRAFT)
    queue = list(selectors.merchants_for_review(MerchantState.SUBMITTED))
    assert queue == [first, second]
    assert len(selectors.merchants_for_review()) == 3


def test_merchant_for_user_covers_applicant_and_members(merchant_in, make_user):
    merchant = merchant_in(MerchantState.APPROVED)
    assert selectors.merchant_for_user(merchant.applicant) == merchant
    assert selectors.merchant_for_user(make_user(Role.SHOPPER)) is None
    staff = make_user(Role.MERCHANT_STAFF)
    merchant.members.create(user=staff, role="staff")
    assert selectors.merchant_for_user(staff) == merchant


def test_count_by_state_includes_zeros(merchant_in):
    merchant_in(MerchantState.SUBMITTED)
    counts = selectors.count_by_state()
    assert counts == {"draft": 0, "submitted": 1, "approved": 0, "rejected": 0, "suspended": 0}


def test_public_shop_is_one_query(merchant_in, django_assert_num_queries):
    merchant = merchant_in(MerchantState.APPROVED)
    with django_assert_num_queries(1):
        shop = selectors.public_shop(merchant.slug)
        assert shop.district.name and shop.belt.name
