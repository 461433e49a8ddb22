from django.core.management import call_command
from django.db.models import Sum

from finance.models import Booking, Tranche
from monitoring.models import Indicator, Measurement
from projects.models import Deal, ProgressReport
from reports.synthetic import generate_synthetic


def ledger(deal):
    return list(
        Booking.objects.filter(deal=deal)
        .values("project__code", "funder__name", "kind")
        .annotate(total=Sum("amount"))
        .order_by("project__code", "funder__name", "kind")
    )


def test_same_seed_gives_same_data(db):
    first = generate_synthetic(deals=1, projects_per_deal=8, bookings_per_project=10, seed=7)
    snapshot = ledger(first.deals[0])
    again = generate_synthetic(deals=1, projects_per_deal=8, bookings_per_project=10, seed=7)
    assert again.deals[0].pk == first.deals[0].pk
    assert ledger(again.deals[0]) == snapshot


def test_synthetic_deal_has_realistic_shape(db):
    result = generate_synthetic(deals=2, projects_per_deal=12, bookings_per_project=12, seed=3)
    assert len(result.deals) == 2
    for deal in result.deals:
        assert deal.projects.count() == 12
        assert 10 <= deal.funders.count() <= 20
        assert deal.action_lines.count() >= 2
        assert set(deal.funders.values_list("category", flat=True)) == {"rijk", "publiek", "overig"}
        assert Booking.objects.filter(deal=deal).count() >= 12 * 12
        assert deal.reporting_periods.count() == 1
        assert ProgressReport.objects.filter(project__deal=deal, state="goedgekeurd").count() == 12
        assert Indicator.objects.filter(deal=deal, level="project").count() == 12
        assert Measurement.objects.filter(indicator__deal=deal).count() == 24
        # Every approved tranche is one uitkering booking.
        assert (
            Tranche.objects.filter(project__deal=deal).count()
            == Booking.objects.filter(deal=deal, kind="uitkering").count()
        )


def test_command_prints_what_it_made(db, capsys):
    call_command(
        "generate_synthetic", "--deals", "1", "--projects-per-deal", "5", "--bookings-per-project", "6", "--seed", "11"
    )
    assert Deal.objects.filter(code="synth-11-1").exists()
    assert "5 projecten" in capsys.readouterr().out
