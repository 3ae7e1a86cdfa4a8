import pytest

from regionmall.accounts.mobile import mask_mobile, normalise_mobile


@pytest.mark.parametrize("raw", ["13812345678", "+86 138 1234 5678", "0086-138-1234-5678",
                                 " 138-1234-5678 "])
def test_accepts_mainland_formats(raw):
    assert normalise_mobile(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["", "12812345678", "1381234567", "138123456789", "+1 415 555 0100",
                                 "1381234567a", "23812345678"])
def test_rejects_non_mainland_numbers(raw):
    with pytest.raises(ValueError):
        normalise_mobile(raw)


def test_mask():
    assert mask_mobile("13812345678") == "138****5678"
