"""Applying to a call: no account, a confirmed address, changes and withdrawal by a signed link."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from recruitment.enums import ApplicationStatus
from recruitment.models import Application
from recruitment.services import MANAGE_SALT, token_for
from tests.workspace.conftest import exe_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def payload(languages, field_of_action, **changes) -> dict:
    data = {
        "name": "Leyla Demir",
        "email": "leyla.demir@example.org",
        "home_town": "Stuttgart",
        "countries_of_origin": ["TR"],
        "countries_of_experience": ["TR", "SY"],
        "languages": [language.pk for language in languages],
        "expertise": [field_of_action.pk],
        "experience": "Vorstand im Deutsch-Türkischen Bildungsverein, Projekte mit Schulen.",
        "motivation": "Ich möchte Vereine und Verwaltung zusammenbringen.",
        "availability": "An Wochenenden, etwa zwei Tage im Monat.",
        "gender": "self",
        "gender_self": "nichtbinär",
        "birth_year": "1988",
        "consent": "on",
        "cv": SimpleUploadedFile("lebenslauf.pdf", pdf_bytes(), content_type="application/pdf"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def apply(client, call, data, capture):
    with capture(execute=True):
        return client.post(call.get_absolute_url(), data)


def links(message) -> dict[str, str]:
    found = re.findall(r"https?://[^\s]+(/applications/[^\s]+/)", message.body)
    return {("confirm" if "/confirm/" in path else "manage"): path for path in found}


def test_a_visitor_applies_and_confirms_the_address(
    client, call, languages, field_of_action, django_capture_on_commit_callbacks
):
    page = client.get(call.get_absolute_url())
    assert page.status_code == 200
    assert "Bewerbung absenden" in page.content.decode()

    response = apply(client, call, payload(languages, field_of_action),
                     django_capture_on_commit_callbacks)  # fmt: skip

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == ApplicationStatus.UNCONFIRMED
    assert application.gender_label == "nichtbinär"
    assert application.consent_text == call.consent_text
    assert application.cv.name.endswith(".pdf")
    assert sorted(application.languages.values_list("code", flat=True)) == ["de", "tr"]
    [message] = mail.outbox
    assert message.to == ["leyla.demir@example.org"]
    sent = links(message)
    # The link opens a page with a button (mail scanners follow links, people press buttons).
    assert client.get(sent["confirm"]).status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNCONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(sent["confirm"], follow=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED
    assert confirmed.redirect_chain[-1][0] == sent["manage"]
    assert "eingegangen" in mail.outbox[-1].subject
    # Links to one's application are never shown in the admin's outbox.
    from core.models import OutboxEmail

    assert all(email.secret for email in OutboxEmail.objects.all())


def test_the_same_form_sent_twice_makes_one_application(
    client, call, languages, field_of_action, django_capture_on_commit_callbacks
):
    token = "8c0e4c53-6d7b-4a39-9a53-1c1f0d1a6b11"
    for _ in range(2):
        response = apply(client, call, payload(languages, field_of_action, form_token=token),
                         django_capture_on_commit_callbacks)  # fmt: skip
        assert response.status_code == 302
    assert Application.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_second_application_with_the_same_address_gets_the_link_again(
    client, call, languages, field_of_action, django_capture_on_commit_callbacks
):
    apply(client, call, payload(languages, field_of_action), django_capture_on_commit_callbacks)
    response = apply(
        client,
        call,
        payload(languages, field_of_action, email="Leyla.Demir@example.org", name="L. Demir"),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "schon eine Bewerbung" in re.search(r'role="alert">(.*?)</div>', page, re.S).group(1)
    assert Application.objects.count() == 1
    assert Application.objects.get().name == "Leyla Demir"
    assert len(mail.outbox) == 2 and "manage" in links(mail.outbox[-1])


def test_a_cv_that_is_not_a_pdf_is_refused_next_to_the_field(
    client, call, languages, field_of_action, django_capture_on_commit_callbacks
):
    fake = SimpleUploadedFile("lebenslauf.pdf", exe_bytes(), content_type="application/pdf")
    response = apply(client, call, payload(languages, field_of_action, cv=fake),
                     django_capture_on_commit_callbacks)  # fmt: skip

    assert response.status_code == 400
    errors = re.search(r'id="id_cv_error"[^>]*>(.*?)</', response.content.decode(), re.S)
    assert errors and "kein PDF" in errors.group(1)
    assert not Application.objects.exists() and not mail.outbox


def test_an_incomplete_application_saves_nothing_and_keeps_what_was_typed(
    client, call, languages, field_of_action, django_capture_on_commit_callbacks
):
    response = apply(client, call, payload(languages, field_of_action, motivation="", consent=None),
                     django_capture_on_commit_callbacks)  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'id="id_motivation_error"', page)
    assert re.search(r'id="id_consent_error"', page)
    assert "Vorstand im Deutsch-Türkischen Bildungsverein" in page
    assert not Application.objects.exists()


def test_after_the_deadline_the_form_is_closed_with_a_clear_message(
    client, call, languages, field_of_action, django_capture_on_commit_callbacks
):
    call.deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.save()

    page = client.get(call.get_absolute_url())
    late = apply(client, call, payload(languages, field_of_action),
                 django_capture_on_commit_callbacks)  # fmt: skip

    closed = re.search(r'id="call-closed">(.*?)</div>', page.content.decode(), re.S).group(1)
    assert "Bewerbungsfrist ist am" in closed
    assert "Bewerbung absenden" not in page.content.decode()
    assert late.status_code == 410
    assert not Application.objects.exists()


def test_the_applicant_changes_and_withdraws_by_the_link(
    client, call, languages, field_of_action, django_capture_on_commit_callbacks
):
    from tests.recruitment.factories import ApplicationFactory

    application = ApplicationFactory(call=call, email="leyla.demir@example.org")
    url = reverse("recruitment:manage", args=[token_for(application, MANAGE_SALT)])

    page = client.get(url)
    assert page.status_code == 200
    changed = payload(languages, field_of_action, motivation="Neu: Schulpartnerschaften.",
                      cv=None, consent=None, email=None)  # fmt: skip
    assert client.post(url, changed).status_code == 302
    application.refresh_from_db()
    assert application.motivation == "Neu: Schulpartnerschaften."
    assert application.email == "leyla.demir@example.org"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("recruitment:withdraw", args=[token_for(application, MANAGE_SALT)]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert "zurückgezogen" in mail.outbox[-1].subject
    page = client.get(url).content.decode()
    assert re.search(r'id="application-status">zurückgezogen<', page)
    assert "Änderungen speichern" not in page


def test_a_tampered_or_stale_link_explains_itself(client, call):
    from tests.recruitment.factories import ApplicationFactory

    application = ApplicationFactory(call=call)
    good = token_for(application, MANAGE_SALT)
    application.secret = "erneuert"
    application.save()

    for token in (good, good[:-2] + "xx", "kein-token"):
        response = client.get(reverse("recruitment:manage", args=[token]))
        assert response.status_code == 404
        assert "Dieser Link funktioniert nicht" in response.content.decode()


def test_applicants_never_see_one_another(client, call):
    from tests.recruitment.factories import ApplicationFactory

    mine = ApplicationFactory(call=call, name="Leyla Demir")
    ApplicationFactory(call=call, name="Hamid Rezaei")

    page = client.get(reverse("recruitment:manage", args=[token_for(mine, MANAGE_SALT)]))
    assert "Hamid Rezaei" not in page.content.decode()
    # Nothing public lists applications; the admin asks the recruitment permission.
    assert client.get(reverse("admin:recruitment_application_changelist")).status_code == 302


def test_the_pool_pages_show_open_calls_only(client, call):
    from tests.recruitment.factories import CallFactory

    CallFactory(pool=call.pool, title="Entwurf für 2027", published=False)
    pools = client.get(reverse("recruitment:pools")).content.decode()
    pool = client.get(call.pool.get_absolute_url()).content.decode()

    assert "Ausschreibung 2017" in pools and "Entwurf für 2027" not in pools
    assert "Ausschreibung 2017" in pool and "Entwurf für 2027" not in pool


def test_a_confirmation_link_older_than_seven_days_explains_itself(client, call):
    from recruitment.services import CONFIRM_SALT
    from tests.recruitment.factories import ApplicationFactory

    application = ApplicationFactory(call=call, status=ApplicationStatus.UNCONFIRMED)
    token = token_for(application, CONFIRM_SALT)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        response = client.post(reverse("recruitment:confirm", args=[token]))

    assert response.status_code == 404
    assert "abgelaufen" in re.search(r'id="link-problem">(.*?)</p>', response.content.decode(),
                                     re.S).group(1)  # fmt: skip
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNCONFIRMED


def test_after_the_deadline_the_application_is_read_only_but_can_be_withdrawn(client, call):
    from tests.recruitment.factories import ApplicationFactory

    application = ApplicationFactory(call=call, motivation="Wie eingereicht.")
    url = reverse("recruitment:manage", args=[token_for(application, MANAGE_SALT)])
    call.deadline = timezone.now() - datetime.timedelta(hours=1)
    call.save()

    page = client.get(url).content.decode()
    client.post(url, {"motivation": "Nachträglich geändert."})
    application.refresh_from_db()
    assert "Änderungen speichern" not in page and "Bewerbung zurückziehen" in page
    assert application.motivation == "Wie eingereicht."


def test_a_decided_application_cannot_be_withdrawn(client, call):
    from tests.recruitment.factories import ApplicationFactory

    application = ApplicationFactory(call=call, status=ApplicationStatus.REJECTED)
    url = reverse("recruitment:withdraw", args=[token_for(application, MANAGE_SALT)])

    response = client.post(url, follow=True)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert [str(m) for m in response.context["messages"]] == ["Die Bewerbung ist abgesagt."]
