"""The verslag pages as users see them: the done-when flow, no lost work, history, overview, query counts."""

from datetime import date

from django.urls import reverse

from projects.models import ProgressReport, ReportingPeriod
from projects.selectors import project_progress
from projects.services import report_submit, report_update
from tests.projects.progress_helpers import form_data, started

State = ProgressReport.State


def url(name, report):
    return reverse(f"projects:{name}", args=["cleantech", report.pk])


def test_theme_manager_updates_and_submits_2022_2_and_coordinator_approves(
    client_for, deal, theme_manager, coordinator
):
    client = client_for(theme_manager)
    response = client.post(reverse("projects:report-start", args=["cleantech", "1110", "2022-2"]))
    report = ProgressReport.objects.get(project__code="1110", period__name="2022-2")
    assert response["Location"] == url("report-edit", report)
    assert "2022-1" in client.get(response["Location"]).content.decode()  # prefilled, baseline named

    data = form_data(report, progress="Werkpakket 2 is afgerond.", status="op_schema", indienen="1")
    response = client.post(url("report-edit", report), data)

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert report.progress == "Werkpakket 2 is afgerond."

    response = client_for(coordinator).post(url("report-approve", report), {"lock_version": report.lock_version})
    report.refresh_from_db()
    assert report.state == State.APPROVED
    assert client_for(theme_manager).get(url("report-edit", report)).status_code == 403


def test_coordinator_sends_report_back_with_reason(client_for, deal, theme_manager, coordinator):
    report = report_submit(report=started(deal, "1120", theme_manager), user=theme_manager)
    client = client_for(coordinator)

    response = client.post(url("report-return", report), {"reason": "", "lock_version": report.lock_version})
    assert response.status_code == 400
    assert "Dit veld is verplicht" in response.content.decode()

    client.post(url("report-return", report), {"reason": "Resultaten ontbreken.", "lock_version": report.lock_version})
    report.refresh_from_db()
    assert report.state == State.RETURNED
    page = client_for(theme_manager).get(url("report-detail", report)).content.decode()
    assert "Resultaten ontbreken." in page


def test_form_with_errors_keeps_everything_typed(client_for, deal, theme_manager):
    report = started(deal, "1110", theme_manager)
    typed = "Nieuwe tekst die niet verloren mag gaan"
    data = form_data(report, progress=typed, risks="Stikstof", expected_end="2024-06-30", planning_change_reason="")

    response = client_for(theme_manager).post(url("report-edit", report), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "geef de reden van de verschuiving" in page
    assert typed in page and "Stikstof" in page and "2024-06-30" in page
    report.refresh_from_db()
    assert report.progress != typed


def test_second_save_of_stale_form_is_refused_and_shows_their_text(client_for, deal, theme_manager, coordinator):
    report = started(deal, "1110", theme_manager)
    stale_form = form_data(report)  # both open the form at the same edit number
    report_update(report=report, user=coordinator, data={"risks": "Tekst van de coördinator"}, lock_version=1)
    client = client_for(theme_manager)

    response = client.post(url("report-edit", report), {**stale_form, "risks": "Mijn eigen risicotekst"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "intussen door Carla" in page and "niet opgeslagen" in page
    assert "Mijn eigen risicotekst" in page  # their text, back in the form
    assert "Tekst van de coördinator" in page  # and the saved version next to it
    report.refresh_from_db()
    assert report.risks == "Tekst van de coördinator"

    # The form now carries the new edit number: saving again is a deliberate overwrite.
    form = response.context["form"]
    assert int(form["lock_version"].value()) == report.lock_version
    client.post(url("report-edit", report), {**stale_form, "risks": "Mijn eigen risicotekst", "lock_version": 2})
    report.refresh_from_db()
    assert report.risks == "Mijn eigen risicotekst"


def test_history_page_shows_who_when_and_a_readable_diff(client_for, deal, theme_manager):
    report = started(deal, "1110", theme_manager)
    old_first_line = report.results.splitlines()[0]
    new_results = "\n".join(["Nieuw resultaat", *report.results.splitlines()[1:]])
    report_update(report=report, user=theme_manager, data={"results": new_results}, lock_version=1)

    page = client_for(theme_manager).get(url("report-history", report)).content.decode()

    assert "Nanke Kraehe" in page
    assert f"<del>{old_first_line}</del>" in page.replace("&#x27;", "'").replace("’", "’")
    assert "<ins>Nieuw resultaat</ins>" in page
    assert "Resultaten" in page


def test_project_page_shows_reports_planning_and_status_history(client_for, deal, steering):
    page = client_for(steering).get(reverse("projects:project-detail", args=["cleantech", "1110"])).content.decode()
    assert "Voortgangsverslagen" in page
    assert "Kleine vertraging" in page
    assert "Statusgeschiedenis" in page
    assert "Verslag starten" not in page


def test_project_page_offers_theme_manager_to_start_the_open_period(client_for, theme_manager):
    response = client_for(theme_manager).get(reverse("projects:project-detail", args=["cleantech", "1110"]))
    rows = response.context["progress"].periods
    assert [(row.period.name, row.can_start) for row in rows] == [("2022-1", False), ("2022-2", True)]


def test_period_overview_shows_who_is_missing(client_for, deal, theme_manager, coordinator):
    report_submit(report=started(deal, "1110", theme_manager), user=theme_manager)
    started(deal, "1120", theme_manager)

    response = client_for(coordinator).get(reverse("projects:period-detail", args=["cleantech", "2022-2"]))

    overview = response.context["overview"]
    states = {row.project.code: row.label for row in overview.rows}
    assert states["1110"] == "Ingediend" and states["1120"] == "Concept" and states["1130"] == "Ontbreekt"
    assert "2110" not in states  # reported finished in 2022-1, owes nothing more
    first = overview.programmes[0]
    assert (first.programme.code, first.expected, first.submitted, first.draft, first.missing) == ("1100", 5, 1, 1, 3)
    # All 26 projects owe a verslag except 2110 (seed: "Het project is gereed"): 25; of those 1110 is
    # submitted and 1120 a concept, so 23 are missing.
    assert (overview.total.expected, overview.total.missing) == (25, 23)

    missing = client_for(coordinator).get(
        reverse("projects:period-detail", args=["cleantech", "2022-2"]), {"toon": "ontbreekt"}
    )
    assert "1130" in {row.project.code for row in missing.context["overview"].rows}
    assert "1110" not in {row.project.code for row in missing.context["overview"].rows}


def test_period_overview_query_count_does_not_grow_with_reports(
    client_for, deal, theme_manager, coordinator, django_assert_max_num_queries
):
    client = client_for(coordinator)
    path = reverse("projects:period-detail", args=["cleantech", "2022-2"])
    client.get(path)  # session and roles warm
    with django_assert_max_num_queries(9):
        client.get(path)
    for code in ["1110", "1120", "1130", "1310"]:
        started(deal, code, coordinator)
    with django_assert_max_num_queries(9):
        client.get(path)


def test_project_progress_selector_query_count_does_not_grow_with_periods(
    deal, theme_manager, steering, django_assert_num_queries
):
    # The project page also gets finance and indicator sections; this counts the verslag part only.
    project = started(deal, "1110", theme_manager).project
    with django_assert_num_queries(5):
        project_progress(project=project, user=theme_manager)
    ReportingPeriod.objects.create(
        deal=deal,
        name="2023-1",
        start=date(2023, 1, 1),
        end=date(2023, 7, 1),
        reference_date=date(2023, 7, 1),
        deadline=date(2023, 9, 1),
    )
    started(deal, "1110", theme_manager, name="2023-1")
    with django_assert_num_queries(5):
        progress = project_progress(project=project, user=theme_manager)
    assert [row.period.name for row in progress.periods] == ["2022-1", "2022-2", "2023-1"]
    with django_assert_num_queries(4):
        progress = project_progress(project=project, user=steering)
    assert [row.period.name for row in progress.periods] == ["2022-1"]


def test_report_list_query_count(client_for, deal, theme_manager, django_assert_max_num_queries):
    for code in ["1110", "1120", "1130"]:
        started(deal, code, theme_manager)
    client = client_for(theme_manager)
    client.get(reverse("projects:report-list"))
    # 7, and since the list shows the verslagen still to start: the deal's work date, the periods
    # owed a verslag, and one query per such period (not per project).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("projects:report-list"))
    assert [r.project.code for r in response.context["tasks"]] == ["1110", "1120", "1130"]


def test_coordinator_worklist_shows_submitted_reports(client_for, deal, theme_manager, coordinator):
    report_submit(report=started(deal, "1110", theme_manager), user=theme_manager)
    started(deal, "1120", theme_manager)
    response = client_for(coordinator).get(reverse("projects:report-list"))
    assert [r.project.code for r in response.context["tasks"]] == ["1110"]


def test_nav_shows_verslagen_and_periodes_by_role(client_for, theme_manager, lead, kassier):
    def nav(user):
        return client_for(user).get(reverse("home")).content.decode()

    assert 'href="/verslagen/"' in nav(theme_manager) and 'href="/periodes/"' in nav(theme_manager)
    assert 'href="/verslagen/"' in nav(lead) and 'href="/periodes/"' not in nav(lead)
    assert 'href="/verslagen/"' not in nav(kassier)


def test_correction_from_the_detail_page_opens_a_new_version(client_for, theme_manager):
    approved = ProgressReport.objects.get(project__code="1110", period__name="2022-1")
    response = client_for(theme_manager).post(url("report-correct", approved))
    correction = ProgressReport.objects.get(project__code="1110", period__name="2022-1", revision=2)
    assert response["Location"] == url("report-edit", correction)
