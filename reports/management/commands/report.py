"""python manage.py report DEAL_CODE --as-of YYYY-MM-DD --format html|pdf|xlsx|json --output PATH"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.models import Deal
from reports import exports
from reports.selectors import report_data


class Command(BaseCommand):
    help = "Maakt de voortgangsrapportage van een deal op een ijkdatum (html, pdf, xlsx of json)."

    def add_arguments(self, parser):
        parser.add_argument("deal_code")
        parser.add_argument("--as-of", dest="as_of", help="IJkdatum JJJJ-MM-DD (standaard: die van de deal).")
        parser.add_argument("--format", dest="fmt", choices=exports.FORMATS, default="json")
        parser.add_argument("--output", required=True, help="Pad van het bestand; '-' schrijft naar stdout.")

    def handle(self, *args, deal_code, as_of, fmt, output, **options):
        deal = Deal.objects.filter(code=deal_code).first()
        if deal is None:
            raise CommandError(f"Deal '{deal_code}' bestaat niet.")
        try:
            reference = date.fromisoformat(as_of) if as_of else deal.default_reference_date
        except ValueError as error:
            raise CommandError(f"--as-of '{as_of}' is geen datum in de vorm JJJJ-MM-DD.") from error
        data = report_data(deal=deal, as_of=reference)
        content = exports.render(data, fmt)
        if output == "-":
            self.stdout.write(content.decode("utf-8") if fmt in ("json", "html") else "(binair; geef --output)")
            return
        Path(output).write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"{fmt.upper()} geschreven naar {output} ({len(content)} bytes)."))
