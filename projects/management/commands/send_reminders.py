"""python manage.py send_reminders: e-mails about verslagen that are due or late (run daily from cron).

Each project gets at most one reminder per period before the deadline and one after it
(ReminderLog, unique per period, project and moment), however often this runs.
"""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from projects.services import reminders_send


class Command(BaseCommand):
    help = (
        f"Stuurt herinneringen voor voortgangsverslagen die nog niet zijn ingediend, "
        f"{settings.REMINDER_DAYS_BEFORE} dagen vóór en {settings.REMINDER_DAYS_AFTER} dagen na de inleverdatum."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Doe alsof het vandaag deze datum is (JJJJ-MM-DD), voor tests.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(f"--today '{options['today']}' is geen datum als 2023-02-22.") from error
        result = reminders_send(today=today)
        for log in result.sent:
            self.stdout.write(
                f"Herinnering ({log.get_moment_display().lower()}) verslag {log.period} project {log.project.code} "
                f"aan {log.recipients}"
            )
        for period, project in result.without_recipients:
            self.stderr.write(f"Geen ontvangers met e-mailadres voor verslag {period} project {project.code}.")
        self.stdout.write(self.style.SUCCESS(f"{len(result.sent)} herinnering(en) verstuurd op {today:%d-%m-%Y}."))
