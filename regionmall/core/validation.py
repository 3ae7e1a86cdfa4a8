"""Turn pydantic's English validation errors into localised per-field messages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

_SKIP_LOC = {"body", "query", "path", "form", "payload", "data", "header", "cookie", "file"}


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "value_error":
        # Our validators raise ValueError with an already-localised message.
        return str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ")
    if kind in {"string_too_short"}:
        return _("Too short: at least %(n)s characters.") % {"n": ctx.get("min_length")}
    if kind in {"string_too_long"}:
        return _("Too long: at most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind.startswith("int_") or kind.startswith("float_") or kind.startswith("decimal_"):
        return _("Enter a valid number.")
    if kind.startswith("date"):
        return _("Enter a valid date.")
    if kind in {"string_type", "string_pattern_mismatch"}:
        return _("Enter a valid value.")
    if kind == "enum" or kind == "literal_error":
        return _("Select a valid choice.")
    return _("Enter a valid value.")


def localise_validation_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", []) if str(part) not in _SKIP_LOC]
        name = ".".join(loc) or "__all__"
        fields.setdefault(name, []).append(_message(error))
    return fields
