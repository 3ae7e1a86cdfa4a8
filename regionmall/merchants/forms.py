"""Page forms. They only shape input; the services hold every rule, and
:func:`show_service_errors` puts a service's per-field messages back on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from regionmall.core.errors import DomainError
from regionmall.merchants.models import QualificationKind, SubjectType
from regionmall.merchants.storage import ALLOWED_TYPES
from regionmall.regions.selectors import belts, districts


class _Form(forms.Form):
    """No ':' after labels: it reads wrong after Chinese text (and is not needed anyway)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ApplicationForm(_Form):
    subject_type = forms.ChoiceField(
        label=_("Who is applying"), choices=SubjectType.choices, widget=forms.RadioSelect,
        initial=SubjectType.COMPANY,
    )
    company_name = forms.CharField(label=_("Shop or company name"), max_length=100)
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=30, required=False,
        help_text=_("Companies: the 18 characters on the business licence."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    legal_person = forms.CharField(
        label=_("Legal representative"), max_length=50, required=False,
        help_text=_("Farmers: your own name."),
    )
    resident_id = forms.CharField(
        label=_("Resident ID number"), max_length=30, required=False,
        help_text=_("Farmers only. Stored encrypted, shown masked."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    self_production_pledge = forms.BooleanField(
        label=_("I promise to sell only produce I grow or raise myself."), required=False,
    )
    district = forms.ModelChoiceField(label=_("District"), queryset=districts())
    belt = forms.ModelChoiceField(label=_("Industry belt"), queryset=belts(), required=False)
    contact_mobile = forms.CharField(
        label=_("Contact mobile"), max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    description = forms.CharField(
        label=_("About the shop"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    slug = forms.CharField(
        label=_("Shop address"), max_length=50, required=False,
        help_text=_("Optional: lowercase letters, digits and hyphens."),
    )

    def service_data(self) -> dict[str, Any]:
        """Only the fields that belong to the chosen subject type; blanks keep stored values."""
        data = dict(self.cleaned_data)
        if data["subject_type"] == SubjectType.INDIVIDUAL_FARMER:
            data.pop("credit_code", None)
        else:
            data.pop("resident_id", None)
            data.pop("self_production_pledge", None)
        for keep_if_blank in ("resident_id", "slug"):
            if not data.get(keep_if_blank):
                data.pop(keep_if_blank, None)
        return data


class QualificationForm(_Form):
    kind = forms.ChoiceField(label=_("Document"), choices=QualificationKind.choices)
    number = forms.CharField(label=_("Number"), max_length=64)
    file = forms.FileField(
        label=_("Scan or photo"), help_text=_("PDF, JPG or PNG, at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in ALLOWED_TYPES)}
        ),
    )
    issued_on = forms.DateField(
        label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Expires on"), required=False, help_text=_("Leave blank if it does not expire."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ReasonForm(_Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def show_service_errors(form: forms.Form, error: DomainError) -> None:
    """Attach a service error to the form: per field where we can, else form-wide."""
    placed = False
    for field, messages in error.fields.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed or not error.fields:
        form.add_error(None, str(error.message))
