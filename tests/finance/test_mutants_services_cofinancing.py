"""Kills the mutants of finance/services_cofinancing.py that the suite let live (docs/mutation-testing.md)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from finance.models import DirectCoFinancing
from finance.services_cofinancing import cofinancing_pledge, cofinancing_realise
from projects import roles
from projects.models import Deal, Project

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 bewijs"
DAY = datetime.timedelta(days=1)
NOT_ALLOWED = "Alleen de coördinator of de penvoerder van het project legt cofinanciering buiten de kassier vast."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def project(deal) -> Project:
    return Project.objects.get(deal=deal, code="1310")


@pytest.fixture
def gelderland(deal):
    return deal.funders.get(name="Provincie Gelderland")


def pledge(project, funder, user, **changes) -> DirectCoFinancing:
    values = {"amount": Decimal("25000.00"), "pledged_on": project.deal.start + 40 * DAY}
    values.update(changes)
    return cofinancing_pledge(project=project, funder=funder, user=user, **values)


def refused(call, *args, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.message_dict


def dmy(day: datetime.date) -> str:
    return f"{day:%d-%m-%Y}"


def stored_document(item: DirectCoFinancing) -> bytes:
    item.refresh_from_db()
    with item.evidence_document.open("rb") as document:
        return document.read()


# ----------------------------------------------------------------------------- cofinancing_pledge


def test_a_pledge_hears_every_wrong_field_at_once(deal, project, coordinator):
    tomorrow = timezone.localdate() + DAY
    elsewhere = Deal.objects.get(code="synth-2-1").funders.exclude(category="rijk").first()
    assert refused(pledge, project, elsewhere, coordinator, amount=Decimal("0.00"), pledged_on=tomorrow) == {
        "funder": ["Deze cofinancier hoort bij een andere deal."],
        "amount": ["Het bedrag moet groter dan nul zijn."],
        "pledged_on": [f"De datum van de toezegging ({dmy(tomorrow)}) ligt in de toekomst."],
    }
    assert refused(pledge, project, deal.funders.get(name="Rijk"), coordinator) == {
        "funder": ["De bijdrage van het Rijk loopt via de regiokassier: registreer een tranche."]
    }
    assert not DirectCoFinancing.objects.filter(project=project).exists()


def test_a_realised_pledge_is_refused_with_the_exact_reason(project, gelderland, coordinator):
    start, tomorrow = project.deal.start, timezone.localdate() + DAY
    pledged_on = start + 40 * DAY

    def wrong(**changes):
        return refused(pledge, project, gelderland, coordinator, **{"evidence_reference": "Brief", **changes})

    assert wrong(before_deal_start=True) == {
        "realised_on": ["Een investering van vóór de deal is al gedaan: geef de datum."]
    }
    assert wrong(realised_on=tomorrow) == {
        "realised_on": [f"De datum van realisatie ({dmy(tomorrow)}) ligt in de toekomst."]
    }
    # Before the deal but not marked so, and before the pledge too: the first reason is the one told.
    assert wrong(realised_on=start - DAY) == {
        "realised_on": [
            f"{dmy(start - DAY)} ligt vóór de start van de deal ({dmy(start)}); "
            "vink 'investering van vóór de deal' aan als dat zo bedoeld is."
        ]
    }
    assert wrong(before_deal_start=True, pledged_on=start - DAY, realised_on=start) == {
        "realised_on": [f"Een investering van vóór de deal ligt vóór de start ({dmy(start)})."]
    }
    assert wrong(realised_on=pledged_on - DAY) == {"realised_on": ["De realisatie ligt vóór de toezegging."]}
    assert wrong(realised_on=pledged_on, evidence_reference="  ") == {
        "evidence_reference": ["Gerealiseerde cofinanciering heeft bewijs nodig: een kenmerk of een document."]
    }
    assert wrong(realised_on=pledged_on, evidence_document=SimpleUploadedFile("bewijs.exe", b"MZ")) == {
        "evidence_document": [
            "Bestand 'bewijs.exe' heeft een niet toegestaan type; kies een pdf, docx, xlsx, jpg of png."
        ]
    }
    assert not DirectCoFinancing.objects.filter(project=project).exists()


def test_the_boundary_days_and_the_smallest_amount_are_allowed(project, gelderland, coordinator):
    start, today = project.deal.start, timezone.localdate()
    # Pledged and realised today, for one euro.
    one = pledge(
        project,
        gelderland,
        coordinator,
        amount=Decimal("1.00"),
        pledged_on=today,
        realised_on=today,
        evidence_reference="Brief",
    )
    # Realised on the deal's first day, or (marked as before the deal) on the day before it.
    first_day = pledge(project, gelderland, coordinator, pledged_on=start, realised_on=start, evidence_reference="x")
    before = pledge(
        project,
        gelderland,
        coordinator,
        pledged_on=start - DAY,
        realised_on=start - DAY,
        before_deal_start=True,
        evidence_reference="Jaarrekening",
    )
    assert [(i.amount, i.status, i.realised_on) for i in (one, first_day, before)] == [
        (Decimal("1.00"), "gerealiseerd", today),
        (Decimal("25000.00"), "gerealiseerd", start),
        (Decimal("25000.00"), "gerealiseerd", start - DAY),
    ]


def test_a_pledge_records_what_was_entered_and_who(project, gelderland, lead):
    start = project.deal.start
    plain = pledge(project, gelderland, lead)
    assert (
        plain.status,
        plain.realised_on,
        plain.realised_by,
        plain.before_deal_start,
        plain.evidence_reference,
        plain.evidence_document.name,
        plain.note,
        plain.created_by,
    ) == ("toegezegd", None, None, False, "", "", "", lead)
    assert plain.history.get().history_user == lead

    old = pledge(
        project,
        gelderland,
        lead,
        pledged_on=start - 700 * DAY,
        realised_on=start - 600 * DAY,
        before_deal_start=True,
        evidence_reference="  Jaarrekening 2019 ",
        note=" Investering hal ",
    )
    assert (old.status, old.realised_by, old.before_deal_start, old.evidence_reference, old.note) == (
        "gerealiseerd",
        lead,
        True,
        "Jaarrekening 2019",
        "Investering hal",
    )
    # Realised at once with a document as the only evidence: the document is kept.
    documented = pledge(
        project,
        gelderland,
        lead,
        realised_on=start + 50 * DAY,
        evidence_document=SimpleUploadedFile("toezegging.pdf", PDF),
    )
    assert (documented.status, documented.realised_by, documented.evidence_reference) == ("gerealiseerd", lead, "")
    assert stored_document(documented) == PDF


def test_who_may_not_enter_cofinancing_hears_why(project, gelderland, coordinator):
    coordinator_b = User.objects.get(username="coordinator_b")  # coordinator of the second demo deal
    with pytest.raises(PermissionDenied) as caught:
        pledge(project, gelderland, coordinator_b)
    assert str(caught.value) == NOT_ALLOWED
    item = pledge(project, gelderland, coordinator)
    with pytest.raises(PermissionDenied) as caught:
        cofinancing_realise(
            item=item, realised_on=project.deal.start + 60 * DAY, user=coordinator_b, evidence_reference="x"
        )
    assert str(caught.value) == NOT_ALLOWED


# ----------------------------------------------------------------------------- cofinancing_realise


def test_realising_records_the_date_the_evidence_and_who(project, gelderland, coordinator, lead):
    start = project.deal.start
    item = pledge(project, gelderland, coordinator, evidence_reference="Brief 12")
    day = item.pledged_on  # realised on the day of the pledge itself
    realised = cofinancing_realise(item=item, realised_on=day, user=lead, evidence_reference="  Bankafschrift 7 ")
    assert (realised.status, realised.realised_on, realised.realised_by, realised.evidence_reference) == (
        "gerealiseerd",
        day,
        lead,
        "Bankafschrift 7",
    )
    assert realised.history.order_by("history_id").last().history_user == lead

    # A document alone as evidence keeps the reference given with the pledge.
    other = pledge(project, gelderland, coordinator, evidence_reference="Brief 13")
    done = cofinancing_realise(
        item=other, realised_on=start + 90 * DAY, user=lead, evidence_document=SimpleUploadedFile("ontvangst.pdf", PDF)
    )
    assert (done.status, done.evidence_reference) == ("gerealiseerd", "Brief 13")
    assert stored_document(done) == PDF


def test_a_realisation_is_refused_with_the_exact_reason(project, gelderland, coordinator):
    start, tomorrow = project.deal.start, timezone.localdate() + DAY
    item = pledge(project, gelderland, coordinator)
    pledged_on = item.pledged_on

    def wrong(target, day):
        return refused(cofinancing_realise, item=target, realised_on=day, user=coordinator, evidence_reference="x")

    assert wrong(item, tomorrow) == {"realised_on": [f"De datum van realisatie ({dmy(tomorrow)}) ligt in de toekomst."]}
    assert wrong(item, pledged_on - DAY) == {
        "realised_on": [f"De realisatie ligt vóór de toezegging ({dmy(pledged_on)})."]
    }
    # Before the deal (not marked so) and before the pledge: the first reason is the one told.
    assert wrong(item, start - DAY) == {
        "realised_on": [
            f"{dmy(start - DAY)} ligt vóór de start van de deal ({dmy(start)}); "
            "vink 'investering van vóór de deal' aan als dat zo bedoeld is."
        ]
    }
    day = start + 90 * DAY
    cofinancing_realise(item=item, realised_on=day, user=coordinator, evidence_reference="x")
    assert wrong(item, day) == {"realised_on": [f"Deze cofinanciering is al gerealiseerd op {dmy(day)}."]}


def test_realising_reads_the_item_with_its_project_and_deal_in_one_query(
    project, gelderland, coordinator, django_assert_num_queries
):
    item = pledge(project, gelderland, coordinator)
    assert roles.has_role(coordinator, project.deal, roles.COORDINATOR)  # the role map is read (and cached) first
    stale = DirectCoFinancing.objects.get(pk=item.pk)  # nothing of its project loaded
    # A savepoint, the locked item with its project and deal (one query), full_clean (four foreign keys, two
    # constraints in a savepoint each: 10), the update, its history row and the release: 15. Without the
    # select_related the project and the deal come one query each.
    with django_assert_num_queries(15):
        realised = cofinancing_realise(
            item=stale, realised_on=project.deal.start + 90 * DAY, user=coordinator, evidence_reference="x"
        )
    assert realised.project.deal.code == "cleantech"
