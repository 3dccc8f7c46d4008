"""The demo's one person who is everywhere: the login advisor, Mamadou Sow.

Besides advising (engagements, times, expenses with a receipt, findings, a comment), he
registered for an event, applied to the new NRW call with a CV, is the contact person
of a Duisburg organisation with a consent to publish him, suggested an organisation,
answered the 2017 Duisburg survey for his association, and another advisor's finding
names him. So a data-protection request about him (core.personal_data) touches every
part of the portal; the tests erase him and look for his name and address everywhere.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile

from actors.enums import ConsentChannel, FindingSource, OrganisationKind, Scope
from actors.models import (
    ContactPerson,
    Organisation,
    OrganisationSuggestion,
    PublicationConsent,
    ResearchFinding,
)
from engagements.models import Expense
from events.enums import ParticipantCategory, RegistrationStatus
from events.models import Event, Registration
from recruitment.enums import ApplicationStatus
from recruitment.models import Application, Call
from surveys.models import Response

from .demo_engagements import at

# A PDF of one empty page: enough for a receipt and a CV that open.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class PersonStories:
    def one_person_everywhere(self) -> None:
        advisor = self.login_advisor
        name, email = advisor.user.name, advisor.user.email
        today = self.today

        expense = Expense.objects.filter(advisor=advisor).order_by("pk").first()
        if expense is not None and not expense.receipt:
            expense.receipt.save("beleg-bahnfahrt.pdf", ContentFile(PDF), save=True)

        event = Event.objects.filter(is_public=True).order_by("-starts_at").first()
        if event is not None:
            self._get_or_create(
                Registration,
                event=event,
                email=email,
                defaults={
                    "name": name,
                    "category": ParticipantCategory.MIGRANT_ORGANISATION,
                    "organisation_name": "Guinea-Verein Aachen e. V.",
                    "needs": "Französische Unterlagen, wenn möglich.",
                    "status": RegistrationStatus.CONFIRMED,
                    "confirmed_at": at(today - timedelta(days=3), 18),
                },
            )

        call = Call.objects.filter(pool=self.pool["NW"]).order_by("-deadline").first()
        if call is not None:
            application, created = self._get_or_create(
                Application,
                call=call,
                email=email,
                defaults={
                    "name": name,
                    "status": ApplicationStatus.RECEIVED,
                    "home_town": "Aachen",
                    "gender": "male",
                    "birth_year": advisor.birth_year,
                    "countries_of_origin": ["GN", "SN"],
                    "experience": "Seit 2014 im Pool NRW; Einsätze in Eschweiler und Witten.",
                    "motivation": "Ich möchte im neuen Jahrgang weiter beraten.",
                    "availability": "Zwei Tage im Monat.",
                    "consent_text": call.consent_text or "Einwilligung",
                    "consent_given_at": at(today - timedelta(days=5), 21),
                    "confirmed_at": at(today - timedelta(days=5), 21, 5),
                    "language": "de",
                },
            )
            if created:
                application.cv.save("lebenslauf-sow.pdf", ContentFile(PDF), save=True)

        organisation = (
            Organisation.objects.filter(municipality=self.towns["Duisburg"]).order_by("pk").first()
        )
        if organisation is not None:
            contact, created = self._get_or_create(
                ContactPerson,
                organisation=organisation,
                email=email,
                defaults={"name": name, "role": "Beirat", "phone": "0241 555 0142"},
            )
            if created:
                PublicationConsent.objects.create(
                    organisation=organisation,
                    contact_person=contact,
                    wording=self.wording,
                    given_by=name,
                    given_at=at(today - timedelta(days=60), 11),
                    channel=ConsentChannel.EMAIL,
                    source="E-Mail an die SKEW",
                )
                self.created["Einwilligungen zur Veröffentlichung"] += 1

        self._get_or_create(
            OrganisationSuggestion,
            submitter_email=email,
            defaults={
                "name": "Afrikanisches Kulturforum Aachen e. V.",
                "kind": OrganisationKind.MIGRANT_ORGANISATION,
                "municipality": self.towns["Aachen"],
                "scope": Scope.LOCAL,
                "description": "Kulturarbeit und Partnerschaften mit Conakry.",
                "submitter_name": name,
                "submitter_role": "Mitglied",
                "wording": self.wording,
                "channel": ConsentChannel.WEB_FORM,
                "message": f"Viele Grüße, {name}",
            },
        )

        answered = Response.objects.filter(
            survey__municipality=self.towns["Duisburg"], respondent_email=email
        )
        if not answered.exists():
            response = (
                Response.objects.filter(survey__municipality=self.towns["Duisburg"])
                .exclude(submitted_at=None)
                .order_by("pk")
                .first()
            )
            if response is not None:
                Response.objects.filter(pk=response.pk).update(
                    respondent_name=name, respondent_email=email
                )

        other = self.witten_second
        engagement = getattr(self, "running", None)
        if engagement is not None:
            named = (
                Organisation.objects.filter(municipality=engagement.municipality)
                .exclude(findings__engagement=engagement)
                .order_by("pk")
                .first()
            )
            if named is not None:
                self._get_or_create(
                    ResearchFinding,
                    engagement=engagement,
                    organisation=named,
                    defaults={
                        "advisor": other,
                        "source": FindingSource.CONVERSATION,
                        "found_on": today - timedelta(days=12),
                        "notes": f"Den Kontakt hat {name} vermittelt ({email}).",
                    },
                )
