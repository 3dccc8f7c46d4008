"""Every date people type is bounded, and the message stands next to the field."""

import datetime

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.validators import SensibleDate, sensible_date
from engagements.models import ConsultationRequest

pytestmark = pytest.mark.django_db

OUR_APPS = {"core", "advisors", "engagements", "actors", "events", "workspace"}
# Set by the portal itself, never typed in: no bound needed.
SET_BY_THE_PORTAL = {
    "core.User.date_joined",
    "core.User.last_login",
    "core.ReminderLog.due_on",
    "core.ReminderLog.sent_at",
    "core.ErasureRequest.decided_at",
    "actors.PublicationConsent.given_at",
    "actors.PublicationConsent.withdrawn_at",
    "actors.OrganisationSuggestion.consent_given_at",
    "actors.OrganisationSuggestion.decided_at",
    "engagements.MunicipalOfficer.confirmed_at",
    "engagements.ConsultationRequest.submitted_at",
    "engagements.TimeEntry.submitted_at",
    "engagements.TimeEntry.approved_at",
    "engagements.Expense.submitted_at",
    "engagements.Expense.approved_at",
    "engagements.ReimbursementReport.generated_at",
    "engagements.ReimbursementReport.sent_at",
    "events.Registration.confirmed_at",
    "events.Registration.cancelled_at",
    "events.Registration.anonymised_at",
    "events.Registration.checked_in_at",
    "core.OutboxEmail.next_attempt_at",
    "core.OutboxEmail.claimed_at",
    "core.OutboxEmail.sent_at",
}


def test_every_date_field_people_fill_in_is_bounded():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and not model._meta.label.split(".")[1].startswith("Historical")
        for field in model._meta.get_fields()
        if isinstance(field, models.DateField)  # DateTimeField too
        and field.editable
        and not (field.auto_now or field.auto_now_add)
        and not any(isinstance(v, SensibleDate) for v in field.validators)
    ]
    assert sorted(set(unbounded) - SET_BY_THE_PORTAL) == []


@pytest.mark.parametrize(
    "value", [datetime.date(1, 1, 1), datetime.date(1999, 12, 31), datetime.date(9999, 12, 31)]
)
def test_dates_outside_the_range_are_refused(value):
    with pytest.raises(Exception, match="Bitte ein Datum zwischen"):
        sensible_date(value)


def test_dates_in_range_pass():
    sensible_date(datetime.date(2017, 3, 12))
    sensible_date(timezone.localdate() + datetime.timedelta(days=365 * 5))
    sensible_date(timezone.now())


def test_a_preferred_period_to_9999_is_refused_next_to_the_field(client, log_in):
    from tests.engagements.factories import MunicipalityFactory, MunicipalOfficerFactory

    officer = MunicipalOfficerFactory(
        municipality=MunicipalityFactory(), confirmed_at=timezone.now()
    )
    log_in(client, officer.user)
    response = client.post(
        reverse("engagements:request_create"),
        {
            "goals": "Migrantische Organisationen einbinden",
            "contact_name": "Erika Muster",
            "contact_email": "erika@example.org",
            "preferred_start": "2027-01-01",
            "preferred_end": "9999-12-31",
            "newdept-TOTAL_FORMS": "0",
            "newdept-INITIAL_FORMS": "0",
            "action": "save",
        },
    )
    assert response.status_code == 200
    assert "Bitte ein Datum zwischen" in " ".join(response.context["form"].errors["preferred_end"])
    assert not ConsultationRequest.objects.exists()
