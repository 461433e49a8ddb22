"""The demo deal "twente": Investeren in Twente from seeds 003/004 (../shared/seeddata/twente.yaml).

Twente runs two programme lines through four actielijnen: the Regio Deal Twente (RDT, 2019-2024,
€ 150 mln of which € 30 mln Rijk, € 26 mln of that committed) and the Agenda voor Twente (AvT,
2018-2022, € 20 mln of the fourteen municipalities, with its basisinfrastructuur and vouchers). Its
first joint report covers RDT over May 2019 - May 2020 with money up to April 2020, and AvT over
October - December 2019 with money up to the end of 2019. The seed gives no amounts per project or
financier, so those are invented and the deal is marked "illustratieve bedragen". Running it twice
changes nothing.

Choices where the seed is silent or ambiguous:
- which project belongs to which line was lost with the map's colours (seed remark); the split below
  (12 RDT, 4 AvT of the infographic's 16) is illustrative;
- "voortgang tot april 2020" is read as money up to and including 31 March 2020;
- the AvT basisinfrastructuur (Werkplein, Pioneering, TechniekPact, ...) is not one lump: each component
  is a project of its own, in a fifth actielijn "Basisinfrastructuur" that only the AvT line uses, so each
  has its own begroting and besteding;
- the AvT vouchers (7 in 2019) are one voucher scheme with seven named (invented) recipients.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from finance.models import Booking, DirectCoFinancing, Funder, Tranche, Voucher, YearPlan
from monitoring.models import Indicator, Measurement
from projects.demo import DEMO_USERS, assign_demo_roles, load_users
from projects.models import (
    ActionLine,
    Deal,
    Decision,
    GovernanceMember,
    Programme,
    ProgrammeLine,
    ProgrammeLinePeriod,
    Project,
    ReportingPeriod,
)

CODE = "twente"
TEAM = {f"{username}_t": (first, f"{last} (T)", role) for username, (first, last, role) in DEMO_USERS.items()}
RDT, AVT = "RDT", "AvT"
RDT_PEILDATUM = date(2020, 3, 31)  # "voortgang tot april 2020"
AVT_PEILDATUM = date(2019, 12, 31)  # "voortgang tot en met 2019"

ACTION_LINES = [
    ("T", "Techniek als motor", "Innovatie en digitalisering van de (maak)industrie."),
    ("A", "Arbeidsmarkt & talent", "Talent aantrekken, opleiden en behouden."),
    ("B", "Bereikbaarheid & vestigingsklimaat", "De vier topwerklocaties en creatieve broedplaatsen."),
    ("C", "Circulaire economie & duurzaamheid", "Grondstoffen hergebruiken, energieneutraal in 2050."),
    ("BI", "Basisinfrastructuur (Agenda voor Twente)", "De onderdelen die de AvT-programmaorganisatie draagt."),
]
# code, name, actielijn, line, budget in thousands of euro (illustrative)
PROJECTS = [
    ("T01", "Advanced Manufacturing Program", "T", RDT, 18000),
    ("T02", "PDEng", "T", RDT, 6000),
    ("T03", "TopFit Citizenlab Oost", "T", RDT, 12000),
    ("T04", "Digitale Werkplaats Twente", "T", AVT, 1200),
    ("A01", "Twents Fonds voor Vakmanschap", "A", RDT, 15000),
    ("A02", "Huis van de Logistiek", "A", AVT, 900),
    ("A03", "Connect-U", "A", RDT, 6000),
    ("A04", "TalentIT", "A", RDT, 7500),
    ("A05", "Alumni Community", "A", RDT, 3000),
    ("A06", "Connect Forward", "A", RDT, 4500),
    ("A07", "Leonardo", "A", AVT, 1100),
    ("B01", "Kennispark Twente", "B", RDT, 30000),
    ("B02", "XL Businesspark", "B", RDT, 16000),
    ("B03", "Creatieve Broedplaatsen", "B", AVT, 1300),
    ("C01", "Circulaire Textiel (Texplus)", "C", RDT, 12000),
    ("C02", "Mineral Valley Twente", "C", RDT, 20000),
    ("V01", "AvT-vouchers (jonge) ondernemers", "T", AVT, 150),
    ("BI1", "Werkplein", "BI", AVT, 1800),
    ("BI2", "Pioneering", "BI", AVT, 1500),
    ("BI3", "TechniekPact", "BI", AVT, 1200),
    ("BI4", "Uitvoeringsorganisatie", "BI", AVT, 2400),
    ("BI5", "Novel-T", "BI", AVT, 3000),
    ("BI6", "Twente Branding", "BI", AVT, 1500),
    ("BI7", "Communicatie & Monitoring", "BI", AVT, 600),
    ("BI8", "Regionaal Investeringsfonds (RIF/ROC)", "BI", AVT, 1000),
]
# Begroot but not yet committed (contract not signed) nor paid: 4 of the Rijk's 30 mln, as in the seed.
NOT_COMMITTED = {"C02"}
# name, category, kind, lines, share of an RDT project's budget
FUNDERS = [
    ("Rijk", "rijk", "rijk", (RDT,), Decimal("0.20")),
    ("Provincie Overijssel", "publiek", "provincie", (RDT, AVT), Decimal("0.20")),
    ("Twentse gemeenten", "publiek", "gemeenten", (RDT, AVT), Decimal("0.20")),
    ("Ondernemers en onderwijs", "overig", "privaat", (RDT,), None),  # the rest
]
VOUCHERS = [  # recipient, date, amount, status (seven in 2019)
    ("Kunststofwerk Hengelo BV", date(2019, 3, 12), "15000", Voucher.Status.PAID),
    ("Sensorlab Enschede", date(2019, 4, 2), "20000", Voucher.Status.PAID),
    ("Textielatelier Almelo", date(2019, 6, 18), "12500", Voucher.Status.PAID),
    ("Dronewerk Twente", date(2019, 8, 27), "25000", Voucher.Status.GRANTED),
    ("Zorgdata Oldenzaal", date(2019, 9, 9), "18000", Voucher.Status.GRANTED),
    ("Bouwrobot Rijssen", date(2019, 11, 5), "22000", Voucher.Status.REQUESTED),
    ("Groene Gevel Hardenberg", date(2019, 12, 3), "10000", Voucher.Status.LAPSED),
]
KPIS = [  # code, name, unit, direction, nulmeting (2018), streefwaarde 2024, meting 2019 (signalering Q4 2019)
    ("TW1", "Werkloosheid Twente", "%", "lager", "3.7", "3.0", "3.4"),
    ("TW2", "Banen in Twente", "banen", "hoger", "306300", "325000", "315500"),
    ("TW3", "Opgewekte hernieuwbare energie", "TJ", "hoger", "4100", "8000", "4600"),
]


def load_twente() -> Deal:
    users = load_users(TEAM)
    deal = _deal()
    assign_demo_roles(deal, users, TEAM)
    lines = _lines(deal)
    _structure(deal, lines, users)
    if not Booking.objects.filter(deal=deal).exists():
        _ledger(deal, lines, users)
    _indicators(deal, users)
    return deal


def _deal() -> Deal:
    deal, _ = Deal.objects.update_or_create(
        code=CODE,
        defaults={
            "name": "Investeren in Twente (Regio Deal Twente en Agenda voor Twente)",
            "region": "Twente",
            "start": date(2018, 1, 1),
            "end": date(2024, 12, 31),
            "financial_closing_date": date(2025, 6, 30),
            "default_reference_date": date(2020, 5, 31),
            "goal": "Een krachtige regio met volop potentie: een toonaangevende groene technologische topregio.",
            "challenge": "Investeren in de centrale opgaven van Twente met Rijk, provincie en regionale partners "
            "(Regio Deal Twente) en de sociaaleconomische structuur en brede welvaart versterken (Agenda voor Twente).",
            "illustrative_amounts": True,
        },
    )
    return deal


def _lines(deal: Deal) -> dict[str, ProgrammeLine]:
    rdt, _ = ProgrammeLine.objects.update_or_create(
        deal=deal, code=RDT, defaults={"name": "Regio Deal Twente", "description": "Vliegwiel, 2019-2024."}
    )
    avt, _ = ProgrammeLine.objects.update_or_create(
        deal=deal, code=AVT, defaults={"name": "Agenda voor Twente", "description": "Basis, 2018-2022."}
    )
    period, _ = ReportingPeriod.objects.update_or_create(
        deal=deal, name="2019-2020",
        defaults={"start": date(2019, 5, 1), "end": date(2020, 6, 1), "reference_date": date(2020, 5, 31),
                  "deadline": date(2020, 6, 30)},
    )  # fmt: skip
    for line, start, end, peildatum in (
        (rdt, date(2019, 5, 1), date(2020, 6, 1), RDT_PEILDATUM),
        (avt, date(2019, 10, 1), date(2020, 1, 1), AVT_PEILDATUM),
    ):
        ProgrammeLinePeriod.objects.update_or_create(
            programme_line=line, period=period, defaults={"start": start, "end": end, "reference_date": peildatum}
        )
    return {RDT: rdt, AVT: avt}


def _structure(deal: Deal, lines: dict[str, ProgrammeLine], users: dict[str, User]) -> None:
    programmes = {}
    for code, name, goal in ACTION_LINES:
        action_line, _ = ActionLine.objects.update_or_create(
            deal=deal, code=code, defaults={"name": name, "main_goal": goal}
        )
        programmes[code], _ = Programme.objects.update_or_create(
            deal=deal, code=code, defaults={"name": name, "action_line": action_line}
        )
    for code, name, action_line, line, _budget in PROJECTS:
        Project.objects.update_or_create(
            deal=deal, code=code,
            defaults={"name": name, "programme": programmes[action_line], "programme_line": lines[line],
                      "start": date(2019, 1, 1) if line == AVT else date(2019, 6, 1), "end": date(2022, 12, 31),
                      "is_voucher_scheme": code == "V01"},
        )  # fmt: skip
    ActionLine.objects.get(deal=deal, code="A").theme_managers.add(users["themalijnmanager_t"])
    Project.objects.get(deal=deal, code="A01").lead_users.add(users["penvoerder_t"])
    # The seed's bodies in the portal's (stuurgroep, werkgroep): the Twente Board decides, TBD and the kernteam work.
    for order, (body, name, organisation, role) in enumerate(
        [
            ("stuurgroep", "Wim Boomkamp", "Twente Board", "voorzitter; besluit op KRACHT-criteria en het convenant"),
            ("werkgroep", "Uitvoeringsorganisatie", "Twente Board Development", "procesregie, kwalificeert aanvragen"),
            (
                "werkgroep",
                "3O's (onderwijs, ondernemers, overheid)",
                "Kernteam",
                "adviseert, levert ideeën en voorstellen",
            ),
        ]
    ):
        GovernanceMember.objects.update_or_create(
            deal=deal, body=body, name=name, defaults={"organisation": organisation, "role": role, "order": order}
        )


def _ledger(deal: Deal, lines: dict[str, ProgrammeLine], users: dict[str, User]) -> None:
    funders = {}
    for order, (name, category, kind, funded_lines, _share) in enumerate(FUNDERS):
        funders[name] = Funder.objects.create(deal=deal, name=name, category=category, kind=kind, order=order)
        funders[name].programme_lines.set([lines[code] for code in funded_lines])
    decision = Decision.objects.create(
        deal=deal, number="TB-2019-01", date=date(2019, 5, 1), created_by=users["coordinator_t"],
        text="Twente Board: begrotingen RDT en AvT vastgesteld (illustratief).",
    )  # fmt: skip
    for code, _name, _action_line, line, thousands in PROJECTS:
        project = Project.objects.get(deal=deal, code=code)
        budget = Decimal(thousands) * 1000
        for funder, amount in _split(line, budget, funders):
            _book(deal, project, funder, Booking.Kind.BUDGET, amount, date(2019, 5, 1), users, decision)
            if code not in NOT_COMMITTED:
                _book(deal, project, funder, Booking.Kind.COMMITMENT, amount, date(2019, 6, 1), users, decision)
        if code in NOT_COMMITTED:
            continue
        paying = funders["Rijk"] if line == RDT else funders["Twentse gemeenten"]
        _tranche_and_spending(deal, project, paying, budget, line, users)
    _vouchers(deal, users)
    _cofinancing(deal, funders, users)
    _year_plans(deal, users)


def _split(line: str, budget: Decimal, funders: dict[str, Funder]) -> list[tuple[Funder, Decimal]]:
    """RDT: Rijk, province and municipalities 20 % each, the rest private (30 of 150 mln is Rijk).
    AvT: all municipalities (the fourteen Twentse gemeenten carry the Agenda)."""
    if line == AVT:
        return [(funders["Twentse gemeenten"], budget)]
    shares = [(funders[name], (budget * share).quantize(Decimal(1))) for name, *_x, share in FUNDERS if share]
    return [*shares, (funders["Ondernemers en onderwijs"], budget - sum(amount for _f, amount in shares))]


def _book(deal, project, funder, kind, amount, day, users, decision=None, **extra) -> Booking:
    booking = Booking(
        deal=deal, project=project, funder=funder, kind=kind, amount=amount, date=day,
        created_by=users["kassier_t"] if kind == Booking.Kind.PAYOUT else users["coordinator_t"],
        decision=decision if kind in (Booking.Kind.BUDGET, Booking.Kind.COMMITMENT) else None, **extra,
    )  # fmt: skip
    booking.full_clean()
    booking.save()
    return booking


def _tranche_and_spending(deal, project, funder, budget, line, users) -> None:
    """One approved tranche; spending partly before and partly after the line's own peildatum, so the
    report shows the difference between the line's figures and those at the ijkdatum."""
    share = Decimal("0.20") if line == RDT else Decimal("1")
    paid = (budget * share * Decimal("0.4")).quantize(Decimal(1))
    paid_on = date(2019, 9, 2) if line == RDT else date(2019, 3, 1)
    booking = _book(deal, project, funder, Booking.Kind.PAYOUT, paid, paid_on, users)
    Tranche.objects.create(
        project=project, funder=funder, number=1, amount=paid, date=paid_on, status=Tranche.Status.APPROVED,
        registered_by=users["kassier_t"], decided_by=users["controller_t"], decided_at=timezone.now(),
        booking=booking, note="Eerste tranche (illustratief)",
    )  # fmt: skip
    peildatum = RDT_PEILDATUM if line == RDT else AVT_PEILDATUM
    before, after = (paid * Decimal("0.5")).quantize(Decimal(1)), (paid * Decimal("0.2")).quantize(Decimal(1))
    for amount, day in ((before, date(peildatum.year, peildatum.month, 1)), (after, date(2020, 5, 15))):
        _book(
            deal, project, funder, Booking.Kind.EXPENDITURE, amount, day, users,
            period_start=paid_on, period_end=day,
        )  # fmt: skip


YEARS = {RDT: (2019, 2020, 2021, 2022, 2023, 2024), AVT: (2019, 2020, 2021, 2022)}


def _year_plans(deal: Deal, users: dict[str, User]) -> None:
    """Each begroting spread evenly over its line's years (the last year takes the rest); a forecast for
    2020 of 70 % of its plan (the seed's vooruitblik: corona delays projects)."""
    for project in Project.objects.filter(deal=deal).select_related("programme_line"):
        years = YEARS[project.programme_line.code]
        budgets = {}
        for booking in project.bookings.filter(kind=Booking.Kind.BUDGET):
            budgets[booking.funder] = budgets.get(booking.funder, Decimal(0)) + booking.amount
        for funder, budget in budgets.items():
            share = (budget / len(years)).quantize(Decimal(1))
            for year in years:
                amount = budget - share * (len(years) - 1) if year == years[-1] else share
                forecast = (amount * Decimal("0.7")).quantize(Decimal(1)) if year == 2020 else None
                YearPlan.objects.create(
                    project=project, funder=funder, year=year, budget=amount, forecast=forecast,
                    updated_by=users["coordinator_t"],
                )  # fmt: skip


def _vouchers(deal: Deal, users: dict[str, User]) -> None:
    scheme = Project.objects.get(deal=deal, code="V01")
    for recipient, day, amount, status in VOUCHERS:
        Voucher.objects.create(
            project=scheme, recipient=recipient, date=day, amount=Decimal(amount), status=status,
            note="Kennis- of ontwikkelvraag (illustratief)", created_by=users["coordinator_t"],
        )  # fmt: skip


def _cofinancing(deal: Deal, funders: dict[str, Funder], users: dict[str, User]) -> None:
    """Municipal co-financing paid to two RDT projects directly, not through the regiokassier."""
    for code, amount, realised_on in (("B01", "750000", date(2019, 12, 20)), ("C01", "400000", None)):
        DirectCoFinancing.objects.create(
            project=Project.objects.get(deal=deal, code=code), funder=funders["Twentse gemeenten"],
            amount=Decimal(amount), pledged_on=date(2019, 7, 1), realised_on=realised_on,
            status=DirectCoFinancing.Status.REALISED if realised_on else DirectCoFinancing.Status.PLEDGED,
            evidence_reference="Raadsbesluit (illustratief)" if realised_on else "",
            note="Cofinanciering rechtstreeks aan het project", created_by=users["coordinator_t"],
            realised_by=users["coordinator_t"] if realised_on else None,
        )  # fmt: skip


def _indicators(deal: Deal, users: dict[str, User]) -> None:
    for order, (code, name, unit, direction, baseline, target, measured) in enumerate(KPIS):
        indicator, created = Indicator.objects.update_or_create(
            deal=deal, code=code,
            defaults={
                "level": Indicator.Level.DEAL, "name": name, "unit": unit, "direction": direction,
                "baseline_value": Decimal(baseline), "baseline_date": date(2018, 12, 31),
                "target_value": Decimal(target), "target_date": date(2024, 12, 31), "order": order,
                "source": "Signalering Q4 2019 (streefwaarden illustratief)",
            },
        )  # fmt: skip
        if created:
            Measurement.objects.create(
                indicator=indicator, date=date(2019, 12, 31), value=Decimal(measured),
                status=Measurement.Status.APPROVED, entered_by=users["themalijnmanager_t"],
                approved_by=users["coordinator_t"], source_note="Signalering Q4 2019",
            )  # fmt: skip
