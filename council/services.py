"""Importing council papers, linking them to engagements, and the daily council watch."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from engagements.models import Engagement

from .enums import PaperSource
from .models import Consultation, CouncilPaper, CouncilSystem, Lead, PaperFile, WatchKeyword
from .oparl import Client, OParlError, date_of, moment_of, text, url_of

logger = logging.getLogger(__name__)

# The first watch of a system reads back this far.
FIRST_LOOK_BACK = datetime.timedelta(days=30)


class CouncilError(Exception):
    """A step that is not possible, with the reason for a person to read."""


class _Names:
    """Names of meetings and organisations, fetched once per run; a failure leaves a blank."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.cache: dict[str, dict[str, Any]] = {}

    def object(self, url: str) -> dict[str, Any]:
        if not url:
            return {}
        if url not in self.cache:
            try:
                self.cache[url] = self.client.get(url)
            except OParlError as error:
                logger.info("OParl: %s", error)
                self.cache[url] = {}
        return self.cache[url]


@transaction.atomic
def paper_import(
    *, municipality_id: int, data: dict[str, Any], base: str, names: _Names
) -> CouncilPaper | None:
    """Create or update a paper from its OParl object (a deleted one is marked so)."""
    oparl_id = url_of(data.get("id"), base)
    if not oparl_id:
        return None
    paper = CouncilPaper.objects.filter(oparl_id=oparl_id).first() or CouncilPaper(
        municipality_id=municipality_id, oparl_id=oparl_id, source=PaperSource.OPARL
    )
    if data.get("deleted") is True:
        if paper.pk:
            paper.deleted = True
            paper.save(update_fields=["deleted", "imported_at"])
        return paper if paper.pk else None
    paper.name = text(data.get("name"))[:500] or text(data.get("reference")) or oparl_id
    paper.reference = text(data.get("reference"))[:80]
    paper.paper_type = text(data.get("paperType"))[:120]
    paper.date = date_of(data.get("date"))
    paper.web_url = url_of(data.get("web"), base)[:500]
    paper.modified = moment_of(data.get("modified"))
    paper.deleted = False
    paper.save()
    paper.consultations.all().delete()
    consultations = data.get("consultation")
    for item in consultations if isinstance(consultations, list) else []:
        if not isinstance(item, dict):
            continue
        meeting = names.object(url_of(item.get("meeting"), base))
        organisations = item.get("organization")
        organisation_url = (
            organisations[0] if isinstance(organisations, list) and organisations else organisations
        )
        organisation = names.object(url_of(organisation_url, base))
        Consultation.objects.create(
            paper=paper,
            body=text(organisation.get("name"))[:250],
            meeting=text(meeting.get("name"))[:250],
            date=date_of(meeting.get("start")),
            role=text(item.get("role"))[:250],
        )
    paper.files.all().delete()
    files = [data.get("mainFile")]
    auxiliary = data.get("auxiliaryFile")
    files += auxiliary if isinstance(auxiliary, list) else [auxiliary]
    for item in files:
        if isinstance(item, dict):
            link = url_of(item.get("accessUrl") or item.get("downloadUrl"), base)
            if link:
                name = text(item.get("name")) or text(item.get("fileName")) or link
                PaperFile.objects.create(paper=paper, name=name[:300], url=link[:500])
    return paper


def _client() -> Client:
    return Client()


def _record_error(system: CouncilSystem, error: Exception) -> None:
    CouncilSystem.objects.filter(pk=system.pk).update(
        last_error=str(error)[:2000], last_error_at=timezone.now(), last_run_at=timezone.now()
    )


def _body(system: CouncilSystem, client: Client) -> dict[str, Any]:
    body = client.body(system.system_url, system.body_url)
    body_url = url_of(body.get("id"), system.system_url)
    if body_url and not system.body_url:
        system.body_url = body_url  # chosen once: the system's only body
        CouncilSystem.objects.filter(pk=system.pk).update(body_url=body_url)
    return body


def link_paper(
    *,
    engagement: Engagement,
    reference: str = "",
    url: str = "",
    client: Client | None = None,
) -> CouncilPaper:
    """Link a council paper to the engagement by its reference or URL, importing it if needed."""
    reference, url = " ".join(reference.split()), url.strip()
    if not reference and not url:
        raise CouncilError(_("Bitte nennen Sie das Aktenzeichen oder den Link der Vorlage."))
    municipality = engagement.municipality
    known = CouncilPaper.objects.filter(municipality=municipality, deleted=False)
    paper = (
        known.filter(Q(oparl_id=url) | Q(web_url=url)).first()
        if url
        else known.filter(reference__iexact=reference).first()
    )
    system = CouncilSystem.objects.filter(municipality=municipality).first()
    if paper is None and system is not None:
        client = client or _client()
        names = _Names(client)
        try:
            if url:
                paper = paper_import(
                    municipality_id=municipality.pk,
                    data=client.get(url),
                    base=url,
                    names=names,
                )
            else:
                body = _body(system, client)
                papers_url = url_of(body.get("paper"), system.body_url or system.system_url)
                for item in client.items(papers_url):
                    if text(item.get("reference")).casefold() == reference.casefold():
                        paper = paper_import(
                            municipality_id=municipality.pk,
                            data=item,
                            base=papers_url,
                            names=names,
                        )
                        break
        except OParlError as error:
            raise CouncilError(
                _("Das Ratsinformationssystem antwortet nicht wie erwartet: %(error)s")
                % {"error": error}
            ) from error
    if paper is None:
        raise CouncilError(
            _(
                "Keine Vorlage „%(what)s“ gefunden. Ohne OParl-Zugang erfassen Sie die Vorlage "
                "von Hand mit ihrem Link."
            )
            % {"what": reference or url}
        )
    paper.engagements.add(engagement)
    return paper


def watch_system(system: CouncilSystem, *, now: datetime.datetime | None = None,
                 client: Client | None = None) -> int:  # fmt: skip
    """Read the papers changed since the last run; those with a keyword become leads.

    Returns the number of new leads. A failure is recorded on the system (and raised as
    OParlError): the next run starts again from where this one began.
    """
    now = now or timezone.now()
    client = client or _client()
    keywords = list(WatchKeyword.objects.values_list("word", flat=True))
    since = system.synced_until or now - FIRST_LOOK_BACK
    names = _Names(client)
    found = 0
    try:
        body = _body(system, client)
        papers_url = url_of(body.get("paper"), system.body_url or system.system_url)
        if not papers_url:
            raise OParlError(f"{system.body_url} nennt keine Liste der Vorlagen („paper“)")
        if system.resume_url:  # the rest of a list the page limit cut short last time
            pages = client.items(system.resume_url)
        else:
            pages = client.items(papers_url, modified_since=since)
        for item in pages:
            wanted = _matches_data(item, keywords)
            known = CouncilPaper.objects.filter(oparl_id=url_of(item.get("id"), papers_url))
            if not wanted and not known.exists():
                continue  # neither a lead nor a paper we keep: not stored
            paper = paper_import(
                municipality_id=system.municipality_id, data=item, base=papers_url, names=names
            )
            if paper is None or paper.deleted or not wanted:
                continue
            _lead, created = Lead.objects.get_or_create(paper=paper, defaults={"matched": wanted})
            found += int(created)
    except OParlError as error:
        _record_error(system, error)
        raise
    started = system.cycle_started_at or now
    if client.stopped_at:
        # Not through yet: go on from there next time; the increment starts from this cycle.
        CouncilSystem.objects.filter(pk=system.pk).update(
            resume_url=client.stopped_at, cycle_started_at=started, last_run_at=now,
            last_error="", last_error_at=None,
        )  # fmt: skip
    else:
        CouncilSystem.objects.filter(pk=system.pk).update(
            synced_until=started, resume_url="", cycle_started_at=None, last_run_at=now,
            last_error="", last_error_at=None,
        )  # fmt: skip
    return found


def _matches_data(item: dict[str, Any], keywords: Iterable[str]) -> list[str]:
    haystack = " ".join(
        text(item.get(key)) for key in ("name", "reference", "paperType")
    ).casefold()
    return [word for word in keywords if word.casefold() in haystack]


def watch_all(now: datetime.datetime | None = None) -> dict[str, int]:
    """The daily watch over every system: one bad server never stops the others."""
    report: dict[str, int] = {"systems": 0, "leads": 0, "failed": 0}
    for system in CouncilSystem.objects.filter(watch=True).select_related("municipality"):
        report["systems"] += 1
        try:
            report["leads"] += watch_system(system, now=now)
        except OParlError:
            report["failed"] += 1
        except Exception as error:  # a bug must not stop the other municipalities either
            logger.exception("council watch for %s", system)
            _record_error(system, error)
            report["failed"] += 1
    return report
