"""What waits for the SKEW team: the first thing staff see in the admin.

Each app registers its items (a label, the rows as a queryset, and the admin
list's query string for the same rows) in its AppConfig.ready(). Each
item is a count and a link to the admin list that shows those rows, for the
models the user may view; one query per item, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class TodoItem:
    label: str | Promise  # usually gettext_lazy: translated when shown
    rows: Callable[[], QuerySet]  # called at each count: rows may depend on today's date
    query: dict[str, str]  # the admin changelist's query string for the same rows

    @classmethod
    def in_status(cls, label: str | Promise, model: type[Model], status: str) -> TodoItem:
        """The rows of `model` in one status, and the admin list filtered to them."""
        return cls(
            label,
            lambda: model._default_manager.filter(status=status),
            {"status__exact": status},
        )


_items: list[TodoItem] = []


def register(*items: TodoItem) -> None:
    for item in items:
        if item not in _items:
            _items.append(item)


def todo_items(user: User | AnonymousUser) -> list[Todo]:
    """The items with something waiting, for the models `user` may view."""
    found = []
    for item in _items:
        rows = item.rows()  # lazy: no query yet
        opts = rows.model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        count = rows.count()
        if count:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            query = urlencode(item.query)
            found.append(Todo(label=str(item.label), count=count, url=f"{url}?{query}"))
    return found
