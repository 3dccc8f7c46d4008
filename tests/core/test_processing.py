"""The record of processing activities (DSGVO Art. 30): complete, true to the code, shown
to data protection in the admin and, in plain words, on the privacy page."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.module_loading import import_string

from core import processing, retention
from miglobe.staff_groups import ADMINISTRATION, FINANCE, TEAM
from tests.core.factories import StaffFactory, StaffMemberFactory, UserFactory
from tests.miglobe.test_pages import assert_accessible_basics, assert_no_inline_code

# Every app of the portal: each model of theirs needs an entry in the record.
APPS = (
    "core",
    "advisors",
    "engagements",
    "council",
    "actors",
    "events",
    "recruitment",
    "surveys",
    "outcomes",
    "workspace",
)
TEXTS = ("name", "purpose", "legal_basis", "data_subjects", "data_categories", "recipients")
URL = "/admin/processing-record/"


def all_entries():
    return [
        entry
        for app in processing.record()
        for entry in (*app.activities, *app.without_personal_data)
    ]


# --- Complete -----------------------------------------------------------------------------


def test_every_model_of_the_apps_has_an_entry_in_the_record():
    missing = processing.unrecorded(APPS)
    assert not missing, (
        f"no entry in the record of processing (core.processing) for {missing}: add an "
        "Activity to the app's processing.py, or a NoPersonalData that says why there is none"
    )


def test_a_new_model_without_an_entry_would_be_found(monkeypatch):
    without_opt_outs = [
        entry for entry in processing._entries["surveys"] if "surveys.OptOut" not in entry.models
    ]
    monkeypatch.setitem(processing._entries, "surveys", tuple(without_opt_outs))
    assert processing.unrecorded(["surveys"]) == ["surveys.OptOut"]


def test_history_and_relation_tables_count_as_their_models():
    assert processing.model_label(apps.get_model("core", "HistoricalUser")) == "core.User"
    assert processing.model_label(apps.get_model("core", "HistoricalUser_groups")) == "core.User"
    through = apps.get_model("advisors", "Advisor").languages.through
    assert processing.model_label(through) == "advisors.Advisor"


def test_each_model_has_one_entry_of_its_own_app():
    named = [
        (app.label, label)
        for app in processing.record()
        for entry in (*app.activities, *app.without_personal_data)
        for label in entry.models
    ]
    labels = [label for _app, label in named]
    assert len(labels) == len(set(labels)), "a model in two entries"
    for app_label, label in named:
        model = apps.get_model(label)  # a name that is no model fails here
        assert model._meta.app_label == app_label, f"{label} is registered by {app_label}"


def test_keys_are_unique_and_every_text_is_translatable():
    keys = [activity.key for activity in processing.activities()]
    assert len(keys) == len(set(keys))
    for activity in processing.activities():
        for name in (*TEXTS, "retention"):
            text = getattr(activity, name)
            assert isinstance(text, Promise), f"{activity.key}.{name} is not marked for translation"
        for text in (*(getattr(activity, name) for name in TEXTS), activity.retention_text):
            assert str(text).strip(), f"{activity.key}: a text is empty"
        assert not activity.note or isinstance(activity.note, Promise)
    for entry in all_entries():
        if isinstance(entry, processing.NoPersonalData):
            assert "keine personenbezogenen Daten" in str(entry.reason)


# --- True to the code ---------------------------------------------------------------------


def test_what_enforces_a_retention_rule_exists():
    for activity in processing.activities():
        for name in activity.enforced_by:
            if "." in name:
                import_string(name)  # a task, function or constant that is gone fails here
            else:
                assert hasattr(settings, name), f"{activity.key}: no setting {name}"


def test_every_retention_step_the_code_runs_is_named_in_the_record():
    named = {name for activity in processing.activities() for name in activity.enforced_by}
    steps = [step for step in retention._steps.values() if step.__name__ != "<lambda>"]
    steps += [retention.forget_old_personal_data, *retention._kept_reminders]
    for step in steps:
        assert f"{step.__module__}.{step.__qualname__}" in named, step
    # The one step registered as a lambda (events) calls this service:
    assert "events.services.registrations_anonymise" in named


@pytest.mark.parametrize(
    "days, months, expected",
    [
        (180, 3, ["180 Tage nach der Veranstaltung", "3 Monate nach dem Bewerbungsschluss"]),
        (1, 1, ["1 Tag nach der Veranstaltung", "1 Monat nach dem Bewerbungsschluss"]),
    ],
)
def test_retention_texts_name_the_configured_periods(settings, days, months, expected):
    settings.MIGLOBE_PERSONAL_DATA_RETENTION_DAYS = days
    settings.MIGLOBE_APPLICATION_RETENTION_MONTHS = months
    texts = " ".join(activity.retention_text for activity in processing.activities())
    for phrase in expected:
        assert phrase in texts
    assert "%(" not in texts


# --- The admin page -----------------------------------------------------------------------


class Structure(HTMLParser):
    """Headings, and for each table its caption and header cells."""

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.tables: list[dict] = []
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            self.tables.append({"caption": "", "th": []})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "th" and self.tables:
            self.tables[-1]["th"].append(attrs.get("scope"))

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._in_caption and self.tables:
            self.tables[-1]["caption"] += data.strip()


def structure(response) -> Structure:
    page = Structure()
    page.feed(response.content.decode())
    return page


def assert_headings_in_order(page: Structure):
    assert page.headings.count(1) == 1, page.headings
    for previous, current in zip(page.headings, page.headings[1:], strict=False):
        assert current <= previous + 1, f"heading h{current} follows h{previous}"


@pytest.mark.django_db
def test_data_protection_reads_the_record_by_app_with_what_enforces_it(client, log_in, settings):
    settings.MIGLOBE_PERSONAL_DATA_RETENTION_DAYS = 180
    log_in(client, StaffMemberFactory(groups=[ADMINISTRATION]))

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    for app in processing.record():
        assert f'<h2 id="processing-{app.label}">{escape(str(app.name))}</h2>' in html
    for activity in processing.activities():
        assert f"<caption>{escape(str(activity.name))}</caption>" in html
    assert "Verzeichnis der Verarbeitungstätigkeiten" in html
    assert "<code>MIGLOBE_PERSONAL_DATA_RETENTION_DAYS</code> = <code>180</code>" in html
    assert "<code>events.services.registrations_anonymise</code>" in html
    assert "Keine automatische Löschung im Code." in html  # where nothing deletes
    assert "Ohne personenbezogene Daten" in html
    assert '<th scope="row">Offen</th>' in html  # the open points are on the record's page


@pytest.mark.django_db
def test_the_record_page_is_semantic_tables_under_ordered_headings(client, log_in):
    log_in(client, StaffFactory())
    page = structure(client.get(URL))
    assert_headings_in_order(page)
    assert len(page.tables) >= len(processing.activities())
    for table in page.tables:
        assert table["caption"], table
        assert table["th"] and all(scope in {"row", "col"} for scope in table["th"]), table


@pytest.mark.django_db
@pytest.mark.parametrize("groups", [[], [TEAM], [FINANCE], [TEAM, FINANCE]])
def test_staff_without_data_protection_get_404(client, log_in, groups):
    log_in(client, StaffMemberFactory(groups=groups))
    assert client.get(URL).status_code == 404
    assert URL not in client.get(reverse("admin:index")).content.decode()


@pytest.mark.django_db
def test_outsiders_are_sent_to_the_admin_login(client, log_in):
    anonymous = client.get(URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
    log_in(client, UserFactory())
    assert client.get(URL).status_code == 302


@pytest.mark.django_db
def test_the_admin_index_links_to_the_record_for_data_protection(client, log_in):
    log_in(client, StaffMemberFactory(groups=[ADMINISTRATION]))
    assert f'href="{URL}"' in client.get(reverse("admin:index")).content.decode()


# --- The privacy page ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_privacy_page_says_in_plain_words_what_the_record_says(client, settings):
    settings.MIGLOBE_PERSONAL_DATA_RETENTION_DAYS = 180
    settings.MIGLOBE_APPLICATION_RETENTION_MONTHS = 3
    html = client.get("/datenschutz/").content.decode()
    for activity in processing.activities():
        section = re.search(
            rf'<section[^>]*id="privacy-{re.escape(activity.key)}".*?</section>', html, re.S
        )
        assert section, f"no section for {activity.key}"
        for text in (
            activity.name,
            activity.data_subjects,
            activity.data_categories,
            activity.purpose,
            activity.legal_basis,
            activity.recipients,
            activity.retention_text,
        ):
            assert escape(str(text)) in section.group(0), (activity.key, str(text)[:60])
        # What is still open is for the record, not for the public.
        assert not activity.note or escape(str(activity.note)) not in html
    assert "180 Tage nach der Veranstaltung" in html
    assert "3 Monate nach dem Bewerbungsschluss" in html
    assert "keine personenbezogenen Daten" not in html  # the record's page lists those


@pytest.mark.django_db
def test_the_privacy_page_keeps_its_headings_in_order(client):
    response = client.get("/datenschutz/")
    assert_accessible_basics(response)
    assert_no_inline_code(response)
    page = structure(response)
    assert page.headings.count(3) == len(processing.activities())
