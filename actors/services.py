"""Writes of the actors app: research findings, directory suggestions, consents.

Nothing a visitor sends is published by itself: SKEW approves a suggestion in
the admin, and only then are the organisation and its consent record written.
Withdrawing a consent hides the organisation at once everywhere, because
`organisations_published()` counts only active consents.
"""

import datetime
import logging
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.emails import send_templated_email

from .enums import ConsentChannel, SuggestionStatus
from .models import (
    ConsentWording,
    ContactPerson,
    FieldOfAction,
    Organisation,
    OrganisationSuggestion,
    PublicationConsent,
    ResearchFinding,
)
from .selectors import likely_duplicates

if TYPE_CHECKING:
    from advisors.models import Advisor
    from core.models import User
    from engagements.models import Engagement


class FindingError(Exception):
    """A research finding that cannot be recorded, with a reason a person can read."""


def unique_slug(name: str) -> str:
    base = slugify(name)[:100] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def finding_record(
    *,
    engagement: "Engagement",
    advisor: "Advisor",
    source: str,
    found_on: datetime.date,
    notes: str = "",
    organisation: Organisation | None = None,
    new_organisation: dict | None = None,
    fields_of_action: Iterable[FieldOfAction] = (),
    contact: dict | None = None,
    allow_duplicate: bool = False,
) -> ResearchFinding:
    """Record what an advisor found: link an existing organisation or create a new one.

    A new organisation whose name matches one already in the town is refused
    unless `allow_duplicate` says the advisor looked and it is another one.
    Nothing here publishes anything: consent is a separate record.
    """
    if organisation is None:
        data = dict(new_organisation or {})
        name = (data.get("name") or "").strip()
        if not name:
            raise FindingError(_("Bitte nennen Sie die Organisation."))
        if not allow_duplicate and likely_duplicates(name, engagement.municipality):
            raise FindingError(_("Diese Organisation gibt es vielleicht schon."))
        organisation = Organisation.objects.create(
            municipality=engagement.municipality, slug=unique_slug(name), **data
        )
        organisation.fields_of_action.set(fields_of_action)
    elif organisation.municipality_id != engagement.municipality_id:
        raise FindingError(_("Die Organisation gehört zu einer anderen Kommune."))
    if contact and contact.get("name"):
        ContactPerson.objects.get_or_create(
            organisation=organisation,
            name=contact["name"].strip(),
            defaults={k: v for k, v in contact.items() if k != "name"},
        )
    try:
        with transaction.atomic():
            return ResearchFinding.objects.create(
                engagement=engagement,
                advisor=advisor,
                organisation=organisation,
                source=source,
                found_on=found_on,
                notes=notes,
            )
    except IntegrityError:
        raise FindingError(
            _("%(organisation)s ist in diesem Einsatz bereits erfasst.")
            % {"organisation": organisation}
        ) from None


# --- Directory suggestions and consents ---------------------------------------------------

logger = logging.getLogger(__name__)

WITHDRAW_LINK_SALT = "actors.consent-withdraw"
# How long a sent form stays recognisable as "already received" (see suggestion_submit).
FORM_TOKEN_SECONDS = 7 * 60 * 60

# The fields a suggestion carries over to the organisation on approval.
COPIED_FIELDS = [
    "name",
    "kind",
    "municipality",
    "website",
    "description",
    "scope",
    "countries_of_origin",
    "countries_of_activity",
]


class SuggestionError(Exception):
    """A suggestion that cannot be decided this way, with a reason a person can read."""


def current_wording() -> ConsentWording | None:
    """The consent wording in force today: the latest that is already valid."""
    return (
        ConsentWording.objects.filter(valid_from__lte=timezone.localdate())
        .order_by("-valid_from", "-pk")
        .first()
    )


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


# --- Submitting -------------------------------------------------------------------------


def suggestion_submit(
    *,
    data: dict,
    wording: ConsentWording,
    organisation: Organisation | None = None,
    fields_of_action: Iterable[FieldOfAction] = (),
    form_token: uuid.UUID | None = None,
    language: str = "de",
) -> tuple[OrganisationSuggestion | None, bool]:
    """Store a visitor's suggestion (status pending) and tell them and SKEW.

    Returns the suggestion and whether it was created now. The same form sent
    twice (same `form_token`) creates one suggestion: the model has no column
    for the token, so the cache remembers it for as long as a form stays valid
    (Redis in production, so all workers share it).
    """
    key = f"actors:suggestion-form:{form_token}" if form_token else None
    if key and not cache.add(key, 0, timeout=FORM_TOKEN_SECONDS):
        # Sent before; the first request may still be running, so there may be no id yet.
        existing = OrganisationSuggestion.objects.filter(pk=cache.get(key) or 0).first()
        return existing, False
    try:
        suggestion = _create_suggestion(
            data=data,
            wording=wording,
            organisation=organisation,
            fields_of_action=fields_of_action,
            language=language,
        )
    except Exception:
        if key:
            cache.delete(key)
        raise
    if key:
        cache.set(key, suggestion.pk, timeout=FORM_TOKEN_SECONDS)
    return suggestion, True


@transaction.atomic
def _create_suggestion(
    *,
    data: dict,
    wording: ConsentWording,
    organisation: Organisation | None,
    fields_of_action: Iterable[FieldOfAction],
    language: str,
) -> OrganisationSuggestion:
    suggestion = OrganisationSuggestion.objects.create(
        organisation=organisation,
        wording=wording,
        consent_given_at=timezone.now(),
        status=SuggestionStatus.PENDING,
        **data,
    )
    suggestion.fields_of_action.set(fields_of_action)
    context = {
        "suggestion": suggestion,
        "admin_url": _absolute(
            reverse("admin:actors_organisationsuggestion_change", args=[suggestion.pk])
        ),
    }
    send_templated_email(
        to=[suggestion.submitter_email],
        template="suggestion_received",
        context=context,
        language=language,
    )
    send_templated_email(to=[settings.SKEW_TEAM_EMAIL], template="suggestion_new", context=context)
    return suggestion


# --- Moderation -------------------------------------------------------------------------


def suggestion_difference(
    suggestion: OrganisationSuggestion,
) -> list[tuple[str, str, str, bool]] | None:
    """A correction's fields: label, published now, proposed, changed. None for a new one."""
    organisation = suggestion.organisation
    if organisation is None:
        return None

    def shown(obj: object, name: str) -> str:
        value = getattr(obj, name)
        if name in ("countries_of_origin", "countries_of_activity"):
            return ", ".join(str(c.name) for c in value)
        display = getattr(obj, f"get_{name}_display", None)
        return str(display() if display else value or "")

    rows = []
    for name in COPIED_FIELDS:
        label = str(getattr(Organisation._meta.get_field(name), "verbose_name", name))
        now, proposed = shown(organisation, name), shown(suggestion, name)
        rows.append((label, now, proposed, now != proposed))
    now_fields = ", ".join(sorted(str(f) for f in organisation.fields_of_action.all()))
    proposed_fields = ", ".join(sorted(str(f) for f in suggestion.fields_of_action.all()))
    label = str(getattr(Organisation._meta.get_field("fields_of_action"), "verbose_name", ""))
    rows.append((label, now_fields, proposed_fields, now_fields != proposed_fields))
    return rows


@transaction.atomic
def suggestion_approve(*, suggestion: OrganisationSuggestion, by: "User") -> Organisation | None:
    """Publish a suggestion: create or correct the organisation and record the consent.

    Approving an approved suggestion does nothing and returns its organisation.
    A correction of an organisation that already has an active consent of its
    own keeps that consent; otherwise the consent given in the form is recorded.
    """
    suggestion = OrganisationSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status == SuggestionStatus.APPROVED:
        return suggestion.organisation
    if suggestion.status == SuggestionStatus.REJECTED:
        raise SuggestionError(
            _("Der Vorschlag „%(name)s“ wurde bereits abgelehnt.") % {"name": suggestion.name}
        )
    values = {field: getattr(suggestion, field) for field in COPIED_FIELDS}
    if suggestion.organisation_id:
        organisation = Organisation.objects.select_for_update().get(pk=suggestion.organisation_id)
        for field, value in values.items():
            setattr(organisation, field, value)
        organisation.save()
    else:
        organisation = Organisation.objects.create(slug=unique_slug(suggestion.name), **values)
    organisation.fields_of_action.set(suggestion.fields_of_action.all())

    consent = (
        PublicationConsent.objects.active()
        .select_for_update()
        .filter(organisation=organisation, contact_person__isnull=True)
        .first()
    )
    if consent is None:
        consent = PublicationConsent.objects.create(
            organisation=organisation,
            wording=suggestion.wording,
            given_by=suggestion.submitter_name,
            given_at=suggestion.consent_given_at,
            channel=suggestion.channel or ConsentChannel.WEB_FORM,
            source=suggestion.source,
            recorded_by=by,
        )
    suggestion.status = SuggestionStatus.APPROVED
    suggestion.organisation = organisation
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = by
    suggestion.save(update_fields=["status", "organisation", "decided_at", "decided_by"])
    send_templated_email(
        to=[suggestion.submitter_email],
        template="suggestion_approved",
        context={
            "suggestion": suggestion,
            "organisation": organisation,
            "organisation_url": _absolute(organisation.get_absolute_url()),
            "withdraw_url": consent_withdraw_url(consent),
        },
    )
    return organisation


@transaction.atomic
def suggestion_reject(
    *, suggestion: OrganisationSuggestion, by: "User", reason: str = ""
) -> OrganisationSuggestion:
    """Decline a suggestion and tell the submitter. Rejecting twice does nothing."""
    suggestion = OrganisationSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status == SuggestionStatus.REJECTED:
        return suggestion
    if suggestion.status == SuggestionStatus.APPROVED:
        raise SuggestionError(
            _("Der Vorschlag „%(name)s“ ist bereits übernommen.") % {"name": suggestion.name}
        )
    suggestion.status = SuggestionStatus.REJECTED
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = by
    suggestion.save(update_fields=["status", "decided_at", "decided_by"])
    send_templated_email(
        to=[suggestion.submitter_email],
        template="suggestion_rejected",
        context={"suggestion": suggestion, "reason": reason.strip()},
    )
    return suggestion


# --- Withdrawing consent ----------------------------------------------------------------


def consent_withdraw_token(consent: PublicationConsent) -> str:
    return signing.dumps(consent.pk, salt=WITHDRAW_LINK_SALT)


def consent_withdraw_url(consent: PublicationConsent) -> str:
    return _absolute(reverse("actors:consent_withdraw", args=[consent_withdraw_token(consent)]))


def consent_from_token(token: str) -> PublicationConsent | None:
    """The consent a withdrawal link names, or None for a tampered or unknown link."""
    try:
        pk = signing.loads(token, salt=WITHDRAW_LINK_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return (
        PublicationConsent.objects.select_related("organisation", "contact_person")
        .filter(pk=pk)
        .first()
    )


@transaction.atomic
def consent_withdraw(
    *, consent: PublicationConsent, by: "User | None" = None
) -> PublicationConsent:
    """Withdraw a consent now; the record stays as evidence. Withdrawing twice does nothing.

    `by` is the staff user acting for the organisation; None means the
    organisation used its link, and SKEW is told.
    """
    consent = (
        PublicationConsent.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=consent.pk)
    )
    if consent.withdrawn_at is not None:
        return consent
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    logger.info("consent %s withdrawn by %s", consent.pk, getattr(by, "pk", "link"))
    if by is None:
        send_templated_email(
            to=[settings.SKEW_TEAM_EMAIL],
            template="consent_withdrawn",
            context={"consent": consent, "organisation": consent.organisation},
        )
    return consent


def consent_send_withdraw_link(*, consent: PublicationConsent) -> bool:
    """Email the organisation its withdrawal link; False when it has no address."""
    organisation = consent.organisation
    if not organisation.email or consent.withdrawn_at is not None:
        return False
    send_templated_email(
        to=[organisation.email],
        template="consent_withdraw_link",
        context={
            "consent": consent,
            "organisation": organisation,
            "organisation_url": _absolute(organisation.get_absolute_url()),
            "withdraw_url": consent_withdraw_url(consent),
        },
    )
    return True


def forget_rejected_suggestions(cutoff: datetime.datetime, now: datetime.datetime) -> int:
    """Retention: rejected suggestions, with their submitter's name and address, go."""
    deleted, _by_model = OrganisationSuggestion.objects.filter(
        status=SuggestionStatus.REJECTED, decided_at__lt=cutoff
    ).delete()
    return deleted
