"""Check-in at the door: marking a confirmed registration as attended, and taking it back.

Both steps lock the registration's row and are idempotent: two organisers
tapping the same person at once, or one tapping twice, record one check-in,
with the time and the person of the first tap.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from miglobe.models import User

from .enums import RegistrationStatus
from .models import Registration


class CheckInError(Exception):
    """A check-in that is not allowed, with the reason for a person to read."""


def _locked(registration: Registration) -> Registration:
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.anonymised_at:
        # Only the figures are left of it, and they stay as they were.
        raise CheckInError(
            _("Diese Anmeldung ist anonymisiert; ihre Teilnahme bleibt, wie sie war.")
        )
    return locked


def _copy_check_in(source: Registration, target: Registration) -> None:
    # The caller's object shows the state in the database afterwards.
    target.attended = source.attended
    target.checked_in_at = source.checked_in_at
    target.checked_in_by_id = source.checked_in_by_id


@transaction.atomic
def registration_check_in(*, registration: Registration, by: User) -> bool:
    """Mark the person as attended; False when they were already checked in."""
    locked = _locked(registration)
    if locked.status != RegistrationStatus.CONFIRMED:
        raise CheckInError(
            _(
                "%(name)s kann nicht eingecheckt werden: Nur bestätigte Anmeldungen "
                "können eingecheckt werden (Status: %(status)s)."
            )
            % {"name": locked.name, "status": locked.get_status_display()}
        )
    changed = not locked.attended
    if changed:
        locked.attended = True
        locked.checked_in_at = timezone.now()
        locked.checked_in_by = by
        locked.save(update_fields=["attended", "checked_in_at", "checked_in_by"])
    _copy_check_in(locked, registration)
    return changed


@transaction.atomic
def registration_undo_check_in(*, registration: Registration, by: User) -> bool:
    """Take a check-in back (a wrong tap); False when the person was not checked in.

    `by` is not stored: the check-in's own fields are emptied, and both steps are called alike.
    """
    locked = _locked(registration)
    changed = locked.attended
    if changed:
        locked.attended = False
        locked.checked_in_at = None
        locked.checked_in_by = None
        locked.save(update_fields=["attended", "checked_in_at", "checked_in_by"])
    _copy_check_in(locked, registration)
    return changed
