"""python manage.py import_workbook PATH [--dry-run] [--deal CODE] [--user NAME]

Checks the whole workbook first and prints per sheet what is new, changed and unchanged,
and every error with sheet, row and column. Saves only when the workbook is valid, a user
is given (--user: the import is on that user's name) and --dry-run is not; without --user
it only checks; the user must be coordinator of the deal, as in the browser. New uitkeringen
wait in an import batch for a controller (confirm_import). The exit status is 1 when there are errors.
"""

from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from finance.workbook import WorkbookReport, workbook_import

MAX_FILE_BYTES = 200 * 1024 * 1024  # far above the 100.000-booking benchmark workbook (5 MB)


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
            "--user",
            default="",
            help="Gebruikersnaam die de import (en de uitkeringen) op zijn naam krijgt. Zonder --user wordt de "
            "werkmap alleen gecontroleerd (zoals --dry-run).",
        )

    def handle(self, *args, path, dry_run, deal_code, user, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Bestand '{path}' bestaat niet.")
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:  # read whole into memory below; the row cap needs the bytes first
            raise CommandError(
                f"Bestand '{path}' is {size // (1024 * 1024)} MB; de grens is {MAX_FILE_BYTES // (1024 * 1024)} MB. "
                "Splits de werkmap."
            )
        try:
            data = file.read_bytes()
        except OSError as e:
            raise CommandError(f"Bestand '{path}' kan niet gelezen worden ({e.strerror}).") from None
        importer = None
        if user:
            importer = User.objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"Gebruiker '{user}' bestaat niet.")
        elif not dry_run:
            # Nobody to put the import on: a check only, never a save without a name.
            self.stdout.write(
                self.style.WARNING("Geen --user opgegeven: alleen een controle, er wordt niets opgeslagen.")
            )
            dry_run = True
        report = workbook_import(data=data, user=importer, commit=not dry_run, deal_code=deal_code, file_name=file.name)
        for line in report_lines(report):
            self.stdout.write(line)
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(report.errors)} fout(en) gevonden; er is niets opgeslagen.", returncode=1)
        if dry_run:
            reason = "--dry-run" if importer else "geen --user"
            self.stdout.write(self.style.WARNING(f"Controle zonder fouten; er is niets opgeslagen ({reason})."))
        else:
            self.stdout.write(self.style.SUCCESS("Werkmap geïmporteerd."))
            if report.batch is not None:
                self.stdout.write(
                    f"De {report.batch.payout_count} uitkering(en) wachten in importbatch {report.batch.pk}; ze "
                    f"tellen pas mee na 'manage.py confirm_import {report.batch.pk} --user NAAM' door een andere "
                    "controller van de deal (of in de browser)."
                )
