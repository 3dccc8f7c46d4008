from django.db.models import Exists, OuterRef, QuerySet

from .models import Organisation, PublicationConsent


def with_publication_state(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Annotate `is_published`: the organisation has an active consent of its own."""
    active = PublicationConsent.objects.active().filter(
        organisation=OuterRef("pk"), contact_person__isnull=True
    )
    return queryset.annotate(is_published=Exists(active))


def organisations_published() -> QuerySet[Organisation]:
    """The organisations the public may see: those with an active consent of their own."""
    return with_publication_state(Organisation.objects.all()).filter(is_published=True)


def published_contacts():
    """Contact persons who agreed to be shown, for a Prefetch."""
    from .models import ContactPerson

    return ContactPerson.objects.filter(
        Exists(PublicationConsent.objects.active().filter(contact_person=OuterRef("pk")))
    ).order_by("name")
