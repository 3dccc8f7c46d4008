from django.utils.functional import SimpleLazyObject

from advisors.selectors import advisor_for
from engagements.selectors import officer_for


def roles(request):
    """`roles.officer` and `roles.advisor` for the navigation, looked up only when used."""

    def find():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return {"officer": None, "advisor": None}
        return {"officer": officer_for(user), "advisor": advisor_for(user)}

    return {"roles": SimpleLazyObject(find)}
