"""The staff side: one permission model, no climbing, a second factor, a fresh login."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import User
from core.permissions import Capability, holders, may
from engagements.enums import RequestStatus
from miglobe.staff_groups import ADMINISTRATION, FINANCE, TEAM
from tests.core.factories import StaffFactory, StaffMemberFactory, UserFactory
from tests.engagements.factories import (
    ConsultationRequestFactory,
    ExpenseFactory,
    MunicipalOfficerFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-passwort-123"  # UserFactory's


def can_log_in(user):
    """A confirmed email address, as every account that logs in has."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def change_url(user) -> str:
    return reverse("admin:core_user_change", args=[user.pk])


def user_form(user, **changes) -> dict:
    data = {
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "is_active": "on",
        "date_joined_0": "01.01.2026",
        "date_joined_1": "10:00:00",
    }
    data.update(changes)
    return data


# --- One permission model ---------------------------------------------------------------


def test_each_group_holds_the_capabilities_its_office_needs():
    team = StaffMemberFactory(groups=[TEAM])
    finance = StaffMemberFactory(groups=[FINANCE])
    administration = StaffMemberFactory(groups=[ADMINISTRATION])
    bare = StaffMemberFactory()

    held = {
        name: {c for c in Capability if may(user, c)}
        for name, user in [
            ("team", team),
            ("finance", finance),
            ("administration", administration),
            ("bare", bare),
        ]
    }

    assert held["team"] == {
        Capability.REVIEW_REQUESTS,
        Capability.STEER_ENGAGEMENTS,
        Capability.MODERATE_DIRECTORY,
        Capability.MANAGE_EVENTS,
        Capability.SEE_FIGURES,
        Capability.RECRUIT,
        Capability.MANAGE_POOLS,
    }
    assert held["finance"] == {
        Capability.APPROVE_COSTS,
        Capability.MAKE_REPORTS,
        Capability.SEE_RECEIPTS,
        Capability.SEE_FIGURES,
    }
    assert held["administration"] == {
        Capability.MANAGE_USERS,
        Capability.RESEND_MAIL,
        Capability.DATA_PROTECTION,
    }
    assert held["bare"] == set()


def test_a_group_without_staff_status_grants_nothing():
    someone = StaffMemberFactory(groups=[TEAM, FINANCE])
    someone.is_staff = False
    someone.save()
    assert not any(may(User.objects.get(pk=someone.pk), c) for c in Capability)


def test_reminders_about_requests_go_to_those_who_review_them():
    reviewer = StaffMemberFactory(email="team@example.org", groups=[TEAM])
    StaffMemberFactory(email="finanzen@example.org", groups=[FINANCE])
    StaffMemberFactory(email="ohne-rechte@example.org")
    root = StaffFactory(email="root@example.org")
    assert list(holders(Capability.REVIEW_REQUESTS)) == [root, reviewer]


def test_staff_without_permissions_see_no_request_no_receipt_and_cannot_write(client, log_in):
    officer = MunicipalOfficerFactory(confirmed_at="2026-01-01T10:00Z")
    submitted = ConsultationRequestFactory(
        municipality=officer.municipality,
        created_by=officer.user,
        status=RequestStatus.SUBMITTED,
    )
    expense = ExpenseFactory(receipt=SimpleUploadedFile("beleg.pdf", b"%PDF-1.4 beleg"))
    log_in(client, StaffMemberFactory())

    assert client.get(reverse("engagements:request_list")).status_code == 404
    assert client.get(submitted.get_absolute_url()).status_code == 404
    receipt = reverse("workspace:expense_receipt", args=[expense.pk])
    assert client.get(receipt).status_code == 404
    response = client.post(
        reverse("engagements:request_message", args=[submitted.pk]), {"body": "Hallo"}
    )
    assert response.status_code == 404
    assert submitted.messages.count() == 0
    assert mail.outbox == []
    # The admin's door opens, and there is nothing behind it.
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert index.context["app_list"] == []


def test_receipts_are_for_finance_not_for_the_team(client, log_in):
    expense = ExpenseFactory(receipt=SimpleUploadedFile("beleg.pdf", b"%PDF-1.4 beleg"))
    receipt = reverse("workspace:expense_receipt", args=[expense.pk])
    changelist = reverse("admin:engagements_expense_changelist")

    log_in(client, StaffMemberFactory(groups=[TEAM]))
    assert client.get(receipt).status_code == 404
    assert receipt not in client.get(changelist).content.decode()

    log_in(client, StaffMemberFactory(groups=[FINANCE]))
    assert client.get(receipt).status_code == 200
    assert receipt in client.get(changelist).content.decode()


# --- No climbing ------------------------------------------------------------------------


def test_user_administration_cannot_make_anyone_superuser_or_staff(client, log_in):
    admin_user = StaffMemberFactory(groups=[ADMINISTRATION])
    officer = UserFactory(email="officer@example.org")
    log_in(client, admin_user)

    response = client.post(
        change_url(officer),
        user_form(officer, name="Neu", is_superuser="on", is_staff="on", groups=[1, 2, 3]),
    )

    assert response.status_code == 302  # saved what they may change …
    officer.refresh_from_db()
    assert officer.name == "Neu"
    assert not officer.is_superuser and not officer.is_staff  # … and nothing else
    assert officer.groups.count() == 0


def test_nobody_changes_their_own_rights_or_a_staff_account(client, log_in):
    admin_user = StaffMemberFactory(groups=[ADMINISTRATION])
    colleague = StaffMemberFactory(groups=[TEAM])
    log_in(client, admin_user)

    own = client.post(change_url(admin_user), user_form(admin_user, is_superuser="on"))
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser
    assert own.status_code == 403  # staff accounts are for superusers

    other = client.post(change_url(colleague), user_form(colleague, email="me@evil.example"))
    assert other.status_code == 403
    colleague.refresh_from_db()
    assert colleague.email != "me@evil.example"

    root = StaffFactory(email="root@example.org")
    log_in(client, root)
    client.post(change_url(root), user_form(root, is_superuser=""))
    root.refresh_from_db()
    assert root.is_superuser  # not even a superuser demotes themselves by accident


def test_rights_given_by_a_superuser_are_in_the_history_with_who(client, log_in):
    root = StaffFactory(email="root@example.org")
    person = UserFactory(email="neu@example.org")
    log_in(client, root)

    response = client.post(change_url(person), user_form(person, is_staff="on"))

    assert response.status_code == 302
    latest = User.history.filter(id=person.pk).latest("history_date")
    assert latest.is_staff and latest.history_user == root
    history_page = client.get(reverse("admin:core_user_history", args=[person.pk]))
    assert str(root) in history_page.content.decode()


# --- The admin's login is allauth's ------------------------------------------------------


def test_the_admin_login_is_the_portals_login(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_twelve_wrong_passwords_then_the_right_one_do_not_let_in(client):
    staff = can_log_in(StaffMemberFactory(email="team@example.org", groups=[TEAM]))
    login = reverse("account_login")
    for _ in range(12):
        client.post(login, {"login": staff.email, "password": "falsch"})
    response = client.post(login, {"login": staff.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_stranger_cannot_lock_the_owner_out(client):
    """Wrong passwords from one address slow that address down, not the account's owner."""
    staff = can_log_in(StaffMemberFactory(email="team@example.org", groups=[TEAM]))
    login = reverse("account_login")
    for _ in range(8):
        client.post(login, {"login": staff.email, "password": "falsch"}, REMOTE_ADDR="203.0.113.9")
    attacker = client.post(
        login, {"login": staff.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert "_auth_user_id" not in client.session
    assert "Anmeldeversuche" in attacker.content.decode()  # allauth's "too many attempts"

    client.post(login, {"login": staff.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert client.session["_auth_user_id"] == str(staff.pk)


# --- A second factor for staff ---------------------------------------------------------


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_staff_without_second_factor_are_sent_to_enrol_one(client, log_in, settings):
    settings.MIGLOBE_STAFF_MFA_REQUIRED = True
    staff = StaffMemberFactory(groups=[TEAM])
    log_in(client, staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    assert not may(User.objects.get(pk=staff.pk), Capability.REVIEW_REQUESTS)
    assert client.get(reverse("engagements:request_list")).status_code == 404


def test_with_a_second_factor_staff_log_in_in_two_steps_and_work(client, settings):
    settings.MIGLOBE_STAFF_MFA_REQUIRED = True
    staff = can_log_in(StaffMemberFactory(email="team@example.org", groups=[TEAM]))
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone is not enough

    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get(reverse("admin:index")).status_code == 200
    assert may(User.objects.get(pk=staff.pk), Capability.REVIEW_REQUESTS)


def test_the_demo_says_on_the_admins_first_page_that_no_second_factor_is_asked(
    client, log_in, settings
):
    settings.MIGLOBE_STAFF_MFA_REQUIRED = False
    log_in(client, StaffMemberFactory(groups=[TEAM]))
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="mfa-notice"' in page
    settings.MIGLOBE_STAFF_MFA_REQUIRED = True
    staff = StaffMemberFactory(groups=[TEAM])
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    log_in(client, staff)
    assert 'id="mfa-notice"' not in client.get(reverse("admin:index")).content.decode()


# --- Sensitive actions want a fresh login ------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "groups"),
    [
        ("admin:engagements_costcorrection_add", [FINANCE]),
        ("admin:engagements_reimbursementreport_add", [FINANCE]),
        ("admin:core_user_add", [ADMINISTRATION]),
    ],
)
def test_sensitive_pages_ask_for_the_password_after_a_while(client, log_in, url_name, groups):
    log_in(client, StaffMemberFactory(groups=groups), seconds_ago=3600)
    url = reverse(url_name)
    assert client.get(url).status_code == 200  # looking is fine

    response = client.post(url, {})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_after_the_password_the_sent_form_is_carried_out(client, log_in):
    admin_user = StaffMemberFactory(groups=[ADMINISTRATION])
    officer = UserFactory(email="officer@example.org", name="Alt")
    log_in(client, admin_user, seconds_ago=3600)

    asked = client.post(change_url(officer), user_form(officer, name="Neu"))
    officer.refresh_from_db()
    assert officer.name == "Alt"

    client.post(asked["Location"], {"password": PASSWORD})
    officer.refresh_from_db()
    assert officer.name == "Neu"


def test_accepting_a_request_asks_for_the_password_after_a_while(client, log_in):
    officer = MunicipalOfficerFactory(confirmed_at="2026-01-01T10:00Z")
    in_review = ConsultationRequestFactory(
        municipality=officer.municipality, created_by=officer.user, status=RequestStatus.IN_REVIEW
    )
    log_in(client, StaffMemberFactory(groups=[TEAM]), seconds_ago=3600)
    url = reverse("admin:engagements_consultationrequest_match", args=[in_review.pk])

    response = client.post(url, {"advisors": [], "starts_on": "2027-01-01"})

    assert response["Location"].startswith(reverse("account_reauthenticate"))
    in_review.refresh_from_db()
    assert in_review.status == RequestStatus.IN_REVIEW


# --- Admin actions ask the same model -----------------------------------------------------


@pytest.mark.parametrize(
    ("changelist", "action", "make"),
    [
        (
            "admin:engagements_municipalofficer_changelist",
            "confirm",
            lambda: MunicipalOfficerFactory(confirmed_at=None),
        ),
        (
            "admin:engagements_consultationrequest_changelist",
            "start_review",
            lambda: ConsultationRequestFactory(status=RequestStatus.SUBMITTED),
        ),
    ],
)
def test_who_may_only_read_a_list_runs_none_of_its_actions(
    client, log_in, changelist, action, make
):
    target = make()
    log_in(client, StaffMemberFactory(groups=[FINANCE]))  # reads engagements, decides nothing
    page = client.get(reverse(changelist))
    assert page.status_code == 200
    assert f'value="{action}"' not in page.content.decode()

    client.post(reverse(changelist), {"action": action, "_selected_action": [target.pk]})

    before = type(target).objects.get(pk=target.pk)
    assert getattr(before, "confirmed_at", None) is None
    assert getattr(before, "status", RequestStatus.SUBMITTED) == RequestStatus.SUBMITTED

    log_in(client, StaffMemberFactory(groups=[TEAM]))
    assert f'value="{action}"' in client.get(reverse(changelist)).content.decode()
