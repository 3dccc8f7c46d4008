"""The portal explained in Leichte Sprache (BITV 2.0, § 4), and in plain English."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.conf import settings

from tests.miglobe.test_pages import assert_accessible_basics, assert_no_inline_code, speak

URL = "/leichte-sprache/"

# The Netzwerk Leichte Sprache asks for short sentences; 15 words is a generous ceiling.
MAX_WORDS = 15
# Elements that end a line of text: a heading or a list item needs no full stop.
BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "div", "br", "td", "th"}
ABBREVIATIONS = re.compile(r"\b(z\. ?B|d\. ?h|u\. ?a|bzw|usw|ggf|evtl|ca|inkl|vgl|Nr)\.", re.I)
# A comma before one of these opens a subordinate clause, which Leichte Sprache avoids.
SUBORDINATE = re.compile(r",\s*(dass|weil|obwohl|wenn|falls|damit|sodass|ob|als)\b", re.I)


class Page(HTMLParser):
    """The h1's text, the text of <main> (a line per block element), and where links go."""

    def __init__(self):
        super().__init__()
        self.h1 = ""
        self.main: list[str] = [""]
        self.main_links: list[str] = []
        self.footer_links: list[str] = []
        self._in: dict[str, int] = {"h1": 0, "main": 0, "footer": 0}

    def handle_starttag(self, tag, attrs):
        if tag in self._in:
            self._in[tag] += 1
        if tag in BLOCKS:
            self.main.append("")
        if tag == "a":
            href = dict(attrs).get("href", "")
            if self._in["main"]:
                self.main_links.append(href)
            if self._in["footer"]:
                self.footer_links.append(href)

    def handle_endtag(self, tag):
        if tag in self._in:
            self._in[tag] -= 1
        if tag in BLOCKS:
            self.main.append("")

    def handle_data(self, data):
        if self._in["h1"]:
            self.h1 += data
        if self._in["main"]:
            self.main[-1] += data

    @property
    def lines(self) -> list[str]:
        return [" ".join(unescape(line).split()) for line in self.main if line.strip()]


def parse(response) -> Page:
    page = Page()
    page.feed(response.content.decode())
    return page


@pytest.mark.django_db
def test_the_page_is_in_leichte_sprache_in_german(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert parse(response).h1.strip() == "MiGlobe in Leichter Sprache"
    assert '<html lang="de">' in response.content.decode()
    assert_accessible_basics(response)
    assert_no_inline_code(response)


@pytest.mark.django_db
def test_the_page_is_in_plain_english_in_english(client):
    speak(client, "en")
    response = client.get(URL)

    assert response.status_code == 200
    assert parse(response).h1.strip() == "MiGlobe in plain English"
    assert '<html lang="en">' in response.content.decode()
    assert_accessible_basics(response)
    assert_no_inline_code(response)


@pytest.mark.django_db
def test_the_browser_language_chooses_the_page_too(client):
    response = client.get(URL, headers={"accept-language": "en-GB,en;q=0.8"})

    assert parse(response).h1.strip() == "MiGlobe in plain English"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_page_names_the_contact_address_and_links_privacy_and_accessibility(client, language):
    speak(client, language)
    page = parse(client.get(URL))

    assert f"mailto:{settings.SKEW_TEAM_EMAIL}" in page.main_links
    assert "/datenschutz/" in page.main_links
    assert "/barrierefreiheit/" in page.main_links


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/organisations/", "/accounts/login/", URL])
def test_every_footer_leads_to_the_page(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert URL in parse(response).footer_links


@pytest.mark.django_db
def test_the_accessibility_statement_leads_to_the_page(client):
    assert URL in parse(client.get("/barrierefreiheit/")).main_links


@pytest.mark.django_db
def test_the_german_page_keeps_to_the_limits_of_leichte_sprache(client):
    lines = parse(client.get(URL)).lines
    assert len(lines) > 50  # the whole text was read, not only the heading

    too_long = []
    for line in lines:
        for sentence in re.split(r"[.!?]", line):
            if len(sentence.split()) > MAX_WORDS:
                too_long.append(sentence.strip())
    assert not too_long, too_long
    assert not [line for line in lines if ";" in line]
    assert not [line for line in lines if ABBREVIATIONS.search(line)]
    assert not [line for line in lines if SUBORDINATE.search(line)]
