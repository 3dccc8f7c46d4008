from django.utils.functional import SimpleLazyObject


def roles(request):
    """`roles.officer` and `roles.advisor` for the navigation, looked up only when used."""

    def find():
        from engagements.selectors import advisor_for, officer_for

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return {"officer": None, "advisor": None}
        return {"officer": officer_for(user), "advisor": advisor_for(user)}

    return {"roles": SimpleLazyObject(find)}
