"""The staff groups a SKEW office recognises, and the model permissions each carries.

core/permissions.py turns model permissions into capabilities ("review requests", "approve
costs", …). A staff account gets its powers by being in one or more of these groups;
being staff alone grants nothing. `migrate` creates missing groups and adds missing
permissions to them; it never takes a permission away, so what SKEW adds by hand stays.

- **SKEW-Team:** the programme team. Pools, advisors, requests, engagements, the
  directory and events; sees hours and costs, but no receipts and no reports.
- **SKEW-Finanzen:** checks and approves hours and expenses, sees receipts, makes the
  reimbursement reports and records corrections; reads the rest.
- **SKEW-Administration:** the accounts of officers and advisors (names, addresses,
  active or not), periodic tasks; reads email addresses and second factors, and the
  record of processing activities (DSGVO Art. 30) for data protection. Staff
  accounts, who is staff or superuser and who is in which group, only superusers
  change (core/admin.py).
"""

from django.apps import apps as global_apps
from django.db.models.signals import post_migrate

TEAM = "SKEW-Team"
FINANCE = "SKEW-Finanzen"
ADMINISTRATION = "SKEW-Administration"

ALL = ("add", "change", "delete", "view")
READ = ("view",)

# group -> app label -> model name ("*" for every model of the app) -> actions
GROUPS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    TEAM: {
        "advisors": {"*": ALL},
        "actors": {"*": ALL},
        "events": {"*": ALL},
        "engagements": {
            "municipality": ALL,
            "department": ALL,
            "municipalofficer": ALL,
            "consultationrequest": ("change", "view"),
            "requeststatuschange": READ,
            "requestmessage": ("add", "view"),
            "engagement": ALL,
            "engagementadvisor": ALL,
            "milestone": ALL,
            "timeentry": READ,
            "expense": READ,
            "costcorrection": READ,
            "feerate": READ,
        },
        "core": {"reminderlog": READ, "outboxemail": READ},
        # Options are the advisors' and the municipality's work; SKEW follows them.
        "outcomes": {"*": READ},
        # Building pools: calls, applications, reviews and decisions.
        "recruitment": {"*": ALL},
        # Asking the organisations of a town.
        "surveys": {"*": ALL},
        # Council papers, the council watch and its leads.
        "council": {"*": ALL},
    },
    FINANCE: {
        "advisors": {"advisor": READ, "pool": READ},
        "engagements": {
            "*": READ,
            "timeentry": ("change", "view"),
            "expense": ("change", "view", "view_receipt"),
            "costcorrection": ("add", "view"),
            "feerate": ("add", "change", "view"),
            "reimbursementreport": ("add", "delete", "view"),
        },
        "core": {"outboxemail": READ},
    },
    ADMINISTRATION: {
        "core": {
            "user": ("add", "change", "view", "view_processing_record"),
            "reminderlog": READ,
            # Sending failed mail again is operations' work.
            "outboxemail": ("change", "view"),
        },
        "auth": {"group": READ},
        # Reading only: changing someone's address, or removing their second factor,
        # would let the next password reset take their account. Superusers do that.
        "account": {"emailaddress": READ},
        "mfa": {"authenticator": READ},
        "django_celery_beat": {"*": ALL},
        "sites": {"site": ("change", "view")},
    },
}


def permissions_of(group: str, permission_model, using: str = "default") -> list:
    """The Permission rows `group` should carry (of this database's content types)."""
    wanted = []
    for app_label, models in GROUPS[group].items():
        rows = permission_model.objects.using(using).filter(content_type__app_label=app_label)
        for row in rows.select_related("content_type"):
            model = row.content_type.model
            if model.startswith("historical"):
                continue  # simple-history's tables: their admin asks the model's own
            actions = models.get(model, models.get("*", ()))
            # Django's own are "<action>_<model>"; a model's own are named in full.
            if row.codename in {f"{action}_{model}" for action in actions} | set(actions):
                wanted.append(row)
    return wanted


def sync_staff_groups(*, using: str = "default", apps=global_apps, **kwargs) -> None:
    """Create missing groups and add missing permissions (never removes any)."""
    try:
        group_model = apps.get_model("auth", "Group")
        permission_model = apps.get_model("auth", "Permission")
    except LookupError:
        return
    for name in GROUPS:
        group, _ = group_model.objects.using(using).get_or_create(name=name)
        group.permissions.add(*permissions_of(name, permission_model, using))


def connect(sender) -> None:
    """Sync after this app's migrations: the last app, so every permission exists then."""
    post_migrate.connect(sync_staff_groups, sender=sender, dispatch_uid="miglobe.staff_groups")
