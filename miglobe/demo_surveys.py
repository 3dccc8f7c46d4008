"""The demo's surveys: Duisburg's of 2017 (shared/seeds), and Witten's, open now.

In 2017 SKEW asked 42 Duisburg actors about their development-policy engagement; their
answers here are the demo's Duisburg organisations as they described themselves, so the
survey's figures are the source text's (about 25 % international, 30 % local, 75 % in at
least one field). Witten's survey belongs to the engagement that runs now: the
organisations of the town are invited (no mail: the demo is not news), one has answered
and agreed to be listed, so a proposal waits in the moderation queue.
"""

from __future__ import annotations

from datetime import date, timedelta

from core import outbox
from surveys.enums import Publish, ResponseStatus
from surveys.models import Invitation, Question, Response, Survey
from surveys.services import AnswerData, invitations_send, response_save

from .demo_engagements import at

DUISBURG_TITLE = "Befragung Duisburger Akteure 2017: Migration und Entwicklung"
DUISBURG_INTRO = (
    "Die SKEW und das Kommunale Integrationszentrum möchten wissen, welche Organisationen "
    "sich in Duisburg entwicklungspolitisch engagieren. Die Ergebnisse stellen wir beim "
    "Vernetzungstreffen im Rathaus vor."
)
WITTEN_TITLE = "Wer engagiert sich in Witten für die Eine Welt?"
WITTEN_INTRO = (
    "Die Stadt Witten schreibt ihre Nachhaltigkeitsstrategie fort und möchte Organisationen "
    "von Migrant*innen von Anfang an beteiligen. Erzählen Sie uns von Ihrem Engagement!"
)
WISH = "Was wünschen Sie sich von der Stadt?"


class SurveyStories:
    """Mixed into DemoWorld: after the organisations and the engagements."""

    def surveys(self) -> None:
        self._duisburg_survey()
        self._witten_survey()

    def _survey(self, title: str, **defaults) -> tuple[Survey, bool]:
        survey, created = self._get_or_create(Survey, title=title, defaults=defaults)
        if created:
            self._get_or_create(
                Question, survey=survey, text=WISH, defaults={"kind": "text", "position": 0}
            )
        return survey, created

    def _duisburg_survey(self) -> None:
        survey, created = self._survey(
            DUISBURG_TITLE,
            municipality=self.towns["Duisburg"],
            introduction=DUISBURG_INTRO,
            opens_on=date(2017, 5, 2),
            closes_on=date(2017, 6, 30),
            minutes=15,
            wording=self.wording_2018,
            created_by=self.skew,
        )
        if not created:
            return
        question = survey.questions.get()
        wishes = ["Räume für Treffen", "Kontakt zur Verwaltung", "Hilfe bei Förderanträgen", ""]
        for i, (org, contact) in enumerate(self.duisburg_orgs.values()):
            sent = at(date(2017, 5, 2), 9)
            invitation = Invitation.objects.create(
                survey=survey, organisation=org, email=org.email, sent_at=sent
            )
            wish = wishes[i % len(wishes)]
            response = Response.objects.create(
                survey=survey,
                invitation=invitation,
                organisation=org,
                status=ResponseStatus.SUBMITTED,
                name=org.name,
                kind=org.kind,
                town="Duisburg",
                website=org.website,
                scope=org.scope,
                countries_of_origin=org.countries_of_origin,
                countries_of_activity=org.countries_of_activity,
                activities=org.description,
                members=12 + (i * 7) % 80,
                networking=i % 3 != 2,
                publish=org.consents.filter(contact_person__isnull=True).exists(),
                publish_what=[Publish.DESCRIPTION, Publish.FIELDS, Publish.COUNTRIES],
                respondent_name=contact.name if contact else "",
                respondent_email=contact.email if contact else "",
                answers={str(question.pk): wish} if wish else {},
                submitted_at=at(date(2017, 5, 8), 18) + timedelta(days=i),
            )
            response.fields_of_action.set(org.fields_of_action.all())
        self.created["Antworten"] += len(self.duisburg_orgs)

    def _witten_survey(self) -> None:
        engagement = getattr(self, "running", None)
        if engagement is None:
            return
        today = self.today
        survey, _created = self._survey(
            WITTEN_TITLE,
            municipality=engagement.municipality,
            engagement=engagement,
            introduction=WITTEN_INTRO,
            opens_on=today - timedelta(days=10),
            closes_on=today + timedelta(days=20),
            minutes=10,
            wording=self.wording,
            created_by=self.login_advisor.user,
        )
        with outbox.muted():  # the demo's invitations are not news
            invitations_send(survey=survey)
            answered = (
                Response.objects.filter(survey=survey, name__startswith="Ghanaische Union")
                .exclude(status=ResponseStatus.SUBMITTED)
                .first()
            )
            if answered is not None:
                response_save(
                    response=answered,
                    data=AnswerData(
                        fields={
                            "scope": "international",
                            "members": 38,
                            "networking": True,
                            "publish": True,
                            "publish_what": [Publish.DESCRIPTION, Publish.FIELDS],
                            "respondent_name": "Kwabena Asamoah",
                            "respondent_email": "vorstand@ghanaische-union-witten.example.org",
                        },
                        fields_of_action=list(answered.fields_of_action.all()),
                        answers={str(survey.questions.get().pk): "Ein Raum für Treffen"},
                    ),
                    submit=True,
                )
