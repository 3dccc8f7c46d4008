"""Fill the database with many realistic organisations, fast, for scale tests and benchmarks."""

import random
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from actors.enums import ConsentChannel, OrganisationKind, Scope
from actors.models import ConsentWording, FieldOfAction, Organisation, PublicationConsent
from actors.search import fill_search_columns
from engagements.models import Municipality

PREFIXES = [
    "Afrikanischer", "Ghanaischer", "Deutsch-Marokkanischer", "Senegalesischer", "Kamerunischer",
    "Äthiopischer", "Eritreischer", "Nigerianischer", "Vietnamesischer", "Bangladeschischer",
    "Kongolesischer", "Ivorischer", "Türkisch-Deutscher", "Syrischer", "Ruandischer",
]  # fmt: skip
NOUNS = [
    "Kulturverein", "Frauenverein", "Elternverein", "Jugendverein", "Bildungsverein",
    "Solidaritätskreis", "Freundeskreis", "Entwicklungsverein", "Umweltverein", "Sportverein",
]  # fmt: skip
COUNTRIES = ["GH", "SN", "MA", "CM", "ET", "ER", "NG", "VN", "BD", "CD", "CI", "TR", "SY", "RW"]
DESCRIPTIONS = [
    "Wir fördern Bildungsprojekte in unserem Herkunftsland und informieren hier darüber.",
    "Unser Verein organisiert Veranstaltungen zu fairem Handel und Klimagerechtigkeit.",
    "Wir bringen Familien zusammen und unterstützen Partnerschaften mit Kommunen im Süden.",
    "Entwicklungspolitische Bildungsarbeit an Schulen und in der Nachbarschaft.",
]


class Command(BaseCommand):
    help = "Adds N realistic organisations with bulk inserts (most of them published)."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, required=True)
        parser.add_argument("--seed", type=int, default=20)
        parser.add_argument("--published-share", type=float, default=0.85)

    @transaction.atomic
    def handle(self, *args, organisations, seed, published_share, **options):
        if organisations < 1:
            raise CommandError("--organisations must be at least 1.")
        rng = random.Random(seed)
        towns = list(Municipality.objects.all()) or [
            Municipality.objects.create(name="Musterstadt", federal_state="NW")
        ]
        fields = list(FieldOfAction.objects.all())
        wording, _created = ConsentWording.objects.get_or_create(
            version="scale-1",
            defaults={
                "text_de": "Testeinwilligung für Lasttests.",
                "valid_from": timezone.localdate(),
            },
        )
        start = Organisation.objects.count()
        batch = []
        for i in range(organisations):
            town = rng.choice(towns)
            name = f"{rng.choice(PREFIXES)} {rng.choice(NOUNS)} {town.name} {start + i + 1} e. V."
            organisation = Organisation(
                name=name,
                slug=f"scale-{uuid.uuid4().hex[:12]}",
                public_id=uuid.uuid4(),
                kind=rng.choice(OrganisationKind.values),
                municipality=town,
                scope=rng.choice(Scope.values),
                description=rng.choice(DESCRIPTIONS),
                countries_of_origin=rng.sample(COUNTRIES, rng.randint(1, 2)),
                countries_of_activity=rng.sample(COUNTRIES, rng.randint(0, 2)),
            )
            fill_search_columns(organisation)
            batch.append(organisation)
        created = Organisation.objects.bulk_create(batch, batch_size=2000)
        through = Organisation.fields_of_action.through
        links = [
            through(organisation_id=o.pk, fieldofaction_id=f.pk)
            for o in created
            for f in rng.sample(fields, rng.randint(0, min(2, len(fields))))
        ]
        through.objects.bulk_create(links, batch_size=5000)
        now = timezone.now()
        consents = [
            PublicationConsent(
                organisation_id=o.pk,
                wording=wording,
                given_by="Vorstand",
                given_at=now,
                channel=ConsentChannel.WEB_FORM,
            )
            for o in created
            if rng.random() < published_share
        ]
        PublicationConsent.objects.bulk_create(consents, batch_size=5000)
        self.stdout.write(
            f"{len(created)} organisations added "
            f"({len(consents)} published, {len(links)} field links)."
        )
