"""A Beheer matrix that can fail: every model in the admin site x every persona x add/change/delete.

Each cell posts what the admin's own form would post, against an object of the demo deal in the
state where the action is possible (a fresh, unreferenced row for delete), and asserts the
database afterwards: the row was added, changed or deleted, or it was not. The expected cells
come from the rule table below (README "Roles" and "Controls on money", DOMAIN.md "Who uses
it"), never from the current output. A model in Beheer without a rule fails every cell.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.forms import modelform_factory
from django.test import RequestFactory
from django.urls import reverse

from finance.models import Funder
from monitoring.models import Indicator, Measurement
from projects import roles
from projects.models import ActionLine, Deal, Organisation, Programme, Project, ReportingPeriod
from tests.conftest import PERSONAS, make_user
from tests.matrix_beheer_samples import add_payload, change_payload, form_payload, fresh, post_value, sample

ALL = frozenset({"add", "change", "delete"})
VIEW_ONLY = frozenset()

# Only the coordinator works in Beheer: "sets up deals, programmes, projects, funders and users
# (Beheer)". Every other role, and anyone not logged in, is sent to Beheer's login and changes
# nothing. What the coordinator may do there, per model, within their own deal:
COORDINATOR_MAY = {
    # Setting up the deal.
    "projects.Organisation": ALL,
    "projects.ActionLine": ALL,
    "projects.Programme": ALL,
    "projects.Project": ALL,
    "projects.GovernanceMember": ALL,
    "projects.ReportingPeriod": ALL,
    "projects.ProgrammeLine": ALL,  # Twente's RDT and AvT: structure, like actielijnen
    "projects.ProgrammeLinePeriod": ALL,  # a line's own window and peildatum, like a reporting period
    "finance.Funder": ALL,
    "finance.ConditionType": ALL,
    "finance.PendingAmount": ALL,  # which contributions are "nog te bepalen" is setup, like the funders
    "monitoring.Indicator": ALL,
    # A new deal (and its first coordinator) is for whoever runs the server; so is removing one.
    "projects.Deal": frozenset({"change"}),
    # The address book, not the keys: invite and edit ordinary users; accounts are deactivated, never deleted.
    "auth.User": frozenset({"add", "change"}),
    # View only, for everyone: money moves only through the services (the ledger, tranches and
    # their conditions, co-financing, vouchers, year plans, rollovers), verslagen and metingen
    # only through their state machine (an approved one is frozen), reminders are a log.
    "finance.Booking": VIEW_ONLY,
    "finance.Tranche": VIEW_ONLY,
    "finance.DirectCoFinancing": VIEW_ONLY,
    "finance.Voucher": VIEW_ONLY,
    "finance.YearPlan": VIEW_ONLY,
    "finance.Rollover": VIEW_ONLY,
    "projects.ProgressReport": VIEW_ONLY,
    "projects.ReminderLog": VIEW_ONLY,
    "monitoring.Measurement": VIEW_ONLY,
    # Not the coordinator's at all: groups carry Beheer's rights; login throttling is the server's.
    "auth.Group": VIEW_ONLY,
    "axes.AccessAttempt": VIEW_ONLY,
    "axes.AccessLog": VIEW_ONLY,
    "axes.AccessFailureLog": VIEW_ONLY,
}

# Cells where the application lets through what the rules forbid (strict: a fix turns them green).
# Known gaps of the app, each a strict xfail with its reason ({(model, persona, action): reason}).
KNOWN_GAPS: dict[tuple[str, str, str], str] = {}

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def cell(model, persona: str, action: str, *values):
    """One cell as a test parameter (``values``: what the test takes), xfail where a gap is known."""
    key = (model._meta.label, persona, action)
    gap = pytest.mark.xfail(strict=True, raises=AssertionError, reason=KNOWN_GAPS.get(key))
    marks = [gap] if key in KNOWN_GAPS else []
    return pytest.param(*(values or (model, persona, action)), id="-".join(key), marks=marks)


def allowed(model, persona: str, action: str) -> bool:
    label = model._meta.label
    assert label in COORDINATOR_MAY, f"Nieuw model in Beheer zonder regel: {label}"
    return persona == "coordinator" and action in COORDINATOR_MAY[label]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def as_user():
    """as_user(user): a request as that user, for building what the admin's form would post."""

    def build(user):
        request = RequestFactory().get("/beheer/")
        request.user = user
        return request

    return build


@pytest.fixture
def root(db) -> User:
    return User.objects.create(username="matrix-root", is_superuser=True, is_staff=True)


@pytest.fixture
def other_coordinator(db) -> User:
    """The coordinator of another deal, made the way the app makes one (assign_role: staff, group beheer)."""
    other = Deal.objects.create(
        code="andere-deal",
        name="Andere Regio Deal",
        region="Elders",
        start="2021-01-01",
        end="2025-12-31",
        financial_closing_date="2026-06-30",
        default_reference_date="2022-07-01",
    )
    user = make_user("coordinator_andere", roles.COORDINATOR, deal=other)
    assert user.is_staff and user.groups.filter(name=roles.BEHEER_GROUP).exists()
    return user


# --------------------------------------------------------------------------- the three actions


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def do_add(client, model, deal, root_request, coordinator_request):
    payload = add_payload(model, deal, root_request)
    before = model.objects.count()
    response = client.post(url(model, "add"), payload)
    after = model.objects.count()
    assert after in (before, before + 1)
    return response, after == before + 1


def do_change(client, model, deal, root_request, coordinator_request):
    obj = sample(model, deal)
    name, new, payload = change_payload(model, obj, root_request, coordinator_request)
    old = getattr(obj, name)
    response = client.post(url(model, "change", obj.pk), payload)
    now = model.objects.filter(pk=obj.pk).values_list(name, flat=True).get()
    assert now in (old, new)
    return response, now == new


def do_delete(client, model, deal, root_request, coordinator_request):
    obj = fresh(model, deal)
    response = client.post(url(model, "delete", obj.pk), {"post": "yes"})
    return response, not model.objects.filter(pk=obj.pk).exists()


ACTIONS = {"add": do_add, "change": do_change, "delete": do_delete}


def run(client, user, model, action, deal, as_user, root, coordinator):
    if user is not None:
        client.force_login(user)
    return ACTIONS[action](client, model, deal, as_user(root), as_user(coordinator))


def form_errors(response) -> str:
    context = getattr(response, "context", None) or {}
    form = context.get("adminform")
    return str(form.form.errors) if form else f"status {response.status_code}"


# --------------------------------------------------------------------------- the matrix


def test_every_model_in_beheer_has_a_rule():
    labels = {model._meta.label for model in MODELS}
    assert not labels - set(COORDINATOR_MAY), (
        f"Nieuw model in Beheer zonder regel: {sorted(labels - set(COORDINATOR_MAY))}"
    )
    assert not set(COORDINATOR_MAY) - labels, "Een regel voor een model dat niet (meer) in Beheer staat"


@pytest.mark.parametrize("model,persona,action", [cell(m, p, a) for m in MODELS for p in PERSONAS for a in ACTIONS])
def test_beheer_cell(model, persona, action, personas, deal, client, as_user, root):
    expected = allowed(model, persona, action)
    response, happened = run(client, personas[persona], model, action, deal, as_user, root, personas["coordinator"])
    assert response.status_code < 500
    if persona != "coordinator":  # not staff: Beheer's login page, before the request is read
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    elif expected:
        assert response.status_code == 302, form_errors(response)
    else:
        assert response.status_code in (200, 403)  # refused, or the "cannot delete" page
    assert happened == expected, f"{action} {model._meta.label} door {persona}: verwacht {expected}"


@pytest.mark.parametrize(
    "model,action", [cell(m, "other_coordinator", a, m, a) for m in MODELS for a in ("change", "delete")]
)
def test_coordinator_of_another_deal_changes_nothing_of_cleantech(
    model, action, deal, client, as_user, root, coordinator, other_coordinator
):
    response, happened = run(client, other_coordinator, model, action, deal, as_user, root, coordinator)
    assert response.status_code in (302, 403, 404)
    assert not happened, f"{action} {model._meta.label} van cleantech door de coördinator van een andere deal"


def full_form(model, request, obj):
    """The admin's form, or (a page whose fields are all read-only) a form of every model field."""
    form = admin.site._registry[model].get_form(request, obj)
    return form if form.base_fields else modelform_factory(model, fields="__all__")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_payloads_are_valid_so_that_every_cell_can_fail(model, deal, as_user, root, coordinator):
    """What the cells post would be saved by the model's full form: a refusal comes from the rights."""
    root_request, coordinator_request = as_user(root), as_user(coordinator)
    request = coordinator_request if model is User else root_request  # a coordinator invites; no password
    add = full_form(model, request, None)(data=add_payload(model, deal, root_request))
    assert add.is_valid(), add.errors
    obj = sample(model, deal)
    name, _new, payload = change_payload(model, obj, root_request, coordinator_request)
    change = full_form(model, root_request, obj)(data=payload, instance=obj)
    assert change.is_valid(), change.errors
    assert name in change.changed_data


def _project(deal) -> Project:
    return Project.objects.get(deal=deal, code="1310")


# Setup rows that money, verslagen or metingen rest on: the coordinator may delete setup rows,
# but not these (PROTECT): each stays, with Django's page naming what holds it, never a 500.
REFERENCED = {
    Deal: lambda deal: deal,
    ActionLine: lambda deal: _project(deal).programme.action_line,
    Programme: lambda deal: _project(deal).programme,
    Project: _project,
    Funder: lambda deal: Funder.objects.get(deal=deal, name="Rijk"),
    Organisation: lambda deal: deal.kassier_organisation,
    ReportingPeriod: lambda deal: ReportingPeriod.objects.filter(deal=deal, reports__isnull=False).first(),
    Indicator: lambda deal: Indicator.objects.filter(deal=deal, measurements__isnull=False).first(),
}


@pytest.mark.parametrize("model", REFERENCED, ids=lambda m: m._meta.label)
def test_a_setup_row_that_others_rest_on_stays_with_a_message(model, deal, client, coordinator):
    obj = REFERENCED[model](deal)
    client.force_login(coordinator)
    response = client.post(url(model, "delete", obj.pk), {"post": "yes"})
    assert response.status_code == 200 and response.context["protected"]
    assert model.objects.filter(pk=obj.pk).exists()


def test_an_approved_meting_stays_as_it_is_on_the_indicator_page(deal, client, as_user, root, coordinator):
    measurement = Measurement.objects.filter(indicator__deal=deal, status="goedgekeurd").order_by("pk").first()
    indicator = measurement.indicator
    payload = form_payload(Indicator, as_user(root), indicator)
    row = {"id": measurement.pk, "indicator": indicator.pk, "date": measurement.date, "value": measurement.value + 1}
    row |= {"status": measurement.status, "text": measurement.text, "source_note": measurement.source_note}
    payload |= {f"measurements-0-{k}": post_value(v) for k, v in row.items()}
    payload |= {"measurements-TOTAL_FORMS": "1", "measurements-INITIAL_FORMS": "1"}
    client.force_login(coordinator)
    client.post(url(Indicator, "change", indicator.pk), payload)
    assert Measurement.objects.get(pk=measurement.pk).value == measurement.value
