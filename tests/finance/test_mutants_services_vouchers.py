"""Kills the mutants of finance/services_vouchers.py that the suite let live (docs/mutation-testing.md)."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from finance.models_vouchers import Voucher
from finance.services_vouchers import lock_scheme, transition_error, voucher_create, voucher_set_status
from projects.models import Project

pytestmark = pytest.mark.django_db

S = Voucher.Status
# 1310's whole begroting in the demo, all funders: 143.751 + 268.680 + 120.571 + 37.613 + 127.388 = 698.003
# (see tests/finance/test_vouchers.py::begroot).
BEGROOT = Decimal("698003.00")


@pytest.fixture
def scheme(deal) -> Project:
    Project.objects.filter(deal=deal, code="1310").update(is_voucher_scheme=True)
    return Project.objects.get(deal=deal, code="1310")


@pytest.fixture
def day(deal) -> datetime.date:
    return deal.start + timedelta(days=30)


def create(scheme, user, day, *, amount="1000.00", status=S.REQUESTED, **extra) -> Voucher:
    return voucher_create(
        project=scheme,
        recipient=extra.pop("recipient", "Startup BV"),
        date=day,
        amount=Decimal(amount) if isinstance(amount, str) else amount,
        status=status,
        user=user,
        **extra,
    )


def errors_of(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def test_a_voucher_is_kept_as_entered_and_by_whom(scheme, lead, day):
    voucher = voucher_create(
        project=scheme,
        recipient="  Startup BV  ",
        date=day,
        amount=Decimal("1250.50"),
        user=lead,
        reference="  V-1  ",
        note="  Jong ondernemer  ",
    )
    voucher.refresh_from_db()
    assert (voucher.project, voucher.recipient, voucher.date, voucher.amount, voucher.status) == (
        scheme,
        "Startup BV",
        day,
        Decimal("1250.50"),
        S.REQUESTED,
    )
    assert (voucher.reference, voucher.note, voucher.created_by) == ("V-1", "Jong ondernemer", lead)
    assert voucher.history.get().history_user == lead
    # The kenmerk is compared after trimming: " V-1 " is the same kenmerk.
    assert errors_of(create, scheme=scheme, user=lead, day=day, reference=" V-1 ") == {
        "reference": ["Kenmerk 'V-1' is in deze regeling al gebruikt (voucher voor Startup BV)."]
    }
    plain = create(scheme, lead, day)
    assert (plain.reference, plain.note) == ("", "")
    moved = voucher_set_status(voucher=voucher, status=S.GRANTED, user=lead)
    assert moved.history.latest().history_user == lead
    assert Voucher.objects.get(pk=voucher.pk).status == S.GRANTED


def test_the_scheme_is_locked_with_its_deal_in_one_query(scheme, django_assert_num_queries):
    with django_assert_num_queries(1):  # the dates of the deal are checked on the locked row
        locked = lock_scheme(scheme)
        assert (locked.pk, locked.deal.code) == (scheme.pk, "cleantech")


def test_every_wrong_field_of_a_voucher_is_named_in_full(deal, coordinator):
    project = Project.objects.get(deal=deal, code="1310")  # not a voucher scheme
    errors = errors_of(
        voucher_create, project=project, recipient="  ", date=None, amount=None, status="betaald", user=coordinator
    )
    assert errors == {
        "project": ["Project 1310 is geen voucherregeling; alleen een voucherregeling heeft vouchers."],
        "recipient": ["Vul de ontvanger in (bedrijf of persoon)."],
        "amount": ["Het bedrag van een voucher moet groter dan nul zijn."],
        "date": ["Vul de aanvraagdatum in."],
        "status": ["Onbekende status 'betaald'; kies uit: aangevraagd, toegekend, uitbetaald, vervallen."],
    }
    assert not Voucher.objects.filter(project=project).exists()


def test_the_amount_is_a_decimal_above_zero(scheme, coordinator, day):
    for amount in (Decimal("0.00"), Decimal("-0.01"), 5, 5.0):
        assert errors_of(create, scheme=scheme, user=coordinator, day=day, amount=amount) == {
            "amount": ["Het bedrag van een voucher moet groter dan nul zijn."]
        }
    assert create(scheme, coordinator, day, amount="0.01").amount == Decimal("0.01")


def test_a_date_outside_the_deal_names_the_deals_dates(deal, scheme, coordinator):
    assert (deal.start, deal.financial_closing_date) == (datetime.date(2020, 12, 1), datetime.date(2025, 7, 1))
    before, after = deal.start - timedelta(days=1), deal.financial_closing_date + timedelta(days=1)
    for outside, shown in ((before, "30-11-2020"), (after, "02-07-2025")):
        assert errors_of(create, scheme=scheme, user=coordinator, day=outside) == {
            "date": [
                f"De datum {shown} ligt buiten de looptijd van de deal (01-12-2020 t/m 01-07-2025, de financiële "
                "afsluiting)."
            ]
        }
    assert create(scheme, coordinator, deal.start, reference="a").date == deal.start
    assert create(scheme, coordinator, deal.financial_closing_date, reference="b").date == deal.financial_closing_date


def test_who_may_not_write_vouchers_hears_who_may(scheme, coordinator, kassier, day):
    voucher = create(scheme, coordinator, day)
    message = "Alleen de coördinator of de penvoerder van het project legt vouchers vast."
    for user in (kassier, User.objects.get(username="coordinator_b")):
        with pytest.raises(PermissionDenied) as caught:
            create(scheme, user, day)
        assert str(caught.value) == message
        with pytest.raises(PermissionDenied) as caught:
            voucher_set_status(voucher=voucher, status=S.GRANTED, user=user)
        assert str(caught.value) == message


def test_granting_beyond_the_begroting_names_every_amount(scheme, coordinator, day):
    create(scheme, coordinator, day, amount=BEGROOT - Decimal("100.00"), status=S.PAID)
    pending = create(scheme, coordinator, day, amount="500.00")
    # 697.903 paid + 500 = 698.403: 400 over the begroting of 698.003, with 100 room left.
    expected = {
        "amount": [
            "Met deze voucher van €\u00a0500,00 komt wat in regeling 1310 is toegekend of uitbetaald op "
            "€\u00a0698.403,00, meer dan de begroting (€\u00a0698.003,00). Er is nog €\u00a0100,00 ruimte."
        ]
    }
    assert errors_of(voucher_set_status, voucher=pending, status=S.GRANTED, user=coordinator) == expected
    assert errors_of(create, scheme=scheme, user=coordinator, day=day, amount="500.00", status=S.GRANTED) == expected


def test_beyond_a_begroting_that_is_already_spent_there_is_no_room_left(scheme, coordinator, day):
    # Recorded outside the service (as an old import could have): 1.000 more than the begroting is committed.
    Voucher.objects.create(project=scheme, recipient="Oud BV", date=day, amount=BEGROOT + 1000, status=S.PAID)
    assert errors_of(create, scheme=scheme, user=coordinator, day=day, amount="1.00", status=S.GRANTED) == {
        "amount": [
            "Met deze voucher van €\u00a01,00 komt wat in regeling 1310 is toegekend of uitbetaald op "
            "€\u00a0699.004,00, meer dan de begroting (€\u00a0698.003,00). Er is nog €\u00a00,00 ruimte."
        ]
    }


def test_a_granted_voucher_is_paid_out_even_when_the_scheme_is_full(scheme, coordinator, day):
    granted = create(scheme, coordinator, day, amount=BEGROOT, status=S.GRANTED)
    assert voucher_set_status(voucher=granted, status=S.PAID, user=coordinator).status == S.PAID
    requested = create(scheme, coordinator, day, amount="1.00")
    assert voucher_set_status(voucher=requested, status=S.LAPSED, user=coordinator).status == S.LAPSED


def test_a_status_step_is_judged_on_the_status_as_it_stands_now(scheme, coordinator, day):
    voucher = create(scheme, coordinator, day)
    voucher_set_status(voucher=voucher, status=S.GRANTED, user=coordinator)
    # ``voucher`` still says aangevraagd; the database says toegekend.
    assert errors_of(voucher_set_status, voucher=voucher, status=S.GRANTED, user=coordinator) == {
        "status": ["De voucher is al toegekend."]
    }
    assert errors_of(voucher_set_status, voucher=voucher, status="betaald", user=coordinator) == {
        "status": ["Onbekende status 'betaald'; kies uit: aangevraagd, toegekend, uitbetaald, vervallen."]
    }


def test_every_status_step_is_allowed_or_says_why_not():
    paid = "Een uitbetaalde voucher is definitief: haar status verandert niet meer."
    lapsed = "Een vervallen voucher blijft vervallen; vraagt de ontvanger opnieuw aan, leg dan een nieuwe voucher vast."
    steps = {
        (S.REQUESTED, S.REQUESTED): "De voucher is al aangevraagd.",
        (S.REQUESTED, S.GRANTED): None,
        (S.REQUESTED, S.PAID): "Een aangevraagde voucher wordt eerst toegekend en pas daarna uitbetaald "
        "(nu kan: toegekend of vervallen).",
        (S.REQUESTED, S.LAPSED): None,
        (S.GRANTED, S.REQUESTED): "Van toegekend terug naar aangevraagd kan niet; nu kan: uitbetaald of vervallen.",
        (S.GRANTED, S.GRANTED): "De voucher is al toegekend.",
        (S.GRANTED, S.PAID): None,
        (S.GRANTED, S.LAPSED): None,
        (S.PAID, S.REQUESTED): paid,
        (S.PAID, S.GRANTED): paid,
        (S.PAID, S.PAID): "De voucher is al uitbetaald.",
        (S.PAID, S.LAPSED): paid,
        (S.LAPSED, S.REQUESTED): lapsed,
        (S.LAPSED, S.GRANTED): lapsed,
        (S.LAPSED, S.PAID): lapsed,
        (S.LAPSED, S.LAPSED): "De voucher is al vervallen.",
    }
    assert {(current, wanted): transition_error(current.value, wanted.value) for current, wanted in steps} == steps
