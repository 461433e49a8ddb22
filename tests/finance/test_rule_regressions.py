"""Finance rules that an audit could break without any other test noticing: who sees which
bookings, the ijkdatum of the findings, the last day of the booking filter, the all-or-nothing
workbook import and the read-only ledger in Beheer."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from finance import workbook
from finance.findings import deal_findings
from finance.models import Booking, Funder, ImportBatch, ImportedPayout, Tranche
from finance.workbook import workbook_import, workbook_template
from projects.models import ActionLine, Deal, Decision, Organisation, Programme, Project, ReportingPeriod

TODAY = date(2026, 11, 24)
# The demo themalijnmanager manages actielijn 1 (Cleantech Werkt): programmes 1100, 1200 and 1300.
OWN_PROGRAMMES = {"1100", "1200", "1300"}


def _rijk(deal) -> Funder:
    return deal.funders.get(name="Rijk")


def _book(deal, code: str, kind: str, amount: str, on: date) -> Booking:
    # Written straight to the ledger: these tests are about reading, not about the services.
    return Booking.objects.create(
        deal=deal,
        project=Project.objects.get(deal=deal, code=code),
        funder=_rijk(deal),
        kind=kind,
        amount=Decimal(amount),
        date=on,
    )


# Bug 3: a themalijnmanager's booking list is limited to his own programmes ---------------------


def test_theme_manager_booking_list_shows_only_bookings_of_his_programmes(deal, theme_manager, client_for):
    url = reverse("finance:booking-list", args=[deal.code]) + "?per_page=500"

    response = client_for(theme_manager).get(url)

    assert response.status_code == 200
    table = response.context["table"]
    shown = [row.record for row in table.paginated_rows]
    expected = Booking.objects.filter(deal=deal, project__programme__code__in=OWN_PROGRAMMES).count()
    assert table.paginator.count == len(shown) == expected
    assert {b.project.programme.code for b in shown} == OWN_PROGRAMMES
    # Not one booking of programme 2100 (Groene Groei), nor the deal-level one, reaches the page.
    assert not any(b.project is None or b.project.code.startswith("21") for b in shown)
    assert "/financien/cleantech/projecten/21" not in response.content.decode()


def test_theme_manager_filtering_on_another_programme_gets_no_bookings(deal, theme_manager, client_for):
    url = reverse("finance:booking-list", args=[deal.code]) + "?programma=2100"

    response = client_for(theme_manager).get(url)

    assert response.status_code == 200
    assert response.context["table"].paginator.count == 0
    assert response.context["totals"].uitgekeerd == Decimal("0.00")


# Bug 4: the findings hold to their ijkdatum, also after the financial closing ----------------


def _late_findings(deal, as_of: date, code: str) -> list:
    found = deal_findings(deal=deal, as_of=as_of, today=TODAY)
    return [f for f in found if f.soort == "na_afsluiting" and f.funder and f.project and f.project.code == code]


def test_late_payout_finding_counts_only_bookings_up_to_the_ijkdatum(deal):
    assert deal.financial_closing_date == date(2025, 7, 1)
    _book(deal, "1310", Booking.Kind.PAYOUT, "5.00", date(2025, 7, 10))
    _book(deal, "1310", Booking.Kind.PAYOUT, "7.00", date(2025, 8, 15))  # after the ijkdatum below

    [finding] = _late_findings(deal, date(2025, 7, 31), "1310")

    assert finding.amount == Decimal("5.00")  # not 12.00: the payout of 15 August is after the ijkdatum
    assert finding.funder.name == "Rijk"
    assert "tot=2025-07-31" in finding.url


def test_late_booking_after_the_ijkdatum_gives_no_finding_yet(deal):
    _book(deal, "1310", Booking.Kind.EXPENDITURE, "9.00", date(2025, 7, 10))

    # After the closing date but before the booking: nothing is late yet.
    assert _late_findings(deal, date(2025, 7, 5), "1310") == []
    # On the booking's own day it is there.
    assert [f.amount for f in _late_findings(deal, date(2025, 7, 10), "1310")] == [Decimal("9.00")]


def test_findings_at_the_seed_ijkdatum_ignore_later_bookings(deal):
    def summary():
        return [
            (f.soort, f.omschrijving, f.amount) for f in deal_findings(deal=deal, as_of=date(2022, 7, 1), today=TODAY)
        ]

    before = summary()
    # Far more than any budget, dated after the closing date: would show up as three kinds of finding.
    _book(deal, "1310", Booking.Kind.PAYOUT, "10000000.00", date(2025, 8, 15))
    _book(deal, "1310", Booking.Kind.EXPENDITURE, "20000000.00", date(2025, 8, 15))

    assert summary() == before


# Bug 5: the booking list's "tot" is the last day shown, inclusive ----------------------------


def test_booking_list_tot_includes_the_day_itself_and_not_the_day_after(deal, coordinator, client_for):
    on_the_day = _book(deal, "1310", Booking.Kind.EXPENDITURE, "100.00", date(2022, 9, 30))
    day_after = _book(deal, "1310", Booking.Kind.EXPENDITURE, "200.00", date(2022, 10, 1))
    client = client_for(coordinator)
    base = reverse("finance:booking-list", args=[deal.code]) + "?project=1310&tot="

    response = client.get(base + "2022-09-30")

    shown = {row.record.pk for row in response.context["table"].paginated_rows}
    assert on_the_day.pk in shown
    assert day_after.pk not in shown
    # Besteed on 1310 up to 30 June 2022 is 37.613 (Onderwijs) + 12.500 (Rijk); plus the 100 of 30 September.
    assert response.context["totals"].besteed == Decimal("50213.00")

    response = client.get(base + "2022-09-29")
    assert response.context["totals"].besteed == Decimal("50113.00")
    response = client.get(base + "2022-10-01")
    assert response.context["totals"].besteed == Decimal("50413.00")


# Bug 6: a workbook import that fails half-way leaves nothing behind --------------------------

TOUCHED_BY_IMPORT = [
    Deal,
    ActionLine,
    Programme,
    Project,
    Funder,
    Organisation,
    ReportingPeriod,
    Decision,
    Booking,
    Booking.history.model,
    Tranche,
    ImportBatch,
    ImportedPayout,
]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TOUCHED_BY_IMPORT}


def _fail(*args, **kwargs):
    raise RuntimeError("schijf vol")


@pytest.mark.parametrize(
    "step",
    [
        "_save_bookings",  # structure (deal, programmes, projects, funders, ...) is written by then
        "batch_create",  # the bookings are written by then too; only the payout batch is left
    ],
)
def test_workbook_import_failing_half_way_writes_nothing_at_all(coordinator, monkeypatch, step):
    before = _counts()
    monkeypatch.setattr(workbook, step, _fail)

    with pytest.raises(RuntimeError, match="schijf vol"):
        workbook_import(data=workbook_template(), user=coordinator, commit=True, file_name="sjabloon.xlsx")

    assert _counts() == before
    assert not Deal.objects.filter(code="voorbeeld").exists()
    assert not Organisation.objects.filter(name="Stichting Techniekhub").exists()


# Bug 7: a saved booking's amount cannot be edited in Beheer -----------------------------------


def test_beheer_shows_a_booking_amount_read_only_and_a_post_does_not_change_it(deal, coordinator, client_for):
    assert coordinator.is_staff
    booking = Booking.objects.filter(deal=deal, kind=Booking.Kind.BUDGET, project__code="1310").order_by("pk").first()
    amount = booking.amount
    url = reverse("admin:finance_booking_change", args=[booking.pk])
    client = client_for(coordinator)

    page = client.get(url)

    assert page.status_code == 200
    assert 'name="amount"' not in page.content.decode()

    data = {
        "deal": deal.pk,
        "project": booking.project_id,
        "funder": booking.funder_id,
        "kind": booking.kind,
        "amount": str(amount + Decimal("1000.00")),
        "date": booking.date.isoformat(),
        "reference": booking.reference,
        "note": booking.note,
        "decision": booking.decision_id or "",
        "period_start": "",
        "period_end": "",
        "correction_of": "",
        "correction_reason": "",
    }
    response = client.post(url, data)

    assert Booking.objects.get(pk=booking.pk).amount == amount
    assert response.status_code == 403
