import django_filters
from django.utils.translation import gettext_lazy as _

from engagements.models import Municipality

from .enums import EventKind


class EventFilter(django_filters.FilterSet):
    municipality = django_filters.ModelChoiceFilter(
        label=_("Kommune"),
        queryset=Municipality.objects.filter(events__is_public=True).distinct().order_by("name"),
        empty_label=_("alle"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Art"), choices=EventKind.choices, empty_label=_("alle")
    )
