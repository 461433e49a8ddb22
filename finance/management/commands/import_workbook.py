"""python manage.py import_workbook PATH [--dry-run] [--deal CODE] [--user NAME]

Checks the whole workbook first and prints per sheet what is new, changed and unchanged,
and every error with sheet, row and column. Saves only when the workbook is valid and
--dry-run is not given; the exit status is 1 when there are errors.
"""

from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from finance.workbook import WorkbookReport, workbook_import


def report_lines(report: WorkbookReport) -> list[str]:
    lines = [f"Deal: {report.deal_code} {report.deal_name}{' (nieuw)' if report.deal_is_new else ''}"]
    for count in report.counts:
        if count.present:
            lines.append(
                f"  {count.sheet:<14} nieuw {count.new:>7}  gewijzigd {count.changed:>5}"
                f"  ongewijzigd {count.unchanged:>7}"
            )
        else:
            lines.append(f"  {count.sheet:<14} (tabblad ontbreekt)")
    return lines


class Command(BaseCommand):
    help = "Importeert een werkmap (.xlsx) van een hele deal; eerst altijd een controle van alle regels."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Pad naar de werkmap (.xlsx).")
        parser.add_argument("--dry-run", action="store_true", help="Alleen controleren, niets opslaan.")
        parser.add_argument(
            "--deal", dest="deal_code", help="Importeer onder deze dealcode in plaats van die in het tabblad 'deal'."
        )
        parser.add_argument(
            "--user", default="", help="Gebruikersnaam die de import (en de uitkeringen) op zijn naam krijgt."
        )

    def handle(self, *args, path, dry_run, deal_code, user, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Bestand '{path}' bestaat niet.")
        importer = None
        if user:
            importer = User.objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"Gebruiker '{user}' bestaat niet.")
        report = workbook_import(data=file.read_bytes(), user=importer, commit=not dry_run, deal_code=deal_code)
        for line in report_lines(report):
            self.stdout.write(line)
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(report.errors)} fout(en) gevonden; er is niets opgeslagen.", returncode=1)
        if dry_run:
            self.stdout.write(self.style.WARNING("Controle zonder fouten; er is niets opgeslagen (--dry-run)."))
        else:
            self.stdout.write(self.style.SUCCESS("Werkmap geïmporteerd."))
