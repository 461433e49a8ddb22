from django.core.management.base import BaseCommand

from reports.synthetic import generate_synthetic


class Command(BaseCommand):
    help = "Maakt deterministische synthetische deals voor benchmarks (zelfde seed, zelfde data)."

    def add_arguments(self, parser):
        parser.add_argument("--deals", type=int, default=1)
        parser.add_argument("--projects-per-deal", type=int, default=26)
        parser.add_argument("--bookings-per-project", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        result = generate_synthetic(
            deals=options["deals"],
            projects_per_deal=options["projects_per_deal"],
            bookings_per_project=options["bookings_per_project"],
            seed=options["seed"],
        )
        codes = ", ".join(deal.code for deal in result.deals)
        self.stdout.write(
            f"{len(result.deals)} deal(s): {codes}; {result.projects} projecten, {result.bookings} boekingen"
        )
