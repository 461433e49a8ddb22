"""Objects and POST payloads for the Beheer matrix (tests/test_matrix_beheer.py).

Generic over every model in the admin site: the sample of a model is the first row by pk that
belongs to the demo deal (made here when the demo has none); a payload is what the admin's own
form would post for an object, built from that form (plus every model field, so a read-only
page gets a complete payload too, and the empty management forms of its inlines).
"""

import copy
import datetime
from decimal import Decimal

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import models
from django.db.models import Q
from django.forms import CheckboxInput, MultiWidget
from django.forms.models import model_to_dict

from finance.models import Funder
from finance.models_cofinancing import DirectCoFinancing
from finance.models_pending import PendingAmount
from finance.models_vouchers import Voucher
from finance.models_years import Rollover, YearPlan
from projects import roles
from projects.models import (
    Deal,
    Decision,
    Organisation,
    ProgrammeLine,
    ProgrammeLinePeriod,
    Project,
    ReminderLog,
    ReportingPeriod,
)
from projects.services_roles import assign_without_review

TAG_NEW, TAG_GONE = "mxnieuw", "mxweg"


def model_admin(model):
    return admin.site._registry[model]


# --------------------------------------------------------------------------- which rows are the deal's


def deal_rows(model, deal) -> models.QuerySet:
    """The rows of ``model`` that belong to ``deal`` (every row for models outside any deal)."""
    path = getattr(model_admin(model), "deal_path", None)
    if path:
        return model.objects.filter(**{path: deal.pk})
    if model is User:  # the deal's ordinary people: those a coordinator keeps the address book of
        return User.objects.filter(role_assignments__deal=deal, is_staff=False, is_superuser=False).distinct()
    if model is Organisation:
        used = Q(deals_as_kassier=deal) | Q(led_projects__deal=deal) | Q(partner_projects__deal=deal)
        return Organisation.objects.filter(used | Q(funder__deal=deal)).distinct()
    return model.objects.all()  # groups and login throttling belong to no deal


def _project(deal) -> Project:
    return Project.objects.get(deal=deal, code="1310")


def _funder(deal) -> Funder:
    return Funder.objects.filter(deal=deal).order_by("pk").first()


def _by(deal) -> User:
    return User.objects.get(username="coordinator")


def _decision(deal) -> Decision:
    first = Decision.objects.filter(deal=deal).order_by("pk").first()
    return first or Decision.objects.create(deal=deal, number="MX-1", date=datetime.date(2022, 1, 1), text="Matrix")


def _access(model):
    fields = {"user_agent": "matrix", "ip_address": "127.0.0.1", "username": "kassier", "http_accept": "*/*"}
    attempt = {"get_data": "next=/", "post_data": "username=kassier", "failures_since_start": 3}
    extra = attempt if model is AccessAttempt else {}
    return lambda deal: model.objects.create(path_info="/inloggen/", **fields, **extra)


def _periods(deal) -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.filter(deal=deal).order_by("start"))


def _line_period(line, period, save: bool = True) -> ProgrammeLinePeriod:
    row = ProgrammeLinePeriod(
        programme_line=line, period=period, start=period.start, end=period.end, reference_date=period.reference_date
    )
    if save:
        row.save()
    return row


# For the models the demo leaves empty: one row of the demo deal, as its service would leave it.
CREATE = {
    ReminderLog: lambda deal: ReminderLog.objects.create(
        period=ReportingPeriod.objects.filter(deal=deal).order_by("pk").first(),
        project=_project(deal),
        moment=ReminderLog.Moment.BEFORE,
        recipients="penvoerder@example.org",
    ),
    DirectCoFinancing: lambda deal: DirectCoFinancing.objects.create(
        project=_project(deal),
        funder=_funder(deal),
        amount=Decimal("1000.00"),
        pledged_on=datetime.date(2022, 1, 1),
        note="Toegezegd",
        created_by=_by(deal),
    ),
    Voucher: lambda deal: Voucher.objects.create(
        project=_project(deal),
        recipient="Bedrijf Matrix",
        date=datetime.date(2022, 3, 1),
        amount=Decimal("500.00"),
        note="Aangevraagd",
        created_by=_by(deal),
    ),
    YearPlan: lambda deal: YearPlan.objects.create(
        project=_project(deal), funder=_funder(deal), year=2022, budget=Decimal("1000.00"), updated_by=_by(deal)
    ),
    Rollover: lambda deal: Rollover.objects.create(
        project=_project(deal),
        funder=_funder(deal),
        from_year=2021,
        to_year=2022,
        amount=Decimal("100.00"),
        decision=_decision(deal),
        note="Doorgeschoven",
        created_by=_by(deal),
    ),
    PendingAmount: lambda deal: PendingAmount.objects.create(
        deal=deal, project=_project(deal), funder=_funder(deal), note="Nog te bepalen"
    ),
    ProgrammeLine: lambda deal: ProgrammeLine.objects.create(deal=deal, code="MX", name="Matrixlijn"),
    ProgrammeLinePeriod: lambda deal: _line_period(sample(ProgrammeLine, deal), _periods(deal)[0]),
    AccessAttempt: _access(AccessAttempt),
    AccessLog: _access(AccessLog),
    AccessFailureLog: _access(AccessFailureLog),
}


def sample(model, deal):
    """The first row of the deal by pk; one is made when the demo has none."""
    row = deal_rows(model, deal).order_by("pk").first()
    if row is None:
        assert model in CREATE, f"De demo heeft geen {model._meta.label} en de matrix weet niet hoe die te maken."
        row = CREATE[model](deal)
    return row


# --------------------------------------------------------------------------- copies


def _unique_sets(model) -> list[tuple[str, ...]]:
    meta = model._meta
    sets = [(f.name,) for f in meta.concrete_fields if f.unique and not f.primary_key]
    sets += [tuple(s) for s in meta.unique_together]
    return sets + [tuple(c.fields) for c in meta.total_unique_constraints]


def _vary(obj, field, tag: str) -> None:
    value = getattr(obj, field.attname)
    if field.choices:
        value = next(key for key, _label in field.flatchoices if key != value)
    elif isinstance(field, models.CharField):
        value = f"{(value or '')[: field.max_length - len(tag) - 1]}-{tag}"
    elif isinstance(field, models.IntegerField):
        value += 1000
    elif isinstance(field, models.DateField):
        value = datetime.date(2030, 1, 1 if tag == TAG_NEW else 2)
    setattr(obj, field.attname, value)


def twin(obj, tag: str):
    """An unsaved copy of ``obj`` that its unique constraints allow next to it (no many-to-many)."""
    other = copy.copy(obj)
    other.pk = other.id = None
    other._state = copy.copy(obj._state)
    other._state.adding, other._state.fields_cache = True, {}
    for names in _unique_sets(type(obj)):
        fields = [type(obj)._meta.get_field(name) for name in names]
        plain = [f for f in fields if not f.is_relation]
        if plain:
            _vary(other, plain[-1], tag)
        else:
            for f in fields:
                setattr(other, f.attname, None)
    if isinstance(obj, ProgrammeLinePeriod):  # once per line and reporting period: another period of the deal
        taken = ProgrammeLinePeriod.objects.filter(programme_line_id=obj.programme_line_id).values("period")
        free = ReportingPeriod.objects.filter(deal_id=obj.period.deal_id).exclude(pk__in=taken).order_by("start")
        return _line_period(obj.programme_line, free.first(), save=False)
    if isinstance(obj, PendingAmount):  # once per project and funder (a conditional constraint)
        taken = PendingAmount.objects.filter(deal_id=obj.deal_id, project_id=obj.project_id).values("funder")
        other.funder = Funder.objects.filter(deal_id=obj.deal_id).exclude(pk__in=taken).order_by("pk").first()
    return other


def fresh(model, deal):
    """A saved row of the deal that nothing points to, so deleting it is possible."""
    if model is User:  # an invited account without any role yet (deleting one with a role is PROTECTed)
        return User.objects.create_user(f"matrix-{TAG_GONE}", email=f"{TAG_GONE}@example.org")
    if model is Group:
        return Group.objects.create(name=f"matrix-{TAG_GONE}")
    obj = twin(sample(model, deal), TAG_GONE)
    obj.save()
    if model is Organisation:  # a partner of one of the deal's projects: an organisation of the deal
        _project(deal).partners.add(obj)
    if model is Deal:  # a deal of the coordinator's own: Beheer shows them no other
        assign_without_review(deal=obj, user=_by(deal), role=roles.COORDINATOR)
    return obj


# --------------------------------------------------------------------------- payloads


def post_value(value):
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | models.QuerySet):
        return [post_value(v) for v in value]
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date
        return value.isoformat()
    return "" if value is None else str(value)


def _put(data: dict, bound) -> None:
    widget = getattr(bound.field.widget, "widget", bound.field.widget)  # RelatedFieldWidgetWrapper
    value = bound.value()
    data.pop(bound.html_name, None)
    if isinstance(widget, MultiWidget):
        for i, part in enumerate(widget.decompress(value)):
            data[f"{bound.html_name}_{i}"] = post_value(part)
    elif isinstance(widget, CheckboxInput):
        if value:
            data[bound.html_name] = "on"
    else:
        data[bound.html_name] = post_value(value)


def _management_forms(model, request, obj) -> dict:
    data = {}
    for formset, _inline in model_admin(model).get_formsets_with_inlines(request, obj):
        prefix = formset.get_default_prefix()
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
        data |= {f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    return data


# Form fields the add form cannot take from an unsaved object.
ADD_INITIAL = {
    ReportingPeriod: lambda period: {"last_day": period.last_day},
    ProgrammeLinePeriod: lambda line_period: {"last_day": line_period.last_day},
}
ADD_PAYLOAD = {
    User: {"username": f"matrix-{TAG_NEW}", "first_name": "Matrix", "last_name": "Nieuw", "email": "mx@example.org"},
    Group: {"name": f"matrix-{TAG_NEW}", "permissions": []},
}


def form_payload(model, request, obj, *, add: bool = False) -> dict:
    """What the admin's form (as ``request.user`` sees it, a superuser: every field) posts for ``obj``."""
    if add and model in ADD_PAYLOAD:
        return dict(ADD_PAYLOAD[model])
    data = {name: post_value(value) for name, value in model_to_dict(obj).items()}
    form_class = model_admin(model).get_form(request, None if add else obj)
    initial = ADD_INITIAL.get(model, lambda o: {})(obj) if add else {}
    for bound in form_class(instance=obj, initial=initial):
        if not bound.field.disabled:
            _put(data, bound)
    return data | _management_forms(model, request, None if add else obj)


def form_fields(model, request, obj) -> list[str]:
    """The fields ``request.user`` can edit on the change page of ``obj``."""
    if not model_admin(model).has_change_permission(request, obj):
        return []
    form = model_admin(model).get_form(request, obj, change=True)
    return [name for name, field in form.base_fields.items() if not field.disabled]


# --------------------------------------------------------------------------- the one field a change cell changes

PREFERRED = ["note", "name", "first_name", "value", "amount", "budget"]


def _changeable(field) -> bool:
    if field.choices or isinstance(field, models.EmailField | models.SlugField) or field.name == "username":
        return False
    return isinstance(field, models.CharField | models.TextField | models.DecimalField | models.DateField)


def change_field(model, editable: list[str]) -> str:
    """The field a change cell alters: one the coordinator can edit, else (read-only page) a model field."""
    fields = [f for f in model._meta.concrete_fields if f.editable and _changeable(f)]
    candidates = [f.name for f in fields if not editable or f.name in editable]
    ordered = sorted(candidates, key=lambda n: PREFERRED.index(n) if n in PREFERRED else len(PREFERRED))
    assert ordered, f"{model._meta.label}: geen veld om te wijzigen"
    return ordered[0]


def changed_value(model, name: str, old):
    if isinstance(model._meta.get_field(name), models.DecimalField):
        return (old or Decimal(0)) + 1
    if isinstance(model._meta.get_field(name), models.DateField):  # a model with only dates to change
        return old + datetime.timedelta(days=1)
    return f"{old or 'matrix'}-mx"


def change_payload(model, obj, root_request, coordinator_request) -> tuple[str, object, dict]:
    """(field, new value, payload): the change form of ``obj`` posted with one field changed."""
    name = change_field(model, form_fields(model, coordinator_request, obj))
    new = changed_value(model, name, getattr(obj, name))
    return name, new, form_payload(model, root_request, obj) | {name: post_value(new)}


def add_payload(model, deal, root_request) -> dict:
    """The add form posted for a twin of the sample (unique fields varied), or a fixed payload."""
    obj = None if model in ADD_PAYLOAD else twin(sample(model, deal), TAG_NEW)
    return form_payload(model, root_request, obj, add=True)
