"""A person's data in one place: find it, export it, erase it (DSGVO Art. 15, 17 and 20).

Each app declares, in its own `personal_data.py`, where it holds data about a person
(a `Holding`: how to find the person's records, which fields and files to export, and
the documented rule by which erasure deletes, anonymises or keeps them) and which free
texts may name a person (`Mentions`). It registers them here in its AppConfig.ready(),
like the record of processing (core.processing), which says the same in its words.

- `find_people(query)`: everyone the portal knows by an address or a name like it.
- `preview(person)`: what erasure would do, holding by holding, before it does it.
- `export_zip(person, stream)`: one JSON file per holding, the person's files, a readme.
- `erase(person, by=...)`: the rules applied in one transaction; the `ErasureLog` it
  writes holds counts per holding and nothing about the person.

A person is found by email address; records that hold no address but the same name
(a contact person entered without email) count as theirs too, and the preview shows
them, so SKEW can check before erasing.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import ErasureLog, ErasureRequest, User

Text = str | Promise
# What replaces a name or an address in a text that is kept.
REMOVED = "[entfernt]"
# Names shorter than this are not looked for in free texts: "Ali" is too common a word.
MIN_NAME_LENGTH = 5
# Holdings from this order on run after the free texts are cleaned (files made from them).
LATE = 100


class Action(models.TextChoices):
    DELETE = "delete", _("wird gelöscht")
    ANONYMISE = "anonymise", _("wird anonymisiert")
    KEEP = "keep", _("bleibt (ohne Namen)")


@dataclass(frozen=True)
class Person:
    """Whom a request is about: an address, every name the portal holds for it, the account."""

    email: str
    names: tuple[str, ...] = ()
    user: User | None = None
    # Whether names find records too (records without an address, texts that name the
    # person). SKEW's pages, where staff check the preview: yes. The person's own page:
    # no, since anyone can sign up under any name.
    by_name: bool = True

    @property
    def label(self) -> str:
        return ", ".join(self.names) or self.email

    def matches(self, *, email: str, name: str = "") -> Q:
        """The records of this person, by their address fields: the address, or, where
        a record holds no address, one of the person's names."""
        found = Q(**{f"{email}__iexact": self.email}) if self.email else Q(pk__in=[])
        if name and self.names and self.by_name:
            found |= Q(**{email: "", f"{name}__in": self.names})
        return found

    def owns(self, model: type[models.Model], path: str = "user") -> QuerySet:
        """The rows of `model` whose `path` is the person's account; none without one."""
        rows = model._default_manager.all()
        return rows.filter(**{path: self.user}) if self.user else rows.none()

    def mentions(self) -> list[str]:
        """What a free text would name the person by."""
        names = self.names if self.by_name else ()
        tokens = [name for name in names if len(name) >= MIN_NAME_LENGTH]
        if self.email:
            tokens.append(self.email)
        return sorted(set(tokens), key=len, reverse=True)  # "Anna Maria Weber" before "Anna Maria"


Finder = Callable[[Person], QuerySet]
Eraser = Callable[[QuerySet, Person, datetime], object]


@dataclass(frozen=True)
class Holding:
    """Records about a person in one model, and what erasure does with them."""

    key: str  # "events.registrations": the export's file name
    label: Text
    action: Action
    rule: Text  # the documented rule: what goes, what stays and why
    find: Finder
    fields: tuple[str, ...]  # exported, as .values() takes them (lookups allowed)
    files: tuple[str, ...] = ()  # FileFields exported with the data
    # Does the erasing (deleting or anonymising), for ANONYMISE and KEEP; DELETE deletes.
    erase: Eraser | None = None
    # Where people are found by name and address: (name field, email field).
    search: tuple[str, str] | None = None
    # Found records send a person's own request to SKEW even where nothing is kept (an
    # organisation's address may be shared by several people).
    skew_confirms: bool = False
    # Erasure applies the rules in this order (the account's, 90, replaces the name that
    # others show, so what needs the name gone comes after it).
    order: int = 0


@dataclass(frozen=True)
class Mentions:
    """Free texts that may name a person; erasure replaces the name with [entfernt]."""

    key: str
    label: Text
    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    # Called with the ids of the rows changed, for what is derived from the texts.
    refresh: Callable[[list[int]], object] | None = None


_holdings: dict[str, tuple[Holding, ...]] = {}
_mentions: dict[str, tuple[Mentions, ...]] = {}


def register(
    app_label: str, holdings: Iterable[Holding] = (), mentions: Iterable[Mentions] = ()
) -> None:
    """An app's holdings and mentions; registering again replaces them."""
    _holdings[app_label] = tuple(holdings)
    _mentions[app_label] = tuple(mentions)


def _in_app_order(registry: dict[str, tuple[Any, ...]]) -> list[Any]:
    return [item for config in apps.get_app_configs() for item in registry.get(config.label, ())]


def labels() -> dict[str, Text]:
    """Every holding's and mention's label by key: for the erasure log's counts."""
    return {item.key: item.label for item in holdings() + all_mentions()}


def holdings() -> list[Holding]:
    return _in_app_order(_holdings)


def all_mentions() -> list[Mentions]:
    return _in_app_order(_mentions)


# --- Finding people ----------------------------------------------------------------------


def _erased(address: str) -> bool:
    """An address erasure or retention wrote (RFC 2606's .invalid): nobody's."""
    return address.endswith(".invalid") or address.endswith("@invalid")


def find_people(query: str, *, limit: int = 50) -> list[Person]:
    """Everyone whose address or name contains `query`, one entry per address (with the
    names that matched; the person's page collects all of them)."""
    from .models import User  # the models need the apps loaded

    query = query.strip()
    if len(query) < 3:
        return []
    found: dict[str, set[str]] = {}
    for holding in holdings():
        if holding.search is None:
            continue
        name, email = holding.search
        model = holding.find(Person("")).model
        rows = (
            model._default_manager.filter(
                Q(**{f"{name}__icontains": query}) | Q(**{f"{email}__icontains": query})
            )
            .values_list(name, email)
            .order_by(email, name)
            .distinct()[: limit * 2]
        )
        for row_name, row_email in rows:
            if row_email and _erased(row_email):
                continue
            key = row_email.lower() if row_email else f"name:{row_name}"
            names = found.setdefault(key, set())
            if row_name:
                names.add(row_name)
    keys = sorted(found)[:limit]
    accounts = {
        user.email.lower(): user
        for user in User.objects.annotate(address=Lower("email")).filter(
            address__in=[key for key in keys if not key.startswith("name:")]
        )
    }
    return [
        Person("", tuple(sorted(found[key])))
        if key.startswith("name:")
        else Person(key, tuple(sorted(found[key])), accounts.get(key))
        for key in keys
    ]


def person_by_email(email: str, *, by_name: bool = True) -> Person:
    """The person with this address: every name held for it, and their account."""
    from .models import User  # the models need the apps loaded

    email = email.strip()
    user = User.objects.filter(email__iexact=email).first() if email else None
    names: set[str] = set()
    for holding in holdings():
        if holding.search is None:
            continue
        name, address = holding.search
        model = holding.find(Person("")).model
        names.update(
            model._default_manager.filter(**{f"{address}__iexact": email})
            .exclude(**{name: ""})
            .values_list(name, flat=True)
            .distinct()
        )
    return Person(email.lower(), tuple(sorted(names)), user, by_name=by_name)


def person_by_name(name: str) -> Person:
    """A person known only by a name (records without an address)."""
    return Person(email="", names=(name.strip(),))


# --- What erasure would do -----------------------------------------------------------------


@dataclass
class Line:
    """One line of the preview: a holding (or mentions), how many records, the action."""

    key: str
    label: Text
    action: Action
    rule: Text
    count: int
    skew_confirms: bool = False


@dataclass
class Preview:
    person: Person
    lines: list[Line] = field(default_factory=list)

    @property
    def found(self) -> list[Line]:
        return [line for line in self.lines if line.count]

    @property
    def kept(self) -> list[Line]:
        return [line for line in self.found if line.action == Action.KEEP]

    @property
    def needs_skew(self) -> bool:
        """Whether a person's own request waits for SKEW (records to keep or to check)."""
        return any(line.action == Action.KEEP or line.skew_confirms for line in self.found)

    def erased_at_once(self, user: User) -> bool:
        """Whether the person's own request erases now; else SKEW confirms it first.

        Staff accounts carry duties: SKEW closes them, never the click of a moment.
        """
        return not self.needs_skew and not user.is_staff


def _mention_filter(fields: Iterable[str], tokens: list[str]) -> Q:
    found = Q(pk__in=[])
    for name in fields:
        for token in tokens:
            found |= Q(**{f"{name}__icontains": token})
    return found


def _mentioning(mention: Mentions, person: Person) -> QuerySet:
    model = apps.get_model(mention.model)
    tokens = person.mentions()
    if not tokens:
        return model._default_manager.none()
    return model._default_manager.filter(_mention_filter(mention.fields, tokens))


MENTION_RULE = _(
    "Der Text bleibt; wo er den Namen oder die E-Mail-Adresse der Person nennt, steht danach "
    "„[entfernt]“."
)


def preview(person: Person) -> Preview:
    """What erasure would do, holding by holding, without doing it."""
    result = Preview(person)
    for holding in holdings():
        count = holding.find(person).count()
        result.lines.append(
            Line(
                holding.key,
                holding.label,
                holding.action,
                holding.rule,
                count,
                holding.skew_confirms,
            )
        )
    for mention in all_mentions():
        count = _mentioning(mention, person).count()
        result.lines.append(Line(mention.key, mention.label, Action.KEEP, MENTION_RULE, count))
    return result


# --- Export ----------------------------------------------------------------------------------


def _choices(model: type[models.Model], names: Iterable[str]) -> dict[str, dict[Any, str]]:
    """The fields (of the model itself) that store a code, with what each code means."""
    found = {}
    for name in names:
        if "__" in name:
            continue
        choices = getattr(model._meta.get_field(name), "choices", None)
        if choices:
            found[name] = dict(_flat(choices))
    return found


def _flat(choices: Iterable[Any]) -> Iterable[tuple[Any, str]]:
    for code, label in choices:
        if isinstance(label, list | tuple):  # a group of choices
            yield from _flat(label)
        else:
            yield code, str(label)


def _records(holding: Holding, queryset: QuerySet) -> list[dict[str, Any]]:
    """The records as the export writes them; a stored code comes with its meaning
    ("gender": "female", "gender_label": "weiblich"), so the copy reads on its own."""
    labels = _choices(queryset.model, holding.fields)
    records = list(queryset.order_by("pk").values("pk", *holding.fields))
    for record in records:
        for name, meaning in labels.items():
            codes = record[name]
            if isinstance(codes, str) and "," in codes:  # several countries in one field
                record[f"{name}_label"] = ", ".join(meaning.get(c, c) for c in codes.split(","))
            else:
                record[f"{name}_label"] = meaning.get(codes, "")
    return records


def export_zip(person: Person, stream: IO[bytes]) -> None:
    """Write everything the portal holds about `person` as a ZIP into `stream`."""
    from django.utils import translation  # the readme is German, whoever asks

    contents = []
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for holding in holdings():
            queryset = holding.find(person)
            records = _records(holding, queryset)
            if not records:
                continue
            name = f"{holding.key}.json"
            archive.writestr(
                name, json.dumps(records, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            )
            files = []
            for obj in queryset.order_by("pk") if holding.files else ():
                for file_field in holding.files:
                    stored = getattr(obj, file_field)
                    if not stored:
                        continue
                    target = f"dateien/{holding.key}/{obj.pk}-{os.path.basename(stored.name)}"
                    try:
                        with stored.open("rb") as source:
                            archive.writestr(target, source.read())
                    except FileNotFoundError:
                        continue  # the row names a file the storage lost: the JSON says so
                    files.append(target)
            with translation.override("de"):
                contents.append(
                    {"file": name, "label": str(holding.label), "count": len(records)}
                    | {"files": files}
                )
        with translation.override("de"):
            readme = render_to_string(
                "personal_data/readme.txt",
                {"person": person, "contents": contents, "made_at": timezone.now()},
            )
        archive.writestr("LIESMICH.txt", readme)


# --- Erasure ---------------------------------------------------------------------------------


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    """The django-simple-history model that keeps `model`'s earlier versions, if any."""
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None)


def anonymise(queryset: QuerySet, **values: Any) -> int:
    """Update the rows and their earlier versions (simple-history) alike.

    Expressions in `values` may refer to the row's "id" (the same in both tables).
    """
    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return 0
    model = queryset.model
    model._default_manager.filter(pk__in=ids).update(**values)
    history = history_model(model)
    if history is not None:
        names = {f.name for f in history._meta.get_fields()}
        history._default_manager.filter(id__in=ids).update(
            **{key: value for key, value in values.items() if key in names}
        )
    return len(ids)


def delete(queryset: QuerySet) -> int:
    """Delete the rows and their earlier versions."""
    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return 0
    model = queryset.model
    model._default_manager.filter(pk__in=ids).delete()
    history = history_model(model)
    if history is not None:
        history._default_manager.filter(id__in=ids).delete()
    return len(ids)


def _pattern(tokens: list[str]) -> re.Pattern[str]:
    """The tokens as whole words, in any case: "Jan Berg" is not in "Jan Bergmann", nor
    anna@example.org in hanna@example.org."""
    words = "|".join(re.escape(token) for token in tokens)
    return re.compile(rf"(?<![\w.+@-])(?:{words})(?![\w@-]|\.\w)", re.IGNORECASE)


def _scrubbed(text: Any, pattern: re.Pattern[str], limit: int | None) -> Any:
    if not isinstance(text, str):
        return text
    new = pattern.sub(REMOVED, text)
    # "[entfernt]" may be longer than what it replaces: a full field keeps its limit.
    return new[:limit] if limit else new


def scrub(mention: Mentions, person: Person) -> int:
    """Replace the person's names and address, as whole words, in the texts that hold
    them; how many rows of the model changed."""
    tokens = person.mentions()
    if not tokens:
        return 0
    pattern = _pattern(tokens)
    model = apps.get_model(mention.model)
    changed: set[int] = set()
    for table in (model, history_model(model)):
        if table is None:
            continue
        limits = {
            name: getattr(table._meta.get_field(name), "max_length", None)
            for name in mention.fields
        }
        key = table._meta.pk.attname
        candidates = table._default_manager.filter(_mention_filter(mention.fields, tokens))
        for row in candidates.values(key, *mention.fields).iterator():
            new = {name: _scrubbed(row[name], pattern, limits[name]) for name in mention.fields}
            new = {name: value for name, value in new.items() if value != row[name]}
            if not new:
                continue  # the token was part of another word
            table._default_manager.filter(**{key: row[key]}).update(**new)
            if table is model:
                changed.add(row[key])
    if changed and mention.refresh is not None:
        mention.refresh(sorted(changed))
    return len(changed)


class ErasureRefused(Exception):
    """Erasure cannot be done as asked, with the reason for a person to read."""


@transaction.atomic
def erase(person: Person, *, by: User | None, self_service: bool = False) -> ErasureLog:
    """Apply every holding's rule to the person's records, then clean the free texts.

    The log holds the counts per holding and who did it (SKEW staff, or the person
    themself), not whom it was about.
    """
    from .models import ErasureLog, ErasureRequest, ErasureRequestStatus  # apps loaded first

    if not person.email and not person.names:
        raise ErasureRefused(_("Ohne E-Mail-Adresse oder Namen ist niemand gemeint."))
    if person.user is not None:
        # One erasure of an account at a time: a second submit waits, then finds little.
        type(person.user)._default_manager.select_for_update().filter(pk=person.user.pk).first()
    now = timezone.now()
    counts: dict[str, dict[str, Any]] = {}

    def apply(holding: Holding) -> None:
        queryset = holding.find(person)
        count = queryset.count()
        if not count:
            return
        if holding.erase is not None:
            holding.erase(queryset, person, now)
        elif holding.action == Action.DELETE:
            delete(queryset)
        counts[holding.key] = {"action": holding.action.value, "count": count}

    ordered = sorted(holdings(), key=lambda h: h.order)
    for holding in (h for h in ordered if h.order < LATE):
        apply(holding)
    # The texts before what is made from them (the reports' files, order LATE and on).
    for mention in all_mentions():
        count = scrub(mention, person)
        if count:
            counts[mention.key] = {"action": Action.KEEP.value, "count": count}
    for holding in (h for h in ordered if h.order >= LATE):
        apply(holding)
    log = ErasureLog.objects.create(done_by=by, self_service=self_service, counts=counts)
    # A request of the person's that waited is answered by this erasure.
    ErasureRequest.objects.filter(user=person.user, status=ErasureRequestStatus.OPEN).update(
        status=ErasureRequestStatus.DONE, decided_at=now, log=log
    )
    return log


# --- Asked for by the person (/accounts/data/) ---------------------------------------------


def erasure_request(*, user: User) -> ErasureRequest | ErasureLog:
    """The person asks for their account and data to be deleted.

    Where `Preview.erased_at_once`, the erasure runs now (the log is returned). Otherwise
    a request waits for SKEW (returned, the same one on a second submit) and the team is
    told; SKEW confirms it with `erasure_request_carry_out`.
    """
    from .emails import send_templated_email  # emails render templates of the apps
    from .models import ErasureRequest, ErasureRequestStatus, User

    with transaction.atomic():
        # The account's row, locked: two submits at once make one request.
        locked = User.objects.select_for_update().get(pk=user.pk)
        waiting = ErasureRequest.objects.filter(user=locked, status=ErasureRequestStatus.OPEN)
        if found := waiting.first():
            return found
        # By address and account only: a name anyone can take finds nothing of others'.
        person = person_by_email(locked.email, by_name=False)
        if preview(person).erased_at_once(locked):
            return erase(person, by=locked, self_service=True)
        try:
            with transaction.atomic():
                request = ErasureRequest.objects.create(user=locked)
        except IntegrityError:  # where rows cannot be locked (SQLite), the constraint holds
            return ErasureRequest.objects.get(user=locked, status=ErasureRequestStatus.OPEN)

        send_templated_email(
            to=[settings.SKEW_TEAM_EMAIL],
            template="erasure_requested",
            context={"request": request},
        )
        return request


def erasure_request_withdraw(*, request: ErasureRequest) -> None:
    from .models import ErasureRequest, ErasureRequestStatus

    ErasureRequest.objects.filter(pk=request.pk, status=ErasureRequestStatus.OPEN).update(
        status=ErasureRequestStatus.WITHDRAWN, decided_at=timezone.now()
    )


@transaction.atomic
def erasure_request_carry_out(*, request: ErasureRequest, by: User) -> ErasureLog:
    """SKEW confirms a person's request: the erasure runs, and the person is told, at the
    address they had, what stays and why (the text of that email goes once it is sent)."""
    from .emails import send_templated_email  # emails render templates of the apps
    from .models import ErasureRequest, ErasureRequestStatus

    locked = ErasureRequest.objects.select_for_update().select_related("user").get(pk=request.pk)
    if locked.status != ErasureRequestStatus.OPEN:
        raise ErasureRefused(_("Dieser Löschantrag ist schon erledigt."))
    user = locked.user
    address, language = user.email, user.language
    person = person_by_email(address)
    kept = preview(person).kept
    log = erase(person, by=by)
    send_templated_email(
        to=[address],
        template="erasure_done",
        context={"kept": kept},
        language=language,
        secret=True,
    )
    locked.status = ErasureRequestStatus.DONE
    locked.decided_at = timezone.now()
    locked.log = log
    locked.save(update_fields=["status", "decided_at", "log"])
    return log
