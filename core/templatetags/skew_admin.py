from django import template

from core.permissions import has_second_factor, mfa_required
from core.todo import todo_items

register = template.Library()


@register.simple_tag
def skew_todo(user):
    """What waits for the SKEW team, as far as `user` may see it."""
    return todo_items(user)


@register.simple_tag
def second_factor(user) -> dict[str, bool]:
    """Whether staff need a second factor here, and whether `user` has one."""
    return {"required": mfa_required(), "enrolled": has_second_factor(user)}
