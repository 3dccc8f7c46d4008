from django import forms
from django.utils.translation import gettext_lazy as _

from engagements.models import Engagement


class LinkForm(forms.Form):
    engagement = forms.ModelChoiceField(
        label=_("Beratungseinsatz"),
        queryset=Engagement.objects.select_related("municipality").order_by("municipality__name"),
    )
    reference = forms.CharField(
        label=_("Aktenzeichen"), max_length=80, required=False, help_text=_("z. B. 065/20")
    )
    url = forms.URLField(label=_("oder Link der Vorlage"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("reference", "").strip() and not data.get("url"):
            raise forms.ValidationError(
                _("Bitte nennen Sie das Aktenzeichen oder den Link der Vorlage.")
            )
        return data
