"""python manage.py assign_role USERNAME ROLE [--deal CODE]

For whoever runs the server (like createsuperuser): the first coordinator of a new deal, or
the ministry's read-only role across all deals (no --deal). Every other role is granted on
the portal's page Rollen, where kassier and controller need a second coordinator. This
command refuses kassier and controller, so it cannot be used to skip those four eyes.
"""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from projects import roles
from projects.models import Deal
from projects.services_roles import assign_without_review

BOOTSTRAP_ROLES = (roles.COORDINATOR, roles.MINISTRY)


class Command(BaseCommand):
    help = "Geeft de eerste coördinator van een deal of de leesrol van het ministerie (alle deals)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=BOOTSTRAP_ROLES)
        parser.add_argument("--deal", dest="deal_code", help="Dealcode; weglaten alleen voor 'ministerie'.")

    def handle(self, *args, username, role, deal_code, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Gebruiker '{username}' bestaat niet.")
        deal = None
        if role == roles.MINISTRY:
            if deal_code:
                raise CommandError("De leesrol van het ministerie geldt voor alle deals; laat --deal weg.")
        else:
            deal = Deal.objects.filter(code=deal_code or "").first()
            if deal is None:
                raise CommandError(f"Deal '{deal_code}' bestaat niet; geef --deal CODE.")
        assignment = assign_without_review(deal=deal, user=user, role=role)
        self.stdout.write(self.style.SUCCESS(f"{assignment} is actief."))
