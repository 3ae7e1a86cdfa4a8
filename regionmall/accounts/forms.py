"""Login forms: password (username or mobile) and SMS code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from regionmall.accounts.mobile import normalise_mobile


class PasswordLoginForm(forms.Form):
    login = forms.CharField(label=_("Mobile number or username"), max_length=150,
                            widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label=_("Password"), max_length=128, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete":
                                                                 "current-password"}))


class SmsLoginForm(forms.Form):
    mobile = forms.CharField(label=_("Mobile number"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "tel",
                                                           "autocomplete": "tel"}))
    code = forms.CharField(label=_("SMS code"), max_length=8, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "one-time-code"}))

    def clean_mobile(self) -> str:
        try:
            return normalise_mobile(self.cleaned_data["mobile"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
