"""python manage.py confirm_import BATCH_ID --user NAME | --all --user NAME

The second pair of eyes on the command line: a controller of the batch's deal who did not
import the workbook confirms its uitkeringen, through the same service as the browser
(finance.import_batches.batch_confirm). --all confirms every waiting batch in the deals where
NAME is controller (batches NAME imported are skipped); the first refused batch stops the run,
and the batches confirmed before it stay confirmed.
"""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from finance.import_batches import batch_confirm, batches_to_confirm
from finance.models import ImportBatch
from finance.permissions import deals_where
from projects.roles import CONTROLLER
from projects.templatetags.money import format_euro


class Command(BaseCommand):
    help = "Bevestigt een importbatch (of met --all alle wachtende) als controller; de uitkeringen tellen dan mee."

    def add_arguments(self, parser):
        parser.add_argument("batch_id", nargs="?", type=int, help="Nummer van de importbatch.")
        parser.add_argument(
            "--all",
            dest="all_batches",
            action="store_true",
            help="Alle wachtende batches in de deals waar u controller bent.",
        )
        parser.add_argument("--user", required=True, help="Gebruikersnaam van de controller die bevestigt.")

    def handle(self, *args, batch_id, all_batches, user, **options):
        if bool(batch_id) == all_batches:
            raise CommandError("Geef precies één van beide: een batchnummer of --all.")
        controller = User.objects.filter(username=user, is_active=True).first()
        if controller is None:
            raise CommandError(f"Gebruiker '{user}' bestaat niet (of is niet actief).")
        if all_batches:
            if not deals_where(controller, CONTROLLER).exists():
                raise CommandError(f"{user} is in geen enkele deal controller en bevestigt dus geen importbatches.")
            batches = batches_to_confirm(controller)
            if not batches:
                self.stdout.write(f"Er wachten geen importbatches die {user} mag bevestigen.")
        else:
            batch = ImportBatch.objects.filter(pk=batch_id).first()
            if batch is None:
                raise CommandError(f"Importbatch {batch_id} bestaat niet.")
            batches = [batch]
        for batch in batches:
            self._confirm(batch, controller)

    def _confirm(self, batch: ImportBatch, controller: User) -> None:
        try:
            batch_confirm(batch=batch, user=controller)
        except PermissionDenied as e:
            raise CommandError(f"Importbatch {batch.pk}: {e}") from None
        except ValidationError as e:
            lines = "\n".join(f"  {m}" for m in e.messages)
            raise CommandError(f"Importbatch {batch.pk} is niet bevestigd; er is niets van geboekt:\n{lines}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Importbatch {batch.pk} ({batch.deal.code}) bevestigd: {batch.payout_count} uitkering(en), "
                f"samen {format_euro(batch.payout_total)}."
            )
        )
