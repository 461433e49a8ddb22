"""python manage.py export_workbook DEAL_CODE --output PATH: the deal in the import format."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from finance.workbook import workbook_export
from projects.models import Deal


class Command(BaseCommand):
    help = "Schrijft een hele deal naar een werkmap (.xlsx) in het importformaat."

    def add_arguments(self, parser):
        parser.add_argument("deal_code")
        parser.add_argument("--output", required=True, help="Pad van de werkmap die geschreven wordt.")

    def handle(self, *args, deal_code, output, **options):
        deal = Deal.objects.filter(code=deal_code).first()
        if deal is None:
            raise CommandError(f"Deal '{deal_code}' bestaat niet.")
        Path(output).write_bytes(workbook_export(deal=deal))
        self.stdout.write(self.style.SUCCESS(f"Deal '{deal.code}' geschreven naar {output}."))
