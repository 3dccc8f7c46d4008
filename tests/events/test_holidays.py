"""The intercultural calendar: holiday warnings in the admin and the public /calendar/ page."""

import datetime
from zoneinfo import ZoneInfo

import holidays
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from events.holidays import coming_holidays, holiday_conflicts, period_end
from events.models import Event
from tests.actors.factories import OrganisationFactory, PublicationConsentFactory
from tests.core.factories import StaffFactory
from tests.engagements.factories import MunicipalityFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
ORDINARY_DAY = datetime.date(2027, 3, 3)  # a Wednesday without a holiday in DE, MA or GH


def eid_al_fitr(year: int = 2027) -> datetime.date:
    morocco = holidays.country_holidays("MA", years=year, language="en_US")
    return min(morocco.get_named("Eid al-Fitr"))


def corpus_christi(year: int = 2027) -> datetime.date:
    nrw = holidays.country_holidays("DE", subdiv="NW", years=year, language="en_US")
    return nrw.get_named("Corpus Christi")[0]


def published(**kwargs):
    organisation = OrganisationFactory(**kwargs)
    PublicationConsentFactory(organisation=organisation)
    return organisation


@pytest.fixture
def duisburg():
    return MunicipalityFactory(name="Duisburg", federal_state="NW")


@pytest.fixture
def berlin():
    return MunicipalityFactory(name="Berlin", federal_state="BE")


# --- the warnings -------------------------------------------------------------


def test_eid_al_fitr_conflicts_in_a_town_with_a_moroccan_organisation(duisburg):
    # Not published: SKEW staff plan with every organisation of the town.
    OrganisationFactory(municipality=duisburg, countries_of_origin=["MA"])

    conflicts = holiday_conflicts(day=eid_al_fitr(), municipality=duisburg)

    assert [(c.country, c.country_name) for c in conflicts] == [("MA", "Marokko")]
    assert "Eid al-Fitr" in conflicts[0].holiday
    assert not conflicts[0].german_public_holiday


def test_community_countries_of_the_town_count_too(duisburg):
    duisburg.community_countries = ["ma ", "XX", ""]
    duisburg.save()

    conflicts = holiday_conflicts(day=eid_al_fitr(), municipality=duisburg)

    assert [c.country for c in conflicts] == ["MA"]


def test_organisations_of_other_towns_do_not_count(duisburg, berlin):
    OrganisationFactory(municipality=berlin, countries_of_origin=["MA"])

    assert holiday_conflicts(day=eid_al_fitr(), municipality=duisburg) == []


def test_corpus_christi_is_a_holiday_in_nrw_but_not_in_berlin(duisburg, berlin):
    day = corpus_christi()

    conflicts = holiday_conflicts(day=day, municipality=duisburg)

    assert [(c.holiday, c.country_name, c.german_public_holiday) for c in conflicts] == [
        ("Fronleichnam", "Nordrhein-Westfalen", True)
    ]
    assert holiday_conflicts(day=day, municipality=berlin) == []


def test_holiday_names_follow_the_active_language(duisburg):
    OrganisationFactory(municipality=duisburg, countries_of_origin=["TR"])
    with translation.override("en"):
        conflicts = holiday_conflicts(day=corpus_christi(), municipality=duisburg)
        turkish = holiday_conflicts(day=datetime.date(2027, 10, 29), municipality=duisburg)

    assert conflicts[0].holiday == "Corpus Christi"
    assert conflicts[0].country_name == "North Rhine-Westphalia"
    # Turkey has English names but no German ones: German pages show the English name too.
    assert [(c.country_name, c.holiday) for c in turkish] == [("Türkiye", "Republic Day")]
    with translation.override("de"):
        turkish = holiday_conflicts(day=datetime.date(2027, 10, 29), municipality=duisburg)
    assert [(c.country_name, c.holiday) for c in turkish] == [("Türkei", "Republic Day")]


def test_no_conflict_on_an_ordinary_day(duisburg):
    OrganisationFactory(municipality=duisburg, countries_of_origin=["MA", "GH"])

    assert holiday_conflicts(day=ORDINARY_DAY, municipality=duisburg) == []


def test_coming_holidays_are_grouped_by_day():
    start = datetime.date(2027, 3, 1)

    days = dict(coming_holidays(countries=["MA", "TR"], start=start, months=3, federal_state="NW"))

    assert {c.country for c in days[eid_al_fitr()]} == {"MA", "TR"}
    assert [c.holiday for c in days[corpus_christi()]] == ["Fronleichnam"]
    assert min(days) >= start
    assert max(days) <= period_end(start, 3) == datetime.date(2027, 5, 31)


# --- the admin ------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(email="planung@example.org"))
    return client


def event_form(municipality, starts_at: datetime.datetime, **extra) -> dict:
    ends_at = starts_at + datetime.timedelta(hours=2)
    return {
        "title": "Planungstreffen",
        "kind": "network_meeting",
        "municipality": municipality.pk,
        "venue": "Rathaus",
        "starts_at_0": starts_at.date().isoformat(),
        "starts_at_1": starts_at.strftime("%H:%M:%S"),
        "ends_at_0": ends_at.date().isoformat(),
        "ends_at_1": ends_at.strftime("%H:%M:%S"),
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        **extra,
    }


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_adding_an_event_on_eid_al_fitr_warns_and_saves(staff_client, duisburg):
    OrganisationFactory(municipality=duisburg, countries_of_origin=["MA"])
    starts_at = datetime.datetime.combine(eid_al_fitr(), datetime.time(17))

    response = staff_client.post(
        reverse("admin:events_event_add"), event_form(duisburg, starts_at), follow=True
    )

    assert response.status_code == 200
    event = Event.objects.get(title="Planungstreffen")
    assert timezone.localtime(event.starts_at).date() == eid_al_fitr()
    warning = next(m for m in messages_of(response) if "Feiertag" in m)
    assert "Eid al-Fitr" in warning and "Marokko" in warning
    assert date_format(eid_al_fitr(), "DATE_FORMAT") in warning
    assert "Eid al-Fitr" in response.content.decode()


def test_changing_an_event_to_corpus_christi_warns(staff_client, duisburg):
    event = EventFactory(municipality=duisburg)
    # Half past midnight in Berlin is still the day before in UTC: the Berlin date counts.
    starts_at = datetime.datetime.combine(corpus_christi(), datetime.time(0, 30))

    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]),
        event_form(duisburg, starts_at, title=event.title),
        follow=True,
    )

    assert response.status_code == 200
    event.refresh_from_db()
    assert event.starts_at.astimezone(BERLIN).date() == corpus_christi()
    assert any(
        "Fronleichnam (gesetzlicher Feiertag in Nordrhein-Westfalen)" in m
        for m in messages_of(response)
    )


def test_no_warning_on_an_ordinary_day(staff_client, duisburg):
    OrganisationFactory(municipality=duisburg, countries_of_origin=["MA"])
    starts_at = datetime.datetime.combine(ORDINARY_DAY, datetime.time(17))

    response = staff_client.post(
        reverse("admin:events_event_add"), event_form(duisburg, starts_at), follow=True
    )

    assert Event.objects.filter(title="Planungstreffen").exists()
    assert not any("Feiertag" in m for m in messages_of(response))


def test_change_page_names_the_holidays_of_the_start_day(staff_client, duisburg):
    OrganisationFactory(municipality=duisburg, countries_of_origin=["MA"])
    event = EventFactory(
        municipality=duisburg,
        starts_at=timezone.make_aware(datetime.datetime.combine(eid_al_fitr(), datetime.time(17))),
    )
    ordinary = EventFactory(
        municipality=duisburg,
        starts_at=timezone.make_aware(datetime.datetime.combine(ORDINARY_DAY, datetime.time(17))),
    )

    page = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert "Feiertage an diesem Tag" in page.content.decode()
    assert "Eid al-Fitr" in page.content.decode()
    page = staff_client.get(reverse("admin:events_event_change", args=[ordinary.pk]))
    assert "Eid al-Fitr" not in page.content.decode()


# --- the public calendar --------------------------------------------------------

CALENDAR = "/calendar/"


def test_calendar_shows_the_holidays_of_published_organisations(client, duisburg):
    published(municipality=duisburg, countries_of_origin=["MA"])
    OrganisationFactory(municipality=duisburg, countries_of_origin=["SN"])  # not published

    page = client.get(CALENDAR + "?months=12").content.decode()

    # A fixed date, so it lies in any twelve months from today.
    assert "Throne Day" in page
    assert "Marokko" in page
    assert "Senegal" not in page
    assert "Tag der Deutschen Einheit" in page
    assert "Allerheiligen" not in page  # a holiday only in some states


def test_calendar_for_one_town(client, duisburg, berlin):
    published(municipality=duisburg, countries_of_origin=["MA"])
    published(municipality=berlin, countries_of_origin=["SN"])

    nrw = client.get(f"{CALENDAR}?months=12&municipality={duisburg.pk}").content.decode()
    capital = client.get(f"{CALENDAR}?months=12&municipality={berlin.pk}").content.decode()

    assert "Throne Day" in nrw and "Allerheiligen" in nrw
    assert "Senegal" not in nrw
    assert "Senegal" in capital
    assert "Throne Day" not in capital and "Allerheiligen" not in capital
    assert f'<option value="{berlin.pk}" selected>Berlin</option>' in capital


def test_calendar_in_english(client, duisburg):
    published(municipality=duisburg, countries_of_origin=["MA"])

    page = client.get(CALENDAR + "?months=12", headers={"accept-language": "en"}).content.decode()

    assert "Morocco" in page
    assert "German Unity Day" in page


@pytest.mark.parametrize(
    "query",
    ["", "?months=abc", "?months=999", "?months=0", "?months=-1", "?municipality=xyz",
     "?municipality=99999", "?municipality=&months="],
)  # fmt: skip
def test_calendar_shows_three_months_for_anything_it_cannot_read(client, duisburg, query):
    response = client.get(CALENDAR + query)

    assert response.status_code == 200
    end = period_end(timezone.localdate(), 3)
    assert date_format(end, "DATE_FORMAT") in response.content.decode()
    assert '<option value="3" selected>' in response.content.decode()


@pytest.mark.parametrize("town", [False, True])
def test_calendar_query_count_does_not_grow_with_organisations(
    client, duisburg, town, count_queries
):
    url = CALENDAR + (f"?municipality={duisburg.pk}" if town else "")
    published(municipality=duisburg, countries_of_origin=["MA"])
    with_one = count_queries.get(client, url)
    countries = ["TR", "GH", "SN", "NG", "SY", "CM", "PL", "VN", "IN", "ET"]
    for i in range(19):
        published(municipality=duisburg, countries_of_origin=[countries[i % len(countries)]])
        MunicipalityFactory(community_countries=["IT"])

    assert count_queries.get(client, url) == with_one
