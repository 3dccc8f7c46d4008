"""The public look: base layout, home page, language switch and the allauth pages."""

import re
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail

PASSWORD = "Kommunal-Entwicklung-2024"

# A JSON data block (allauth's email page passes its texts to its script that way) is
# never executed, so the CSP allows it; any other <script> needs a src.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE
)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
LINK_IN_MAIL = re.compile(r"https?://[^/\s]+(/accounts/\S+)")


class PageStructure(HTMLParser):
    """Collects what the accessibility checks need: headings, labels and form controls."""

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.label_targets: set[str] = set()
        self.controls: list[dict] = []
        self.ids: set[str] = set()
        self.html_lang: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "html":
            self.html_lang = attrs.get("lang")
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "label" and attrs.get("for"):
            self.label_targets.add(attrs["for"])
        elif tag in {"input", "select", "textarea"} and attrs.get("type") not in {
            "hidden",
            "submit",
            "button",
        }:
            self.controls.append(attrs)


def parse(response) -> PageStructure:
    page = PageStructure()
    page.feed(response.content.decode())
    return page


def assert_accessible_basics(response):
    """One h1, no skipped heading levels, every control labelled, described-by ids exist."""
    html = response.content.decode()
    page = parse(response)
    assert page.headings.count(1) == 1, page.headings
    for previous, current in zip(page.headings, page.headings[1:], strict=False):
        assert current <= previous + 1, f"heading h{current} follows h{previous}"
    for control in page.controls:
        assert control.get("id") in page.label_targets, f"no label for {control}"
        for described_by in (control.get("aria-describedby") or "").split():
            assert described_by in page.ids, f"aria-describedby points nowhere: {control}"
    assert 'href="#main"' in html
    assert 'id="main"' in html


def assert_no_inline_code(response):
    """The Content-Security-Policy forbids inline scripts, styles and handlers."""
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not STYLE_ATTRIBUTE.search(html), STYLE_ATTRIBUTE.search(html).group(0)
    assert not STYLE_ELEMENT.search(html)
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html).group(0)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # allauth counts attempts in the cache (one confirmation mail per address every
    # three minutes), so the counts would carry over from one test to the next.
    # Clearing the cache instead would flush the Redis database other workers share.
    settings.ACCOUNT_RATE_LIMITS = False


def make_user(email="amara.diallo@example.org", *, verified=True, **extra):
    user = get_user_model().objects.create_user(email=email, password=PASSWORD, **extra)
    if verified:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def speak(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def link_from_last_mail():
    match = LINK_IN_MAIL.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


# --- Home page and base layout ---------------------------------------------------


@pytest.mark.django_db
def test_home_page_is_german_by_default(client):
    response = client.get("/")

    assert response.status_code == 200
    assert parse(response).html_lang == "de"
    assert response["Content-Language"] == "de"
    html = response.content.decode()
    assert "Alle sind Lernende" in html
    assert "100 %" in html
    assert "Handlungsoptionen" in html
    assert "Im Auftrag des Bundesministeriums" in html
    assert "Engagement Global" in html


@pytest.mark.django_db
def test_switching_language_to_english_serves_english_page(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"

    response = client.get("/")

    assert parse(response).html_lang == "en"
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_language_switcher_is_a_labelled_form_that_works_without_javascript(client):
    html = client.get("/").content.decode()

    form = re.search(r'<form[^>]*action="/i18n/setlang/"[^>]*>(.*?)</form>', html, re.S)
    assert form, "no language form"
    assert 'method="post"' in form.group(0)
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert re.search(r'<label[^>]*for="language-select"', form.group(1))
    assert re.search(r'<select[^>]*name="language"', form.group(1))
    assert 'value="en"' in form.group(1)
    assert 'type="submit"' in form.group(1)


@pytest.mark.django_db
def test_home_page_links_to_directory_events_request_form_and_login(client):
    html = client.get("/").content.decode()

    for path in ("/organisations/", "/events/", "/requests/new/", "/accounts/login/"):
        assert f'href="{path}"' in html, path


@pytest.mark.django_db
def test_home_page_is_structured_for_assistive_technology(client):
    response = client.get("/")

    assert_accessible_basics(response)
    html = response.content.decode()
    assert re.search(r"<nav[^>]*aria-label=", html)
    assert '<link rel="stylesheet" href="/static/css/miglobe.css">' in html


@pytest.mark.django_db
def test_home_page_has_no_inline_scripts_or_styles(client):
    assert_no_inline_code(client.get("/"))


@pytest.mark.django_db
def test_messages_are_announced(client):
    make_user()
    response = client.post(
        "/accounts/login/", {"login": "amara.diallo@example.org", "password": PASSWORD}, follow=True
    )

    assert re.search(r'<p class="message message--success" role="status">', response.text)


# --- Login, logout, staff link -------------------------------------------------------


@pytest.mark.django_db
def test_login_page_has_labelled_email_field(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    html = response.content.decode()
    email = re.search(r'<input[^>]*type="email"[^>]*>', html)
    assert email, "no email field"
    assert 'name="login"' in email.group(0)
    field_id = re.search(r'id="([^"]+)"', email.group(0)).group(1)
    assert re.search(rf'<label for="{field_id}">[^<]*E-Mail', html)
    assert_accessible_basics(response)


@pytest.mark.django_db
def test_user_logs_in_with_email_and_then_sees_logout_button(client):
    make_user()

    response = client.post(
        "/accounts/login/", {"login": "amara.diallo@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302

    html = client.get("/").content.decode()
    logout = re.search(r'<form[^>]*action="/accounts/logout/"[^>]*>(.*?)</form>', html, re.S)
    assert logout, "no logout form"
    assert 'method="post"' in logout.group(0)
    assert 'name="csrfmiddlewaretoken"' in logout.group(1)
    assert re.search(r'<button type="submit"[^>]*>Abmelden</button>', logout.group(1))
    assert 'href="/accounts/login/"' not in html.split("</header>")[0]


@pytest.mark.django_db
def test_wrong_password_is_reported_next_to_the_form(client):
    make_user()

    response = client.post(
        "/accounts/login/", {"login": "amara.diallo@example.org", "password": "falsch"}
    )

    assert response.status_code == 200
    assert re.search(
        r'<div class="form-errors" role="alert">\s*<ul class="errorlist', response.text
    )
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_missing_field_error_is_tied_to_its_field(client):
    response = client.post("/accounts/login/", {"login": "", "password": ""})

    html = response.content.decode()
    email = re.search(r'<input[^>]*name="login"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in email
    error_id = re.search(r'aria-describedby="([^"]+)"', email).group(1)
    assert re.search(rf'<ul class="errorlist" id="{error_id}">', html)
    assert_accessible_basics(response)


@pytest.mark.django_db
def test_user_with_unverified_email_is_asked_to_verify(client, django_capture_on_commit_callbacks):
    make_user(verified=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/login/",
            {"login": "amara.diallo@example.org", "password": PASSWORD},
            follow=True,
        )

    assert response.redirect_chain[-1][0] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_logout_by_post_ends_the_session(client):
    user = make_user()
    client.force_login(user)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_staff_sees_admin_link(client):
    client.force_login(make_user(is_staff=True))

    html = client.get("/").content.decode()

    assert 'href="/admin/"' in html


@pytest.mark.django_db
def test_logged_in_non_staff_does_not_see_admin_link(client):
    client.force_login(make_user())

    html = client.get("/").content.decode()

    assert 'href="/admin/"' not in html


@pytest.mark.django_db
def test_anonymous_visitor_does_not_see_admin_link(client):
    assert 'href="/admin/"' not in client.get("/").content.decode()


# --- The allauth pages, in both languages ----------------------------------------------

SIGN_IN = {"de": "Anmeldung", "en": "Sign In"}


@pytest.fixture(params=["de", "en"])
def language(request, client):
    speak(client, request.param)
    return request.param


def assert_account_page(response, language):
    assert response.status_code == 200
    assert parse(response).html_lang == language
    assert response["Content-Language"] == language
    assert '<link rel="stylesheet" href="/static/css/miglobe.css">' in response.text
    assert_accessible_basics(response)
    assert_no_inline_code(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/key/done/",
        "/accounts/confirm-email/",
    ],
)
def test_entrance_page_renders_in_portal_layout(client, language, path):
    response = client.get(path)

    assert_account_page(response, language)
    assert 'class="site-header"' in response.text


@pytest.mark.django_db
def test_login_page_speaks_the_chosen_language(client, language):
    response = client.get("/accounts/login/")

    assert re.search(rf"<h1>\s*{SIGN_IN[language]}\s*</h1>", response.text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/accounts/logout/", "/accounts/email/", "/accounts/password/change/"]
)
def test_account_management_page_renders_in_portal_layout(client, language, path):
    client.force_login(make_user())

    response = client.get(path)

    assert_account_page(response, language)


@pytest.mark.django_db
def test_signup_sends_confirmation_and_confirm_page_renders(
    client, language, django_capture_on_commit_callbacks
):
    from engagements.models import Municipality, MunicipalOfficer

    municipality = Municipality.objects.create(name="Eschweiler", federal_state="NW")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "kemal.yilmaz@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "name": "Kemal Yilmaz",
                "municipality": municipality.pk,
                "role": "Integrationsbeauftragter",
            },
        )
    assert response.status_code == 302
    officer = MunicipalOfficer.objects.get(user__email="kemal.yilmaz@example.org")
    assert officer.municipality == municipality
    assert not officer.is_confirmed
    assert response["Location"] == "/accounts/confirm-email/"

    response = client.get(link_from_last_mail())

    assert_account_page(response, language)
    assert 'action="/accounts/confirm-email/' in response.text

    response = client.post(link_from_last_mail())
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="kemal.yilmaz@example.org").verified


@pytest.mark.django_db
def test_signup_with_mismatched_passwords_shows_error_at_the_field(client, language):
    response = client.post(
        "/accounts/signup/",
        {"email": "kemal.yilmaz@example.org", "password1": PASSWORD, "password2": "anders"},
    )

    assert_account_page(response, language)
    assert 'aria-invalid="true"' in response.text
    assert '<ul class="errorlist" id="id_password2_error">' in response.text


@pytest.mark.django_db
def test_password_reset_from_key_page_renders_and_sets_password(
    client, language, django_capture_on_commit_callbacks
):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302

    response = client.get(link_from_last_mail(), follow=True)

    assert_account_page(response, language)
    assert 'name="password1"' in response.text
    new_password = "Neue-Chancen-fuer-Kommunen-9"
    response = client.post(
        response.redirect_chain[-1][0] if response.redirect_chain else link_from_last_mail(),
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


# --- Error pages ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_missing_page_says_so_in_german_inside_the_portal(client):
    response = client.get("/requests/987654/")  # anonymous: sent to log in
    assert response.status_code == 302
    response = client.get("/organisations/gibt-es-nicht/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Seite nicht gefunden</h1>" in html
    assert 'class="skip-link"' in html  # the portal's own layout, with its navigation
    assert "Not Found" not in html


@pytest.mark.django_db
def test_the_missing_page_in_english(client):
    speak(client, "en")
    html = client.get("/organisations/gibt-es-nicht/").content.decode()
    assert "<h1>Page not found</h1>" in html


@pytest.mark.django_db
def test_a_refused_action_explains_itself(client):
    client.force_login(make_user(email="kein-team@example.org", is_staff=True))
    response = client.get("/admin/engagements/costcorrection/add/")

    assert response.status_code == 403
    assert "<h1>Keine Berechtigung</h1>" in response.content.decode()


def test_the_server_error_page_needs_nothing_but_itself():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")  # rendered without a request or context
    assert "Ein Fehler ist aufgetreten" in html
    assert "/static/css/miglobe.css" in html


# --- Legal pages ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, heading",
    [
        ("/impressum/", "Impressum"),
        ("/datenschutz/", "Datenschutzerklärung"),
        ("/barrierefreiheit/", "Erklärung zur Barrierefreiheit"),
    ],
)
def test_the_footer_leads_to_the_legal_pages(client, url, heading):
    home = client.get("/").content.decode()
    assert f'href="{url}"' in home
    page = client.get(url)
    assert page.status_code == 200
    assert f"<h1>{heading}</h1>" in page.content.decode()
    assert_no_inline_code(page)


@pytest.mark.django_db
def test_the_privacy_page_states_the_configured_period_and_map_server(client, settings):
    settings.MIGLOBE_PERSONAL_DATA_RETENTION_DAYS = 180
    settings.MIGLOBE_MAP_TILES = "https://{s}.karten.example.test/{z}/{x}/{y}.png"
    html = client.get("/datenschutz/").content.decode()
    assert "180 Tage nach der Veranstaltung" in html
    assert "karten.example.test" in html
    settings.MIGLOBE_MAP_TILES = ""
    assert "keine Karte von Dritten" in client.get("/datenschutz/").content.decode()


@pytest.mark.django_db
def test_the_legal_pages_in_english(client):
    speak(client, "en")
    assert "<h1>Privacy policy</h1>" in client.get("/datenschutz/").content.decode()
    assert "<h1>Accessibility statement</h1>" in client.get("/barrierefreiheit/").content.decode()
    assert "<h1>Legal notice</h1>" in client.get("/impressum/").content.decode()
