"""Finance blocks that other apps' pages show, so those apps need not import finance.

The project page (projects app) loads this tag library in its template: the template is
the place where the apps meet, and the rights are checked here, per object.
"""

from django import template
from django.utils import timezone

from finance.permissions import can_read_project_finance, can_supply_evidence, can_view_conditions
from finance.permissions_cofinancing import can_enter_cofinancing, can_view_cofinancing
from finance.selectors import project_figures
from finance.selectors_cofinancing import project_cofinancing, project_cofinancing_total

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


@register.inclusion_tag("finance/partials/project_cofinancing_link.html", takes_context=True)
def project_cofinancing_section(context, project):
    """Co-financing paid to the project directly: found from the project page by its readers and penvoerder."""
    user = context["request"].user
    if not can_view_cofinancing(user, project):
        return {"visible": False}
    per_funder = project_cofinancing(project)
    return {
        "visible": True,
        "project": project,
        "total": project_cofinancing_total(per_funder),
        "can_enter": can_enter_cofinancing(user, project),
    }
