"""SKEW's side: reviews with scores, the pool in view, decisions, and who may see what."""

import datetime
import re

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from advisors.models import Advisor, PoolMembership
from recruitment.enums import ApplicationStatus
from recruitment.models import Application
from recruitment.services import forget_old_applications
from tests.advisors.factories import AdvisorFactory, PoolMembershipFactory
from tests.core.factories import StaffMemberFactory
from tests.engagements.factories import MunicipalityFactory
from tests.recruitment.factories import ApplicationFactory, CallFactory
from tests.workspace.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def changelist(call) -> str:
    return reverse("admin:recruitment_application_changelist") + f"?call__id__exact={call.pk}"


def review(client, application, points: int, comment: str = ""):
    data = {f"c{c.pk}": str(points) for c in application.call.criteria.all()}
    data["comment"] = comment
    return client.post(reverse("admin:recruitment_application_review", args=[application.pk]), data)


def decide(client, application, step: str, **data):
    url = reverse("admin:recruitment_application_decide", args=[application.pk])
    return client.post(url, {"step": step, **data})


def test_the_pool_in_view_counts_the_pool_and_the_shortlist(client, log_in, call, recruiter):
    stuttgart = MunicipalityFactory(name="Stuttgart", federal_state="BW")
    for gender, year, origins in (("female", 1980, ["TR"]), ("male", 1965, ["IR"])):
        advisor = AdvisorFactory(
            gender=gender, birth_year=year, countries_of_origin=origins,
            home_municipality=stuttgart,
        )  # fmt: skip
        PoolMembershipFactory(advisor=advisor, pool=call.pool, joined_on=datetime.date(2017, 3, 1))
    ApplicationFactory(call=call, status=ApplicationStatus.SHORTLISTED, gender="female",
                       countries_of_origin=["ER"], home_town="Ulm")  # fmt: skip
    ApplicationFactory(call=call, status=ApplicationStatus.RECEIVED, countries_of_origin=["PE"])
    log_in(client, recruiter)

    page = client.get(changelist(call)).content.decode()

    summary = re.search(r'id="pool-in-view-summary">(.*?)</p>', page, re.S).group(1)
    assert "2 Berater*innen im Pool, 1 in der engeren Wahl" in " ".join(summary.split())
    gender = re.search(r'id="pool-in-view-gender">(.*?)</table>', page, re.S).group(1)
    row = re.search(r"<th scope=\"row\">weiblich</th>(.*?)</tr>", gender, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "1", "2"]
    countries = re.search(r'id="pool-in-view-country">(.*?)</table>', page, re.S).group(1)
    assert "Eritrea" in countries and "Peru" not in countries  # only the shortlist counts
    towns = re.search(r'id="pool-in-view-town">(.*?)</table>', page, re.S).group(1)
    assert "Stuttgart" in towns and "Ulm" in towns


def test_a_reviewer_sees_the_others_scores_only_after_giving_their_own(
    client, log_in, call, recruiter, partner
):
    application = ApplicationFactory(call=call)
    log_in(client, recruiter)
    assert review(client, application, 5, "Starke Vereinsarbeit.").status_code == 302
    client.logout()

    log_in(client, partner)
    url = reverse("admin:recruitment_application_review", args=[application.pk])
    before = client.get(url).content.decode()
    assert "Starke Vereinsarbeit." not in before
    assert "sobald Sie Ihre eigene abgegeben haben" in before
    assert review(client, application, 3).status_code == 302
    after = client.get(url).content.decode()
    reviews = re.search(r'id="reviews">(.*?)</section>', after, re.S).group(1)
    assert "Starke Vereinsarbeit." in reviews and "Lena Team" in reviews


def test_a_review_without_every_criterion_is_refused_and_saves_nothing(
    client, log_in, call, recruiter
):
    application = ApplicationFactory(call=call)
    first = application.call.criteria.first()
    log_in(client, recruiter)
    response = client.post(
        reverse("admin:recruitment_application_review", args=[application.pk]),
        {f"c{first.pk}": "9", "comment": "x"},
    )
    assert response.status_code == 400
    assert not application.reviews.exists()


def test_a_partner_sees_only_the_calls_they_review(client, log_in, call, partner):
    mine = ApplicationFactory(call=call, name="Leyla Demir")
    other_call = CallFactory(pool=call.pool)
    theirs = ApplicationFactory(call=other_call, name="Hamid Rezaei")
    log_in(client, partner)

    page = client.get(reverse("admin:recruitment_application_changelist")).content.decode()
    assert "Leyla Demir" in page and "Hamid Rezaei" not in page
    assert review(client, theirs, 4).status_code == 404
    assert (
        client.get(reverse("admin:recruitment_application_decide", args=[mine.pk])).status_code
        == 403
    )  # SKEW decides
    assert (
        client.get(reverse("admin:recruitment_application_cv", args=[theirs.pk])).status_code == 404
    )


def test_staff_without_the_recruitment_permission_see_no_application(client, log_in, call):
    finance = StaffMemberFactory(email="finanzen@skew.example.org", groups=["SKEW-Finanzen"])
    application = ApplicationFactory(call=call)
    log_in(client, finance)

    assert client.get(reverse("admin:recruitment_application_changelist")).status_code == 403
    assert review(client, application, 4).status_code == 404


def test_shortlist_invite_accept_and_the_new_advisor_logs_in(
    client, log_in, call, recruiter, languages, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(call=call, name="Leyla Demir", email="leyla@example.org",
                                     home_town="Stuttgart", countries_of_origin=["TR"])  # fmt: skip
    application.languages.set(languages)
    stuttgart = MunicipalityFactory(name="Stuttgart", federal_state="BW")
    log_in(client, recruiter)

    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, application, "shortlist").status_code == 302
        day = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
        invited = decide(client, application, "invite", **{
            "invite-at_0": day, "invite-at_1": "14:30", "invite-place": "Forum der Kulturen",
        })  # fmt: skip
        assert invited.status_code == 302
        assert decide(client, application, "accept").status_code == 302

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    invitation, welcome = mail.outbox[-2:]
    assert "14:30" in invitation.body and "Forum der Kulturen" in invitation.body
    advisor = Advisor.objects.get(user__email="leyla@example.org")
    assert application.advisor == advisor
    assert advisor.home_municipality == stuttgart
    assert list(advisor.countries_of_origin) == ["TR"]
    assert advisor.languages.count() == 2
    membership = PoolMembership.objects.get(advisor=advisor)
    assert (membership.pool, membership.joined_on) == (call.pool, call.starts_on)

    # The welcome mail's link sets the password; then the advisor logs in.
    client.logout()
    path = re.search(r"https?://[^\s]+?(/accounts/password/reset/key/[^\s]+/)", welcome.body)[1]
    form_page = client.get(path, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    client.post(
        action, {"password1": "Ein-neues-Passwort-2027", "password2": "Ein-neues-Passwort-2027"}
    )
    assert authenticate(email="leyla@example.org", password="Ein-neues-Passwort-2027") is not None


def test_steps_out_of_order_are_refused_with_their_reason(client, log_in, call, recruiter):
    application = ApplicationFactory(call=call)
    log_in(client, recruiter)

    response = decide(client, application, "accept")

    assert response.status_code == 400
    errors = re.search(r'id="decide-errors">(.*?)</div>', response.content.decode(), re.S)
    assert errors and "eingegangen" in errors.group(1)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED
    assert not Advisor.objects.exists()


def test_a_rejection_is_kind_and_carries_skews_own_words(
    client, log_in, call, recruiter, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(call=call, email="hamid@example.org")
    log_in(client, recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            client, application, "reject", **{"reject-message": "Ihr Profil passt gut nach NRW."}
        )

    [message] = mail.outbox
    assert message.to == ["hamid@example.org"]
    assert "Ihr Profil passt gut nach NRW." in message.body
    assert "kein Urteil über Ihr Engagement" in message.body


def test_applications_not_accepted_lose_their_personal_data_after_the_retention_time(
    settings, call, django_capture_on_commit_callbacks
):
    settings.MIGLOBE_APPLICATION_RETENTION_MONTHS = 6
    call.deadline = timezone.now() - datetime.timedelta(days=200)
    call.opens_at = call.deadline - datetime.timedelta(days=30)
    call.save()
    rejected = ApplicationFactory(call=call, status=ApplicationStatus.REJECTED, name="Hamid R.")
    rejected.cv.save("lebenslauf.pdf", ContentFile(pdf_bytes()))
    stored = rejected.cv.name
    accepted = ApplicationFactory(call=call, status=ApplicationStatus.ACCEPTED, name="Leyla D.")
    fresh_call = CallFactory(pool=call.pool)
    recent = ApplicationFactory(call=fresh_call, status=ApplicationStatus.REJECTED)

    with django_capture_on_commit_callbacks(execute=True):  # the file goes after the commit
        assert forget_old_applications(timezone.now(), timezone.now()) == 1

    rejected.refresh_from_db()
    assert (rejected.name, rejected.email, rejected.motivation, rejected.cv.name) == (
        "",
        "",
        "",
        "",
    )
    assert rejected.status == ApplicationStatus.REJECTED  # the call's counts stay
    assert not rejected.cv.storage.exists(stored)
    assert Application.objects.get(pk=accepted.pk).name == "Leyla D."
    assert Application.objects.get(pk=recent.pk).name
