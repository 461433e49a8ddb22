"""python manage.py import_metingen <deal> <bestand.xlsx|csv> --gebruiker coordinator [--opslaan]

Without --opslaan only the dry run: every row and every error, nothing saved. With --opslaan the
file is imported only when no row is wrong (all or nothing), as concept metingen.
"""

from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from monitoring.permissions import can_import_measurements
from monitoring.resources import import_measurements
from projects.models import Deal


class Command(BaseCommand):
    help = "Importeert metingen uit xlsx of csv (standaard alleen een proefimport)."

    def add_arguments(self, parser):
        parser.add_argument("deal", help="code van de deal, bijvoorbeeld cleantech")
        parser.add_argument("bestand", type=Path)
        parser.add_argument("--gebruiker", required=True, help="gebruikersnaam van de coördinator die importeert")
        parser.add_argument("--opslaan", action="store_true", help="echt opslaan (alleen als er geen fouten zijn)")

    def handle(self, *args, **options):
        deal = Deal.objects.filter(code=options["deal"]).first()
        if deal is None:
            raise CommandError(f"Deal '{options['deal']}' bestaat niet.")
        user = User.objects.filter(username=options["gebruiker"]).first()
        if user is None or not can_import_measurements(user, deal):
            raise CommandError(f"Gebruiker '{options['gebruiker']}' bestaat niet of is geen coördinator van deze deal.")
        path: Path = options["bestand"]
        if not path.exists():
            raise CommandError(f"Bestand {path} bestaat niet.")
        report = import_measurements(
            deal=deal, user=user, content=path.read_bytes(), filename=path.name, commit=options["opslaan"]
        )
        for error in report.errors:
            self.stderr.write(str(error))
        if report.errors:
            raise CommandError(f"{len(report.errors)} fout(en): er is niets opgeslagen.")
        verb = "geïmporteerd" if report.committed else "klaar om te importeren (proefimport, gebruik --opslaan)"
        self.stdout.write(self.style.SUCCESS(f"{report.new} nieuwe en {report.updated} bijgewerkte metingen {verb}."))
