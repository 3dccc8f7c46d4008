"""`manage.py load_demo`: fill the database with the demo world (fictional people only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from actors.models import Organisation
from advisors.models import Advisor
from events.models import Event, Registration


class Command(BaseCommand):
    help = (
        "Legt die Demo-Welt an: Pools NRW und Baden-Württemberg, Berater*innen, den "
        "Beratungseinsatz Eschweiler, das Duisburger Vernetzungstreffen, Organisationen und "
        "drei Demo-Zugänge. Ein zweiter Lauf ändert nichts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Auch mit DEBUG=False ausführen (legt Zugänge mit bekanntem Passwort an).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo legt Demo-Zugänge mit bekanntem Passwort an und läuft deshalb nur "
                "mit DEBUG=True. Wer das auf diesem System wirklich will: --force."
            )
        try:
            # Here, not at the top: the demo needs Faker, a dev dependency, and the
            # command should say so instead of failing to load.
            from miglobe.demo import DEMO_LOGINS, PASSWORD, load_demo
        except ImportError as exc:
            raise CommandError(
                f"Für die Demo-Daten fehlt ein Paket ({exc.name}). "
                "Bitte mit `pip install -e '.[dev]'` installieren."
            ) from exc

        with transaction.atomic():
            world = load_demo(today=timezone.localdate())

        new = sum(world.created.values())
        self.stdout.write(
            "Demo-Welt: {nrw} Berater*innen im Pool NRW, {bw} im Pool Baden-Württemberg, "
            "{orgs} Organisationen, {events} Veranstaltungen mit {regs} Anmeldungen.".format(
                nrw=Advisor.objects.filter(pools=world.pool["NW"]).count(),
                bw=Advisor.objects.filter(pools=world.pool["BW"]).count(),
                orgs=Organisation.objects.count(),
                events=Event.objects.count(),
                regs=Registration.objects.count(),
            )
        )
        if new:
            details = ", ".join(f"{n} {what}" for what, n in sorted(world.created.items()))
            self.stdout.write(self.style.SUCCESS(f"Neu angelegt: {new} Objekte ({details})."))
        else:
            self.stdout.write(self.style.SUCCESS("Alles war schon da; nichts geändert."))
        self.stdout.write(
            f"Zugänge (Passwort „{PASSWORD}“): " + ", ".join(e for e, _ in DEMO_LOGINS)
        )
