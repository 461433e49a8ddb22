"""What waits for each role on the start page: the counts on the demo, how they move, the
scope per deal, and that each count stays one query however large the deal grows.

The demo deal (cleantech) has reporting periods 2022-1 (every verslag approved) and 2022-2
(none written), deadline 1 March 2023. The clock says later, so the deal's work date is its
newest ijkdatum, 1 January 2023: 2022-2 has ended (verslagen to start) but its deadline has not
passed (nothing late).
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from finance.findings import deal_findings
from finance.models import Booking, Tranche
from finance.services import tranche_approve, tranche_register, tranche_reject
from monitoring.models import Indicator, Measurement
from monitoring.services import measurement_create
from projects import roles
from projects.models import Deal, ProgressReport, Project, ReportingPeriod
from projects.services import report_start, report_submit
from projects.worklist import work_context, work_for, work_total
from projects.worklist_items import reports_to_start
from reports.models import PublishedReport
from tests.conftest import make_user

WORK_DATE = date(2023, 1, 1)  # the demo's newest ijkdatum (period 2022-2)


def counts(user) -> dict[str, int]:
    return {item.label: item.count for item in work_for(user)}


def funder_of(project: Project):
    """A funder with a begroting on this project, so a small tranche stays within it."""
    return Booking.objects.filter(project=project, kind="begroting").select_related("funder").first().funder


def project(deal, code: str) -> Project:
    return Project.objects.get(deal=deal, code=code)


# The demo, per role --------------------------------------------------------------------


def test_demo_deal_is_measured_on_its_newest_ijkdatum(deal, coordinator):
    context = work_context(coordinator, timezone.localdate())
    assert context.work_date(deal.pk) == WORK_DATE
    # Before that ijkdatum the deal simply works on today.
    assert work_context(coordinator, date(2022, 10, 1)).work_date(deal.pk) == date(2022, 10, 1)


def test_theme_manager_on_the_demo(theme_manager):
    # Actielijn 1 (Cleantech Werkt) has eleven projects, 1110–1340, all "lopend", all started
    # before 2022-2 ended and none reported finished in 2022-1: eleven verslagen 2022-2 to start.
    # Their deadline (1 March 2023) lies after the work date: none late. All demo metingen are approved.
    assert counts(theme_manager) == {
        "Verslagen te starten": 11,
        "Verslagen in concept": 0,
        "Teruggestuurde verslagen": 0,
        "Verslagen te laat": 0,
        "Metingen in concept": 0,
    }


def test_lead_on_the_demo(lead):
    # The demo penvoerder leads 1310 only; a penvoerder enters no metingen (monitoring.permissions).
    assert counts(lead) == {
        "Verslagen te starten": 1,
        "Verslagen in concept": 0,
        "Teruggestuurde verslagen": 0,
        "Verslagen te laat": 0,
    }
    item = work_for(lead)[0]
    assert item.url == reverse("projects:project-detail", args=["cleantech", "1310"]) + "#verslagen"


def test_coordinator_on_the_demo(deal, coordinator):
    # Still "lopend" with a planned end before 1 January 2023: 1150, 1320, 1340 (31-12-2022),
    # 2110 (30-06-2022), 2130 (31-10-2022), 2150 (31-03-2022), 2160 (30-11-2022), 2310 (31-12-2022).
    # Nothing submitted, no concept metingen; the findings are deal_findings' at the work date.
    findings = len(deal_findings(deal=deal, as_of=WORK_DATE, today=timezone.localdate()))
    assert findings > 0
    assert counts(coordinator) == {
        "Projecten voorbij hun einddatum, nog lopend": 8,
        "Bevindingen in de financiën": findings,
        "Verslagen te beoordelen": 0,
        "Metingen te beoordelen": 0,
    }
    past_end = next(i for i in work_for(coordinator) if i.label.startswith("Projecten"))
    assert "1 januari 2023" in past_end.detail
    assert past_end.url.endswith(f"&deal__id__exact={deal.pk}&end__lt=2023-01-01")  # Beheer, the same 8


def test_kassier_and_controller_on_the_demo(kassier, controller):
    # Every demo tranche is approved: nothing rejected, nothing waiting.
    assert counts(kassier) == {
        "Afgewezen tranches om te herstellen": 0,
        "Door u geregistreerde tranches wachten op goedkeuring": 0,
    }
    assert counts(controller) == {"Tranches wachten op uw besluit": 0}


def test_steering_on_the_demo(steering):
    # No published version in the demo; findings are not the stuurgroep's (finance.permissions).
    assert counts(steering) == {"Nieuwe versies van de voortgangsrapportage (laatste 30 dagen)": 0}


# Counts move with the work -------------------------------------------------------------


def test_registering_and_deciding_a_tranche_moves_the_counts(deal, kassier, controller):
    target = project(deal, "1110")
    tranche = tranche_register(
        project=target, funder=funder_of(target), amount=Decimal("100.00"), date=date(2022, 12, 1), user=kassier
    )
    assert counts(controller)["Tranches wachten op uw besluit"] == 1
    assert counts(kassier)["Door u geregistreerde tranches wachten op goedkeuring"] == 1
    item = work_for(controller)[0]
    assert item.url == reverse("finance:tranche-detail", args=[deal.code, tranche.pk])
    assert "wacht 0 dagen" in item.detail
    tranche_approve(tranche=tranche, user=controller)
    assert counts(controller)["Tranches wachten op uw besluit"] == 0
    assert counts(kassier)["Door u geregistreerde tranches wachten op goedkeuring"] == 0


def test_controller_sees_the_oldest_wait_and_not_his_own_registrations(deal, kassier, controller):
    target = project(deal, "1110")
    funder = funder_of(target)
    old = tranche_register(project=target, funder=funder, amount=Decimal("10.00"), date=date(2022, 12, 1), user=kassier)
    tranche_register(project=target, funder=funder, amount=Decimal("20.00"), date=date(2022, 12, 2), user=kassier)
    Tranche.objects.filter(pk=old.pk).update(registered_at=timezone.now() - timedelta(days=12))
    item = work_for(controller)[0]
    assert item.count == 2
    assert "De oudste wacht 12 dagen" in item.detail
    assert item.url == reverse("finance:tranche-list", args=[deal.code]) + "?wacht-sort=registered_at"
    # The controller who registered them (four eyes) would not see them: the kassier is not a controller,
    # so pretend with the registrant field.
    Tranche.objects.filter(project=target, status=Tranche.Status.PENDING).update(registered_by=controller)
    assert counts(controller)["Tranches wachten op uw besluit"] == 0


def test_a_rejected_tranche_waits_until_registered_again(deal, kassier, controller):
    target = project(deal, "1110")
    funder = funder_of(target)
    tranche = tranche_register(
        project=target, funder=funder, amount=Decimal("100.00"), date=date(2022, 12, 1), user=kassier
    )
    tranche_reject(tranche=tranche, user=controller, reason="Verkeerd bedrag")
    assert counts(kassier)["Afgewezen tranches om te herstellen"] == 1
    assert work_for(kassier)[0].url == reverse("finance:tranche-detail", args=[deal.code, tranche.pk])
    tranche_register(project=target, funder=funder, amount=Decimal("90.00"), date=date(2022, 12, 1), user=kassier)
    assert counts(kassier)["Afgewezen tranches om te herstellen"] == 0


def test_starting_and_submitting_a_verslag_moves_the_counts(deal, theme_manager, coordinator):
    period = ReportingPeriod.objects.get(deal=deal, name="2022-2")
    report = report_start(project=project(deal, "1110"), period=period, user=theme_manager)
    assert counts(theme_manager)["Verslagen te starten"] == 10
    assert counts(theme_manager)["Verslagen in concept"] == 1
    report_submit(report=report, user=theme_manager)
    assert counts(theme_manager)["Verslagen in concept"] == 0
    assert counts(coordinator)["Verslagen te beoordelen"] == 1
    item = next(i for i in work_for(coordinator) if i.label == "Verslagen te beoordelen")
    assert item.url == reverse("projects:report-detail", args=[deal.code, report.pk])


def test_after_the_deadline_the_missing_verslagen_are_late(deal, theme_manager):
    # A later period moves the deal's work date past the 2022-2 deadline (1 March 2023).
    ReportingPeriod.objects.create(
        deal=deal,
        name="2023-1",
        start=date(2023, 1, 1),
        end=date(2023, 7, 1),
        reference_date=date(2023, 7, 1),
        deadline=date(2023, 9, 1),
    )
    found = counts(theme_manager)
    assert found["Verslagen te laat"] == 11  # 2022-2; 2023-1's deadline has not passed on 1 July 2023
    assert found["Verslagen te starten"] == 22
    # The count's subquery and the list behind it (expected_projects per period) agree.
    rows = reports_to_start(theme_manager)
    assert len(rows) == 22 and sum(row.late for row in rows) == 11
    late = next(i for i in work_for(theme_manager) if i.label == "Verslagen te laat")
    assert not late.in_total and "1 juli 2023" in late.detail


def test_a_concept_meting_waits_for_writer_and_coordinator(deal, theme_manager, coordinator):
    indicator = Indicator.objects.filter(
        deal=deal, level=Indicator.Level.PROJECT, project__programme__action_line__code="1", is_quantitative=True
    ).first()
    measurement_create(indicator=indicator, user=theme_manager, date=date(2022, 12, 30), value=Decimal("3"))
    assert counts(theme_manager)["Metingen in concept"] == 1
    assert counts(coordinator)["Metingen te beoordelen"] == 1


def test_a_version_published_this_month_waits_for_the_stuurgroep(deal, steering, coordinator):
    def publish(version):
        return PublishedReport.objects.create(
            deal=deal, version=version, as_of=WORK_DATE, published_by=coordinator, pdf=b"", json=b""
        )

    publish(901)
    old = publish(902)
    PublishedReport.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=31))
    item = work_for(steering)[0]
    assert item.count == 1
    assert item.url == reverse("reports:published-list", args=[deal.code])


# One deal's work never shows in another --------------------------------------------------


@pytest.fixture
def second_deal(db) -> Deal:
    return Deal.objects.get(code="synth-2-1")


def test_another_deals_work_never_shows(deal, second_deal, kassier, controller, theme_manager):
    before = {name: counts(User.objects.get(username=name)) for name in ("controller_b", "coordinator_b")}
    target = project(deal, "1110")
    tranche_register(
        project=target, funder=funder_of(target), amount=Decimal("5.00"), date=date(2022, 12, 1), user=kassier
    )
    report_start(project=target, period=ReportingPeriod.objects.get(deal=deal, name="2022-2"), user=theme_manager)
    for name, found in before.items():
        user = User.objects.get(username=name)
        assert counts(user) == found
        assert all(deal.code not in item.url for item in work_for(user))
    assert counts(controller)["Tranches wachten op uw besluit"] == 1
    assert all(second_deal.code not in item.url for item in work_for(controller))


# One query per list ------------------------------------------------------------------------


def _queries(user) -> int:
    user = User.objects.get(pk=user.pk)  # a fresh user: the role map is loaded again, as on every request
    with CaptureQueriesContext(connection) as captured:
        work_for(user)
    return len(captured)


def _grow(deal, kassier, lead, coordinator, number: int = 5) -> None:
    """Five more projects in programme 1100, each late, led by the demo penvoerder, with a verslag,
    tranches waiting and rejected, and a concept meting."""
    programme = deal.programmes.get(code="1100")
    funder = funder_of(project(deal, "1110"))
    period = ReportingPeriod.objects.get(deal=deal, name="2022-2")
    states = [ProgressReport.State.DRAFT, ProgressReport.State.RETURNED, ProgressReport.State.SUBMITTED]
    for n in range(number):
        extra = Project.objects.create(
            deal=deal,
            programme=programme,
            code=f"19{n}0",
            name=f"Extra {n}",
            start=date(2021, 1, 1),
            end=date(2022, 6, 30),
        )
        extra.lead_users.add(lead)
        if n < len(states):
            returned = states[n] == ProgressReport.State.RETURNED
            ProgressReport.objects.create(
                project=extra, period=period, state=states[n], return_reason="Aanvullen" if returned else ""
            )
        for number_, status in enumerate([Tranche.Status.PENDING, Tranche.Status.REJECTED], start=1):
            Tranche.objects.create(
                project=extra,
                funder=funder,
                number=number_,
                amount=Decimal("10.00"),
                date=date(2022, 12, 1),
                status=status,
                registered_by=kassier,
                rejection_reason="Fout" if status == Tranche.Status.REJECTED else "",
            )
        indicator = Indicator.objects.create(
            deal=deal, level=Indicator.Level.PROJECT, project=extra, code=f"X{n}", name=f"Extra {n}"
        )
        Measurement.objects.create(
            indicator=indicator, date=date(2022, 12, 31), value=Decimal("1"), entered_by=coordinator
        )


@pytest.mark.parametrize(
    ("persona", "queries"),
    [
        # role map + deals with work dates, then per provider: writers 2 (periods, open verslagen) + metingen 1;
        # penvoerder 2; kassier 1; controller 1; stuurgroep 1 (versions);
        # coordinator 2 + metingen 1 + findings (deals 1, deal_findings 8 for the demo deal).
        ("theme_manager", 5),
        ("lead", 4),
        ("kassier", 3),
        ("controller", 3),
        ("steering", 3),
        ("coordinator", 14),
    ],
)
def test_query_count_does_not_grow_with_the_deal(request, django_assert_num_queries, deal, persona, queries):
    user = request.getfixturevalue(persona)
    fresh = User.objects.get(pk=user.pk)
    with django_assert_num_queries(queries):
        work_for(fresh)
    before = counts(user)
    _grow(
        deal,
        request.getfixturevalue("kassier"),
        request.getfixturevalue("lead"),
        request.getfixturevalue("coordinator"),
    )
    assert _queries(user) == queries
    assert counts(user) != before or persona == "steering"  # the new work is counted, with the same queries


# The start page and the lists behind it ---------------------------------------------------


def test_start_page_shows_what_waits_with_a_badge(client_for, theme_manager):
    page = client_for(theme_manager).get(reverse("home")).content.decode()
    assert "Wat op u wacht" in page
    assert 'class="badge nav-count">11<' in page
    assert page.index("Verslagen te starten") < page.index("Verslagen in concept")  # waiting items first
    assert "Er wacht nu niets op u" not in page


def test_start_page_says_when_nothing_waits_and_shows_no_badge(client_for, kassier):
    page = client_for(kassier).get(reverse("home")).content.decode()
    assert "Er wacht nu niets op u" in page
    assert "nav-count" not in page


def test_the_list_behind_te_starten_holds_the_same_verslagen(client_for, theme_manager, deal):
    rows = reports_to_start(theme_manager)
    assert len(rows) == 11
    assert {row.project.code for row in rows} == set(
        Project.objects.filter(deal=deal, programme__action_line__code="1").values_list("code", flat=True)
    )
    page = client_for(theme_manager).get(reverse("projects:report-list")).content.decode()
    assert 'id="te-starten"' in page and page.count("Verslag starten<") == 11
    assert work_total(work_for(theme_manager)) == 11


def test_the_start_page_names_the_roles_as_a_person_would(client_for, deal):
    user = make_user("kassier_en_stuurgroep", roles.KASSIER, roles.STEERING)
    page = client_for(user).get("/").content.decode()
    assert '<p class="lead">U bent kassier en lid van de stuurgroep.</p>' in page
