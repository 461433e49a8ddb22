"""The deal workbook: template, export, all-or-nothing import, command line and browser flow."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Case, DecimalField, F, Sum, When
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from finance.import_batches import batch_confirm
from finance.models import Booking, Funder, Tranche
from finance.services import booking_correct, booking_create
from finance.workbook import SHEETS, workbook_export, workbook_import, workbook_template
from projects.models import ActionLine, Deal, Organisation, Project
from projects.roles import CONTROLLER, COORDINATOR
from projects.services_roles import assign_without_review

pytestmark = pytest.mark.django_db


def example_row(sheet: str, **changes) -> dict:
    """The template's example row of a sheet as {header: value}, with changes by header."""
    row = {c.header: c.example for c in next(s for s in SHEETS if s.name == sheet).columns}
    row.update({k.replace("_", " "): v for k, v in changes.items()})
    return row


def workbook_with(rows: dict[str, list[dict]], *, base: bytes | None = None) -> bytes:
    """The template (or ``base``) with rows appended to the named sheets."""
    wb = load_workbook(io.BytesIO(base or workbook_template()))
    for sheet, new_rows in rows.items():
        ws = wb[sheet]
        headers = [c.value for c in ws[1]]
        for values in new_rows:
            ws.append([values.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def new_deal_roles(coordinator, controller=None, *, deal_code="voorbeeld") -> None:
    """A deal created by an import gives nobody a role in it; a test that imports into it again assigns them."""
    deal = Deal.objects.get(code=deal_code)
    assign_without_review(deal=deal, user=coordinator, role=COORDINATOR)
    if controller is not None:
        assign_without_review(deal=deal, user=controller, role=CONTROLLER)


def without_payouts(sums: dict) -> dict:
    """Signed sums without uitkeringen: an import holds those in a batch until a controller confirms."""
    return {key: total for key, total in sums.items() if key[2] != Booking.Kind.PAYOUT}


def signed_sums(deal: Deal) -> dict:
    signed = Case(
        When(correction_of__isnull=False, then=-F("amount")), default=F("amount"), output_field=DecimalField()
    )
    return {
        (row["project__code"], row["funder__name"], row["kind"]): row["total"]
        for row in deal.bookings.values("project__code", "funder__name", "kind").annotate(total=Sum(signed))
    }


# ----------------------------------------------------------------------------- template


def test_template_has_every_sheet_with_dutch_headers_and_an_explanation_per_column():
    wb = load_workbook(io.BytesIO(workbook_template()))
    assert wb.sheetnames == [
        "deal",
        "actielijnen",
        "programma's",
        "programmalijnen",
        "projecten",
        "financiers",
        "periodes",
        "besluiten",
        "voorwaarden",
        "begroting",
        "toekenningen",
        "uitkeringen",
        "bestedingen",
        "jaarbegrotingen",
        "doorschuivingen",
        "cofinanciering",
        "nog te bepalen",
        "programmalijnperiodes",
        "financiers per programmalijn",
        "vouchers",
        "governance",
        "Toelichting",
    ]
    assert [c.value for c in wb["begroting"][1]][:5] == ["kenmerk", "project", "financier", "bedrag", "boekdatum"]
    for sheet in SHEETS:
        assert wb[sheet.name].max_row == 2, f"{sheet.name}: one example row"
    explained = {(r[0], r[1]): r[2] for r in wb["Toelichting"].iter_rows(values_only=True) if r and len(r) > 2}
    for sheet in SHEETS:
        for column in sheet.columns:
            assert explained[(sheet.name, column.header)] in ("ja", "nee")
    assert explained[("begroting", "bedrag")] == "ja"
    assert explained[("begroting", "toelichting")] == "nee"


def test_template_as_it_stands_is_a_valid_workbook_for_an_example_deal(coordinator):
    report = workbook_import(data=workbook_template(), user=coordinator, commit=False)

    assert report.errors == []
    assert report.deal_code == "voorbeeld" and report.deal_is_new
    assert {c.sheet: c.new for c in report.counts} == {s.name: 1 for s in SHEETS}
    assert not Deal.objects.filter(code="voorbeeld").exists()


# ----------------------------------------------------------------------------- row errors


@pytest.mark.parametrize(
    "sheet, changes, column, fragment",
    [
        ("begroting", {"kenmerk": "B-2", "project": "9999"}, "project", "Onbekende projectcode '9999'"),
        ("toekenningen", {"kenmerk": "T-2", "financier": "Gemeente Nergens"}, "financier", "Onbekende financier"),
        ("begroting", {"kenmerk": "B-2", "bedrag": "veel"}, "bedrag", "'veel' is geen bedrag"),
        ("bestedingen", {"kenmerk": "S-2", "bedrag": -500}, "bedrag", "Negatief bedrag (-500,00)"),
        (
            "uitkeringen",
            {"kenmerk": "U-2", "uitkeringsdatum": datetime.date(2030, 1, 1)},
            "uitkeringsdatum",
            "buiten de deal",
        ),
        ("begroting", {"kenmerk": "B-0001"}, "kenmerk", "Dubbel: kenmerk 'B-0001' staat ook op rij 2"),
        ("projecten", {"code": "1110"}, "code", "Dubbel: code '1110' staat ook op rij 2"),
        ("begroting", {"kenmerk": "B-2", "financier": None}, "financier", "Verplichte waarde ontbreekt"),
        ("begroting", {"kenmerk": "B-2", "besluit": ""}, "besluit", "Verplichte waarde ontbreekt"),
        ("bestedingen", {"kenmerk": "S-2", "boekdatum": "31-02-2022"}, "boekdatum", "'31-02-2022' is geen datum"),
        ("financiers", {"naam": "Provincie", "categorie": "gemeentelijk"}, "categorie", "kies uit: rijk, publiek"),
    ],
)
def test_a_bad_cell_is_reported_with_sheet_row_and_column_and_nothing_is_saved(
    coordinator, sheet, changes, column, fragment
):
    data = workbook_with({sheet: [example_row(sheet, **changes)]})

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert not report.saved
    matching = [e for e in report.errors if fragment in e.message]
    assert matching, [str(e) for e in report.errors]
    error = matching[0]
    assert (error.sheet, error.row, error.column) == (sheet, 3, column)
    assert str(error).startswith(f"Tabblad '{sheet}', rij 3, kolom '{column}': ")
    assert not Deal.objects.filter(code="voorbeeld").exists()


def test_a_missing_required_column_is_reported_on_the_header_row(coordinator):
    wb = load_workbook(io.BytesIO(workbook_template()))
    wb["begroting"].delete_cols(4)  # bedrag
    out = io.BytesIO()
    wb.save(out)

    report = workbook_import(data=out.getvalue(), user=coordinator, commit=False)

    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("begroting", 1, "bedrag")]


def test_an_unknown_sheet_and_a_file_that_is_no_workbook_are_reported(coordinator):
    wb = load_workbook(io.BytesIO(workbook_template()))
    wb.create_sheet("begrotingen 2023")
    out = io.BytesIO()
    wb.save(out)
    report = workbook_import(data=out.getvalue(), user=coordinator, commit=False)
    assert [e.sheet for e in report.errors] == ["begrotingen 2023"]

    report = workbook_import(data=b"geen excel", user=coordinator, commit=False)
    assert "platte tekst (bijvoorbeeld CSV), geen Excel-werkmap" in report.errors[0].message
    assert str(report.errors[0]).startswith("Werkmap: ")


def test_one_bad_row_among_good_ones_saves_nothing_at_all(coordinator):
    bookings_before, organisations_before = Booking.objects.count(), Organisation.objects.count()
    good = [example_row("begroting", kenmerk=f"B-{i}") for i in range(2, 6)]
    bad = example_row("begroting", kenmerk="B-9", bedrag=-1)
    data = workbook_with({"begroting": [*good, bad], "projecten": [example_row("projecten", code="1120")]})

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert len(report.errors) == 1 and not report.saved
    assert not Deal.objects.filter(code="voorbeeld").exists()
    assert Booking.objects.count() == bookings_before
    assert Organisation.objects.count() == organisations_before


# ----------------------------------------------------------------------------- saving


def test_importing_the_template_creates_the_example_deal_and_holds_its_payout_for_a_controller(coordinator, controller):
    report = workbook_import(data=workbook_template(), user=coordinator, commit=True, file_name="sjabloon.xlsx")

    assert report.saved
    deal = Deal.objects.get(code="voorbeeld")
    assert deal.kassier_organisation.name == "Gemeente Voorbeeld"
    project = deal.projects.get(code="1110")
    assert project.programme.action_line.code == "1"
    assert project.lead_organisation.name == "Stichting Techniekhub"
    # The uitkering waits in an import batch (finance/import_batches.py) until a controller confirms.
    assert deal.bookings.count() == 3 and not deal.bookings.filter(kind=Booking.Kind.PAYOUT).exists()
    assert report.batch.payouts.get().reference == "U-0001" and report.batch.uploaded_by == coordinator
    assign_without_review(deal=deal, user=controller, role=CONTROLLER)
    batch_confirm(batch=report.batch, user=controller)
    payout = deal.bookings.get(kind=Booking.Kind.PAYOUT)
    assert payout.created_by == controller and payout.reference == "U-0001"
    tranche = Tranche.objects.get(booking=payout)
    assert (tranche.status, tranche.number, tranche.amount) == (Tranche.Status.APPROVED, 1, Decimal("40000.00"))
    assert (tranche.registered_by, tranche.decided_by) == (coordinator, controller)


def test_importing_the_same_workbook_twice_changes_nothing(coordinator, controller):
    data = workbook_with({"uitkeringen": [example_row("uitkeringen", kenmerk="U-2", tranchenummer=None)]})
    first = workbook_import(data=data, user=coordinator, commit=True)
    new_deal_roles(coordinator, controller)
    batch_confirm(batch=first.batch, user=controller)
    counts = (Booking.objects.count(), Tranche.objects.count(), Project.objects.count(), Booking.history.count())

    second = workbook_import(data=data, user=coordinator, commit=True)

    assert first.total_new == len(SHEETS) + 1 and second.errors == []  # one example row per sheet, plus U-2
    assert (second.total_new, second.total_changed) == (0, 0)
    assert {c.sheet: c.unchanged for c in second.counts}["uitkeringen"] == 2
    assert (
        Booking.objects.count(),
        Tranche.objects.count(),
        Project.objects.count(),
        Booking.history.count(),
    ) == counts
    # The tranche without a number got the next free one.
    assert sorted(Tranche.objects.filter(project__deal__code="voorbeeld").values_list("number", flat=True)) == [1, 2]


def test_a_changed_structure_row_is_updated_but_a_changed_booking_is_refused(coordinator):
    workbook_import(data=workbook_template(), user=coordinator, commit=True)
    new_deal_roles(coordinator)
    renamed = workbook_with({}, base=_replace_cell(workbook_template(), "projecten", "C2", "Techniekhub Zuid"))

    report = workbook_import(data=renamed, user=coordinator, commit=True)
    assert report.saved and {c.sheet: c.changed for c in report.counts}["projecten"] == 1
    assert Project.objects.get(deal__code="voorbeeld", code="1110").name == "Techniekhub Zuid"

    other_amount = _replace_cell(workbook_template(), "begroting", "D2", 99)
    report = workbook_import(data=other_amount, user=coordinator, commit=True)
    assert not report.saved
    [error] = report.errors
    assert (error.sheet, error.row, error.column) == ("begroting", 2, "kenmerk")
    assert "bestaat al met andere gegevens (bedrag)" in error.message


def _replace_cell(data: bytes, sheet: str, cell: str, value) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    wb[sheet][cell] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_correction_row_reduces_its_original_and_is_checked(coordinator):
    correction = example_row("begroting", kenmerk="B-0001-C", bedrag=30000, correctie_op="B-0001")
    correction["reden correctie"] = "Begroting verlaagd"
    data = workbook_with({"begroting": [correction]})
    report = workbook_import(data=data, user=coordinator, commit=True)
    assert report.saved
    booking = Booking.objects.get(deal__code="voorbeeld", reference="B-0001-C")
    assert booking.correction_of.reference == "B-0001" and booking.signed_amount == Decimal("-30000.00")

    too_much = example_row("begroting", kenmerk="B-0001-D", bedrag=80000, correctie_op="B-0001")
    too_much["reden correctie"] = "Nog lager"
    unknown = example_row("begroting", kenmerk="B-0001-E", bedrag=1, correctie_op="B-404")
    unknown["reden correctie"] = "?"
    no_reason = example_row("begroting", kenmerk="B-0001-F", bedrag=1, correctie_op="B-0001")
    report = workbook_import(
        data=workbook_with({"begroting": [too_much, unknown, no_reason]}, base=data), user=coordinator, commit=False
    )
    found = {(e.row, e.column): e.message for e in report.errors}
    assert "zijn samen groter dan de boeking zelf" in found[(4, "bedrag")]
    assert "Onbekend kenmerk 'B-404'" in found[(5, "correctie op")]
    assert "Een correctie heeft een reden nodig" in found[(6, "reden correctie")]


def test_a_workbook_with_payouts_needs_a_user(db):
    report = workbook_import(data=workbook_template(), user=None, commit=True)
    assert not report.saved
    assert report.errors[0].sheet == "uitkeringen"


def test_checking_a_workbook_costs_the_same_number_of_queries_for_10_or_100_bookings(coordinator, deal):
    base = workbook_export(deal=deal)

    def queries_for(n: int) -> int:
        rows = [example_row("bestedingen", kenmerk=f"X-{i}", project="1310", financier="Rijk") for i in range(n)]
        data = workbook_with({"bestedingen": rows}, base=base)
        with CaptureQueriesContext(connection) as ctx:
            report = workbook_import(data=data, user=coordinator, commit=False)
        assert report.errors == [], report.errors[:3]
        return len(ctx.captured_queries)

    queries_for(1)  # the importer's roles are read once per user (finance.import_batches.importer_error)
    assert queries_for(10) == queries_for(100)


# ----------------------------------------------------------------------------- export and round trip


def test_export_then_import_into_a_new_deal_gives_identical_figures(coordinator, kassier, deal):
    # Bookings as the screens make them: without kenmerk, shared kenmerk, and a correction.
    project = deal.projects.get(code="1310")
    rijk = deal.funders.get(name="Rijk")
    plain = booking_create(
        deal=deal, project=project, funder=rijk, kind="besteding", amount=Decimal("1000.50"),
        date=datetime.date(2022, 9, 1), user=kassier, period_start=datetime.date(2022, 7, 1),
        period_end=datetime.date(2022, 9, 1),
    )  # fmt: skip
    booking_correct(
        booking=plain, amount=Decimal("0.50"), reason="Afronding", user=kassier, date=datetime.date(2022, 10, 1)
    )

    for code in ("1310", "1320"):
        booking_create(
            deal=deal, project=deal.projects.get(code=code), funder=rijk, kind="toekenning", amount=Decimal("7"),
            date=datetime.date(2022, 9, 1), user=kassier, reference="GEDEELD", decision=deal.decisions.first(),
        )  # fmt: skip

    data = workbook_export(deal=deal)
    report = workbook_import(data=data, user=coordinator, commit=True, deal_code="cleantech-kopie")

    assert report.saved, [str(e) for e in report.errors[:5]]
    copy = Deal.objects.get(code="cleantech-kopie")
    new_deal_roles(coordinator, deal_code="cleantech-kopie")
    # The uitkeringen wait in the import batch for a controller; everything else is there at once.
    copied = signed_sums(copy)
    assert copied == without_payouts(signed_sums(deal))
    # 1310 x Rijk in the copy: the demo's begroting 143.751 and toekenning 143.751 + 7 (above) = 143.758;
    # bestedingen 12.500 (demo) + 1.000,50 - 0,50 (above) = 13.500.
    assert {kind: copied[("1310", "Rijk", kind)] for kind in ("begroting", "toekenning", "besteding")} == {
        "begroting": Decimal("143751.00"),
        "toekenning": Decimal("143758.00"),
        "besteding": Decimal("13500.00"),
    }
    # The demo's 108 uitkeringen (fixtures/cleantech.json): Tabel 3/6's 8.046.409 by the ijkdatum plus the
    # first tranches of 2180, 2210, 2110 (100.000 each) and 2220 (200.000) = 8.546.409.
    assert (report.batch.payout_count, report.batch.payout_total) == (108, Decimal("8546409.00"))
    assert (copy.projects.count(), copy.funders.count()) == (26, 15)  # the seed's 26 projects and 15 funders
    # The export of the original imports without any change.
    for source in (deal, copy):
        again = workbook_import(data=workbook_export(deal=source), user=coordinator, commit=False)
        assert again.errors == [] and (again.total_new, again.total_changed) == (0, 0)


def test_export_escapes_cells_that_a_spreadsheet_would_run_as_a_formula(coordinator, deal):
    project = deal.projects.get(code="1310")
    project.name = '=HYPERLINK("http://example.org","klik")'
    project.save()
    action_line = ActionLine.objects.get(deal=deal, code="1")
    action_line.main_goal = "+31 procent"
    action_line.save()
    Funder.objects.filter(deal=deal, name="Rijk").update(name="@Rijk")
    deal.programmes.filter(code="1100").update(name="-min")

    data = workbook_export(deal=deal)

    wb = load_workbook(io.BytesIO(data))
    names = {row[0]: row[2] for row in wb["projecten"].iter_rows(min_row=2, values_only=True)}
    assert names["1310"] == '\'=HYPERLINK("http://example.org","klik")'
    assert wb["projecten"]["C2"].data_type == "s"
    assert {r[2] for r in wb["actielijnen"].iter_rows(min_row=2, values_only=True)} >= {"'+31 procent"}
    assert "'@Rijk" in {r[0] for r in wb["financiers"].iter_rows(min_row=2, values_only=True)}
    assert "'-min" in {r[2] for r in wb["programma's"].iter_rows(min_row=2, values_only=True)}
    # ...and the import takes the quote off again, so nothing changes.
    report = workbook_import(data=data, user=coordinator, commit=False)
    assert report.errors == [] and report.total_changed == 0


def test_export_costs_a_fixed_number_of_queries(deal, django_assert_max_num_queries):
    # 24 since issue 11: programme lines, their periods, the funders with their lines, the vouchers and the
    # governance, one or two queries per sheet whatever the deal's size.
    with django_assert_max_num_queries(24):
        workbook_export(deal=deal)


# ----------------------------------------------------------------------------- commands


def test_import_command_dry_run_checks_without_saving(tmp_path, capsys, coordinator):
    path = tmp_path / "werkmap.xlsx"
    path.write_bytes(workbook_template())

    call_command("import_workbook", str(path), "--dry-run", "--user", "coordinator")

    out = capsys.readouterr().out
    assert "begroting" in out and "nieuw       1" in out and "niets opgeslagen" in out
    assert not Deal.objects.filter(code="voorbeeld").exists()
    call_command("import_workbook", str(path), "--user", "coordinator")
    assert Deal.objects.filter(code="voorbeeld").exists()


def test_import_command_lists_errors_and_fails(tmp_path, capsys, coordinator):
    path = tmp_path / "werkmap.xlsx"
    path.write_bytes(workbook_with({"begroting": [example_row("begroting", kenmerk="B-2", project="9999")]}))

    with pytest.raises(CommandError, match="niets opgeslagen"):
        call_command("import_workbook", str(path), "--user", "coordinator")

    assert "Tabblad 'begroting', rij 3, kolom 'project': Onbekende projectcode '9999'" in capsys.readouterr().err


def test_export_command_writes_the_deal_and_import_command_reads_it_into_another_code(tmp_path, deal, coordinator):
    path = tmp_path / "cleantech.xlsx"
    call_command("export_workbook", "cleantech", "--output", str(path))
    call_command("import_workbook", str(path), "--deal", "cleantech-2", "--user", "coordinator")

    assert signed_sums(Deal.objects.get(code="cleantech-2")) == without_payouts(signed_sums(deal))
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("export_workbook", "onbekend", "--output", str(path))


def test_synthetic_deal_round_trips_although_its_funder_order_starts_at_zero(tmp_path, coordinator):
    # The model allows order 0 and generate_synthetic uses it; the import must take what the export writes.
    from reports.synthetic import generate_synthetic

    source = generate_synthetic(deals=1, projects_per_deal=4, bookings_per_project=6, seed=5).deals[0]
    assert source.funders.filter(order=0).exists()
    path = tmp_path / "synth.xlsx"
    call_command("export_workbook", source.code, "--output", str(path))
    call_command("import_workbook", str(path), "--deal", "synth-kopie", "--user", "coordinator")
    assert signed_sums(Deal.objects.get(code="synth-kopie")) == without_payouts(signed_sums(source))


# ----------------------------------------------------------------------------- browser


@pytest.fixture
def upload_dir(settings, tmp_path):
    settings.WORKBOOK_UPLOAD_DIR = tmp_path / "uploads"
    return settings.WORKBOOK_UPLOAD_DIR


def _upload(client, data: bytes, name="werkmap.xlsx"):
    return client.post(reverse("finance:workbook-import"), {"werkmap": _file(data, name)})


def _file(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_coordinator_uploads_sees_counts_and_confirms(client_for, coordinator, upload_dir):
    client = client_for(coordinator)
    assert client.get(reverse("finance:workbook-import")).status_code == 200

    response = _upload(client, workbook_template())

    assert response.status_code == 200
    assert b"nieuwe deal" in response.content and b"Importeren" in response.content
    assert not Deal.objects.filter(code="voorbeeld").exists()
    token = client.session["finance_workbook_import"]["token"]
    assert (upload_dir / f"{token}.xlsx").is_file()

    response = client.post(reverse("finance:workbook-import-confirm"), {"token": token})

    assert response.status_code == 302
    batch = Deal.objects.get(code="voorbeeld").import_batches.get()
    assert response["Location"] == reverse("finance:import-batch-detail", args=["voorbeeld", batch.pk])
    assert Deal.objects.get(code="voorbeeld").bookings.count() == 3  # the uitkering waits in the batch
    assert "finance_workbook_import" not in client.session
    assert list(upload_dir.iterdir()) == []


def test_preview_of_a_bad_workbook_lists_errors_and_offers_no_import(client_for, coordinator, upload_dir):
    client = client_for(coordinator)
    data = workbook_with({"begroting": [example_row("begroting", kenmerk="B-2", bedrag="veel")]})

    response = _upload(client, data)

    content = response.content.decode()
    assert "1 fout;" in content and "&#x27;veel&#x27; is geen bedrag" in content
    assert 'action="/financien/werkmap/bevestigen/"' not in content


def test_confirm_without_the_session_token_saves_nothing(client_for, coordinator, upload_dir):
    client = client_for(coordinator)
    _upload(client, workbook_template())

    response = client.post(reverse("finance:workbook-import-confirm"), {"token": "verzonnen"})

    assert response.status_code == 302 and response["Location"] == reverse("finance:workbook-import")
    assert not Deal.objects.filter(code="voorbeeld").exists()


def test_upload_refuses_a_file_that_is_not_xlsx(client_for, coordinator, upload_dir):
    response = _upload(client_for(coordinator), b"a;b;c\n", name="werkmap.csv")
    assert response.status_code == 200
    assert "geen .xlsx-bestand" in response.content.decode()


@pytest.mark.parametrize("persona", ["kassier", "controller", "steering", "theme_manager", "lead", "outsider"])
def test_only_the_coordinator_may_import(request, client_for, persona, upload_dir):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("finance:workbook-import")).status_code == 403
    assert _upload(client, workbook_template()).status_code == 403
    assert client.post(reverse("finance:workbook-import-confirm"), {"token": "x"}).status_code == 403
    assert not Deal.objects.filter(code="voorbeeld").exists()


def test_anonymous_user_is_sent_to_login(client):
    for name in ("finance:workbook-import", "finance:workbook-template"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "persona, status",
    [
        ("coordinator", 200),
        ("kassier", 200),
        ("controller", 200),
        ("steering", 200),
        ("theme_manager", 403),
        ("lead", 403),
        ("outsider", 404),
    ],
)
def test_export_download_by_role(request, client_for, persona, status, deal):
    response = client_for(request.getfixturevalue(persona)).get(reverse("finance:workbook-export", args=[deal.code]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "werkmap-cleantech-" in response["Content-Disposition"]
        assert load_workbook(io.BytesIO(response.content))["deal"]["A2"].value == "cleantech"


def test_template_download_for_a_logged_in_user(client_for, kassier, deal):
    client = client_for(kassier)
    response = client.get(reverse("finance:workbook-template"))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames[-1] == "Toelichting"
    assert client.post(reverse("finance:workbook-template")).status_code == 405
    assert client.post(reverse("finance:workbook-export", args=[deal.code])).status_code == 405


def test_deal_overview_offers_the_workbook_download_to_who_may_export(client_for, kassier, theme_manager):
    url = reverse("finance:deal-overview", args=["cleantech"])
    export = reverse("finance:workbook-export", args=["cleantech"])
    assert export in client_for(kassier).get(url).content.decode()
    assert export not in client_for(theme_manager).get(url).content.decode()
