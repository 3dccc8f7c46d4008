"""A person's data in one place (core.personal_data): find, export, erase; and the person's
own page at /accounts/data/.

The main test takes the demo world, where one person (the login advisor, Mamadou Sow) is
in every part of the portal, exports and erases him through SKEW's admin pages as
production runs it (no surrounding test transaction: files go after the commit), and
then searches every text column of the database and every stored file for his name and
address.
"""

import io
import json
import zipfile
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from advisors.models import Advisor
from core.models import ErasureLog, ErasureRequest, ErasureRequestStatus, OutboxEmail, User
from engagements.models import CostCorrection, Expense, ReimbursementReport, TimeEntry
from miglobe.staff_groups import ADMINISTRATION, FINANCE, TEAM
from recruitment.models import Application
from tests.core.factories import StaffMemberFactory, UserFactory
from tests.events.factories import RegistrationFactory

SEARCH = "/admin/personal-data/"
PERSON = "/admin/personal-data/person/"
SELF = "/accounts/data/"
NAME, EMAIL = "Mamadou Sow", "advisor@example.org"
ROOT = Path(__file__).resolve().parents[2]  # the project: its apps, not the libraries'


def text_columns_containing(*needles: str) -> list[str]:
    """Every text, character and JSON column of every table where a needle appears."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' "
            "AND data_type IN ('text', 'character varying', 'jsonb', 'json')"
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            for needle in needles:
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',  # noqa: S608
                    [f"%{needle}%"],
                )
                if count := cursor.fetchone()[0]:
                    found.append(f"{table}.{column}: {needle!r} in {count} rows")
    return found


def stored_files_containing(root, *needles: str) -> list[str]:
    """Files under `root` (and the members of XLSX files) that hold a needle as text."""
    found = []
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        parts = [data]
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts = [archive.read(name) for name in archive.namelist()]
        for needle in needles:
            if any(needle.encode() in part for part in parts):
                found.append(f"{path.relative_to(root)}: {needle!r}")
    return found


def figures():
    """Every figure of the costs: what the law makes SKEW keep."""
    return {
        "times": list(
            TimeEntry.objects.order_by("pk").values_list(
                "pk", "engagement_id", "advisor_id", "date", "hours", "status", "report_id"
            )
        ),
        "expenses": list(
            Expense.objects.order_by("pk").values_list(
                "pk", "engagement_id", "advisor_id", "date", "amount", "status", "receipt"
            )
        ),
        "corrections": list(CostCorrection.objects.order_by("pk").values_list("pk", "amount")),
        "reports": list(
            ReimbursementReport.objects.order_by("pk").values_list(
                "pk", "status", "total_fees", "total_expenses", "total"
            )
        ),
    }


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False
    return tmp_path / "media"


@pytest.fixture
def data_protection(client, log_in):
    staff = StaffMemberFactory(groups=[ADMINISTRATION])
    log_in(client, staff)
    return staff


def report_csv() -> str:
    report = ReimbursementReport.objects.exclude(csv="").get()
    with report.csv.open("rb") as stored:
        return stored.read().decode("utf-8")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_person_in_every_part_of_the_demo_is_exported_and_erased(
    client, demo, data_protection, postgres_only
):
    media = demo
    before = figures()
    csv_before = report_csv()
    assert NAME in csv_before
    receipt = Expense.objects.exclude(receipt="").get(advisor__user__email=EMAIL).receipt.name
    cv = Application.objects.get(email=EMAIL).cv.name
    assert (media / receipt).exists() and (media / cv).exists()
    # He is everywhere before: the check below can find him.
    assert len(text_columns_containing(NAME, EMAIL)) >= 10

    # SKEW finds him by a part of his address, and by his name.
    found = client.post(SEARCH, {"q": "advisor@example"})
    assert found.status_code == 200
    assert f'<input type="hidden" name="email" value="{EMAIL}">' in found.content.decode()
    assert NAME in client.post(SEARCH, {"q": "Mamadou"}).content.decode()

    # The preview says what erasure would do, before it does it.
    page = client.post(PERSON, {"email": EMAIL, "action": "show"})
    html = page.content.decode()
    for key in (
        "core.account",
        "advisors.profile",
        "engagements.time_entries",
        "engagements.expenses",
        "engagements.reimbursement_reports",
        "actors.contacts",
        "actors.suggestions",
        "actors.finding_notes",
        "events.registrations",
        "recruitment.applications",
        "surveys.responses",
        "outcomes.comments",
    ):
        assert f'data-key="{key}"' in html, key
    assert 'personal-data__line--keep" data-key="engagements.expenses"' in html

    # The export: one JSON file per kind, his files, a German readme.
    export = client.post(PERSON, {"email": EMAIL, "action": "export"})
    assert export.status_code == 200
    assert export["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(export.streaming_content)))
    names = archive.namelist()
    assert "LIESMICH.txt" in names
    assert "Ihre Daten im MiGlobe-Portal" in archive.read("LIESMICH.txt").decode()
    registrations = json.loads(archive.read("events.registrations.json"))
    assert [r["email"] for r in registrations] == [EMAIL]
    assert json.loads(archive.read("core.account.json"))[0]["name"] == NAME
    # Stored codes come with their meaning.
    application = json.loads(archive.read("recruitment.applications.json"))[0]
    assert application["countries_of_origin_label"] == "Guinea, Senegal"
    assert application["status_label"] == "eingegangen"
    assert len(json.loads(archive.read("engagements.time_entries.json"))) == 10
    exported_files = [name for name in names if name.startswith("dateien/")]
    assert any(n.startswith("dateien/engagements.expenses/") for n in exported_files)
    assert any(n.startswith("dateien/recruitment.applications/") for n in exported_files)
    assert archive.read(exported_files[0]).startswith(b"%PDF")

    # Without the confirmation nothing happens, and the box says why.
    refused = client.post(PERSON, {"email": EMAIL, "action": "erase"})
    assert refused.status_code == 400
    assert 'id="id_confirm_error"' in refused.content.decode()
    assert User.objects.filter(email=EMAIL).exists()

    erased = client.post(PERSON, {"email": EMAIL, "action": "erase", "confirm": "on"})
    log = ErasureLog.objects.get()
    assert erased.status_code == 302
    assert erased["Location"] == reverse("admin:core_erasurelog_change", args=[log.pk])

    # His name and address are nowhere: not in any table, not in any stored file.
    assert text_columns_containing(NAME, EMAIL, "Mamadou") == []
    assert stored_files_containing(media, NAME, EMAIL) == []
    # His CV went, his receipt stays (budget law), and every figure is as it was.
    assert not (media / cv).exists()
    assert (media / receipt).exists()
    assert figures() == before
    # The report was made again from the same entries: only the name changed.
    assert report_csv() == csv_before.replace(NAME, "[entfernt]")
    # He cannot sign in any more.
    account = Advisor.objects.get(pk=before["times"][0][2]).user
    assert not account.is_active and not account.has_usable_password()

    # The log says what was done, not to whom.
    assert log.done_by == data_protection and not log.self_service
    assert log.counts["engagements.expenses"] == {"action": "keep", "count": 5}
    assert log.counts["events.registrations"] == {"action": "anonymise", "count": 1}
    assert log.counts["actors.contacts"] == {"action": "delete", "count": 1}
    shown = client.get(reverse("admin:core_erasurelog_change", args=[log.pk])).content.decode()
    assert "Anmeldungen zu Veranstaltungen: 1 (wird anonymisiert)" in shown

    # Asked again, the portal holds nothing about him.
    again = client.post(PERSON, {"email": EMAIL, "action": "show"}).content.decode()
    assert "Das Portal hält nichts über diese Person." in again


@pytest.mark.django_db
def test_search_needs_three_characters_and_says_when_nobody_is_found(client, data_protection):
    short = client.post(SEARCH, {"q": "ab"}).content.decode()
    assert 'id="personal-data-q-error"' in short
    nobody = client.post(SEARCH, {"q": "niemand@example.org"}).content.decode()
    assert '<p class="personal-data__none">Niemand gefunden.</p>' in nobody


@pytest.mark.django_db
def test_a_person_known_only_by_name_is_found_and_erased(client, data_protection):
    registration = RegistrationFactory(name="Ayodele Okonkwo-Berg", email="ayo@example.org")
    listed = client.post(SEARCH, {"q": "Okonkwo"}).content.decode()
    assert 'name="email" value="ayo@example.org"' in listed
    client.post(PERSON, {"email": "ayo@example.org", "action": "erase", "confirm": "on"})
    registration.refresh_from_db()
    assert registration.name == "" and "ayo@" not in registration.email
    assert registration.anonymised_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("groups", [[], [TEAM], [FINANCE]])
def test_staff_without_data_protection_get_404(client, log_in, groups):
    log_in(client, StaffMemberFactory(groups=groups))
    assert client.post(SEARCH, {"q": "advisor"}).status_code == 404
    assert client.post(PERSON, {"email": "a@example.org", "action": "show"}).status_code == 404
    assert client.post(PERSON, {"email": "a@example.org", "action": "export"}).status_code == 404
    assert client.get(reverse("admin:core_erasurelog_changelist")).status_code == 403
    assert SEARCH not in client.get(reverse("admin:index")).content.decode()


@pytest.mark.django_db
def test_erasing_asks_for_the_password_again_after_a_while(client, log_in):
    log_in(client, StaffMemberFactory(groups=[ADMINISTRATION]), seconds_ago=3600)
    victim = UserFactory(email="still@example.org")
    answer = client.post(PERSON, {"email": victim.email, "action": "erase", "confirm": "on"})
    assert answer.status_code == 302 and "reauthenticate" in answer["Location"]
    assert User.objects.filter(email="still@example.org").exists()


# --- The person's own page ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_with_nothing_to_keep_deletes_their_account_at_once(client, log_in):
    user = UserFactory(email="nina@example.org", name="Nina Brandauer")
    registration = RegistrationFactory(name=user.name, email=user.email)
    log_in(client, user)

    page = client.get(SELF).content.decode()
    assert 'id="erasure-preview"' in page and "Anmeldungen zu Veranstaltungen" in page
    assert 'id="erasure-kept"' not in page

    refused = client.post(SELF, {"action": "delete"})
    assert refused.status_code == 400
    assert "Bitte bestätigen Sie, dass Sie das möchten." in refused.content.decode()

    done = client.post(SELF, {"action": "delete", "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == "/"
    user.refresh_from_db()
    registration.refresh_from_db()
    assert not user.is_active and user.email.endswith("@example.invalid")
    assert user.name == "[entfernt]"
    assert registration.name == ""
    assert ErasureLog.objects.get().self_service
    # Signed out: the page sends them to the login.
    assert client.get(SELF).status_code == 302


@pytest.mark.django_db
def test_a_person_downloads_their_own_data(client, log_in):
    user = UserFactory(email="omar@example.org", name="Omar Haddad")
    RegistrationFactory(name=user.name, email=user.email)
    RegistrationFactory(name="Someone Else", email="else@example.org")
    log_in(client, user)
    answer = client.post(SELF, {"action": "export"})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))
    assert json.loads(archive.read("core.account.json"))[0]["email"] == "omar@example.org"
    assert [r["name"] for r in json.loads(archive.read("events.registrations.json"))] == [
        "Omar Haddad"
    ]
    assert "else@example.org" not in str([archive.read(n) for n in archive.namelist()])


@pytest.fixture
def advisor_with_costs(db):
    from tests.engagements.factories import ExpenseFactory

    expense = ExpenseFactory(amount=Decimal("42.50"), date=date(2026, 3, 2))
    expense.receipt.save("beleg.pdf", ContentFile(b"%PDF-1.4 receipt"), save=True)
    return expense.advisor


@pytest.mark.django_db
def test_where_records_must_stay_skew_confirms_and_the_person_is_told_why(
    client, log_in, advisor_with_costs
):
    advisor = advisor_with_costs
    user = advisor.user
    address = user.email
    log_in(client, user)

    page = client.get(SELF).content.decode()
    assert 'id="erasure-kept"' in page
    client.post(SELF, {"action": "delete", "confirm": "on"})
    client.post(SELF, {"action": "delete", "confirm": "on"})  # a double submit
    request = ErasureRequest.objects.get()
    assert request.status == ErasureRequestStatus.OPEN and request.user == user
    assert 'id="erasure-waiting"' in client.get(SELF).content.decode()
    team = OutboxEmail.objects.get(kind="erasure_requested")
    assert address not in team.text and user.name not in team.text  # the team's mail
    user.refresh_from_db()
    assert user.is_active  # nothing happens before SKEW confirms

    staff = StaffMemberFactory(groups=[ADMINISTRATION])
    log_in(client, staff)
    listed = client.get(reverse("admin:core_erasurerequest_changelist")).content.decode()
    assert f"{PERSON}?request={request.pk}" in listed
    review = client.get(PERSON, {"request": request.pk}).content.decode()
    assert "beantragt, ihr Konto und ihre Daten zu löschen" in review
    client.post(PERSON, {"request": request.pk, "action": "erase", "confirm": "on"})

    request.refresh_from_db()
    assert request.status == ErasureRequestStatus.DONE and request.log is not None
    told = OutboxEmail.objects.get(kind="erasure_done")
    assert told.to == [address]
    assert "Ausgaben und Belege (1)" in told.text
    assert "Haushaltsrecht" in told.text
    expense = Expense.objects.get(advisor=advisor)
    assert expense.amount == Decimal("42.50") and expense.receipt
    user.refresh_from_db()
    assert not user.is_active and user.email != address
    # Done once: a second confirmation changes nothing.
    second = client.post(PERSON, {"request": request.pk, "action": "erase", "confirm": "on"})
    assert second.status_code == 404
    assert ErasureLog.objects.count() == 1


@pytest.mark.django_db
def test_a_waiting_request_can_be_withdrawn(client, log_in, advisor_with_costs):
    user = advisor_with_costs.user
    log_in(client, user)
    client.post(SELF, {"action": "delete", "confirm": "on"})
    client.post(SELF, {"action": "withdraw"})
    request = ErasureRequest.objects.get()
    assert request.status == ErasureRequestStatus.WITHDRAWN and request.decided_at
    assert 'id="erasure-waiting"' not in client.get(SELF).content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_deletion_requests_at_once_make_one(client, log_in, advisor_with_costs, postgres_only):
    """As production runs it: the account's row is locked, the second submit finds the first."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    from core import personal_data

    user = advisor_with_costs.user

    def ask():
        try:
            return personal_data.erasure_request(user=user).pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        numbers = set(pool.map(lambda _: ask(), range(2)))
    assert len(numbers) == 1
    assert ErasureRequest.objects.filter(status=ErasureRequestStatus.OPEN).count() == 1


@pytest.mark.django_db
def test_the_own_data_page_needs_a_login_and_sits_in_the_account_menu(client, log_in):
    answer = client.get(SELF)
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    log_in(client, UserFactory())
    nav = client.get(reverse("account_email")).content.decode()
    assert f'<a href="{SELF}">Meine Daten</a>' in nav


@pytest.mark.django_db
def test_the_log_holds_no_personal_data(client, data_protection):
    user = UserFactory(email="lea.k@example.org", name="Lea Kowalczyk")
    client.post(PERSON, {"email": user.email, "action": "erase", "confirm": "on"})
    log = ErasureLog.objects.get()
    stored = json.dumps(log.counts) + str(log)
    assert "lea" not in stored.lower() and "kowalczyk" not in stored.lower()
    assert log.created_at <= timezone.now()


def test_every_model_holding_an_email_address_is_searched_at_erasure():
    """A new model with an address field must say what erasure does with it."""
    from django.apps import apps
    from django.db.models import EmailField

    from core import personal_data

    nobody = personal_data.Person("")  # finds nothing, without asking the database
    covered = {holding.find(nobody).model._meta.label for holding in personal_data.holdings()}
    ours = {
        config.label
        for config in apps.get_app_configs()
        if config.path.startswith(str(ROOT)) and "site-packages" not in config.path
    }
    with_address = {
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in ours
        and not model.__name__.startswith("Historical")
        and any(isinstance(field, EmailField) for field in model._meta.fields)
    }
    assert len(with_address) >= 10
    assert with_address - covered == set()


@pytest.mark.django_db
def test_the_person_page_runs_as_many_queries_for_one_record_as_for_many(
    client, data_protection, count_queries
):
    user = UserFactory(email="viele@example.org", name="Vera Vielfach")
    RegistrationFactory(name=user.name, email=user.email)

    def show():
        answer = client.post(PERSON, {"email": user.email, "action": "show"})
        assert answer.status_code == 200

    one = count_queries(show)
    RegistrationFactory.create_batch(5, name=user.name, email=user.email)
    assert count_queries(show) == one


@pytest.mark.django_db
def test_names_and_addresses_stay_out_of_the_pages_addresses(client, data_protection):
    """Search and person pages are sent by POST: no address in logs, history or Referer."""
    UserFactory(email="url@example.org", name="Ulla Urban")
    listed = client.post(SEARCH, {"q": "Urban"}).content.decode()
    assert "url%40example.org" not in listed and "?email=" not in listed
    assert 'method="post" action="/admin/personal-data/person/"' in listed
    assert client.get(PERSON, {"email": "url@example.org"})["Location"] == SEARCH


@pytest.mark.django_db
def test_the_privacy_page_tells_where_to_get_and_delete_ones_data(client):
    page = client.get(reverse("privacy")).content.decode()
    start = page.index('id="privacy-own-data"')
    assert "beantragen dort die Löschung Ihres Kontos" in page[start : start + 600]
    assert f'<a href="{SELF}">' in page


@pytest.mark.django_db
def test_a_staff_account_is_never_deleted_by_its_own_click(client, log_in):
    staff = StaffMemberFactory(groups=[TEAM])
    log_in(client, staff)
    assert 'id="erasure-kept"' in client.get(SELF).content.decode()  # SKEW confirms
    client.post(SELF, {"action": "delete", "confirm": "on"})
    staff.refresh_from_db()
    assert staff.is_active and staff.is_staff
    assert ErasureRequest.objects.get().user == staff


@pytest.mark.django_db
def test_the_search_costs_the_same_queries_for_one_person_as_for_many(
    client, data_protection, count_queries
):
    UserFactory(email="suche0@example.org", name="Sina Suche")

    def search():
        answer = client.post(SEARCH, {"q": "suche"})
        assert answer.status_code == 200
        return answer.content.decode()

    one = count_queries(search)
    for n in range(1, 6):
        RegistrationFactory(name=f"Sam Suche {n}", email=f"suche{n}@example.org")
    assert count_queries(search) == one
    assert search().count('name="action" value="show"') == 6


@pytest.mark.django_db
def test_erased_addresses_are_nobody_in_the_search(client, data_protection):
    RegistrationFactory(name="", email="anonym-3@example.invalid")
    listed = client.post(SEARCH, {"q": "anonym"}).content.decode()
    assert '<p class="personal-data__none">Niemand gefunden.</p>' in listed


# --- What erasure must not touch, and must not leave -------------------------------------


@pytest.mark.django_db
def test_a_name_taken_at_sign_up_finds_nobody_elses_records(client, log_in):
    """Anyone can sign up as "Maria Schmidt": her own page goes by address and account."""
    from tests.actors.factories import ContactPersonFactory

    other = ContactPersonFactory(name="Maria Schmidt", email="", phone="0221 555 1")
    taker = UserFactory(email="taker@example.org", name="Maria Schmidt")
    log_in(client, taker)

    answer = client.post(SELF, {"action": "export"})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))
    assert "actors.contacts.json" not in archive.namelist()
    client.post(SELF, {"action": "delete", "confirm": "on"})

    other.refresh_from_db()
    assert other.name == "Maria Schmidt" and other.phone == "0221 555 1"


@pytest.mark.django_db
def test_an_address_inside_another_is_not_the_persons(client, data_protection):
    from tests.core.factories import OutboxEmailFactory

    hers = OutboxEmailFactory(to=["Anna@example.org"], subject="Für Anna")
    not_hers = OutboxEmailFactory(
        to=["hanna@example.org"], subject="Für Hanna", text="Kopie an hanna@example.org."
    )
    UserFactory(email="anna@example.org", name="Anna Kleinschmidt")
    client.post(PERSON, {"email": "anna@example.org", "action": "erase", "confirm": "on"})

    assert not OutboxEmail.objects.filter(pk=hers.pk).exists()
    not_hers.refresh_from_db()
    assert not_hers.to == ["hanna@example.org"]
    assert not_hers.text == "Kopie an hanna@example.org."


@pytest.mark.django_db
def test_texts_lose_the_name_as_a_whole_word_in_any_case_and_keep_their_length(
    client, data_protection
):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from events.models import Registration
    from tests.actors.factories import ResearchFindingFactory

    RegistrationFactory(name="Jan Berg", email="jan.berg@example.org")
    finding = ResearchFindingFactory(
        notes="Kontakt über jan berg; Vorsitz hat Jan Bergmann (Jan Berg kennt ihn)."
    )
    full = "Anmeldung von Jan Berg " + "x" * 177  # 200 characters: object_repr's limit
    entry = LogEntry.objects.create(
        user=data_protection,
        content_type=ContentType.objects.get_for_model(Registration),
        object_id="1",
        object_repr=full,
        action_flag=CHANGE,
    )
    answer = client.post(
        PERSON, {"email": "jan.berg@example.org", "action": "erase", "confirm": "on"}
    )
    assert answer.status_code == 302

    finding.refresh_from_db()
    entry.refresh_from_db()
    assert finding.notes == (
        "Kontakt über [entfernt]; Vorsitz hat Jan Bergmann ([entfernt] kennt ihn)."
    )
    assert entry.object_repr.startswith("Anmeldung von [entfernt] xxx")
    assert len(entry.object_repr) == 200


@pytest.mark.django_db
def test_erasure_ends_the_persons_sessions(client, log_in, data_protection):
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.test import Client

    person = UserFactory(email="sitzung@example.org", name="Siggi Sitzung")
    log_in(Client(), person)
    mine = {
        s.pk for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(person.pk)
    }
    assert mine
    client.post(PERSON, {"email": person.email, "action": "erase", "confirm": "on"})
    assert not Session.objects.filter(pk__in=mine).exists()
    assert client.get(reverse("admin:index")).status_code == 200  # SKEW's own stays


@pytest.mark.django_db
def test_a_request_number_that_is_no_number_is_not_found(client, data_protection):
    assert client.get(PERSON, {"request": "²"}).status_code == 404
    assert client.get(PERSON, {"request": "12abc"}).status_code == 404


@pytest.mark.django_db
def test_erasing_directly_answers_the_persons_waiting_request(client, log_in, advisor_with_costs):
    user = advisor_with_costs.user
    address = user.email
    log_in(client, user)
    client.post(SELF, {"action": "delete", "confirm": "on"})
    log_in(client, StaffMemberFactory(groups=[ADMINISTRATION]))

    client.post(PERSON, {"email": address, "action": "erase", "confirm": "on"})

    request = ErasureRequest.objects.get()
    assert request.status == ErasureRequestStatus.DONE and request.log is not None
    assert OutboxEmail.objects.get(kind="erasure_done").to == [address]
