from django.db.models import QuerySet

from .models import ConsultationRequest, MunicipalOfficer


def officer_for(user) -> MunicipalOfficer | None:
    """The user's officer record, or None for anyone who does not act for a municipality."""
    if not user.is_authenticated:
        return None
    try:
        return user.officer
    except MunicipalOfficer.DoesNotExist:
        return None


def requests_for_user(user) -> QuerySet[ConsultationRequest]:
    """The requests a user may see: SKEW staff all, an officer their municipality's, others none."""
    qs = ConsultationRequest.objects.select_related("municipality", "created_by")
    if user.is_authenticated and user.is_staff:
        return qs
    officer = officer_for(user)
    if officer is None:
        return qs.none()
    return qs.filter(municipality_id=officer.municipality_id)
