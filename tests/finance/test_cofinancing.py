"""Co-financing that never passes the regiokassier: toegezegd -> gerealiseerd, with evidence, outside the ledger."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import post_save
from django.utils import timezone

from finance.findings import deal_findings
from finance.models import Booking, DirectCoFinancing, Tranche
from finance.selectors import Figures, project_funder_figures
from finance.selectors_cofinancing import deal_cofinancing, project_cofinancing, project_cofinancing_total
from finance.services_cofinancing import cofinancing_pledge, cofinancing_realise
from projects import roles
from projects.models import Deal, Project
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 toezegging"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def project(deal) -> Project:
    return Project.objects.get(deal=deal, code="1310")


@pytest.fixture
def municipality(deal):
    """A public co-financier of the demo deal (not the Rijk)."""
    return deal.funders.exclude(category="rijk").order_by("order").first()


def pledge(project, funder, user, **changes) -> DirectCoFinancing:
    values = {"amount": Decimal("25000.00"), "pledged_on": project.deal.start + datetime.timedelta(days=40)}
    values.update(changes)
    return cofinancing_pledge(project=project, funder=funder, user=user, **values)


# ----------------------------------------------------------------------------- the service


def test_the_penvoerder_pledges_and_realises_with_evidence(project, municipality, lead):
    item = pledge(project, municipality, lead)
    assert (item.status, item.realised_on, item.created_by) == ("toegezegd", None, lead)

    day = project.deal.start + datetime.timedelta(days=90)
    cofinancing_realise(item=item, realised_on=day, user=lead, evidence_reference="Bankafschrift 2021-04")

    item.refresh_from_db()
    assert (item.status, item.realised_on, item.realised_by) == ("gerealiseerd", day, lead)
    assert item.history.count() == 2  # pledged, then realised: both in the history


def test_a_pledge_and_its_history_are_saved_together_or_not_at_all(project, municipality, lead):
    # The history row is written after the pledge (post_save); when that fails, no pledge may remain.
    def history_fails(**kwargs):
        raise RuntimeError("history down")

    post_save.connect(history_fails, sender=DirectCoFinancing, dispatch_uid="history_fails")
    try:
        with pytest.raises(RuntimeError):
            pledge(project, municipality, lead)
    finally:
        post_save.disconnect(dispatch_uid="history_fails", sender=DirectCoFinancing)
    assert not DirectCoFinancing.objects.filter(project=project, funder=municipality).exists()


def test_nothing_of_it_enters_the_ledger_nor_raises_a_finding(deal, project, municipality, coordinator):
    # 1310 x Provincie Gelderland in the demo (fixtures/cleantech.json): its share of programme 1300's
    # publiek, begroot (and toegekend) 268.680 and one tranche of 132.071 (528.283 of Tabel 6 over 4 projects).
    ledger = Figures(
        begroot=Decimal("268680.00"),
        gecommitteerd=Decimal("268680.00"),
        uitgekeerd=Decimal("132071.00"),
        besteed=Decimal("0.00"),
    )
    assert municipality.name == "Provincie Gelderland"
    assert project_funder_figures(project=project, funder=municipality) == ledger
    bookings, tranches = Booking.objects.count(), Tranche.objects.count()
    findings = len(deal_findings(deal=deal, as_of=datetime.date.max, today=timezone.localdate()))

    item = pledge(project, municipality, coordinator, amount=Decimal("9999999.00"))
    cofinancing_realise(
        item=item, realised_on=deal.start + datetime.timedelta(days=60), user=coordinator, evidence_reference="x"
    )

    assert project_funder_figures(project=project, funder=municipality) == ledger
    assert (Booking.objects.count(), Tranche.objects.count()) == (bookings, tranches)
    assert len(deal_findings(deal=deal, as_of=datetime.date.max, today=timezone.localdate())) == findings


def test_realising_needs_evidence_and_happens_once(project, municipality, coordinator):
    item = pledge(project, municipality, coordinator)
    day = project.deal.start + datetime.timedelta(days=90)
    with pytest.raises(ValidationError) as refused:
        cofinancing_realise(item=item, realised_on=day, user=coordinator)
    assert "bewijs" in refused.value.message_dict["evidence_reference"][0]

    document = SimpleUploadedFile("ontvangst.pdf", PDF)
    cofinancing_realise(item=item, realised_on=day, user=coordinator, evidence_document=document)
    with pytest.raises(ValidationError, match="al gerealiseerd"):
        cofinancing_realise(item=item, realised_on=day, user=coordinator, evidence_reference="nogmaals")


@pytest.mark.parametrize(
    "changes, field, fragment",
    [
        ({"amount": Decimal("0.00")}, "amount", "groter dan nul"),
        ({"pledged_on": "future"}, "pledged_on", "toekomst"),
        ({"realised_on": "before_start", "evidence_reference": "x"}, "realised_on", "vóór de start van de deal"),
        ({"before_deal_start": True}, "realised_on", "geef de datum"),
        (
            {"before_deal_start": True, "realised_on": "after_start", "evidence_reference": "x"},
            "realised_on",
            "vóór de start",
        ),
        ({"realised_on": "after_start"}, "evidence_reference", "bewijs"),
    ],
)
def test_a_pledge_is_refused_with_a_located_message(project, municipality, coordinator, changes, field, fragment):
    deal = project.deal
    days = {
        "future": timezone.localdate() + datetime.timedelta(days=10),
        "before_start": deal.start - datetime.timedelta(days=400),
        "after_start": deal.start + datetime.timedelta(days=50),
    }
    changes = {k: days.get(v, v) if isinstance(v, str) else v for k, v in changes.items()}
    with pytest.raises(ValidationError) as refused:
        pledge(project, municipality, coordinator, **changes)
    assert fragment in " ".join(refused.value.message_dict[field])
    assert not DirectCoFinancing.objects.filter(project__deal__code="cleantech").exists()


def test_an_investment_from_before_the_deal_counts_when_marked(project, municipality, coordinator):
    day = project.deal.start - datetime.timedelta(days=700)
    item = pledge(
        project, municipality, coordinator, pledged_on=day, before_deal_start=True, realised_on=day,
        evidence_reference="Jaarrekening 2019",
    )  # fmt: skip
    totals = project_cofinancing(project)[municipality.name]
    assert item.status == "gerealiseerd"
    amount = Decimal("25000.00")  # pledge()'s default
    assert (totals.realised, totals.before_deal, totals.pledged) == (amount, amount, Decimal("0.00"))


def test_the_rijk_share_is_not_direct_cofinancing(deal, project, coordinator):
    with pytest.raises(ValidationError, match="regiokassier"):
        pledge(project, deal.funders.get(name="Rijk"), coordinator)


def test_a_funder_of_another_deal_is_refused(project, coordinator):
    other = Deal.objects.get(code="synth-2-1").funders.exclude(category="rijk").first()
    with pytest.raises(ValidationError, match="andere deal"):
        pledge(project, other, coordinator)


@pytest.mark.parametrize("role", [roles.KASSIER, roles.CONTROLLER, roles.STEERING, roles.THEME_MANAGER])
def test_only_the_coordinator_and_the_projects_penvoerder_enter_it(project, municipality, role):
    with pytest.raises(PermissionDenied):
        pledge(project, municipality, make_user(f"iemand-{role}", role))


def test_the_penvoerder_of_another_project_cannot_enter_or_realise(deal, project, municipality, coordinator):
    other_lead = make_user("andere-penvoerder", roles.LEAD)
    Project.objects.get(deal=deal, code="1320").lead_users.add(other_lead)
    with pytest.raises(PermissionDenied):
        pledge(project, municipality, other_lead)
    item = pledge(project, municipality, coordinator)
    with pytest.raises(PermissionDenied):
        cofinancing_realise(
            item=item, realised_on=deal.start + datetime.timedelta(days=60), user=other_lead, evidence_reference="x"
        )


# ----------------------------------------------------------------------------- the figures


def test_totals_per_funder_and_per_project_in_one_query(
    deal, project, municipality, coordinator, django_assert_num_queries
):
    second = deal.funders.exclude(category="rijk").exclude(pk=municipality.pk).order_by("order").first()
    pledge(project, municipality, coordinator, amount=Decimal("100.00"))
    done = pledge(project, second, coordinator, amount=Decimal("40.00"))
    cofinancing_realise(
        item=done, realised_on=deal.start + datetime.timedelta(days=60), user=coordinator, evidence_reference="x"
    )
    for i in range(5):
        pledge(Project.objects.get(deal=deal, code="1320"), municipality, coordinator, amount=Decimal(i + 1))

    with django_assert_num_queries(1):
        per_funder = project_cofinancing(project)
    with django_assert_num_queries(1):
        per_project = deal_cofinancing(deal)

    assert list(per_funder) == [municipality.name, second.name]
    total = project_cofinancing_total(per_funder)
    assert (total.pledged, total.realised, total.count) == (Decimal("100.00"), Decimal("40.00"), 2)
    assert per_project[project.pk].total == Decimal("140.00")
    assert per_project[Project.objects.get(deal=deal, code="1320").pk].pledged == Decimal("15.00")


# ----------------------------------------------------------------------------- the page


def url(project, suffix=""):
    return f"/financien/{project.deal.code}/projecten/{project.code}/cofinanciering/{suffix}"


def test_the_penvoerder_pledges_in_the_browser_and_the_project_page_shows_it(client_for, project, municipality, lead):
    client = client_for(lead)
    response = client.post(
        url(project, "nieuw/"),
        {
            "funder": municipality.pk,
            "amount": "12500.50",
            "pledged_on": project.deal.start + datetime.timedelta(days=5),
        },
    )
    assert response.status_code == 302
    item = DirectCoFinancing.objects.get(project__deal__code="cleantech")
    assert (item.amount, item.created_by) == (Decimal("12500.50"), lead)

    html = client.get(f"/deals/{project.deal.code}/projecten/{project.code}/").content.decode()
    assert "Cofinanciering buiten de kassier" in html and "12.500,50" in html.replace("\u00a0", " ")


def test_a_refused_pledge_keeps_what_was_typed(client_for, project, municipality, coordinator):
    future = timezone.localdate() + datetime.timedelta(days=3)
    response = client_for(coordinator).post(
        url(project, "nieuw/"), {"funder": municipality.pk, "amount": "777.77", "pledged_on": future.isoformat()}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "ligt in de toekomst" in html
    assert 'value="777.77"' in html and not DirectCoFinancing.objects.filter(project__deal__code="cleantech").exists()


def test_realising_in_the_browser_with_a_document_that_only_readers_download(
    client_for, project, municipality, lead, coordinator
):
    item = pledge(project, municipality, coordinator)
    day = project.deal.start + datetime.timedelta(days=70)
    response = client_for(lead).post(
        url(project, f"{item.pk}/gerealiseerd/"),
        {f"r{item.pk}-realised_on": day.isoformat(), f"r{item.pk}-evidence_document": SimpleUploadedFile("b.pdf", PDF)},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "gerealiseerd" and item.evidence_document

    download = client_for(lead).get(url(project, f"{item.pk}/bewijs/"))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    outsider = make_user("buitenstaander")
    assert client_for(outsider).get(url(project, f"{item.pk}/bewijs/")).status_code == 404


def test_a_forged_id_of_another_project_is_404(client_for, deal, project, municipality, coordinator):
    elsewhere = pledge(Project.objects.get(deal=deal, code="1320"), municipality, coordinator)
    response = client_for(coordinator).post(
        url(project, f"{elsewhere.pk}/gerealiseerd/"),
        {f"r{elsewhere.pk}-realised_on": deal.start.isoformat(), f"r{elsewhere.pk}-evidence_reference": "x"},
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == "toegezegd"


def test_beheer_shows_it_read_only(client_for, project, municipality, coordinator):
    item = pledge(project, municipality, coordinator)
    client = client_for(coordinator)
    change = client.post(f"/beheer/finance/directcofinancing/{item.pk}/change/", {"amount": "1"})
    assert change.status_code in (302, 403)
    item.refresh_from_db()
    assert item.amount == Decimal("25000.00")
    assert client.get("/beheer/finance/directcofinancing/add/").status_code == 403
