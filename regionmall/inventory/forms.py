from django import forms
from django.utils.translation import gettext_lazy as _


class AdjustForm(forms.Form):
    """One stock change: either a signed change or a new count, and why."""

    stock_id = forms.IntegerField(widget=forms.HiddenInput)
    delta = forms.IntegerField(label=_("Change (+/-)"), required=False)
    set_to = forms.IntegerField(label=_("New count"), required=False, min_value=0)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def clean(self):
        data = super().clean()
        if (data.get("delta") is None) == (data.get("set_to") is None):
            raise forms.ValidationError(_("Give either a change or a new count."))
        return data
