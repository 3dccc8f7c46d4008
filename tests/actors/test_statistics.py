"""The public statistics page: figures of published organisations only, overall and per town."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from actors.selectors import BAR_MAX, TOP_COUNTRIES, Row
from tests.actors.factories import (
    ContactPersonFactory,
    FieldOfActionFactory,
    OrganisationFactory,
    PublicationConsentFactory,
)
from tests.engagements.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

URL = reverse("actors:statistics")

SCOPE_CAPTION = "Organisationen nach Wirkungsradius"
FIELD_CAPTION = "Organisationen nach Handlungsfeld (Mehrfachnennung möglich)"
COUNTRY_CAPTION = "Organisationen nach Land (Mehrfachnennung möglich)"
TOTAL_LABEL = "veröffentlichte Organisationen insgesamt"
WITH_FIELD_LABEL = "in mindestens einem Handlungsfeld aktiv"


def published(*, fields=(), **kwargs):
    organisation = OrganisationFactory(**kwargs)
    PublicationConsentFactory(organisation=organisation)
    organisation.fields_of_action.set(fields)
    return organisation


def table(html: str, caption: str) -> dict[str, tuple[str, str]]:
    """The rows of the table with this caption: label -> (count, percentage as shown)."""
    start = html.index(f"{caption}</caption>")
    body = html[start : html.index("</table>", start)]
    rows = re.findall(
        r'<th scope="row">(.*?)</th>\s*<td class="numeric">(\d+)</td>\s*'
        r'<td class="numeric">([\d.,]+)&nbsp;%</td>',
        body,
    )
    return {unescape(label): (count, percent) for label, count, percent in rows}


def main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def world():
    """Musterstadt: 10 published (3 international, 3 local, 2 regional, 2 national;
    7 in a field of action) and 3 not published; Beispielheim: 2 published;
    Leerdorf: one organisation whose consent was withdrawn."""
    town = MunicipalityFactory(name="Musterstadt")
    other = MunicipalityFactory(name="Beispielheim")
    empty = MunicipalityFactory(name="Leerdorf")
    fair = FieldOfActionFactory(slug="test-fair", name_de="Testfeld Fairer Handel")
    education = FieldOfActionFactory(slug="test-bildung", name_de="Testfeld Bildung")
    twinning = FieldOfActionFactory(slug="test-partner", name_de="Testfeld Partnerschaft")

    def in_town(scope, fields, origin, activity=()):
        return published(
            municipality=town,
            scope=scope,
            fields=fields,
            countries_of_origin=list(origin),
            countries_of_activity=list(activity),
        )

    # Ghana in origin and activity of the same organisation counts once.
    in_town("international", [fair, education], ["GH"], ["GH"])
    in_town("international", [fair], ["NG", "GH"], ["NG"])
    in_town("international", [fair], ["CM"], ["TG"])
    in_town("local", [education], ["GH"])
    in_town("local", [fair, education], ["TR"])
    in_town("local", [], ["TR"])
    in_town("regional", [fair], [])
    in_town("regional", [], [])
    in_town("national", [education], [])
    in_town("national", [], ["PL"], ["PL"])

    # Not published: never agreed, consent withdrawn, only a contact person agreed.
    OrganisationFactory(municipality=town, scope="international", countries_of_origin=["JP"])
    withdrawn = OrganisationFactory(
        municipality=town, scope="international", countries_of_origin=["JP"]
    )
    withdrawn.fields_of_action.set([fair, twinning])
    PublicationConsentFactory(organisation=withdrawn, withdrawn_at=timezone.now())
    contact_only = OrganisationFactory(municipality=town, scope="local", countries_of_origin=["JP"])
    PublicationConsentFactory(
        organisation=contact_only,
        contact_person=ContactPersonFactory(organisation=contact_only),
    )
    gone = OrganisationFactory(municipality=empty, scope="local", countries_of_origin=["JP"])
    PublicationConsentFactory(organisation=gone, withdrawn_at=timezone.now())

    published(
        municipality=other,
        scope="international",
        fields=[twinning],
        countries_of_origin=["GH"],
    )
    published(municipality=other, scope="local", countries_of_origin=["MA"])
    return {"town": town, "other": other, "empty": empty}


def test_municipality_figures_count_only_published_organisations(client, world):
    response = client.get(URL, {"municipality": world["town"].pk})

    assert response.status_code == 200
    html = main(response)
    assert table(html, SCOPE_CAPTION) == {
        "lokal": ("3", "30,0"),
        "regional": ("2", "20,0"),
        "bundesweit": ("2", "20,0"),
        "international": ("3", "30,0"),
        TOTAL_LABEL: ("10", "100,0"),
    }
    fields = table(html, FIELD_CAPTION)
    assert fields["Testfeld Fairer Handel"] == ("5", "50,0")
    assert fields["Testfeld Bildung"] == ("4", "40,0")
    # Only the withdrawn organisation works on partnerships: it shows as 0.
    assert fields["Testfeld Partnerschaft"] == ("0", "0,0")
    assert fields[WITH_FIELD_LABEL] == ("7", "70,0")
    assert table(html, COUNTRY_CAPTION) == {
        "Ghana": ("3", "30,0"),
        "Türkei": ("2", "20,0"),
        "Kamerun": ("1", "10,0"),
        "Nigeria": ("1", "10,0"),
        "Polen": ("1", "10,0"),
        "Togo": ("1", "10,0"),
        "ohne Angabe eines Landes": ("3", "30,0"),
        TOTAL_LABEL: ("10", "100,0"),
    }
    assert "Japan" not in html
    assert "Musterstadt" in html


def test_overall_figures_cover_every_town(client, world):
    html = main(client.get(URL))

    scopes = table(html, SCOPE_CAPTION)
    assert scopes["international"] == ("4", "33,3")
    assert scopes["lokal"] == ("4", "33,3")
    assert scopes[TOTAL_LABEL] == ("12", "100,0")
    fields = table(html, FIELD_CAPTION)
    assert fields[WITH_FIELD_LABEL] == ("8", "66,7")
    assert fields["Testfeld Partnerschaft"] == ("1", "8,3")
    countries = table(html, COUNTRY_CAPTION)
    assert countries["Ghana"] == ("4", "33,3")
    assert countries["Marokko"] == ("1", "8,3")
    assert "Japan" not in html


def test_summary_shows_key_shares(client, world):
    html = main(client.get(URL, {"municipality": world["town"].pk}))

    summary = html[html.index('<dl class="stats-summary">') : html.index("</dl>")]
    assert re.search(r"<dd>10</dd>", summary)
    assert summary.count("30,0&nbsp;%") == 2  # international and local
    assert "70,0&nbsp;%" in summary


def test_percentages_follow_the_language(client, world):
    german = main(client.get(URL, HTTP_ACCEPT_LANGUAGE="de"))
    english = main(client.get(URL, HTTP_ACCEPT_LANGUAGE="en"))

    assert "33,3&nbsp;%" in german
    assert "33.3&nbsp;%" in english
    assert "33,3" not in english


def test_form_lists_only_towns_with_published_organisations(client, world):
    html = main(client.get(URL))

    select = html[html.index('<select name="municipality"') : html.index("</select>")]
    assert "Musterstadt" in select
    assert "Beispielheim" in select
    assert "Leerdorf" not in select
    assert 'method="get"' in html


@pytest.mark.parametrize("value", ["abc", "999999", "-1", "1.5"])
def test_invalid_municipality_shows_an_error_and_the_overall_figures(client, world, value):
    response = client.get(URL, {"municipality": value})

    assert response.status_code == 200
    html = main(response)
    assert 'class="errorlist' in html
    assert "Für diese Kommune gibt es keine veröffentlichten Organisationen." in html
    assert table(html, SCOPE_CAPTION)[TOTAL_LABEL] == ("12", "100,0")


def test_town_without_published_organisations_is_not_a_choice(client, world):
    response = client.get(URL, {"municipality": world["empty"].pk})

    assert response.status_code == 200
    assert 'class="errorlist' in main(response)
    assert table(main(response), SCOPE_CAPTION)[TOTAL_LABEL] == ("12", "100,0")


def test_empty_choice_means_overall(client, world):
    html = main(client.get(URL, {"municipality": ""}))

    assert "errorlist" not in html
    assert table(html, SCOPE_CAPTION)[TOTAL_LABEL] == ("12", "100,0")


def test_page_without_published_organisations(client):
    OrganisationFactory()

    response = client.get(URL)

    assert response.status_code == 200
    assert "Es sind noch keine Organisationen veröffentlicht." in main(response)


def test_countries_beyond_the_top_are_grouped_as_further_countries(client):
    town = MunicipalityFactory()
    codes = ["AF", "AO", "BD", "BR", "CM", "CD", "ER", "ET", "GH", "GR", "IQ", "KE", "MA", "NG"]
    codes += ["PE", "PL"]  # 16 countries named once
    for code in codes:
        published(municipality=town, countries_of_origin=[code])
    published(municipality=town, countries_of_origin=["TG"])
    published(municipality=town, countries_of_origin=[], countries_of_activity=["TG"])

    html = main(client.get(URL))

    countries = table(html, COUNTRY_CAPTION)
    # Togo leads; ties go by German name, with Äthiopien among the A.
    assert list(countries)[:4] == ["Togo", "Afghanistan", "Angola", "Äthiopien"]
    assert countries["Togo"] == ("2", "11,1")
    # The top, "weitere Länder", then "ohne Angabe" and the total in the footer.
    assert len(countries) == TOP_COUNTRIES + 3
    assert countries["ohne Angabe eines Landes"] == ("0", "0,0")
    assert "Nigeria" in countries
    # Peru and Polen come last alphabetically and are grouped.
    assert "Peru" not in countries
    assert "Polen" not in countries
    assert countries["weitere Länder"] == ("2", "11,1")
    assert "einem der 2 weiteren Länder" in html


def test_charts_are_hidden_from_screen_readers_and_need_no_inline_style(client, world):
    response = client.get(URL, {"municipality": world["town"].pk})
    html = main(response)

    assert html.count("<h1") == 1
    assert html.count('<svg class="chart" aria-hidden="true"') == 3
    assert html.count("<table") == 3
    assert html.count("<caption") == 3
    assert " style=" not in html
    assert "<style" not in html
    assert "<script" not in html
    assert "css/charts.css" in response.content.decode()
    # 50 % of the organisations: half of the full bar.
    assert f'class="chart__bar" x="0" y="22" width="{BAR_MAX // 2}"' in html
    assert f'class="chart__track" x="0" y="22" width="{BAR_MAX}"' in html


def test_bar_width_keeps_small_shares_visible():
    assert Row(key="a", label="a", count=0, percent=0.0).bar_width == 0
    assert Row(key="a", label="a", count=1, percent=0.01).bar_width == 1
    assert Row(key="a", label="a", count=4, percent=100.0).bar_width == BAR_MAX


def _many(town, count, fields):
    for index in range(count):
        published(
            municipality=town,
            scope=["local", "regional", "national", "international"][index % 4],
            fields=fields[: index % 3],
            countries_of_origin=[["GH"], ["NG", "CM"], []][index % 3],
            countries_of_activity=[["TG"], [], ["PL"]][index % 3],
        )


def test_query_count_does_not_grow_with_the_organisations(client, count_queries):
    town = MunicipalityFactory()
    fields = [FieldOfActionFactory(), FieldOfActionFactory()]
    _many(town, 10, fields)
    few_overall = count_queries.get(client, URL, {})
    few_town = count_queries.get(client, URL, {"municipality": town.pk})

    _many(town, 30, fields)
    _many(MunicipalityFactory(), 5, fields)

    assert count_queries.get(client, URL, {}) == few_overall
    assert count_queries.get(client, URL, {"municipality": town.pk}) == few_town
