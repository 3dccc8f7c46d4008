"""The search document holds the fields of action: it follows their changes."""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from .models import FieldOfAction, Organisation
from .search import refresh_search_documents


@receiver(m2m_changed, sender=Organisation.fields_of_action.through)
def fields_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # a field of action gained or lost organisations
        refresh_search_documents(
            pk_set if pk_set is not None else instance.organisations.values_list("pk", flat=True)
        )
    else:
        refresh_search_documents([instance.pk])


@receiver(post_save, sender=FieldOfAction)
def field_renamed(sender, instance, created, **kwargs) -> None:
    if not created:
        refresh_search_documents(instance.organisations.values_list("pk", flat=True))
