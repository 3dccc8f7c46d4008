"""Three places where Django's admin answers 500 to hostile input, closed.

Both are found by tests/miglobe/test_hostile_forms.py; remove a fix when Django's own
code stops failing that test without it.

- The date hierarchy (`?date__year=-99999999999999999999`) builds a datetime from the
  numbers and catches ValueError, but a number too large for C gives OverflowError.
- An autocomplete field re-shown with a value that is no key (`?engagement=NaN` on an
  add page, or a posted form) filters the related table with it and raises ValueError.
- A formset's management form accepts a negative INITIAL_FORMS: the rows already saved
  are then taken for new ones, and an inline's database constraint that involves the
  parent (not validated by the inline's form) answers IntegrityError. The counts must
  not be negative; Django then reports the management form as tampered with. A count
  of 0 with saved rows posted has the same effect, so a save that still breaks a
  database constraint is rolled back and the form shown again with a message.
"""

from typing import Any

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters, ModelAdmin
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT, ManagementForm
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

_get_filters = ChangeList.get_filters
_optgroups = AutocompleteMixin.optgroups
_changeform_view = ModelAdmin.changeform_view


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


def changeform_view(self: ModelAdmin, request: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return _changeform_view(self, request, *args, **kwargs)
    except IntegrityError:  # the view's own transaction is rolled back: nothing is saved
        messages.error(
            request,
            _(
                "Nicht gespeichert: Die Eingaben widersprechen einem vorhandenen Eintrag "
                "(zum Beispiel zweimal derselbe Tag oder Platz). Bitte prüfen Sie die Zeilen."
            ),
        )
        return HttpResponseRedirect(request.get_full_path())


def apply() -> None:
    ModelAdmin.changeform_view = changeform_view  # type: ignore[method-assign]
    for name in (TOTAL_FORM_COUNT, INITIAL_FORM_COUNT):
        ManagementForm.base_fields[name].validators.append(MinValueValidator(0))
    ChangeList.get_filters = get_filters  # type: ignore[method-assign]
    AutocompleteMixin.optgroups = optgroups  # type: ignore[method-assign, assignment]
