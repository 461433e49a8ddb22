"""Deterministic synthetic deals for benchmarks and load tests.

The shape follows a real Regio Deal: 2-4 actielijnen with 2-3 programmes each, 10-20
funders in the three categories, per project budgets for a few funders, commitments,
approved tranches, expenditure per half year, an approved verslag per project and output
indicators with metingen that add up to their programme. The same arguments always give the same
data (random.Random(seed)). Rows are bulk-inserted: this is test data, so it has no
history entries.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from finance.models import Booking, Funder, Tranche
from monitoring.models import Indicator, Measurement
from projects.models import ActionLine, Deal, Decision, Programme, ProgressReport, Project, ReportingPeriod

FUNDER_SHAPES = [
    ("Rijk", Funder.Category.RIJK, Funder.Kind.RIJK),
    ("Provincie A", Funder.Category.PUBLIC, Funder.Kind.PROVINCE),
    ("Provincie B", Funder.Category.PUBLIC, Funder.Kind.PROVINCE),
    ("Onderwijs", Funder.Category.OTHER, Funder.Kind.EDUCATION),
    ("Privaat + eigen middelen", Funder.Category.OTHER, Funder.Kind.PRIVATE),
    ("Board", Funder.Category.PUBLIC, Funder.Kind.BOARD),
]


@dataclass
class SyntheticResult:
    deals: list[Deal]
    projects: int
    bookings: int


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high) * 100)


@transaction.atomic
def generate_synthetic(
    *, deals: int, projects_per_deal: int, bookings_per_project: int, seed: int, user: User | None = None
) -> SyntheticResult:
    rng = random.Random(seed)
    made: list[Deal] = []
    total_bookings = 0
    for d in range(deals):
        start = date(2020 + rng.randrange(0, 3), 1, 1)
        deal, _ = Deal.objects.update_or_create(
            code=f"synth-{seed}-{d + 1}",
            defaults={
                "name": f"Synthetische Regio Deal {seed}-{d + 1}",
                "region": f"Regio {rng.choice(['Noord', 'Oost', 'Zuid', 'West'])} {d + 1}",
                "start": start,
                "end": start.replace(year=start.year + 4),
                "financial_closing_date": start.replace(year=start.year + 5),
                "default_reference_date": start.replace(year=start.year + 2),
            },
        )
        if deal.projects.exists():
            made.append(deal)  # same arguments, same data: nothing to add
            continue
        made.append(deal)
        total_bookings += _fill_deal(rng, deal, projects_per_deal, bookings_per_project, user)
    return SyntheticResult(
        deals=made,
        projects=sum(deal.projects.count() for deal in made),
        bookings=total_bookings,
    )


def _fill_deal(rng: random.Random, deal: Deal, n_projects: int, per_project: int, user: User | None) -> int:
    funders = [
        Funder(deal=deal, name=name, category=category, kind=kind, order=i)
        for i, (name, category, kind) in enumerate(FUNDER_SHAPES)
    ]
    for i in range(rng.randrange(4, 15)):
        funders.append(
            Funder(
                deal=deal,
                name=f"Gemeente {i + 1}",
                category=Funder.Category.PUBLIC,
                kind=Funder.Kind.MUNICIPALITY,
                order=len(funders),
            )
        )
    Funder.objects.bulk_create(funders)
    funders = list(deal.funders.all())

    n_lines = rng.randrange(2, 5)
    lines = ActionLine.objects.bulk_create(
        ActionLine(deal=deal, code=str(i + 1), name=f"Actielijn {i + 1}") for i in range(n_lines)
    )
    programmes = []
    for line in lines:
        for j in range(rng.randrange(2, 4)):
            programmes.append(
                Programme(
                    deal=deal, action_line=line, code=f"{line.code}{j + 1}00", name=f"Programma {line.code}.{j + 1}"
                )
            )
    programmes = Programme.objects.bulk_create(programmes)
    projects = Project.objects.bulk_create(
        Project(
            deal=deal,
            programme=programmes[i % len(programmes)],
            code=f"{programmes[i % len(programmes)].code[:-2]}{i // len(programmes) + 10:02d}",
            name=f"Project {i + 1}",
            start=deal.start + timedelta(days=rng.randrange(0, 365)),
            end=deal.end - timedelta(days=rng.randrange(0, 365)),
        )
        for i in range(n_projects)
    )

    # Every begroting and toekenning points to a decision: one vaststelling per deal.
    adopted = Decision.objects.create(
        deal=deal,
        number=f"SG-{deal.start.year}-01",
        date=deal.start,
        text="Stuurgroep stelt de begroting van de deal vast (synthetisch)",
        created_by=user,
    )
    bookings: list[Booking] = []
    tranches: list[tuple[Booking, Tranche]] = []
    for project in projects:
        project_funders = rng.sample(funders, k=min(len(funders), rng.randrange(2, 6)))
        budgets = {f.pk: _money(rng, 500, 20000) for f in project_funders}
        made = 0
        for funder in project_funders:
            common = {"deal": deal, "project": project, "funder": funder, "created_by": user}
            decision = {"decision": adopted}
            bookings.append(Booking(kind="begroting", amount=budgets[funder.pk], date=deal.start, **decision, **common))
            bookings.append(
                Booking(kind="toekenning", amount=budgets[funder.pk], date=deal.start, **decision, **common)
            )
            made += 2
        number = 0
        while made < per_project:
            funder = rng.choice(project_funders)
            when = project.start + timedelta(days=rng.randrange(0, 900))
            common = {"deal": deal, "project": project, "funder": funder, "created_by": user, "date": when}
            if rng.random() < 0.5:
                number += 1
                amount = (budgets[funder.pk] / 8).quantize(Decimal("1"))
                booking = Booking(kind="uitkering", amount=amount, **common)
                tranches.append(
                    (
                        booking,
                        Tranche(
                            project=project,
                            funder=funder,
                            number=number,
                            amount=amount,
                            date=when,
                            status=Tranche.Status.APPROVED,
                            decided_at=timezone.now(),
                        ),
                    )
                )
            else:
                booking = Booking(
                    kind="besteding",
                    amount=(budgets[funder.pk] / 10).quantize(Decimal("1")),
                    period_start=when - timedelta(days=182),
                    period_end=when,
                    **common,
                )
            bookings.append(booking)
            made += 1
    Booking.objects.bulk_create(bookings, batch_size=2000)
    # Four eyes even in test data: one user registers, another approves.
    registrar = user or User.objects.get_or_create(username="synthetisch-kassier")[0]
    approver = User.objects.get_or_create(username="synthetisch-controller")[0]
    for booking, tranche in tranches:
        tranche.booking = booking
        tranche.registered_by = registrar
        tranche.decided_by = approver
    Tranche.objects.bulk_create([t for _, t in tranches], batch_size=2000)
    _add_progress_and_indicators(rng, deal, projects, programmes, approver)
    return len(bookings)


def _add_progress_and_indicators(rng, deal, projects, programmes, approver) -> None:
    """One approved verslag per project for the deal's first half year, and an output
    indicator per project (summing to its programme) with a baseline and two metingen."""
    period = ReportingPeriod.objects.create(
        deal=deal,
        name=f"{deal.start.year + 1}-1",
        start=deal.start.replace(year=deal.start.year + 1),
        end=deal.start.replace(year=deal.start.year + 1, month=7),
        reference_date=deal.start.replace(year=deal.start.year + 1, month=7),
        deadline=deal.start.replace(year=deal.start.year + 1, month=9),
    )
    now = timezone.now()
    statuses = [choice for choice, _ in ProgressReport.ProjectStatus.choices]
    ProgressReport.objects.bulk_create(
        ProgressReport(
            project=project,
            period=period,
            state=ProgressReport.State.APPROVED,
            status=rng.choice(statuses[:3]),
            progress=f"Voortgang van {project.name} in {period.name} (synthetisch).",
            results="Eerste resultaat\nTweede resultaat",
            lessons="Een geleerde les",
            governance="Samenwerking met partners",
            expected_end=project.end,
            submitted_at=now,
            decided_at=now,
            decided_by=approver,
        )
        for project in projects
    )
    programme_indicators = Indicator.objects.bulk_create(
        Indicator(
            deal=deal,
            level=Indicator.Level.PROGRAMME,
            programme=programme,
            code=f"{programme.code}-I1",
            name=f"Deelnemers {programme.name}",
            unit="deelnemers",
            kind=Indicator.Kind.OUTPUT,
            baseline_value=Decimal(0),
            baseline_date=deal.start,
            target_value=Decimal(rng.randrange(100, 1000)),
            target_date=deal.end,
            summable=True,
        )
        for programme in programmes
    )
    by_programme = {i.programme_id: i for i in programme_indicators}
    project_indicators = Indicator.objects.bulk_create(
        Indicator(
            deal=deal,
            level=Indicator.Level.PROJECT,
            project=project,
            parent=by_programme[project.programme_id],
            code=f"{project.code}-O1",
            name=f"Deelnemers {project.name}",
            unit="deelnemers",
            kind=Indicator.Kind.OUTPUT,
            baseline_value=Decimal(0),
            baseline_date=deal.start,
            summable=True,
        )
        for project in projects
    )
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            date=when,
            value=Decimal(rng.randrange(1, 50) * (n + 1)),
            source_note="Synthetisch",
            status=Measurement.Status.APPROVED,
            approved_by=approver,
            approved_at=now,
        )
        for indicator in project_indicators
        for n, when in enumerate((period.reference_date, deal.end))
    )
