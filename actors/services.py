from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .duplicates import likely_duplicates
from .models import ContactPerson, Organisation, ResearchFinding


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
    engagement,
    advisor,
    source: str,
    found_on,
    notes: str = "",
    organisation: Organisation | None = None,
    new_organisation: dict | None = None,
    fields_of_action=(),
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
