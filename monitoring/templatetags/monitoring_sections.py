"""Monitoring blocks for other apps' pages (see finance_sections for why these are tags)."""

from django import template

from monitoring.selectors import project_indicators

register = template.Library()


@register.inclusion_tag("monitoring/partials/project_indicators.html", takes_context=True)
def project_indicators_section(context, project):
    # readable_indicators inside the selector scopes by the user: the stuurgroep sees
    # approved metingen only.
    return {
        "request": context["request"],
        "user": context["request"].user,
        "user_roles": context.get("user_roles"),
        "statuses": project_indicators(project=project, user=context["request"].user),
    }
