"""Forms every document page shares."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin


class ReasonForm(BootstrapFormMixin, forms.Form):
    """Why a document is voided, closed or cancelled; ``required`` when the step needs one."""

    reason = forms.CharField(label=_("Reason"), max_length=255)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, required: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
