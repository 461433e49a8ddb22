"""Vouchers of a voucher scheme (issue 11, item 2): rules, permissions, pages, xlsx import, summary, report.

Project 1310 of the demo deal is made a voucher scheme in each test; its penvoerder is the
demo penvoerder. Dates are taken from the deal, never from today.
"""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from finance.models_vouchers import Voucher
from finance.selectors import project_figures
from finance.selectors_vouchers import deal_voucher_summaries, voucher_summary
from finance.services_vouchers import voucher_create, voucher_set_status
from finance.vouchers_import import voucher_import
from projects import roles
from projects.models import Deal, Project
from reports.jsonformat import report_json
from reports.selectors import report_data
from reports.services import data_version
from tests.conftest import make_user

S = Voucher.Status


@pytest.fixture
def scheme(deal) -> Project:
    Project.objects.filter(deal=deal, code="1310").update(is_voucher_scheme=True)
    return Project.objects.select_related("deal").get(deal=deal, code="1310")


@pytest.fixture
def day(deal) -> date:
    """A date well inside the deal, before the demo's ijkdatum."""
    return deal.start + timedelta(days=30)


@pytest.fixture
def begroot(scheme) -> Decimal:
    """1310's whole begroting: programme 1300's 575.000 + 1.557.000 + 660.000 = 2.792.000 (Tabel 5) over
    its 4 projects is 698.000; the demo's split per funder gives 1310 three euro more (fixtures/cleantech.json):
    Rijk 143.751 + Gelderland 268.680 + Overijssel 120.571 + Onderwijs 37.613 + Privaat 127.388 = 698.003."""
    assert project_figures(project=scheme, as_of=date.max).total.begroot == Decimal("698003.00")
    return Decimal("698003.00")


def _voucher(scheme, user, day, *, amount="1000.00", status=S.REQUESTED, **extra) -> Voucher:
    return voucher_create(
        project=scheme, recipient=extra.pop("recipient", "Startup BV"), date=day, amount=Decimal(amount),
        status=status, user=user, **extra,
    )  # fmt: skip


# ----------------------------------------------------------------------------- the service


def test_coordinator_records_a_voucher_with_its_author(scheme, coordinator, day):
    voucher = _voucher(scheme, coordinator, day, reference="V-1", note="Jong ondernemer")
    assert (voucher.status, voucher.amount, voucher.created_by) == (S.REQUESTED, Decimal("1000.00"), coordinator)
    assert voucher.history.get().history_user == coordinator


def test_penvoerder_of_the_scheme_records_and_grants_a_voucher(scheme, lead, day):
    voucher = voucher_set_status(voucher=_voucher(scheme, lead, day), status=S.GRANTED, user=lead)
    assert voucher.status == S.GRANTED
    assert voucher.history.count() == 2


def test_a_project_that_is_no_voucher_scheme_gets_no_vouchers(deal, coordinator, day):
    project = Project.objects.get(deal=deal, code="1310")
    before = Voucher.objects.count()  # the other demo deals have vouchers of their own
    with pytest.raises(ValidationError) as e:
        _voucher(project, coordinator, day)
    assert "geen voucherregeling" in e.value.message_dict["project"][0]
    assert Voucher.objects.count() == before and not project.vouchers.exists()


@pytest.mark.parametrize("amount", ["0.00", "-5.00"])
def test_amount_must_be_more_than_zero(scheme, coordinator, day, amount):
    with pytest.raises(ValidationError) as e:
        _voucher(scheme, coordinator, day, amount=amount)
    assert e.value.message_dict["amount"] == ["Het bedrag van een voucher moet groter dan nul zijn."]


def test_date_must_lie_within_the_deal(scheme, coordinator, deal):
    _voucher(scheme, coordinator, deal.start, reference="eerste")
    _voucher(scheme, coordinator, deal.financial_closing_date, reference="laatste")
    for outside in (deal.start - timedelta(days=1), deal.financial_closing_date + timedelta(days=1)):
        with pytest.raises(ValidationError) as e:
            _voucher(scheme, coordinator, outside)
        assert "buiten de looptijd van de deal" in e.value.message_dict["date"][0]
    assert scheme.vouchers.count() == 2


def test_a_kenmerk_is_used_once_per_scheme(scheme, coordinator, day):
    _voucher(scheme, coordinator, day, reference="V-7", recipient="Eerste BV")
    with pytest.raises(ValidationError) as e:
        _voucher(scheme, coordinator, day, reference="V-7")
    assert "al gebruikt (voucher voor Eerste BV)" in e.value.message_dict["reference"][0]


def test_status_moves_forward_requested_granted_paid(scheme, coordinator, day):
    voucher = _voucher(scheme, coordinator, day)
    voucher = voucher_set_status(voucher=voucher, status=S.GRANTED, user=coordinator)
    voucher = voucher_set_status(voucher=voucher, status=S.PAID, user=coordinator)
    assert Voucher.objects.get(pk=voucher.pk).status == S.PAID


@pytest.mark.parametrize("start", [S.REQUESTED, S.GRANTED])
def test_requested_or_granted_voucher_may_lapse(scheme, coordinator, day, start):
    voucher = _voucher(scheme, coordinator, day, status=start)
    assert voucher_set_status(voucher=voucher, status=S.LAPSED, user=coordinator).status == S.LAPSED


@pytest.mark.parametrize(
    "start,wanted,message",
    [
        (S.REQUESTED, S.PAID, "eerst toegekend en pas daarna uitbetaald"),
        (S.GRANTED, S.REQUESTED, "Van toegekend terug naar aangevraagd kan niet; nu kan: uitbetaald of vervallen"),
        (S.PAID, S.LAPSED, "Een uitbetaalde voucher is definitief"),
        (S.PAID, S.GRANTED, "Een uitbetaalde voucher is definitief"),
        (S.LAPSED, S.GRANTED, "Een vervallen voucher blijft vervallen"),
        (S.GRANTED, S.GRANTED, "De voucher is al toegekend."),
    ],
)
def test_status_steps_that_are_not_allowed_say_why(scheme, coordinator, day, start, wanted, message):
    voucher = _voucher(scheme, coordinator, day, status=start)
    with pytest.raises(ValidationError) as e:
        voucher_set_status(voucher=voucher, status=wanted, user=coordinator)
    assert message in e.value.message_dict["status"][0]
    assert Voucher.objects.get(pk=voucher.pk).status == start


def test_granting_beyond_the_begroting_is_refused_naming_the_amounts(scheme, coordinator, day, begroot):
    _voucher(scheme, coordinator, day, amount=begroot - Decimal("100.00"), status=S.PAID)
    _voucher(scheme, coordinator, day, amount="500.00")  # requested: does not count yet
    pending = scheme.vouchers.get(status=S.REQUESTED)
    with pytest.raises(ValidationError) as e:
        voucher_set_status(voucher=pending, status=S.GRANTED, user=coordinator)
    message = e.value.message_dict["amount"][0]
    assert "€\u00a0500,00" in message and "€\u00a0100,00 ruimte" in message
    assert "begroting (€\u00a0698.003,00)" in message
    assert Voucher.objects.get(pk=pending.pk).status == S.REQUESTED
    with pytest.raises(ValidationError):
        _voucher(scheme, coordinator, day, amount="100.01", status=S.GRANTED)
    assert _voucher(scheme, coordinator, day, amount="100.00", status=S.GRANTED).status == S.GRANTED


def test_a_lapsed_voucher_frees_its_room_in_the_begroting(scheme, coordinator, day, begroot):
    granted = _voucher(scheme, coordinator, day, amount=begroot, status=S.GRANTED)
    with pytest.raises(ValidationError):
        _voucher(scheme, coordinator, day, amount="1.00", status=S.GRANTED)
    voucher_set_status(voucher=granted, status=S.LAPSED, user=coordinator)
    assert _voucher(scheme, coordinator, day, amount="1.00", status=S.GRANTED).status == S.GRANTED


@pytest.mark.parametrize("persona", ["kassier", "controller", "steering", "theme_manager", "other_lead", "outsider"])
def test_only_coordinator_and_penvoerder_write_vouchers(request, scheme, coordinator, day, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        _voucher(scheme, user, day)
    voucher = _voucher(scheme, coordinator, day)
    with pytest.raises(PermissionDenied):
        voucher_set_status(voucher=voucher, status=S.GRANTED, user=user)
    assert Voucher.objects.get(pk=voucher.pk).status == S.REQUESTED


def test_penvoerder_writes_only_vouchers_of_their_own_project(deal, lead, coordinator, day):
    other = Project.objects.get(deal=deal, code="2110")
    Project.objects.filter(pk=other.pk).update(is_voucher_scheme=True)
    other.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _voucher(other, lead, day)


def test_coordinator_of_another_deal_writes_nothing_here(scheme, day):
    second = Deal.objects.get(code="synth-2-1")
    with pytest.raises(PermissionDenied):
        _voucher(scheme, make_user("coordinator_elders", roles.COORDINATOR, deal=second), day)


# ----------------------------------------------------------------------------- the selector


def test_summary_counts_and_sums_per_status(scheme, coordinator, day):
    _voucher(scheme, coordinator, day, amount="100.00")
    _voucher(scheme, coordinator, day, amount="200.00", status=S.GRANTED)
    _voucher(scheme, coordinator, day, amount="300.00", status=S.PAID)
    _voucher(scheme, coordinator, day, amount="400.00", status=S.PAID)
    lapsed = _voucher(scheme, coordinator, day, amount="50.00")
    voucher_set_status(voucher=lapsed, status=S.LAPSED, user=coordinator)
    summary = voucher_summary(project=scheme)
    got = {t.status: (t.count, t.amount) for t in summary.statuses}
    assert got == {
        "aangevraagd": (1, Decimal("100.00")),
        "toegekend": (1, Decimal("200.00")),
        "uitbetaald": (2, Decimal("700.00")),
        "vervallen": (1, Decimal("50.00")),
    }
    assert (summary.count, summary.committed_count, summary.committed_amount) == (5, 3, Decimal("900.00"))
    assert voucher_summary(project=scheme, as_of=day - timedelta(days=1)).count == 0


def _many(scheme, user, day, n):
    Voucher.objects.bulk_create(
        Voucher(project=scheme, recipient=f"Bedrijf {i}", date=day, amount=Decimal("10.00"),
                status=[S.REQUESTED, S.GRANTED, S.PAID][i % 3], created_by=user)
        for i in range(n)
    )  # fmt: skip


@pytest.mark.parametrize("n", [1, 60])
def test_summary_takes_one_query_whatever_the_count(scheme, coordinator, day, n, django_assert_num_queries):
    _many(scheme, coordinator, day, n)
    with django_assert_num_queries(1):
        summary = voucher_summary(project=scheme)
    assert summary.count == n
    with django_assert_num_queries(1):
        per_project = deal_voucher_summaries(deal=scheme.deal)
    assert per_project[scheme.pk].count == n


# ----------------------------------------------------------------------------- the pages


def _url(name, project, *args):
    return reverse(f"finance:{name}", args=[project.deal.code, project.code, *args])


def test_page_shows_count_and_sum_per_status_and_the_form(scheme, coordinator, day, client_for):
    _voucher(scheme, coordinator, day, amount="1250.00", status=S.GRANTED, recipient="Zonnig BV")
    response = client_for(coordinator).get(_url("voucher-list", scheme))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zonnig BV" in html and "€\u00a01.250,00" in html
    assert "Voucher vastleggen" in html and 'value="uitbetaald"' in html


def test_a_reader_sees_the_vouchers_without_forms(scheme, coordinator, kassier, day, client_for):
    _voucher(scheme, coordinator, day, recipient="Lezer BV")
    html = client_for(kassier).get(_url("voucher-list", scheme)).content.decode()
    assert "Lezer BV" in html and "Voucher vastleggen" not in html and 'name="status" value=' not in html


def test_page_filters_on_status_and_ignores_a_bad_one(scheme, coordinator, day, client_for):
    _voucher(scheme, coordinator, day, recipient="Aanvrager BV")
    _voucher(scheme, coordinator, day, recipient="Ontvanger BV", status=S.PAID)
    client = client_for(coordinator)
    html = client.get(_url("voucher-list", scheme), {"status": "uitbetaald"}).content.decode()
    assert "Ontvanger BV" in html and "Aanvrager BV" not in html
    html = client.get(_url("voucher-list", scheme), {"status": "onzin"}).content.decode()
    assert "Ontvanger BV" in html and "Aanvrager BV" in html


def test_coordinator_adds_a_voucher_in_the_browser(scheme, coordinator, day, client_for):
    data = {"recipient": "Nieuw BV", "date": day.isoformat(), "amount": "750.50", "status": "aangevraagd"}
    response = client_for(coordinator).post(_url("voucher-add", scheme), data)
    assert response.status_code == 302
    voucher = scheme.vouchers.get()
    assert (voucher.recipient, voucher.amount, voucher.created_by) == ("Nieuw BV", Decimal("750.50"), coordinator)


def test_a_refused_voucher_keeps_what_was_typed(scheme, deal, coordinator, client_for):
    late = deal.financial_closing_date + timedelta(days=1)
    data = {"recipient": "Te Laat BV", "date": late.isoformat(), "amount": "300", "reference": "K-99"}
    data["status"] = "aangevraagd"
    response = client_for(coordinator).post(_url("voucher-add", scheme), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "buiten de looptijd van de deal" in html
    assert 'value="Te Laat BV"' in html and 'value="K-99"' in html and late.isoformat() in html
    assert not scheme.vouchers.exists()


def test_status_step_in_the_browser_and_a_refused_one(scheme, lead, day, client_for):
    voucher = _voucher(scheme, lead, day, recipient="Stap BV")
    client = client_for(lead)
    assert client.post(_url("voucher-status", scheme, voucher.pk), {"status": "toegekend"}).status_code == 302
    response = client.post(_url("voucher-status", scheme, voucher.pk), {"status": "aangevraagd"})
    assert response.status_code == 400
    assert "terug naar aangevraagd kan niet" in response.content.decode()
    assert Voucher.objects.get(pk=voucher.pk).status == S.GRANTED


@pytest.mark.parametrize("persona", ["kassier", "controller", "steering", "theme_manager"])
def test_readers_may_not_post_vouchers(request, scheme, coordinator, day, client_for, persona):
    voucher = _voucher(scheme, coordinator, day)
    client = client_for(request.getfixturevalue(persona))
    data = {"recipient": "X", "date": day.isoformat(), "amount": "5", "status": "aangevraagd"}
    assert client.post(_url("voucher-add", scheme), data).status_code == 403
    assert client.post(_url("voucher-status", scheme, voucher.pk), {"status": "toegekend"}).status_code == 403
    assert scheme.vouchers.count() == 1 and Voucher.objects.get(pk=voucher.pk).status == S.REQUESTED


def test_other_penvoerder_does_not_see_the_scheme(scheme, other_lead, client_for):
    assert client_for(other_lead).get(_url("voucher-list", scheme)).status_code == 404


def _second_deal_voucher() -> Voucher:
    second = Deal.objects.get(code="synth-2-1")
    project = second.projects.filter(lead_users__isnull=False).order_by("code").first()
    Project.objects.filter(pk=project.pk).update(is_voucher_scheme=True)
    return Voucher.objects.create(project=project, recipient="Elders BV", date=second.start, amount=Decimal("10"))


def test_forged_post_for_a_voucher_of_another_deal_is_a_404(scheme, coordinator, client_for):
    foreign = _second_deal_voucher()
    client = client_for(coordinator)
    # Under this deal's own scheme, with the other deal's voucher number.
    assert client.post(_url("voucher-status", scheme, foreign.pk), {"status": "toegekend"}).status_code == 404
    # Under the other deal's own URL: that deal is not the coordinator's.
    assert client.post(_url("voucher-status", foreign.project, foreign.pk), {"status": "toegekend"}).status_code == 404
    assert Voucher.objects.get(pk=foreign.pk).status == S.REQUESTED


def test_finance_page_links_to_the_vouchers_of_a_scheme_only(deal, coordinator, client_for):
    client = client_for(coordinator)
    project = Project.objects.get(deal=deal, code="1310")
    url = reverse("finance:project-finance", args=[deal.code, "1310"])
    assert _url("voucher-list", project) not in client.get(url).content.decode()
    Project.objects.filter(pk=project.pk).update(is_voucher_scheme=True)
    assert _url("voucher-list", project) in client.get(url).content.decode()


def test_page_query_count_does_not_grow_with_the_vouchers(scheme, coordinator, day, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(coordinator)
    client.get(_url("voucher-list", scheme))  # the first request of a session costs a few queries more
    counts = []
    for n in (1, 40):
        _many(scheme, coordinator, day, n)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url("voucher-list", scheme)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# ----------------------------------------------------------------------------- the xlsx import

HEADER = ["ontvanger*", "datum*", "bedrag*", "status", "kenmerk", "toelichting"]


def _xlsx(rows, *, header=HEADER, title="Vouchers") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _good_rows(day):
    return [
        ["Alfa BV", day, 1500, "toegekend", "V-1", "Jong ondernemer"],
        ["Beta VOF", day.strftime("%d-%m-%Y"), "2.250,50", "", "V-2", None],
        ["Gamma", day, 500.25, "Uitbetaald", "", ""],
    ]


def _errors(report):
    return [(e.sheet, e.row, e.column, e.message) for e in report.errors]


def test_import_checks_first_then_saves_and_a_reimport_adds_nothing(scheme, coordinator, day):
    data = _xlsx(_good_rows(day))
    dry = voucher_import(project=scheme, data=data, user=coordinator, commit=False)
    assert (dry.is_valid, dry.new, dry.new_amount, dry.saved) == (True, 3, Decimal("4250.75"), False)
    assert not scheme.vouchers.exists()
    saved = voucher_import(project=scheme, data=data, user=coordinator, commit=True)
    assert saved.saved and saved.new == 3
    got = {v.recipient: (v.amount, v.status, v.reference) for v in scheme.vouchers.all()}
    assert got == {
        "Alfa BV": (Decimal("1500.00"), S.GRANTED, "V-1"),
        "Beta VOF": (Decimal("2250.50"), S.REQUESTED, "V-2"),
        "Gamma": (Decimal("500.25"), S.PAID, ""),
    }
    again = voucher_import(project=scheme, data=data, user=coordinator, commit=True)
    assert (again.is_valid, again.new, again.unchanged) == (True, 0, 3)
    assert scheme.vouchers.count() == 3


def test_each_bad_row_is_located_and_nothing_is_saved(scheme, deal, coordinator, day, begroot):
    late = deal.financial_closing_date + timedelta(days=1)
    rows = [
        ["Goed BV", day, 100, "toegekend", "OK-1", ""],
        [None, day, 100, "", "R3", ""],
        ["Datum BV", "31-02-2021", 100, "", "R4", ""],
        ["Negatief BV", day, -5, "", "R5", ""],
        ["Status BV", day, 100, "goedgekeurd", "R6", ""],
        ["Laat BV", late, 100, "", "R7", ""],
        ["Te Veel BV", day, begroot, "toegekend", "R8", ""],
        ["Dubbel BV", day, 100, "", "OK-1", ""],
        ["Decimalen BV", day, "10,123", "", "R10", ""],
    ]
    report = voucher_import(project=scheme, data=_xlsx(rows), user=coordinator, commit=True)
    located = {(row, column) for _sheet, row, column, _message in _errors(report)}
    assert located == {
        (3, "ontvanger"), (4, "datum"), (5, "bedrag"), (6, "status"), (7, "datum"), (8, "bedrag"), (9, "kenmerk"),
        (10, "bedrag"),
    }  # fmt: skip
    assert {sheet for sheet, *_ in _errors(report)} == {"Vouchers"}
    messages = dict(((row, column), message) for _sheet, row, column, message in _errors(report))
    assert messages[(3, "ontvanger")] == "Verplichte waarde ontbreekt."
    assert "groter dan nul" in messages[(5, "bedrag")]
    assert "buiten de looptijd van de deal" in messages[(7, "datum")]
    assert "meer dan de begroting" in messages[(8, "bedrag")]
    assert "staat ook op rij 2" in messages[(9, "kenmerk")]
    assert "Tabblad 'Vouchers', rij 4, kolom 'datum'" in str(report.errors[1])
    assert not report.saved and not scheme.vouchers.exists()


def test_a_formula_is_refused_where_it_stands(scheme, coordinator, day):
    report = voucher_import(
        project=scheme, data=_xlsx([["Formule BV", day, "=1000+500", "", "F-1", ""]]), user=coordinator, commit=True
    )
    [(sheet, row, column, message)] = _errors(report)
    assert (sheet, row, column) == ("Vouchers", 2, "bedrag")
    assert message.startswith("Formule niet toegestaan (=1000+500)")
    assert not scheme.vouchers.exists()


def test_layout_errors_missing_column_and_unknown_column(scheme, coordinator, day):
    header = ["ontvanger", "datum", "status", "kleur"]
    report = voucher_import(
        project=scheme, data=_xlsx([["A", day, "", "rood"]], header=header), user=coordinator, commit=False
    )
    located = {(row, column) for _sheet, row, column, _message in _errors(report)}
    assert (1, "bedrag") in located and (1, "kleur") in located


def test_a_kenmerk_that_exists_with_other_values_is_an_error(scheme, coordinator, day):
    _voucher(scheme, coordinator, day, reference="V-1", amount="1500.00", recipient="Alfa BV", note="Jong ondernemer")
    rows = [["Alfa BV", day, 1600, "", "V-1", "Jong ondernemer"]]
    report = voucher_import(project=scheme, data=_xlsx(rows), user=coordinator, commit=True)
    [(_sheet, row, column, message)] = _errors(report)
    assert (row, column) == (2, "kenmerk")
    assert "andere waarden" in message and "bedrag €\u00a01.500,00 → €\u00a01.600,00" in message
    assert scheme.vouchers.count() == 1


def test_not_a_workbook_gets_a_message(scheme, coordinator):
    report = voucher_import(project=scheme, data=b"ontvanger;datum\nA;1-1-2021\n", user=coordinator, commit=True)
    assert "platte tekst" in report.errors[0].message


def test_only_who_writes_vouchers_imports_them(scheme, kassier, day):
    with pytest.raises(PermissionDenied):
        voucher_import(project=scheme, data=_xlsx(_good_rows(day)), user=kassier, commit=True)


def test_import_in_the_browser_preview_then_confirm(scheme, lead, day, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(lead)
    upload = io.BytesIO(_xlsx(_good_rows(day)))
    upload.name = "vouchers.xlsx"
    preview = client.post(_url("voucher-import", scheme), {"bestand": upload})
    assert preview.status_code == 200 and "<strong>3</strong> nieuwe vouchers" in preview.content.decode()
    assert not scheme.vouchers.exists()
    token = client.session["finance_voucher_import"]["token"]
    assert client.post(_url("voucher-import-confirm", scheme), {"token": token}).status_code == 302
    assert scheme.vouchers.count() == 3 and not list(tmp_path.glob("voucher-import/*.xlsx"))
    # The same token again: nothing waits any more, nothing is doubled.
    assert client.post(_url("voucher-import-confirm", scheme), {"token": token}).status_code == 302
    assert scheme.vouchers.count() == 3


def test_the_template_downloads_and_imports_its_example(scheme, coordinator, client_for):
    response = client_for(coordinator).get(_url("voucher-template", scheme))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    report = voucher_import(project=scheme, data=response.content, user=coordinator, commit=False)
    # The example row is dated today, which may lie after the deal: only the date may be refused.
    assert {e.column for e in report.errors} <= {"datum"}


# ----------------------------------------------------------------------------- the report


def test_fact_sheet_and_json_show_vouchers_of_a_scheme_only(scheme, coordinator, deal, day, client_for):
    assert day <= deal.default_reference_date
    _voucher(scheme, coordinator, day, amount="1000.00", status=S.GRANTED)
    _voucher(scheme, coordinator, day, amount="2500.00", status=S.PAID)
    _voucher(scheme, coordinator, day, amount="400.00")
    _voucher(scheme, coordinator, deal.default_reference_date + timedelta(days=1), amount="9.00", status=S.PAID)
    document = report_json(report_data(deal=deal, as_of=deal.default_reference_date))
    assert document["vouchers"] == [
        {
            "project": "1310",
            "naam": scheme.name,
            "aantal_toegekend_of_uitbetaald": 2,
            "bedrag_toegekend_of_uitbetaald": "3500.00",
            "per_status": {
                "aangevraagd": {"aantal": 1, "bedrag": "400.00"},
                "toegekend": {"aantal": 1, "bedrag": "1000.00"},
                "uitbetaald": {"aantal": 1, "bedrag": "2500.00"},
                "vervallen": {"aantal": 0, "bedrag": "0.00"},
            },
        }
    ]
    html = client_for(coordinator).get(reverse("reports:report-detail", args=[deal.code])).content.decode()
    assert "Vouchers:</strong> 2 toegekend/uitbetaald, samen €\u00a03.500,00" in html
    assert html.count("Vouchers:</strong>") == 1


def test_report_without_voucher_schemes_has_an_empty_vouchers_key(deal):
    assert report_json(report_data(deal=deal, as_of=deal.default_reference_date))["vouchers"] == []


# ----------------------------------------------------------------------------- Beheer


def test_beheer_shows_vouchers_read_only_and_per_deal(scheme, coordinator, day, rf):
    from django.contrib import admin

    from finance.admin_vouchers import VoucherAdmin

    ours = _voucher(scheme, coordinator, day)
    _second_deal_voucher()
    request = rf.get("/beheer/")
    request.user = coordinator
    model_admin = VoucherAdmin(Voucher, admin.site)
    assert list(model_admin.get_queryset(request)) == [ours]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, ours)
    assert not model_admin.has_delete_permission(request, ours)


def test_a_new_voucher_makes_the_stored_live_pdf_stale(deal, scheme, coordinator, day):
    before = data_version(deal=deal, as_of=deal.default_reference_date, period=None)
    _voucher(scheme, coordinator, day)
    assert data_version(deal=deal, as_of=deal.default_reference_date, period=None) != before


def test_the_penvoerder_gets_no_link_to_finance_pages_they_may_not_open(scheme, lead, coordinator, client_for):
    finance = reverse("finance:project-finance", args=[scheme.deal.code, scheme.code])
    assert client_for(lead).get(finance).status_code == 403
    assert f'href="{finance}"' not in client_for(lead).get(_url("voucher-list", scheme)).content.decode()
    assert f'href="{finance}"' in client_for(coordinator).get(_url("voucher-list", scheme)).content.decode()


def test_the_form_proposes_today_only_while_the_deal_runs(scheme, coordinator, client_for):
    deal = scheme.deal
    form = client_for(coordinator).get(_url("voucher-list", scheme)).context["form"]
    today = timezone.localdate()
    running = deal.start <= today <= deal.financial_closing_date
    assert form.initial["date"] == (today if running else None)
    deal.financial_closing_date = today + timedelta(days=30)
    deal.start = min(deal.start, today)
    deal.save()
    assert client_for(coordinator).get(_url("voucher-list", scheme)).context["form"].initial["date"] == today
