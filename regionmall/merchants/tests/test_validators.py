"""Credit codes (GB 32100) and resident ID numbers (GB 11643): examples and properties."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from regionmall.merchants.validators import (
    RESIDENT_ID_CHECKS,
    USCC_ALPHABET,
    compute_id_check,
    compute_uscc_check,
    mask_resident_id,
    registering_authority,
    validate_resident_id,
    validate_uscc,
)

KNOWN_VALID = "91110000600037341L"


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted by their English msgid here; other tests never assert text."""
    with translation.override("en"):
        yield


# --- unified social credit code ---------------------------------------------------------


def test_known_code_is_valid():
    assert validate_uscc(KNOWN_VALID) == KNOWN_VALID
    assert compute_uscc_check(KNOWN_VALID[:17]) == "L"


def test_lowercase_spaces_and_full_width_are_normalised():
    assert validate_uscc(" 9111 0000 6000 3734 1l ") == KNOWN_VALID
    assert validate_uscc("９１１１００００６０００３７３４１Ｌ") == KNOWN_VALID


@pytest.mark.parametrize("authority", ["N", "1", "5", "9", "Y", "A"])
def test_every_registering_authority_is_accepted(authority):
    body = f"{authority}2330784MA2H7K9X1"
    code = body + compute_uscc_check(body)
    assert validate_uscc(code) == code


def test_village_cooperative_n_prefix_is_accepted_and_labelled():
    body = "N2330784MA2H7K9X1"  # N = agriculture, 2 = farmers' specialised co-operative
    code = validate_uscc(body + compute_uscc_check(body))
    assert code.startswith("N")
    assert "co-operative" in registering_authority(code)


@pytest.mark.parametrize("raw", ["", "91110000600037341", "91110000600037341LL"])
def test_wrong_length(raw):
    with pytest.raises(ValueError, match="18 characters"):
        validate_uscc(raw)


@pytest.mark.parametrize("bad", ["I", "O", "S", "V", "Z", "-", "中"])
def test_illegal_character_names_character_and_position(bad):
    code = KNOWN_VALID[:4] + bad + KNOWN_VALID[5:]
    with pytest.raises(ValueError) as info:
        validate_uscc(code)
    message = str(info.value)
    assert f"“{bad}”" in message and "position 5" in message


def test_wrong_check_character():
    with pytest.raises(ValueError, match="check character does not match"):
        validate_uscc(KNOWN_VALID[:17] + "K")


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_any_body_with_its_check_character_validates(body):
    assert validate_uscc(body + compute_uscc_check(body)) == body + compute_uscc_check(body)


@given(
    body=st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17),
    position=st.integers(min_value=0, max_value=17),
    data=st.data(),
)
def test_changing_any_single_character_invalidates(body, position, data):
    code = body + compute_uscc_check(body)
    replacements = st.sampled_from(USCC_ALPHABET + "IOSVZ")
    other = data.draw(replacements.filter(lambda c: c != code[position]))
    with pytest.raises(ValueError):
        validate_uscc(code[:position] + other + code[position + 1 :])


# --- resident ID number -----------------------------------------------------------------


def test_known_id_is_valid_and_x_is_normalised():
    assert compute_id_check("11010519491231002") == "X"
    assert validate_resident_id("11010519491231002x") == "11010519491231002X"


def test_id_wrong_length():
    with pytest.raises(ValueError, match="18 characters"):
        validate_resident_id("110105194912310")


def test_id_x_only_allowed_last():
    with pytest.raises(ValueError, match="position 3"):
        validate_resident_id("11X10519491231002X")


@pytest.mark.parametrize("birth", ["19490230", "18991231", "20991231", "19491301"])
def test_id_birth_date_must_be_a_real_past_date(birth):
    body = f"110105{birth}002"
    with pytest.raises(ValueError, match="birth date"):
        validate_resident_id(body + compute_id_check(body))


def test_id_wrong_check():
    with pytest.raises(ValueError, match="check character does not match"):
        validate_resident_id("110105194912310021")


def test_mask_keeps_first_and_last_four():
    assert mask_resident_id("33078419900101123X") == "3307**********123X"


_id_bodies = st.builds(
    lambda area, born, seq: f"{area}{born:%Y%m%d}{seq}",
    st.from_regex(r"[0-9]{6}", fullmatch=True),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    st.from_regex(r"[0-9]{3}", fullmatch=True),
)


@given(_id_bodies)
def test_any_id_with_its_check_validates(body):
    assert validate_resident_id(body + compute_id_check(body)) == body + compute_id_check(body)


@given(body=_id_bodies, position=st.integers(min_value=0, max_value=17), data=st.data())
def test_changing_any_single_id_character_invalidates(body, position, data):
    number = body + compute_id_check(body)
    other = data.draw(st.sampled_from(RESIDENT_ID_CHECKS).filter(lambda c: c != number[position]))
    with pytest.raises(ValueError):
        validate_resident_id(number[:position] + other + number[position + 1 :])
