"""Identity numbers a seller gives us: unified social credit codes and resident ID numbers.

Both carry a check character, so most typos are caught before an operator ever looks at an
application. Every function raises ``ValueError`` with a localised message (English msgid),
which pydantic schemas, Django forms and the services all pass straight to the user.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# --- Unified social credit code (GB 32100-2015) -------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
USCC_LENGTH = 18
# 3**i mod 31 for positions 1..17.
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {char: index for index, char in enumerate(USCC_ALPHABET)}

# The first character names the registering authority. We label it but do not restrict it:
# the table grows (A was added for the military), the check character already catches
# typos, and some libraries wrongly reject N (village collectives, co-operatives), which are
# among the most common sellers in a rural region.
REGISTERING_AUTHORITIES = {
    "1": gettext_lazy("Institutional establishment"),
    "2": gettext_lazy("Foreign affairs"),
    "3": gettext_lazy("Justice administration"),
    "4": gettext_lazy("Culture"),
    "5": gettext_lazy("Civil affairs"),
    "6": gettext_lazy("Tourism"),
    "7": gettext_lazy("Religious affairs"),
    "8": gettext_lazy("Trade unions"),
    "9": gettext_lazy("Market regulation"),
    "A": gettext_lazy("Military establishment"),
    "N": gettext_lazy("Agriculture (collectives and co-operatives)"),
    "Y": gettext_lazy("Other"),
}


def _clean(raw: str | None) -> str:
    """NFKC folds full-width input (ＡＢ１２, common from Chinese IMEs) to ASCII; drop spaces."""
    text = unicodedata.normalize("NFKC", raw or "")
    return re.sub(r"\s+", "", text).upper()


def compute_uscc_check(first17: str) -> str:
    """Return the check character for the first 17 characters of a credit code."""
    body = _clean(first17)
    if len(body) != USCC_LENGTH - 1:
        raise ValueError(_("The code body must have 17 characters."))
    total = 0
    for position, (char, weight) in enumerate(zip(body, USCC_WEIGHTS, strict=True), start=1):
        if char not in _USCC_VALUE:
            raise ValueError(_illegal_uscc_char(char, position))
        total += _USCC_VALUE[char] * weight
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _illegal_uscc_char(char: str, position: int) -> str:
    return _(
        "Character “%(char)s” at position %(position)d is not allowed in a unified social "
        "credit code."
    ) % {"char": char, "position": position}


def validate_uscc(raw: str | None) -> str:
    """Return the normalised 18-character code, or raise ValueError saying what is wrong."""
    code = _clean(raw)
    if len(code) != USCC_LENGTH:
        raise ValueError(
            _("A unified social credit code has 18 characters; this one has %(count)d.")
            % {"count": len(code)}
        )
    for position, char in enumerate(code, start=1):
        if char not in _USCC_VALUE:
            raise ValueError(_illegal_uscc_char(char, position))
    if compute_uscc_check(code[:17]) != code[17]:
        raise ValueError(
            _("The check character does not match: please look for a typo in the code.")
        )
    return code


def registering_authority(code: str) -> str:
    """A human label for the code's first character ('' when unknown)."""
    label = REGISTERING_AUTHORITIES.get(code[:1])
    return str(label) if label else ""


# --- Resident ID number (GB 11643-1999) ---------------------------------------------------

RESIDENT_ID_LENGTH = 18
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECKS = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)


def compute_id_check(first17: str) -> str:
    """Return the check character ('0'-'9' or 'X') for 17 digits."""
    body = _clean(first17)
    if len(body) != RESIDENT_ID_LENGTH - 1 or not body.isascii() or not body.isdigit():
        raise ValueError(_("The ID number body must be 17 digits."))
    total = sum(int(d) * w for d, w in zip(body, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECKS[total % 11]


def validate_resident_id(raw: str | None) -> str:
    """Return the normalised 18-character ID number, or raise ValueError saying why not."""
    number = _clean(raw)
    if len(number) != RESIDENT_ID_LENGTH:
        raise ValueError(
            _("A resident ID number has 18 characters; this one has %(count)d.")
            % {"count": len(number)}
        )
    for position, char in enumerate(number, start=1):
        allowed = char in "0123456789" or (position == RESIDENT_ID_LENGTH and char == "X")
        if not allowed:
            raise ValueError(
                _(
                    "Character “%(char)s” at position %(position)d is not allowed in a "
                    "resident ID number."
                )
                % {"char": char, "position": position}
            )
    birth_text = number[6:14]
    try:
        born = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError:
        born = None
    if born is None or not _EARLIEST_BIRTH <= born <= timezone.localdate():
        raise ValueError(
            _("The birth date in the ID number (%(date)s) is not a valid date.")
            % {"date": birth_text}
        )
    if compute_id_check(number[:17]) != number[17]:
        raise ValueError(
            _("The check character does not match: please look for a typo in the number.")
        )
    return number


def mask_resident_id(number: str) -> str:
    """Keep the first and last four characters: enough to recognise, too little to misuse."""
    if len(number) <= 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"
