"""python manage.py load_demo: the Cleantech Regio Deal from fixtures/cleantech.json.

It lives in `reports` because that is the one app allowed to read all the others;
each app loads its own part. Running it twice changes nothing.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from finance.demo import load_ledger
from monitoring.demo import load_indicators
from projects.demo import load_ministry_user, load_progress, load_second_team, load_structure, load_users
from reports.demo import load_texts
from reports.demo_circulair import load_circulair
from reports.demo_twente import load_twente
from reports.synthetic import generate_synthetic

# The second demo deal: small, generated, with a team of its own (see projects.demo).
# Enough bookings per project that, after a begroting and toekenning per funder, tranches and bestedingen follow.
SECOND_DEAL = {"deals": 1, "projects_per_deal": 6, "bookings_per_project": 16, "seed": 2}

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "cleantech.json"
MONITORING_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "cleantech_monitoring.json"


class Command(BaseCommand):
    help = (
        "Laadt de demo-deals cleantech, een tweede (gegenereerde) deal, circulair en twente, elk met gebruikers "
        "per rol (wachtwoord: regiodeal-demo)."
    )

    def handle(self, *args, **options):
        data = json.loads(FIXTURE.read_text(encoding="utf-8"))
        with transaction.atomic():
            users = load_users()
            deal = load_structure(data, users)
            load_ledger(deal, data, users)
            load_indicators(deal, json.loads(MONITORING_FIXTURE.read_text(encoding="utf-8")), users)
            load_progress(deal, data, users)
            load_texts(deal, data, users)
            second = generate_synthetic(**SECOND_DEAL).deals[0]
            load_second_team(second)
            load_ministry_user()
            circulair = load_circulair()
            twente = load_twente()
        self.stdout.write(self.style.SUCCESS(f"Demo-deal '{deal.code}' geladen: {deal.projects.count()} projecten."))
        self.stdout.write(
            f"Tweede demo-deal '{second.code}' met een eigen team (gebruikersnamen eindigen op _b); "
            "'ministerie' leest alle deals."
        )
        self.stdout.write(
            f"Derde demo-deal '{circulair.code}' (Regiodeal Circulaire Regio, illustratieve bedragen) met een eigen "
            "team (gebruikersnamen eindigen op _c)."
        )
        self.stdout.write(
            f"Vierde demo-deal '{twente.code}' (Investeren in Twente: twee programmalijnen met elk een eigen "
            "peildatum, illustratieve bedragen) met een eigen team (gebruikersnamen eindigen op _t)."
        )
