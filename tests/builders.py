"""Test builder: a deal of a fixed, regular shape (every project x funder gets a budget,
commitment, two payouts, an expenditure and a correction), for query-count tests where the
shape must be known exactly. Benchmarks and load tests use the realistic, seeded
`generate_synthetic` (reports/synthetic.py) instead.
"""

from datetime import date, timedelta
from decimal import Decimal

from finance.models import Booking, Funder
from projects.models import ActionLine, Deal, Decision, Programme, Project

CATEGORY_CYCLE = [Funder.Category.RIJK, Funder.Category.PUBLIC, Funder.Category.OTHER]


def build_synthetic_deal(
    *, code: str, programmes: int = 2, projects_per_programme: int = 3, funders: int = 3, bookings: bool = True
) -> Deal:
    """A deal with 2 actielijnen, the given programmes and projects, and per project x funder
    a budget, a commitment, two payouts, one expenditure and one correction; plus one
    deal-level budget per funder, all resting on one decision. ``bookings=False``: the
    structure only, without decision or money (a deal just set up)."""
    deal = Deal.objects.create(
        code=code,
        name=f"Synthetische deal {code}",
        region="Test",
        start=date(2020, 1, 1),
        end=date(2025, 12, 31),
        financial_closing_date=date(2026, 6, 30),
        default_reference_date=date(2022, 7, 1),
    )
    lines = [ActionLine.objects.create(deal=deal, code=str(i + 1), name=f"Actielijn {i + 1}") for i in range(2)]
    funder_objs = Funder.objects.bulk_create(
        Funder(
            deal=deal,
            name=f"Financier {i + 1}",
            category=CATEGORY_CYCLE[i % 3],
            kind=Funder.Kind.OTHER,
            order=i,
        )
        for i in range(funders)
    )
    programme_objs = Programme.objects.bulk_create(
        Programme(deal=deal, action_line=lines[i % 2], code=f"{(i + 1) * 100}", name=f"Programma {i + 1}")
        for i in range(programmes)
    )
    project_objs = Project.objects.bulk_create(
        Project(deal=deal, programme=prog, code=f"{prog.code}-{j + 1}", name=f"Project {prog.code}-{j + 1}")
        for prog in programme_objs
        for j in range(projects_per_programme)
    )
    if not bookings:
        return deal
    day = date(2021, 1, 1)
    adopted = Decision.objects.create(deal=deal, number="SG-2021-01", date=day, text="Begroting vastgesteld")
    new_bookings = []
    for project in project_objs:
        for funder in funder_objs:
            new_bookings += [
                Booking(deal=deal, project=project, funder=funder, kind="begroting", amount=Decimal("1000.00"),
                        date=day, decision=adopted),
                Booking(deal=deal, project=project, funder=funder, kind="toekenning", amount=Decimal("800.00"),
                        date=day, decision=adopted),
                Booking(deal=deal, project=project, funder=funder, kind="uitkering", amount=Decimal("300.00"),
                        date=day + timedelta(days=100)),
                Booking(deal=deal, project=project, funder=funder, kind="uitkering", amount=Decimal("200.00"),
                        date=day + timedelta(days=700)),
                Booking(deal=deal, project=project, funder=funder, kind="besteding", amount=Decimal("150.00"),
                        date=day + timedelta(days=200), period_start=day, period_end=day + timedelta(days=180)),
            ]  # fmt: skip
    Booking.objects.bulk_create(new_bookings)
    originals = Booking.objects.filter(deal=deal, kind="besteding").order_by("id")
    Booking.objects.bulk_create(
        Booking(deal=deal, project_id=b.project_id, funder_id=b.funder_id, kind="besteding", amount=Decimal("50.00"),
                date=b.date, period_start=b.period_start, period_end=b.period_end, correction_of=b,
                correction_reason="Te hoog verantwoord")
        for b in originals
    )  # fmt: skip
    Booking.objects.bulk_create(
        Booking(deal=deal, project=None, funder=f, kind="begroting", amount=Decimal("500.00"), date=day,
                decision=adopted, note="Organiserend vermogen")
        for f in funder_objs
    )  # fmt: skip
    return deal
