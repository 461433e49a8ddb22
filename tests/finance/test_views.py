"""The finance screens: the kassier's table, bookings, project page, tranche workflow in the browser, findings."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from finance.models import Booking, ConditionType, Tranche, TrancheCondition
from finance.selectors import Figures, project_funder_figures
from projects.models import Deal, Project
from projects.services_roles import assign_without_review

IJK = "2022-07-01"
PDF = b"%PDF-1.4 getekend plan van aanpak"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def euro(text: str) -> Decimal:
    return Decimal(text.replace("€\u00a0", "").replace(".", "").replace(",", "."))


def money_cells(html: str) -> list[str]:
    return re.findall(r"€\u00a0[-\d.]+,\d\d", html)


def test_overview_total_row_is_the_sum_of_the_rows(client_for, kassier):
    response = client_for(kassier).get(f"/financien/cleantech/?programma=&tot={IJK}")
    rows = response.context["table"].data.data
    footer = response.content.decode().split("<tfoot")[1]
    begroot_footer = euro(money_cells(footer)[0])
    # Tabel 5, the programme rows: rijk 7.275.000 + publiek 15.487.000 + overig 78.226.155 = 100.988.155;
    # the 225.000 Rijk of the deal itself (7.500.000 in total) is not a project row.
    assert begroot_footer == Decimal("100988155.00")
    assert sum(r["begroot"] for r in rows) == Decimal("100988155.00")
    assert response.context["deal_level"].begroot == Decimal("225000.00")


def test_overview_for_one_funder_shows_its_cells(client_for, kassier, deal):
    rijk = deal.funders.get(name="Rijk")
    response = client_for(kassier).get(f"/financien/cleantech/?financier={rijk.pk}&tot={IJK}")
    rows = response.context["table"].data.data
    # Tabel 1, Rijk uitgekeerd 2.816.127, all of it paid to projects (nothing on the deal itself).
    assert sum(r["uitgekeerd"] for r in rows) == Decimal("2816127")
    assert response.context["deal_level"].uitgekeerd == Decimal("0.00")


def test_overview_filters_by_programme_and_status(client_for, kassier, deal):
    programme = deal.programmes.get(code="1100")
    response = client_for(kassier).get(f"/financien/cleantech/?programma={programme.pk}&tot={IJK}")
    rows = response.context["table"].data.data
    assert {r["programme"] for r in rows} == {"1100"}
    assert sum(r["begroot"] for r in rows) == Decimal(1225000 + 1650000 + 2565000)
    assert response.context["deal_level"] is None  # filtered: the deal-level line belongs to no programme


def test_overview_sorts_by_a_money_column(client_for, kassier):
    response = client_for(kassier).get("/financien/cleantech/?sort=-begroot")
    values = [r.record["begroot"] for r in response.context["table"].rows]
    assert values == sorted(values, reverse=True)


def test_overview_for_theme_manager_has_only_own_projects(client_for, theme_manager):
    response = client_for(theme_manager).get("/financien/cleantech/")
    assert {r["programme"] for r in response.context["table"].data.data} == {"1100", "1200", "1300"}
    assert response.context["deal_level"] is None


def test_overview_query_count_is_fixed(client_for, kassier, django_assert_max_num_queries):
    client = client_for(kassier)
    # 17: one query more since the filter asks for the deal's programme lines (none in the demo).
    with django_assert_max_num_queries(17):
        assert client.get(f"/financien/cleantech/?tot={IJK}").status_code == 200


def test_booking_list_sum_equals_the_programme_figure(client_for, kassier):
    response = client_for(kassier).get(f"/financien/cleantech/boekingen/?programma=2300&tot={IJK}")
    # Programme 2300 in Tabel 5/6/7 (rijk + publiek + overig); every begroting is also toegekend:
    # begroot 1.200.000 + 3.095.000 + 4.025.580 = 8.320.580; uitgekeerd 1.030.000 + 1.599.407 + 457.810
    # = 3.087.217; besteed 74.852 + 353.189 + 560.260 = 988.301.
    assert response.context["totals"] == Figures(
        begroot=Decimal("8320580.00"),
        gecommitteerd=Decimal("8320580.00"),
        uitgekeerd=Decimal("3087217.00"),
        besteed=Decimal("988301.00"),
    )


def test_booking_list_query_count_is_fixed(client_for, kassier, django_assert_max_num_queries):
    client = client_for(kassier)
    # 17: one query more since the filter asks for the deal's programme lines (none in the demo).
    with django_assert_max_num_queries(17):
        assert client.get("/financien/cleantech/boekingen/?soort=begroting").status_code == 200


def test_project_finance_page_shows_funders_bookings_tranches(client_for, kassier, django_assert_max_num_queries):
    client = client_for(kassier)
    with django_assert_max_num_queries(18):
        response = client.get(f"/financien/cleantech/projecten/2320/?tot={IJK}")
    html = response.content.decode()
    assert "Gemeente Heerde" in html and "Tranche 1" in html
    assert response.context["history"] is None  # history is for the coordinator


def test_coordinator_sees_who_booked_what_in_the_history(client_for, coordinator):
    response = client_for(coordinator).get("/financien/cleantech/projecten/1310/")
    history = response.context["history"]
    # The demo's 1310 (fixtures/cleantech.json): 15 bookings (5 begrotingen, 5 toekenningen, 3 uitkeringen,
    # 2 bestedingen), a tranche per uitkering and one condition per tranche, each recorded once.
    what = [h["what"].split(":")[0] for h in history]
    assert {label: what.count(label) for label in set(what)} == {"Boeking": 15, "Tranche": 3, "Voorwaarde": 3}
    assert {h["action"] for h in history} == {"aangemaakt"}


def register_post(client, deal, project_code="1310", amount="1000.00", condition=None, reference="", document=None):
    """Registers a tranche in the browser; with ``condition`` (a condition type name) it attaches evidence."""
    project = Project.objects.get(deal=deal, code=project_code)
    rijk = deal.funders.get(name="Rijk")
    data = {
        "project": project.pk,
        "funder": rijk.pk,
        "amount": amount,
        "date": "2023-05-01",
        "number": "",
        "note": "",
        "bewijs-TOTAL_FORMS": "2",
        "bewijs-INITIAL_FORMS": "0",
        "bewijs-MIN_NUM_FORMS": "0",
        "bewijs-MAX_NUM_FORMS": "10",
    }
    if condition:
        data["bewijs-0-condition_type"] = ConditionType.objects.get(deal=deal, name=condition).pk
        data["bewijs-0-reference"] = reference
    if document:
        data["bewijs-0-document"] = document
    return client.post("/financien/cleantech/tranches/nieuw/", data)


def test_tranche_from_registration_to_approval_in_the_browser(client_for, deal, kassier, controller):
    project = Project.objects.get(deal=deal, code="1310")
    rijk = deal.funders.get(name="Rijk")
    # 1310 x Rijk in the demo: 1300's Rijk 409.377 (Tabel 6) over its 4 projects is 102.345 + 3 x 102.344.
    before = Decimal("102345.00")
    assert project_funder_figures(project=project, funder=rijk).uitgekeerd == before
    response = register_post(client_for(kassier), deal)
    tranche = Tranche.objects.get(project=project, funder=rijk, status=Tranche.Status.PENDING)
    assert response.status_code == 302 and response["Location"].endswith(f"/tranches/{tranche.pk}/")
    assert project_funder_figures(project=project, funder=rijk).uitgekeerd == before

    client = client_for(controller)
    pending = client.get("/financien/cleantech/tranches/").context["pending"]
    assert tranche in list(pending.data.data)
    response = client.post(f"/financien/cleantech/tranches/{tranche.pk}/goedkeuren/", {"override_reason": ""})
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.APPROVED and tranche.decided_by == controller
    assert project_funder_figures(project=project, funder=rijk).uitgekeerd == Decimal("103345.00")  # 102.345 + 1.000


def test_registration_form_keeps_what_was_typed_on_errors(client_for, deal, kassier):
    response = register_post(client_for(kassier), deal, amount="1000.00", condition="Plan van aanpak goedgekeurd")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geef bij deze voorwaarde een document of een kenmerk." in html
    plan = ConditionType.objects.get(deal=deal, name="Plan van aanpak goedgekeurd")
    assert 'value="1000.00"' in html and f'<option value="{plan.pk}" selected>' in html


def test_registration_refuses_a_disallowed_document(client_for, deal, kassier):
    response = register_post(
        client_for(kassier),
        deal,
        condition="Samenwerkingsovereenkomst getekend",
        document=SimpleUploadedFile("sok.exe", b"MZ\x90\x00"),
    )
    assert response.status_code == 200
    assert "niet toegestaan type" in response.content.decode()
    assert not Tranche.objects.filter(status=Tranche.Status.PENDING).exists()


def test_controller_who_registered_cannot_approve_in_the_browser(client_for, deal, kassier, controller):
    # Segregation of duties forbids this through the role page; a legacy double role
    # (assigned without review) must still not let one person approve their own tranche.
    assign_without_review(deal=Deal.objects.get(code="cleantech"), user=kassier, role="controller")
    client = client_for(kassier)
    register_post(client, deal)
    tranche = Tranche.objects.get(status=Tranche.Status.PENDING)
    page = client.get(f"/financien/cleantech/tranches/{tranche.pk}/")
    assert "zelf geregistreerd" in page.content.decode()
    response = client.post(f"/financien/cleantech/tranches/{tranche.pk}/goedkeuren/", {"override_reason": ""})
    assert response.status_code == 403
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.PENDING


def test_over_budget_approval_says_by_how_much_and_keeps_the_tranche_pending(client_for, deal, kassier, controller):
    # 1310 x Rijk: begroot 143.751 (575.000 / 4, rounded up on the first project), uitgekeerd 102.345;
    # still to pay 143.751 - 102.345 = 41.406, so 41.406 + 12.345 = 53.751 is 12.345 too much.
    register_post(client_for(kassier), deal, amount="53751.00")
    tranche = Tranche.objects.get(status=Tranche.Status.PENDING)
    response = client_for(controller).post(f"/financien/cleantech/tranches/{tranche.pk}/goedkeuren/", {})
    assert response.status_code == 400
    assert "overschrijdt de begroting met €\u00a012.345,00" in response.content.decode()
    response = client_for(controller).post(
        f"/financien/cleantech/tranches/{tranche.pk}/goedkeuren/",
        {"override_reason": "Besluit stuurgroep", "override_decision": deal.decisions.first().pk},
    )
    assert response.status_code == 302
    findings = client_for(controller).get("/financien/cleantech/bevindingen/").content.decode()
    assert "boven de begroting goedgekeurd" in findings and "Besluit stuurgroep" in findings


def test_reject_needs_a_reason_in_the_browser(client_for, deal, kassier, controller):
    register_post(client_for(kassier), deal)
    tranche = Tranche.objects.get(status=Tranche.Status.PENDING)
    client = client_for(controller)
    response = client.post(f"/financien/cleantech/tranches/{tranche.pk}/afwijzen/", {"reason": ""})
    assert response.status_code == 400
    response = client.post(f"/financien/cleantech/tranches/{tranche.pk}/afwijzen/", {"reason": "Niet getekend"})
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.REJECTED and tranche.rejection_reason == "Niet getekend"


def test_condition_document_only_through_the_permission_checked_view(client_for, deal, kassier, outsider, lead):
    # Free-text conditions are no longer typed at registration; their documents stay readable as history.
    tranche = Tranche.objects.filter(project__deal=deal, project__code="1310").first()
    condition = TrancheCondition.objects.create(
        tranche=tranche, description="Getekend plan van aanpak", document=SimpleUploadedFile("pva.pdf", PDF)
    )
    url = f"/financien/cleantech/voorwaarden/{condition.pk}/document/"
    response = client_for(kassier).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(lead).get(url).status_code == 403
    assert client_for(kassier).get(f"/media/{condition.document.name}").status_code == 404


def test_theme_manager_enters_expenditure_for_own_project(client_for, deal, theme_manager):
    project = Project.objects.get(deal=deal, code="1310")
    rijk = deal.funders.get(name="Rijk")
    data = {
        "project": project.pk,
        "funder": rijk.pk,
        "period_start": "2023-01-01",
        "period_last_day": "2023-06-30",
        "amount": "2500.00",
        "date": "2023-07-15",
        "reference": "VR-2023-1",
        "note": "",
    }
    response = client_for(theme_manager).post("/financien/cleantech/bestedingen/nieuw/", data)
    assert response.status_code == 302
    booking = Booking.objects.get(reference="VR-2023-1")
    assert booking.kind == "besteding" and booking.amount == Decimal("2500.00") and booking.created_by == theme_manager
    # People type the last day of the period; it is stored end-exclusive (STYLE.md).
    assert (booking.period_start, booking.period_end) == (date(2023, 1, 1), date(2023, 7, 1))
    assert booking.period_last_day == date(2023, 6, 30)


def test_theme_manager_cannot_choose_a_project_of_another_programme(client_for, deal, theme_manager):
    project = Project.objects.get(deal=deal, code="2320")
    data = {
        "project": project.pk,
        "funder": deal.funders.get(name="Rijk").pk,
        "period_start": "2023-07-01",
        "period_last_day": "2022-12-31",
        "amount": "2500.00",
        "date": "2023-07-15",
    }
    response = client_for(theme_manager).post("/financien/cleantech/bestedingen/nieuw/", data)
    assert response.status_code == 200
    assert "project" in response.context["form"].errors
    assert 'value="2500.00"' in response.content.decode()


def test_findings_page_shows_the_seed_problems(client_for, controller, django_assert_max_num_queries):
    client = client_for(controller)
    with django_assert_max_num_queries(18):
        response = client.get(f"/financien/cleantech/bevindingen/?tot={IJK}")
    html = response.content.decode()
    assert "Gemeente Heerde heeft geen begroting op project 2320" in html
    for funder in ("Gemeente Epe", "Gemeente Zutphen", "Gemeente Deventer"):
        assert f"Van {funder} is in de hele deal" in html
    assert "/financien/cleantech/boekingen/?project=2320&amp;financier=" in html


def test_coordinator_corrects_a_booking(client_for, deal, coordinator):
    booking = Booking.objects.filter(deal=deal, project__code="1310", kind="begroting").first()
    response = client_for(coordinator).post(
        f"/financien/cleantech/boekingen/{booking.pk}/corrigeren/",
        {"amount": "100.00", "reason": "Lager besluit", "decision": deal.decisions.first().pk},
    )
    assert response.status_code == 302
    assert booking.corrections.get().amount == Decimal("100.00")


def test_kassier_cannot_correct_bookings(client_for, deal, kassier):
    booking = Booking.objects.filter(deal=deal, kind="begroting").first()
    assert client_for(kassier).get(f"/financien/cleantech/boekingen/{booking.pk}/corrigeren/").status_code == 403


def test_tranche_list_query_count_is_fixed(client_for, controller, django_assert_max_num_queries):
    client = client_for(controller)
    with django_assert_max_num_queries(14):
        assert client.get("/financien/cleantech/tranches/").status_code == 200


def test_nav_and_start_page_link_kassier_to_finance(client_for, kassier, lead):
    html = client_for(kassier).get("/").content.decode()
    assert 'href="/financien/"' in html and 'href="/financien/tranches/"' in html
    assert 'href="/financien/bevindingen/"' in html
    assert 'href="/financien/"' not in client_for(lead).get("/").content.decode()


def test_finance_index_goes_straight_to_the_only_deal(client_for, kassier):
    response = client_for(kassier).get("/financien/")
    assert response.status_code == 302 and response["Location"] == "/financien/cleantech/"
