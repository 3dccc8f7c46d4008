"""A CSV export action for the SKEW admin's lists.

Each ModelAdmin names its columns in `csv_fields` (field paths such as
"municipality__name" or names of admin/model attributes). The export runs on
the admin's own queryset, so its select_related/prefetch/annotations apply and
the number of queries does not grow with the number of rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .spreadsheets import safe_cell


def _column_label(modeladmin: admin.ModelAdmin[Any], name: str) -> str:
    model = modeladmin.model
    if "__" not in name:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            attr = getattr(modeladmin, name, None) or getattr(model, name, None)
            return str(getattr(attr, "short_description", name.replace("_", " ")))
    # A path through relations: name the last field.
    current = model
    field = None
    for part in name.split("__"):
        field = current._meta.get_field(part)
        current = field.related_model or current
    return str(field.verbose_name) if field is not None else name


def _holds_many(obj: Model, name: str) -> bool:
    """A field of several choices (countries): its display method fails; list the values."""
    try:
        return bool(getattr(obj._meta.get_field(name), "multiple", False))
    except FieldDoesNotExist:
        return False


def _cell(modeladmin: admin.ModelAdmin[Any], obj: Model, name: str) -> object:
    if "__" in name:
        value: object = obj
        for part in name.split("__"):
            value = getattr(value, part, None) if value is not None else None
        return value
    display = getattr(obj, f"get_{name}_display", None)
    if display is not None and not _holds_many(obj, name):
        return display()
    if hasattr(modeladmin, name):
        return getattr(modeladmin, name)(obj)
    value = getattr(obj, name)
    if hasattr(value, "all"):  # a many-to-many manager: its (prefetched) rows
        value = value.all()
    elif callable(value):
        value = value()
    if isinstance(value, Iterable) and not isinstance(value, str):
        return ", ".join(str(getattr(v, "name", v)) for v in value)
    return value


def _format(value: object) -> str:
    if value is None:
        return ""
    if value is True:
        return str(_("ja"))
    if value is False:
        return str(_("nein"))
    return str(value)


@admin.action(description=_("Ausgewählte als CSV exportieren"))
def export_csv(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
) -> HttpResponse:
    fields = list(getattr(modeladmin, "csv_fields", None) or modeladmin.list_display)
    fields = [f for f in fields if f != "__str__"] or ["__str__"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{slugify(modeladmin.model._meta.verbose_name_plural)}-{timezone.localdate()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A BOM so that Excel, which SKEW's finance team uses, reads the umlauts right.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_column_label(modeladmin, f) for f in fields])
    for obj in queryset:
        writer.writerow([safe_cell(_format(_cell(modeladmin, obj, f))) for f in fields])
    return response
