"""Two places where Django's admin answers 500 to hostile query input, closed.

Both are found by tests/miglobe/test_hostile_forms.py; remove a fix when Django's own
code stops failing that test without it.

- The date hierarchy (`?date__year=-99999999999999999999`) builds a datetime from the
  numbers and catches ValueError, but a number too large for C gives OverflowError.
- An autocomplete field re-shown with a value that is no key (`?engagement=NaN` on an
  add page, or a posted form) filters the related table with it and raises ValueError.
"""

from typing import Any

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError

_get_filters = ChangeList.get_filters
_optgroups = AutocompleteMixin.optgroups


def get_filters(self: ChangeList, request: Any) -> Any:
    try:
        return _get_filters(self, request)
    except OverflowError as error:  # the admin shows its "?e=1" page for wrong parameters
        raise IncorrectLookupParameters(error) from error


def _is_key(widget: AutocompleteMixin, value: object) -> bool:
    remote = widget.field.remote_field
    field_name = getattr(remote, "field_name", None)
    opts = remote.model._meta
    target = opts.get_field(field_name) if field_name else opts.pk
    try:
        target.get_prep_value(target.to_python(value))
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return True


def optgroups(self: AutocompleteMixin, name: str, value: list[Any], attr: Any = None) -> Any:
    return _optgroups(self, name, [v for v in value if _is_key(self, v)], attr)


def apply() -> None:
    ChangeList.get_filters = get_filters  # type: ignore[method-assign]
    AutocompleteMixin.optgroups = optgroups  # type: ignore[method-assign, assignment]
