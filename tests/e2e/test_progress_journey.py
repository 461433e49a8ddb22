"""Journey 1: a themalijnmanager updates a verslag for a new period and submits it; the
coordinator approves it."""

from projects.models import ProgressReport

# Project 1110's voortgang in the seed (cleantech.yaml, projecten), the text of its approved 2022-1 verslag.
VOORTGANG_1110 = (
    "Kleine vertraging door: (1) toezeggingen van de betrokken partijen bleven uit; TEC heeft de strategie om de "
    "bedrijven en het onderwijs te betrekken aangepast. (2) Profiel van TEC was onduidelijk, wat zorgde voor "
    "vertragingen van de PR-activiteiten. (3) Corona. Ze zijn nu bezig met werkpakket 2."
)


def test_theme_manager_submits_verslag_and_coordinator_approves(page, login):
    login("themalijnmanager")
    page.goto("/deals/cleantech/projecten/1110/")
    row = page.locator("tr", has_text="2022-2")
    row.get_by_role("button", name="Verslag starten").click()
    page.wait_for_load_state()
    # Prefilled from the approved 2022-1 verslag: nobody retypes what did not change.
    progress = page.get_by_label("Voortgang")
    assert progress.input_value().strip() == VOORTGANG_1110
    progress.fill("Werkpakket 2 is afgerond; de PR-activiteiten lopen weer volgens plan.")
    page.get_by_label("Resultaten").fill("Tweede techniekhub geopend\nVijftig bedrijven aangesloten")
    page.get_by_role("button", name="Opslaan en indienen").click()
    page.wait_for_load_state()
    report = ProgressReport.objects.get(project__code="1110", period__name="2022-2")
    assert report.state == ProgressReport.State.SUBMITTED
    assert "Vijftig bedrijven" in report.results
    page.goto(f"/deals/cleantech/verslagen/{report.pk}/")
    assert page.locator("main h1 + p .badge").inner_text() == "Ingediend"
    assert page.get_by_text("Vijftig bedrijven aangesloten").is_visible()

    # A project of Groene Groei is read-only for this themalijnmanager.
    page.goto("/deals/cleantech/projecten/2120/")
    assert page.get_by_role("button", name="Verslag starten").count() == 0

    login("coordinator")
    page.goto(f"/deals/cleantech/verslagen/{report.pk}/")
    page.get_by_role("button", name="Goedkeuren").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == ProgressReport.State.APPROVED
    assert page.locator("main h1 + p .badge").inner_text() == "Goedgekeurd"
    assert page.get_by_text("Dit verslag is goedgekeurd en staat vast.").is_visible()
