from django import template

from core.processing import Activity, activities

register = template.Library()


@register.simple_tag
def processing_activities() -> list[Activity]:
    """The record's processing of personal data: the privacy page says the same in plain words."""
    return activities()
