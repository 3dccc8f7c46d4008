"""The kinds of reminder the apps registered: ReminderLog.kind's choices, the digest's order."""

from django.db.models import TextChoices

# Filled by the apps' AppConfig.ready() (through core.reminders.register); the order
# of registration is the order of the digest.
_kinds: list[type[TextChoices]] = []


def register_kinds(kinds: type[TextChoices]) -> None:
    if kinds not in _kinds:
        _kinds.append(kinds)


def kind_choices() -> list[tuple[str, str]]:
    """Every registered kind with its label."""
    return [choice for kinds in _kinds for choice in kinds.choices]
