"""Where the results of engagements hold data about a person (core.personal_data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.personal_data import Action, Holding, Mentions

from .models import ActionOptionComment

HOLDINGS = [
    Holding(
        key="outcomes.comments",
        label=_("Kommentare zu Handlungsoptionen"),
        action=Action.KEEP,
        rule=_(
            "Bleiben ohne Namen als Teil der Beratung der Kommune; wo der Text den Namen "
            "nennt, steht danach „[entfernt]“."
        ),
        find=lambda person: person.owns(ActionOptionComment, "author"),
        fields=("option__title", "text", "created_at"),
    ),
]

MENTIONS = [
    Mentions(
        key="outcomes.option_texts",
        label=_("Handlungsoptionen"),
        model="outcomes.ActionOption",
        fields=("title", "description", "effort", "decision_reason"),
    ),
    Mentions(
        key="outcomes.comment_texts",
        label=_("Kommentare zu Handlungsoptionen"),
        model="outcomes.ActionOptionComment",
        fields=("text",),
    ),
    Mentions(
        key="outcomes.follow_up_notes",
        label=_("Notizen der Nachbefragungen"),
        model="outcomes.FollowUpAnswer",
        fields=("note",),
    ),
]
