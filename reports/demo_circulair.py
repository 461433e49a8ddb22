"""The demo deal "circulair": Regiodeal Circulaire Regio from seed 002 (../shared/seeddata/circulair.yaml).

The seed is an intentieverklaring: it names the opgaven with their targets, the output table of
functionaliteiten with an investment each (one "NTB"), a 1 % programme-management line over the
subtotals, co-financing that includes investments from 2015-2019, and the governance. It gives
no split per financier and no payouts, so those are invented and the deal is marked
"illustratieve bedragen" (every page and the report say so). Running it twice changes nothing.

Choices where the seed is ambiguous (its "inconsistenties"):
- the lines of "Projecten" add up to 63,93 mln where the seed states 63,92; the lines are booked as
  stated, and programme management is 1 % of the stated subtotals (15,25 + 63,92) = 0,79 mln, so the
  booked total is 79,97 mln against the seed's 79,96 (the difference is the seed's own);
- "Financiering CE (garantiefonds)" has investment NTB: an amount "nog te bepalen" per financier,
  never a booking of 0;
- the 21,93 mln without label on the cover is read as the Rijk's contribution (regio-envelop).
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from finance.models import Booking, DirectCoFinancing, Funder, PendingAmount, Tranche, YearPlan
from monitoring.models import Indicator, Measurement
from projects.demo import DEMO_USERS, assign_demo_roles, load_users
from projects.models import ActionLine, Deal, Decision, GovernanceMember, Programme, Project, ReportingPeriod

CODE = "circulair"
TEAM = {f"{username}_c": (first, f"{last} (C)", role) for username, (first, last, role) in DEMO_USERS.items()}
ADOPTED = date(2018, 3, 1)

# (code, name, investment in mln euro or None for NTB, outputs) per programme, from the output table.
ACCELERATION = [
    ("101", "Community of Practice", "6.8", ["250 samenwerkingsverbanden", "100 projecten (business development)"]),
    ("102", "Circulair inkopen", "0.55", ["> 40 gemeenten in CIMOLT", "Start 50 CI-trajecten"]),
    ("103", "Matchmaking", "1.7", ["> 1000 actieve communityleden in 2019", "> 100 challenges"]),
    ("104", "Financiering CE (garantiefonds)", None, ["Circulaire transacties met > 100 mln waarde"]),
    ("105", "Vraagbaak", "0.5", ["Regionale loketten met > 500 vragen per jaar", "10 casussen wet- en regelgeving"]),
    ("106", "Versnellingshuis", "5.7", ["> 4 regionale loketten", "2 doorbraakprojecten"]),
]
PROJECTS = [
    ("201", "Nationaal Testcentrum Kunststoffen", "5.0", ["Opwerking fracties uit kunststof"]),
    ("202", "Dutch Circular Textile Valley", "20.0", ["Full scale mechanische recycling"]),
    ("203", "Kleinere kringlopen door design en symbiose", "1.74", ["270 kTon verlaging CO2-uitstoot"]),
    ("204", "Monitoring CE", "3.47", ["Meervoudige waardecreatie bij 200 bedrijven en 30 bedrijventerreinen"]),
    ("205", "Papier en plastic raffinage", "0.35", ["Recycling plastic rejects papierindustrie"]),
    ("206", "Circulaire scholen", "0.52", ["250 circulaire scholen in 2020"]),
    ("207", "Consumentenbewustzijn", "2.0", ["Nationale campagne (via NGO's)"]),
    ("208", "Bouwprogramma", "5.85", ["Digital Twin", "Bouwkringloop"]),
    ("209", "Fieldlabs CE tech en design", "3.2", ["Nieuwe CE-designs voor consumentenproducten"]),
    ("210", "Circulaire landbouw", "1.0", ["Biobased inkopen", "Eiwittransitie", "Mestverwaarding"]),
    ("211", "Ketenaanpak en grondstoffenmarktplaats", "0.8", ["Circulaire metaalketen", "Grondstoffenmarktplaats"]),
    ("212", "Circulaire waterketen", "20.0", ["Route waterinnovaties", "1e Waterfabriek Europa"]),
]
# 1 % over the stated subtotals 15,25 + 63,92 mln.
MANAGEMENT = [("301", "Programmamanagement (1 % over de subtotalen)", "0.79", ["Programmabureau en penvoerder"])]
STRUCTURE = [
    ("1", "Versnellingsprogramma en versnellingshuis", "100", ACCELERATION),
    ("2", "Projecten", "200", PROJECTS),
    ("3", "Programmamanagement", "300", MANAGEMENT),
]
# Illustrative split of every investment: Rijk ~27,5 % (21,93 of 79,96 mln), provinces 30 %, the rest private.
FUNDERS = [
    ("Rijk (regio-envelop)", "rijk", "rijk", Decimal("0.275")),
    ("Provincies", "publiek", "provincie", Decimal("0.30")),
    ("Bedrijfsleven en kennisinstellingen", "overig", "privaat", None),  # the rest
]
OPGAVEN = [
    # code, name, unit, direction, baseline, target, relative %, target text, meting 2020
    ("OPG1", "Verbruik primaire grondstoffen", "index 2018 = 100", "lager", 100, None, -20,
     "−20 % verbruik primaire grondstoffen in 2023", 93),
    ("OPG2", "Restafval huishoudens", "kg per inwoner", "lager", 120, 80, None, "< 80 kilo in 2023", 104),
    ("OPG4", "CO2-reductie in de keten", "%", "hoger", 0, 40, None, "≥ 40 % bij > 100 maakbedrijven", 12),
]  # fmt: skip


def _split(amount: Decimal) -> list[Decimal]:
    shares = [(amount * share).quantize(Decimal("1E3")) for *_, share in FUNDERS if share is not None]
    return [*shares, amount - sum(shares)]


def load_circulair() -> Deal:
    users = load_users(TEAM)
    deal = _deal()
    assign_demo_roles(deal, users, TEAM)
    _structure(deal, users)
    if not Booking.objects.filter(deal=deal).exists():
        _ledger(deal, users)
    _indicators(deal, users)
    return deal


def _deal() -> Deal:
    deal, _ = Deal.objects.update_or_create(
        code=CODE,
        defaults={
            "name": "Regiodeal Circulaire Regio",
            "region": "Friesland, Gelderland, Overijssel en Noord-Brabant",
            "start": date(2018, 1, 1),
            "end": date(2021, 12, 31),
            "financial_closing_date": date(2022, 6, 30),
            "default_reference_date": date(2020, 7, 1),
            "goal": "De brede welvaart via circulaire economie vertalen naar voelbare en meetbare impact: "
            "ecologisch, economisch en sociaal.",
            "challenge": "Vier opgaven: grondstofzekerheid, afvalvrij, verduurzamen van businessmodellen door "
            "meervoudige waardecreatie, en een bijdrage aan CO2-vermindering.",
            "illustrative_amounts": True,
        },
    )
    ReportingPeriod.objects.update_or_create(
        deal=deal, name="2020-1",
        defaults={"start": date(2020, 1, 1), "end": date(2020, 7, 1), "reference_date": date(2020, 7, 1),
                  "deadline": date(2020, 9, 1)},
    )  # fmt: skip
    return deal


def _structure(deal: Deal, users: dict[str, User]) -> None:
    for line_code, line_name, programme_code, rows in STRUCTURE:
        line, _ = ActionLine.objects.update_or_create(deal=deal, code=line_code, defaults={"name": line_name})
        programme, _ = Programme.objects.update_or_create(
            deal=deal, code=programme_code, defaults={"name": line_name, "action_line": line}
        )
        for code, name, _investment, outputs in rows:
            Project.objects.update_or_create(
                deal=deal, code=code,
                defaults={"name": name, "programme": programme, "start": deal.start, "end": deal.end,
                          "goals": "\n".join(outputs)},
            )  # fmt: skip
    ActionLine.objects.get(deal=deal, code="2").theme_managers.add(users["themalijnmanager_c"])
    Project.objects.get(deal=deal, code="201").lead_users.add(users["penvoerder_c"])
    # The seed's bodies in the portal's (stuurgroep, werkgroep); the body's own name is the organisation.
    GovernanceMember.objects.filter(deal=deal).exclude(body__in=GovernanceMember.Body.values).delete()  # older demo
    for order, (body, name, organisation, role) in enumerate(
        [
            (
                "stuurgroep",
                "Bestuurlijke vertegenwoordigers van alle partners",
                "Stuurgroep",
                "stelt projectplannen vast",
            ),
            ("werkgroep", "Regionale en landelijke programmamanagers", "Programmabureau", "versnellingsprogramma's"),
            ("werkgroep", "Penvoerder", "Ondersteuningsteam", "administratie, secretariaat en financiën"),
        ]
    ):
        GovernanceMember.objects.update_or_create(
            deal=deal, body=body, name=name, defaults={"organisation": organisation, "role": role, "order": order}
        )


def _ledger(deal: Deal, users: dict[str, User]) -> None:
    funders = [
        Funder.objects.update_or_create(deal=deal, name=name, defaults={"category": cat, "kind": kind, "order": i})[0]
        for i, (name, cat, kind, _share) in enumerate(FUNDERS)
    ]
    decision = Decision.objects.create(
        deal=deal, number="SG-2018-01", date=ADOPTED, text="Programma en begroting vastgesteld (illustratief).",
        created_by=users["coordinator_c"],
    )  # fmt: skip
    for *_line, rows in STRUCTURE:
        for code, _name, investment, _outputs in rows:
            project = Project.objects.get(deal=deal, code=code)
            if investment is None:
                for funder in funders:
                    PendingAmount.objects.create(deal=deal, project=project, funder=funder, note="NTB in de seed")
                continue
            for funder, amount in zip(funders, _split(Decimal(investment) * 1_000_000), strict=True):
                for kind in (Booking.Kind.BUDGET, Booking.Kind.COMMITMENT):
                    _book(deal, project, funder, kind, amount, ADOPTED, users["coordinator_c"], decision)
    _payouts_and_spending(deal, funders, users)
    _cofinancing_before_the_deal(deal, funders, users)
    _year_plans(deal, funders, users)


def _book(deal, project, funder, kind, amount, day, user, decision=None, **extra) -> Booking:
    booking = Booking(
        deal=deal, project=project, funder=funder, kind=kind, amount=amount, date=day, created_by=user,
        decision=decision if kind in (Booking.Kind.BUDGET, Booking.Kind.COMMITMENT) else None, **extra,
    )  # fmt: skip
    booking.full_clean()
    booking.save()
    return booking


def _payouts_and_spending(deal: Deal, funders: list[Funder], users: dict[str, User]) -> None:
    """A first Rijk tranche of 40 % in 2019 to every project with money, and 30 % of it spent by mid-2020."""
    rijk = funders[0]
    for number, project in enumerate(Project.objects.filter(deal=deal).order_by("code"), start=1):
        budget = sum(b.amount for b in project.bookings.filter(funder=rijk, kind=Booking.Kind.BUDGET))
        if not budget:
            continue
        paid = (budget * Decimal("0.4")).quantize(Decimal("1"))
        booking = _book(deal, project, rijk, Booking.Kind.PAYOUT, paid, date(2019, 3, 1), users["kassier_c"])
        Tranche.objects.create(
            project=project, funder=rijk, number=1, amount=paid, date=booking.date, status=Tranche.Status.APPROVED,
            registered_by=users["kassier_c"], decided_by=users["controller_c"], decided_at=timezone.now(),
            booking=booking, note=f"Eerste tranche {number} (illustratief)",
        )  # fmt: skip
        _book(
            deal, project, rijk, Booking.Kind.EXPENDITURE, (paid * Decimal("0.3")).quantize(Decimal("1")),
            date(2020, 6, 30), users["coordinator_c"], period_start=date(2019, 3, 1), period_end=date(2020, 7, 1),
        )  # fmt: skip


YEARS = (2018, 2019, 2020, 2021)  # the investeringsperiode


def _year_plans(deal: Deal, funders: list[Funder], users: dict[str, User]) -> None:
    """Each begroting spread evenly over 2018-2021 (the last year takes the cents); a forecast for 2020
    of 80 % of its plan, because the seed's activities start later than planned."""
    for project in Project.objects.filter(deal=deal):
        for funder in funders:
            budget = sum(b.amount for b in project.bookings.filter(funder=funder, kind=Booking.Kind.BUDGET))
            if not budget:
                continue
            share = (budget / len(YEARS)).quantize(Decimal("1"))
            for year in YEARS:
                amount = budget - share * (len(YEARS) - 1) if year == YEARS[-1] else share
                forecast = (amount * Decimal("0.8")).quantize(Decimal("1")) if year == 2020 else None
                YearPlan.objects.create(
                    project=project, funder=funder, year=year, budget=amount, forecast=forecast,
                    updated_by=users["coordinator_c"],
                )  # fmt: skip


def _cofinancing_before_the_deal(deal: Deal, funders: list[Funder], users: dict[str, User]) -> None:
    """The seed counts investments of 2015-2019 as co-financing; one such, realised before the deal."""
    DirectCoFinancing.objects.create(
        project=Project.objects.get(deal=deal, code="201"), funder=funders[2], amount=Decimal("1500000.00"),
        status=DirectCoFinancing.Status.REALISED, pledged_on=date(2016, 5, 1), realised_on=date(2017, 12, 31),
        before_deal_start=True, evidence_reference="Jaarrekening testcentrum 2017 (illustratief)",
        note="Reeds gedane investering 2015-2019", created_by=users["coordinator_c"],
    )  # fmt: skip


def _indicators(deal: Deal, users: dict[str, User]) -> None:
    for order, (code, name, unit, direction, baseline, target, pct, text, measured) in enumerate(OPGAVEN):
        indicator, created = Indicator.objects.update_or_create(
            deal=deal, code=code,
            defaults={
                "level": Indicator.Level.DEAL, "name": name, "unit": unit, "direction": direction,
                "baseline_value": Decimal(baseline), "baseline_date": date(2018, 1, 1),
                "target_value": None if target is None else Decimal(target),
                "target_change_pct": None if pct is None else Decimal(pct),
                "target_date": date(2023, 12, 31), "target_text": text, "order": order, "source": "Illustratief",
            },
        )  # fmt: skip
        if created:
            Measurement.objects.create(
                indicator=indicator, date=date(2020, 6, 30), value=Decimal(measured),
                status=Measurement.Status.APPROVED, entered_by=users["themalijnmanager_c"],
                approved_by=users["coordinator_c"], source_note="Illustratief",
            )  # fmt: skip
