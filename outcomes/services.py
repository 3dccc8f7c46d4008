"""Writing action options: drafted by advisors, commented on, decided by the municipality."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actors.models import FieldOfAction, Organisation, ResearchFinding
from core.emails import notify_users
from engagements.enums import EngagementStatus
from engagements.models import Department, Engagement, EngagementAdvisor
from engagements.services import officers_of

from .enums import Decision, Effort
from .final_report import final_report_content, final_report_pdf
from .models import ActionOption, ActionOptionComment, FinalReport
from .selectors import organisations_for

if TYPE_CHECKING:
    from core.models import User


class OptionError(Exception):
    """A change of an action option that is not allowed, with a readable reason."""


def _open(engagement: Engagement) -> Engagement:
    engagement = (
        Engagement.objects.select_for_update().select_related("municipality").get(pk=engagement.pk)
    )
    if engagement.status not in EngagementStatus.open():
        raise OptionError(
            _("Der Einsatz ist %(status)s; seine Handlungsoptionen stehen fest.")
            % {"status": engagement.get_status_display()}
        )
    return engagement


@transaction.atomic
def option_save(
    *,
    engagement: Engagement,
    by: User,
    title: str,
    description: str,
    option: ActionOption | None = None,
    department: Department | None = None,
    field_of_action: FieldOfAction | None = None,
    effort: str = Effort.MEDIUM,
    organisations: Iterable[Organisation] = (),
    findings: Iterable[ResearchFinding] = (),
) -> ActionOption:
    """Draft a new option or change one that the municipality has not decided on yet."""
    engagement = _open(engagement)
    if option is not None:
        option = ActionOption.objects.select_for_update().get(pk=option.pk, engagement=engagement)
        if option.decision:
            raise OptionError(
                _("Die Kommune hat über diese Option schon entschieden; sie bleibt, wie sie ist.")
            )
    title, description = " ".join(title.split()), description.strip()
    if not title or not description:
        raise OptionError(_("Eine Handlungsoption braucht einen Titel und eine Beschreibung."))
    if department is not None and department.municipality_id != engagement.municipality_id:
        raise OptionError(_("Die Fachabteilung gehört nicht zu dieser Kommune."))
    organisations, findings = list(organisations), list(findings)
    allowed = set(organisations_for(engagement).values_list("pk", flat=True))
    if any(organisation.pk not in allowed for organisation in organisations):
        raise OptionError(_("Eine der Organisationen gehört nicht zu diesem Einsatz."))
    if any(finding.engagement_id != engagement.pk for finding in findings):
        raise OptionError(_("Ein Rechercheergebnis gehört nicht zu diesem Einsatz."))
    created = option is None
    option = option or ActionOption(engagement=engagement, created_by=by)
    option.title, option.description = title, description
    option.department, option.field_of_action, option.effort = department, field_of_action, effort
    option._history_user = by  # type: ignore[attr-defined]
    option.save()
    option.organisations.set(organisations)
    option.findings.set(findings)
    if created:
        notify_users(
            [user for user in officers_of(engagement.municipality) if user.pk != by.pk],
            template="action_option_new",
            context={"option": option, "engagement": engagement},
        )
    return option


@transaction.atomic
def option_comment(*, option: ActionOption, by: User, text: str) -> ActionOptionComment:
    """A comment on an option; the other side of the engagement hears of it."""
    engagement = _open(option.engagement)
    text = text.strip()
    if not text:
        raise OptionError(_("Der Kommentar ist leer."))
    comment = ActionOptionComment.objects.create(option=option, author=by, text=text)
    officers = officers_of(engagement.municipality)
    advisors = [
        a.advisor.user
        for a in EngagementAdvisor.objects.current()
        .filter(engagement=engagement)
        .select_related("advisor__user")
    ]
    to_advisors = any(user.pk == by.pk for user in officers)
    side = advisors if to_advisors else officers
    if to_advisors:
        page = reverse("outcomes:advisor_options", args=[engagement.pk])
    elif engagement.consultation_request_id:
        page = reverse("outcomes:officer_options", args=[engagement.consultation_request_id])
    else:  # an engagement SKEW opened without a request: no page for officers
        page = ""
    notify_users(
        [user for user in side if user.pk != by.pk and user.is_active],
        template="action_option_comment",
        context={
            "option": option,
            "engagement": engagement,
            "comment": comment,
            "path": f"{page}#option-{option.pk}" if page else "",
        },
    )
    return comment


@transaction.atomic
def option_decide(
    *, option: ActionOption, by: User, decision: str, reason: str = ""
) -> ActionOption:
    """The municipality's decision on an option; "not pursued" needs its reason."""
    _open(option.engagement)
    option = ActionOption.objects.select_for_update().get(pk=option.pk)
    if decision not in Decision.values:
        raise OptionError(_("Bitte wählen Sie eine Entscheidung."))
    reason = reason.strip()
    if decision == Decision.NOT_PURSUED and not reason:
        raise OptionError(_("Bitte begründen Sie, warum die Option nicht weiterverfolgt wird."))
    option.decision, option.decision_reason = decision, reason
    option.decided_at, option.decided_by = timezone.now(), by
    option._history_user = by  # type: ignore[attr-defined]
    option._change_reason = f"{option.get_decision_display()}. {reason}".strip()  # type: ignore[attr-defined]
    option.save()
    return option


def undecided(engagement: Engagement) -> list[ActionOption]:
    return list(ActionOption.objects.filter(engagement=engagement).undecided())


# --- The final report -------------------------------------------------------------------


@transaction.atomic
def final_report_generate(*, engagement: Engagement, by: User, language: str = "de") -> FinalReport:
    """A new version of the final report, made from the engagement as it is now."""
    engagement = (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("municipality", "consultation_request")
        .get(pk=engagement.pk)
    )
    if language not in dict(settings.LANGUAGES):
        raise OptionError(_("Diese Sprache gibt es nicht."))
    if engagement.status in (EngagementStatus.COMPLETED, EngagementStatus.CANCELLED):
        raise OptionError(_("Der Einsatz ist beendet; sein Abschlussbericht steht fest."))
    latest = FinalReport.objects.filter(engagement=engagement).order_by("-version").first()
    version = (latest.version if latest else 0) + 1
    payload = final_report_pdf(final_report_content(engagement), language=language, version=version)
    report = FinalReport(
        engagement=engagement,
        version=version,
        language=language,
        sha256=hashlib.sha256(payload).hexdigest(),
        created_by=by,
    )
    name = f"abschlussbericht-{slugify(engagement.municipality.name)}-v{version}.pdf"
    report.pdf.save(name, ContentFile(payload), save=False)
    try:
        report.save()
    except BaseException:
        report.pdf.storage.delete(report.pdf.name)  # no file without its row
        raise
    notify_users(
        [user for user in officers_of(engagement.municipality) if user.pk != by.pk],
        template="final_report_ready",
        context={"engagement": engagement, "report": report},
    )
    return report


def _latest(report: FinalReport) -> FinalReport:
    locked = FinalReport.objects.select_for_update().get(pk=report.pk)
    newest = FinalReport.objects.filter(engagement_id=locked.engagement_id).order_by("-version")[0]
    if newest.pk != locked.pk:
        raise OptionError(
            _("Es gibt eine neuere Version (%(version)s); bitte bestätigen Sie diese.")
            % {"version": newest.version}
        )
    return locked


@transaction.atomic
def final_report_confirm(*, report: FinalReport, by: User, as_skew: bool) -> FinalReport:
    """The municipality's or SKEW's confirmation of the newest version; twice is once."""
    report = _latest(report)
    field = "skew" if as_skew else "officer"
    if getattr(report, f"{field}_confirmed_at") is None:
        setattr(report, f"{field}_confirmed_at", timezone.now())
        setattr(report, f"{field}_confirmed_by", by)
        report.save(update_fields=[f"{field}_confirmed_at", f"{field}_confirmed_by"])
    return report


def missing_for_completion(engagement: Engagement) -> list[str]:
    """What completing the engagement still needs (registered with the lifecycle)."""
    missing = []
    options = ActionOption.objects.filter(engagement=engagement)
    if not options.exists():
        missing.append(_("es gibt noch keine Handlungsoption"))
    undecided_count = options.undecided().count()
    if undecided_count:
        missing.append(
            ngettext(
                "über %(count)s Handlungsoption hat die Kommune noch nicht entschieden",
                "über %(count)s Handlungsoptionen hat die Kommune noch nicht entschieden",
                undecided_count,
            )
            % {"count": undecided_count}
        )
    latest = FinalReport.objects.filter(engagement=engagement).order_by("-version").first()
    if latest is None:
        missing.append(_("der Abschlussbericht fehlt"))
    else:
        if latest.officer_confirmed_at is None:
            missing.append(_("die Kommune hat den Abschlussbericht noch nicht bestätigt"))
        if latest.skew_confirmed_at is None:
            missing.append(_("die SKEW hat den Abschlussbericht noch nicht bestätigt"))
        last_decision = options.exclude(decided_at=None).order_by("-decided_at").first()
        if last_decision and last_decision.decided_at > latest.created_at:
            missing.append(_("der Abschlussbericht ist älter als die letzte Entscheidung"))
    return missing
