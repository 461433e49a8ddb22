"""Finance blocks that other apps' pages show, so those apps need not import finance.

The project page (projects app) loads this tag library in its template: the template is
the place where the apps meet, and the rights are checked here, per object.
"""

from django import template
from django.utils import timezone

from finance.permissions import can_read_project_finance, can_supply_evidence, can_view_conditions
from finance.selectors import project_figures

register = template.Library()


@register.inclusion_tag("finance/partials/project_figures.html", takes_context=True)
def project_finance_section(context, project):
    user = context["request"].user
    if not can_read_project_finance(user, project):
        return {"visible": False}
    as_of = timezone.localdate()
    return {
        "visible": True,
        "project": project,
        "as_of": as_of,
        "figures": project_figures(project=project, as_of=as_of),
    }


@register.inclusion_tag("finance/partials/project_conditions_link.html", takes_context=True)
def project_conditions_section(context, project):
    """Who supplies or reads the project's conditions (penvoerder included) finds them from the project page."""
    user = context["request"].user
    if not can_view_conditions(user, project):
        return {"visible": False}
    return {
        "visible": True,
        "project": project,
        "count": project.payment_conditions.count(),
        "can_supply": can_supply_evidence(user, project),
    }
