"""Journey 1: a themalijnmanager updates a verslag for a new period and submits it; the
coordinator approves it."""

from projects.models import ProgressReport


def test_theme_manager_submits_verslag_and_coordinator_approves(page, login):
    login("themalijnmanager")
    page.goto("/deals/cleantech/projecten/1110/")
    row = page.locator("tr", has_text="2022-2")
    row.get_by_role("button", name="Verslag starten").click()
    page.wait_for_load_state()
    # Prefilled from the approved 2022-1 verslag: nobody retypes what did not change.
    progress = page.get_by_label("Voortgang")
    assert progress.input_value().strip() != ""
    progress.fill("Werkpakket 2 is afgerond; de PR-activiteiten lopen weer volgens plan.")
    page.get_by_label("Resultaten").fill("Tweede techniekhub geopend\nVijftig bedrijven aangesloten")
    page.get_by_role("button", name="Opslaan en indienen").click()
    page.wait_for_load_state()
    report = ProgressReport.objects.get(project__code="1110", period__name="2022-2")
    assert report.state == ProgressReport.State.SUBMITTED
    assert "Vijftig bedrijven" in report.results

    # A project of Groene Groei is read-only for this themalijnmanager.
    page.goto("/deals/cleantech/projecten/2120/")
    assert page.get_by_role("button", name="Verslag starten").count() == 0

    login("coordinator")
    page.goto(f"/deals/cleantech/verslagen/{report.pk}/")
    page.get_by_role("button", name="Goedkeuren").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == ProgressReport.State.APPROVED
    assert "Goedgekeurd" in page.content()
