"""Every form of the portal under hostile input: never a 5xx, never anything half-saved.

Every form starts from a payload it accepts (checked first). Then every field gets every
value of HOSTILE and raw invalid UTF-8, is left out, and is sent twice; an upload field
gets each file of `uploads()`; an empty and a garbage body come last. Whatever comes
back must be below 500, no on-commit task (the emails) may fail, and an answer that is
not a success (a redirect without an error message) must leave every table of the
portal as it was. The GET forms (the directory and its filters, the map, the
statistics, the events, the calendar, the searches of advisors and of the admin's
lists) get the same values in their query parameters.

Each (field, value) alone would be thousands of requests, most of them re-rendering a
refused form. So the values go in rounds (`Fuzzer.rounds`): first every field hostile at
once, in rotation, which runs each field's own checks with each value; then the values
the forms did not refuse, again together, with every other field valid, which takes them
past validation to the saves and the emails. A request that goes wrong is sent again in
parts until the field is found; a problem names the form, the field and the value, and
for an exception the last line of the portal's own code in its traceback (and the
innermost line, when that is Django's). A test reports all of its problems at once.
"""

import functools
import hashlib
import re
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django import forms
from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.forms.forms import BaseForm
from django.http import HttpResponse
from django.template.base import Template
from django.test.utils import _TestState
from django.urls import reverse
from django.utils import timezone
from django_countries import countries_context

from actors.forms import form_stamp
from actors.models import Organisation, ResearchFinding
from engagements.enums import EntryStatus, RequestStatus
from engagements.models import Department
from outcomes.follow_up import token_for
from recruitment.services import MANAGE_SALT
from recruitment.services import token_for as application_token
from surveys.services import answer_token as survey_answer_token
from tests.actors.factories import (
    ConsentWordingFactory,
    ContactPersonFactory,
    FieldOfActionFactory,
    OrganisationFactory,
    PublicationConsentFactory,
    ResearchFindingFactory,
)
from tests.advisors.factories import (
    AdvisorFactory,
    LanguageFactory,
    PartnerOrganisationFactory,
    PoolFactory,
    PoolMembershipFactory,
)
from tests.core.factories import StaffFactory, UserFactory
from tests.engagements.factories import (
    ConsultationRequestFactory,
    CostCorrectionFactory,
    DepartmentFactory,
    EngagementAdvisorFactory,
    EngagementFactory,
    ExpenseFactory,
    FeeRateFactory,
    MilestoneFactory,
    MunicipalityFactory,
    MunicipalOfficerFactory,
    TimeEntryFactory,
)
from tests.events.factories import EventFactory, EventSessionFactory, RegistrationFactory
from tests.outcomes.factories import ActionOptionFactory, FollowUpFactory
from tests.recruitment.factories import ApplicationFactory, CallFactory, CriterionFactory
from tests.surveys.factories import (
    InvitationFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
)
from tests.workspace.conftest import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

# --- The hostile values ---------------------------------------------------------------

LONG_EMAIL = "a" * 250 + "@" + "b" * 250 + ".example.org"

HOSTILE: list[tuple[str, str]] = [
    ("10,000 characters", "x" * 10_000),
    ("NUL byte", "a\x00b"),
    ("SQL", "' OR 1=1 --"),
    ("LIKE metacharacters", "%_\\"),
    ("-1", "-1"),
    ("zero", "0"),
    ("huge negative number", "-99999999999999999999"),
    ("1e309", "1e309"),
    ("NaN", "NaN"),
    ("year 1", "0001-01-01"),
    ("year 9999", "9999-12-31"),
    ("31 February", "31.02.2026"),
    ("empty", ""),
    ("whitespace only", " \t\r\n "),
    ("script", "<script>alert(1)</script>"),
    ("very long email", LONG_EMAIL),
]
# Sent as raw bytes in the body or the query string: no browser sends them, a script may.
INVALID_UTF8: list[tuple[str, bytes]] = [("invalid UTF-8", b"\xff\xfe")]
# A field sent twice: its valid value, then this one (the one Django reads).
SECOND_VALUE = "2"

RECEIPT_LIMIT = 4096  # MIGLOBE_RECEIPT_MAX_BYTES in these tests
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00"


def uploads() -> list[tuple[str, SimpleUploadedFile]]:
    """Hostile files, new for each use (an upload is read, and a file once read is spent)."""
    pdf = pdf_bytes()
    return [
        ("executable renamed .pdf", SimpleUploadedFile("beleg.pdf", EXECUTABLE, "application/pdf")),
        ("executable renamed .png", SimpleUploadedFile("beleg.png", EXECUTABLE, "image/png")),
        ("empty file", SimpleUploadedFile("beleg.pdf", b"", "application/pdf")),
        (
            "oversized file",
            SimpleUploadedFile(
                "beleg.png", png_bytes() + b"\x00" * (2 * RECEIPT_LIMIT), "image/png"
            ),
        ),
        (
            "10,000-character file name",
            SimpleUploadedFile("x" * 10_000 + ".pdf", pdf, "application/pdf"),
        ),
        ("path as file name", SimpleUploadedFile("../../../../etc/passwd.pdf", pdf, "text/plain")),
        ("NUL in the file name", SimpleUploadedFile("beleg\x00.pdf", pdf, "application/pdf")),
        ("script as file name", SimpleUploadedFile("<script>.pdf", pdf, "application/pdf")),
    ]


@pytest.fixture(autouse=True)
def _hostile_settings(settings):
    # The per-address limits of the public forms and of allauth would answer 429 after a
    # few requests; the forms behind them are what is tested here.
    settings.MIGLOBE_SUGGESTION_RATE = "100000/h"
    settings.MIGLOBE_REGISTRATION_RATE = "100000/h"
    settings.ACCOUNT_RATE_LIMITS = False
    settings.MIGLOBE_RECEIPT_MAX_BYTES = RECEIPT_LIMIT


@pytest.fixture(autouse=True)
def _few_countries():
    # Every page with a choice of countries renders some 250 options: most of the time
    # these tests spend. A few countries keep the same fields and checks, much faster.
    with countries_context(only=["DE", "GH", "IQ", "MA", "SN", "SY", "TG", "TR"]):
        yield


# --- What a refused request must leave alone: every table of the portal ---------------

WATCHED_APPS = {
    "core",
    "advisors",
    "engagements",
    "actors",
    "events",
    "outcomes",
    "recruitment",
    "surveys",
    "account",
    "admin",
}


@functools.cache
def _watched_tables() -> list[str]:
    models = apps.get_models(include_auto_created=True)
    return sorted({m._meta.db_table for m in models if m._meta.app_label in WATCHED_APPS})


WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def writes_to_watched_table(sql: str) -> bool:
    match = WRITE.match(sql)
    return bool(match) and match.group(1) in _watched_tables()


def database_state() -> dict[str, str]:
    """A digest of every row of every watched table, by table (the names are the models')."""
    tables = _watched_tables()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one query for all tables
            digest = (
                "(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM %s t)"
            )
            cursor.execute("SELECT " + ", ".join(digest % quote(table) for table in tables))
            return dict(zip(tables, cursor.fetchone(), strict=True))
        state = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            state[table] = hashlib.md5("|".join(rows).encode()).hexdigest()  # noqa: S324
        return state


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [table for table in before if before[table] != after.get(table)]


# --- Telling an exception's origin ------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def _shown_frame(frame: traceback.FrameSummary) -> str:
    path = frame.filename
    for root in (str(ROOT / ".venv"), str(ROOT)):
        if path.startswith(root):
            path = re.sub(r"^/lib/python[\d.]+/site-packages", "", path[len(root) :]).lstrip("/")
            break
    return f"{path}:{frame.lineno} in {frame.name}: {frame.line}"


def app_line(tb) -> str:
    """The last line of the portal's own code (not a library's, not a test's) in a traceback;
    without one, the innermost line outside the database layer (in Django, say)."""
    frames = traceback.extract_tb(tb)
    ours = [
        frame
        for frame in frames
        if frame.filename.startswith(str(ROOT))
        and "/.venv/" not in frame.filename
        and not frame.filename.startswith(str(ROOT / "tests"))
    ]
    if ours:
        return _shown_frame(ours[-1])
    outside = [
        f
        for f in frames
        if not re.search(r"/django/db/|/psycopg/", f.filename)
        and not f.filename.startswith(str(ROOT / "tests"))
    ]
    if not outside:
        return "no line of the portal's code"
    return f"no line of the portal's code; {_shown_frame(outside[-1])}"


def describe(error: BaseException) -> str:
    message = str(error).replace("\n", " ")
    if len(message) > 200:
        message = message[:200] + "…"
    return f"{type(error).__name__}: {message} [{app_line(error.__traceback__)}]"


# --- Success -------------------------------------------------------------------------------


def error_messages(response: HttpResponse) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level >= message_levels.ERROR]


def redirected(response: HttpResponse) -> bool:
    """A success: a redirect that is not to a login and carries no error message."""
    if response.status_code not in (301, 302, 303):
        return False
    location = response.get("Location", "")
    if "/accounts/login" in location or "/reauthenticate" in location:
        return False
    return not error_messages(response)


def redirected_to(path: str) -> Callable[[HttpResponse], bool]:
    def check(response: HttpResponse) -> bool:
        return redirected(response) and urlsplit(response["Location"]).path == path

    return check


# --- The values a field is given, as changes of its valid values ----------------------------

Payload = dict[str, list]  # a field's values: str, or bytes for raw invalid UTF-8


@dataclass(frozen=True)
class Value:
    label: str
    make: Callable[[list], list | None]  # the valid values -> what is sent (None: left out)


def _constant(value: str | bytes) -> Callable[[list], list]:
    return lambda valid: [value]


VALUES: list[Value] = [
    *(Value(label, _constant(value)) for label, value in HOSTILE),
    *(Value(label, _constant(raw)) for label, raw in INVALID_UTF8),
    Value("left out", lambda valid: None),
    Value(f"sent twice, then {SECOND_VALUE!r}", lambda valid: [*(valid or [""]), SECOND_VALUE]),
]
# A NUL byte anywhere answers 400 before any view (core.middleware): in a row with other
# hostile fields it would hide them, so it has a request of its own (in every field).
NUL = next(value for value in VALUES if "\x00" in (value.make([]) or [""])[0])
LEFT_OUT = next(value for value in VALUES if value.label == "left out")
ROTATED = [value for value in VALUES if value is not NUL]


def changed(data: Payload, changes: dict[str, Value]) -> Payload:
    result = dict(data)
    for name, value in changes.items():
        values = value.make(data.get(name, []))
        if values is None:
            result.pop(name, None)
        else:
            result[name] = values
    return result


# The counts of a formset: a hostile one stops all of its forms from being read.
MANAGEMENT = re.compile(r"^(.+)-(TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS)$")


def masks_rows(name: str, names: list[str]) -> bool:
    """Whether `name` is a count of a formset that has forms among `names`."""
    match = MANAGEMENT.match(name)
    rows = re.compile(re.escape(match.group(1)) + r"-\d+-") if match else None
    return rows is not None and any(rows.match(other) for other in names)


def group_of(name: str) -> str:
    """Fields read together: a formset's counts, the parts of a date and time (name_0, _1).
    A hostile one hides the others, so in round 2 no row holds two of one group."""
    match = MANAGEMENT.match(name)
    if match:
        return f"{match.group(1)}-counts"
    return re.sub(r"_\d+$", "", name)


def parses_as_part(name: str, value: list | None) -> bool:
    """Whether a value sent as the date (_0) or time (_1) part of a date and time would be
    read: refused in round 1, it may have been its other, hostile part that was refused,
    so it is sent again alone (a date at the edges with a valid time)."""
    kind = {"_0": forms.DateField, "_1": forms.TimeField}.get(name[-2:])
    if kind is None or not value or not isinstance(value[-1], str):
        return False
    try:
        return kind().to_python(value[-1]) is not None
    except ValidationError:
        return False


def schedule(candidates: dict[str, list[Value]]) -> list[dict[str, Value]]:
    """Rows that hold every (field, value) once, never two fields of one group in a row.
    Each field starts at another row, so that fields do not always meet the same values."""
    rows: list[dict[str, Value]] = [
        {} for _ in range(max(map(len, candidates.values()), default=0))
    ]
    for number, (name, values) in enumerate(candidates.items()):
        at = number
        for value in values:
            for step in range(len(rows) + 1):
                if step == len(rows):
                    rows.append({})
                    at = len(rows) - 1
                    break
                at_row = rows[(at + step) % len(rows)]
                if all(group_of(other) != group_of(name) for other in at_row):
                    at = (at + step) % len(rows)
                    break
            rows[at][name] = value
            at += 1
    return [row for row in rows if row]


def rotation(names: list[str], values: list[Value]) -> Iterator[dict[str, Value]]:
    """As many rows as values; in each every name has another value, and over all rows
    every name has every value."""
    for row in range(len(values)):
        yield {name: values[(row + i) % len(values)] for i, name in enumerate(names)}


def shown(row: dict[str, Value]) -> str:
    return ", ".join(f"{name}={value.label}" for name, value in row.items())


# --- One form, and the requests that fuzz it -----------------------------------------------


@dataclass
class Form:
    name: str
    url: str
    data: Callable[[], Payload]  # a payload the form accepts; a new one for each request
    uploads: Callable[[], dict[str, SimpleUploadedFile]] | None = None  # valid files
    succeeded: Callable[[HttpResponse], bool] = redirected
    headers: dict[str, str] = field(default_factory=dict)
    # Fields checked before the form is (honeypot, signed stamp): they have rows of their
    # own, since their refusal would hide every other field of the request.
    gates: tuple[str, ...] = ()
    fixed: Payload = field(default_factory=dict)  # sent with every request, never changed


def _run_on_commit_from(start: int) -> None:
    """Run the on-commit callbacks (the emails) that the request registered, as a commit would."""
    done = start
    while done < len(connection.run_on_commit):
        _savepoints, callback, _robust = connection.run_on_commit[done]
        done += 1
        callback()


def _encoded(data: Payload) -> bytes:
    return urlencode([(name, value) for name, values in data.items() for value in values]).encode()


class Fuzzer:
    """Sends requests and notes what went wrong: a 5xx, a failed task, a half-save.

    It also notes which fields the forms validated in a request refused, so that a value
    a field refuses need not be sent again with every other field valid (see `fuzz`).
    """

    def __init__(self, client):
        self.client = client
        client.raise_request_exception = False  # a 500 is an answer to note, not to stop at
        self.problems: list[str] = []
        self.refused: dict[str, list[str]] = {}  # html name -> errors, of the last request
        self.validated: set[str] = set()  # html names of the fields validated in it
        self.last_succeeded = False
        self.last_status = 0
        self.wrote = False  # whether the request being sent wrote to a watched table
        self.broken: list[str] = []  # fields not tried further after they went wrong alone
        self.retry: list[tuple[str, Value]] = []  # refused in round 1, maybe for another field
        self.sent = 0

    def note_refusals(self, form) -> None:
        self.validated.update(form.add_prefix(name) for name in form.fields)
        for name, errors in form.errors.items():
            if name != NON_FIELD_ERRORS:
                self.refused[form.add_prefix(name)] = [str(e) for e in errors]

    @staticmethod
    def _sent_as(name: str, fields) -> bool:
        """Whether a field sent as `name` is one of `fields` (a date and time as name_0, _1)."""
        return any(name == html or re.fullmatch(re.escape(html) + r"_\d+", name) for html in fields)

    def was_refused(self, name: str) -> bool:
        """Whether the last request's forms refused the field sent as `name`."""
        return self._sent_as(name, self.refused)

    def attempt(
        self,
        where: str,
        send: Callable[[], HttpResponse],
        *,
        succeeded: Callable[[HttpResponse], bool] | None = None,
    ) -> bool:
        """One request; False if it went wrong. With `succeeded`, a refusal changes nothing.

        Each request runs in a savepoint that is rolled back afterwards, whatever the
        answer: every request meets the same database. A refusal (or a 5xx) that wrote to
        a watched table (an INSERT, UPDATE or DELETE) is judged by the digest of the
        tables before and after that rollback; one that wrote nothing saved nothing.
        """
        self.sent += 1
        self.refused, self.validated = {}, set()
        self.last_succeeded, self.last_status = False, 0
        problems = len(self.problems)
        savepoint = transaction.savepoint()
        callbacks = len(connection.run_on_commit)
        self.wrote = False
        try:
            with connection.execute_wrapper(self._note_write):
                response = send()
                if response.status_code < 500:
                    if response.streaming:
                        b"".join(response.streaming_content)
                    _run_on_commit_from(callbacks)
        except Exception as error:
            self._roll_back(savepoint)
            self.problems.append(f"{where}: {describe(error)}")
            return False
        finally:
            self.client.cookies.pop("messages", None)  # each answer's messages are its own
        self.last_status = response.status_code
        if response.status_code >= 500:
            changes = self._changes(savepoint) if self.wrote else []
            self._roll_back(savepoint)
            cause = describe(response.exc_info[1]) if response.exc_info else "no exception"
            half = f" (and it changed {changes})" if changes else ""
            self.problems.append(f"{where}: answered {response.status_code}{half}: {cause}")
            return False
        self.last_succeeded = succeeded is not None and succeeded(response)
        if succeeded is not None and not self.last_succeeded and self.wrote:
            changes = self._changes(savepoint)
            if changes:
                said = "; ".join(error_messages(response) or self._refusals())
                self.problems.append(
                    f"{where}: refused ({response.status_code}: {said[:300]}) "
                    f"but half-saved: changed {changes}"
                )
        self._roll_back(savepoint)
        return len(self.problems) == problems

    def _note_write(self, execute, sql, params, many, context):
        if not self.wrote and writes_to_watched_table(sql):
            self.wrote = True
        return execute(sql, params, many, context)

    def _changes(self, savepoint) -> list[str]:
        """The watched tables the request changed: their digest now, and rolled back."""
        try:
            after = database_state()
        except DatabaseError:
            return ["unknown: the request left the transaction aborted"]
        finally:
            self._roll_back(savepoint)
        return changed_tables(database_state(), after)

    def _refusals(self) -> list[str]:
        return [f"{name}: {' '.join(errors)}" for name, errors in self.refused.items()]

    @staticmethod
    def _roll_back(savepoint) -> None:
        transaction.savepoint_rollback(savepoint)
        transaction.set_rollback(False)

    # -- POST forms --

    def post(self, form: Form, data: Payload, files: dict | None = None) -> HttpResponse:
        data = {**data, **form.fixed}
        if files:
            return self.client.post(form.url, {**data, **files}, **form.headers)
        return self.client.generic(
            "POST",
            form.url,
            _encoded(data),
            content_type="application/x-www-form-urlencoded",
            **form.headers,
        )

    def send(self, form: Form, where: str, changes: dict[str, Value], upload=None) -> bool:
        def request() -> HttpResponse:
            files = form.uploads() if form.uploads else {}
            files_changed = {k: v for k, v in changes.items() if k in files}
            for name, value in files_changed.items():
                if value.make([]) is None:
                    del files[name]
            if upload is not None:
                files.update(upload)
            return self.post(form, changed(form.data(), changes), files)

        return self.attempt(where, request, succeeded=form.succeeded)

    def check_valid(self, form: Form) -> None:
        """The payload every variant starts from is accepted: else the test proves nothing."""
        responses = []

        def request() -> HttpResponse:
            responses.append(self.post(form, form.data(), form.uploads() if form.uploads else None))
            return responses[-1]

        went_well = self.attempt(f"{form.name} · valid payload", request)
        assert went_well, self.problems[-1]
        response = responses[-1]
        assert form.succeeded(response), (
            f"{form.name}: the valid payload is not accepted: {response.status_code} "
            f"{error_messages(response)} {self._refusals()}"
        )

    def explore(
        self,
        name: str,
        row: dict[str, Value],
        request: Callable[[dict[str, Value], str], tuple[bool, bool]],
        *,
        gates: bool = False,
    ) -> tuple[list[tuple[str, Value]], set[str]]:
        """Send a row of changes; if it went wrong or did not settle, send it in parts.

        `request` sends the row, returns whether it went well, and whether the answer
        settles the row (a success; for round 1 any answer). Returns the changes that no
        form refused in requests that went well, and the fields that went wrong alone.
        Only the smallest rows that went wrong are reported: the field, not the crowd.
        """
        if len(row) == 1:
            ((field, value),) = row.items()
            where = f"{name} · {field} = {value.label}"
        else:
            where = f"{name} · {len(row)} fields at once ({shown(row)})"
        problems = len(self.problems)
        went_well, settled = request(row, where)
        if went_well and settled:
            if self.last_succeeded:
                return [], set()  # these values went all the way already
            # A gate that stopped the request before its form was validated had its say.
            # A date or time part that the other part's refusal may have hidden is retried.
            self.retry += [
                (f, v)
                for f, v in row.items()
                if self.was_refused(f) and parses_as_part(f, v.make(["x"]))
            ]
            return [
                (f, v)
                for f, v in row.items()
                if not self.was_refused(f) and (not gates or self._sent_as(f, self.validated))
            ], set()
        if len(row) == 1:
            return [], set() if went_well else set(row)
        own = self.problems[problems:]
        del self.problems[problems:]
        # The fields the forms refused are the likely cause: they go apart (alone, after a
        # refusal), the rest together. Without that clue, the row is halved.
        refused = [f for f in row if self.was_refused(f)]
        rest = {f: v for f, v in row.items() if f not in refused}
        if not refused or not rest:
            items = list(row.items())
            parts = [dict(items[: len(items) // 2]), dict(items[len(items) // 2 :])]
        elif went_well:
            parts = [rest, *({f: row[f]} for f in refused)]
        else:
            parts = [rest, {f: row[f] for f in refused}]
        passed: list[tuple[str, Value]] = []
        failed: set[str] = set()
        for part in parts:
            more_passed, more_failed = self.explore(name, part, request, gates=gates)
            passed += more_passed
            failed |= more_failed
        if len(self.problems) == problems:
            self.problems += own  # only the whole row goes wrong
        return passed, failed

    def rounds(
        self,
        name: str,
        fields: list[str],
        request: Callable[[dict[str, Value], str], bool],
        settles: Callable[[], bool],
        gates: list[str] = (),
        known: dict[str, list[Value]] | None = None,
    ) -> dict[str, list[Value]]:
        """1. Every field hostile at once, in rotation, until every field had every value:
        a field's own checks run whatever the other fields hold, so a value that its field
        refused there has had its say. 2. The values no field refused, together again
        (`schedule`), every other field valid: these pass validation and reach the saves
        and the emails.
        A field that goes wrong alone is left out of later rows (its first failure is
        reported), so that it does not make every row go wrong. Gates (fields whose
        refusal stops the rest of the request from being read: a honeypot, a signed
        stamp, the counts of an inline formset) have rows of their own in round 1.
        What round 1 found for a field of the same form on another page can be passed as
        `known` (the values it accepted): the field then skips round 1.
        Returns the values each field accepted in round 1.
        """
        known = known or {}
        accepted = {field: list(known.get(field, [])) for field in [*fields, *gates]}
        broken: set[str] = set()
        self.retry = []

        def round_one(row: dict[str, Value], where: str) -> tuple[bool, bool]:
            return request(row, where), True

        def round_two(row: dict[str, Value], where: str) -> tuple[bool, bool]:
            went_well = request(row, where)
            return went_well, went_well and settles()

        for group, are_gates in [(fields, False), (gates, True)]:
            group = [field for field in group if field not in known]
            for row in rotation(group, ROTATED) if group else []:
                row = {field: value for field, value in row.items() if field not in broken}
                if row:
                    passed, failed = self.explore(name, row, round_one, gates=are_gates)
                    broken |= failed
                    for field, value in passed:
                        accepted[field].append(value)
        for row in schedule({f: values for f, values in accepted.items() if f not in broken}):
            row = {field: value for field, value in row.items() if field not in broken}
            if row:
                broken |= self.explore(name, row, round_two)[1]
        for field, value in self.retry:
            if field not in broken:
                broken |= self.explore(name, {field: value}, round_two)[1]
        self.broken += [f"{name} · {field}" for field in sorted(broken)]
        return accepted

    def fuzz(self, form: Form, known: dict[str, list[Value]] | None = None) -> dict:
        """Every value in every field (see `rounds`); then a NUL byte in every field (it
        answers 400 before any view: in a row it would hide the other fields), each
        hostile upload, an empty and a garbage body. Returns what round 1 found."""
        self.check_valid(form)
        names = list(form.data())
        gates = [name for name in names if name in form.gates or masks_rows(name, names)]
        fields = [name for name in names if name not in gates]

        def request(row: dict[str, Value], where: str) -> bool:
            return self.send(form, where, row)

        found = self.rounds(form.name, fields, request, lambda: self.last_succeeded, gates, known)
        self.send(form, f"{form.name} · every field = NUL byte", dict.fromkeys(names, NUL))
        for name in form.uploads() if form.uploads else []:
            for label, upload in uploads():
                self.send(form, f"{form.name} · {name} = {label}", {}, upload={name: upload})
            self.send(form, f"{form.name} · {name} = left out", {name: LEFT_OUT})
        for label, body in [("empty body", b""), ("garbage body", b"\xff=\xfe&&=&%ZZ=%&a=%00")]:
            self.attempt(
                f"{form.name} · {label}",
                lambda body=body: self.client.generic(
                    "POST",
                    form.url,
                    body,
                    content_type="application/x-www-form-urlencoded",
                    **form.headers,
                ),
                succeeded=form.succeeded,
            )
        return found

    # -- GET forms --

    def get(self, url: str, params: Payload) -> HttpResponse:
        return self.client.get(url, QUERY_STRING=_encoded(params).decode())

    def fuzz_get(
        self,
        name: str,
        url: str,
        params: Payload,
        *,
        forms: bool = True,
        alone: tuple = (),
        known: dict[str, list[Value]] | None = None,
    ) -> dict[str, list[Value]]:
        """Every value in every query parameter, in the rounds of `fuzz`; an answer other
        than 200 (a redirect, a 400, a 404) does not settle a row of round 2.

        A page whose parameters no form reads (`forms=False`: the admin's lists) learns
        nothing from a row about which value was refused, so it has round 1 only; the
        parameters in `alone` get each value alone as well, every other parameter valid.
        """
        went_well = self.attempt(f"{name} · valid query", lambda: self.get(url, params))
        assert went_well, self.problems[-1]
        assert self.last_status == 200, f"{name}: the valid query answers {self.last_status}"

        def request(row: dict[str, Value], where: str) -> bool:
            return self.attempt(where, lambda: self.get(url, changed(params, row)))

        found: dict[str, list[Value]] = {}
        if forms:
            found = self.rounds(
                name, list(params), request, lambda: self.last_status == 200, known=known
            )
        else:
            for row in rotation([p for p in params if p not in alone], ROTATED):
                self.explore(name, row, lambda row, where: (request(row, where), True))
        for param in alone:
            for value in ROTATED:
                request({param: value}, f"{name} · {param} = {value.label}")
        unknown = {"an unknown parameter": Value("SQL", _constant("' OR 1=1 --"))}
        request(unknown, f"{name} · an unknown parameter")
        request(dict.fromkeys(params, NUL), f"{name} · every parameter = NUL byte")
        return found

    def assert_no_problems(self) -> None:
        assert not self.problems, (
            f"{len(self.problems)} of {self.sent} requests went wrong:\n"
            + "\n".join(self.problems)
            + (
                "\nNot tried further after their first failure: " + ", ".join(self.broken)
                if self.broken
                else ""
            )
        )


@pytest.fixture
def fuzzer(client, monkeypatch):
    fuzzer = Fuzzer(client)
    full_clean = BaseForm.full_clean

    def noting_full_clean(form) -> None:
        full_clean(form)
        if form.is_bound:
            fuzzer.note_refusals(form)

    monkeypatch.setattr(BaseForm, "full_clean", noting_full_clean)
    # The test client records every template rendered with a copy of its context, which
    # triples the cost of a form page; nothing here reads them.
    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)
    return fuzzer


def one(value) -> list[str]:
    return [str(value)]


# --- The cast -------------------------------------------------------------------------------


def published(**kwargs) -> Organisation:
    organisation = OrganisationFactory(**kwargs)
    PublicationConsentFactory(organisation=organisation)
    return organisation


def soon(days: int = 14):
    return timezone.now().replace(hour=15, minute=0, second=0, microsecond=0) + timedelta(days=days)


@pytest.fixture
def town():
    """A town with a published organisation, an upcoming public event and its workshops."""
    municipality = MunicipalityFactory(name="Eschweiler", community_countries=["GH", "MA"])
    field_of_action = FieldOfActionFactory(slug="bildung", name_de="Bildung")
    organisation = published(
        name="Ghanaische Union Eschweiler e. V.",
        municipality=municipality,
        countries_of_origin=["GH"],
        countries_of_activity=["TG"],
    )
    organisation.fields_of_action.set([field_of_action])
    event = EventFactory(
        title="Vernetzungstreffen Eschweiler",
        municipality=municipality,
        starts_at=soon(),
        ends_at=soon() + timedelta(hours=4),
        capacity=100,
    )
    morning = EventSessionFactory(
        event=event, starts_at=event.starts_at, ends_at=event.starts_at + timedelta(hours=1)
    )
    EventSessionFactory(
        event=event,
        starts_at=event.starts_at + timedelta(hours=2),
        ends_at=event.starts_at + timedelta(hours=3),
    )
    return {
        "municipality": municipality,
        "field": field_of_action,
        "organisation": organisation,
        "event": event,
        "session": morning,
    }


@pytest.fixture
def officer(town):
    return MunicipalOfficerFactory(
        user=UserFactory(email="officer@eschweiler.example.org", name="Petra Beispiel"),
        municipality=town["municipality"],
        confirmed_at=timezone.now(),
    )


@pytest.fixture
def engagement(town):
    pool = PoolFactory(federal_state="NW")
    FeeRateFactory(pool=pool, valid_from=date(2013, 1, 1), hourly_rate=Decimal("45"))
    return EngagementFactory(
        title="Beratungseinsatz Eschweiler",
        municipality=town["municipality"],
        pool=pool,
        starts_on=date(2019, 10, 1),
        ends_on=date(2020, 12, 31),
        budget=Decimal("1000.00"),
    )


@pytest.fixture
def advisor(engagement):
    advisor = AdvisorFactory(user=UserFactory(email="advisor@example.org", name="Mamadou B."))
    EngagementAdvisorFactory(engagement=engagement, advisor=advisor, slot=1)
    return advisor


@pytest.fixture
def logged_in(client, log_in):
    """Log the fuzzing client in as `user`, with a fresh login (admin saves ask for one)."""
    return lambda user: log_in(client, user)


# --- The POST forms outside the admin ----------------------------------------------------
# Each builder gets pytest's `request` (for fixtures) and the client, and returns the Form.

# name -> builders of forms that share one form class: the first one's round 1 stands for
# the others, which go through round 2 (their own paths past validation).
POST_FORMS: dict[str, list[Callable]] = {}


def post_form(name: str):
    def register(builder):
        POST_FORMS.setdefault(name, []).append(builder)
        return builder

    return register


@post_form("public: directory suggestion")
def suggestion_form(request, client) -> Form:
    town = request.getfixturevalue("town")
    wording = ConsentWordingFactory(
        version="fuzz-1", valid_from=timezone.localdate() - timedelta(days=10)
    )

    def data() -> Payload:
        return {
            "name": one("Ghanaischer Kulturverein Bonn e. V."),
            "kind": one("migrant_org"),
            "municipality": one(town["municipality"].pk),
            "website": one("https://ghana-bonn.example.org"),
            "description": one("Bildungsarbeit in Bonn und Schulprojekte in Ghana."),
            "scope": one("regional"),
            "fields_of_action": one(town["field"].pk),
            "countries_of_origin": one("GH"),
            "countries_of_activity": ["GH", "TG"],
            "submitter_name": one("Ama Mensah"),
            "submitter_email": one("ama@example.org"),
            "submitter_role": one("Vorsitzende"),
            "message": one("Wir freuen uns auf den Eintrag."),
            "consent": one("on"),
            "stamp": one(form_stamp(wording_id=wording.pk, issued_at=time.time() - 10)),
            "homepage": one(""),
        }

    return Form(
        "directory suggestion",
        reverse("actors:suggest"),
        data,
        succeeded=redirected_to(reverse("actors:suggestion_done")),
        headers={"REMOTE_ADDR": "203.0.113.10"},
        gates=("homepage", "stamp"),
    )


@post_form("public: event registration")
def registration_form(request, client) -> Form:
    town = request.getfixturevalue("town")
    event = town["event"]

    def data() -> Payload:
        return {
            "name": one("Aminata Beispiel"),
            "email": one("aminata@example.org"),
            "organisation": one(town["organisation"].pk),
            "organisation_name": one(""),
            "category": one("migrant_org"),
            "sessions": one(town["session"].pk),
            "needs": one("Verdolmetschung ins Französische"),
            "listed": one("on"),
            "fax": one(""),
        }

    return Form(
        "event registration",
        reverse("events:register", args=[event.pk]),
        data,
        succeeded=redirected_to(reverse("events:register_sent", args=[event.pk])),
        headers={"REMOTE_ADDR": "203.0.113.11"},
        gates=("fax",),
    )


@post_form("public: sign-up")
def signup_form(request, client) -> Form:
    town = request.getfixturevalue("town")
    password = "Ein-langes-Passwort-2026"

    def data() -> Payload:
        return {
            "name": one("Neue Ansprechperson"),
            "email": one("neu@eschweiler.example.org"),
            "municipality": one(town["municipality"].pk),
            "other_municipality": one(""),
            "other_federal_state": one(""),
            "role": one("Integrationsbeauftragte"),
            "password1": one(password),
            "password2": one(password),
        }

    return Form("sign-up", reverse("account_signup"), data)


@post_form("public: login")
def login_form(request, client) -> Form:
    user = UserFactory(email="login@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    def data() -> Payload:
        return {
            "login": one(user.email),
            "password": one("geheim-passwort-123"),
            "remember": one("on"),
        }

    return Form("login", reverse("account_login"), data)


def _request_payload(town, department, language, **overrides) -> Payload:
    data = {
        "form_token": one(uuid.uuid4()),
        "goals": one("Migrantische Akteure in die Eine-Welt-Arbeit einbinden."),
        "need": one("Recherche der Akteure und ein Vernetzungstreffen."),
        "topics": one(town["field"].pk),
        "departments": one(department.pk),
        "has_integration_centre": one("on"),
        "community_languages": one(language.pk),
        "contact_name": one("Petra Beispiel"),
        "contact_email": one("petra@eschweiler.example.org"),
        "contact_phone": one("02403 000"),
        "preferred_start": one("2027-01-01"),
        "preferred_end": one("2027-06-30"),
        "costs_confirmed": one("on"),
        "newdept-TOTAL_FORMS": one(2),
        "newdept-INITIAL_FORMS": one(0),
        "newdept-MIN_NUM_FORMS": one(0),
        "newdept-MAX_NUM_FORMS": one(10),
        "newdept-0-number": one("501"),
        "newdept-0-name": one("Schule und Bildung"),
        "newdept-1-number": one(""),
        "newdept-1-name": one(""),
        "action": one("draft"),
    }
    data.update(overrides)
    return data


def _officer_cast(request):
    town = request.getfixturevalue("town")
    officer = request.getfixturevalue("officer")
    request.getfixturevalue("logged_in")(officer.user)
    department = Department.objects.get_or_create(
        municipality=town["municipality"], number="231", defaults={"name": "Integration"}
    )[0]
    language = LanguageFactory(code="tw", name_de="Twi")
    return town, officer, department, language


def _draft_kept(response: HttpResponse) -> bool:
    """Sending an incomplete request keeps it as a draft and says so: drafts may be incomplete."""
    return redirected(response) or any(
        "Entwurf ist gespeichert" in str(m) for m in get_messages(response.wsgi_request)
    )


@post_form("officer: request (new draft, new and submitted, edit)")
def request_draft_form(request, client) -> Form:
    town, _officer, department, language = _officer_cast(request)
    return Form(
        "new request (draft)",
        reverse("engagements:request_create"),
        lambda: _request_payload(town, department, language),
    )


@post_form("officer: request (new draft, new and submitted, edit)")
def request_submit_form(request, client) -> Form:
    town, _officer, department, language = _officer_cast(request)
    return Form(
        "new request (submit)",
        reverse("engagements:request_create"),
        lambda: _request_payload(town, department, language, action=one("submit")),
        succeeded=_draft_kept,
    )


@post_form("officer: request (new draft, new and submitted, edit)")
def request_edit_form(request, client) -> Form:
    town, officer, department, language = _officer_cast(request)
    draft = ConsultationRequestFactory(
        municipality=town["municipality"], created_by=officer.user, costs_confirmed=True
    )
    return Form(
        "request edit",
        reverse("engagements:request_edit", args=[draft.pk]),
        lambda: _request_payload(town, department, language, form_token=one("")),
    )


@post_form("officer: request message")
def request_message_form(request, client) -> Form:
    town, officer, _department, _language = _officer_cast(request)
    draft = ConsultationRequestFactory(municipality=town["municipality"], created_by=officer.user)
    return Form(
        "request message",
        reverse("engagements:request_message", args=[draft.pk]),
        lambda: {
            "body": one("Ab wann wäre ein Einsatz möglich?"),
            "form_token": one(uuid.uuid4()),
        },
    )


@post_form("officer: request withdrawal")
def request_withdraw_form(request, client) -> Form:
    town, officer, _department, _language = _officer_cast(request)
    submitted = ConsultationRequestFactory(
        municipality=town["municipality"],
        created_by=officer.user,
        status=RequestStatus.SUBMITTED,
        submitted_at=timezone.now(),
        costs_confirmed=True,
    )

    return Form(
        "request withdrawal",
        reverse("engagements:request_withdraw", args=[submitted.pk]),
        lambda: {"reason": one("Der Rat hat den Haushalt noch nicht beschlossen.")},
    )


def _advisor_cast(request):
    engagement = request.getfixturevalue("engagement")
    advisor = request.getfixturevalue("advisor")
    request.getfixturevalue("logged_in")(advisor.user)
    return engagement, advisor


@post_form("advisor: profile")
def profile_form(request, client) -> Form:
    town = request.getfixturevalue("town")
    _engagement, _advisor = _advisor_cast(request)
    language = LanguageFactory(code="tw", name_de="Twi")
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    return Form(
        "advisor profile",
        reverse("advisors:profile"),
        lambda: {
            "availability": one("limited"),
            "available_from": one(later),
            "home_municipality": one(town["municipality"].pk),
            "countries_of_origin": ["GH", "TG"],
            "languages": one(language.pk),
            "expertise": one(town["field"].pk),
            "expertise_notes": one("Fairer Handel, Schulpartnerschaften"),
            "phone": one("0151 000000"),
            "email_language": one("en"),
        },
    )


def _entry_payload(engagement) -> Payload:
    return {
        "engagement": one(engagement.pk),
        "date": one("2020-05-04"),
        "hours": one("3.5"),
        "activity": one("Gespräch mit dem Integrationsrat"),
        "description": one("Vorbereitung des Vernetzungstreffens"),
        "action": one("draft"),
    }


def _expense_payload(engagement) -> Payload:
    return {
        "engagement": one(engagement.pk),
        "date": one("2020-05-04"),
        "category": one("travel"),
        "amount": one("23.40"),
        "description": one("Bahnfahrt Aachen–Eschweiler"),
        "action": one("draft"),
    }


def _receipt() -> dict[str, SimpleUploadedFile]:
    return {"receipt": SimpleUploadedFile("beleg.png", png_bytes(), "image/png")}


@post_form("advisor: time entry (new, edit)")
def time_entry_form(request, client) -> Form:
    engagement, _advisor = _advisor_cast(request)
    return Form(
        "new time entry",
        reverse("workspace:entry_create", args=["time"]),
        lambda: _entry_payload(engagement),
    )


@post_form("advisor: time entry (new, edit)")
def time_entry_edit_form(request, client) -> Form:
    engagement, advisor = _advisor_cast(request)
    entry = TimeEntryFactory(engagement=engagement, advisor=advisor, status=EntryStatus.DRAFT)
    return Form(
        "time entry edit",
        reverse("workspace:entry_edit", args=["time", entry.pk]),
        lambda: _entry_payload(engagement),
    )


@post_form("advisor: expense (new, edit)")
def expense_form(request, client) -> Form:
    engagement, _advisor = _advisor_cast(request)
    return Form(
        "new expense",
        reverse("workspace:entry_create", args=["expense"]),
        lambda: _expense_payload(engagement),
        uploads=_receipt,
    )


@post_form("advisor: expense (new, edit)")
def expense_edit_form(request, client) -> Form:
    engagement, advisor = _advisor_cast(request)
    expense = ExpenseFactory(engagement=engagement, advisor=advisor, status=EntryStatus.DRAFT)
    return Form(
        "expense edit",
        reverse("workspace:entry_edit", args=["expense", expense.pk]),
        lambda: _expense_payload(engagement),
        uploads=_receipt,
    )


@post_form("advisor: new research finding")
def finding_form(request, client) -> Form:
    town = request.getfixturevalue("town")
    engagement, _advisor = _advisor_cast(request)
    return Form(
        "new research finding",
        reverse("workspace:finding_create", args=[engagement.pk]),
        lambda: {
            "name": one("Kurdischer Elternverein"),
            "kind": one("migrant_org"),
            "scope": one("local"),
            "fields_of_action": one(town["field"].pk),
            "countries_of_origin": one("IQ"),
            "countries_of_activity": one("SY"),
            "website": one("https://eltern.example.org"),
            "description": one("Hausaufgabenhilfe und Elterncafé"),
            "organisation": one(""),
            "create_new": one(""),
            "contact_name": one("Ama Beispiel"),
            "contact_role": one("Vorstand"),
            "contact_email": one("ama@eltern.example.org"),
            "contact_phone": one("02403 111"),
            "source": one("conversation"),
            "found_on": one("2020-02-01"),
            "notes": one("Treffen jeden ersten Sonntag"),
        },
    )


@post_form("advisor: milestone done")
def milestone_form(request, client) -> Form:
    engagement, _advisor = _advisor_cast(request)
    milestone = MilestoneFactory(engagement=engagement, due_on=date(2020, 6, 30))
    return Form(
        "milestone done",
        reverse("workspace:milestone_done", args=[engagement.pk, milestone.pk]),
        lambda: {"done_on": one("2020-06-15"), "note": one("Liste mit 23 Akteuren übergeben")},
    )


@post_form("advisor: milestone move")
def milestone_move_form(request, client) -> Form:
    engagement, _advisor = _advisor_cast(request)
    milestone = MilestoneFactory(engagement=engagement, due_on=date(2020, 6, 30))
    return Form(
        "milestone move",
        reverse("workspace:milestone_move", args=[engagement.pk, milestone.pk]),
        lambda: {"due_on": one("2020-09-30"), "reason": one("Der Ausschuss tagt später.")},
    )


@post_form("advisor: action option (new, edit)")
def option_new_form(request, client) -> Form:
    engagement, _advisor = _advisor_cast(request)
    return _option_form(request, engagement, reverse("outcomes:option_new", args=[engagement.pk]))


@post_form("advisor: action option (new, edit)")
def option_edit_form(request, client) -> Form:
    engagement, _advisor = _advisor_cast(request)
    option = ActionOptionFactory(engagement=engagement)
    url = reverse("outcomes:option_edit", args=[engagement.pk, option.pk])
    return _option_form(request, engagement, url)


def _option_form(request, engagement, url: str) -> Form:
    town = request.getfixturevalue("town")
    department = Department.objects.get_or_create(
        municipality=engagement.municipality, number="231", defaults={"name": "Integration"}
    )[0]
    finding = ResearchFinding.objects.filter(engagement=engagement).first() or (
        ResearchFindingFactory(engagement=engagement, organisation=town["organisation"])
    )
    return Form(
        "action option",
        url,
        lambda: {
            "title": one("Vernetzungstreffen einmal im Jahr"),
            "description": one("Die Stadt lädt die Vereine einmal im Jahr ins Rathaus ein."),
            "department": one(department.pk),
            "field_of_action": one(town["organisation"].fields_of_action.get().pk),
            "effort": one("low"),
            "organisations": one(town["organisation"].pk),
            "findings": one(finding.pk),
        },
    )


def _officer_option(request):
    town, officer, _department, _language = _officer_cast(request)
    engagement = request.getfixturevalue("engagement")
    engagement.consultation_request = ConsultationRequestFactory(
        municipality=town["municipality"],
        created_by=officer.user,
        status=RequestStatus.ACCEPTED,
        costs_confirmed=True,
    )
    engagement.save()
    return ActionOptionFactory(engagement=engagement)


@post_form("officer: option comment")
def option_comment_form(request, client) -> Form:
    option = _officer_option(request)
    return Form(
        "option comment",
        reverse("outcomes:comment", args=[option.pk]),
        lambda: {f"c{option.pk}-text": one("Passt zu unserem Haushalt 2027.")},
    )


@post_form("officer: option decision")
def option_decision_form(request, client) -> Form:
    option = _officer_option(request)
    return Form(
        "option decision",
        reverse("outcomes:decide", args=[option.pk]),
        lambda: {
            f"d{option.pk}-decision": one("not_pursued"),
            f"d{option.pk}-reason": one("Dafür fehlt 2027 das Personal."),
        },
    )


@post_form("public: follow-up answer")
def follow_up_form(request, client) -> Form:
    town = request.getfixturevalue("town")
    request.getfixturevalue("officer")
    engagement = request.getfixturevalue("engagement")
    engagement.status, engagement.completed_on = "completed", date(2020, 12, 18)
    engagement.save()
    decided = {"decided_at": timezone.now(), "decided_by": request.getfixturevalue("officer").user}
    adopted = ActionOptionFactory(engagement=engagement, decision="adopted", **decided)
    planned = ActionOptionFactory(engagement=engagement, decision="planned", **decided)
    follow_up = FollowUpFactory(engagement=engagement, months=6)
    assert town
    return Form(
        "follow-up answer",
        reverse("outcomes:follow_up", args=[token_for(follow_up)]),
        lambda: {
            f"o{adopted.pk}": one("implemented"),
            f"n{adopted.pk}": one("Zwei Treffen im Jahr 2021."),
            f"o{planned.pk}": one("in_progress"),
            f"n{planned.pk}": one(""),
        },
        succeeded=lambda response: (
            response.status_code == 200 and b'id="follow-up-state"' in response.content
        ),
    )


def _application_payload(call, town, language, *, editing: bool = False) -> Payload:
    data = {
        "name": one("Leyla Demir"),
        "home_town": one("Stuttgart"),
        "countries_of_origin": one("TR"),
        "countries_of_experience": one("SY"),
        "languages": one(language.pk),
        "expertise": one(town["organisation"].fields_of_action.get().pk),
        "experience": one("Vorstand im Bildungsverein."),
        "motivation": one("Vereine und Verwaltung zusammenbringen."),
        "availability": one("Wochenenden"),
        "gender": one("female"),
        "gender_self": one(""),
        "birth_year": one("1988"),
    }
    if not editing:
        data |= {
            "email": one("leyla.demir@example.org"),
            "consent": one("on"),
            "form_token": one(uuid.uuid4()),
        }
    return data


@post_form("public: application")
def application_form(request, client) -> Form:
    town = request.getfixturevalue("town")
    call = CallFactory(slug="bw-2027")
    language = LanguageFactory(code="tr", name_de="Türkisch")
    return Form(
        "application",
        call.get_absolute_url(),
        lambda: _application_payload(call, town, language),
        uploads=lambda: {
            "cv": SimpleUploadedFile("cv.pdf", pdf_bytes(), content_type="application/pdf")
        },
        gates=("website",),
    )


@post_form("public: application, changed by its link")
def application_edit_form(request, client) -> Form:
    town = request.getfixturevalue("town")
    call = CallFactory(slug="bw-2027")
    language = LanguageFactory(code="tr", name_de="Türkisch")
    application = ApplicationFactory(call=call)
    return Form(
        "application edit",
        reverse("recruitment:manage", args=[application_token(application, MANAGE_SALT)]),
        lambda: _application_payload(call, town, language, editing=True),
    )


@post_form("staff: application review")
def application_review_form(request, client) -> Form:
    call = CallFactory(slug="bw-2027")
    criteria = [CriterionFactory(call=call), CriterionFactory(call=call)]
    application = ApplicationFactory(call=call)
    request.getfixturevalue("logged_in")(StaffFactory(email="skew-review@example.org"))
    return Form(
        "application review",
        reverse("admin:recruitment_application_review", args=[application.pk]),
        lambda: {f"c{c.pk}": one("4") for c in criteria} | {"comment": one("Überzeugend.")},
    )


@post_form("staff: application decision, invite")
def application_invite_form(request, client) -> Form:
    application = ApplicationFactory(call=CallFactory(slug="bw-2027"))
    request.getfixturevalue("logged_in")(StaffFactory(email="skew-decide@example.org"))
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    return Form(
        "application invite",
        reverse("admin:recruitment_application_decide", args=[application.pk]),
        lambda: {
            "invite-at_0": one(day),
            "invite-at_1": one("14:30"),
            "invite-place": one("Forum der Kulturen, Stuttgart"),
        },
        fixed={"step": ["invite"]},
    )


@post_form("staff: application decision, reject")
def application_reject_form(request, client) -> Form:
    application = ApplicationFactory(call=CallFactory(slug="bw-2027"))
    request.getfixturevalue("logged_in")(StaffFactory(email="skew-decide@example.org"))
    return Form(
        "application reject",
        reverse("admin:recruitment_application_decide", args=[application.pk]),
        lambda: {"reject-message": one("Bitte bewerben Sie sich wieder.")},
        fixed={"step": ["reject"]},
    )


def _survey_answer_payload(field_of_action) -> Payload:
    return {
        "name": one("Ghanaische Union Eschweiler e. V."),
        "kind": one("migrant_org"),
        "town": one("Eschweiler"),
        "website": one("https://ghana-union.example.org/"),
        "scope": one("international"),
        "fields_of_action": one(field_of_action.pk),
        "countries_of_origin": one("GH"),
        "countries_of_activity": one("GH"),
        "activities": one("Schulprojekte in Kumasi."),
        "members": one("45"),
        "networking": one("on"),
        "publish": one("on"),
        "publish_what": one("description"),
        "respondent_name": one("Ama Owusu"),
        "respondent_email": one("ama@example.org"),
    }


@post_form("public: survey answer (save, send)")
def survey_answer_form(request, client) -> Form:
    town = request.getfixturevalue("town")
    survey = SurveyFactory(municipality=town["municipality"])
    question = QuestionFactory(survey=survey, kind="single", choices="ja\nnein")
    response = ResponseFactory(survey=survey, invitation=InvitationFactory(survey=survey))
    field_of_action = town["organisation"].fields_of_action.get()
    return Form(
        "survey answer",
        reverse("surveys:answer", args=[survey_answer_token(response)]),
        lambda: _survey_answer_payload(field_of_action) | {f"q{question.pk}": one("ja")},
        fixed={"action": ["submit"]},
    )


@post_form("advisor: new survey")
def survey_create_form(request, client) -> Form:
    engagement, _advisor = _advisor_cast(request)
    ConsentWordingFactory()
    start = timezone.localdate()
    return Form(
        "new survey",
        reverse("surveys:create", args=[engagement.pk]),
        lambda: {
            "title": one("Wer engagiert sich?"),
            "introduction": one("Kurze Befragung."),
            "opens_on": one(start.isoformat()),
            "closes_on": one((start + timedelta(days=28)).isoformat()),
            "minutes": one("8"),
            "q-TOTAL_FORMS": one("1"),
            "q-INITIAL_FORMS": one("0"),
            "q-0-text": one("Welche Räume nutzen Sie?"),
            "q-0-kind": one("single"),
            "q-0-choices": one("eigene\ngemietet"),
            "q-0-required": one("on"),
        },
    )


def _steering(request, kind: str, data: Callable[[], Payload]) -> Form:
    engagement = request.getfixturevalue("engagement")
    request.getfixturevalue("advisor")
    staff = StaffFactory(email="skew-steering@example.org")
    request.getfixturevalue("logged_in")(staff)
    return Form(
        f"steering: {kind}",
        reverse("admin:engagements_engagement_steer", args=[engagement.pk]),
        data,
        fixed={"form": [kind]},
    )


@post_form("staff: steering, status")
def steering_status_form(request, client) -> Form:
    return _steering(
        request,
        "status",
        lambda: {"status-step": one("pause"), "status-reason": one("Kommunalwahl im Herbst.")},
    )


@post_form("staff: steering, advisors")
def steering_advisors_form(request, client) -> Form:
    joining = AdvisorFactory(user=UserFactory(email="second@example.org", name="Abebe G."))
    return _steering(
        request,
        "advisors",
        lambda: {
            "advisors-leaving": one(""),
            "advisors-joining": one(joining.pk),
            "advisors-reason": one("Zweite Person für die Gespräche."),
        },
    )


@post_form("staff: steering, milestone move")
def steering_move_form(request, client) -> Form:
    engagement = request.getfixturevalue("engagement")
    milestone = MilestoneFactory(engagement=engagement, due_on=date(2020, 6, 30))
    return _steering(
        request,
        "move",
        lambda: {
            "move-milestone": one(milestone.pk),
            "move-due_on": one("2020-09-30"),
            "move-reason": one("Der Ausschuss tagt später."),
        },
    )


@post_form("staff: steering, milestone add")
def steering_add_form(request, client) -> Form:
    return _steering(
        request,
        "add",
        lambda: {
            "add-title": one("Gespräch mit dem Integrationsrat"),
            "add-kind": one("other"),
            "add-due_on": one("2020-09-30"),
        },
    )


@pytest.mark.parametrize("name", sorted(POST_FORMS))
def test_a_form_survives_hostile_values(name, request, client, fuzzer):
    found = None
    for builder in POST_FORMS[name]:
        found = fuzzer.fuzz(builder(request, client), known=found)
    fuzzer.assert_no_problems()


# --- The admin's add and change pages, read as a browser reads them -----------------------


class PageForm(HTMLParser):
    """What a browser sends from a page's form (the admin's: its id ends in "_form")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: Payload = {}
        self.uploads: list[str] = []
        self._inside = self._done = False
        self._select: tuple[str, bool, list[tuple[str, bool]]] | None = None
        self._option: list | None = None  # [value or None, text, selected]
        self._textarea: list | None = None  # [name, text]

    def _add(self, name: str, value: str) -> None:
        if "__prefix__" not in name:  # the template of an inline's extra form
            self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._inside = not self._done and (attributes.get("id") or "").endswith("_form")
            return
        name = attributes.get("name")
        if not self._inside or "disabled" in attributes:
            return
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind == "file":
                self.uploads.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self._add(name, attributes.get("value") or "on")
            elif kind not in ("submit", "button", "reset", "image"):
                self._add(name, attributes.get("value") or "")
        elif tag == "select" and name:
            self._select = (name, "multiple" in attributes, [])
        elif tag == "option" and self._select is not None:
            self._option = [attributes.get("value"), "", "selected" in attributes]
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._inside:
            self._inside, self._done = False, True
        elif tag == "option" and self._option is not None and self._select is not None:
            value, text, selected = self._option
            self._select[2].append((text.strip() if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, options = self._select
            chosen = [value for value, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]
            for value in chosen:
                self._add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._add(name, text.removeprefix("\r\n").removeprefix("\n"))
            self._textarea = None


def page_form(response: HttpResponse) -> PageForm:
    parser = PageForm()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def admin_world(town, engagement, advisor, logged_in):
    """One of everything the admin pages edit, and a superuser with a fresh login."""
    municipality = town["municipality"]
    DepartmentFactory(municipality=municipality, number="100")
    PartnerOrganisationFactory(pool=engagement.pool)
    PoolMembershipFactory(advisor=advisor, pool=engagement.pool)
    milestone = MilestoneFactory(engagement=engagement)
    officer = MunicipalOfficerFactory(municipality=municipality, confirmed_at=timezone.now())
    consultation_request = ConsultationRequestFactory(
        municipality=municipality,
        created_by=officer.user,
        status=RequestStatus.SUBMITTED,
        submitted_at=timezone.now(),
        costs_confirmed=True,
    )
    organisation = town["organisation"]
    ContactPersonFactory(organisation=organisation)
    event = town["event"]
    event.engagement = engagement
    event.save()
    staff = StaffFactory(email="skew-root@example.org")
    logged_in(staff)
    return {
        "staff": staff,
        "municipality": municipality,
        "engagement": engagement,
        "advisor": advisor,
        "pool": engagement.pool,
        "new user": UserFactory(email="future-advisor@example.org"),
        "officer": officer,
        "engagements.ConsultationRequest": consultation_request,
        "engagements.Engagement": engagement,
        "engagements.Milestone": milestone,
        "engagements.Expense": ExpenseFactory(engagement=engagement, advisor=advisor),
        "engagements.TimeEntry": TimeEntryFactory(engagement=engagement, advisor=advisor),
        "engagements.CostCorrection": CostCorrectionFactory(
            engagement=engagement, amount=Decimal("12.50")
        ),
        "engagements.Municipality": municipality,
        "actors.Organisation": organisation,
        "events.Event": event,
        "advisors.Advisor": advisor,
        "advisors.Pool": engagement.pool,
        "recruitment.Call": CallFactory(pool=engagement.pool, slug="nrw-2027"),
        "core.User": UserFactory(email="changed@example.org", name="Wird geändert"),
    }


# What an add page needs on top of what it shows (the admin's dates are German).
ADD_VALUES: dict[str, Callable[[dict], Payload]] = {
    "engagements.ConsultationRequest": lambda w: {
        "municipality": one(w["municipality"].pk),
        "created_by": one(w["officer"].user.pk),
        "goals": one("Akteure einbinden"),
        "need": one("Recherche"),
        "contact_name": one("Petra Beispiel"),
        "contact_email": one("petra@example.org"),
        "preferred_start": one("01.01.2027"),
        "preferred_end": one("30.06.2027"),
        "costs_confirmed": one("on"),
    },
    "engagements.Engagement": lambda w: {
        "title": one("Neuer Einsatz"),
        "municipality": one(w["municipality"].pk),
        "pool": one(w["pool"].pk),
        "status": one("planned"),
        "starts_on": one("01.10.2026"),
        "ends_on": one("31.12.2027"),
        "budget": one("12000.00"),
    },
    "engagements.Expense": lambda w: {
        "engagement": one(w["engagement"].pk),
        "advisor": one(w["advisor"].pk),
        "date": one("04.05.2020"),
        "category": one("travel"),
        "amount": one("23.40"),
        "description": one("Bahnfahrt"),
    },
    "engagements.TimeEntry": lambda w: {
        "engagement": one(w["engagement"].pk),
        "advisor": one(w["advisor"].pk),
        "date": one("04.05.2020"),
        "hours": one("3.50"),
        "activity": one("Gespräch"),
    },
    "engagements.CostCorrection": lambda w: {
        "engagement": one(w["engagement"].pk),
        "date": one("10.03.2020"),
        "category": one("travel"),
        "amount": one("12.50"),
        "reason": one("Nachzahlung einer Bahnfahrt"),
    },
    "engagements.Municipality": lambda w: {
        "name": one("Stolberg"),
        "federal_state": one("NW"),
        "ags": one("05334032"),
        "latitude": one("50.770000"),
        "longitude": one("6.230000"),
        "population": one("56000"),
    },
    "actors.Organisation": lambda w: {
        "name": one("Neuer Verein"),
        "slug": one("neuer-verein"),
        "kind": one("association"),
        "municipality": one(w["municipality"].pk),
        "scope": one("local"),
        "countries_of_origin": one("GH"),
        "website": one("https://verein.example.org"),
        "founded_year": one("2010"),
    },
    "events.Event": lambda w: {
        "title": one("Infoabend"),
        "kind": one("information_meeting"),
        "municipality": one(w["municipality"].pk),
        "venue": one("Rathaus"),
        "starts_at_0": one((timezone.localdate() + timedelta(days=30)).strftime("%d.%m.%Y")),
        "starts_at_1": one("18:00:00"),
        "ends_at_0": one((timezone.localdate() + timedelta(days=30)).strftime("%d.%m.%Y")),
        "ends_at_1": one("20:00:00"),
        "capacity": one("40"),
    },
    "advisors.Advisor": lambda w: {
        "user": one(w["new user"].pk),
        "gender": one("female"),
        "birth_year": one("1980"),
        "countries_of_origin": one("GH"),
    },
    "advisors.Pool": lambda w: {
        "name": one("MiGlobe Berlin"),
        "slug": one("miglobe-berlin"),
        "federal_state": one("BE"),
    },
    "recruitment.Call": lambda w: {
        "pool": one(w["pool"].pk),
        "title": one("Ausschreibung 2027"),
        "slug": one("ausschreibung-2027"),
        "text": one("Wir suchen Berater*innen."),
        "places": one("12"),
        "opens_at_0": one(timezone.localdate().strftime("%d.%m.%Y")),
        "opens_at_1": one("09:00:00"),
        "deadline_0": one((timezone.localdate() + timedelta(days=30)).strftime("%d.%m.%Y")),
        "deadline_1": one("23:59:00"),
        "starts_on": one("01.03.2027"),
        "consent_text": one("Ich willige ein."),
    },
    "core.User": lambda w: {
        "email": one("neu@example.org"),
        "name": one("Neue Person"),
        "password1": one("Ein-langes-Passwort-2026"),
        "password2": one("Ein-langes-Passwort-2026"),
    },
}
ADMIN_MODELS = list(ADD_VALUES)


def admin_url(label: str, action: str, *args) -> str:
    app, model = label.lower().split(".")
    return reverse(f"admin:{app}_{model}_{action}", args=args)


def admin_page(client, label: str, url: str, overlay: Payload) -> Form:
    """The page's form as the browser would send it, with `overlay` filled in."""
    shown_page = client.get(url)
    assert shown_page.status_code == 200, f"{url}: {shown_page.status_code}"
    payload = {**page_form(shown_page).fields, **overlay}
    payload.pop("csrfmiddlewaretoken", None)
    return Form(
        label,
        url,
        lambda: {name: list(values) for name, values in payload.items()},
        fixed={"_save": ["Sichern"]},
    )


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_the_admin_pages_of_a_model_survive_hostile_values(label, admin_world, client, fuzzer):
    """The add page, then the change page. Both show the same form (but for the users'):
    what the add page's round 1 found about a field is not asked again on the change
    page, which sends round 1 only for its own fields (the rows of its inlines)."""
    add = admin_page(
        client, f"admin add {label}", admin_url(label, "add"), ADD_VALUES[label](admin_world)
    )
    found = fuzzer.fuzz(add)
    change = admin_page(
        client, f"admin change {label}", admin_url(label, "change", admin_world[label].pk), {}
    )
    fuzzer.fuzz(change, known=found if label != "core.User" else None)
    fuzzer.assert_no_problems()


# --- The GET forms: the directory, its filters, the events, the calendar, searches --------


def _get_forms(request) -> dict[str, tuple[str, Payload]]:
    town = request.getfixturevalue("town")
    municipality, organisation = town["municipality"].pk, town["organisation"]
    directory = {
        "q": one("Ghana"),
        "municipality": one(municipality),
        "field": one(town["field"].slug),
        "scope": one("local"),
        "kind": one("migrant_org"),
        "country": one("GH"),
        "sort": one("town"),
        "page": one(1),
    }
    return {
        "directory": ("/organisations/", directory),
        "directory as CSV": ("/organisations.csv", directory),
        "directory as JSON": ("/organisations.json", directory),
        "directory map": ("/organisations/map/", directory),
        "directory statistics": ("/organisations/statistics/", {"municipality": one(municipality)}),
        "suggestion for a listed organisation": (
            reverse("actors:suggest"),
            {"organisation": one(organisation.slug)},
        ),
        "events": (
            reverse("events:list"),
            {
                "municipality": one(municipality),
                "kind": one("network_meeting"),
                "when": one("upcoming"),
                "page": one(1),
            },
        ),
        "calendar": (
            reverse("events:calendar"),
            {"municipality": one(municipality), "months": one(3)},
        ),
    }


PUBLIC_GET_FORMS = [
    "directory statistics",
    "suggestion for a listed organisation",
    "events",
    "calendar",
]


@pytest.mark.parametrize("name", PUBLIC_GET_FORMS)
def test_a_public_search_survives_hostile_values(name, request, fuzzer):
    ConsentWordingFactory(version="fuzz-1", valid_from=timezone.localdate() - timedelta(days=10))
    url, params = _get_forms(request)[name]
    fuzzer.fuzz_get(name, url, params)
    fuzzer.assert_no_problems()


def test_the_directory_survives_hostile_values(request, fuzzer):
    """The list, then its CSV, JSON and map, which read the same filter form: its round 1
    on the list stands for theirs."""
    forms = _get_forms(request)
    found = fuzzer.fuzz_get("directory", *forms["directory"])
    for name in ["directory as CSV", "directory as JSON", "directory map"]:
        fuzzer.fuzz_get(name, *forms[name], known=found)
    fuzzer.assert_no_problems()


def test_the_advisors_searches_survive_hostile_values(request, town, engagement, advisor, fuzzer):
    request.getfixturevalue("logged_in")(advisor.user)
    event = town["event"]
    event.engagement = engagement
    event.save()
    RegistrationFactory(event=event, name="Aminata Beispiel")
    fuzzer.fuzz_get(
        "check-in search", reverse("events:checkin", args=[event.pk]), {"q": one("Aminata")}
    )
    fuzzer.fuzz_get(
        "time entry for an engagement",
        reverse("workspace:entry_create", args=["time"]),
        {"engagement": one(engagement.pk)},
    )
    fuzzer.assert_no_problems()


def test_an_admin_add_page_filled_in_from_its_address_survives_hostile_values(admin_world, fuzzer):
    """A reimbursed entry links to a new correction with the entry filled in
    (EntryAdmin.correct): the add page reads those values from its address."""
    entry = admin_world["engagements.TimeEntry"]
    fuzzer.fuzz_get(
        "admin add engagements.CostCorrection, filled in",
        admin_url("engagements.CostCorrection", "add"),
        {
            "engagement": one(entry.engagement_id),
            "corrects_time_entry": one(entry.pk),
            "corrects_expense": one(admin_world["engagements.Expense"].pk),
            "category": one("hours"),
        },
        forms=False,
    )
    fuzzer.assert_no_problems()


class QueryParameters(HTMLParser):
    """The query parameters an admin list links to (filters, dates, sorting), with a value."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.params: Payload = {}

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("?"):
            for name, value in parse_qsl(href[1:], keep_blank_values=True):
                self.params.setdefault(name, [value])


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_an_admin_list_survives_hostile_values(label, admin_world, client, fuzzer):
    url = admin_url(label, "changelist")
    links = QueryParameters()
    links.feed(client.get(url).content.decode())
    params = {"q": one("Eschweiler"), **links.params}
    # The search, and the date hierarchy's year (read with its month and day, a hostile
    # one of them hides the others in a row): every value alone as well.
    alone = ("q", *(p for p in params if p.endswith("__year")))
    fuzzer.fuzz_get(f"admin list {label}", url, params, forms=False, alone=alone)
    fuzzer.assert_no_problems()
