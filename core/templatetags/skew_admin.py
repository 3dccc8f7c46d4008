from django import template

from core.todo import todo_items

register = template.Library()


@register.simple_tag
def skew_todo(user):
    """What waits for the SKEW team, as far as `user` may see it."""
    return todo_items(user)
